/**
 * How the per-vehicle phases of a tick are executed. The world (or one of its systems) hands a
 * runner a phase, the number of items it works through (vehicles in the lane order, equipped
 * vehicles, drones, …) and the phase's work on one range in this thread; the runner splits the
 * items into contiguous ranges (one per part) and has each part do its range: in this thread, or
 * on a worker thread that runs the same work on the same shared arrays (worker.ts). Results are
 * merged by the caller in a fixed way (lists in part order or sorted by vehicle id, sums of
 * integers, minima), so they do not depend on how many parts there are or in which order they
 * ran.
 */
import type { World } from '../sim/world.js';

/** The phases a worker thread knows how to run (PH_* codes in control.ts). */
export type PhaseName = 'decide' | 'move' | 'detectors' | 'v2xPrepare' | 'v2xSchedule' | 'v2xReceive' | 'drones' | 'robots';
export const PHASES: PhaseName[] = ['decide', 'move', 'detectors', 'v2xPrepare', 'v2xSchedule', 'v2xReceive', 'drones', 'robots'];

/** A phase's work on items [k0, k1) as part `part`, in the calling thread. */
export type RangeWork = (k0: number, k1: number, part: number) => void;

export interface PhaseRunner {
  /** number of parts (threads, or in-line ranges) */
  readonly parts: number;
  /** runs the phase over items [0, n), `work` being this thread's way of doing a range */
  run(phase: PhaseName, n: number, work: RangeWork): void;
  close(): Promise<void>;
  /** called by the world it runs for */
  attach?(world: World): void;
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

  run(_phase: PhaseName, n: number, work: RangeWork): void {
    for (let q = 0; q < this.parts; q++) {
      const p = this.reverse ? this.parts - 1 - q : q;
      work(rangeStart(n, this.parts, p), rangeStart(n, this.parts, p + 1), p);
    }
  }

  async close(): Promise<void> {}
}
