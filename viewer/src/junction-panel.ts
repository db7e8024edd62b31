/**
 * The details panel of a clicked junction: its control; the signal's phase, state and time since
 * and until its switches as signals.csv recorded them (signal-log.ts), with the switches before,
 * or, when the run has no signals.csv or it lacks the junction, as the fixed-time program's clock
 * computes them (signal-program.ts); and its rows of junctions.csv for the interval holding the
 * current time, when the run has that file.
 */
import type { NetworkJson } from './network.js';
import { intervalPhases, programAt, type SignalProgram } from './signal-program.js';
import type { RecordedSignal, SignalLog, SignalSwitch } from './signal-log.js';
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

export function renderJunction(el: HTMLElement, id: string, net: NetworkJson, t: number, table: IntervalTable | null, log: SignalLog | null): void {
  const node = net.nodes.find((n) => n.id === id);
  const parts: string[] = [`<h3><span>junction <b id="details-id">${esc(id)}</b></span><button id="details-close" title="close (Esc)">×</button></h3>`];
  const deg = net.edges.filter((e) => e.from === id || e.to === id).length;
  const prog = net.signals.find((p) => p.node === id);
  const controller = prog?.controller ? `, ${prog.controller}` : '';
  parts.push(`<table><tr><th>control</th><td id="junction-control">${node?.control ?? '–'}${controller}</td></tr><tr><th>edges</th><td>${deg}</td></tr></table>`);
  const rec = log?.at(id, t) ?? null;
  if (rec) parts.push(recordedHtml(rec, prog, t));
  else if (prog) parts.push(programHtml(prog, t));
  else parts.push('<p class="muted">no signal program</p>');
  parts.push(measuredRows(table, id, t, 'junctions.csv', JUNCTION_COLUMNS));
  el.innerHTML = parts.join('');
}

const partOf = (state: string): 'green' | 'yellow' | 'all red' => (/[Gg]/.test(state) ? 'green' : /y/.test(state) ? 'yellow' : 'all red');

/** A recorded interval's phase name: its own program's phase, or the controller's table's index when held. */
function recordedPhase(s: SignalSwitch, prog: SignalProgram | undefined): string {
  if (s.program !== '0' || !prog) return `${s.program} #${s.phase}`;
  const k = intervalPhases(prog)[s.phase];
  return prog.phases[k]?.name ?? `#${k + 1}`;
}

/** The state as signals.csv recorded it at t: phase, part, since and until the switches around t, the switches before. */
function recordedHtml(rec: RecordedSignal, prog: SignalProgram | undefined, t: number): string {
  const cur = rec.current;
  const left = rec.next ? (rec.next.time - t).toFixed(1) : '–';
  const now =
    `<table id="junction-now" data-source="signals.csv"><tr><th>phase</th><td id="junction-phase">${esc(recordedPhase(cur, prog))}</td></tr>` +
    `<tr><th>now</th><td id="junction-part">${partOf(cur.state)}</td></tr>` +
    `<tr><th>interval</th><td><span id="junction-interval">${cur.phase}</span> of program ${esc(cur.program)}</td></tr>` +
    `<tr><th>state</th><td id="junction-state" data-state="${cur.state}">${stateStrip(cur.state)}</td></tr>` +
    `<tr><th>since</th><td><span id="junction-since">${(t - cur.time).toFixed(1)}</span> s (switched at ${cur.time} s)</td></tr>` +
    `<tr><th>time left</th><td><span id="junction-left">${left}</span>${rec.next ? ` s (next switch at ${rec.next.time} s)` : ' (no later switch recorded)'}</td></tr></table>`;
  const row = (s: SignalSwitch, current: boolean) =>
    `<tr${current ? ' class="now"' : ''}><td>${s.time}</td><td>${esc(recordedPhase(s, prog))}</td><td>${s.phase}</td><td>${stateStrip(s.state)}</td></tr>`;
  const switches = [row(cur, true), ...rec.before.map((s) => row(s, false))].join('');
  const program = prog ? programTable(prog, cur.program === '0' ? cur.phase : -1) : '';
  return `<p class="muted">as recorded in signals.csv</p>${now}<h4>switches, newest first</h4><table id="junction-switches" class="grid"><tr><th>time</th><th>phase</th><th>interval</th><th>connections</th></tr>${switches}</table>${program}`;
}

/** The fixed-time program read at t (the run has no signals.csv, or it lacks the junction). */
function programHtml(prog: SignalProgram, t: number): string {
  const st = programAt(prog, t);
  const note = prog.controller && prog.controller !== 'fixed' ? `<p class="muted">the fixed-time program's clock: the ${prog.controller} controller's switches are not recorded in this run</p>` : '';
  return (
    `${note}<table id="junction-now" data-source="program"><tr><th>phase</th><td id="junction-phase">${esc(st.phase ?? `#${st.phaseIndex + 1}`)}</td></tr><tr><th>now</th><td id="junction-part">${st.part}</td></tr><tr><th>time left</th><td><span id="junction-left">${st.left.toFixed(1)}</span> s</td></tr><tr><th>cycle</th><td>${st.cycleTime.toFixed(1)} of ${prog.cycle} s, offset ${prog.offset} s</td></tr></table>` +
    programTable(prog, st.interval)
  );
}

/** The whole program, interval `current` marked (-1: none). */
function programTable(prog: SignalProgram, current: number): string {
  const phases = intervalPhases(prog);
  const rows = prog.states.map((s, k) => {
    const end = k + 1 < prog.starts.length ? prog.starts[k + 1] : prog.cycle;
    const name = prog.phases[phases[k]]?.name ?? '';
    return `<tr${k === current ? ' class="now"' : ''}><td>${prog.starts[k]}</td><td>${(end - prog.starts[k]).toFixed(1)}</td><td>${esc(name)}</td><td>${stateStrip(s)}</td></tr>`;
  });
  return `<h4>signal program</h4><table id="junction-program" class="grid"><tr><th>start</th><th>s</th><th>phase</th><th>connections</th></tr>${rows.join('')}</table>`;
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
