/**
 * What the threads of the communicate phase share besides the per-vehicle arrays: this tick's
 * equipped vehicles in lane order, what each RSU sends, the emergency vehicles on the air, and
 * one output block per part (the part's equipped vehicles found, its warnings to announce, its
 * link statistics). All in SharedArrayBuffers, grown by the main thread between phases
 * (`generation` tells a worker to take the new buffers).
 *
 * Each part writes only its own block; the main thread reads the blocks in part order, so what
 * comes out (the list of equipped vehicles, the warnings and their order, the statistics, which
 * are integer sums) is the same for any number of parts.
 */
import { V2xStats, type PairBuffers } from './stats.js';

/** A part's block: where its range of the prepare phase started, the equipped vehicles it found there, its events, its new GLOSA advisories. */
export const PART_K0 = 0;
export const PART_FOUND = 1;
export const PART_EVENTS = 2;
export const PART_ADVISED = 3;
/** once a second, for the channel busy ratio: the part's sampled vehicles, and the transmissions they sense */
export const PART_CBR_NODES = 4;
export const PART_CBR_SENSED = 5;
const PART_HEAD = 6;

/** Warnings one vehicle can start in one tick (FCW, RLVW, HLW, SLW, EVW: one episode each at most). */
export const EVENTS_PER_VEHICLE = 5;

export interface V2xPart {
  head: Int32Array;
  /** warnings that started, in the order found: slot · 8 + application */
  events: Int32Array;
  /** this part's link statistics of the tick (pairs only), moved into the run's by the main thread */
  stats: V2xStats;
}

export interface V2xSharedBuffers {
  capacity: number;
  eqSlots: SharedArrayBuffer;
  eqOrder: SharedArrayBuffer;
  evList: SharedArrayBuffer;
  nodeX: SharedArrayBuffer;
  nodeY: SharedArrayBuffer;
  sends: SharedArrayBuffer;
  rsu: SharedArrayBuffer;
  head: SharedArrayBuffer;
  parts: { head: SharedArrayBuffer; events: SharedArrayBuffer; pairs: PairBuffers }[];
}

/** Counts of the tick, in `head`. */
export const EQ_COUNT = 0;
export const EV_COUNT = 1;

export class V2xShared {
  generation = 0;
  /** room for this many vehicles in the lane order */
  capacity = 0;
  /** equipped vehicles in lane order: slot and position in the lane order (staged per part, then packed) */
  eqSlots!: Int32Array;
  eqOrder!: Int32Array;
  /** emergency vehicles sending a BSM this tick, as indices into eqSlots, ascending */
  evList!: Int32Array;
  /** positions of the equipped vehicles in eqSlots order (what each thread indexes), and whether each sends a BSM this tick */
  nodeX!: Float64Array;
  nodeY!: Float64Array;
  sends!: Uint8Array;
  /** per RSU: transmitter index of its packet this tick (−1: none), what the packet carries (1 << MSG_*), its sub-frame */
  rsuTx: Int32Array;
  rsuBundle: Int32Array;
  rsuSub: Int32Array;
  readonly head: Int32Array;
  readonly parts: V2xPart[];
  private rsu: Int32Array;

  constructor(
    readonly R: number,
    parts: number,
    statsRange: number,
    buffers?: V2xSharedBuffers,
  ) {
    this.rsu = new Int32Array(buffers ? buffers.rsu : new SharedArrayBuffer(Math.max(1, 3 * R) * 4));
    this.rsuTx = this.rsu.subarray(0, R);
    this.rsuBundle = this.rsu.subarray(R, 2 * R);
    this.rsuSub = this.rsu.subarray(2 * R, 3 * R);
    this.head = new Int32Array(buffers ? buffers.head : new SharedArrayBuffer(16));
    // (the event lists grow with the lane order: grow() or map() sets them)
    this.parts = buffers
      ? buffers.parts.map((p) => ({ head: new Int32Array(p.head), events: new Int32Array(0), stats: new V2xStats(statsRange, 1, undefined, p.pairs) }))
      : Array.from({ length: parts }, () => ({ head: new Int32Array(new SharedArrayBuffer(PART_HEAD * 4)), events: new Int32Array(0), stats: new V2xStats(statsRange, 1, undefined, 'shared') }));
    if (buffers) this.map(buffers);
    else this.grow(1024);
  }

  /** Makes room for `n` vehicles in the lane order (main thread, between phases). */
  ensure(n: number): void {
    if (n <= this.capacity) return;
    let cap = Math.max(1024, this.capacity);
    while (cap < n) cap *= 2;
    this.grow(cap);
  }

  private grow(capacity: number): void {
    const ints = (k: number) => new Int32Array(new SharedArrayBuffer(Math.max(1, k) * 4));
    this.eqSlots = ints(capacity);
    this.eqOrder = ints(capacity);
    this.evList = ints(capacity);
    this.nodeX = new Float64Array(new SharedArrayBuffer(capacity * 8));
    this.nodeY = new Float64Array(new SharedArrayBuffer(capacity * 8));
    this.sends = new Uint8Array(new SharedArrayBuffer(capacity));
    // a part's range holds at most every vehicle of the tick
    for (const p of this.parts) p.events = ints(capacity * EVENTS_PER_VEHICLE);
    this.capacity = capacity;
    this.generation++;
  }

  buffers(): V2xSharedBuffers {
    const b = (a: { buffer: ArrayBufferLike }) => a.buffer as SharedArrayBuffer;
    return {
      capacity: this.capacity,
      eqSlots: b(this.eqSlots),
      eqOrder: b(this.eqOrder),
      evList: b(this.evList),
      nodeX: b(this.nodeX),
      nodeY: b(this.nodeY),
      sends: b(this.sends),
      rsu: b(this.rsu),
      head: b(this.head),
      parts: this.parts.map((p) => ({ head: b(p.head), events: b(p.events), pairs: p.stats.pairBuffers() })),
    };
  }

  /** Takes the main thread's (new) buffers. */
  map(m: V2xSharedBuffers): void {
    this.eqSlots = new Int32Array(m.eqSlots);
    this.eqOrder = new Int32Array(m.eqOrder);
    this.evList = new Int32Array(m.evList);
    this.nodeX = new Float64Array(m.nodeX);
    this.nodeY = new Float64Array(m.nodeY);
    this.sends = new Uint8Array(m.sends);
    m.parts.forEach((p, k) => (this.parts[k].events = new Int32Array(p.events)));
    this.capacity = m.capacity;
  }
}
