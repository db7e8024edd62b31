/**
 * Signal controllers that react to traffic (docs/signals.md). Fixed-time programs are written by
 * updateSignals (road/signals.ts) from the time in their cycle; the programs of `actuated` and
 * `max-pressure` nodes are run here (`adaptive` ones by signal-adaptive.ts, called from here), in the serial signals phase at the start of a tick, from the
 * vehicle positions the previous tick left. Their state is a few numbers per program (the interval
 * in force and when it began, SignalProgram.live, in shared memory so that the SPAT readers of the
 * worker threads see it) and one time per detector loop; both go into checkpoints. Nothing here
 * allocates after construction, and nothing depends on the number of threads.
 *
 * actuated, as SUMO's gap-based `type="actuated"` tlLogic (MSActuatedTrafficLightLogic):
 * - a virtual loop sits on every lane that an actuated phase serves, min(detectorGap × lane speed,
 *   (minDur / passingTime + 0.5) × 7.5 m) upstream of the stop line (walked back onto the lane
 *   before when the lane is shorter and has a single way in, else at its start);
 * - a loop's gap is the time since a vehicle was last over it (0 while one is);
 * - an actuated phase (minDur < maxDur) runs at least minDur; after that it ends at the first tick
 *   when none of its loops has a gap under maxGap, and at maxDur at the latest; every other
 *   interval (yellow, all red, fixed greens) runs its duration.
 *   A loop serves a phase when every controlled connection leaving its lane may go in that phase
 *   (G; g only where the lane has a G in the phase and the link never has one, or the road has one
 *   lane), as SUMO's check.
 *
 * max-pressure (Varaiya 2013, "Max pressure control of a network of signalized intersections"):
 * a stage runs at least minGreen; then at every decision point (each `period` seconds) the stage
 * with the largest pressure Σ over its movements (x_up − x_down) gets the green — x_up the vehicles
 * on the approach lane bound for that movement, x_down the vehicles on its exit lane — the current
 * stage winning ties, the lowest index among the others. A change to another stage passes through
 * its yellow and all-red intervals; maxGreen (if given) forces a change.
 */
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import type { Network } from '../road/network.js';
import {
  CTRL_ACTUATED,
  CTRL_ADAPTIVE,
  CTRL_FIXED,
  CTRL_MAX_PRESSURE,
  CTRL_PRIORITY,
  LIVE_FIELDS,
  LIVE_INTERVAL,
  LIVE_LIKELY,
  LIVE_START,
  LIVE_TARGET,
  SIG_GREEN,
  SIG_GREEN_YIELD,
  isGo,
  nominal,
  type SignalProgram,
} from '../road/signals.js';
import type { SimCtx } from './context.js';
import { AdaptiveControllers } from './signal-adaptive.js';
import { PriorityControllers } from './signal-priority.js';

/** SUMO's DEFAULT_LENGTH_WITH_GAP: the space a queued car takes, m. */
const LENGTH_WITH_GAP = 7.5;
const EPS = 1e-6;

/** A controller's loop, for reading (tests, network.json). */
export interface LoopInfo {
  program: number;
  lane: number;
  pos: number;
}

export class SignalControllers {
  /** indices of the programs run here (actuated and max-pressure), ascending */
  readonly reacting: Int32Array;
  readonly loopLane: Int32Array;
  readonly loopPos: Float64Array;
  readonly loopProgram: Int32Array;
  /** the last time a vehicle was over each loop, s (−Infinity: never) */
  readonly loopLast: Float64Array;
  /** per program: CSR over its intervals of the loops that serve each (actuated) */
  private readonly phaseLoopStart: Int32Array[];
  private readonly phaseLoops: Int32Array[];
  /** per program: scratch pressure of each controlled connection (max-pressure) */
  private readonly connPressure: Float64Array[];
  /** per program: the time of the next decision point in a stage (max-pressure) */
  readonly decideAt: Float64Array;
  /** the adaptive programs (Webster from what the RSU sees), in their own module */
  readonly adaptive: AdaptiveControllers;
  /** the fixed-time programs with bus priority or emergency pre-emption, in their own module */
  readonly priority: PriorityControllers;

  constructor(
    private readonly net: Network,
    readonly programs: readonly SignalProgram[],
  ) {
    const reacting: number[] = [];
    programs.forEach((p, i) => p.kind !== CTRL_FIXED && reacting.push(i));
    this.reacting = Int32Array.from(reacting);
    const lanes: number[] = [];
    const pos: number[] = [];
    const owner: number[] = [];
    this.phaseLoopStart = [];
    this.phaseLoops = [];
    this.connPressure = programs.map((p) => new Float64Array(p.kind === CTRL_MAX_PRESSURE ? p.conns.length : 0));
    this.decideAt = new Float64Array(Math.max(1, programs.length));
    programs.forEach((p, pi) => {
      const { start, list } = p.kind === CTRL_ACTUATED ? this.placeLoops(p, pi, lanes, pos, owner) : { start: new Int32Array(1), list: new Int32Array(0) };
      this.phaseLoopStart.push(start);
      this.phaseLoops.push(list);
      if (p.kind === CTRL_MAX_PRESSURE && p.controller.type === 'max-pressure') this.decideAt[pi] = p.live[LIVE_START] + p.controller.minGreen;
    });
    this.loopLane = Int32Array.from(lanes);
    this.loopPos = Float64Array.from(pos);
    this.loopProgram = Int32Array.from(owner);
    this.loopLast = new Float64Array(lanes.length).fill(-Infinity);
    this.adaptive = new AdaptiveControllers(net, programs);
    this.priority = new PriorityControllers(net, programs);
  }

  /** Whether program `pi` runs off its plan's clock because of a priority request (signals.csv). */
  offPlan(pi: number): boolean {
    return this.priority.size > 0 && this.priority.offPlan(pi);
  }

  get size(): number {
    return this.reacting.length;
  }

  get loops(): LoopInfo[] {
    return Array.from(this.loopLane, (lane, d) => ({ program: this.loopProgram[d], lane, pos: this.loopPos[d] }));
  }

  /** The loops that serve interval k of program p (actuated). */
  loopsOf(p: number, k: number): number[] {
    const s = this.phaseLoopStart[p];
    return Array.from(this.phaseLoops[p].subarray(s[k], s[k + 1]));
  }

  /** One loop per lane served by an actuated phase of program p; which loops serve which phase. */
  private placeLoops(p: SignalProgram, pi: number, lanes: number[], pos: number[], owner: number[]): { start: Int32Array; list: Int32Array } {
    const net = this.net;
    const n = p.conns.length;
    const intervals = p.starts.length;
    const c = p.controller.type === 'actuated' ? p.controller : null;
    if (!c) throw new Error('placeLoops needs an actuated program');
    const actuated = (k: number) => p.minDur[k] < p.maxDur[k] - EPS;
    const st = (k: number, col: number) => p.states[k * n + col];
    // the lanes in order of first appearance, and the columns leaving each
    const laneCols = new Map<number, number[]>();
    for (let col = 0; col < n; col++) {
      const l = net.connFromLane[p.conns[col]];
      const cols = laneCols.get(l) ?? [];
      cols.push(col);
      laneCols.set(l, cols);
    }
    const neverMajor = Array.from({ length: n }, (_, col) => {
      for (let k = 0; k < intervals; k++) if (st(k, col) === SIG_GREEN) return false;
      return true;
    });
    const loopOfLane = new Map<number, number>();
    for (const [lane, cols] of [...laneCols.entries()].sort((a, b) => a[0] - b[0])) {
      // the shortest minDur of an actuated phase that lets this lane go (SUMO: getMinimumMinDuration)
      let minDur = Infinity;
      for (let k = 0; k < intervals; k++) if (actuated(k) && cols.some((col) => isGo(st(k, col)))) minDur = Math.min(minDur, p.minDur[k]);
      if (minDur === Infinity) continue;
      const dist = Math.min(c.detectorGap * net.laneSpeed[lane], (minDur / c.passingTime + 0.5) * LENGTH_WITH_GAP);
      let at = net.laneLength[lane] - dist;
      let onLane = lane;
      // walk back onto the lane before while there is a single way in (SUMO does the same)
      for (let hops = 0; at < 0 && hops < 8; hops++) {
        const i0 = net.laneInStart[onLane];
        if (net.laneInStart[onLane + 1] - i0 !== 1) break;
        onLane = net.connFromLane[net.laneIns[i0]];
        at += net.laneLength[onLane];
      }
      loopOfLane.set(lane, lanes.length);
      lanes.push(onLane);
      pos.push(Math.max(0, at));
      owner.push(pi);
    }
    const start = new Int32Array(intervals + 1);
    const list: number[] = [];
    for (let k = 0; k < intervals; k++) {
      if (actuated(k)) {
        const laneHasMajor = (lane: number) => laneCols.get(lane)!.some((col) => st(k, col) === SIG_GREEN);
        const serves = (col: number) => {
          const s = st(k, col);
          if (s === SIG_GREEN) return true;
          if (s !== SIG_GREEN_YIELD) return false;
          const lane = net.connFromLane[p.conns[col]];
          return (neverMajor[col] && laneHasMajor(lane)) || net.edgeLanes[net.laneEdge[lane]] === 1;
        };
        const mine: number[] = [];
        for (const [lane, cols] of laneCols) {
          const d = loopOfLane.get(lane);
          if (d !== undefined && cols.every(serves)) mine.push(d);
        }
        list.push(...mine.sort((a, b) => a - b));
      }
      start[k + 1] = list.length;
    }
    return { start, list: Int32Array.from(list) };
  }

  /** Writes the reacting programs' current states (at construction and after a restore). */
  writeStates(connState: Uint8Array): void {
    for (let q = 0; q < this.reacting.length; q++) {
      const p = this.programs[this.reacting[q]];
      const n = p.conns.length;
      const base = p.live[LIVE_INTERVAL] * n;
      for (let k = 0; k < n; k++) connState[p.conns[k]] = p.states[base + k];
    }
  }

  /** The controllers' tick: loops read, decisions taken, states written (after updateSignals). */
  update(c: SimCtx, time: number, connState: Uint8Array): void {
    if (this.reacting.length === 0) return;
    this.readLoops(c, time);
    for (let q = 0; q < this.reacting.length; q++) {
      const pi = this.reacting[q];
      const p = this.programs[pi];
      if (p.kind === CTRL_ACTUATED) this.stepActuated(c, pi, p, time);
      else if (p.kind === CTRL_ADAPTIVE) this.adaptive.step(c, pi, time);
      else if (p.kind === CTRL_PRIORITY) this.priority.step(c, pi, time);
      else this.stepMaxPressure(c, pi, p, time);
    }
    this.writeStates(connState);
  }

  /** Each loop: occupied now, or left by a vehicle's rear during the last tick (interpolated). */
  private readLoops(c: SimCtx, time: number): void {
    const s = c.v;
    const dt = c.dt;
    for (let d = 0; d < this.loopLane.length; d++) {
      const lane = this.loopLane[d];
      const p = this.loopPos[d];
      const end = c.laneStart[lane + 1];
      let lo = c.laneStart[lane];
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (s.pos[s.order[mid]] < p) lo = mid + 1;
        else hi = mid;
      }
      if (lo >= end) continue;
      const j = s.order[lo];
      const rear = s.pos[j] - c.tLen[s.type[j]];
      if (rear <= p) this.loopLast[d] = time;
      else {
        const dx = s.lastDx[j];
        if (rear - dx < p && dx > 0) {
          const left = time - (dt * (rear - p)) / dx;
          if (left > this.loopLast[d]) this.loopLast[d] = left;
        }
      }
    }
  }

  private stepActuated(c: SimCtx, pi: number, p: SignalProgram, time: number): void {
    const live = p.live;
    const k = live[LIVE_INTERVAL];
    const t0 = live[LIVE_START];
    const el = time - t0;
    const lo = p.minDur[k];
    const hi = p.maxDur[k];
    let end = el >= lo - EPS;
    let likely = t0 + lo;
    if (lo < hi - EPS) {
      const cfg = p.controller;
      const maxGap = cfg.type === 'actuated' ? cfg.maxGap : 0;
      // the green goes on while a loop saw a vehicle less than maxGap ago
      let extend = false;
      let lastSeen = -Infinity;
      const s = this.phaseLoopStart[pi];
      const list = this.phaseLoops[pi];
      for (let q = s[k]; q < s[k + 1]; q++) {
        const last = this.loopLast[list[q]];
        if (time - last < maxGap - EPS) extend = true;
        if (last > lastSeen) lastSeen = last;
      }
      if (extend && el < hi - EPS) end = false;
      likely = Math.min(t0 + hi, Math.max(t0 + lo, lastSeen + maxGap));
    }
    if (p.priority) {
      // bus priority and pre-emption hold or end the green (signal-priority.ts), and say when it likely ends
      end = this.priority.actuated(c, pi, time, end, likely);
      likely = this.priority.likely;
    }
    if (end) this.enter(p, p.next[k], time);
    else live[LIVE_LIKELY] = Math.max(likely, time);
  }

  /** Interval k begins at `time`. */
  private enter(p: SignalProgram, k: number, time: number): void {
    const live = p.live;
    live[LIVE_INTERVAL] = k;
    live[LIVE_START] = time;
    live[LIVE_LIKELY] = time + Math.min(p.maxDur[k], Math.max(p.minDur[k], nominal(p, k)));
  }

  private stepMaxPressure(c: SimCtx, pi: number, p: SignalProgram, time: number): void {
    const cfg = p.controller;
    if (cfg.type !== 'max-pressure') return;
    const live = p.live;
    const k = live[LIVE_INTERVAL];
    const el = time - live[LIVE_START];
    const P = p.stages;
    if (k >= P) {
      // a change interval: runs its length, then the next one or the target stage
      if (el < p.minDur[k] - EPS) return;
      const nk = p.next[k];
      this.enter(p, nk, time);
      if (nk < P) this.startStage(pi, p, nk, time);
      return;
    }
    if (el < cfg.minGreen - EPS) return;
    const forced = cfg.maxGreen !== undefined && el >= cfg.maxGreen - EPS;
    if (!forced && time < this.decideAt[pi] - EPS) return;
    const best = this.bestStage(c, pi, p, forced ? k : -1);
    if (best === k || best < 0) {
      // keep the green to the next decision point
      while (this.decideAt[pi] <= time + EPS) this.decideAt[pi] += cfg.period;
      live[LIVE_LIKELY] = this.decideAt[pi];
      return;
    }
    const first = p.trans[k * P + best];
    if (first < 0) {
      this.enter(p, best, time);
      this.startStage(pi, p, best, time);
    } else {
      this.enter(p, first, time);
      live[LIVE_TARGET] = best;
    }
  }

  private startStage(pi: number, p: SignalProgram, k: number, time: number): void {
    const cfg = p.controller;
    const minGreen = cfg.type === 'max-pressure' ? cfg.minGreen : 0;
    p.live[LIVE_TARGET] = -1;
    p.live[LIVE_LIKELY] = time + minGreen;
    this.decideAt[pi] = time + minGreen;
  }

  /**
   * The stage with the largest pressure (the current one on a tie, else the lowest index);
   * `exclude` (maxGreen reached) is never chosen.
   */
  private bestStage(c: SimCtx, pi: number, p: SignalProgram, exclude: number): number {
    const s = c.v;
    const net = this.net;
    const n = p.conns.length;
    const w = this.connPressure[pi];
    for (let col = 0; col < n; col++) {
      const conn = p.conns[col];
      const up = net.connFromLane[conn];
      const down = net.connToLane[conn];
      let x = 0;
      for (let q = c.laneStart[up]; q < c.laneStart[up + 1]; q++) if (s.nextConn[s.order[q]] === conn) x++;
      w[col] = x - (c.laneStart[down + 1] - c.laneStart[down]);
    }
    const cur = p.live[LIVE_INTERVAL];
    let best = -1;
    let bestP = -Infinity;
    for (let k = 0; k < p.stages; k++) {
      if (k === exclude) continue;
      let sum = 0;
      for (let col = 0; col < n; col++) if (isGo(p.states[k * n + col])) sum += w[col];
      if (sum > bestP || (sum === bestP && k === cur)) {
        best = k;
        bestP = sum;
      }
    }
    return best;
  }

  /** Adds the controllers' state to a state hash (nothing without a reacting program). */
  hashInto(h: { update(b: Uint8Array): unknown }): void {
    if (this.reacting.length === 0) return;
    const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let q = 0; q < this.reacting.length; q++) h.update(bytes(this.programs[this.reacting[q]].live));
    h.update(bytes(this.decideAt));
    h.update(bytes(this.loopLast));
    this.adaptive.hashInto(h);
    this.priority.hashInto(h);
  }

  /** The controllers' state: each program's live fields, the decision times and the loops' last detections. */
  snapshot(w: SnapshotWriter): void {
    if (this.reacting.length === 0) return;
    const live = new Float64Array(this.programs.length * LIVE_FIELDS);
    this.programs.forEach((p, i) => live.set(p.live, i * LIVE_FIELDS));
    w.typed('signals.live', live);
    w.typed('signals.decideAt', this.decideAt);
    w.typed('signals.loopLast', this.loopLast);
    this.adaptive.snapshot(w);
    this.priority.snapshot(w);
  }

  restore(r: SnapshotReader): void {
    if (this.reacting.length === 0) return;
    const live = new Float64Array(this.programs.length * LIVE_FIELDS);
    r.typedInto('signals.live', live);
    this.programs.forEach((p, i) => p.live.set(live.subarray(i * LIVE_FIELDS, (i + 1) * LIVE_FIELDS)));
    r.typedInto('signals.decideAt', this.decideAt);
    r.typedInto('signals.loopLast', this.loopLast);
    this.adaptive.restore(r);
    this.priority.restore(r);
  }
}
