/**
 * Signal overrides: what an external controller (roadtwin serve, a replayed command log) puts in
 * place of a node's own program, held until it is released. The programs of signals.ts and their
 * controllers go on underneath; after they have written the connection states of a tick, `apply` writes the
 * overridden nodes' states over them. So the signal code is untouched and a run without overrides
 * computes exactly what it always did (the override table is empty and `apply` returns at once).
 *
 * An override is a small cyclic table over the connections of the node's program: one interval
 * held for ever (a state string, or one of the program's own intervals: "hold this phase"), or a
 * whole new program of (state, duration) intervals that starts at the time it was set.
 */
import { intervalAt, signalStateOf, type SignalProgram } from './signals.js';

export interface SignalOverride {
  /** index of the program in the world's program list */
  program: number;
  /** start time within the override's cycle of each interval (ascending, first is 0) */
  starts: Float64Array;
  /** states[interval * conns + k], as SignalProgram.states */
  states: Uint8Array;
  /** length of the cycle, s (Infinity for a held state) */
  cycle: number;
  /** simulated time the override took effect: its cycle is counted from here */
  since: number;
  /** what was asked, for reading back: 'state' | 'phase' | 'program' */
  kind: 'state' | 'phase' | 'program';
}

/** The interval of a program in force at `time` (fixed-time: from the cycle; a controller's: its state now). */
export function programInterval(prog: SignalProgram, time: number): number {
  return intervalAt(prog, time);
}

/** The state characters of `states`, one per connection (G, g, y, r). */
export function parseStateString(state: string): Uint8Array {
  const out = new Uint8Array(state.length);
  for (let k = 0; k < state.length; k++) out[k] = signalStateOf(state[k]);
  return out;
}

export class SignalOverrides {
  private readonly byProgram = new Map<number, SignalOverride>();
  /** program indices in ascending order, so that `apply` writes in a fixed order */
  private order: number[] = [];

  get size(): number {
    return this.byProgram.size;
  }

  get(program: number): SignalOverride | undefined {
    return this.byProgram.get(program);
  }

  /** Holds one row of states (one per connection of the program) until released. */
  hold(program: number, states: Uint8Array, since: number, kind: 'state' | 'phase'): void {
    this.set({ program, starts: Float64Array.of(0), states: Uint8Array.from(states), cycle: Infinity, since, kind });
  }

  /** Runs a program of its own (rows of states with their durations) from `since` until released. */
  holdProgram(program: number, rows: Uint8Array[], durations: number[], since: number): void {
    const starts = new Float64Array(rows.length);
    let t = 0;
    for (let i = 0; i < rows.length; i++) {
      starts[i] = t;
      t += durations[i];
    }
    const n = rows[0].length;
    const states = new Uint8Array(rows.length * n);
    rows.forEach((r, i) => states.set(r, i * n));
    this.set({ program, starts, states, cycle: t, since, kind: 'program' });
  }

  /** The node's own program is in force again from the next tick. Whether there was an override. */
  release(program: number): boolean {
    const had = this.byProgram.delete(program);
    if (had) this.order = this.order.filter((p) => p !== program);
    return had;
  }

  /** Writes the overridden connections' states at `time` over what the programs wrote. */
  apply(programs: readonly SignalProgram[], time: number, connState: Uint8Array): void {
    for (const p of this.order) {
      const o = this.byProgram.get(p)!;
      const conns = programs[p].conns;
      let tc = time - o.since;
      if (o.cycle !== Infinity) {
        tc %= o.cycle;
        if (tc < 0) tc += o.cycle;
      }
      let interval = 0;
      while (interval + 1 < o.starts.length && o.starts[interval + 1] <= tc) interval++;
      const base = interval * conns.length;
      for (let k = 0; k < conns.length; k++) connState[conns[k]] = o.states[base + k];
    }
  }

  private set(o: SignalOverride): void {
    if (!this.byProgram.has(o.program)) this.order = [...this.order, o.program].sort((a, b) => a - b);
    this.byProgram.set(o.program, o);
  }
}
