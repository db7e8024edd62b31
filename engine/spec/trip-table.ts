/**
 * A trips file's rows as compact columns (struct of arrays), as the scenario loader reads them
 * from a demand CSV (`demand: [{ tripsFile: trips.csv }]`, engine/io/scenario/trips-csv.ts) and the
 * demand (engine/traffic/demand.ts) turns them into departures. One JavaScript object per trip
 * would cost ~10 times the bytes; here a trip is ~40 bytes plus its via edges, and the via lists
 * are interned: a list that several trips share is stored once in one Int32Array pool.
 *
 * Names (edges, types) are kept as small dictionaries and each row holds an index into them, so
 * the table does not depend on how a network numbers its edges. Row k is the k-th trip of the
 * file (after the header, blank lines and comments), the number its random draws are keyed by,
 * exactly as the k-th trip of a YAML `trips` list; `order` lists the rows by departure time.
 *
 * The table is attached to its demand entry (attachTripTable) rather than put in it: the entry
 * stays the small `{ tripsFile }` object the scenario file holds, and the scenario hash covers
 * the file's bytes through `sha256`.
 */

/** departLane codes below 0 (a lane index is itself, ≥ 0) */
export const DEPART_LANE_CODES = ['best', 'first', 'free', 'random', 'allowed'] as const;
/** departLane: none given (the default, best) */
export const LANE_NONE = -1;
/** departPos / arrivalPos kinds */
export const POS_NONE = 0;
export const POS_VALUE = 1;
export const POS_BASE = 2;
export const POS_RANDOM = 3;
export const POS_FREE = 4;
export const POS_MAX = 5;

/** A stop of a row, as the YAML `stops` entries carry it (defaults filled in). */
export interface TripTableStop {
  edge: string;
  pos: number;
  duration: number;
  lane?: number;
  until?: number;
  name?: string;
}

export interface TripTable {
  /** the file as the scenario names it, resolved (messages) */
  file: string;
  /** SHA-256 (hex) of the file's bytes: part of the scenario hash */
  sha256: string;
  /** bytes read */
  bytes: number;
  count: number;
  /** names the rows index */
  edgeNames: string[];
  typeNames: string[];
  depart: Float64Array;
  type: Uint16Array;
  from: Int32Array;
  to: Int32Array;
  /** index of the row's via list in viaStart/viaLength, −1 for none */
  via: Int32Array;
  viaStart: Int32Array;
  viaLength: Int32Array;
  /** edge-name indices of every via list, end to end */
  viaPool: Int32Array;
  viaLists: number;
  /** departSpeed in m/s, −1 for `max` */
  departSpeed: Float64Array;
  /** departLane: a lane index (≥ 0), LANE_NONE, or −2 − the index in DEPART_LANE_CODES; null when no row gives one */
  departLane: Int16Array | null;
  /** departPos and arrivalPos: a POS_* kind and, for POS_VALUE, the value; null when no row gives one */
  departPosKind: Uint8Array | null;
  departPos: Float64Array | null;
  arrivalPosKind: Uint8Array | null;
  arrivalPos: Float64Array | null;
  /** the trip ids as UTF-8, row k in idPool[idStart[k] .. idStart[k + 1]); null when no row has one */
  idPool: Uint8Array | null;
  idStart: Int32Array | null;
  /** rows with an id (1) and without (0); null when no row has one */
  hasId: Uint8Array | null;
  /** the few rows with stops */
  stops: Map<number, TripTableStop[]>;
  /** the rows in departure order (by depart, then row) */
  order: Int32Array;
}

const tables = new WeakMap<object, TripTable>();

/** Attaches the loaded table to its demand entry (the `{ tripsFile }` object of the scenario). */
export function attachTripTable(entry: object, table: TripTable): void {
  tables.set(entry, table);
}

/** The table loaded for a demand entry, if any. */
export function tripTableOf(entry: object): TripTable | undefined {
  return tables.get(entry);
}

/** Bytes the table's arrays hold (the benchmark's bytes per departure). */
export function tripTableBytes(t: TripTable): number {
  let n = 0;
  for (const a of [t.depart, t.type, t.from, t.to, t.via, t.viaStart, t.viaLength, t.viaPool, t.departSpeed, t.departLane, t.departPosKind, t.departPos, t.arrivalPosKind, t.arrivalPos, t.idPool, t.idStart, t.hasId, t.order])
    if (a) n += a.byteLength;
  return n;
}

const decoder = new TextDecoder();

/** Row k's trip id, or undefined. */
export function tripIdOf(t: TripTable, k: number): string | undefined {
  if (!t.hasId || !t.hasId[k]) return undefined;
  return decoder.decode(t.idPool!.subarray(t.idStart![k], t.idStart![k + 1]));
}

/** Row k's departLane as the YAML form gives it (undefined: none). */
export function departLaneOf(t: TripTable, k: number): number | (typeof DEPART_LANE_CODES)[number] | undefined {
  if (!t.departLane) return undefined;
  const v = t.departLane[k];
  if (v >= 0) return v;
  if (v === LANE_NONE) return undefined;
  return DEPART_LANE_CODES[-2 - v];
}

/** Row k's departPos or arrivalPos as the YAML form gives it (undefined: none). */
export function posOf(kind: Uint8Array | null, value: Float64Array | null, k: number): number | 'base' | 'random' | 'free' | 'max' | undefined {
  if (!kind) return undefined;
  switch (kind[k]) {
    case POS_VALUE:
      return value![k];
    case POS_BASE:
      return 'base';
    case POS_RANDOM:
      return 'random';
    case POS_FREE:
      return 'free';
    case POS_MAX:
      return 'max';
    default:
      return undefined;
  }
}
