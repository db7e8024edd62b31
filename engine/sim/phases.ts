/**
 * The thread phases: the parts of a tick (tick.ts) whose items are split across worker threads.
 * Each entry is what a worker thread does with its range of the items; the main thread does its
 * own range with the same functions (through the closures its systems hand the runner). A new
 * thread phase is one entry here: its code, the worker's dispatch and the manifest's per-phase
 * counts all come from this list.
 */
import { decidePhase } from '../traffic/decide.js';
import { movePhase } from '../traffic/move.js';
import type { SimCtx } from '../traffic/context.js';
import type { PhaseOut } from '../traffic/phase-out.js';
import type { Detectors } from '../traffic/detectors.js';
import type { PlaceTally } from '../traffic/place-tally.js';
import type { V2xWorkerSide } from '../v2x/worker-side.js';
import type { LogisticsWorkerSide } from '../logistics/parallel.js';

/** What a worker thread holds: its views of the shared arrays and the systems' worker sides. */
export interface ThreadSide {
  ctx: SimCtx;
  out: PhaseOut;
  detectors: Detectors | null;
  /** this part's tally of the figures per place (null when the run writes none) */
  places: PlaceTally | null;
  v2x: V2xWorkerSide | null;
  logistics: LogisticsWorkerSide | null;
}

export interface ThreadPhase {
  readonly name: string;
  /** what the items are */
  readonly items: string;
  /** this thread's work on items [k0, k1) as part `part` */
  readonly work: (t: ThreadSide, k0: number, k1: number, part: number) => void;
}

function need<T>(x: T | null, what: string): T {
  if (x === null) throw new Error(`a ${what} phase without the ${what} buffers`);
  return x;
}

export const THREAD_PHASES = [
  { name: 'decide', items: 'vehicles in lane order', work: (t, k0, k1) => decidePhase(t.ctx, k0, k1, t.out) },
  { name: 'move', items: 'vehicles in lane order', work: (t, k0, k1) => movePhase(t.ctx, k0, k1, t.out, t.places) },
  { name: 'detectors', items: 'induction loops', work: (t, k0, k1) => need(t.detectors, 'detectors').countRange(t.ctx, k0, k1) },
  { name: 'v2xPrepare', items: 'vehicles in lane order', work: (t, k0, k1, part) => need(t.v2x, 'V2X').receiver.prepare(t.ctx, k0, k1, part) },
  { name: 'v2xSchedule', items: 'equipped vehicles', work: (t, k0, k1, part) => need(t.v2x, 'V2X').receiver.schedule(t.ctx, k0, k1, part) },
  { name: 'v2xReceive', items: 'equipped vehicles', work: (t, k0, k1, part) => need(t.v2x, 'V2X').receiver.receive(t.ctx, k0, k1, part) },
  { name: 'drones', items: 'drones', work: (t, k0, k1, part) => need(t.logistics, 'logistics').advanceDrones(k0, k1, part) },
  { name: 'robots', items: 'robots', work: (t, k0, k1, part) => need(t.logistics, 'logistics').advanceRobots(k0, k1, part, t.ctx.connState) },
] as const satisfies readonly ThreadPhase[];

export type ThreadPhaseName = (typeof THREAD_PHASES)[number]['name'];
export const THREAD_PHASE_NAMES: readonly ThreadPhaseName[] = THREAD_PHASES.map((p) => p.name);

/** The index of a thread phase in THREAD_PHASES (its code on the control block), −1 if none. */
export function threadPhaseIndex(name: string): number {
  return (THREAD_PHASE_NAMES as readonly string[]).indexOf(name);
}
