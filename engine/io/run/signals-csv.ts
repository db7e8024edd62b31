/**
 * signals.csv: one row per change of a signal, as SUMO's tlsSwitch/tlsStates output
 * (docs/run-directory.md#signalscsv): the time the new state took effect, the junction, the
 * program in force, its phase (interval) and the state of every connection it controls, one
 * character each in the program's connection order (network.json `signals[].connections`): G, g,
 * y, r. Every program's state at time 0 comes first.
 *
 * `program` is 0 for the junction's own fixed-time program (SUMO's default programID),
 * `priority` while that program runs off its plan's clock because of a bus or emergency request
 * (the switch was moved by the request or by the recovery after it; docs/signals.md, Priority),
 * and `external` while a controller (roadtwin serve, a replayed command log) holds it; `phase` is
 * the index of the interval in force in that program (in the override's own table when held).
 */
import type { SignalOverrides } from '../../road/signal-overrides.js';
import { programInterval } from '../../road/signal-overrides.js';
import { signalStateNames, type SignalProgram } from '../../road/signals.js';
import { csvLine } from './appendable.js';

export const SIGNALS_HEADER = 'time,junction,program,phase,state\n';

/** What signals.csv reads of the world. */
export interface SignalHost {
  readonly programs: SignalProgram[];
  readonly connState: Uint8Array;
  readonly signalOverrides: SignalOverrides;
  readonly net: { readonly nodeIds: string[] };
  /** whether a program runs off its plan's clock because of a priority request */
  readonly signalControl?: { offPlan(program: number): boolean };
}

/** What a checkpoint keeps of the rows written: each program's last phase, holder and states. */
export interface SignalRowsState {
  phase: number[];
  held: number[];
  states: number[];
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export class SignalRows {
  /** first slot of each program in `states` */
  private readonly first: Int32Array;
  private readonly phase: Int32Array;
  private readonly held: Uint8Array;
  private readonly states: Uint8Array;

  constructor(private readonly w: SignalHost) {
    const first = new Int32Array(w.programs.length + 1);
    w.programs.forEach((p, k) => (first[k + 1] = first[k] + p.conns.length));
    this.first = first;
    this.phase = new Int32Array(w.programs.length).fill(-1);
    this.held = new Uint8Array(w.programs.length);
    this.states = new Uint8Array(first[w.programs.length]);
  }

  /**
   * The rows of the programs whose phase, holder or state changed since the last call (all of
   * them at the first), at `time`: when the states now in force took effect.
   */
  changes(time: number, write: (line: string) => void): void {
    const { programs, connState, signalOverrides } = this.w;
    for (let p = 0; p < programs.length; p++) {
      const prog = programs[p];
      const o = signalOverrides.size > 0 ? signalOverrides.get(p) : undefined;
      const held = o ? 1 : 0;
      const phase = o ? overrideInterval(o, time) : programInterval(prog, time);
      let changed = phase !== this.phase[p] || held !== this.held[p];
      const f = this.first[p];
      for (let k = 0; k < prog.conns.length; k++) {
        const v = connState[prog.conns[k]];
        if (v !== this.states[f + k]) {
          this.states[f + k] = v;
          changed = true;
        }
      }
      if (!changed) continue;
      this.phase[p] = phase;
      this.held[p] = held;
      let state = '';
      for (let k = 0; k < prog.conns.length; k++) state += signalStateNames[this.states[f + k]];
      const source = held ? 'external' : this.w.signalControl?.offPlan(p) ? 'priority' : '0';
      write(csvLine([r6(time), this.w.net.nodeIds[prog.node], source, phase, state]));
    }
  }

  save(): SignalRowsState {
    return { phase: Array.from(this.phase), held: Array.from(this.held), states: Array.from(this.states) };
  }

  restore(s: SignalRowsState): void {
    this.phase.set(s.phase);
    this.held.set(s.held);
    this.states.set(s.states);
  }
}

/** The interval of an override's table in force at `time` (as SignalOverrides.apply finds it). */
function overrideInterval(o: { starts: Float64Array; cycle: number; since: number }, time: number): number {
  let tc = time - o.since;
  if (o.cycle !== Infinity) {
    tc %= o.cycle;
    if (tc < 0) tc += o.cycle;
  }
  let interval = 0;
  while (interval + 1 < o.starts.length && o.starts[interval + 1] <= tc) interval++;
  return interval;
}
