/**
 * What one part of the move phase adds to the figures per place (places.ts) while it moves its
 * range of vehicles: the vehicle-seconds, distance, waiting and lost time and covered length of
 * each lane, the vehicles that came onto and left each lane (over junctions, onto and off the road,
 * by lane changes), those that came to a halt on it, and the delay of each junction movement.
 *
 * Why in the move phase: there each vehicle's position, speed and lane are at hand, so the
 * figures cost a few additions per vehicle instead of a second pass over the whole state (which
 * cost a sixth of a 100,000-vehicle tick); and they are split across the threads with the moves.
 *
 * Why fixed point: a range of the lane order can end in the middle of a lane, so two parts add to
 * the same lane, and how the vehicles are split depends on the number of threads. Each part adds
 * into its own arrays, in whole units (1 µs, 0.1 mm, 0.1 mm·s), and the parts are summed when an
 * interval ends. Sums of whole numbers below 2⁵³ are exact in any order, so the figures are the
 * same bits for any number of threads. 2⁵³ units are 285 vehicle-years, 900,000 km, and a 1 km
 * lane fully covered for 28 years, per lane and interval: beyond any interval of a real run.
 */
import type { SimCtx } from './context.js';
import { desiredSpeed, zoneLimitAt } from './desired-speed.js';

/** s per unit of the time sums (sampled, waiting, timeLoss, delay) */
export const TIME_UNIT = 1e-6;
/** m per unit of the distance sums */
export const LENGTH_UNIT = 1e-4;
/** m·s per unit of the covered-length sums */
export const COVER_UNIT = 1e-4;

/** The shared memory of a tally's sums, by name (a worker thread's view of them). */
export type PlaceTallyBuffers = Record<string, SharedArrayBuffer>;

const floats = (n: number) => new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8));
const ints = (n: number) => new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4));

export class PlaceTally {
  // ---- per lane, in units
  readonly sampled: Float64Array;
  readonly distance: Float64Array;
  readonly waiting: Float64Array;
  readonly timeLoss: Float64Array;
  readonly covered: Float64Array;
  // ---- per lane, in vehicles: those that came onto it from another edge or onto the road, and
  // left it to another edge or off the road (an edge's counts are its lanes' sums); those that
  // changed onto it from a neighbour and off it to one (SUMO's laneChangedTo / laneChangedFrom);
  // and those that came to a halt on it
  readonly entered: Int32Array;
  readonly left: Int32Array;
  readonly changedTo: Int32Array;
  readonly changedFrom: Int32Array;
  readonly halts: Int32Array;
  // ---- per movement: vehicles that made it and their summed delay, in time units
  readonly moveCount: Int32Array;
  readonly delaySum: Float64Array;
  readonly ofConn: Int32Array;

  /** Empty accumulators for a network of `lanes` and the movements `ofConn` maps to; or (with `buffers`) a view of another thread's. */
  constructor(sizes: { lanes: number; movements: number; ofConn: Int32Array }, buffers?: PlaceTallyBuffers) {
    const { lanes, movements } = sizes;
    const f = (name: string, n: number) => (buffers ? new Float64Array(buffers[name]) : floats(n));
    const i = (name: string, n: number) => (buffers ? new Int32Array(buffers[name]) : ints(n));
    this.sampled = f('sampled', lanes);
    this.distance = f('distance', lanes);
    this.waiting = f('waiting', lanes);
    this.timeLoss = f('timeLoss', lanes);
    this.covered = f('covered', lanes);
    this.entered = i('laneEntered', lanes);
    this.left = i('laneLeft', lanes);
    this.changedTo = i('laneChangedTo', lanes);
    this.changedFrom = i('laneChangedFrom', lanes);
    this.halts = i('halts', lanes);
    this.moveCount = i('moveCount', movements);
    this.delaySum = f('delaySum', movements);
    this.ofConn = i('ofConn', sizes.ofConn.length);
    if (!buffers) this.ofConn.set(sizes.ofConn);
  }

  /** A view of another thread's accumulators. */
  static fromBuffers(b: PlaceTallyBuffers): PlaceTally {
    return new PlaceTally({ lanes: 0, movements: 0, ofConn: new Int32Array(0) }, b);
  }

  buffers(): PlaceTallyBuffers {
    const out: PlaceTallyBuffers = { ofConn: this.ofConn.buffer as SharedArrayBuffer };
    for (const [name, a] of this.sums()) out[name] = a.buffer as SharedArrayBuffer;
    return out;
  }

  /**
   * The sums by name, in one fixed order (folding, clearing, checkpoints, the threads' views).
   * The per-lane counts are named for lanes: a checkpoint from before, which held them per edge
   * under `entered` and `left`, is refused by name rather than read into the wrong cells.
   */
  sums(): [string, Float64Array | Int32Array][] {
    return [
      ['sampled', this.sampled],
      ['distance', this.distance],
      ['waiting', this.waiting],
      ['timeLoss', this.timeLoss],
      ['covered', this.covered],
      ['laneEntered', this.entered],
      ['laneLeft', this.left],
      ['laneChangedTo', this.changedTo],
      ['laneChangedFrom', this.changedFrom],
      ['halts', this.halts],
      ['moveCount', this.moveCount],
      ['delaySum', this.delaySum],
    ];
  }

  /** Adds another part's sums to these (whole units: exact in any order). */
  addFrom(other: PlaceTally): void {
    const theirs = other.sums();
    this.sums().forEach(([, a], k) => {
      const b = theirs[k][1];
      for (let q = 0; q < a.length; q++) a[q] += b[q];
    });
  }

  /** Zeroes every sum (an interval has ended and its figures were taken). */
  clear(): void {
    for (const [, a] of this.sums()) a.fill(0);
  }
}

/**
 * `tau` seconds of vehicle i's tick on `lane`, driving `dist` metres in them at `v` (its speed at
 * the tick's end), `at` metres along the lane; adds the time it lost against its free speed there
 * to its `edgeLoss` (the delay of the movement it makes at the edge's end). Time lost as SUMO's
 * edgeData counts it: τ · (1 − v / vmax), vmax the lane's limit (or a speed-limit zone's) times
 * the driver's factor, capped by the type's top speed; nothing while dwelling at a stop.
 */
export function tallyPart(t: PlaceTally, c: SimCtx, i: number, lane: number, tau: number, dist: number, v: number, at: number, dwelling: boolean): void {
  const tauU = Math.round(tau / TIME_UNIT);
  t.sampled[lane] += tauU;
  t.distance[lane] += Math.round(dist / LENGTH_UNIT);
  if (v < 0.1) t.waiting[lane] += tauU;
  if (dwelling) return;
  const s = c.v;
  const zone = c.roadEventsInForce ? zoneLimitAt(c.laneEvents, lane, at) : Infinity;
  const vmax = desiredSpeed(c.laneSpeed[lane], s.speedFactor[i], c.tVmax[s.type[i]], Infinity, zone);
  if (v >= vmax) return;
  const loss = (tau * (vmax - v)) / vmax;
  t.timeLoss[lane] += Math.round(loss / TIME_UNIT);
  s.edgeLoss[i] += loss;
}

/** Vehicle i left its edge through connection `conn`: the lanes' counts, and its time lost on the edge is the movement's delay. */
export function tallyCross(t: PlaceTally, c: SimCtx, i: number, conn: number): void {
  t.left[c.connFromLane[conn]]++;
  t.entered[c.connToLane[conn]]++;
  const m = t.ofConn[conn];
  const s = c.v;
  if (m >= 0) {
    t.moveCount[m]++;
    t.delaySum[m] += Math.round(s.edgeLoss[i] / TIME_UNIT);
  }
  s.edgeLoss[i] = 0;
}

/**
 * The lane length vehicle i's body covers at the tick's end, for `dt`: on its lane, and the rear
 * still on the lane it came from.
 */
export function tallyCover(t: PlaceTally, c: SimCtx, i: number, lane: number, x: number): void {
  const s = c.v;
  const rear = x - c.tLen[s.type[i]];
  const L = c.laneLength[lane];
  const front = x < L ? x : L;
  const dt = c.dt;
  if (front > rear && front > 0) t.covered[lane] += Math.round((dt * (front - (rear > 0 ? rear : 0))) / COVER_UNIT);
  if (rear < 0) {
    const pc = s.prevConn[i];
    if (pc >= 0 && c.connToLane[pc] === lane) {
      const prev = c.connFromLane[pc];
      const Lp = c.laneLength[prev];
      const back = -rear < Lp ? -rear : Lp;
      t.covered[prev] += Math.round((dt * back) / COVER_UNIT);
    }
  }
}
