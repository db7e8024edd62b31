/**
 * Figures per place and interval (edges.csv, lanes.csv and junctions.csv, docs/run-directory.md):
 * for every lane the vehicle-seconds on it, the vehicles that entered and left (and changed lanes
 * onto and off it), the halts, the distance driven, the waiting time and the time lost against the
 * free speed, the covered lane length (an edge's figures are its lanes' sums); for every
 * junction movement (junction, from edge, to edge) the vehicles that made it, their control delay
 * and the queue on the lanes that serve it. As SUMO's edgeData and laneData, queue output and the HCM's
 * movement figures (Highway Capacity Manual, 6th ed., 2016, ch. 19 and 20).
 *
 * The per-vehicle sums are added in the move phase, each part of it into its own tally in whole
 * units (place-tally.ts), and summed here when an interval ends: the same bits for any number of
 * threads. The queues are taken here once a tick, in the `record` phase (tick.ts), in the main
 * thread, lane by lane. All arrays are sized when the network is loaded (per lane, edge and
 * movement); nothing is allocated per vehicle or tick.
 *
 * A tick counts for the state at its end: the vehicle's speed then, and the distance it moved in
 * it. A vehicle that crossed into a new lane in the tick has that tick split between the lanes by
 * distance, and one that arrived has the part up to its arrival counted. A vehicle inserted at
 * the end of a tick enters (and counts) with its first move, in the next tick: one inserted at
 * 300 s belongs to the interval that starts then.
 */
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import type { VehicleState } from '../core/state.js';
import type { Network } from '../road/network.js';
import type { SimCtx } from './context.js';
import { HALT_SPEED } from './kinematics.js';
import { COVER_UNIT, LENGTH_UNIT, PlaceTally, TIME_UNIT } from './place-tally.js';

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
  /** what each part of the move phase adds (one per part of the runner; place-tally.ts) */
  readonly tallies: readonly PlaceTally[];
  /** start of the interval under way, s */
  private readonly beginAt = new Float64Array(1);

  // ---- per lane, over the interval (taken from the tallies when it ends)
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

  /** vehicles that came onto the lane from another edge or onto the road, and left it to another edge or off the road (veh; an edge's are its lanes' sums) */
  readonly entered: Int32Array;
  readonly left: Int32Array;
  /** vehicles that changed onto the lane from a neighbour, and off it to one (veh; SUMO's laneChangedTo and laneChangedFrom) */
  readonly changedTo: Int32Array;
  readonly changedFrom: Int32Array;
  /** vehicles that came to a halt (below 0.1 m/s) on the lane (veh) */
  readonly halts: Int32Array;

  // ---- per movement, over the interval
  /** vehicles counted, and their summed control delay (s) (taken from the tallies when it ends) */
  readonly moveCount: Int32Array;
  readonly delaySum: Float64Array;
  /** queued vehicles integrated over time (veh·s) */
  readonly queueSum: Float64Array;
  /** largest queue (veh) and its largest length (m) */
  readonly queueMax: Float64Array;
  readonly queueLengthMax: Float64Array;

  // ---- scratch, per lane, for the tick
  private readonly laneQueue: Int32Array;
  private readonly laneQueueLength: Float64Array;

  constructor(
    private readonly net: PlaceNet,
    /** s per interval */
    readonly interval: number,
    /** parts of the move phase (the runner's) */
    parts = 1,
  ) {
    const nL = net.laneCount;
    this.movements = buildMovements(net);
    const nM = this.movements.count;
    const sizes = { lanes: nL, movements: nM, ofConn: this.movements.ofConn };
    this.tallies = Array.from({ length: parts }, () => new PlaceTally(sizes));
    this.sampled = new Float64Array(nL);
    this.distance = new Float64Array(nL);
    this.waiting = new Float64Array(nL);
    this.timeLoss = new Float64Array(nL);
    this.covered = new Float64Array(nL);
    this.entered = new Int32Array(nL);
    this.left = new Int32Array(nL);
    this.changedTo = new Int32Array(nL);
    this.changedFrom = new Int32Array(nL);
    this.halts = new Int32Array(nL);
    this.moveCount = new Int32Array(nM);
    this.delaySum = new Float64Array(nM);
    this.queueSum = new Float64Array(nM);
    this.queueMax = new Float64Array(nM);
    this.queueLengthMax = new Float64Array(nM);
    this.laneQueue = new Int32Array(nL);
    this.laneQueueLength = new Float64Array(nL);
  }

  /** Start of the interval under way, s. */
  get begin(): number {
    return this.beginAt[0];
  }

  /** Whether the interval under way ends with the tick that ended at `time`. */
  due(time: number): boolean {
    return time - this.beginAt[0] >= this.interval - 1e-9;
  }

  /**
   * Takes the interval's sums from the tallies (whole units, summed part by part: exact, so the
   * same for any split) into the figures the files are written from.
   */
  collect(): void {
    const all = this.folded();
    const nL = this.sampled.length;
    for (let l = 0; l < nL; l++) {
      this.sampled[l] = all.sampled[l] * TIME_UNIT;
      this.distance[l] = all.distance[l] * LENGTH_UNIT;
      this.waiting[l] = all.waiting[l] * TIME_UNIT;
      this.timeLoss[l] = all.timeLoss[l] * TIME_UNIT;
      this.covered[l] = all.covered[l] * COVER_UNIT;
    }
    // (a tally's arrays have at least one cell, for a network without lanes or movements)
    this.entered.set(all.entered.subarray(0, nL));
    this.left.set(all.left.subarray(0, nL));
    this.changedTo.set(all.changedTo.subarray(0, nL));
    this.changedFrom.set(all.changedFrom.subarray(0, nL));
    this.halts.set(all.halts.subarray(0, nL));
    this.moveCount.set(all.moveCount.subarray(0, this.moveCount.length));
    for (let m = 0; m < this.delaySum.length; m++) this.delaySum[m] = all.delaySum[m] * TIME_UNIT;
  }

  /** Every part's sums in the first one's arrays (in units), the others zeroed; returns the first. */
  private folded(): PlaceTally {
    const [first, ...rest] = this.tallies;
    for (const t of rest) {
      first.addFrom(t);
      t.clear();
    }
    return first;
  }

  /** Starts the next interval at `time` (after its rows were written). */
  reset(time: number): void {
    this.beginAt[0] = time;
    for (const t of this.tallies) t.clear();
    this.queueSum.fill(0);
    this.queueMax.fill(0);
    this.queueLengthMax.fill(0);
  }

  /** The tick that just ended: the queues. Call it once per tick, after the insertions. */
  record(c: SimCtx): void {
    this.queues(c, c.v);
  }

  /**
   * A vehicle leaves the road in this tick (`finish`, in the main thread after the moves, which
   * counted its tick): it left its lane. One that never moved never entered the figures.
   */
  leave(s: VehicleState, i: number): void {
    if (s.edgeLoss[i] < 0) return;
    this.tallies[0].left[s.lane[i]]++;
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

  /** The interval under way (checkpoints): the tallies folded into one, so a run resumes with any number of threads. */
  snapshot(w: SnapshotWriter): void {
    const t = this.folded();
    w.typed('places.begin', this.beginAt);
    for (const [name, a] of t.sums()) w.typed(`places.${name}`, a);
    w.typed('places.queueSum', this.queueSum);
    w.typed('places.queueMax', this.queueMax);
    w.typed('places.queueLengthMax', this.queueLengthMax);
  }

  /** Reads what snapshot() wrote. */
  restore(r: SnapshotReader): void {
    for (const t of this.tallies) t.clear();
    const t = this.tallies[0];
    r.typedInto('places.begin', this.beginAt);
    for (const [name, a] of t.sums()) r.typedInto(`places.${name}`, a);
    r.typedInto('places.queueSum', this.queueSum);
    r.typedInto('places.queueMax', this.queueMax);
    r.typedInto('places.queueLengthMax', this.queueLengthMax);
  }
}
