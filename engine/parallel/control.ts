/**
 * The meeting point of the main thread and the workers: one shared Int32Array of control words.
 * The main thread publishes a phase by bumping SEQ and notifying; each worker runs its range and
 * adds to DONE. No per-tick messages, no copies.
 */
import { THREAD_PHASE_NAMES, threadPhaseIndex } from '../sim/phases.js';

export const SEQ = 0; // bumped for every new command
export const PHASE = 1; // the command (PH_*)
export const DONE = 2; // workers finished with the current command
export const ERROR = 3; // part number (1-based worker part) of a failed worker, 0 if none
export const COUNT = 4; // items (vehicles in the lane order, equipped vehicles, …) of this phase
export const TICK = 5; // the tick being computed (time = tick · dt, as the world computes it)
/** per part p: the start of its range at BOUNDS + p (the end is the next part's start, the last ends at COUNT) */
export const BOUNDS = 8;
/** per part p: microseconds it spent on its range in the last phase, at ELAPSED + p */
export const ELAPSED = 8 + 257;
export const CONTROL_INTS = 8 + 2 * 257;

/** The two commands that are not phases. */
export const PH_REMAP = 0;
export const PH_EXIT = 1;
/** Thread phase i of engine/sim/phases.ts has the command code PH_FIRST + i. */
export const PH_FIRST = 2;

/** The command code of a thread phase (engine/sim/phases.ts), by name. */
export function phaseCode(name: string): number {
  const i = threadPhaseIndex(name);
  if (i < 0) throw new Error(`'${name}' is not a thread phase (engine/sim/phases.ts)`);
  return PH_FIRST + i;
}

/** The name of a command code (fault injection and error messages). */
export function phaseName(code: number): string {
  if (code === PH_REMAP) return 'remap';
  if (code === PH_EXIT) return 'exit';
  return THREAD_PHASE_NAMES[code - PH_FIRST] ?? String(code);
}

// Every control word is read and written with Atomics: plain typed-array reads of shared memory
// may be cached by the JIT across Atomics.wait, and a stale word is a silent wrong result.
