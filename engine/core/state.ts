/**
 * Vehicle state as struct-of-arrays in SharedArrayBuffers, indexed by slot.
 *
 * Slots are reused through a free list; `id` is the stable identity (insertion order) that every
 * ordering decision uses. Capacity grows by doubling, between ticks only: growth replaces the
 * arrays, so anything holding them (the phase context, workers) must be refreshed afterwards,
 * which `generation` tells.
 */

import type { SnapshotReader, SnapshotWriter } from './snapshot.js';

export const F_ACTIVE = 1;
export const F_EQUIPPED = 2;
/** decided at yellow (or on first sight of red) that it cannot stop comfortably: goes through */
export const F_PASS = 4;
/** has seen the current non-green of its next signal and decided */
export const F_DECIDED = 8;
/** dwelling at a stop of its route */
export const F_DWELL = 16;
/** was moving since its last halt (counts the next halt as a stop) */
export const F_MOVING = 32;
/** held at its stop line last tick to give way (right of way or keep clear): read by its foes to break mutual yielding */
export const F_YIELDING = 64;
/** has halted at the stop sign of its next connection for STOP_SIGN_WAIT (right-of-way.ts): goes on, giving way as its rank says */
export const F_STOPPED = 128;

/** V2X bits (VehicleState.v2x): knows of the blocked lane ahead from a hazard warning (RSI) */
export const V2X_HAZARD = 1;
/** warned that it will run the red light: stops if it physically can */
export const V2X_RLVW = 2;
/** told by an emergency vehicle's warning to clear its lane */
export const V2X_CLEAR = 4;

type FloatField = 'pos' | 'speed' | 'accel' | 'lastDx' | 'speedFactor' | 'depart' | 'departDelay' | 'waiting' | 'stuck' | 'dist' | 'lcTime' | 'speedAdvice' | 'accelLimit' | 'stopUntil' | 'fuel' | 'co2' | 'timeLoss' | 'edgeLoss';
type IntField = 'id' | 'lane' | 'route' | 'routeIdx' | 'nextConn' | 'prevConn' | 'lcTarget' | 'halts' | 'stopIdx' | 'stopEnd' | 'order' | 'warned';
type ByteField = 'type' | 'flags' | 'flagsNext' | 'wishA' | 'wishB' | 'v2x';

const floatFields: FloatField[] = ['pos', 'speed', 'accel', 'lastDx', 'speedFactor', 'depart', 'departDelay', 'waiting', 'stuck', 'dist', 'lcTime', 'speedAdvice', 'accelLimit', 'stopUntil', 'fuel', 'co2', 'timeLoss', 'edgeLoss'];
const intFields: IntField[] = ['id', 'lane', 'route', 'routeIdx', 'nextConn', 'prevConn', 'lcTarget', 'halts', 'stopIdx', 'stopEnd', 'order', 'warned'];
const byteFields: ByteField[] = ['type', 'flags', 'flagsNext', 'wishA', 'wishB', 'v2x'];

/** Bytes of state per vehicle slot (for the benchmark's bytes-per-vehicle figure). */
export const BYTES_PER_SLOT = floatFields.length * 8 + intFields.length * 4 + byteFields.length;

export class VehicleState {
  capacity = 0;
  generation = 0;
  /** number of slots ever used (high-water mark); slots below it are active or free */
  used = 0;
  active = 0;
  private free: number[] = [];
  private freeSorted = true;

  // positions and kinematics (pos: front bumper, metres from the lane start)
  pos!: Float64Array;
  speed!: Float64Array;
  accel!: Float64Array;
  /** distance moved in the last tick (for detectors and distance totals) */
  lastDx!: Float64Array;
  speedFactor!: Float64Array;
  depart!: Float64Array;
  departDelay!: Float64Array;
  /** total time spent below the halting speed */
  waiting!: Float64Array;
  /** continuous time spent below the halting speed (gridlock detection) */
  stuck!: Float64Array;
  dist!: Float64Array;
  /** time of the last lane change (or of insertion) */
  lcTime!: Float64Array;
  /** V2X hooks: an advised speed cap (m/s) and an acceleration cap (m/s², e.g. a warning's braking), +Infinity when none */
  speedAdvice!: Float64Array;
  accelLimit!: Float64Array;
  stopUntil!: Float64Array;
  /** fuel used so far, mL, and tailpipe CO₂, g (emissions.ts; 0 when output.emissions is off) */
  fuel!: Float64Array;
  co2!: Float64Array;
  /**
   * time lost against driving at the vehicle's top speed on its lane so far, s (SUMO's timeLoss:
   * the sum over its ticks of dt · (vmax − v) / vmax, not while it dwells at a stop; move.ts)
   */
  timeLoss!: Float64Array;
  /**
   * the part of it lost on the current edge, s: the control delay of the junction movement it
   * makes at the edge's end (junctions.csv; place-tally.ts); −1 until its first move, when it
   * enters the figures per place
   */
  edgeLoss!: Float64Array;

  id!: Int32Array;
  lane!: Int32Array;
  route!: Int32Array;
  routeIdx!: Int32Array;
  nextConn!: Int32Array;
  prevConn!: Int32Array;
  lcTarget!: Int32Array;
  halts!: Int32Array;
  stopIdx!: Int32Array;
  stopEnd!: Int32Array;
  /** active slots sorted by (lane, pos, id); only the first `active` entries are meaningful */
  order!: Int32Array;
  /** V2X warnings the driver received so far (each `v2x.warning` event to it; trips.csv's `warnings`) */
  warned!: Int32Array;

  type!: Uint8Array;
  flags!: Uint8Array;
  /**
   * Flags as decided in this tick's decide phase; the move phase makes them current. Other
   * vehicles read `flags` in the decide phase, so they see the start of the tick whatever the
   * order (or thread) in which vehicles are processed.
   */
  flagsNext!: Uint8Array;
  /**
   * Lane-change wish shown to neighbours (0 none, 1 right, 2 left), double-buffered by tick
   * parity: a tick writes one buffer while neighbours read what was shown the tick before.
   */
  wishA!: Uint8Array;
  wishB!: Uint8Array;
  /**
   * What V2X applications told the driver (V2X_* bits), written by the communicate phase before
   * decide and read by decide: a hazard warning, a red-light violation warning, a request to
   * clear the lane for an emergency vehicle.
   */
  v2x!: Uint8Array;

  /** A new state, or (with `buffers`) a view of another thread's state over its shared buffers. */
  constructor(initialCapacity = 1024, buffers?: Record<string, SharedArrayBuffer>) {
    if (buffers) {
      // constructed, not Object.create'd: the same object shape as in the main thread keeps
      // the hot loop's property accesses fast in workers too
      const self = this as unknown as Record<string, unknown>;
      for (const f of floatFields) self[f] = new Float64Array(buffers[f]);
      for (const f of intFields) self[f] = new Int32Array(buffers[f]);
      for (const f of byteFields) self[f] = new Uint8Array(buffers[f]);
      this.capacity = initialCapacity;
    } else this.grow(Math.max(16, initialCapacity));
  }

  /** Ensures room for `n` more vehicles; call between ticks only. */
  reserve(n: number): void {
    const need = this.active + n;
    if (need <= this.capacity) return;
    let cap = this.capacity;
    while (cap < need) cap *= 2;
    this.grow(cap);
  }

  private grow(capacity: number): void {
    const copyFloat = (old: Float64Array | undefined) => {
      const a = new Float64Array(new SharedArrayBuffer(capacity * 8));
      if (old) a.set(old);
      return a;
    };
    const copyInt = (old: Int32Array | undefined) => {
      const a = new Int32Array(new SharedArrayBuffer(capacity * 4));
      if (old) a.set(old);
      return a;
    };
    const copyByte = (old: Uint8Array | undefined) => {
      const a = new Uint8Array(new SharedArrayBuffer(capacity));
      if (old) a.set(old);
      return a;
    };
    const self = this as unknown as Record<string, Float64Array | Int32Array | Uint8Array | undefined>;
    for (const f of floatFields) self[f] = copyFloat(self[f] as Float64Array | undefined);
    for (const f of intFields) self[f] = copyInt(self[f] as Int32Array | undefined);
    for (const f of byteFields) self[f] = copyByte(self[f] as Uint8Array | undefined);
    this.capacity = capacity;
    this.generation++;
  }

  /** Takes a free slot (lowest freed first, so slot use is deterministic). */
  allocate(): number {
    let slot: number;
    if (!this.freeSorted) {
      // descending, so that pop() hands out the lowest free slot
      this.free.sort((a, b) => b - a);
      this.freeSorted = true;
    }
    if (this.free.length > 0) slot = this.free.pop()!;
    else {
      if (this.used >= this.capacity) this.grow(this.capacity * 2);
      slot = this.used++;
    }
    this.active++;
    return slot;
  }

  release(slot: number): void {
    this.flags[slot] = 0;
    this.active--;
    this.free.push(slot);
    this.freeSorted = false;
  }

  /** Writes every slot in use and the free list (checkpoints). */
  snapshot(w: SnapshotWriter): void {
    w.json('state.meta', { used: this.used, active: this.active, free: this.free, freeSorted: this.freeSorted });
    const self = this as unknown as Record<string, Float64Array | Int32Array | Uint8Array>;
    for (const f of [...floatFields, ...intFields, ...byteFields]) w.typed(`state.${f}`, self[f], this.used);
  }

  /** Reads what snapshot() wrote, into fresh arrays (so anything holding the old ones must refresh). */
  restore(r: SnapshotReader): void {
    const m = r.json<{ used: number; active: number; free: number[]; freeSorted: boolean }>('state.meta');
    let cap = 16;
    while (cap < m.used) cap *= 2;
    // fresh zeroed arrays of the needed capacity: what lies beyond `used` was never read
    const self = this as unknown as Record<string, Float64Array | Int32Array | Uint8Array | undefined>;
    for (const f of [...floatFields, ...intFields, ...byteFields]) self[f] = undefined;
    this.grow(cap);
    for (const f of [...floatFields, ...intFields, ...byteFields]) r.typedInto(`state.${f}`, self[f]!);
    this.used = m.used;
    this.active = m.active;
    this.free = m.free;
    this.freeSorted = m.freeSorted;
  }

  /** A view of another thread's state over its shared buffers (no copy). */
  static fromBuffers(buffers: Record<string, SharedArrayBuffer>, capacity: number): VehicleState {
    return new VehicleState(capacity, buffers);
  }

  /** The shared buffers, for handing to worker threads. */
  buffers(): Record<string, SharedArrayBuffer> {
    const self = this as unknown as Record<string, { buffer: SharedArrayBuffer }>;
    const out: Record<string, SharedArrayBuffer> = {};
    for (const f of [...floatFields, ...intFields, ...byteFields]) out[f] = self[f].buffer;
    return out;
  }
}
