/**
 * V2X statistics for `v2x.csv` and `metrics.json` (issue 5): packet delivery ratio and latency
 * binned by distance (25 m bins) and by message type, and the channel busy ratio per second. The
 * files are formatted from them in engine/io/run/v2x-report.ts.
 *
 * Definitions
 * - PDR at distance d (the usual packet reception ratio, PRR): for every packet sent and every
 *   *intended receiver* — a radio node other than the sender within the channel's maxRange —
 *   at a distance in [d, d + 25 m): `sent` counts the pair, `received` counts it when the packet
 *   was delivered; PDR = received / sent. A bin holds pairs, not packets: one broadcast to 12
 *   neighbours in a bin adds 12 to that bin's `sent`. Half-duplex losses count as not received.
 * - Latency: mean over the delivered pairs of the bin, ms.
 * - Channel busy ratio (CBR) of second s: the share of the radio resources a node sees in use,
 *   averaged over nodes and time. Resources: `subchannelsPerSubframe` sub-channels in each 1 ms
 *   sub-frame; a message occupies `subchannelsPerMessage` of them. A node "senses" a
 *   transmission when it is within the channel's maxRange of the sender (a proxy for the
 *   received-power threshold of SAE J2945/1 CBR measurement). Over the second:
 *     offered load = Σ sensed (sender, node) pairs × subchannelsPerMessage
 *                    / Σ over slots of (nodes × slot length in sub-frames × subchannelsPerSubframe),
 *     CBR = min(1, offered load).
 *   The defaults (10 MHz = 50 resource blocks in sub-channels of 10 → 5 sub-channels; 2
 *   sub-channels per message) are an illustrative configuration, not a measured one.
 *
 * Sums are integers (counts, and latencies in whole microseconds), exact in a Float64Array up to
 * 2^53, so per-thread partial accumulators merge to the same bits in any order; `mergeAll` still
 * merges in the order given.
 */
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import type { Receptions } from './channel.js';

export const MESSAGE_TYPES = ['bsm', 'spat', 'map', 'rsi', 'rsm'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export const MSG_BSM = 0;
export const MSG_SPAT = 1;
export const MSG_MAP = 2;
export const MSG_RSI = 3;
export const MSG_RSM = 4;

/** Width of a distance bin, m. */
export const DISTANCE_BIN_M = 25;

export interface ChannelLoadParams {
  /** sub-channels per 1 ms sub-frame */
  subchannelsPerSubframe: number;
  /** sub-channels one message occupies */
  subchannelsPerMessage: number;
}

export const DEFAULT_CHANNEL_LOAD: ChannelLoadParams = { subchannelsPerSubframe: 5, subchannelsPerMessage: 2 };

const SUBFRAMES_PER_SECOND = 1000;

/** The pair accumulators (sent, received, latency sums per type and bin) in shared memory. */
export interface PairBuffers {
  sent: SharedArrayBuffer;
  received: SharedArrayBuffer;
  latencyUs: SharedArrayBuffer;
}

export class V2xStats {
  /** distance bins: [k·25, (k+1)·25) for k < bins − 1, and a last open bin [(bins − 1)·25, ∞) */
  readonly bins: number;
  readonly load: ChannelLoadParams;
  /** [type × bins + bin] */
  readonly sent: Float64Array;
  readonly received: Float64Array;
  /** sum of the latencies of delivered pairs, whole µs */
  readonly latencyUs: Float64Array;
  /** per second: sensed pairs × sub-channels per message */
  busy: Float64Array;
  /** per second: node × sub-frames × sub-channels available */
  capacity: Float64Array;

  /**
   * @param maxDistanceM distances binned in 25 m steps up to here (the channel's maxRange is the
   *   natural choice); farther pairs go to the last, open bin
   * @param seconds seconds to allocate the per-second arrays for (they grow if exceeded)
   */
  constructor(maxDistanceM: number, seconds = 3600, load: ChannelLoadParams = DEFAULT_CHANNEL_LOAD, pairs?: PairBuffers | 'shared') {
    if (!(maxDistanceM > 0)) throw new Error(`V2xStats: maxDistanceM must be > 0, got ${maxDistanceM}`);
    this.bins = Math.ceil(maxDistanceM / DISTANCE_BIN_M) + 1;
    this.load = load;
    const cells = MESSAGE_TYPES.length * this.bins;
    // a thread's partial accumulator of pairs lives in shared memory ('shared', or another thread's buffers)
    const cellArray = (b?: SharedArrayBuffer) => (b ? new Float64Array(b) : pairs === 'shared' ? new Float64Array(new SharedArrayBuffer(cells * 8)) : new Float64Array(cells));
    const given = typeof pairs === 'object' ? pairs : undefined;
    this.sent = cellArray(given?.sent);
    this.received = cellArray(given?.received);
    this.latencyUs = cellArray(given?.latencyUs);
    this.busy = new Float64Array(Math.max(1, Math.ceil(seconds)));
    this.capacity = new Float64Array(this.busy.length);
  }

  /** The accumulators (checkpoints). */
  snapshot(w: SnapshotWriter): void {
    w.typed('v2x.stats.sent', this.sent);
    w.typed('v2x.stats.received', this.received);
    w.typed('v2x.stats.latencyUs', this.latencyUs);
    w.typed('v2x.stats.busy', this.busy);
    w.typed('v2x.stats.capacity', this.capacity);
  }

  restore(r: SnapshotReader): void {
    r.typedInto('v2x.stats.sent', this.sent);
    r.typedInto('v2x.stats.received', this.received);
    r.typedInto('v2x.stats.latencyUs', this.latencyUs);
    const seconds = r.peekLength('v2x.stats.busy', 8);
    if (seconds > this.busy.length) this.growSeconds(seconds);
    r.typedInto('v2x.stats.busy', this.busy);
    r.typedInto('v2x.stats.capacity', this.capacity);
  }

  binOf(distanceM: number): number {
    const b = Math.floor(distanceM / DISTANCE_BIN_M);
    return b < 0 ? 0 : b >= this.bins - 1 ? this.bins - 1 : b;
  }

  /** One (packet, intended receiver) pair. */
  addPair(type: number, distanceM: number, delivered: boolean, latencyMs: number): void {
    const c = type * this.bins + this.binOf(distanceM);
    this.sent[c] += 1;
    if (delivered) {
      this.received[c] += 1;
      this.latencyUs[c] += Math.round(latencyMs * 1000);
    }
  }

  /**
   * Every record of a slot (channel.receiveSlot's output): `typeOfTx[out.txSlot[j]]` is the
   * message type the slot's j-th transmitter sent.
   */
  addReceptions(out: Receptions, count: number, typeOfTx: Uint8Array): void {
    const { sent, received, latencyUs, bins } = this;
    for (let j = 0; j < count; j++) {
      const c = typeOfTx[out.txSlot[j]] * bins + this.binOf(out.distanceM[j]);
      sent[c] += 1;
      if (out.delivered[j] === 1) {
        received[c] += 1;
        latencyUs[c] += Math.round(out.latencyMs[j] * 1000);
      }
    }
  }

  /**
   * The load of one slot that starts at `timeS` and lasts `slotS` seconds, with `nodes` radio
   * nodes listening and `sensedPairs` (sender, node within maxRange) pairs — for a slot run
   * through receiveSlot, its record count.
   */
  addSlotLoad(timeS: number, slotS: number, nodes: number, sensedPairs: number): void {
    const s = Math.floor(timeS);
    if (s < 0) return;
    if (s >= this.busy.length) this.growSeconds(s + 1);
    this.busy[s] += sensedPairs * this.load.subchannelsPerMessage;
    this.capacity[s] += nodes * Math.round(slotS * SUBFRAMES_PER_SECOND) * this.load.subchannelsPerSubframe;
  }

  private growSeconds(n: number): void {
    const len = Math.max(n, 2 * this.busy.length);
    const busy = new Float64Array(len);
    const capacity = new Float64Array(len);
    busy.set(this.busy);
    capacity.set(this.capacity);
    this.busy = busy;
    this.capacity = capacity;
  }

  /** Number of seconds with any channel load recorded (the last such second + 1). */
  seconds(): number {
    let last = -1;
    for (let s = 0; s < this.capacity.length; s++) if (this.capacity[s] > 0) last = s;
    return last + 1;
  }

  /** Offered load of second s (may exceed 1), NaN when nothing was recorded. */
  offeredLoad(second: number): number {
    const cap = second < this.capacity.length ? this.capacity[second] : 0;
    return cap > 0 ? this.busy[second] / cap : NaN;
  }

  /** Channel busy ratio of second s: min(1, offered load). */
  busyRatio(second: number): number {
    const l = this.offeredLoad(second);
    return l > 1 ? 1 : l;
  }

  pdr(type: number, bin: number): number {
    const c = type * this.bins + bin;
    return this.sent[c] > 0 ? this.received[c] / this.sent[c] : NaN;
  }

  meanLatencyMs(type: number, bin: number): number {
    const c = type * this.bins + bin;
    return this.received[c] > 0 ? this.latencyUs[c] / this.received[c] / 1000 : NaN;
  }

  /** Totals over all bins of one type (or all types when type < 0): sent, received, PDR, mean latency. */
  totals(type = -1): { sent: number; received: number; pdr: number; meanLatencyMs: number } {
    let sent = 0;
    let received = 0;
    let latencyUs = 0;
    for (let t = 0; t < MESSAGE_TYPES.length; t++) {
      if (type >= 0 && t !== type) continue;
      for (let b = 0; b < this.bins; b++) {
        const c = t * this.bins + b;
        sent += this.sent[c];
        received += this.received[c];
        latencyUs += this.latencyUs[c];
      }
    }
    return { sent, received, pdr: sent > 0 ? received / sent : NaN, meanLatencyMs: received > 0 ? latencyUs / received / 1000 : NaN };
  }

  /** Adds another accumulator (same bins and load parameters) into this one. */
  merge(other: V2xStats): void {
    if (other.bins !== this.bins) throw new Error(`V2xStats.merge: ${other.bins} bins into ${this.bins}`);
    if (other.load.subchannelsPerMessage !== this.load.subchannelsPerMessage || other.load.subchannelsPerSubframe !== this.load.subchannelsPerSubframe) {
      throw new Error('V2xStats.merge: different channel load parameters');
    }
    for (let c = 0; c < this.sent.length; c++) {
      this.sent[c] += other.sent[c];
      this.received[c] += other.received[c];
      this.latencyUs[c] += other.latencyUs[c];
    }
    if (other.busy.length > this.busy.length) this.growSeconds(other.busy.length);
    for (let s = 0; s < other.busy.length; s++) {
      this.busy[s] += other.busy[s];
      this.capacity[s] += other.capacity[s];
    }
  }

  /** The pair accumulators' buffers (of a 'shared' accumulator), for a view in another thread. */
  pairBuffers(): PairBuffers {
    const b = (a: Float64Array) => {
      if (!(a.buffer instanceof SharedArrayBuffer)) throw new Error('V2xStats.pairBuffers: not a shared accumulator');
      return a.buffer;
    };
    return { sent: b(this.sent), received: b(this.received), latencyUs: b(this.latencyUs) };
  }

  /** Adds another accumulator's pairs (a thread's partial sums of one tick) into this one and zeroes them there. */
  takePairs(other: V2xStats): void {
    if (other.bins !== this.bins) throw new Error(`V2xStats.takePairs: ${other.bins} bins into ${this.bins}`);
    const { sent, received, latencyUs } = other;
    for (let c = 0; c < sent.length; c++) {
      if (sent[c] === 0) continue;
      this.sent[c] += sent[c];
      this.received[c] += received[c];
      this.latencyUs[c] += latencyUs[c];
      sent[c] = 0;
      received[c] = 0;
      latencyUs[c] = 0;
    }
  }

  /** Merges per-thread partial accumulators into `target` in the order given. */
  static mergeAll(target: V2xStats, parts: readonly V2xStats[]): V2xStats {
    for (const part of parts) target.merge(part);
    return target;
  }

  /** Resets every count (keeps the allocation). */
  clear(): void {
    this.sent.fill(0);
    this.received.fill(0);
    this.latencyUs.fill(0);
    this.busy.fill(0);
    this.capacity.fill(0);
  }
}
