/**
 * The `adaptive` signal controller (docs/signals.md, "Adaptive"): each cycle's green splits set by
 * Webster's method (F. V. Webster, Traffic Signal Settings, Road Research Technical Paper 39, HMSO
 * 1958) from the flows the junction's roadside unit observed over the cycle before.
 *
 * What it sees is what its RSU sees, never the ground truth:
 * - the BSMs of equipped vehicles the RSU actually received over the channel (engine/v2x decides
 *   the link once a second per approaching vehicle and marks the vehicle heard, V2xSystem.sigHeard);
 * - where a camera (the RSU's own sensors, or a city camera of `perception.cameras`) sees an
 *   approach lane from its stop line upstream, every vehicle that enters that view.
 *
 * Estimator. Each vehicle is counted once per approach (per connection it is bound for): by the
 * camera where its lane has one, else by its first BSM heard there. The flow of a movement over
 * the last cycle is count × 3600 / (length of the cycle), veh/h; a BSM count is divided by the
 * estimated share p̂ of vehicles the RSU hears: on camera lanes the RSU knows both who it saw and
 * who it heard, so p̂ = heard / seen there, over the run (once 20 vehicles were seen); before that,
 * or without a camera, the controller's `penetration` (default v2x.penetration, or 1). The flows
 * of successive cycles are smoothed, q ← q + (1 − e^(−C/memory))·(q_cycle − q) (memory 0: the
 * last cycle alone), since a few BSMs per cycle are too few to estimate from. A lane's
 * flow for a stage is the sum over its movements that go (G or g) in that stage; the stage's flow
 * ratio y is the largest over its lanes of that flow / saturationFlow (the critical lane).
 *
 * Webster: L = the lost time per cycle, here the sum of the change intervals (yellow and all red;
 * the start-up loss taken as made up by the yellow used), Y = Σ y, cycle C0 = (1.5 L + 5)/(1 − Y)
 * bounded by [minCycle, maxCycle] (maxCycle when Y ≥ 1), and at least L + stages × minGreen;
 * the effective greens share C − L in proportion to y (equal shares when Y = 0), none below
 * minGreen (those held at minGreen, the others sharing the rest in proportion, again).
 *
 * Stages are the program's intervals with a go state and no yellow that are not the clearance
 * after a yellow (an interval after a yellow whose go states are a subset of the yellow's: the
 * movements kept green through a change); yellow and all-red intervals keep their lengths.
 *
 * As long as nothing was ever observed (no camera on any approach, no equipped vehicle heard)
 * the next cycle is the fixed-time plan, and the controller runs on the fixed-time clock
 * ((t − offset) mod cycle, the same rule as updateSignals), so that it is the fixed-time plan bit
 * for bit. Once it adapted, cycles follow each other back to back, each
 * starting where the one before ended (not at the tick that noticed it, so no drift).
 *
 * State: per program the cycle start, whether it is still on the fixed-time clock, the counts of
 * the cycle under way and the estimator's totals (one Float64Array), the plan (SignalProgram.plan,
 * shared memory, read by SPAT) and live; per vehicle slot who was counted for which connection.
 * All of it is in checkpoints and the state hash. Nothing allocates in the tick (the per-slot
 * arrays grow with the vehicle state, between ticks).
 */
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import type { Network } from '../road/network.js';
import { LaneGeometry } from '../road/lanegeom.js';
import { CTRL_ADAPTIVE, LIVE_INTERVAL, LIVE_LIKELY, LIVE_START, SIG_YELLOW, isGo, nominal, type SignalProgram } from '../road/signals.js';
import type { SimCtx } from './context.js';

/** Vehicles a camera must have seen before its heard/seen ratio replaces the configured penetration. */
export const MIN_SEEN_FOR_ESTIMATE = 20;
/** Spacing of the points at which a camera's view of a lane is tested, m. */
const VIEW_STEP = 2;

/** A camera or roadside sensor as the controller needs it: whether it sees a ground point. */
export interface ViewSensor {
  sees(x: number, y: number): boolean;
}

/** What the controllers observe through (the world's V2X system and cameras), bound after construction. */
export interface AdaptiveSensing {
  /** per node, the RSU serving it, −1 (absent without V2X) */
  rsuOfNode?: Int32Array;
  /** per vehicle slot, the connection the serving unit last heard the vehicle approach, −1 (read each tick: it is replaced when slots grow) */
  heard?: () => Int32Array;
  /** the sensors of each RSU (by index) and the city's cameras */
  rsuSensors?: ViewSensor[][];
  cameras: ViewSensor[];
  /** the configured share of equipped vehicles (v2x.penetration) */
  penetration: number;
  /** the vehicle slots' high-water mark (checkpoints and the hash cover the slots below it) */
  slots: { readonly used: number };
}

/** Per-program state fields (then C_FIELDS per column). */
const S_CYCLE_START = 0; // when the cycle under way began, s
const S_ALIGNED = 1; // 1 while on the fixed-time clock
const S_SEEN = 2; // vehicles counted by a camera, over the run
const S_HEARD_SEEN = 3; // of the vehicles on camera lanes, those heard
const S_HAS_FLOW = 4; // 1 once a flow was estimated (from then on it adapts every cycle)
const S_FIELDS = 5;
/** Per-column fields: BSM and camera counts in the cycle under way, the smoothed flow (veh/h). */
const C_BSM = 0;
const C_CAMERA = 1;
const C_FLOW = 2;
const C_FIELDS = 3;

const F_CAMERA = 1;
const F_HEARD = 2;

interface Plan {
  /** its index among the adaptive programs, and its program's */
  index: number;
  pi: number;
  p: SignalProgram;
  minCycle: number;
  maxCycle: number;
  minGreen: number;
  saturation: number;
  memory: number;
  penetration: number;
  /** intervals that are stages */
  stages: Int32Array;
  /** the lost time per cycle: the change intervals, s */
  lost: number;
  /** distinct approach lanes, and for each column its index among them */
  lanes: Int32Array;
  colLane: Int32Array;
  /** per approach lane: position from which a camera sees it to the stop line (Infinity: none) */
  viewFrom: Float64Array;
  anyCamera: boolean;
  /** offset of this program's fields in `state` */
  base: number;
  /** scratch: per approach lane a flow, per stage a ratio and a flag */
  laneFlow: Float64Array;
  y: Float64Array;
  greens: Float64Array;
  held: Uint8Array;
}

export class AdaptiveControllers {
  private readonly plans: Plan[] = [];
  /** per program index, its plan or undefined */
  private readonly planOf: (Plan | undefined)[];
  /** per connection: the column in its adaptive program, −1 */
  private readonly connCol: Int32Array;
  private readonly connPlan: Int32Array;
  readonly state: Float64Array;
  /** per vehicle slot: the id and connection it was counted for, and how (F_CAMERA | F_HEARD) */
  private cntId = new Float64Array(0);
  private cntConn = new Int32Array(0);
  private cntFlags = new Uint8Array(0);
  private sensing: AdaptiveSensing = { cameras: [], penetration: 0, slots: { used: 0 } };

  constructor(
    private readonly net: Network,
    programs: readonly SignalProgram[],
  ) {
    this.connCol = new Int32Array(Math.max(1, net.connCount)).fill(-1);
    this.connPlan = new Int32Array(Math.max(1, net.connCount)).fill(-1);
    this.planOf = programs.map(() => undefined);
    let base = 0;
    programs.forEach((p, pi) => {
      if (p.kind !== CTRL_ADAPTIVE || p.controller.type !== 'adaptive') return;
      const c = p.controller;
      const stages = stagesOf(p);
      let lost = 0;
      for (let k = 0; k < p.starts.length; k++) if (!stages.includes(k)) lost += nominal(p, k);
      const laneIds: number[] = [];
      const colLane = Int32Array.from(p.conns, (conn, col) => {
        const lane = net.connFromLane[conn];
        let at = laneIds.indexOf(lane);
        if (at < 0) at = laneIds.push(lane) - 1;
        this.connCol[conn] = col;
        this.connPlan[conn] = this.plans.length;
        return at;
      });
      const plan: Plan = {
        index: this.plans.length,
        pi,
        p,
        minCycle: c.minCycle,
        maxCycle: c.maxCycle,
        minGreen: c.minGreen,
        saturation: c.saturationFlow,
        memory: c.memory,
        penetration: c.penetration ?? 0,
        stages: Int32Array.from(stages),
        lost,
        lanes: Int32Array.from(laneIds),
        colLane,
        viewFrom: new Float64Array(laneIds.length).fill(Infinity),
        anyCamera: false,
        base,
        laneFlow: new Float64Array(laneIds.length),
        y: new Float64Array(stages.length),
        greens: new Float64Array(stages.length),
        held: new Uint8Array(stages.length),
      };
      base += S_FIELDS + C_FIELDS * p.conns.length;
      // the bounds SPAT reports for the cycles after this one: a stage between minGreen and what
      // the longest cycle leaves it beside the other stages' minimum
      const longest = Math.max(c.maxCycle, lost + stages.length * c.minGreen) - lost - (stages.length - 1) * c.minGreen;
      for (const k of stages) {
        p.minDur[k] = c.minGreen;
        p.maxDur[k] = longest;
      }
      this.plans.push(plan);
      this.planOf[pi] = plan;
    });
    this.state = new Float64Array(Math.max(1, base));
    for (const q of this.plans) {
      // the cycle start that the fixed-time clock gives at t = 0 (live[START] is its interval's start)
      this.state[q.base + S_CYCLE_START] = q.p.live[LIVE_START] - q.p.starts[q.p.live[LIVE_INTERVAL]];
      this.state[q.base + S_ALIGNED] = 1;
    }
  }

  get size(): number {
    return this.plans.length;
  }

  /** The stages of program `pi` (interval indices), for reading. */
  stagesOf(pi: number): number[] {
    return Array.from(this.planOf[pi]?.stages ?? []);
  }

  /** The approach lanes of program `pi` that a camera sees, with the position the view starts at. */
  cameraLanes(pi: number): { lane: number; from: number }[] {
    const q = this.planOf[pi];
    if (!q) return [];
    return Array.from(q.lanes, (lane, l) => ({ lane, from: q.viewFrom[l] })).filter((v) => v.from !== Infinity);
  }

  /** The estimated share of vehicles heard, of program `pi` (what scales its BSM counts now). */
  heardShare(pi: number): number {
    const q = this.planOf[pi];
    return q ? this.share(q) : NaN;
  }

  /**
   * Binds what the controllers observe through: the RSUs (their BSMs and sensors) and the
   * cameras. A controller without an RSU sees only cameras; one with neither runs its fixed-time plan.
   */
  attach(sensing: AdaptiveSensing): void {
    this.sensing = sensing;
    const geom = new LaneGeometry(this.net);
    const pt = new Float64Array(3);
    for (const q of this.plans) {
      if (q.penetration <= 0) q.penetration = sensing.penetration > 0 ? sensing.penetration : 1;
      const r = sensing.rsuOfNode ? sensing.rsuOfNode[q.p.node] : -1;
      const views: ViewSensor[] = [...(r >= 0 && sensing.rsuSensors ? sensing.rsuSensors[r] : []), ...sensing.cameras];
      if (views.length === 0) continue;
      const seen = (lane: number, at: number) => {
        geom.point(lane, at, pt);
        return views.some((v) => v.sees(pt[0], pt[1]));
      };
      q.lanes.forEach((lane, l) => {
        const len = this.net.laneLength[lane];
        // the view must reach the stop line (every vehicle bound across it passes there); it starts
        // at the farthest point upstream seen without a gap
        if (!seen(lane, Math.max(0, len - 0.5))) return;
        let from = Math.max(0, len - 0.5);
        while (from - VIEW_STEP >= 0 && seen(lane, from - VIEW_STEP)) from -= VIEW_STEP;
        q.viewFrom[l] = from;
        q.anyCamera = true;
      });
    }
  }

  /** Whether program `pi` is run here. */
  runs(pi: number): boolean {
    return this.planOf[pi] !== undefined;
  }

  /** One tick of program `pi`: what the RSU observed counted, the interval in force set. */
  step(c: SimCtx, pi: number, time: number): void {
    const q = this.planOf[pi]!;
    this.ensure(c.v.capacity);
    this.observe(c, q);
    const p = q.p;
    const st = this.state;
    const live = p.live;
    const n = p.starts.length;
    if (st[q.base + S_ALIGNED] === 1) {
      // on the fixed-time clock: the interval as updateSignals computes it
      let tc = (time - p.offset) % p.cycle;
      if (tc < 0) tc += p.cycle;
      let k = 0;
      while (k + 1 < n && p.starts[k + 1] <= tc) k++;
      const cur = live[LIVE_INTERVAL];
      if (k === cur) return;
      if (k < cur) {
        // the cycle ended: the next one is the fixed-time plan again, or adapted from now on
        const start = time - tc;
        const adapted = this.newCycle(q, start);
        st[q.base + S_CYCLE_START] = start;
        if (adapted) {
          st[q.base + S_ALIGNED] = 0;
          this.enter(p, 0, start);
          this.advance(q, time);
          return;
        }
      }
      this.enter(p, k, time - tc + p.starts[k]);
      return;
    }
    this.advance(q, time);
  }

  /** Off the fixed-time clock: the intervals of the plan back to back, a new cycle after the last. */
  private advance(q: Plan, time: number): void {
    const p = q.p;
    const live = p.live;
    const n = p.starts.length;
    for (let guard = 0; guard < 2 * n + 2; guard++) {
      const k = live[LIVE_INTERVAL];
      const end = live[LIVE_START] + p.plan[k];
      if (time < end) return;
      if (k + 1 < n) this.enter(p, k + 1, end);
      else {
        this.newCycle(q, end);
        this.state[q.base + S_CYCLE_START] = end;
        this.enter(p, 0, end);
      }
    }
  }

  private enter(p: SignalProgram, k: number, start: number): void {
    p.live[LIVE_INTERVAL] = k;
    p.live[LIVE_START] = start;
    p.live[LIVE_LIKELY] = start + p.plan[k];
  }

  /**
   * The cycle that began at S_CYCLE_START ended at `end`: the plan of the next one from the flows
   * estimated (Webster), or the fixed-time plan while nothing was ever observed. Returns whether it adapted.
   */
  private newCycle(q: Plan, end: number): boolean {
    const p = q.p;
    const st = this.state;
    const b = q.base + S_FIELDS;
    const cols = p.conns.length;
    let heard = 0;
    for (let col = 0; col < cols; col++) heard += st[b + C_FIELDS * col + C_BSM];
    if (!(q.anyCamera || heard > 0 || st[q.base + S_HAS_FLOW] === 1)) {
      for (let k = 0; k < p.starts.length; k++) p.plan[k] = nominal(p, k);
      return false;
    }
    // each movement's flow in the cycle: the counts over the time they were taken in (the first
    // cycle may have begun before t = 0), smoothed across cycles with time constant `memory`
    const span = end - Math.max(0, st[q.base + S_CYCLE_START]);
    const perHour = span > 0 ? 3600 / span : 0;
    const share = this.share(q);
    const first = st[q.base + S_HAS_FLOW] === 0;
    const weight = first ? 1 : q.memory > 0 ? 1 - Math.exp(-span / q.memory) : 1;
    for (let col = 0; col < cols; col++) {
      const at = b + C_FIELDS * col;
      const count = q.viewFrom[q.colLane[col]] !== Infinity ? st[at + C_CAMERA] : st[at + C_BSM] / share;
      st[at + C_FLOW] += weight * (count * perHour - st[at + C_FLOW]);
      st[at + C_BSM] = 0;
      st[at + C_CAMERA] = 0;
    }
    st[q.base + S_HAS_FLOW] = 1;
    const nCols = cols;
    for (let s = 0; s < q.stages.length; s++) {
      const k = q.stages[s];
      q.laneFlow.fill(0);
      for (let col = 0; col < nCols; col++) {
        if (!isGo(p.states[k * nCols + col])) continue;
        q.laneFlow[q.colLane[col]] += st[b + C_FIELDS * col + C_FLOW];
      }
      let worst = 0;
      for (let l = 0; l < q.lanes.length; l++) if (q.laneFlow[l] > worst) worst = q.laneFlow[l];
      q.y[s] = worst / q.saturation;
    }
    webster(q.y, q.lost, q.minCycle, q.maxCycle, q.minGreen, q.greens, q.held);
    for (let k = 0; k < p.starts.length; k++) p.plan[k] = nominal(p, k);
    for (let s = 0; s < q.stages.length; s++) p.plan[q.stages[s]] = q.greens[s];
    return true;
  }

  /** The share of vehicles the RSU hears: heard/seen on its camera lanes, else the configured one. */
  private share(q: Plan): number {
    const seen = this.state[q.base + S_SEEN];
    if (seen >= MIN_SEEN_FOR_ESTIMATE) {
      const heard = this.state[q.base + S_HEARD_SEEN];
      // none heard among many seen: BSM counts are then 0 too, any positive share gives the same flows
      return heard > 0 ? heard / seen : 1;
    }
    return q.penetration;
  }

  /** Counts the vehicles on the approach lanes that a camera sees or whose BSM the RSU heard, once each. */
  private observe(c: SimCtx, q: Plan): void {
    const s = c.v;
    const heard = this.sensing.heard ? this.sensing.heard() : null;
    if (!heard && !q.anyCamera) return;
    const st = this.state;
    const b = q.base + S_FIELDS;
    const me = q.index;
    for (let l = 0; l < q.lanes.length; l++) {
      const lane = q.lanes[l];
      const from = q.viewFrom[l];
      const camera = from !== Infinity;
      for (let o = c.laneStart[lane]; o < c.laneStart[lane + 1]; o++) {
        const i = s.order[o];
        const conn = s.nextConn[i];
        if (conn < 0 || this.connPlan[conn] !== me) continue;
        const col = this.connCol[conn];
        if (this.cntId[i] !== s.id[i] || this.cntConn[i] !== conn) {
          this.cntId[i] = s.id[i];
          this.cntConn[i] = conn;
          this.cntFlags[i] = 0;
        }
        const flags = this.cntFlags[i];
        if (camera && (flags & F_CAMERA) === 0 && s.pos[i] >= from) {
          this.cntFlags[i] |= F_CAMERA;
          st[b + C_FIELDS * col + C_CAMERA]++;
          st[q.base + S_SEEN]++;
        }
        if (heard && (flags & F_HEARD) === 0 && heard[i] === conn) {
          this.cntFlags[i] |= F_HEARD;
          st[b + C_FIELDS * col + C_BSM]++;
          if (camera) st[q.base + S_HEARD_SEEN]++;
        }
      }
    }
  }

  /** Room for `capacity` vehicle slots (grown between ticks, when the vehicle state grew). */
  private ensure(capacity: number): void {
    if (capacity <= this.cntId.length) return;
    const id = new Float64Array(capacity).fill(-1);
    id.set(this.cntId);
    const conn = new Int32Array(capacity).fill(-1);
    conn.set(this.cntConn);
    const flags = new Uint8Array(capacity);
    flags.set(this.cntFlags);
    this.cntId = id;
    this.cntConn = conn;
    this.cntFlags = flags;
  }

  hashInto(h: { update(b: Uint8Array): unknown }): void {
    if (this.plans.length === 0) return;
    const used = this.sensing.slots.used;
    const bytes = (a: Float64Array | Int32Array | Uint8Array, n = a.length) => new Uint8Array(a.buffer, a.byteOffset, n * a.BYTES_PER_ELEMENT);
    h.update(bytes(this.state));
    for (const q of this.plans) h.update(bytes(q.p.plan));
    this.ensure(used);
    h.update(bytes(this.cntId, used));
    h.update(bytes(this.cntConn, used));
    h.update(bytes(this.cntFlags, used));
  }

  snapshot(w: SnapshotWriter): void {
    if (this.plans.length === 0) return;
    const used = this.sensing.slots.used;
    w.typed('signals.adaptive', this.state);
    const plans = new Float64Array(this.plans.reduce((n, q) => n + q.p.plan.length, 0));
    let at = 0;
    for (const q of this.plans) {
      plans.set(q.p.plan, at);
      at += q.p.plan.length;
    }
    w.typed('signals.adaptivePlan', plans);
    this.ensure(used);
    w.typed('signals.countedId', this.cntId, used);
    w.typed('signals.countedConn', this.cntConn, used);
    w.typed('signals.countedFlags', this.cntFlags, used);
  }

  restore(r: SnapshotReader): void {
    if (this.plans.length === 0) return;

    r.typedInto('signals.adaptive', this.state);
    const plans = new Float64Array(this.plans.reduce((n, q) => n + q.p.plan.length, 0));
    r.typedInto('signals.adaptivePlan', plans);
    let at = 0;
    for (const q of this.plans) {
      q.p.plan.set(plans.subarray(at, at + q.p.plan.length));
      at += q.p.plan.length;
    }
    // restored before the vehicle state: sized from the section itself
    this.ensure(r.peekLength('signals.countedId', 8));
    this.cntId.fill(-1);
    this.cntConn.fill(-1);
    this.cntFlags.fill(0);
    r.typedInto('signals.countedId', this.cntId);
    r.typedInto('signals.countedConn', this.cntConn);
    r.typedInto('signals.countedFlags', this.cntFlags);
  }
}

/**
 * The stages of a cyclic program: intervals with a go state and no yellow, except the clearance
 * after a yellow (an interval right after one with a yellow, whose go states it keeps only).
 */
export function stagesOf(p: SignalProgram): number[] {
  const n = p.conns.length;
  const k0 = p.starts.length;
  const out: number[] = [];
  for (let k = 0; k < k0; k++) {
    let go = false;
    let yellow = false;
    for (let col = 0; col < n; col++) {
      const s = p.states[k * n + col];
      if (isGo(s)) go = true;
      if (s === SIG_YELLOW) yellow = true;
    }
    if (!go || yellow) continue;
    const prev = (k + k0 - 1) % k0;
    let prevYellow = false;
    let subset = true;
    for (let col = 0; col < n; col++) {
      const a = p.states[prev * n + col];
      if (a === SIG_YELLOW) prevYellow = true;
      if (isGo(p.states[k * n + col]) && !isGo(a)) subset = false;
    }
    if (prevYellow && subset) continue;
    out.push(k);
  }
  return out;
}

/**
 * Webster's settings: for flow ratios y (one per stage) and lost time L, the cycle
 * C0 = (1.5 L + 5)/(1 − Y) within [minCycle, maxCycle] (maxCycle when Y ≥ 1), at least
 * L + stages × minGreen, and the greens sharing C − L in proportion to y (equally when Y = 0),
 * none under minGreen. Writes the greens into `greens` (scratch `held`, one per stage); returns C.
 */
export function webster(y: Float64Array, lost: number, minCycle: number, maxCycle: number, minGreen: number, greens: Float64Array, held: Uint8Array): number {
  const n = y.length;
  let Y = 0;
  for (let s = 0; s < n; s++) Y += y[s];
  let cycle = Y < 1 ? (1.5 * lost + 5) / (1 - Y) : maxCycle;
  cycle = Math.min(maxCycle, Math.max(minCycle, cycle));
  cycle = Math.max(cycle, lost + n * minGreen);
  const green = cycle - lost;
  held.fill(0);
  // water-filling: stages whose share falls under minGreen are held there, the rest share what is left
  for (let round = 0; round <= n; round++) {
    let left = green;
    let weight = 0;
    let free = 0;
    for (let s = 0; s < n; s++) {
      if (held[s]) left -= minGreen;
      else {
        weight += Y > 0 ? y[s] : 1;
        free++;
      }
    }
    let changed = false;
    for (let s = 0; s < n; s++) {
      if (held[s]) {
        greens[s] = minGreen;
        continue;
      }
      greens[s] = weight > 0 ? (left * (Y > 0 ? y[s] : 1)) / weight : left / free;
      if (greens[s] < minGreen) {
        held[s] = 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return cycle;
}

/** Webster's settings for plain numbers (tests, docs). */
export function websterSplits(y: number[], lost: number, minCycle: number, maxCycle: number, minGreen: number): { cycle: number; greens: number[] } {
  const greens = new Float64Array(y.length);
  const cycle = webster(Float64Array.from(y), lost, minCycle, maxCycle, minGreen, greens, new Uint8Array(y.length));
  return { cycle, greens: Array.from(greens) };
}
