/**
 * Signal priority on fixed-time (and actuated) plans (docs/signals.md, "Priority"): buses and
 * emergency vehicles ask for the green of their approach through the junction's roadside unit; the
 * controller grants it by the standard strategies of transit signal priority and emergency pre-emption (FHWA,
 * "Transit Signal Priority (TSP): A Planning and Implementation Handbook", 2005, ch. 2; H. Smith,
 * B. Hemily, M. Ivanovic, ITS America 2005; NEMA TS 2-2003 §3.7 for pre-emption):
 *
 * - A request is a BSM the RSU actually received (the same channel decision as the adaptive
 *   controller's, engine/v2x/receive.ts: V2xSystem.sigHeard) from an equipped vehicle of class
 *   `bus` or `emergency` on an approach lane, within `detectAt` of the stop line. Check-in is that
 *   first BSM heard; check-out is the vehicle leaving the approach (crossing the stop line). A
 *   junction without an RSU hears nothing and grants nothing. A bus asks only when it is behind its
 *   timetable: when it cannot reach its next stop with an `until` (the timetable) by that time at
 *   the speed limit of its lane; a bus without a timed stop ahead always asks.
 * - **Green extension.** A bus that would reach the stop line only after the green it is in ends
 *   gets the green held until it is expected there (+1 s), by at most `extension` s and at most what
 *   the next green can give back above its `minGreen`; it ends as soon as the bus has crossed.
 * - **Early green** (red truncation). A bus that would wait at red has the green in force (that of
 *   the other approaches) cut by at most `earlyGreen` s, never below `minGreen`, when the bus's green
 *   is the next one.
 * - **Limits.** At most `maxPerCycle` bus grants per cycle of the plan, and none while the plan is
 *   still recovering from the last one (so the cross streets lose at most one extension or one cut
 *   per cycle, and never a green below minGreen).
 * - **Recovery** (back to the plan's offsets, so that coordination is kept): each green that starts
 *   off the plan's clock by d seconds is shortened by d (down to minGreen) or, when it starts early,
 *   lengthened by −d. After an extension the next green gives the time back; after an early green
 *   the bus's own green ends where the plan ends it (the bus's phase starts early, ends on time).
 *   Yellow and all-red intervals always keep their lengths.
 * - **Pre-emption.** An emergency vehicle's request ends the green in force once it has run the
 *   emergency `minGreen` (if it is not the vehicle's green), then the clearance (yellow, all red)
 *   runs, every stage between passes at its minimum green, and the vehicle's green is held until it
 *   has crossed; the plan then resumes, recovering as above. Pre-emption comes before any bus request.
 *
 * Under the actuated controller (signal-control.ts asks `actuated` each tick) the same requests
 * hold or end its gap-based greens, without a plan clock to recover to (see `actuated`).
 *
 * While no request was ever granted, and again once the plan is recovered, the program runs on the
 * fixed-time clock ((t − offset) mod cycle, the rule of updateSignals), bit for bit the fixed-time
 * plan. State: per program a few numbers (Float64Array), per vehicle slot who was counted as a
 * request where; all of it is in checkpoints and the state hash. The states the vehicles obey, and
 * that SPAT reads (live fields, shared memory), are the modified ones.
 */
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { F_EQUIPPED } from '../core/state.js';
import type { Network } from '../road/network.js';
import { CTRL_ACTUATED, CTRL_PRIORITY, LIVE_INTERVAL, LIVE_LIKELY, LIVE_START, isGo, nominal, type SignalProgram } from '../road/signals.js';
import { vehicleClasses } from '../spec/schema.js';
import type { SimCtx } from './context.js';
import { CLASS_EMERGENCY } from './neighbours.js';
import {
  MODE_NONE, MODE_EXTEND, MODE_EARLY, MODE_PREEMPT, F_ALIGNED, F_END, F_PLANNED, F_MODE, F_VEH, F_COL, F_CYCLE, F_GRANTS, T_REQ_BUS, T_REQ_EV,
  T_EXTEND, T_EARLY, T_PREEMPT, T_LOST, T_ADDED, T_REFUSED, F_LAST_K, F_FIELDS, R_COUNTED, R_GRANTED, R_REFUSED, SCAN_FIELDS, S_EV_COL, S_EV_ID,
  S_EV_D, S_BUS_COL, S_BUS_ID, S_BUS_D, S_BUS_ETA, S_SERVED, S_SERVED_ETA
} from './signal-priority-fields.js';
import { busLate } from './bus-schedule.js';
import { stagesOf } from './signal-adaptive.js';

const CLASS_BUS = vehicleClasses.indexOf('bus');
/** A bus is given green until this long after it is expected at the stop line, s. */
const CLEAR_MARGIN = 1;
const EPS = 1e-6;

/** What the priority controllers observe through (the world's V2X system), bound after construction. */
export interface PrioritySensing {
  /** per node, the RSU serving it, −1 */
  rsuOfNode?: Int32Array;
  /** per vehicle slot, the connection the serving unit last heard the vehicle approach, −1 (read each tick) */
  heard?: () => Int32Array;
  /** the vehicle slots' high-water mark */
  slots: { readonly used: number };
}

/** The figures of metrics.json's `priority` block. */
export interface PriorityTotals {
  junctions: number;
  requests: { bus: number; emergency: number };
  granted: { extension: number; earlyGreen: number; preemption: number };
  refused: number;
  greenCutSeconds: number;
  greenAddedSeconds: number;
}

interface Prog {
  index: number;
  pi: number;
  p: SignalProgram;
  base: number;
  /** per interval: 1 for a stage (a green that is not a clearance) */
  stage: Uint8Array;
  /** per interval: the next stage after it */
  nextStage: Int32Array;
  /** per interval: the shortest a stage may be made, s */
  floor: Float64Array;
  lanes: Int32Array;
  extension: number;
  earlyGreen: number;
  maxPerCycle: number;
  busOn: boolean;
  preempt: boolean;
  evMinGreen: number;
  detectAt: number;
  /** whether an RSU serves the node (else it never hears a request) */
  listened: boolean;
  /** run by the actuated controller (which asks `actuated` each tick) rather than on the plan's clock */
  actuated: boolean;
}

export class PriorityControllers {
  private readonly progs: Prog[] = [];
  private readonly progOf: (Prog | undefined)[];
  private readonly connCol: Int32Array;
  private readonly connProg: Int32Array;
  readonly state: Float64Array;
  private readonly scan = new Float64Array(SCAN_FIELDS);
  /** per vehicle slot: the id and program it was counted in as a request, and R_* flags */
  private reqId = new Float64Array(0);
  private reqProg = new Int32Array(0);
  private reqFlags = new Uint8Array(0);
  private sensing: PrioritySensing = { slots: { used: 0 } };

  constructor(net: Network, programs: readonly SignalProgram[]) {
    this.connCol = new Int32Array(Math.max(1, net.connCount)).fill(-1);
    this.connProg = new Int32Array(Math.max(1, net.connCount)).fill(-1);
    this.progOf = programs.map(() => undefined);
    programs.forEach((p, pi) => {
      if ((p.kind !== CTRL_PRIORITY && p.kind !== CTRL_ACTUATED) || !p.priority) return;
      const actuated = p.kind === CTRL_ACTUATED;
      const cfg = p.priority;
      const K = p.starts.length;
      const stage = new Uint8Array(K);
      for (const k of stagesOf(p)) stage[k] = 1;
      const nextStage = Int32Array.from({ length: K }, (_, k) => {
        for (let j = (k + 1) % K, g = 0; g < K; j = (j + 1) % K, g++) if (stage[j]) return j;
        return k;
      });
      const minGreen = Math.min(cfg.bus?.minGreen ?? Infinity, cfg.emergency?.minGreen ?? Infinity);
      const floor = Float64Array.from({ length: K }, (_, k) => Math.min(nominal(p, k), stage[k] ? minGreen : Infinity));
      const lanes: number[] = [];
      p.conns.forEach((conn, col) => {
        const l = net.connFromLane[conn];
        if (!lanes.includes(l)) lanes.push(l);
        this.connCol[conn] = col;
        this.connProg[conn] = this.progs.length;
      });
      const q: Prog = {
        index: this.progs.length,
        pi,
        p,
        base: this.progs.length * F_FIELDS,
        stage,
        nextStage,
        floor,
        lanes: Int32Array.from(lanes.sort((a, b) => a - b)),
        extension: cfg.bus?.extension ?? 0,
        earlyGreen: cfg.bus?.earlyGreen ?? 0,
        maxPerCycle: cfg.bus?.maxPerCycle ?? 0,
        busOn: cfg.bus !== undefined,
        preempt: cfg.emergency?.preempt ?? false,
        evMinGreen: cfg.emergency?.minGreen ?? 5,
        detectAt: cfg.detectAt,
        listened: false,
        actuated,
      };
      // the bounds SPAT reports: a stage between its floor and the plan plus the largest change
      // (an actuated program keeps its own: its controller runs by them)
      const widen = Math.max(q.extension, q.earlyGreen);
      for (let k = 0; k < K; k++)
        if (stage[k] && !actuated) {
          p.minDur[k] = floor[k];
          p.maxDur[k] = nominal(p, k) + widen;
        }
      this.progs.push(q);
      this.progOf[pi] = q;
    });
    this.state = new Float64Array(Math.max(1, this.progs.length * F_FIELDS));
    for (const q of this.progs) {
      this.state[q.base + F_ALIGNED] = 1;
      this.state[q.base + F_VEH] = -1;
      this.state[q.base + F_COL] = -1;
      this.state[q.base + F_CYCLE] = q.actuated ? 0 : -Infinity;
      this.state[q.base + F_LAST_K] = q.p.live[LIVE_INTERVAL];
      if (!q.actuated) this.onClock(q, 0);
    }
  }

  get size(): number {
    return this.progs.length;
  }

  /** Binds the RSUs' receptions (a program whose node no RSU serves grants nothing). */
  attach(sensing: PrioritySensing): void {
    this.sensing = sensing;
    for (const q of this.progs) q.listened = !!sensing.heard && !!sensing.rsuOfNode && sensing.rsuOfNode[q.p.node] >= 0;
  }

  /** Whether program `pi` runs off its fixed-time clock now (a priority action or its recovery; actuated: an action). */
  offPlan(pi: number): boolean {
    const q = this.progOf[pi];
    if (q === undefined) return false;
    return q.actuated ? this.state[q.base + F_MODE] !== MODE_NONE : this.state[q.base + F_ALIGNED] === 0;
  }

  /** The likely end of the interval in force that `actuated` set, s. */
  likely = 0;

  /**
   * One tick of an actuated program with priority: the controller's own verdict (`end`: the green
   * gapped out or maxed out, a fixed interval ran its length) and likely end, changed by the
   * requests. A bus extension holds the green past its gap-out or maximum, by at most `extension`
   * beyond the end likely when it was granted, until the bus has crossed; an early green ends the
   * green in force at max(its minimum, its likely end − earlyGreen); a pre-emption ends a green
   * that does not serve the emergency vehicle at its minimum and holds the one that does. Cycles
   * (for maxPerCycle) are counted at each start of interval 0. Returns whether the interval ends now.
   */
  actuated(c: SimCtx, pi: number, time: number, end: boolean, likely: number): boolean {
    const q = this.progOf[pi]!;
    const p = q.p;
    const st = this.state;
    const b = q.base;
    const sc = this.scan;
    const n = p.conns.length;
    const k = p.live[LIVE_INTERVAL];
    const t0 = p.live[LIVE_START];
    this.likely = likely;
    if (k === 0 && st[b + F_LAST_K] !== 0) {
      st[b + F_CYCLE]++;
      st[b + F_GRANTS] = 0;
    }
    st[b + F_LAST_K] = k;
    if (!q.listened) return end;
    this.ensure(c.v.capacity);
    this.scanRequests(c, q, time);
    const col = st[b + F_COL];
    const serves = (j: number) => isGo(p.states[j * n + col]);
    let mode = st[b + F_MODE];
    if (mode === MODE_PREEMPT && sc[S_SERVED] === 0) {
      st[b + F_MODE] = mode = MODE_NONE;
      st[b + F_VEH] = -1;
    }
    if (mode !== MODE_PREEMPT && sc[S_EV_ID] >= 0) {
      st[b + F_MODE] = mode = MODE_PREEMPT;
      st[b + F_VEH] = sc[S_EV_ID];
      st[b + F_COL] = sc[S_EV_COL];
      st[b + T_PREEMPT]++;
      this.markGranted(c, q, sc[S_EV_ID]);
    }
    if (mode === MODE_PREEMPT) {
      if (!q.stage[k]) return end;
      if (serves(k)) {
        this.likely = Infinity;
        return false;
      }
      const at = t0 + Math.min(p.minDur[k], q.evMinGreen);
      this.likely = Math.max(time, at);
      return time >= at - EPS;
    }
    if (mode === MODE_EXTEND) {
      if (sc[S_SERVED] === 1) {
        const hold = Math.min(st[b + F_PLANNED] + this.extensionCap(q, k), time + sc[S_SERVED_ETA] + CLEAR_MARGIN);
        if (!end || time < hold) {
          this.likely = Math.max(likely, hold);
          return false;
        }
      }
      // the bus crossed (or the hold ran out): the green ends by its own rule from here
      st[b + F_MODE] = MODE_NONE;
      st[b + F_VEH] = -1;
      if (time > st[b + F_PLANNED]) st[b + T_ADDED] += time - st[b + F_PLANNED];
      return end;
    }
    if (mode === MODE_EARLY) {
      if (q.stage[k] && serves(k)) st[b + F_MODE] = MODE_NONE;
      else if (q.stage[k]) {
        this.likely = Math.min(likely, st[b + F_END]);
        return end || time >= st[b + F_END] - EPS;
      }
      return end;
    }
    if (sc[S_BUS_ID] < 0 || !q.stage[k]) return end;
    const bcol = sc[S_BUS_COL];
    const eta = sc[S_BUS_ETA];
    const arrive = time + eta + CLEAR_MARGIN;
    let action = MODE_NONE;
    let at = 0;
    if (isGo(p.states[k * n + bcol])) {
      // it will likely end (or ends now) before the bus is there
      const ends = end ? time : likely;
      if (arrive <= ends) return end;
      if (arrive - ends <= this.extensionCap(q, k)) {
        action = MODE_EXTEND;
        at = ends;
      }
    } else {
      const j = q.nextStage[k];
      if (!isGo(p.states[j * n + bcol])) return end;
      let greenAt = end ? time : likely;
      for (let x = p.next[k]; x !== j; x = p.next[x]) greenAt += p.minDur[x];
      if (time + eta >= greenAt) return end;
      at = Math.max(time, t0 + Math.max(p.minDur[k], q.floor[k]), likely - q.earlyGreen);
      if (!end && at < likely - EPS) action = MODE_EARLY;
    }
    if (action === MODE_NONE || st[b + F_GRANTS] >= q.maxPerCycle) {
      this.markRefused(c, q, sc[S_BUS_ID]);
      return end;
    }
    st[b + F_MODE] = action;
    st[b + F_VEH] = sc[S_BUS_ID];
    st[b + F_COL] = bcol;
    st[b + F_GRANTS]++;
    this.markGranted(c, q, sc[S_BUS_ID]);
    if (action === MODE_EXTEND) {
      st[b + T_EXTEND]++;
      st[b + F_PLANNED] = at;
      this.likely = arrive;
      return false;
    }
    st[b + T_EARLY]++;
    st[b + T_LOST] += likely - at;
    st[b + F_END] = at;
    this.likely = at;
    return time >= at - EPS;
  }

  /** The served vehicle's mode of program `pi`, for tests: none, extend, early, preempt. */
  mode(pi: number): 'none' | 'extend' | 'early' | 'preempt' {
    const q = this.progOf[pi];
    const m = q ? this.state[q.base + F_MODE] : MODE_NONE;
    return m === MODE_EXTEND ? 'extend' : m === MODE_EARLY ? 'early' : m === MODE_PREEMPT ? 'preempt' : 'none';
  }

  /** The figures over every priority program. */
  totals(): PriorityTotals {
    const sum = (f: number) => this.progs.reduce((s, q) => s + this.state[q.base + f], 0);
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      junctions: this.progs.length,
      requests: { bus: sum(T_REQ_BUS), emergency: sum(T_REQ_EV) },
      granted: { extension: sum(T_EXTEND), earlyGreen: sum(T_EARLY), preemption: sum(T_PREEMPT) },
      refused: sum(T_REFUSED),
      greenCutSeconds: r3(sum(T_LOST)),
      greenAddedSeconds: r3(sum(T_ADDED)),
    };
  }

  /** One tick of program `pi`: requests read, granted or not, the interval in force set. */
  step(c: SimCtx, pi: number, time: number): void {
    const q = this.progOf[pi]!;
    const st = this.state;
    this.ensure(c.v.capacity);
    if (st[q.base + F_ALIGNED] === 1) this.onClock(q, time);
    else this.advance(q, time);
    if (q.listened) {
      this.scanRequests(c, q, time);
      this.decide(c, q, time);
      if (st[q.base + F_ALIGNED] === 0) this.advance(q, time);
    }
    if (st[q.base + F_ALIGNED] === 0) this.realign(q, time);
  }

  /** On the fixed-time clock: the interval as updateSignals computes it. */
  private onClock(q: Prog, time: number): void {
    const p = q.p;
    const n = p.starts.length;
    let tc = (time - p.offset) % p.cycle;
    if (tc < 0) tc += p.cycle;
    let k = 0;
    while (k + 1 < n && p.starts[k + 1] <= tc) k++;
    const start = time - tc + p.starts[k];
    p.live[LIVE_INTERVAL] = k;
    p.live[LIVE_START] = start;
    const end = start + nominal(p, k);
    p.live[LIVE_LIKELY] = end;
    this.state[q.base + F_END] = end;
    this.state[q.base + F_PLANNED] = end;
  }

  /** Off the clock: each interval ends at its planned end and the next one begins there. */
  private advance(q: Prog, time: number): void {
    const p = q.p;
    const st = this.state;
    for (let guard = 0; guard < 2 * p.starts.length + 2; guard++) {
      const k = p.live[LIVE_INTERVAL];
      const end = st[q.base + F_END];
      if (time < end) return;
      if (q.stage[k]) {
        const d = end - p.live[LIVE_START] - nominal(p, k);
        if (d < -EPS) st[q.base + T_LOST] -= d;
        else if (d > EPS) st[q.base + T_ADDED] += d;
      }
      this.enter(q, p.next[k], end);
    }
  }

  /** Where the plan's clock starts interval k nearest to time s. */
  private clockStart(p: SignalProgram, k: number, s: number): number {
    const at = p.offset + p.starts[k];
    return at + p.cycle * Math.round((s - at) / p.cycle);
  }

  /** Interval k begins at s (off the clock): its planned length, recovering the plan's offset. */
  private enter(q: Prog, k: number, s: number): void {
    const p = q.p;
    const st = this.state;
    const b = q.base;
    p.live[LIVE_INTERVAL] = k;
    p.live[LIVE_START] = s;
    const N = nominal(p, k);
    let len = N;
    if (q.stage[k]) {
      const dev = s - this.clockStart(p, k, s);
      len = dev >= 0 ? Math.max(q.floor[k], N - dev) : N - dev;
    }
    st[b + F_PLANNED] = s + len;
    let end = s + len;
    const mode = st[b + F_MODE];
    const col = st[b + F_COL];
    if (mode === MODE_EXTEND) st[b + F_MODE] = MODE_NONE;
    else if (mode === MODE_EARLY && q.stage[k] && isGo(p.states[k * p.conns.length + col])) st[b + F_MODE] = MODE_NONE;
    else if (mode === MODE_PREEMPT && q.stage[k]) {
      // the vehicle's green is held until it has crossed; any other stage passes at its minimum
      if (isGo(p.states[k * p.conns.length + col])) end = Infinity;
      else end = s + Math.min(N, q.evMinGreen);
    }
    st[b + F_END] = end;
    p.live[LIVE_LIKELY] = end;
  }

  /** Back on the fixed-time clock once the interval in force is where the clock has it. */
  private realign(q: Prog, time: number): void {
    const p = q.p;
    const st = this.state;
    if (st[q.base + F_MODE] !== MODE_NONE) return;
    const k = p.live[LIVE_INTERVAL];
    const n = p.starts.length;
    let tc = (time - p.offset) % p.cycle;
    if (tc < 0) tc += p.cycle;
    let kc = 0;
    while (kc + 1 < n && p.starts[kc + 1] <= tc) kc++;
    if (kc !== k) return;
    if (Math.abs(p.live[LIVE_START] - (time - tc + p.starts[k])) > EPS || Math.abs(st[q.base + F_END] - (time - tc + p.starts[k] + nominal(p, k))) > EPS) return;
    st[q.base + F_ALIGNED] = 1;
    this.onClock(q, time);
  }

  /**
   * The requests of this tick: on each approach lane, the equipped buses and emergency vehicles
   * within detectAt of the stop line whose BSM the RSU heard (bound for this program's movement);
   * the nearest new one of each kind, and whether the vehicle served is still on its approach.
   */
  private scanRequests(c: SimCtx, q: Prog, time: number): void {
    const s = c.v;
    const st = this.state;
    const sc = this.scan;
    const heard = this.sensing.heard!();
    sc.fill(-1);
    sc[S_EV_D] = Infinity;
    sc[S_BUS_D] = Infinity;
    sc[S_SERVED] = 0;
    const served = st[q.base + F_VEH];
    for (let l = 0; l < q.lanes.length; l++) {
      const lane = q.lanes[l];
      const len = c.laneLength[lane];
      for (let o = c.laneStart[lane + 1] - 1; o >= c.laneStart[lane]; o--) {
        const i = s.order[o];
        const d = len - s.pos[i];
        if (d > q.detectAt) break;
        const conn = s.nextConn[i];
        if (conn < 0 || this.connProg[conn] !== q.index) continue;
        const id = s.id[i];
        const eta = d / Math.max(s.speed[i], 0.5 * c.laneSpeed[lane]);
        if (id === served) {
          sc[S_SERVED] = 1;
          sc[S_SERVED_ETA] = eta;
        }
        const cls = c.tClass[s.type[i]];
        if ((cls !== CLASS_BUS && cls !== CLASS_EMERGENCY) || !(s.flags[i] & F_EQUIPPED) || heard[i] !== conn) continue;
        if (cls === CLASS_BUS && (!q.busOn || !busLate(c, i, time))) continue;
        if (cls === CLASS_EMERGENCY && !q.preempt) continue;
        if (this.reqId[i] !== id || this.reqProg[i] !== q.index) {
          this.reqId[i] = id;
          this.reqProg[i] = q.index;
          this.reqFlags[i] = 0;
        }
        if ((this.reqFlags[i] & R_COUNTED) === 0) {
          this.reqFlags[i] |= R_COUNTED;
          st[q.base + (cls === CLASS_BUS ? T_REQ_BUS : T_REQ_EV)]++;
        }
        if (this.reqFlags[i] & R_GRANTED) continue;
        const col = this.connCol[conn];
        if (cls === CLASS_EMERGENCY) {
          if (d < sc[S_EV_D] || (d === sc[S_EV_D] && id < sc[S_EV_ID])) {
            sc[S_EV_D] = d;
            sc[S_EV_ID] = id;
            sc[S_EV_COL] = col;
          }
        } else if (d < sc[S_BUS_D] || (d === sc[S_BUS_D] && id < sc[S_BUS_ID])) {
          sc[S_BUS_D] = d;
          sc[S_BUS_ID] = id;
          sc[S_BUS_COL] = col;
          sc[S_BUS_ETA] = eta;
        }
      }
    }
  }

  /** Marks the vehicle with this id (on this program's approaches) as granted here. */
  private markGranted(c: SimCtx, q: Prog, id: number): void {
    const i = this.slotOf(c, q, id);
    if (i >= 0) this.reqFlags[i] |= R_GRANTED;
  }

  /** Counts a bus request not granted, once per bus and junction. */
  private markRefused(c: SimCtx, q: Prog, id: number): void {
    const i = this.slotOf(c, q, id);
    if (i < 0 || this.reqFlags[i] & R_REFUSED) return;
    this.reqFlags[i] |= R_REFUSED;
    this.state[q.base + T_REFUSED]++;
  }

  /** The slot of the requesting vehicle with this id on this program's approaches, −1. */
  private slotOf(c: SimCtx, q: Prog, id: number): number {
    const s = c.v;
    for (let l = 0; l < q.lanes.length; l++)
      for (let o = c.laneStart[q.lanes[l]]; o < c.laneStart[q.lanes[l] + 1]; o++) {
        const i = s.order[o];
        if (s.id[i] === id && this.reqId[i] === id && this.reqProg[i] === q.index) return i;
      }
    return -1;
  }

  private decide(c: SimCtx, q: Prog, time: number): void {
    const p = q.p;
    const st = this.state;
    const sc = this.scan;
    const b = q.base;
    const n = p.conns.length;
    const k = p.live[LIVE_INTERVAL];
    const t0 = p.live[LIVE_START];
    const mode = st[b + F_MODE];
    if (mode === MODE_PREEMPT) {
      if (sc[S_SERVED] === 1) return;
      // the emergency vehicle has crossed (or left): the plan resumes from here
      st[b + F_MODE] = MODE_NONE;
      st[b + F_VEH] = -1;
      if (st[b + F_END] === Infinity) st[b + F_END] = Math.max(time, st[b + F_PLANNED]);
      p.live[LIVE_LIKELY] = st[b + F_END];
    }
    if (sc[S_EV_ID] >= 0) {
      const col = sc[S_EV_COL];
      if (st[b + F_MODE] === MODE_EXTEND || st[b + F_MODE] === MODE_EARLY) st[b + F_MODE] = MODE_NONE;
      st[b + F_ALIGNED] = 0;
      st[b + F_MODE] = MODE_PREEMPT;
      st[b + F_VEH] = sc[S_EV_ID];
      st[b + F_COL] = col;
      st[b + T_PREEMPT]++;
      this.markGranted(c, q, sc[S_EV_ID]);
      if (q.stage[k]) {
        if (isGo(p.states[k * n + col])) st[b + F_END] = Infinity;
        else st[b + F_END] = Math.min(st[b + F_END], Math.max(time, t0 + Math.min(nominal(p, k), q.evMinGreen)));
        p.live[LIVE_LIKELY] = st[b + F_END];
      }
      return;
    }
    if (mode === MODE_EXTEND) {
      // held until the bus is expected at the line, by at most `extension`; over once it crossed
      const planned = st[b + F_PLANNED];
      const cap = planned + this.extensionCap(q, k);
      const end = sc[S_SERVED] === 1 ? Math.min(cap, Math.max(planned, time + sc[S_SERVED_ETA] + CLEAR_MARGIN)) : Math.max(time, planned);
      st[b + F_END] = end;
      p.live[LIVE_LIKELY] = end;
      if (sc[S_SERVED] === 0) st[b + F_VEH] = -1;
      return;
    }
    if (mode === MODE_EARLY || sc[S_BUS_ID] < 0) return;
    // a new bus request
    const col = sc[S_BUS_COL];
    const eta = sc[S_BUS_ETA];
    const cycle = Math.floor((time - p.offset) / p.cycle);
    if (cycle !== st[b + F_CYCLE]) {
      st[b + F_CYCLE] = cycle;
      st[b + F_GRANTS] = 0;
    }
    // not granted (now): counted once per bus, asked again next tick (an early green may still help one too late for an extension)
    const refuse = () => this.markRefused(c, q, sc[S_BUS_ID]);
    if (!q.stage[k]) return; // decided when a stage is in force
    const end = st[b + F_END];
    const go = isGo(p.states[k * n + col]);
    let action = MODE_NONE;
    let newEnd = end;
    if (go) {
      if (time + eta + CLEAR_MARGIN <= end) return; // it makes this green: nothing to ask
      const need = time + eta + CLEAR_MARGIN - end;
      if (need <= this.extensionCap(q, k)) {
        action = MODE_EXTEND;
        newEnd = end + need;
      }
    } else {
      // its green must be the next one, and the bus there before it starts
      const j = q.nextStage[k];
      if (!isGo(p.states[j * n + col])) return;
      let greenAt = end;
      for (let x = p.next[k]; x !== j; x = p.next[x]) greenAt += nominal(p, x);
      if (time + eta >= greenAt) return;
      const cut = Math.min(q.earlyGreen, end - Math.max(time, t0 + q.floor[k]));
      if (cut > EPS) {
        action = MODE_EARLY;
        newEnd = end - cut;
      }
    }
    if (action === MODE_NONE || st[b + F_ALIGNED] === 0 || st[b + F_GRANTS] >= q.maxPerCycle) {
      refuse();
      return;
    }
    st[b + F_ALIGNED] = 0;
    st[b + F_MODE] = action;
    st[b + F_VEH] = sc[S_BUS_ID];
    st[b + F_COL] = col;
    st[b + F_GRANTS]++;
    st[b + (action === MODE_EXTEND ? T_EXTEND : T_EARLY)]++;
    st[b + F_END] = newEnd;
    p.live[LIVE_LIKELY] = newEnd;
    this.markGranted(c, q, sc[S_BUS_ID]);
  }

  /** The longest extension of stage k: `extension`, and (fixed-time) what the next green can give back above its floor. */
  private extensionCap(q: Prog, k: number): number {
    if (q.actuated) return q.extension;
    const j = q.nextStage[k];
    return Math.max(0, Math.min(q.extension, nominal(q.p, j) - q.floor[j]));
  }

  /** Room for `capacity` vehicle slots (grown between ticks). */
  private ensure(capacity: number): void {
    if (capacity <= this.reqId.length) return;
    const id = new Float64Array(capacity).fill(-1);
    id.set(this.reqId);
    const prog = new Int32Array(capacity).fill(-1);
    prog.set(this.reqProg);
    const flags = new Uint8Array(capacity);
    flags.set(this.reqFlags);
    this.reqId = id;
    this.reqProg = prog;
    this.reqFlags = flags;
  }

  hashInto(h: { update(b: Uint8Array): unknown }): void {
    if (this.progs.length === 0) return;
    const used = this.sensing.slots.used;
    const bytes = (a: Float64Array | Int32Array | Uint8Array, n = a.length) => new Uint8Array(a.buffer, a.byteOffset, n * a.BYTES_PER_ELEMENT);
    h.update(bytes(this.state));
    this.ensure(used);
    h.update(bytes(this.reqId, used));
    h.update(bytes(this.reqProg, used));
    h.update(bytes(this.reqFlags, used));
  }

  snapshot(w: SnapshotWriter): void {
    if (this.progs.length === 0) return;
    const used = this.sensing.slots.used;
    w.typed('signals.priority', this.state);
    this.ensure(used);
    w.typed('signals.priorityId', this.reqId, used);
    w.typed('signals.priorityProg', this.reqProg, used);
    w.typed('signals.priorityFlags', this.reqFlags, used);
  }

  restore(r: SnapshotReader): void {
    if (this.progs.length === 0) return;
    r.typedInto('signals.priority', this.state);
    this.ensure(r.peekLength('signals.priorityId', 8));
    this.reqId.fill(-1);
    this.reqProg.fill(-1);
    this.reqFlags.fill(0);
    r.typedInto('signals.priorityId', this.reqId);
    r.typedInto('signals.priorityProg', this.reqProg);
    r.typedInto('signals.priorityFlags', this.reqFlags);
  }
}
