/**
 * One tick of the radio medium, link by link. The tick is a frame of sub-frames (1 ms each, as in
 * C-V2X mode 4); every transmitter of the tick sits in one sub-frame, chosen by semi-persistent
 * scheduling: a counter-based draw per (transmitter, reselection period), so a vehicle keeps its
 * resource for a while and two nearby vehicles that drew the same sub-frame collide for that
 * while, as they do on the air.
 *
 * `deliver` decides one (packet, receiver) link with the channel models of channel.ts:
 * - unitDisk: in range and not lost (counter-based draw per tick, sender and receiver);
 * - 3gpp: pathloss, LOS state and shadowing of the link (channel.ts), against noise plus the mean
 *   received power of every other transmitter of the same sub-frame within the interference
 *   range; SINR above the threshold; a receiver transmitting in the same sub-frame hears nothing
 *   (half-duplex).
 * Everything is a pure function of (seed, tick, ids, positions), so the order in which links are
 * decided never matters.
 */
import { rand } from '../core/rng.js';
import {
  linkDelayMs,
  linkIsLos,
  linkShadowDb,
  linkUniform,
  meanReceivedMw,
  pairKey,
  receivedPowerDbm,
  PURPOSE_V2X_LOSS,
  type PreparedChannel,
} from './channel.js';

/** Draw of a transmitter's sub-frame (stable number: changing it changes results). */
export const PURPOSE_V2X_SUBFRAME = 0x5610;
/** Semi-persistent scheduling keeps a resource this long before drawing a new one, s. */
export const RESELECTION_PERIOD = 1;

export class RadioTick {
  readonly subframes: number;
  count = 0;
  /**
   * The transmitters of the tick live in SharedArrayBuffers: the main thread adds them, worker
   * threads of the communicate phase decide links from them (RadioTick.view). `generation` is
   * bumped when they are reallocated.
   */
  generation = 0;
  txX!: Float64Array;
  txY!: Float64Array;
  txId!: Int32Array;
  txSub!: Int32Array;
  /** per transmitter: its power relative to the channel's (linear factor, 3gpp), or its range (unitDisk, m) */
  txGain!: Float64Array;
  txRange!: Float64Array;
  /** transmitter indices sorted by sub-frame; subStart[s] .. subStart[s + 1] */
  private bySub!: Int32Array;
  private subStart: Int32Array;
  private subFill: Int32Array;
  private tick = 0;
  private time = 0;
  /** 3gpp: mean received power (mW) of an interferer at each whole metre of distance */
  private readonly meanPower: Float64Array;
  /** results of the last deliver() */
  latencyMs = 0;
  distance = 0;

  constructor(
    readonly channel: PreparedChannel,
    readonly seed: number,
    /** length of a tick, s */
    dt: number,
    /** another thread's transmitters (a view for deciding links; add() and close() stay with the owner) */
    shared?: RadioBuffers,
  ) {
    this.subframes = Math.max(1, Math.round(dt * 1000));
    this.subStart = shared ? new Int32Array(shared.subStart) : new Int32Array(new SharedArrayBuffer((this.subframes + 1) * 4));
    this.subFill = new Int32Array(this.subframes);
    if (shared) this.map(shared);
    else this.allocate(256);
    const p = channel.params;
    // interferers add their mean power (as channel.ts's slots do beyond the decode range); a 1 m
    // table of it makes an interferer cost a read instead of two powers and two exponentials
    this.meanPower = new Float64Array(p.kind === '3gpp' ? Math.ceil(channel.interferenceRangeM) + 2 : 0);
    if (p.kind === '3gpp') for (let m = 0; m < this.meanPower.length; m++) this.meanPower[m] = meanReceivedMw(p, m);
  }

  /** Starts a tick: no transmitters yet. */
  begin(tick: number, time: number): void {
    this.tick = tick;
    this.time = time;
    this.count = 0;
  }

  /** Sets the tick whose links are decided (a view's counterpart of begin(); keeps the transmitters). */
  at(tick: number, time: number): void {
    this.tick = tick;
    this.time = time;
  }

  /** The shared buffers, for a view in another thread. */
  buffers(): RadioBuffers {
    const b = (a: { buffer: ArrayBufferLike }) => a.buffer as SharedArrayBuffer;
    return { txX: b(this.txX), txY: b(this.txY), txId: b(this.txId), txSub: b(this.txSub), txGain: b(this.txGain), txRange: b(this.txRange), bySub: b(this.bySub), subStart: b(this.subStart) };
  }

  /** Takes another thread's (new) buffers. */
  map(m: RadioBuffers): void {
    this.txX = new Float64Array(m.txX);
    this.txY = new Float64Array(m.txY);
    this.txId = new Int32Array(m.txId);
    this.txSub = new Int32Array(m.txSub);
    this.txGain = new Float64Array(m.txGain);
    this.txRange = new Float64Array(m.txRange);
    this.bySub = new Int32Array(m.bySub);
  }

  /** The sub-frame entity `id` transmits in during this tick. */
  subframeOf(id: number): number {
    const epoch = Math.floor(this.time / RESELECTION_PERIOD);
    return Math.floor(rand(this.seed, epoch, id, PURPOSE_V2X_SUBFRAME) * this.subframes);
  }

  /** Adds a transmitter of this tick; returns its index. */
  add(id: number, x: number, y: number, powerOffsetDb = 0, range = Infinity): number {
    if (this.count === this.txX.length) this.grow();
    const k = this.count++;
    this.txId[k] = id;
    this.txX[k] = x;
    this.txY[k] = y;
    this.txSub[k] = this.subframeOf(id);
    this.txGain[k] = powerOffsetDb === 0 ? 1 : Math.pow(10, powerOffsetDb / 10);
    this.txRange[k] = range;
    return k;
  }

  /** Call after the last add() and before deliver(): groups the transmitters by sub-frame. */
  close(): void {
    const start = this.subStart;
    start.fill(0);
    for (let k = 0; k < this.count; k++) start[this.txSub[k] + 1]++;
    for (let s = 0; s < this.subframes; s++) start[s + 1] += start[s];
    const fill = this.subFill;
    fill.set(start.subarray(0, this.subframes));
    for (let k = 0; k < this.count; k++) this.bySub[fill[this.txSub[k]]++] = k;
  }

  /**
   * Whether transmitter k's packet reaches receiver `rxId` at (rx, ry). `rxSub` is the sub-frame
   * the receiver itself transmits in this tick, or −1. Sets `latencyMs` and `distance`.
   */
  deliver(k: number, rxId: number, rx: number, ry: number, rxSub: number): boolean {
    const ch = this.channel;
    const p = ch.params;
    const tx = this.txX[k];
    const ty = this.txY[k];
    const dx = rx - tx;
    const dy = ry - ty;
    const d = Math.sqrt(dx * dx + dy * dy);
    this.distance = d;
    this.latencyMs = 0;
    const tid = this.txId[k];
    if (p.kind === 'unitDisk') {
      if (d > (this.txRange[k] !== Infinity ? this.txRange[k] : p.rangeM) || linkUniform(this.seed, this.tick, tid, rxId, PURPOSE_V2X_LOSS) < p.lossProbability) return false;
      this.latencyMs = linkDelayMs(p.delayMinMs, p.delayExpectedMs, this.seed, this.tick, tid, rxId);
      return true;
    }
    const sub = this.txSub[k];
    if (rxSub === sub || d > ch.decodeRangeM * this.rangeScale(k)) return false;
    const key = pairKey(this.seed, tid, rxId);
    const los = linkIsLos(p, this.seed, key, this.time, d);
    const shadow = p.shadowing ? linkShadowDb(this.seed, key, los, 0.5 * (tx + rx), 0.5 * (ty + ry)) : 0;
    const signal = Math.pow(10, receivedPowerDbm(p, d, los, shadow) / 10) * this.txGain[k];
    // interference: the other transmitters of the same sub-frame within range of the receiver
    let interference = 0;
    const range2 = ch.interferenceRangeM * ch.interferenceRangeM;
    const end = this.subStart[sub + 1];
    for (let q = this.subStart[sub]; q < end; q++) {
      const j = this.bySub[q];
      if (j === k) continue;
      const ex = this.txX[j] - rx;
      const ey = this.txY[j] - ry;
      const e2 = ex * ex + ey * ey;
      if (e2 <= range2) interference += this.meanPower[Math.round(Math.sqrt(e2))] * this.txGain[j];
    }
    if (signal < ch.thresholdLinear * (ch.noiseMw + interference)) return false;
    this.latencyMs = linkDelayMs(p.delayMinMs, p.delayExpectedMs, this.seed, this.tick, tid, rxId);
    return true;
  }

  /** How much farther than the channel's decode range transmitter k reaches (a stronger RSU; 3gpp LOS slope 16.7 dB/decade). */
  rangeScale(k: number): number {
    return this.txGain[k] > 1 ? Math.pow(this.txGain[k], 10 / 16.7) : 1;
  }

  private grow(): void {
    const n = this.txX.length;
    const old = [this.txX, this.txY, this.txId, this.txSub, this.txGain, this.txRange] as const;
    this.allocate(2 * n);
    this.txX.set(old[0]);
    this.txY.set(old[1]);
    this.txId.set(old[2]);
    this.txSub.set(old[3]);
    this.txGain.set(old[4]);
    this.txRange.set(old[5]);
  }

  private allocate(n: number): void {
    const f64 = () => new Float64Array(new SharedArrayBuffer(n * 8));
    const i32 = () => new Int32Array(new SharedArrayBuffer(n * 4));
    this.txX = f64();
    this.txY = f64();
    this.txId = i32();
    this.txSub = i32();
    this.txGain = f64();
    this.txRange = f64();
    this.bySub = i32();
    this.generation++;
  }
}

export interface RadioBuffers {
  txX: SharedArrayBuffer;
  txY: SharedArrayBuffer;
  txId: SharedArrayBuffer;
  txSub: SharedArrayBuffer;
  txGain: SharedArrayBuffer;
  txRange: SharedArrayBuffer;
  bySub: SharedArrayBuffer;
  subStart: SharedArrayBuffer;
}
