/**
 * How the per-vehicle phases of a tick are executed. The world hands a runner the phase and the
 * number of vehicles in the lane order; the runner splits the order into contiguous ranges of
 * equal vehicle count (one per part) and runs the phase function on each range with that part's
 * own PhaseOut. Results are merged by the world in a fixed way (lists sorted by vehicle id, sums
 * of integers, minima), so they do not depend on how many parts there are or in which order they
 * ran.
 */
import type { PhaseOut, SimCtx } from '../traffic/context.js';
import { decidePhase } from '../traffic/decide.js';
import { movePhase } from '../traffic/move.js';
import type { World } from '../core/world.js';

export type PhaseName = 'decide' | 'move';
export const PHASES: PhaseName[] = ['decide', 'move'];

export interface PhaseRunner {
  /** number of parts (threads, or in-line ranges) */
  readonly parts: number;
  /** runs the phase over order[0..n) and fills outs[0..parts) */
  run(phase: PhaseName, c: SimCtx, n: number, outs: PhaseOut[]): void;
  close(): Promise<void>;
  /** called by the world it runs for */
  attach?(world: World): void;
}

export function phaseFunction(phase: PhaseName): (c: SimCtx, k0: number, k1: number, out: PhaseOut) => void {
  return phase === 'decide' ? decidePhase : movePhase;
}

/** Start of range p of n items split into `parts` ranges of (almost) equal size. */
export function rangeStart(n: number, parts: number, p: number): number {
  return Math.floor((n * p) / parts);
}

/**
 * Runs every range in this thread. `reverse` processes the ranges last to first: a test of the
 * rule that a phase never reads what its own phase writes.
 */
export class InlineRunner implements PhaseRunner {
  constructor(
    readonly parts = 1,
    private readonly reverse = false,
  ) {}

  run(phase: PhaseName, c: SimCtx, n: number, outs: PhaseOut[]): void {
    const f = phaseFunction(phase);
    for (let q = 0; q < this.parts; q++) {
      const p = this.reverse ? this.parts - 1 - q : q;
      f(c, rangeStart(n, this.parts, p), rangeStart(n, this.parts, p + 1), outs[p]);
    }
  }

  async close(): Promise<void> {}
}
