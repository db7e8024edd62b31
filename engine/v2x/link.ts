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
  txX = new Float64Array(256);
  txY = new Float64Array(256);
  txId = new Int32Array(256);
  txSub = new Int32Array(256);
  /** per transmitter: its power relative to the channel's (linear factor, 3gpp), or its range (unitDisk, m) */
  txGain = new Float64Array(256);
  txRange = new Float64Array(256);
  /** transmitter indices sorted by sub-frame; subStart[s] .. subStart[s + 1] */
  private bySub = new Int32Array(256);
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
  ) {
    this.subframes = Math.max(1, Math.round(dt * 1000));
    this.subStart = new Int32Array(this.subframes + 1);
    this.subFill = new Int32Array(this.subframes);
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
    const n = this.txX.length * 2;
    const g = <T extends Float64Array | Int32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.txX = g(this.txX, new Float64Array(n));
    this.txY = g(this.txY, new Float64Array(n));
    this.txId = g(this.txId, new Int32Array(n));
    this.txSub = g(this.txSub, new Int32Array(n));
    this.txGain = g(this.txGain, new Float64Array(n));
    this.txRange = g(this.txRange, new Float64Array(n));
    this.bySub = new Int32Array(n);
  }
}
