/** The report's tables of places: the worst edges, junctions and junction movements (aggregate.ts ranks them). */
import type { EdgeStat, JunctionStat, MovementStat } from './aggregate.js';
import { esc, fmt } from './escape.js';
import type { NetEdge } from './read-run.js';

function table(head: string[], rows: string[][], cls = 'places'): string {
  const h = `<tr>${head.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  // cells are escaped by the callers (they mix text cells and numbers)
  const b = rows.map((r) => `<tr>${r.map((c, k) => `<td${k > 0 && /^[−\d.,–%]/.test(c) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('');
  return `<table class="${cls}"><thead>${h}</thead><tbody>${b}</tbody></table>`;
}

const idCell = (s: string) => `<code>${esc(s)}</code>`;

export function worstEdgesTable(worst: readonly EdgeStat[], edges: ReadonlyMap<string, NetEdge>): string {
  return table(
    ['#', 'edge', 'name', 'vehicles left', 'mean speed (m/s)', 'of the limit (%)', 'delay (s/veh)', 'time lost (veh·h)', 'mean travel time (s)'],
    worst.map((e, k) => {
      const net = edges.get(e.edge);
      const share = e.meanSpeed !== null && net && net.speedLimit > 0 ? (e.meanSpeed / net.speedLimit) * 100 : null;
      return [
        String(k + 1),
        idCell(e.edge),
        esc(net?.name ?? ''),
        fmt(e.left),
        fmt(e.meanSpeed, 2),
        fmt(share, 0),
        fmt(e.delayPerVehicle, 1),
        fmt(e.timeLoss / 3600, 2),
        fmt(e.meanTravelTime, 1),
      ];
    }),
  );
}

export function worstJunctionsTable(worst: readonly JunctionStat[]): string {
  return table(
    ['#', 'junction', 'movements', 'vehicles', 'mean delay (s/veh)', 'LOS', 'largest queue (veh)', 'longest queue (m)'],
    worst.map((j, k) => [String(k + 1), idCell(j.junction), fmt(j.movements), fmt(j.count), fmt(j.delay, 1), esc(j.los ?? '–'), fmt(j.maxQueue), fmt(j.maxQueueLength, 0)]),
  );
}

export function worstMovementsTable(worst: readonly MovementStat[]): string {
  return table(
    ['#', 'junction', 'from edge', 'to edge', 'vehicles', 'mean delay (s/veh)', 'LOS', 'worst interval LOS', 'mean queue (veh)', 'largest queue (veh)', 'longest queue (m)'],
    worst.map((m, k) => [
      String(k + 1),
      idCell(m.junction),
      idCell(m.from),
      idCell(m.to),
      fmt(m.count),
      fmt(m.delay, 1),
      esc(m.los ?? '–'),
      esc(m.worstIntervalLos ?? '–'),
      fmt(m.meanQueue, 1),
      fmt(m.maxQueue),
      fmt(m.maxQueueLength, 0),
    ]),
  );
}
