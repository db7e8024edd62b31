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

/** A phase's work on items [k0, k1) as part `part`, in the calling thread. */
export type RangeWork = (k0: number, k1: number, part: number) => void;

/**
 * `W` is the world a runner that needs one is attached to (the parallel runner hands its arrays
 * to the workers); systems that only run phases see `PhaseRunner` without it.
 */
export interface PhaseRunner<W = unknown> {
  /** number of parts (threads, or in-line ranges) */
  readonly parts: number;
  /**
   * Runs the phase over items [0, n), `work` being this thread's way of doing a range. `phase`
   * names an entry of the thread phase list (engine/sim/phases.ts), which says what a worker
   * thread does with its range.
   */
  run(phase: string, n: number, work: RangeWork): void;
  close(): Promise<void>;
  /** called by the world it runs for */
  attach?(world: W): void;
}

/** Start of range p of n items split into `parts` ranges of (almost) equal size. */
export function rangeStart(n: number, parts: number, p: number): number {
  return Math.floor((n * p) / parts);
}

/**
 * Runs every range in this thread. `reverse` processes the ranges last to first: a test of the
 * rule that a phase never reads what its own phase writes.
 */
export class InlineRunner implements PhaseRunner<unknown> {
  constructor(
    readonly parts = 1,
    private readonly reverse = false,
  ) {}

  run(_phase: string, n: number, work: RangeWork): void {
    for (let q = 0; q < this.parts; q++) {
      const p = this.reverse ? this.parts - 1 - q : q;
      work(rangeStart(n, this.parts, p), rangeStart(n, this.parts, p + 1), p);
    }
  }

  async close(): Promise<void> {}
}
