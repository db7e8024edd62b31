/**
 * The details panel of a clicked junction: its control, its fixed-time signal program with the
 * current phase and the time left in the current interval (signal-program.ts), and its rows of
 * junctions.csv for the interval holding the current time, when the run has that file.
 */
import type { NetworkJson } from './network.js';
import { intervalPhases, programAt } from './signal-program.js';
import type { IntervalTable } from './interval-table.js';
import { SIGNAL } from './palette.js';
import { css } from './colour-scale.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const STATE = 'Ggyr';

/** One coloured cell per connection of a state string (G g y r). */
export const stateStrip = (states: string) =>
  `<span class="states">${[...states].map((ch) => `<i style="background:${css(SIGNAL[Math.max(0, STATE.indexOf(ch === 'Y' ? 'y' : ch === 'R' ? 'r' : ch))])}" title="${ch}"></i>`).join('')}</span>`;

/** junctions.csv columns shown, in order (the file's contract) */
const JUNCTION_COLUMNS = ['from', 'to', 'count', 'delay', 'los', 'meanQueue', 'maxQueue', 'maxQueueLength'];

export function renderJunction(el: HTMLElement, id: string, net: NetworkJson, t: number, table: IntervalTable | null): void {
  const node = net.nodes.find((n) => n.id === id);
  const parts: string[] = [`<h3><span>junction <b id="details-id">${esc(id)}</b></span><button id="details-close" title="close (Esc)">×</button></h3>`];
  const deg = net.edges.filter((e) => e.from === id || e.to === id).length;
  parts.push(`<table><tr><th>control</th><td>${node?.control ?? '–'}</td></tr><tr><th>edges</th><td>${deg}</td></tr></table>`);
  const prog = net.signals.find((p) => p.node === id);
  if (prog) {
    const st = programAt(prog, t);
    const phases = intervalPhases(prog);
    parts.push(
      `<table id="junction-now"><tr><th>phase</th><td id="junction-phase">${esc(st.phase ?? `#${st.phaseIndex + 1}`)}</td></tr><tr><th>now</th><td id="junction-part">${st.part}</td></tr><tr><th>time left</th><td><span id="junction-left">${st.left.toFixed(1)}</span> s</td></tr><tr><th>cycle</th><td>${st.cycleTime.toFixed(1)} of ${prog.cycle} s, offset ${prog.offset} s</td></tr></table>`,
    );
    const rows = prog.states.map((s, k) => {
      const end = k + 1 < prog.starts.length ? prog.starts[k + 1] : prog.cycle;
      const name = prog.phases[phases[k]]?.name ?? '';
      return `<tr${k === st.interval ? ' class="now"' : ''}><td>${prog.starts[k]}</td><td>${(end - prog.starts[k]).toFixed(1)}</td><td>${esc(name)}</td><td>${stateStrip(s)}</td></tr>`;
    });
    parts.push(`<h4>signal program</h4><table id="junction-program" class="grid"><tr><th>start</th><th>s</th><th>phase</th><th>connections</th></tr>${rows.join('')}</table>`);
  } else parts.push('<p class="muted">no signal program</p>');
  parts.push(measuredRows(table, id, t, 'junctions.csv', JUNCTION_COLUMNS));
  el.innerHTML = parts.join('');
}

/** The rows of a per-interval file for `key` at t, as a table, or a line saying why there are none. */
export function measuredRows(table: IntervalTable | null, key: string, t: number, file: string, columns: string[]): string {
  if (!table) return `<p class="muted">no ${file} in this run</p>`;
  const rows = table.at(key, t);
  if (rows.length === 0) return `<p class="muted">${file}: no row at this time</p>`;
  const cols = columns.filter((c) => table.header.includes(c));
  const head = `<tr><th>${cols.join('</th><th>')}</th></tr>`;
  const body = rows.map((r) => `<tr>${cols.map((c) => `<td>${esc(r.cells[c] === '' ? '–' : r.cells[c])}</td>`).join('')}</tr>`).join('');
  return `<h4>${file}, ${rows[0].begin}–${rows[0].end} s</h4><table class="grid measured" data-file="${file}">${head}${body}</table>`;
}
