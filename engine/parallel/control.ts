/**
 * The meeting point of the main thread and the workers: one shared Int32Array of control words.
 * The main thread publishes a phase by bumping SEQ and notifying; each worker runs its range and
 * adds to DONE. No per-tick messages, no copies.
 */
import type { PhaseName } from '../core/runner.js';

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

export const PH_DECIDE = 0;
export const PH_MOVE = 1;
export const PH_REMAP = 2;
export const PH_EXIT = 3;
export const PH_V2X_PREPARE = 4;
export const PH_V2X_RECEIVE = 5;
export const PH_DRONES = 6;
export const PH_ROBOTS = 7;
export const PH_V2X_SCHEDULE = 8;
export const PH_DETECTORS = 9;

/** The command code of each phase a worker runs. */
export const phaseCode: Record<PhaseName, number> = {
  decide: PH_DECIDE,
  move: PH_MOVE,
  detectors: PH_DETECTORS,
  v2xPrepare: PH_V2X_PREPARE,
  v2xSchedule: PH_V2X_SCHEDULE,
  v2xReceive: PH_V2X_RECEIVE,
  drones: PH_DRONES,
  robots: PH_ROBOTS,
};

/** The name of each command code (fault injection and error messages), from phaseCode. */
export const phaseNames: string[] = [];
phaseNames[PH_REMAP] = 'remap';
phaseNames[PH_EXIT] = 'exit';
for (const [name, code] of Object.entries(phaseCode)) phaseNames[code] = name;

// Every control word is read and written with Atomics: plain typed-array reads of shared memory
// may be cached by the JIT across Atomics.wait, and a stale word is a silent wrong result.
