/**
 * The perception's part of the run directory (docs/run-directory.md): events.csv, one row per
 * city event, and the `perception` block of metrics.json, built from the perception system's
 * events, missions and units at the end of the run.
 */
import { csvCell } from '../../core/csv.js';
import type { PerceptionSystem } from '../../perception/index.js';
import { DETECTION_SOURCES, outcomeOf, type CityEvent } from '../../perception/index.js';
import { cityEventKinds } from '../../spec/schema-perception.js';

const r1 = (x: number) => Math.round(x * 10) / 10;
const t = (x: number) => (x < 0 ? '' : String(r1(x)));

/** The q-quantile (nearest rank) of the values, null when there are none. */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

const p50p95 = (v: number[]) => ({ count: v.length, p50: quantile(v, 0.5), p95: quantile(v, 0.95) });

export const EVENTS_CSV_HEADER =
  'id,kind,real,outcome,edge,x,y,occurred,detected,source,camera,vehicle,citizen,drone,unit,patrol,confirmed,dismissed,dispatched,arrived,cleared,vehicleHoursLost,unitVehicle';

export function eventsCsv(p: PerceptionSystem, edgeIds: readonly string[]): string {
  const rows = p.events.map((e: CityEvent) =>
    [
      e.id,
      cityEventKinds[e.kind],
      e.real ? 1 : 0,
      outcomeOf(e),
      e.edge >= 0 ? edgeIds[e.edge] : '',
      r1(e.x),
      r1(e.y),
      t(e.occurred),
      t(e.detected),
      e.source,
      ...e.bySource.map(t),
      t(e.confirmed),
      t(e.dismissed),
      t(e.dispatched),
      t(e.arrived),
      t(e.cleared),
      Math.round((e.delay / 3600) * 1000) / 1000,
      (e.unitVehicle ?? -1) >= 0 ? e.unitVehicle : '',
    ].map(csvCell).join(','),
  );
  return `${[EVENTS_CSV_HEADER, ...rows].join('\n')}\n`;
}

/** The `perception` block of metrics.json. */
export function perceptionMetrics(p: PerceptionSystem): object {
  const ev = p.events;
  const counts = p.counts();
  if (counts.events !== counts.handled + counts.dismissed + counts.open) throw new Error('perception: events ≠ handled + dismissed + open');
  const byKind: Record<string, { events: number; handled: number; dismissed: number; open: number }> = {};
  for (const e of ev) {
    const k = (byKind[cityEventKinds[e.kind]] ??= { events: 0, handled: 0, dismissed: 0, open: 0 });
    k.events++;
    k[outcomeOf(e)]++;
  }
  const detected = ev.filter((e) => e.detected >= 0);
  const bySource: Record<string, object> = {};
  DETECTION_SOURCES.forEach((src, s) => {
    const first = detected.filter((e) => e.source === src);
    bySource[src] = {
      first: first.length,
      share: detected.length > 0 ? Math.round((first.length / detected.length) * 1000) / 1000 : null,
      time: p50p95(ev.filter((e) => e.bySource[s] >= 0).map((e) => e.bySource[s] - e.occurred)),
    };
  });
  const real = ev.filter((e) => e.real);
  const missions = p.fleet.missions;
  const verifyS = missions.reduce((s, m) => s + m.flight, 0);
  const patrolS = p.patrols.reduce((s, q) => s + p.patrolRoutes[q.dock]!.flight, 0);
  const hours = (sec: number) => Math.round((sec / 3600) * 1000) / 1000;
  return {
    ...counts,
    byKind,
    detected: detected.length,
    detection: p50p95(detected.map((e) => e.detected - e.occurred)),
    bySource,
    confirmation: p50p95(real.filter((e) => e.confirmed >= 0).map((e) => e.confirmed - e.occurred)),
    confirmedWithin300s: real.length > 0 ? Math.round((real.filter((e) => e.confirmed >= 0 && e.confirmed - e.occurred <= 300).length / real.length) * 1000) / 1000 : null,
    response: p50p95(real.filter((e) => e.arrived >= 0).map((e) => e.arrived - e.dispatched)),
    clearance: p50p95(real.filter((e) => e.cleared >= 0).map((e) => e.cleared - e.occurred)),
    drones: {
      fleet: p.fleet.size,
      missions: { verify: missions.length, patrol: p.patrols.length },
      flightHours: hours(verifyS + patrolS),
      flightHoursByPurpose: { verify: hours(verifyS), patrol: hours(patrolS) },
      patrolsSkipped: p.patrolsSkipped,
      confirmed: missions.filter((m) => m.outcome === 'confirm').length,
      dismissed: missions.filter((m) => m.outcome === 'dismiss').length,
      handedOver: missions.filter((m) => m.outcome === 'handOver').length,
    },
    vehicleHoursLost: Math.round((ev.reduce((s, e) => s + e.delay, 0) / 3600) * 1000) / 1000,
  };
}
