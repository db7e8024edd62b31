/**
 * Sidewalk robots (docs/logistics.md: ~15 km/h, ~30 parcels, ~5 km service radius): one slot per
 * robot, typed arrays, a walk of up to MAX_ROBOT_POINTS points per trip (sidewalks.ts). A
 * battery gives each a range (schema: robot.range); a trip starts only if it fits the range
 * left, and one that does not sends the robot to charge at its hub first (the dispatcher). A robot
 * walks at its speed, stops at each hand-over point for `handover` seconds, and waits at a gate
 * (a crossing at a signalised junction) until its pedestrian phase: every signalised stream at
 * that junction whose approach cuts across the crossing (more than ~45° from its direction) shows
 * red. Streams parallel to it may be green, as with a real concurrent walk phase; their turning
 * drivers yield to pedestrians, which the traffic engine does not model.
 */
import type { Network } from '../road/network.js';
import { SIG_RED } from '../road/signals.js';
import { endHeading } from '../road/geometry.js';
import { SnapshotError, type SnapshotReader, type SnapshotWriter } from '../core/snapshot.js';
import { readArrays, readExact, sameCount, writeArrays, type Typed } from './persist.js';
import { SharedArrays } from '../core/shared-arrays.js';

export const R_IDLE = 0;
export const R_WALK = 1;
export const R_HANDOVER = 2;
export const R_WAIT = 3;
/** at the hub, charging until chargeUntil (not away: not traced, not counted out) */
export const R_CHARGING = 4;

export const MAX_ROBOT_POINTS = 1024;
/** a stream cuts across a crossing when |sin| of the angle between them is above this (≈ 45°) */
const CROSSING_SIN = 0.7;

export interface RobotListener {
  delivered(robot: number, order: number, time: number): void;
  /** back at the hub */
  returned(robot: number, time: number): void;
}

export class RobotFleet {
  readonly count: number;
  readonly hub: Int32Array;
  readonly state: Uint8Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly heading: Float64Array;
  readonly moving: Uint8Array;
  /** 1 while on a crossing at a signalised junction */
  readonly crossing: Uint8Array;
  readonly seg: Int32Array;
  readonly along: Float64Array;
  readonly left: Float64Array;
  readonly n: Int32Array;
  readonly px: Float64Array;
  readonly py: Float64Array;
  readonly cum: Float64Array;
  readonly gateNode: Int32Array;
  readonly gateHeading: Float64Array;
  /** order handed over at each point (−1: none) */
  readonly drop: Int32Array;
  readonly walked: Float64Array;
  readonly busy: Float64Array;
  readonly waited: Float64Array;
  /** battery: distance it can still walk, m, and when a charge under way ends, s */
  readonly rangeLeft: Float64Array;
  readonly chargeUntil: Float64Array;
  /** approach heading of every connection (the end of its incoming edge) */
  private readonly connHeading: Float64Array;
  /** every per-robot and per-point array, in shared memory (worker threads advance robots in place) */
  readonly arrays: SharedArrays;

  constructor(
    private readonly net: Network,
    hubs: { x: number; y: number; robots: number }[],
    readonly speed: number,
    readonly handover: number,
    readonly range: number,
    /** another thread's robots (a worker's view of the same fleet) */
    shared?: Record<string, SharedArrayBuffer>,
  ) {
    const a = (this.arrays = new SharedArrays(shared));
    const owners: number[] = [];
    hubs.forEach((h, i) => {
      for (let k = 0; k < h.robots; k++) owners.push(i);
    });
    const n = (this.count = owners.length);
    this.hub = a.i32('hub', n);
    this.state = a.u8('state', n);
    this.x = a.f64('x', n);
    this.y = a.f64('y', n);
    if (!a.isView)
      owners.forEach((h, k) => {
        this.hub[k] = h;
        this.x[k] = hubs[h].x;
        this.y[k] = hubs[h].y;
      });
    this.heading = a.f64('heading', n);
    this.moving = a.u8('moving', n);
    this.crossing = a.u8('crossing', n);
    this.seg = a.i32('seg', n);
    this.along = a.f64('along', n);
    this.left = a.f64('left', n);
    this.n = a.i32('n', n);
    const m = n * MAX_ROBOT_POINTS;
    this.px = a.f64('px', m);
    this.py = a.f64('py', m);
    this.cum = a.f64('cum', m);
    this.gateNode = a.i32('gateNode', m, -1);
    this.gateHeading = a.f64('gateHeading', m);
    this.drop = a.i32('drop', m, -1);
    this.walked = a.f64('walked', n);
    this.busy = a.f64('busy', n);
    this.waited = a.f64('waited', n);
    this.rangeLeft = a.f64('rangeLeft', n, range);
    this.chargeUntil = a.f64('chargeUntil', n);
    this.connHeading = new Float64Array(net.connCount);
    for (let c = 0; c < net.connCount; c++) this.connHeading[c] = endHeading(net.laneShape[net.connFromLane[c]]);
  }

  /** The first robot of a hub ready to go at `time` (one whose charge is done is full again), or −1. */
  idleRobot(hub: number, time: number): number {
    for (let k = 0; k < this.count; k++) {
      if (this.hub[k] !== hub) continue;
      if (this.state[k] === R_CHARGING && time >= this.chargeUntil[k]) {
        this.state[k] = R_IDLE;
        this.rangeLeft[k] = this.range;
      }
      if (this.state[k] === R_IDLE) return k;
    }
    return -1;
  }

  /** Robot k, idle at its hub, charges until `until`, s. */
  charge(k: number, until: number): void {
    this.state[k] = R_CHARGING;
    this.chargeUntil[k] = until;
  }

  /**
   * Starts robot k on a trip: `points` ([x, y] pairs with gates) and, per point, the order handed
   * over there. Returns false when the trip has more points than a robot holds.
   */
  start(k: number, xs: number[], ys: number[], gateNode: number[], gateHeading: number[], drops: number[]): boolean {
    const len = xs.length;
    if (len > MAX_ROBOT_POINTS || len < 2) return false;
    const o = k * MAX_ROBOT_POINTS;
    let c = 0;
    for (let i = 0; i < len; i++) {
      if (i > 0) c += Math.hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]);
      this.px[o + i] = xs[i];
      this.py[o + i] = ys[i];
      this.cum[o + i] = c;
      this.gateNode[o + i] = gateNode[i];
      this.gateHeading[o + i] = gateHeading[i];
      this.drop[o + i] = drops[i];
    }
    this.n[k] = len;
    this.seg[k] = 0;
    this.along[k] = 0;
    this.state[k] = R_WALK;
    return true;
  }

  /** Whether the pedestrian phase of a crossing at `node` heading `h` is on: every stream cutting across it is red. */
  walkPhase(node: number, h: number, connState: Uint8Array): boolean {
    const conns = this.net.nodeConns[node];
    for (let q = 0; q < conns.length; q++) {
      const c = conns[q];
      if (Math.abs(Math.sin(this.connHeading[c] - h)) > CROSSING_SIN && connState[c] !== SIG_RED) return false;
    }
    return true;
  }

  step(time: number, dt: number, connState: Uint8Array, listener: RobotListener): void {
    this.advanceRange(0, this.count, time, dt, connState, listener);
  }

  /**
   * Advances robots k0..k1 − 1 by dt from `time`. A robot's walk reads and writes only its own
   * arrays (and the signals), so ranges can run on different threads; what they tell the
   * listener is replayed in robot order (parallel.ts).
   */
  advanceRange(k0: number, k1: number, time: number, dt: number, connState: Uint8Array, listener: RobotListener): void {
    for (let k = k0; k < k1; k++) {
      if (this.state[k] === R_IDLE) continue;
      // a robot charging is not available: busy, though it stays at the hub
      this.busy[k] += dt;
      if (this.state[k] === R_CHARGING) continue;
      this.advance(k, time, dt, connState, listener);
    }
  }

  private advance(k: number, time: number, dt: number, connState: Uint8Array, listener: RobotListener): void {
    const o = k * MAX_ROBOT_POINTS;
    let t = dt;
    this.moving[k] = 0;
    while (t > 1e-12) {
      const st = this.state[k];
      if (st === R_IDLE) break;
      if (st === R_HANDOVER) {
        const u = t < this.left[k] ? t : this.left[k];
        this.left[k] -= u;
        t -= u;
        if (this.left[k] > 1e-12) break;
        const p = o + this.seg[k];
        listener.delivered(k, this.drop[p], time + dt - t);
        this.drop[p] = -1;
        this.state[k] = R_WALK;
        continue;
      }
      const i = this.seg[k];
      // at point i: a hand-over, a gate, or the end
      if (this.along[k] === this.cum[o + i]) {
        if (this.drop[o + i] >= 0 && st === R_WALK) {
          this.state[k] = R_HANDOVER;
          this.left[k] = this.handover;
          continue;
        }
        if (i === this.n[k] - 1) {
          this.state[k] = R_IDLE;
          this.crossing[k] = 0;
          // the trip walked its whole length (start() checked it against the range left)
          this.rangeLeft[k] -= this.cum[o + i];
          listener.returned(k, time + dt - t);
          break;
        }
        if (this.gateNode[o + i] >= 0) {
          if (!this.walkPhase(this.gateNode[o + i], this.gateHeading[o + i], connState)) {
            this.state[k] = R_WAIT;
            this.waited[k] += t;
            break;
          }
          this.crossing[k] = 1;
        } else this.crossing[k] = 0;
        this.state[k] = R_WALK;
      }
      const end = this.cum[o + i + 1];
      const need = (end - this.along[k]) / this.speed;
      const u = t < need ? t : need;
      t -= u;
      this.moving[k] = 1;
      // (a zero-length step between two hand-overs at one point keeps the heading)
      if (end > this.cum[o + i]) this.heading[k] = Math.atan2(this.py[o + i + 1] - this.py[o + i], this.px[o + i + 1] - this.px[o + i]);
      if (u < need) {
        this.along[k] += this.speed * u;
        this.walked[k] += this.speed * u;
      } else {
        this.walked[k] += end - this.along[k];
        this.along[k] = end;
        this.seg[k] = i + 1;
        this.crossing[k] = 0;
      }
    }
    this.place(k);
  }

  private place(k: number): void {
    const o = k * MAX_ROBOT_POINTS;
    const i = this.seg[k];
    if (i >= this.n[k] - 1) {
      this.x[k] = this.px[o + this.n[k] - 1];
      this.y[k] = this.py[o + this.n[k] - 1];
      return;
    }
    const len = this.cum[o + i + 1] - this.cum[o + i];
    const f = len > 0 ? (this.along[k] - this.cum[o + i]) / len : 0;
    this.x[k] = this.px[o + i] + (this.px[o + i + 1] - this.px[o + i]) * f;
    this.y[k] = this.py[o + i] + (this.py[o + i + 1] - this.py[o + i]) * f;
  }

  /** Every per-robot array that changes during a run. */
  private mutable(): Record<string, Typed> {
    const { state, x, y, heading, moving, crossing, seg, along, left, n, walked, busy, waited, rangeLeft, chargeUntil } = this;
    return { state, x, y, heading, moving, crossing, seg, along, left, n, walked, busy, waited, rangeLeft, chargeUntil };
  }

  /** The per-point arrays of the walks (MAX_ROBOT_POINTS slots per robot, the first n[k] in use). */
  private walks(): Record<string, Typed> {
    const { px, py, cum, gateNode, gateHeading, drop } = this;
    return { px, py, cum, gateNode, gateHeading, drop };
  }

  /**
   * Checkpoints: every robot's state and totals, and of its walk the n[k] points in use (a trip
   * writes its points from the first on and reads none beyond its length, so the rest is not state).
   */
  snapshot(w: SnapshotWriter): void {
    w.json('robots.meta', { count: this.count, points: MAX_ROBOT_POINTS });
    writeArrays(w, 'robots', this.mutable());
    let total = 0;
    for (let k = 0; k < this.count; k++) total += this.n[k];
    for (const [name, a] of Object.entries(this.walks())) {
      const packed = new (a.constructor as { new (n: number): Typed })(total);
      let at = 0;
      for (let k = 0; k < this.count; k++) {
        packed.set(a.subarray(k * MAX_ROBOT_POINTS, k * MAX_ROBOT_POINTS + this.n[k]), at);
        at += this.n[k];
      }
      w.typed(`robots.walk.${name}`, packed);
    }
  }

  restore(r: SnapshotReader): void {
    const m = r.json<{ count: number; points: number }>('robots.meta');
    sameCount('robots', m.count, this.count);
    sameCount('walk points per robot', m.points, MAX_ROBOT_POINTS);
    readArrays(r, 'robots', this.mutable());
    let total = 0;
    for (let k = 0; k < this.count; k++) {
      if (!(this.n[k] >= 0 && this.n[k] <= MAX_ROBOT_POINTS)) throw new SnapshotError(`robot ${k}: a walk of ${this.n[k]} points (at most ${MAX_ROBOT_POINTS})`);
      total += this.n[k];
    }
    for (const [name, a] of Object.entries(this.walks())) {
      const packed = new (a.constructor as { new (n: number): Typed })(total);
      readExact(r, `robots.walk.${name}`, packed, total);
      let at = 0;
      for (let k = 0; k < this.count; k++) {
        a.set(packed.subarray(at, at + this.n[k]), k * MAX_ROBOT_POINTS);
        at += this.n[k];
      }
    }
  }

  /** Robots away from their hub (on a trip), now. */
  get out(): number {
    let n = 0;
    for (let k = 0; k < this.count; k++) if (this.state[k] !== R_IDLE && this.state[k] !== R_CHARGING) n++;
    return n;
  }
}
