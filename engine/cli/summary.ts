/** The summary `roadtwin run` and `roadtwin resume` print on stdout at the end (not with --quiet). */
import { relative } from 'node:path';
import type { World } from '../sim/world.js';

export function printSummary(name: string, dir: string, w: World, m: Record<string, unknown>, complete: boolean): void {
  const v = m.vehicles as Record<string, number>;
  const t = m.traffic as Record<string, number | null>;
  const rel = relative(process.cwd(), dir) || '.';
  const lines = [
    `${complete ? 'finished' : 'INTERRUPTED'} ${name}: ${w.time.toFixed(1)} s simulated in ${(m.wallSeconds as number).toFixed(2)} s (${Number(m.updatesPerSecond ?? 0).toLocaleString('en')} vehicle updates/s)`,
    `  vehicles: ${v.inserted} inserted, ${v.arrived} arrived, ${v.active} on the road, ${v.waiting} waiting to enter, ${v.removed} removed`,
    `  traffic: mean speed ${fmt(t.meanSpeed)} m/s, mean travel time ${fmt(t.meanTravelTime)} s, stops ${t.stops}, min gap ${fmt(t.minGap)} m, collisions ${t.collisions}${t.co2Kg !== undefined ? `, CO2 ${fmt(t.co2Kg)} kg` : ''}`,
  ];
  const x = m.v2x as { rsus: number; equippedShare: number; packetDeliveryRatio: number | null; warnings: Record<string, number>; glosaAdvised: number } | undefined;
  if (x) {
    const warned = Object.entries(x.warnings)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(`  V2X: ${x.rsus} RSUs, ${Math.round(x.equippedShare * 100)} % equipped, PDR ${x.packetDeliveryRatio ?? '-'}, GLOSA advised ${x.glosaAdvised}, warnings: ${warned || 'none'}`);
  }
  const lg = m.logistics as { orders: number; delivered: number; rejected: number; open?: number; onTimeShare: number | null } | undefined;
  if (lg) lines.push(`  logistics: ${lg.orders} orders, ${lg.delivered} delivered, ${lg.rejected} rejected, ${lg.open ?? lg.orders - lg.delivered - lg.rejected} open, on time ${lg.onTimeShare ?? '-'}`);
  lines.push(`  run directory: ${rel}  (metrics.json, timeseries.csv, trips.csv, events.ndjson, trace …)`);
  lines.push(`  view it: npx roadtwin view ${rel}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '-' : (Math.round(x * 100) / 100).toString());
