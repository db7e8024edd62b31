/**
 * Figures per place and interval (edges.csv and junctions.csv, docs/run-directory.md): for every
 * edge the vehicle-seconds on it, the vehicles that entered and left, the distance driven, the
 * waiting time and the time lost against the free speed, the covered lane length; for every
 * junction movement (junction, from edge, to edge) the vehicles that made it, their control delay
 * and the queue on the lanes that serve it. As SUMO's edgeData, queue output and the HCM's
 * movement figures (Highway Capacity Manual, 6th ed., 2016, ch. 19 and 20).
 *
 * Accumulated once a tick in the `record` phase (tick.ts), in the main thread, with plain loops
 * over the vehicles in lane order (and the leaving vehicles in id order, during `finish`): every
 * sum is taken in a fixed order, so the figures are the same bits for any number of threads. All
 * arrays are sized when the network is loaded (per lane, edge and movement) or grow with the
 * vehicle state (per slot); nothing is allocated per vehicle or tick.
 *
 * A tick counts for the state at its end: the vehicle's speed then, and the distance it moved in
 * it (`lastDx`). A vehicle that crossed into a new lane in the tick has that tick split between
 * the two lanes by distance, and one that arrived has the part up to its arrival counted. A
 * vehicle inserted at the end of a tick enters (and counts) with the next tick: one inserted at
 * 300 s belongs to the interval that starts then.
 */
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { F_DWELL, type VehicleState } from '../core/state.js';
import type { Network } from '../road/network.js';
import type { SimCtx } from './context.js';
import { desiredSpeed, zoneLimitAt } from './desired-speed.js';
import { HALT_SPEED } from './kinematics.js';

/**
 * The largest gap, m, between the stop line and the first vehicle of a queue and between two
 * vehicles of a queue: SUMO's jam distance (E2 detectors' jamDistThreshold, 10 m).
 */
export const QUEUE_GAP = 10;

/** The network's movements: one per (from edge, to edge) pair that a connection joins. */
export interface Movements {
  count: number;
  /** junction (node), incoming and outgoing edge of each movement */
  node: Int32Array;
  from: Int32Array;
  to: Int32Array;
  /** CSR: the lanes of `from` with a connection to `to` (ascending) */
  laneStart: Int32Array;
  lanes: Int32Array;
  /** the movement of each connection */
  ofConn: Int32Array;
}

/** The movements of a network, ordered by junction, then incoming edge, then outgoing edge (network order). */
export function buildMovements(net: Pick<Network, 'connCount' | 'connFromEdge' | 'connToEdge' | 'connFromLane' | 'connNode' | 'edgeIds'>): Movements {
  const nE = net.edgeIds.length;
  const byKey = new Map<number, { node: number; from: number; to: number; lanes: Set<number>; conns: number[] }>();
  for (let c = 0; c < net.connCount; c++) {
    const key = net.connFromEdge[c] * nE + net.connToEdge[c];
    let m = byKey.get(key);
    if (!m) byKey.set(key, (m = { node: net.connNode[c], from: net.connFromEdge[c], to: net.connToEdge[c], lanes: new Set(), conns: [] }));
    m.lanes.add(net.connFromLane[c]);
    m.conns.push(c);
  }
  const list = [...byKey.values()].sort((a, b) => a.node - b.node || a.from - b.from || a.to - b.to);
  const n = list.length;
  const laneStart = new Int32Array(n + 1);
  const lanes: number[] = [];
  const ofConn = new Int32Array(net.connCount).fill(-1);
  list.forEach((m, k) => {
    lanes.push(...[...m.lanes].sort((a, b) => a - b));
    laneStart[k + 1] = lanes.length;
    for (const c of m.conns) ofConn[c] = k;
  });
  return {
    count: n,
    node: Int32Array.from(list, (m) => m.node),
    from: Int32Array.from(list, (m) => m.from),
    to: Int32Array.from(list, (m) => m.to),
    laneStart,
    lanes: Int32Array.from(lanes),
    ofConn,
  };
}

type PlaceNet = Pick<
  Network,
  'edgeIds' | 'edgeFirstLane' | 'edgeLanes' | 'edgeLength' | 'laneCount' | 'laneEdge' | 'laneLength' | 'laneSpeed' | 'connCount' | 'connFromEdge' | 'connToEdge' | 'connFromLane' | 'connToLane' | 'connNode'
>;

export class PlaceStats {
  readonly movements: Movements;
  /** start of the interval under way, s */
  private readonly beginAt = new Float64Array(1);

  // ---- per lane, over the interval
  /** vehicle-seconds (veh·s) */
  readonly sampled: Float64Array;
  /** distance driven, m */
  readonly distance: Float64Array;
  /** vehicle-seconds below the halting speed (veh·s) */
  readonly waiting: Float64Array;
  /** vehicle-seconds lost against the free speed (veh·s) */
  readonly timeLoss: Float64Array;
  /** lane length covered by vehicle bodies, integrated over time (m·s) */
  readonly covered: Float64Array;

  // ---- per edge, over the interval
  readonly entered: Int32Array;
  readonly left: Int32Array;

  // ---- per movement, over the interval
  readonly moveCount: Int32Array;
  /** the summed control delay of the vehicles counted (s) */
  readonly delaySum: Float64Array;
  /** queued vehicles integrated over time (veh·s) */
  readonly queueSum: Float64Array;
  /** largest queue (veh) and its largest length (m) */
  readonly queueMax: Float64Array;
  readonly queueLengthMax: Float64Array;

  // ---- scratch, per lane, for the tick
  private readonly laneQueue: Int32Array;
  private readonly laneQueueLength: Float64Array;

  // ---- per vehicle slot (grow with the state)
  /** the id of the vehicle last seen in the slot (−1: none): a new id is a vehicle that entered */
  private seenId = new Int32Array(0);
  /** its lane at the last record */
  private lastLane = new Int32Array(0);
  /** the time it has lost on its current edge so far, s (the control delay of its next movement) */
  private edgeLoss = new Float64Array(0);

  /** (from · edges + to) → movement, for the rare tick in which a vehicle crosses two junctions */
  private readonly moveOfPair = new Map<number, number>();

  constructor(
    private readonly net: PlaceNet,
    /** s per interval */
    readonly interval: number,
  ) {
    const nL = net.laneCount;
    const nE = net.edgeIds.length;
    this.movements = buildMovements(net);
    const nM = this.movements.count;
    this.sampled = new Float64Array(nL);
    this.distance = new Float64Array(nL);
    this.waiting = new Float64Array(nL);
    this.timeLoss = new Float64Array(nL);
    this.covered = new Float64Array(nL);
    this.entered = new Int32Array(nE);
    this.left = new Int32Array(nE);
    this.moveCount = new Int32Array(nM);
    this.delaySum = new Float64Array(nM);
    this.queueSum = new Float64Array(nM);
    this.queueMax = new Float64Array(nM);
    this.queueLengthMax = new Float64Array(nM);
    this.laneQueue = new Int32Array(nL);
    this.laneQueueLength = new Float64Array(nL);
    for (let m = 0; m < nM; m++) this.moveOfPair.set(this.movements.from[m] * nE + this.movements.to[m], m);
  }

  /** Start of the interval under way, s. */
  get begin(): number {
    return this.beginAt[0];
  }

  /** Whether the interval under way ends with the tick that ended at `time`. */
  due(time: number): boolean {
    return time - this.beginAt[0] >= this.interval - 1e-9;
  }

  /** Starts the next interval at `time` (after its rows were written). */
  reset(time: number): void {
    this.beginAt[0] = time;
    this.sampled.fill(0);
    this.distance.fill(0);
    this.waiting.fill(0);
    this.timeLoss.fill(0);
    this.covered.fill(0);
    this.entered.fill(0);
    this.left.fill(0);
    this.moveCount.fill(0);
    this.delaySum.fill(0);
    this.queueSum.fill(0);
    this.queueMax.fill(0);
    this.queueLengthMax.fill(0);
  }

  /**
   * The tick that just ended, for the `n` vehicles on the road (in lane order), then the queues.
   * Call it once per tick, after the insertions.
   */
  record(c: SimCtx, n: number, time: number): void {
    const s = c.v;
    this.fit(s);
    const { seenId, lastLane, edgeLoss, sampled, distance, waiting, timeLoss, covered } = this;
    const { laneLength, laneEdge, laneSpeed, connToLane, connFromLane } = this.net;
    const { order, id, lane: laneOf, pos, lastDx, speed, flags, speedFactor, type, prevConn, depart } = s;
    const tLen = c.tLen;
    const tVmax = c.tVmax;
    const zones = c.roadEventsInForce;
    const dt = c.dt;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const lane = laneOf[i];
      if (seenId[i] !== id[i]) {
        // inserted at the end of this tick: it enters with the next one (the interval that starts
        // at an interval's end takes the vehicles inserted then)
        if (depart[i] >= time - 1e-9) continue;
        // inserted at the end of the last tick, or placed on the road before the first
        this.enter(i, id[i], lane);
      }
      const x = pos[i];
      const dx = lastDx[i];
      const L = laneLength[lane];
      const t = type[i];
      if (laneEdge[lastLane[i]] === laneEdge[lane] && x - dx >= 0 && x <= L) {
        // the whole tick on this lane (the common case, written out: part() does the same)
        // (literals, HALT_SPEED and F_DWELL: a module constant is a load from its cell per use)
        const v = speed[i];
        sampled[lane] += dt;
        distance[lane] += dx;
        if (v < 0.1) waiting[lane] += dt;
        if (!(flags[i] & 16)) {
          const f = speedFactor[i];
          let vmax = laneSpeed[lane] * f;
          if (vmax > tVmax[t]) vmax = tVmax[t];
          if (zones) {
            const zone = zoneLimitAt(c.laneEvents, lane, x);
            if (zone !== Infinity && zone * f < vmax) vmax = zone * f;
          }
          if (vmax < 0.5) vmax = 0.5;
          if (v < vmax) {
            const loss = dt * (1 - v / vmax);
            timeLoss[lane] += loss;
            edgeLoss[i] += loss;
          }
        }
      } else this.account(c, s, i, lane);
      lastLane[i] = lane;
      // the lane length its body covers at the tick's end (and the rear still on the lane it came from)
      const rear = x - tLen[t];
      const front = x < L ? x : L;
      if (front > rear && front > 0) covered[lane] += dt * (front - (rear > 0 ? rear : 0));
      if (rear < 0) {
        const pc = prevConn[i];
        if (pc >= 0 && connToLane[pc] === lane) {
          const prev = connFromLane[pc];
          const back = -rear < laneLength[prev] ? -rear : laneLength[prev];
          covered[prev] += dt * back;
        }
      }
    }
    this.queues(c, s);
  }

  /**
   * A vehicle leaves the road in this tick (`finish`, in id order): the part of the tick up to
   * its arrival counts, and it left its edge.
   */
  leave(c: SimCtx, s: VehicleState, i: number): void {
    this.fit(s);
    const lane = s.lane[i];
    // (one inserted at the end of the last tick that arrives in its first: entered where it is)
    if (this.seenId[i] !== s.id[i]) this.enter(i, s.id[i], lane);
    this.account(c, s, i, lane);
    this.left[this.net.laneEdge[lane]]++;
    this.seenId[i] = -1;
  }

  /** Vehicle i (id `id`) entered the road on `lane` (the tick before this one). */
  private enter(i: number, id: number, lane: number): void {
    this.seenId[i] = id;
    this.lastLane[i] = lane;
    this.edgeLoss[i] = 0;
    this.entered[this.net.laneEdge[lane]]++;
  }

  /** Adds vehicle i's tick to its lane (and the lane it left in the tick), and counts a crossing. */
  private account(c: SimCtx, s: VehicleState, i: number, lane: number): void {
    const net = this.net;
    const dt = c.dt;
    const x = s.pos[i];
    const dx = s.lastDx[i];
    const L = net.laneLength[lane];
    const start = x - dx;
    const edge = net.laneEdge[lane];
    const lastEdge = net.laneEdge[this.lastLane[i]];
    let onLane = dx;
    if (dx > 0) {
      onLane = (x < L ? x : L) - (start > 0 ? start : 0);
      if (onLane < 0) onLane = 0;
    }
    if (lastEdge !== edge) {
      // crossed a junction in this tick: from the lane of the connection taken (its edge is the
      // last one left; a vehicle that crossed two junctions came through one more)
      const pc = s.prevConn[i];
      if (pc >= 0) {
        const mid = net.connFromEdge[pc];
        if (mid !== lastEdge) this.cross(i, lastEdge, mid, this.moveOfPair.get(lastEdge * net.edgeIds.length + mid) ?? -1);
        if (start < 0 && dx > 0) {
          const prev = net.connFromLane[pc];
          const Lp = net.laneLength[prev];
          const onPrev = -start < Lp ? -start : Lp;
          this.edgeLoss[i] += this.part(c, s, i, prev, (dt * onPrev) / dx, onPrev);
        }
        this.cross(i, mid, edge, this.movements.ofConn[pc]);
      } else this.cross(i, lastEdge, edge, this.moveOfPair.get(lastEdge * net.edgeIds.length + edge) ?? -1);
    }
    this.edgeLoss[i] += this.part(c, s, i, lane, dx > 0 ? (dt * onLane) / dx : dt, onLane);
  }

  /** Vehicle i left edge `from` for `to` through movement m: its time lost on `from` is the movement's delay. */
  private cross(i: number, from: number, to: number, m: number): void {
    this.left[from]++;
    this.entered[to]++;
    if (m >= 0) {
      this.moveCount[m]++;
      this.delaySum[m] += this.edgeLoss[i];
    }
    this.edgeLoss[i] = 0;
  }

  /** `tau` seconds of vehicle i on `lane`, driving `dist` metres in them; returns the time lost. */
  private part(c: SimCtx, s: VehicleState, i: number, lane: number, tau: number, dist: number): number {
    const v = s.speed[i];
    this.sampled[lane] += tau;
    this.distance[lane] += dist;
    if (v < HALT_SPEED) this.waiting[lane] += tau;
    // time lost against the free speed on the lane (SUMO: the vehicle's maximum speed there), not
    // while dwelling at a stop of its route
    if (s.flags[i] & F_DWELL) return 0;
    const zone = c.roadEventsInForce ? zoneLimitAt(c.laneEvents, lane, s.pos[i]) : Infinity;
    // (desiredSpeed without V2X advice, as record()'s common case writes it out)
    const vmax = desiredSpeed(this.net.laneSpeed[lane], s.speedFactor[i], c.tVmax[s.type[i]], Infinity, zone);
    if (v >= vmax) return 0;
    const loss = tau * (1 - v / vmax);
    this.timeLoss[lane] += loss;
    return loss;
  }

  /**
   * The queue of every lane at the tick's end: the halting vehicles (below 0.1 m/s) of the
   * vehicles ending at the stop line, each within QUEUE_GAP of the one ahead (the first of the stop
   * line), and the distance from the stop line to the rear of the last halting one; then the
   * movements' queues over the lanes that serve them.
   */
  private queues(c: SimCtx, s: VehicleState): void {
    const net = this.net;
    const nL = net.laneCount;
    const laneStart = c.laneStart;
    const order = s.order;
    const dt = c.dt;
    for (let lane = 0; lane < nL; lane++) {
      let q = 0;
      let length = 0;
      const k0 = laneStart[lane];
      const L = net.laneLength[lane];
      let ahead = L;
      for (let k = laneStart[lane + 1] - 1; k >= k0; k--) {
        const j = order[k];
        if (ahead - s.pos[j] > QUEUE_GAP) break;
        ahead = s.pos[j] - c.tLen[s.type[j]];
        if (s.speed[j] < HALT_SPEED) {
          q++;
          length = L - (ahead > 0 ? ahead : 0);
        }
      }
      this.laneQueue[lane] = q;
      this.laneQueueLength[lane] = length;
    }
    const mv = this.movements;
    for (let m = 0; m < mv.count; m++) {
      let q = 0;
      let length = 0;
      for (let p = mv.laneStart[m]; p < mv.laneStart[m + 1]; p++) {
        const lane = mv.lanes[p];
        q += this.laneQueue[lane];
        if (this.laneQueueLength[lane] > length) length = this.laneQueueLength[lane];
      }
      this.queueSum[m] += q * dt;
      if (q > this.queueMax[m]) this.queueMax[m] = q;
      if (length > this.queueLengthMax[m]) this.queueLengthMax[m] = length;
    }
  }

  /** Per-slot arrays as large as the state's. */
  private fit(s: VehicleState): void {
    if (this.seenId.length >= s.capacity) return;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T, fill: number): T => {
      const b = make(s.capacity);
      b.fill(fill);
      b.set(a);
      return b;
    };
    this.seenId = grow(this.seenId, (n) => new Int32Array(n), -1);
    this.lastLane = grow(this.lastLane, (n) => new Int32Array(n), 0);
    this.edgeLoss = grow(this.edgeLoss, (n) => new Float64Array(n), 0);
  }

  /** The interval under way and what each vehicle carries of it (checkpoints). */
  snapshot(w: SnapshotWriter, s: VehicleState): void {
    this.fit(s);
    w.typed('places.begin', this.beginAt);
    w.typed('places.sampled', this.sampled);
    w.typed('places.distance', this.distance);
    w.typed('places.waiting', this.waiting);
    w.typed('places.timeLoss', this.timeLoss);
    w.typed('places.covered', this.covered);
    w.typed('places.entered', this.entered);
    w.typed('places.left', this.left);
    w.typed('places.moveCount', this.moveCount);
    w.typed('places.delaySum', this.delaySum);
    w.typed('places.queueSum', this.queueSum);
    w.typed('places.queueMax', this.queueMax);
    w.typed('places.queueLengthMax', this.queueLengthMax);
    w.typed('places.seenId', this.seenId, s.used);
    w.typed('places.lastLane', this.lastLane, s.used);
    w.typed('places.edgeLoss', this.edgeLoss, s.used);
  }

  /** Reads what snapshot() wrote (after the state was restored). */
  restore(r: SnapshotReader, s: VehicleState): void {
    this.seenId = new Int32Array(0);
    this.lastLane = new Int32Array(0);
    this.edgeLoss = new Float64Array(0);
    this.fit(s);
    r.typedInto('places.begin', this.beginAt);
    r.typedInto('places.sampled', this.sampled);
    r.typedInto('places.distance', this.distance);
    r.typedInto('places.waiting', this.waiting);
    r.typedInto('places.timeLoss', this.timeLoss);
    r.typedInto('places.covered', this.covered);
    r.typedInto('places.entered', this.entered);
    r.typedInto('places.left', this.left);
    r.typedInto('places.moveCount', this.moveCount);
    r.typedInto('places.delaySum', this.delaySum);
    r.typedInto('places.queueSum', this.queueSum);
    r.typedInto('places.queueMax', this.queueMax);
    r.typedInto('places.queueLengthMax', this.queueLengthMax);
    r.typedInto('places.seenId', this.seenId);
    r.typedInto('places.lastLane', this.lastLane);
    r.typedInto('places.edgeLoss', this.edgeLoss);
  }
}
