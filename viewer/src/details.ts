/**
 * The details panel of a selected entity: what the trace says now (class, speed, position,
 * flags) and what the run's files say about its trip (trips.csv when it finished, its departure
 * from events.ndjson).
 */
import { TF_BRAKING, TF_EQUIPPED, TF_STOPPED } from '../../engine/io/trace/format.js';
import type { EntityView } from './interpolate.js';
import type { CsvTable } from './csv.js';
import type { Site } from './entities.js';

export interface Departure {
  time: number;
  lane: string;
  type: string;
}

export class TripInfo {
  private readonly trips = new Map<number, Record<string, string>>();
  readonly departures = new Map<number, Departure>();

  addTrips(t: CsvTable): void {
    const idCol = t.header.indexOf('id');
    if (idCol < 0) return;
    for (const row of t.rows) {
      const rec: Record<string, string> = {};
      t.header.forEach((h, c) => (rec[h] = row[c]));
      this.trips.set(Number(row[idCol]), rec);
    }
  }

  /** Departure events of events.ndjson (where and when each vehicle entered). */
  addDepartures(ndjson: string): void {
    for (const line of ndjson.split('\n')) {
      if (!line.includes('"depart"')) continue;
      try {
        const e = JSON.parse(line) as { kind?: string; id?: number; time?: number; lane?: string; type?: string };
        if (e.kind === 'depart' && typeof e.id === 'number') this.departures.set(e.id, { time: e.time ?? NaN, lane: e.lane ?? '', type: e.type ?? '' });
      } catch {
        // skip a damaged line
      }
    }
  }

  trip(id: number): Record<string, string> | undefined {
    return this.trips.get(id);
  }
}

const row = (k: string, v: string) => `<tr><th>${k}</th><td>${v}</td></tr>`;
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (s: string | undefined, digits = 1) => (s === undefined || s === '' ? '–' : Number(s).toFixed(digits));

export function renderDetails(el: HTMLElement, id: number, view: EntityView, classes: readonly string[], info: TripInfo): void {
  const k = view.indexOf(id);
  const trip = info.trip(id);
  const dep = info.departures.get(id);
  const rows: string[] = [];
  if (k >= 0) {
    const cls = classes[view.cls[k]] ?? `class ${view.cls[k]}`;
    const v = view.speed[k];
    const f = view.flags[k];
    const flags = [f & TF_STOPPED ? 'stopped' : '', f & TF_BRAKING ? 'braking' : '', f & TF_EQUIPPED ? 'V2X-equipped' : ''].filter(Boolean).join(', ') || 'moving';
    rows.push(row('class', esc(cls)), row('speed', `${v.toFixed(1)} m/s (${(v * 3.6).toFixed(0)} km/h)`), row('state', flags));
    rows.push(row('position', `${view.x[k].toFixed(1)}, ${view.y[k].toFixed(1)} m`));
    if (view.z[k] > 0) rows.push(row('altitude', `${view.z[k].toFixed(1)} m`));
    rows.push(row('heading', `${((view.heading[k] * 180) / Math.PI).toFixed(0)}° ccw from east`));
  } else rows.push(row('state', 'not on the network at this time'));
  if (dep) rows.push(row('type', esc(dep.type)), row('departed', `${dep.time.toFixed(1)} s on ${esc(dep.lane)}`));
  if (trip) {
    rows.push(
      row('arrived', `${num(trip.arrival)} s`),
      row('route length', `${num(trip.routeLength, 0)} m`),
      row('travel time', `${num(trip.travelTime)} s`),
      row('waiting time', `${num(trip.waitingTime)} s`),
      row('stops', trip.stops ?? '–'),
    );
  } else rows.push(row('trip', 'not finished in this run'));
  el.innerHTML = `<h3>entity <span id="details-id">${id}</span><button id="details-close" title="close (Esc)">×</button></h3><table>${rows.join('')}</table>`;
}

const siteNames: Record<Site['kind'], string> = { rsu: 'roadside unit', hazard: 'hazard', hub: 'logistics hub', dronePort: 'drone port' };

/** What entities.json says of a static entity, one row per field (lists joined, records as JSON). */
export function renderSiteDetails(el: HTMLElement, site: Site): void {
  const rows = [row('type', siteNames[site.kind])];
  for (const [k, v] of Object.entries(site.record)) {
    if (k === 'id') continue;
    let text: string;
    if (k === 'x' || k === 'y' || typeof v !== 'object' || v === null) text = esc(String(v));
    else if (k === 'sensors' && Array.isArray(v))
      text = (v as { kind: string; range: number; fov: number }[]).map((s) => esc(`${s.kind} ${s.range} m, ${s.fov}°`)).join('<br>');
    else if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) text = esc(v.join(', '));
    else text = esc(JSON.stringify(v));
    rows.push(row(esc(k), text));
  }
  el.innerHTML = `<h3>${siteNames[site.kind]} <span id="details-id">${esc(site.id)}</span><button id="details-close" title="close (Esc)">×</button></h3><table>${rows.join('')}</table>`;
}
