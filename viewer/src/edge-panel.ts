/** The details panel of a clicked road edge: network.json's record and its edges.csv row at the current time. */
import type { NetworkJson } from './network.js';
import type { IntervalTable } from './interval-table.js';
import { measuredRows } from './junction-panel.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** edges.csv columns shown, in order (the file's contract) */
export const EDGE_COLUMNS = ['sampledSeconds', 'entered', 'left', 'flow', 'density', 'occupancy', 'meanSpeed', 'waitingTime', 'timeLoss', 'travelTime'];

export function renderEdge(el: HTMLElement, id: string, lane: string | null, net: NetworkJson, t: number, table: IntervalTable | null): void {
  const e = net.edges.find((x) => x.id === id);
  const rows = e
    ? [
        ['street', esc(e.name ?? '–')],
        ['from → to', `${esc(e.from)} → ${esc(e.to)}`],
        ['lanes', String(e.lanes)],
        ['length', `${e.length.toFixed(1)} m`],
        ['speed limit', `${e.speedLimit.toFixed(2)} m/s (${(e.speedLimit * 3.6).toFixed(0)} km/h)`],
        ...(lane ? [['lane clicked', esc(lane)]] : []),
      ]
    : [];
  // a vertical table of one row reads better than a wide one
  let measured = measuredRows(table, id, t, 'edges.csv', EDGE_COLUMNS);
  const r = table?.at(id, t)[0];
  if (r) measured = `<h4>edges.csv, ${r.begin}–${r.end} s</h4><table class="measured" data-file="edges.csv">${EDGE_COLUMNS.filter((c) => c in r.cells).map((c) => `<tr><th>${c}</th><td data-col="${c}">${esc(r.cells[c] === '' ? '–' : r.cells[c])}</td></tr>`).join('')}</table>`;
  el.innerHTML = `<h3><span>edge <b id="details-id">${esc(id)}</b></span><button id="details-close" title="close (Esc)">×</button></h3><table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>${measured}`;
}
