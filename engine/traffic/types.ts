/**
 * Vehicle types as flat parameter arrays indexed by type number (declaration order in the
 * scenario). Constants and their sources: IDM (Treiber et al. 2000), MOBIL (Kesting, Treiber &
 * Helbing 2007, Transp. Res. Rec. 1999:86), defaults as in docs/models.md (IDM, MOBIL).
 */
import { vehicleClasses, type VehicleClass, type VehicleTypeSpec } from '../spec/schema.js';
import { laneCapacity, type IdmParams } from './idm.js';
import { ALL_CLASSES, classBit } from '../road/lane-classes.js';

/** Physical braking limit when a type gives none: about 9 m/s² on dry asphalt (as SUMO's emergencyDecel default). */
export const DEFAULT_EMERGENCY_DECEL = 9;

export interface TypeTable {
  names: string[];
  classes: VehicleClass[];
  classCode: Uint8Array;
  /** the lane-class bits a type may drive on: its class's bit, or every bit when it ignores lane classes */
  laneBits: Uint8Array;
  A: Float64Array;
  B: Float64Array;
  T: Float64Array;
  s0: Float64Array;
  length: Float64Array;
  vmax: Float64Array;
  bmax: Float64Array;
  sqab2: Float64Array;
  politeness: Float64Array;
  threshold: Float64Array;
  bias: Float64Array;
  bsafe: Float64Array;
  speedFactor: Float64Array;
  speedDev: Float64Array;
  /** 1 for a Krauss driver, 0 for the IDM */
  krauss: Uint8Array;
  /** Krauss dawdling σ (0 for the IDM) */
  sigma: Float64Array;
  index: Map<string, number>;
  params(t: number): IdmParams;
  /** speed of maximum equilibrium flow for type t under desired speed v0 (memoised) */
  capacitySpeed(t: number, v0: number): number;
  /** entries in the memo of capacitySpeed (never more than CAPACITY_MEMO_MAX) */
  readonly capacityMemoSize: number;
}

/**
 * Entries kept by the capacitySpeed memo. With a speed spread (speedDev) every vehicle brings its
 * own desired speed, so a memo without a bound grows with every vehicle inserted over the run; it
 * is emptied when full instead (the value is a pure function of its key, so results never change).
 */
export const CAPACITY_MEMO_MAX = 4096;

/** Keep-left bias of emergency vehicles, m/s² (a MOBIL bias toward the overtaking lane). */
const EMERGENCY_KEEP_LEFT = 0.3;

export function buildTypeTable(specs: Record<string, VehicleTypeSpec>): TypeTable {
  const names = Object.keys(specs);
  const n = names.length;
  const f = (get: (s: VehicleTypeSpec) => number) => Float64Array.from(names.map((k) => get(specs[k])));
  const classes = names.map((k) => specs[k].class ?? ((vehicleClasses as readonly string[]).includes(k) ? (k as VehicleClass) : 'car'));
  const A = f((s) => s.accel);
  const B = f((s) => s.decel);
  const T = f((s) => s.headway);
  const s0 = f((s) => s.minGap);
  const length = f((s) => s.length);
  const memo = new Map<string, number>();
  const params = (t: number): IdmParams => ({ accel: A[t], decel: B[t], headway: T[t], minGap: s0[t], length: length[t] });
  if (n > 250) throw new Error('at most 250 vehicle types');
  return {
    names,
    classes,
    classCode: Uint8Array.from(classes.map((c) => vehicleClasses.indexOf(c))),
    laneBits: Uint8Array.from(names.map((k, i) => (specs[k].ignoresLaneClasses ? ALL_CLASSES : classBit(vehicleClasses.indexOf(classes[i]))))),
    A,
    B,
    T,
    s0,
    length,
    vmax: f((s) => s.maxSpeed),
    bmax: f((s) => s.emergencyDecel ?? Math.max(DEFAULT_EMERGENCY_DECEL, s.decel)),
    sqab2: f((s) => 2 * Math.sqrt(s.accel * s.decel)),
    politeness: f((s) => s.politeness),
    threshold: f((s) => s.changeThreshold),
    // an emergency vehicle on a call keeps left, to the overtaking lane, whatever its bias
    bias: Float64Array.from(names.map((k, i) => (classes[i] === 'emergency' ? -Math.max(specs[k].keepRightBias, EMERGENCY_KEEP_LEFT) : specs[k].keepRightBias))),
    bsafe: f((s) => s.safeDecel),
    speedFactor: f((s) => s.speedFactor),
    speedDev: f((s) => s.speedDev),
    krauss: Uint8Array.from(names.map((k) => (specs[k].carFollowing === 'krauss' ? 1 : 0))),
    sigma: f((s) => (s.carFollowing === 'krauss' ? s.sigma : 0)),
    index: new Map(names.map((k, i) => [k, i])),
    params,
    capacitySpeed(t: number, v0: number): number {
      const key = `${t}/${v0}`;
      let v = memo.get(key);
      if (v === undefined) {
        v = laneCapacity(params(t), v0).speed;
        if (memo.size >= CAPACITY_MEMO_MAX) memo.clear();
        memo.set(key, v);
      }
      return v;
    },
    get capacityMemoSize() {
      return memo.size;
    },
  };
}
