/**
 * Randomness, two kinds (docs/models.md, Randomness):
 * - named seedrandom streams for scenario-level generation (demand, placement), each derived
 *   from the scenario seed and a name, so adding a stream never shifts another;
 * - a counter-based hash rand(seed, tick, entity, purpose) for anything random inside a tick, so
 *   a value never depends on the order or the thread in which entities are processed.
 */
import seedrandom from 'seedrandom';

/** A named generator whose position can be saved (checkpoints) and restored. */
export type Stream = (() => number) & { state(): object };

export function stream(seed: number, name: string): Stream {
  return seedrandom(`${seed}/${name}`, { state: true }) as unknown as Stream;
}

/** A generator continuing exactly where the one whose `state()` was saved stood. */
export function restoreStream(state: object): Stream {
  return seedrandom('', { state: state as never }) as unknown as Stream;
}

/** Purposes of counter-based draws (stable numbers: changing one changes results). */
export const PURPOSE_SPEED_FACTOR = 1;
export const PURPOSE_EQUIPPED = 2;
/** Per departure of a demand entry (tick: the entry's index, entity: the vehicle's number in it). */
export const PURPOSE_TYPE_DRAW = 3;
export const PURPOSE_DEPART_LANE = 4;
export const PURPOSE_DEPART_POS = 5;
export const PURPOSE_ARRIVAL_POS = 6;
/** Per vehicle (entity: its id) and tick: a Krauss driver's dawdling. */
export const PURPOSE_DAWDLE = 7;

/** 32-bit avalanche mix (the finaliser of MurmurHash3). */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) from (seed, tick, entity, purpose). */
export function rand(seed: number, tick: number, entity: number, purpose: number): number {
  let h = fmix(seed ^ 0x9e3779b9);
  h = fmix(h ^ Math.imul(tick | 0, 0x27d4eb2d));
  h = fmix(h ^ Math.imul(entity | 0, 0x165667b1));
  h = fmix(h ^ Math.imul(purpose | 0, 0x61c88647));
  return h / 4294967296;
}

/** Standard normal from two counter-based uniforms (Box–Muller). */
export function randNormal(seed: number, tick: number, entity: number, purpose: number): number {
  const u1 = rand(seed, tick, entity, purpose * 2 + 1000) || 1e-12;
  const u2 = rand(seed, tick, entity, purpose * 2 + 1001);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
