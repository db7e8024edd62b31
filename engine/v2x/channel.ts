/**
 * Radio channel models for V2X (issue 5), behind one small interface: plain-data parameters
 * (`UnitDiskParams` | `Gpp3Params`), `maxRange(params)` for the spatial index, and
 * `prepareChannel(params)` then `receiveSlot(...)`, which decides for every (transmitter,
 * receiver within range) pair of one slot whether the packet is delivered and with what latency,
 * writing flat records into a reusable `Receptions` buffer.
 *
 * Constants: docs/v2x.md, Channel (3GPP TR 37.885 / TR 36.885 at 5.9 GHz).
 *
 * Radio nodes (equipped vehicles and RSUs) are points in typed arrays (x, y, id) indexed by a
 * `GridIndex` built over the same arrays; a slot's transmitters are given as node indices. The
 * engine calls, per slot (a batch of transmitters sharing the medium, e.g. one 100 ms BSM window,
 * or one 1 ms sub-frame if the caller models sub-frames):
 *
 *   channel = prepareChannel(params)      // once
 *   index.rebuild(x, y, count)            // once per tick, cell size = channel.decodeRangeM
 *   n = receiveSlot(channel, nodes, seed, tick, timeS, txNodes, txCount, work, out)
 *   for j < n: out.txNode[j], out.rxNode[j], out.distanceM[j], out.delivered[j], out.latencyMs[j]
 *
 * Determinism: every random value is a counter-based draw (engine/core/rng.ts) keyed on
 * (seed, tick or time bucket, node ids, purpose) — never on processing order. A record's outcome
 * is a pure function of the slot's inputs (positions, ids, the *set* of transmitters); the
 * interference sum is accumulated in integer quanta of 1e-15 mW (−150 dBm, far below the
 * −95 dBm noise floor), so it is exact and does not depend on the order of the transmitters
 * (exact up to 2^53 quanta, ≈ 9 mW of total received power at one node: +9.5 dBm, out of reach
 * of 23 dBm transmitters at ≥ 3 m). Records come out in the order of `txNodes`, then of the
 * index's neighbour order.
 *
 * Threads: a slot's interference needs all of its transmitters, so one slot runs in one thread
 * (different slots, or the per-record work after it, can be split); the records do not depend on
 * which thread ran the slot.
 *
 * Nothing is allocated per slot once the work arrays and the output buffer have reached the size
 * of the largest slot (they grow by doubling, like the engine's state arrays).
 */
import { rand, randNormal } from '../core/rng.js';
import type { GridIndex } from './spatial.js';

// Purposes of the counter-based draws (stable numbers: changing one changes results).
// They live here, next to their only use, in a range (0x5600…) away from engine/core/rng.ts's.
export const PURPOSE_V2X_LOSS = 0x5601;
export const PURPOSE_V2X_DELAY_A = 0x5602;
export const PURPOSE_V2X_DELAY_B = 0x5603;
export const PURPOSE_V2X_PAIR = 0x5604;
export const PURPOSE_V2X_LOS = 0x5605;
export const PURPOSE_V2X_SHADOW_LOS = 0x5606;
export const PURPOSE_V2X_SHADOW_NLOS = 0x5607;

/**
 * The unit disk of co-simulation platforms (docs/v2x.md, Channel): every node within `rangeM` of the
 * transmitter receives the packet with probability 1 − `lossProbability`, independently per
 * (tick, transmitter, receiver); no interference, no half-duplex (a transmitter never receives
 * its own packet, but does receive others sent in the same slot).
 */
export interface UnitDiskParams {
  kind: 'unitDisk';
  /** m */
  rangeM: number;
  /** per hop, 0..1 */
  lossProbability: number;
  /** latency = min + Gamma(2, 2)·0.25·(expected − min), ms; the mean is `delayExpectedMs` */
  delayMinMs: number;
  delayExpectedMs: number;
}

/**
 * 3GPP TR 37.885 pathloss with LOS probability, log-normal shadowing, noise, interference of the
 * slot's other transmitters, an SINR threshold and half-duplex.
 */
export interface Gpp3Params {
  kind: '3gpp';
  /** 'urban': LOS/NLOS by the urban LOS probability; 'highway': the highway LOS pathloss for every link */
  environment: 'urban' | 'highway';
  /** urban only: draw LOS/NLOS ('probabilistic', the model) or force one state (tests, what-ifs) */
  losMode: 'probabilistic' | 'los' | 'nlos';
  /** GHz (ITS band 5.9 GHz) */
  carrierGHz: number;
  /** dBm (23 dBm) */
  txPowerDbm: number;
  /** dBi per side (3 dBi) */
  antennaGainDbi: number;
  /** dB (9 dB) */
  noiseFigureDb: number;
  /** Hz (10 MHz) */
  bandwidthHz: number;
  /** dB; docs/v2x.md, Channel: ≈ 2–5 dB for typical MCS */
  sinrThresholdDb: number;
  /** log-normal shadowing on (σ 3 dB LOS, 4 dB NLOS) or off (mean pathloss only) */
  shadowing: boolean;
  /** distances below this are clamped before the log (the formulas are fitted for d ≥ a few m), m */
  minDistanceM: number;
  /** LOS/NLOS state of a link is redrawn every this many seconds, s */
  losBucketS: number;
  /** upper bound on the decode and interference ranges (the highway model alone reaches tens of km), m */
  rangeCapM: number;
  /** interferers whose mean received power is this far below the noise floor are left out, dB */
  interferenceFloorDb: number;
  /** latency as in the unit disk model (the pathloss model says nothing of MAC delay), ms */
  delayMinMs: number;
  delayExpectedMs: number;
}

export type ChannelParams = UnitDiskParams | Gpp3Params;

/**
 * Delay defaults are illustrative, well inside the 100 ms budget of most day-1 warnings
 * (docs/v2x.md, Applications); scenarios should set them. Range 500 m: the unit-disk example of
 * docs/v2x.md, Channel.
 */
export function unitDiskDefaults(): UnitDiskParams {
  return { kind: 'unitDisk', rangeM: 500, lossProbability: 0, delayMinMs: 1, delayExpectedMs: 10 };
}

export function gpp3Defaults(): Gpp3Params {
  return {
    kind: '3gpp',
    environment: 'urban',
    losMode: 'probabilistic',
    carrierGHz: 5.9,
    txPowerDbm: 23,
    antennaGainDbi: 3,
    noiseFigureDb: 9,
    bandwidthHz: 10e6,
    sinrThresholdDb: 5,
    shadowing: true,
    minDistanceM: 3,
    losBucketS: 1,
    rangeCapM: 3000,
    interferenceFloorDb: 20,
    delayMinMs: 1,
    delayExpectedMs: 10,
  };
}

// ---------------------------------------------------------------- 3GPP link budget

/** Thermal noise −174 dBm/Hz + 10·log10(B) + NF: −95 dBm for 10 MHz and NF 9 dB. */
export function noiseDbm(p: Gpp3Params): number {
  return -174 + 10 * Math.log10(p.bandwidthHz) + p.noiseFigureDb;
}

/** Urban LOS probability (TR 37.885): min(1, 1.05·exp(−0.0114·d)). */
export function losProbability(d: number): number {
  return Math.min(1, 1.05 * Math.exp(-0.0114 * d));
}

/** Shadowing standard deviation, dB: 3 (LOS) / 4 (NLOS). */
export function shadowSigmaDb(los: boolean): number {
  return los ? 3 : 4;
}

/** Shadowing decorrelation distance, m: 10 (LOS) / 13 (NLOS). */
export function decorrelationM(los: boolean): number {
  return los ? 10 : 13;
}

/**
 * Pathloss in dB at distance d (m), clamped below at minDistanceM, fc in GHz (docs/v2x.md, Channel):
 * urban LOS 38.77 + 16.7·log10 d + 18.2·log10 fc; urban NLOS 36.85 + 30·log10 d + 18.9·log10 fc;
 * highway LOS 32.4 + 20·log10 d + 20·log10 fc.
 */
export function pathlossDb(p: Gpp3Params, d: number, los: boolean): number {
  const lg = Math.log10(d > p.minDistanceM ? d : p.minDistanceM);
  const lf = Math.log10(p.carrierGHz);
  if (p.environment === 'highway') return 32.4 + 20 * lg + 20 * lf;
  return los ? 38.77 + 16.7 * lg + 18.2 * lf : 36.85 + 30 * lg + 18.9 * lf;
}

/** Received power, dBm: Ptx + 2·G − PL + shadowing. */
export function receivedPowerDbm(p: Gpp3Params, d: number, los: boolean, shadowDb: number): number {
  return p.txPowerDbm + 2 * p.antennaGainDbi - pathlossDb(p, d, los) + shadowDb;
}

/** Whether a link's state may be LOS, NLOS, or both, under the parameters. */
function statesOf(p: Gpp3Params): { los: boolean; nlos: boolean } {
  if (p.environment === 'highway' || p.losMode === 'los') return { los: true, nlos: false };
  if (p.losMode === 'nlos') return { los: false, nlos: true };
  return { los: true, nlos: true };
}

/** Probability of the LOS state at distance d under the parameters. */
function pLos(p: Gpp3Params, d: number): number {
  const s = statesOf(p);
  if (!s.nlos) return 1;
  if (!s.los) return 0;
  return losProbability(d);
}

/** Upper tail of the standard normal, Q(z) = ½·erfc(z/√2) (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
export function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * erfc : 1 - 0.5 * erfc;
}

/**
 * Probability that a lone packet (noise only) is decoded at distance d: over LOS/NLOS, the chance
 * that shadowing lifts the received power to noise + threshold.
 */
export function decodeProbabilityNoiseOnly(p: Gpp3Params, d: number): number {
  const need = noiseDbm(p) + p.sinrThresholdDb;
  const q = (los: boolean): number => {
    const margin = receivedPowerDbm(p, d, los, 0) - need;
    if (!p.shadowing) return margin >= 0 ? 1 : 0;
    return normalTail(-margin / shadowSigmaDb(los));
  };
  const pl = pLos(p, d);
  return (pl > 0 ? pl * q(true) : 0) + (pl < 1 ? (1 - pl) * q(false) : 0);
}

/** Smallest d in [lo, hi] where the decreasing function f drops below level (bisection to 1 cm). */
function crossing(f: (d: number) => number, level: number, lo: number, hi: number): number {
  if (f(hi) >= level) return hi;
  if (f(lo) < level) return lo;
  while (hi - lo > 0.01) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) >= level) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Tail probability matching "+3σ": Q(3.09) = 1e-3. */
const RANGE_TAIL = 1e-3;

/**
 * Range used for the spatial index and for intended receivers (m).
 * - unitDisk: its range.
 * - 3gpp: the distance beyond which a lone packet is decoded with probability below 1e-3, capped
 *   at rangeCapM. For a single state (highway, or a forced LOS/NLOS) that is where the mean
 *   received power plus 3.09σ of shadowing falls below noise + threshold. For urban links the
 *   LOS probability is weighed in: the LOS-only criterion alone would give ~31 km (LOS pathloss
 *   grows with 16.7·log10 d), where the LOS probability is ~1e-156; with it, ≈ 613 m at the
 *   defaults, where the LOS probability itself falls to 1e-3 (NLOS links alone, PL + 3σ, reach
 *   ≈ 462 m). The highway model at the defaults reaches the 3 km cap.
 */
export function maxRange(params: ChannelParams): number {
  if (params.kind === 'unitDisk') return params.rangeM;
  return crossing((d) => decodeProbabilityNoiseOnly(params, d), RANGE_TAIL, params.minDistanceM, params.rangeCapM);
}

/**
 * Distance beyond which transmitters are left out of the interference sum (m): where the mean
 * received power (linear, over LOS/NLOS, including the log-normal mean factor exp((σ·ln10/10)²/2))
 * is `interferenceFloorDb` below the noise floor; never less than maxRange, at most rangeCapM.
 * Each interferer left out is then worth < 1 % of the noise (at 20 dB); with interferers at
 * uniform density the neglected aggregate beyond the range is of the same small order for NLOS
 * (power falling as d^-3) — the cap matters only for the highway model (d^-2, where it is the
 * cap that truncates).
 */
export function interferenceRange(params: ChannelParams): number {
  if (params.kind === 'unitDisk') return params.rangeM;
  const p = params;
  const floorMw = Math.pow(10, (noiseDbm(p) - p.interferenceFloorDb) / 10);
  return Math.max(maxRange(p), crossing((d) => meanReceivedMw(p, d), floorMw, p.minDistanceM, p.rangeCapM));
}

/**
 * Mean received power at distance d, mW: over the LOS/NLOS states by their probability, each
 * with the mean of its log-normal shadowing, exp((σ·ln10/10)²/2) (when shadowing is on).
 */
export function meanReceivedMw(p: Gpp3Params, d: number): number {
  const meanFactor = (los: boolean): number => (p.shadowing ? Math.exp(0.5 * ((shadowSigmaDb(los) * Math.LN10) / 10) ** 2) : 1);
  const pl = pLos(p, d);
  let s = 0;
  if (pl > 0) s += pl * Math.pow(10, receivedPowerDbm(p, d, true, 0) / 10) * meanFactor(true);
  if (pl < 1) s += (1 - pl) * Math.pow(10, receivedPowerDbm(p, d, false, 0) / 10) * meanFactor(false);
  return s;
}

// ---------------------------------------------------------------- counter-based draws per link

const TWO32 = 4294967296;

/**
 * Uniform in [0, 1) for the directed link tx → rx at a tick: two chained counter-based hashes,
 * the first keyed on the sender only (`senderKey`, which hot loops compute once per sender).
 */
export function linkUniform(seed: number, tick: number, txId: number, rxId: number, purpose: number): number {
  return rand(seed, senderKey(seed, tick, txId, purpose), rxId, purpose);
}

/** The first half of linkUniform: a 32-bit key of (tick, sender, purpose). */
export function senderKey(seed: number, tick: number, txId: number, purpose: number): number {
  return (rand(seed, tick, txId, purpose) * TWO32) | 0;
}

/** A 32-bit key of the unordered pair {a, b}: the same whichever end transmits. */
export function pairKey(seed: number, a: number, b: number): number {
  return a < b ? (rand(seed, a, b, PURPOSE_V2X_PAIR) * TWO32) | 0 : (rand(seed, b, a, PURPOSE_V2X_PAIR) * TWO32) | 0;
}

/** LOS state of a link (urban, probabilistic): a draw keyed on the pair and the time bucket. */
export function linkIsLos(p: Gpp3Params, seed: number, key: number, timeS: number, d: number): boolean {
  const s = statesOf(p);
  if (!s.nlos) return true;
  if (!s.los) return false;
  const bucket = Math.floor(timeS / p.losBucketS);
  return rand(seed, bucket, key, PURPOSE_V2X_LOS) < losProbability(d);
}

/**
 * Shadowing of a link, dB: N(0, σ) keyed on the unordered pair, the LOS state and the square
 * (side = decorrelation distance, 10 m LOS / 13 m NLOS) that holds the link's midpoint.
 *
 * Approximation: TR 37.885 asks for shadowing correlated over distance with
 * exp(−Δ/d_corr) (Gudmundson). Here the value is piecewise constant: it stays the same while the
 * midpoint of the two ends stays in one square — for a few metres of joint motion, or for as long
 * as two vehicles travel together — and is redrawn independently in the next square. Reciprocal
 * (the same both ways) and independent of processing order; the correlation is a step, not an
 * exponential.
 */
export function linkShadowDb(seed: number, key: number, los: boolean, mx: number, my: number): number {
  const dc = decorrelationM(los);
  const bx = Math.floor(mx / dc) | 0;
  const by = Math.floor(my / dc) | 0;
  const z = randNormal(seed, bx, key ^ Math.imul(by, 0x9e3779b1), los ? PURPOSE_V2X_SHADOW_LOS : PURPOSE_V2X_SHADOW_NLOS);
  return shadowSigmaDb(los) * z;
}

/**
 * Latency of a delivered packet, ms: min + G·0.25·(expected − min) with G ~ Gamma(shape 2,
 * scale 2) (docs/v2x.md, Channel), sampled as the sum of two exponentials of mean 2 from two
 * counter-based uniforms of the directed link. E[G] = 4, so the mean latency is `expected`.
 */
export function linkDelayMs(minMs: number, expectedMs: number, seed: number, tick: number, txId: number, rxId: number): number {
  return delayFromKeys(minMs, expectedMs, seed, senderKey(seed, tick, txId, PURPOSE_V2X_DELAY_A), senderKey(seed, tick, txId, PURPOSE_V2X_DELAY_B), rxId);
}

/** linkDelayMs with the sender keys of the two delay purposes already computed. */
function delayFromKeys(minMs: number, expectedMs: number, seed: number, keyA: number, keyB: number, rxId: number): number {
  const u1 = rand(seed, keyA, rxId, PURPOSE_V2X_DELAY_A);
  const u2 = rand(seed, keyB, rxId, PURPOSE_V2X_DELAY_B);
  const g = -2 * (Math.log(1 - u1) + Math.log(1 - u2));
  return minMs + g * 0.25 * (expectedMs - minMs);
}

// ---------------------------------------------------------------- the batch API

/** Radio nodes: points with stable ids, and a GridIndex rebuilt over (x, y, count). */
export interface RadioNodes {
  x: Float64Array;
  y: Float64Array;
  /** stable entity ids (vehicle id, or an RSU id from a range of its own): keys of every draw */
  id: Int32Array;
  count: number;
  index: GridIndex;
}

/** Output records of a slot: one per (transmitter, node within maxRange other than itself). */
export class Receptions {
  capacity = 0;
  /** position of the transmitter in the slot's txNodes list */
  txSlot = new Int32Array(0);
  txNode = new Int32Array(0);
  rxNode = new Int32Array(0);
  /** m */
  distanceM = new Float64Array(0);
  /** 1 when received */
  delivered = new Uint8Array(0);
  /** ms, meaningful when delivered (0 otherwise) */
  latencyMs = new Float64Array(0);
  /** dB for 3gpp (−Infinity for a half-duplex receiver), NaN for the unit disk */
  sinrDb = new Float64Array(0);
  /** quantised received power (integer units of POWER_QUANTUM_MW), scratch of the 3gpp model */
  powerQ = new Float64Array(0);

  constructor(initialCapacity = 1024) {
    this.grow(Math.max(1, initialCapacity));
  }

  /** Makes room for at least n records, keeping the first `keep`. */
  ensure(n: number, keep: number): void {
    if (n > this.capacity) this.grow(Math.max(n, 2 * this.capacity), keep);
  }

  private grow(capacity: number, keep = 0): void {
    const copy = <T extends Int32Array | Float64Array | Uint8Array>(old: T, fresh: T): T => {
      fresh.set(old.subarray(0, keep));
      return fresh;
    };
    this.txSlot = copy(this.txSlot, new Int32Array(capacity));
    this.txNode = copy(this.txNode, new Int32Array(capacity));
    this.rxNode = copy(this.rxNode, new Int32Array(capacity));
    this.distanceM = copy(this.distanceM, new Float64Array(capacity));
    this.delivered = copy(this.delivered, new Uint8Array(capacity));
    this.latencyMs = copy(this.latencyMs, new Float64Array(capacity));
    this.sinrDb = copy(this.sinrDb, new Float64Array(capacity));
    this.powerQ = copy(this.powerQ, new Float64Array(capacity));
    this.capacity = capacity;
  }
}

/** Per-node scratch of the batch (reused across slots; grows with the node count). */
export class ChannelWork {
  neighbours = new Int32Array(0);
  /** slot stamp of the nodes transmitting in the current slot (half-duplex) */
  txStamp = new Int32Array(0);
  /** slot stamp saying interferenceQ of a node belongs to the current slot */
  sumStamp = new Int32Array(0);
  /** total received power of the slot's transmitters at each node, integer quanta */
  interferenceQ = new Float64Array(0);
  stamp = 0;

  ensure(nodes: number): void {
    if (nodes <= this.txStamp.length && nodes <= this.neighbours.length) return;
    const n = Math.max(nodes, 2 * this.txStamp.length, 16);
    this.neighbours = new Int32Array(n);
    this.txStamp = new Int32Array(n);
    this.sumStamp = new Int32Array(n);
    this.interferenceQ = new Float64Array(n);
    this.stamp = 0;
  }

  nextStamp(): number {
    this.stamp = (this.stamp + 1) | 0;
    if (this.stamp === 0) {
      this.txStamp.fill(0);
      this.sumStamp.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }
}

/**
 * A channel ready for use: the parameters and what follows from them, computed once (ranges by
 * bisection, noise), so that a slot does no set-up work. Make a new one when parameters change.
 */
export interface PreparedChannel {
  params: ChannelParams;
  /** intended receivers and the spatial index's natural cell size, m */
  decodeRangeM: number;
  /** transmitters farther than this from a node do not count in its interference, m */
  interferenceRangeM: number;
  /** 3gpp: noise power, mW (0 for the unit disk) */
  noiseMw: number;
  /** 3gpp: 10^(threshold/10) (0 for the unit disk) */
  thresholdLinear: number;
  /**
   * 3gpp: mean received power (integer quanta) of a transmitter at distance decodeRangeM + k +
   * 0.5 m, for distances from decodeRangeM to interferenceRangeM in 1 m steps — what an
   * interferer beyond the decode range adds (see gpp3Slot)
   */
  farMeanQ: Float64Array;
  /**
   * 3gpp link budget as received power (mW) = exp(c · (eirp − a0 + shadow)) · d^(−b/10):
   * constants per state [LOS, NLOS], from pathlossDb's formulas (c = ln10/10)
   */
  budgetA: Float64Array;
  budgetB: Float64Array;
}

export function prepareChannel(params: ChannelParams): PreparedChannel {
  if (params.kind === 'unitDisk') {
    if (!(params.rangeM > 0)) throw new Error(`unitDisk: rangeM must be > 0, got ${params.rangeM}`);
    if (!(params.lossProbability >= 0 && params.lossProbability <= 1)) throw new Error(`unitDisk: lossProbability must be in [0, 1], got ${params.lossProbability}`);
    if (!(params.delayExpectedMs >= params.delayMinMs && params.delayMinMs >= 0)) throw new Error('unitDisk: need 0 <= delayMinMs <= delayExpectedMs');
    return { params, decodeRangeM: params.rangeM, interferenceRangeM: params.rangeM, noiseMw: 0, thresholdLinear: 0, farMeanQ: new Float64Array(0), budgetA: new Float64Array(2), budgetB: new Float64Array(2) };
  }
  if (!(params.minDistanceM > 0 && params.rangeCapM > params.minDistanceM)) throw new Error('3gpp: need 0 < minDistanceM < rangeCapM');
  if (!(params.losBucketS > 0)) throw new Error('3gpp: losBucketS must be > 0');
  if (!(params.delayExpectedMs >= params.delayMinMs && params.delayMinMs >= 0)) throw new Error('3gpp: need 0 <= delayMinMs <= delayExpectedMs');
  const decodeRangeM = maxRange(params);
  const interferenceRangeM = interferenceRange(params);
  const farMeanQ = new Float64Array(Math.ceil(interferenceRangeM - decodeRangeM) + 1);
  for (let k = 0; k < farMeanQ.length; k++) farMeanQ[k] = Math.round(meanReceivedMw(params, decodeRangeM + k + 0.5) / POWER_QUANTUM_MW);
  // pathlossDb(d) = a0 + b·log10(d): a0 at d = 1 m, b from the difference at 10 m
  const eirp = params.txPowerDbm + 2 * params.antennaGainDbi;
  const budgetA = new Float64Array(2);
  const budgetB = new Float64Array(2);
  for (const [k, los] of [[0, true], [1, false]] as const) {
    const unclamped: Gpp3Params = { ...params, minDistanceM: 0 };
    const a0 = pathlossDb(unclamped, 1, los);
    budgetA[k] = eirp - a0;
    budgetB[k] = (pathlossDb(unclamped, 10, los) - a0) / 10;
  }
  return {
    params,
    decodeRangeM,
    interferenceRangeM,
    budgetA,
    budgetB,
    noiseMw: Math.pow(10, noiseDbm(params) / 10),
    thresholdLinear: Math.pow(10, params.sinrThresholdDb / 10),
    farMeanQ,
  };
}

/** 1e-15 mW (−150 dBm): the unit in which received powers are summed exactly. */
export const POWER_QUANTUM_MW = 1e-15;

/** dB → natural-log factor: 10^(x/10) = exp(x · DB_TO_LN). */
const DB_TO_LN = Math.LN10 / 10;

/**
 * Runs one slot: transmitters `txNodes[0..txCount)` (node indices, each at most once) send one
 * packet each; writes a record per (transmitter, other node within maxRange) into `out` and
 * returns the number of records. `seed` is the scenario seed, `tick` the tick number (keys of the
 * per-packet draws), `timeS` the simulated time (LOS time buckets).
 */
export function receiveSlot(
  channel: PreparedChannel,
  nodes: RadioNodes,
  seed: number,
  tick: number,
  timeS: number,
  txNodes: Int32Array,
  txCount: number,
  work: ChannelWork,
  out: Receptions,
): number {
  work.ensure(nodes.count);
  const p = channel.params;
  return p.kind === 'unitDisk'
    ? unitDiskSlot(p, nodes, seed, tick, txNodes, txCount, work, out)
    : gpp3Slot(channel, p, nodes, seed, tick, timeS, txNodes, txCount, work, out);
}

function unitDiskSlot(p: UnitDiskParams, nodes: RadioNodes, seed: number, tick: number, txNodes: Int32Array, txCount: number, work: ChannelWork, out: Receptions): number {
  const { x, y, id, index } = nodes;
  const range = p.rangeM;
  let n = 0;
  for (let k = 0; k < txCount; k++) {
    const t = txNodes[k];
    const tx = x[t];
    const ty = y[t];
    const tid = id[t];
    const lossKey = senderKey(seed, tick, tid, PURPOSE_V2X_LOSS);
    const delayKeyA = senderKey(seed, tick, tid, PURPOSE_V2X_DELAY_A);
    const delayKeyB = senderKey(seed, tick, tid, PURPOSE_V2X_DELAY_B);
    const found = index.queryRadius(tx, ty, range, work.neighbours);
    out.ensure(n + found, n);
    for (let j = 0; j < found; j++) {
      const r = work.neighbours[j];
      if (r === t) continue;
      const dx = x[r] - tx;
      const dy = y[r] - ty;
      const rid = id[r];
      const ok = rand(seed, lossKey, rid, PURPOSE_V2X_LOSS) >= p.lossProbability;
      out.txSlot[n] = k;
      out.txNode[n] = t;
      out.rxNode[n] = r;
      out.distanceM[n] = Math.sqrt(dx * dx + dy * dy);
      out.delivered[n] = ok ? 1 : 0;
      out.latencyMs[n] = ok ? delayFromKeys(p.delayMinMs, p.delayExpectedMs, seed, delayKeyA, delayKeyB, rid) : 0;
      out.sinrDb[n] = NaN;
      n++;
    }
  }
  return n;
}

/**
 * Two passes. (1) For each transmitter, every node within the interference range gets the
 * transmitter's received power added to its total (integer quanta), and the nodes within
 * maxRange become candidate records with that power. (2) Each candidate is decided on
 * SINR = S / (N + total − S) against the threshold; a node transmitting in the slot receives
 * nothing (half-duplex). Pass 1 costs O(transmitters × nodes within the interference range).
 *
 * Interferers beyond the decode range add their *mean* received power (LOS-probability weighted,
 * with the log-normal mean; a 1 m distance table) instead of a drawn LOS state and shadowing:
 * there every single one is far below the noise + threshold level (decoded with probability
 * < 1e-3 even alone), they matter only as an aggregate of many, and the mean of the aggregate is
 * exact — what is lost is its fluctuation. It makes a far pair cost a table read instead of
 * four counter-based hashes and a logarithm (about 4× faster slots in the 2,000-transmitter
 * benchmark). Pairs within the decode range, which decide deliveries, use the full draws.
 */
function gpp3Slot(ch: PreparedChannel, p: Gpp3Params, nodes: RadioNodes, seed: number, tick: number, timeS: number, txNodes: Int32Array, txCount: number, work: ChannelWork, out: Receptions): number {
  const { x, y, id, index } = nodes;
  const decodeRange = ch.decodeRangeM;
  const interfRange = ch.interferenceRangeM;
  const noiseMw = ch.noiseMw;
  const thresholdLinear = ch.thresholdLinear;
  const { farMeanQ, budgetA, budgetB } = ch;
  const minDistance = p.minDistanceM;
  const stamp = work.nextStamp();
  const { txStamp, sumStamp, interferenceQ, neighbours } = work;
  for (let k = 0; k < txCount; k++) txStamp[txNodes[k]] = stamp;

  let n = 0;
  for (let k = 0; k < txCount; k++) {
    const t = txNodes[k];
    const tx = x[t];
    const ty = y[t];
    const tid = id[t];
    const found = index.queryRadius(tx, ty, interfRange, neighbours);
    out.ensure(n + found, n);
    for (let j = 0; j < found; j++) {
      const r = neighbours[j];
      if (r === t) continue;
      const rx = x[r];
      const ry = y[r];
      const dx = rx - tx;
      const dy = ry - ty;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d > decodeRange) {
        let k = Math.floor(d - decodeRange);
        if (k >= farMeanQ.length) k = farMeanQ.length - 1;
        if (sumStamp[r] !== stamp) {
          sumStamp[r] = stamp;
          interferenceQ[r] = farMeanQ[k];
        } else interferenceQ[r] += farMeanQ[k];
        continue;
      }
      const key = pairKey(seed, tid, id[r]);
      const los = linkIsLos(p, seed, key, timeS, d);
      const shadow = p.shadowing ? linkShadowDb(seed, key, los, 0.5 * (tx + rx), 0.5 * (ty + ry)) : 0;
      const st = los ? 0 : 1;
      const dc = d > minDistance ? d : minDistance;
      const q = Math.round(Math.exp(DB_TO_LN * (budgetA[st] + shadow) - budgetB[st] * Math.log(dc)) / POWER_QUANTUM_MW);
      if (sumStamp[r] !== stamp) {
        sumStamp[r] = stamp;
        interferenceQ[r] = q;
      } else interferenceQ[r] += q;
      out.txSlot[n] = k;
      out.txNode[n] = t;
      out.rxNode[n] = r;
      out.distanceM[n] = d;
      out.powerQ[n] = q;
      n++;
    }
  }

  let keyTx = -1;
  let delayKeyA = 0;
  let delayKeyB = 0;
  for (let j = 0; j < n; j++) {
    const r = out.rxNode[j];
    if (txStamp[r] === stamp) {
      // half-duplex: the receiver is sending in this slot
      out.delivered[j] = 0;
      out.latencyMs[j] = 0;
      out.sinrDb[j] = -Infinity;
      continue;
    }
    const s = out.powerQ[j];
    const sinr = (s * POWER_QUANTUM_MW) / (noiseMw + (interferenceQ[r] - s) * POWER_QUANTUM_MW);
    const ok = sinr >= thresholdLinear;
    out.delivered[j] = ok ? 1 : 0;
    out.sinrDb[j] = 10 * Math.log10(sinr);
    if (ok && out.txNode[j] !== keyTx) {
      // records come grouped by sender: its delay keys are computed once
      keyTx = out.txNode[j];
      delayKeyA = senderKey(seed, tick, id[keyTx], PURPOSE_V2X_DELAY_A);
      delayKeyB = senderKey(seed, tick, id[keyTx], PURPOSE_V2X_DELAY_B);
    }
    out.latencyMs[j] = ok ? delayFromKeys(p.delayMinMs, p.delayExpectedMs, seed, delayKeyA, delayKeyB, id[r]) : 0;
  }
  return n;
}
