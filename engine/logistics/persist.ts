/**
 * Checkpoint helpers of the logistics (engine/core/snapshot.ts): named typed arrays written bit for
 * bit and read back into arrays of exactly the length the scenario gives them, so that a snapshot
 * of another scenario or layout is refused instead of half loaded.
 */
import { SnapshotError, type SnapshotReader, type SnapshotWriter } from '../core/snapshot.js';

export type Typed = Float64Array | Int32Array | Uint8Array;

/** Writes the first `length` elements (all by default) of each array, as `prefix.name`, in the record's order. */
export function writeArrays(w: SnapshotWriter, prefix: string, arrays: Record<string, Typed>, length?: number): void {
  for (const [name, a] of Object.entries(arrays)) w.typed(`${prefix}.${name}`, a, length ?? a.length);
}

/** Reads what writeArrays wrote; each section must hold exactly `length` elements (the whole array by default). */
export function readArrays(r: SnapshotReader, prefix: string, arrays: Record<string, Typed>, length?: number): void {
  for (const [name, a] of Object.entries(arrays)) readExact(r, `${prefix}.${name}`, a, length ?? a.length);
}

export function readExact(r: SnapshotReader, name: string, into: Typed, length: number): void {
  if (length > into.length) throw new SnapshotError(`section '${name}': ${length} elements do not fit in ${into.length}`);
  const n = r.typedInto(name, into);
  if (n !== length) throw new SnapshotError(`section '${name}' holds ${n} elements, this scenario has ${length} (a snapshot of another scenario)`);
}

/** Checks a count of the snapshot against the scenario's. */
export function sameCount(what: string, snapshot: number, scenario: number): void {
  if (snapshot !== scenario) throw new SnapshotError(`the snapshot has ${snapshot} ${what}, the scenario ${scenario}`);
}
