/**
 * What each vehicle's on-board unit holds, per vehicle slot, in SharedArrayBuffers: the main
 * thread and the worker threads of the communicate phase read and write the same arrays (each
 * thread only the slots of its own receivers). Grown with the vehicle state, between ticks;
 * `generation` tells a worker that it must take the new buffers.
 */
import { APP_COUNT } from './model.js';

const floatFields = ['x', 'y', 'heading', 'bsmNext', 'bsmInterval', 'spatTime', 'rsiTime', 'evTime', 'fcwTime'] as const;
const intFields = ['txOf', 'rsiEvent', 'evId', 'evLane', 'sigHeard'] as const;
const byteFields = ['msgCnt', 'compliant', 'advised'] as const;

export type V2xVehicleBuffers = Record<string, SharedArrayBuffer>;

export class V2xVehicles {
  capacity = 0;
  generation = 0;
  /** RSUs in the scenario: mapKnown holds R bytes per slot */
  readonly R: number;

  /** position and heading of this tick (equipped vehicles; written by the prepare part) */
  x!: Float64Array;
  y!: Float64Array;
  heading!: Float64Array;
  bsmNext!: Float64Array;
  bsmInterval!: Float64Array;
  /** message counter of the last BSM (0..127) */
  msgCnt!: Uint8Array;
  /** transmitter index of this tick's BSM, or −1 */
  txOf!: Int32Array;
  compliant!: Uint8Array;
  spatTime!: Float64Array;
  rsiTime!: Float64Array;
  rsiEvent!: Int32Array;
  evTime!: Float64Array;
  evId!: Int32Array;
  /** the emergency vehicle's lane when its BSM arrived */
  evLane!: Int32Array;
  fcwTime!: Float64Array;
  /**
   * the connection this vehicle was approaching when the unit serving that adaptive signal last
   * received its BSM (−1: none); read by the controller (engine/traffic/signal-adaptive.ts)
   */
  sigHeard!: Int32Array;
  /** start of the current episode of each application, NaN when none ([slot * APP_COUNT + app]) */
  since!: Float64Array;
  advised!: Uint8Array;
  /** MAPs received: [slot * R + rsu] */
  mapKnown!: Uint8Array;

  constructor(R: number, buffers?: { arrays: V2xVehicleBuffers; capacity: number }) {
    this.R = R;
    if (buffers) {
      const self = this as unknown as Record<string, unknown>;
      for (const f of floatFields) self[f] = new Float64Array(buffers.arrays[f]);
      for (const f of intFields) self[f] = new Int32Array(buffers.arrays[f]);
      for (const f of byteFields) self[f] = new Uint8Array(buffers.arrays[f]);
      this.since = new Float64Array(buffers.arrays.since);
      this.mapKnown = new Uint8Array(buffers.arrays.mapKnown);
      this.capacity = buffers.capacity;
    } else this.grow(16);
  }

  /** Makes room for `capacity` slots (call between ticks). */
  ensure(capacity: number): void {
    if (capacity <= this.capacity) return;
    let cap = Math.max(16, this.capacity);
    while (cap < capacity) cap *= 2;
    this.grow(cap);
  }

  private grow(capacity: number): void {
    const self = this as unknown as Record<string, Float64Array | Int32Array | Uint8Array | undefined>;
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(Ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, old: T | undefined, n: number): T => {
      const a = new Ctor(new SharedArrayBuffer(Math.max(1, n) * Ctor.BYTES_PER_ELEMENT));
      if (old) a.set(old);
      return a;
    };
    for (const f of floatFields) self[f] = copy(Float64Array, self[f] as Float64Array | undefined, capacity);
    for (const f of intFields) self[f] = copy(Int32Array, self[f] as Int32Array | undefined, capacity);
    for (const f of byteFields) self[f] = copy(Uint8Array, self[f] as Uint8Array | undefined, capacity);
    this.since = copy(Float64Array, this.since as Float64Array | undefined, capacity * APP_COUNT);
    this.mapKnown = copy(Uint8Array, this.mapKnown as Uint8Array | undefined, capacity * Math.max(1, this.R));
    this.capacity = capacity;
    this.generation++;
  }

  buffers(): { arrays: V2xVehicleBuffers; capacity: number } {
    const self = this as unknown as Record<string, { buffer: ArrayBufferLike }>;
    const arrays: V2xVehicleBuffers = {};
    for (const f of [...floatFields, ...intFields, ...byteFields, 'since', 'mapKnown']) arrays[f] = self[f].buffer as SharedArrayBuffer;
    return { arrays, capacity: this.capacity };
  }

  /** The arrays by name, for checkpoints. */
  named(): [string, Float64Array | Int32Array | Uint8Array][] {
    return [
      ['bsmNext', this.bsmNext],
      ['bsmInterval', this.bsmInterval],
      ['msgCnt', this.msgCnt],
      ['compliant', this.compliant],
      ['spatTime', this.spatTime],
      ['rsiTime', this.rsiTime],
      ['rsiEvent', this.rsiEvent],
      ['evTime', this.evTime],
      ['evId', this.evId],
      ['evLane', this.evLane],
      ['fcwTime', this.fcwTime],
      ['since', this.since],
      ['advised', this.advised],
      ['mapKnown', this.mapKnown],
      ['sigHeard', this.sigHeard],
    ];
  }
}
