/**
 * Fixed-time signal plans. A node with an explicit program (`signal.program`, e.g. imported from
 * a SUMO tlLogic) runs it as written: each phase's state string gives, character by character,
 * the state of the connections its link controls. For every other `control: signal` node the
 * generator groups the approaches
 * into two axes (arms roughly opposite each other share an axis) and gives each axis a through
 * phase (through + right turns, plus left turns where they are permitted and yield) and, where
 * left turns are protected, a left-turn phase. Every green is followed by yellow and all-red.
 * Greens share the cycle in proportion to the lanes they serve, at least 5 s each.
 *
 * How a program moves from one interval to the next is its controller (`signal.controller`):
 * fixed-time programs (CTRL_FIXED) by the time in the cycle, here (updateSignals); actuated and
 * max-pressure ones by engine/traffic/signal-control.ts, adaptive ones by
 * engine/traffic/signal-adaptive.ts, from the per-interval minDur/maxDur and
 * successors built here. Max-pressure programs are laid out as stages first, then the change
 * intervals between every two stages (docs/signals.md).
 */
import type { SignalControllerSpec, SignalPlanSpec, SignalPrioritySpec, SignalProgramSpec } from '../spec/schema.js';
import { normalizeAngle, endHeading } from './geometry.js';
import { TURN_LEFT, TURN_UTURN, type Network } from './network.js';

/** Per-connection signal state, read by the junction logic every tick. */
export const SIG_GREEN = 0; // go, with right of way
export const SIG_GREEN_YIELD = 1; // go, but yield to foes of better rank (permitted left, priority junctions)
export const SIG_YELLOW = 2;
export const SIG_RED = 3;
export const signalStateNames = ['G', 'g', 'y', 'r'];

export const MIN_GREEN = 5;

/** How a program runs (SignalProgram.kind): by the time in its cycle, or by a controller (engine/traffic/signal-control.ts). */
export const CTRL_FIXED = 0;
export const CTRL_ACTUATED = 1;
export const CTRL_MAX_PRESSURE = 2;
export const CTRL_ADAPTIVE = 3;
/** a fixed-time plan with bus priority or emergency pre-emption (engine/traffic/signal-priority.ts) */
export const CTRL_PRIORITY = 4;
export const controllerNames = ['fixed', 'actuated', 'max-pressure', 'adaptive', 'fixed+priority'] as const;

/** The fields of SignalProgram.live, a reacting controller's state. */
export const LIVE_INTERVAL = 0; // the interval in force
export const LIVE_START = 1; // the time it began, s
export const LIVE_LIKELY = 2; // when it is likely to end, s (actuated: the gap-out time if no vehicle comes)
export const LIVE_TARGET = 3; // max-pressure, during a change: the stage it leads to (−1 in a stage)
export const LIVE_FIELDS = 4;

export interface SignalProgram {
  node: number;
  cycle: number;
  offset: number;
  /** connections this program controls */
  conns: Int32Array;
  /** start time within the cycle of each interval (ascending, first is 0) */
  starts: Float64Array;
  /** states[interval * conns.length + k] */
  states: Uint8Array;
  /** human-readable phase list, for network.json and the viewer */
  phases: { name: string; green: number }[];
  /** CTRL_FIXED, CTRL_ACTUATED, CTRL_MAX_PRESSURE, CTRL_ADAPTIVE or CTRL_PRIORITY */
  kind: number;
  /** priority for buses and emergency vehicles (CTRL_PRIORITY and actuated programs; others null) */
  priority: SignalPrioritySpec | null;
  /** the controller and its parameters, defaults filled (fixed: { type: 'fixed' }) */
  controller: SignalControllerSpec;
  /** per interval: its shortest and longest duration, s (fixed-time intervals: both its length) */
  minDur: Float64Array;
  maxDur: Float64Array;
  /** per interval: the one after it; −1 where the controller chooses (max-pressure stages) */
  next: Int32Array;
  /** max-pressure: intervals 0 … stages − 1 are the stages, the rest change intervals (others: 0) */
  stages: number;
  /** max-pressure: trans[i * stages + j] is the first change interval from stage i to stage j (−1: j follows at once) */
  trans: Int32Array;
  /**
   * A reacting controller's state (LIVE_* fields), in shared memory: the controller writes it in
   * the serial signals phase, SPAT readers in worker threads read it. Unused by fixed-time programs.
   */
  live: Float64Array;
  /**
   * adaptive: the length of each interval in the cycle under way, s (set at each cycle start by
   * engine/traffic/signal-adaptive.ts), in shared memory for the SPAT readers; others: empty.
   */
  plan: Float64Array;
}

interface Phase {
  name: string;
  weight: number;
  green: Set<number>; // connections with protected green
  yieldGreen: Set<number>; // connections with permitted (yielding) green
}

export function buildSignalPrograms(net: Network): { programs: SignalProgram[]; problems: { node: number; message: string }[] } {
  const programs: SignalProgram[] = [];
  const problems: { node: number; message: string }[] = [];
  for (let n = 0; n < net.nodeIds.length; n++) {
    const explicit = net.nodeProgram[n];
    if (explicit) {
      const program = programFromSpec(net, n, explicit);
      if (program) programs.push(program);
      continue;
    }
    const plan = net.nodeSignal[n];
    const conns = net.nodeConns[n];
    if (!plan || conns.length === 0) continue;
    const program = buildProgram(net, n, conns, plan);
    if (typeof program === 'string') problems.push({ node: n, message: program });
    else programs.push(program);
  }
  const live = new Float64Array(new SharedArrayBuffer(Math.max(1, programs.length) * LIVE_FIELDS * 8));
  const planned = programs.reduce((n, p) => n + (p.kind === CTRL_ADAPTIVE ? p.starts.length : 0), 0);
  const plans = new Float64Array(new SharedArrayBuffer(Math.max(1, planned) * 8));
  let at = 0;
  programs.forEach((p, i) => {
    p.live = live.subarray(i * LIVE_FIELDS, (i + 1) * LIVE_FIELDS);
    if (p.kind === CTRL_ADAPTIVE) {
      p.plan = plans.subarray(at, at + p.starts.length);
      for (let k = 0; k < p.starts.length; k++) p.plan[k] = nominal(p, k);
      at += p.starts.length;
    }
    startLive(p);
  });
  return { programs, problems };
}

/** A reacting program's state at t = 0: the interval the fixed-time rule gives (so an offset still staggers it). */
function startLive(p: SignalProgram): void {
  if (p.kind === CTRL_FIXED) return;
  let tc = -p.offset % p.cycle;
  if (tc < 0) tc += p.cycle;
  let k = 0;
  while (k + 1 < p.starts.length && p.starts[k + 1] <= tc) k++;
  if (p.kind === CTRL_MAX_PRESSURE) k = 0;
  p.live[LIVE_INTERVAL] = k;
  p.live[LIVE_START] = p.kind === CTRL_MAX_PRESSURE ? 0 : -(tc - p.starts[k]);
  p.live[LIVE_LIKELY] = p.live[LIVE_START] + Math.min(p.maxDur[k], Math.max(p.minDur[k], nominal(p, k)));
  p.live[LIVE_TARGET] = -1;
}

/** The nominal length of interval k (its length in the fixed-time layout). */
export function nominal(p: SignalProgram, k: number): number {
  return (k + 1 < p.starts.length ? p.starts[k + 1] : p.cycle) - p.starts[k];
}

/** Whether a state lets vehicles go (G or g). */
export const isGo = (st: number): boolean => st === SIG_GREEN || st === SIG_GREEN_YIELD;

/** The interval of a program in force at `time`: from the cycle (fixed-time) or the controller's state. */
export function intervalAt(prog: SignalProgram, time: number): number {
  if (prog.kind !== CTRL_FIXED) return prog.live[LIVE_INTERVAL];
  let tc = (time - prog.offset) % prog.cycle;
  if (tc < 0) tc += prog.cycle;
  let interval = 0;
  while (interval + 1 < prog.starts.length && prog.starts[interval + 1] <= tc) interval++;
  return interval;
}

/** The controller of a spec, with its defaults (a plan or program without one is fixed-time). */
function controllerOf(spec: SignalControllerSpec | undefined): SignalControllerSpec {
  return spec ?? { type: 'fixed' };
}

const kindOf = (c: SignalControllerSpec, priority: SignalPrioritySpec | null): number =>
  c.type === 'actuated' ? CTRL_ACTUATED : c.type === 'max-pressure' ? CTRL_MAX_PRESSURE : c.type === 'adaptive' ? CTRL_ADAPTIVE : priority ? CTRL_PRIORITY : CTRL_FIXED;

/**
 * The cyclic layout (fixed-time, actuated, adaptive): intervals in order, each followed by the
 * next. `minDur`/`maxDur` per interval; fixed-time and adaptive: both the interval's length (the
 * adaptive controller widens its stages' bounds, engine/traffic/signal-adaptive.ts).
 */
function cyclic(
  base: Omit<SignalProgram, 'kind' | 'controller' | 'priority' | 'minDur' | 'maxDur' | 'next' | 'stages' | 'trans' | 'live' | 'plan'>,
  controller: SignalControllerSpec,
  minDur: number[],
  maxDur: number[],
  priority: SignalPrioritySpec | undefined,
): SignalProgram {
  const n = base.starts.length;
  const kind = kindOf(controller, priority ?? null);
  const len = (k: number) => (k + 1 < n ? base.starts[k + 1] : base.cycle) - base.starts[k];
  return {
    ...base,
    kind,
    controller,
    priority: kind === CTRL_PRIORITY || kind === CTRL_ACTUATED ? (priority ?? null) : null,
    minDur: Float64Array.from({ length: n }, (_, k) => (kind === CTRL_FIXED || kind === CTRL_ADAPTIVE || kind === CTRL_PRIORITY ? len(k) : minDur[k])),
    maxDur: Float64Array.from({ length: n }, (_, k) => (kind === CTRL_FIXED || kind === CTRL_ADAPTIVE || kind === CTRL_PRIORITY ? len(k) : maxDur[k])),
    next: Int32Array.from({ length: n }, (_, k) => (k + 1) % n),
    stages: 0,
    trans: new Int32Array(0),
    live: new Float64Array(LIVE_FIELDS),
    plan: new Float64Array(0),
  };
}

/**
 * The stage layout (max-pressure): the stages (green rows) first, then for every ordered pair of
 * stages its change intervals, built as the generated plans build theirs: a movement green in
 * both stages keeps its state, one that loses its green shows yellow, then red in the all-red.
 */
function staged(
  node: number,
  conns: Int32Array,
  offset: number,
  names: string[],
  greenRows: number[][],
  yellow: number,
  allRed: number,
  controller: Extract<SignalControllerSpec, { type: 'max-pressure' }>,
): SignalProgram {
  const P = greenRows.length;
  const rows: number[][] = [...greenRows];
  const dur: number[] = greenRows.map(() => controller.minGreen);
  const maxD: number[] = greenRows.map(() => controller.maxGreen ?? Infinity);
  const next: number[] = greenRows.map(() => -1);
  const trans = new Int32Array(P * P).fill(-1);
  for (let i = 0; i < P; i++)
    for (let j = 0; j < P; j++) {
      if (i === j) continue;
      const a = greenRows[i];
      const b = greenRows[j];
      const keeps = (k: number) => isGo(a[k]) && isGo(b[k]);
      const change: number[][] = [];
      const lens: number[] = [];
      if (yellow > 0) {
        change.push(a.map((st, k) => (!isGo(st) ? SIG_RED : keeps(k) ? st : SIG_YELLOW)));
        lens.push(yellow);
      }
      if (allRed > 0) {
        change.push(a.map((st, k) => (keeps(k) ? st : SIG_RED)));
        lens.push(allRed);
      }
      if (change.length === 0) continue;
      trans[i * P + j] = rows.length;
      change.forEach((row, q) => {
        rows.push(row);
        dur.push(lens[q]);
        maxD.push(lens[q]);
        next.push(q + 1 < change.length ? rows.length : j);
      });
    }
  const starts: number[] = [];
  let t = 0;
  for (const d of dur) {
    starts.push(t);
    t += d;
  }
  return {
    node,
    cycle: t,
    offset,
    conns,
    starts: Float64Array.from(starts),
    states: Uint8Array.from(rows.flat()),
    phases: names.map((name) => ({ name, green: controller.minGreen })),
    kind: CTRL_MAX_PRESSURE,
    controller,
    priority: null,
    minDur: Float64Array.from(dur),
    maxDur: Float64Array.from(maxD),
    next: Int32Array.from(next),
    stages: P,
    trans,
    live: new Float64Array(LIVE_FIELDS),
    plan: new Float64Array(0),
  };
}

/** What each SUMO-style state character means to the junction logic (schema.ts, SIGNAL_STATE_CHARS). */
export function signalStateOf(ch: string): number {
  switch (ch) {
    case 'G':
      return SIG_GREEN;
    case 'y':
    case 'Y':
      return SIG_YELLOW;
    case 'r':
    case 'R':
    case 'u':
      return SIG_RED;
    default:
      // g, and o/O/s (signal off, stop sign): go, giving way by the junction's ranks
      return SIG_GREEN_YIELD;
  }
}

/**
 * An explicit program: the controlled connections are the links in order (a link naming several
 * connections repeats its character for each). Links that name no built connection are skipped
 * (the semantic checks report them). Connections of the node that no link names keep their
 * resting state, right of way by rank.
 */
function programFromSpec(net: Network, node: number, spec: SignalProgramSpec): SignalProgram | null {
  const conns: number[] = [];
  const charOf: number[] = [];
  spec.links.forEach((link, k) => {
    for (const ref of typeof link === 'number' ? [link] : link) {
      const c = ref < net.connOfSpec.length ? net.connOfSpec[ref] : -1;
      if (c < 0) continue;
      conns.push(c);
      charOf.push(k);
    }
  });
  if (conns.length === 0) return null;
  const controller = controllerOf(spec.controller);
  const rowOf = (state: string) => charOf.map((k) => signalStateOf(state[k] ?? 'r'));
  if (controller.type === 'max-pressure') {
    // the stages: the phases with a green and no yellow, each green set once
    const seen = new Set<string>();
    const stages = spec.program.filter((p) => {
      const row = rowOf(p.state);
      const key = row.join('');
      if (!row.some(isGo) || row.includes(SIG_YELLOW) || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (stages.length === 0) return null;
    return staged(node, Int32Array.from(conns), spec.offset, stages.map((p) => p.state), stages.map((p) => rowOf(p.state)), spec.yellow ?? 3, spec.allRed ?? 1, controller);
  }
  const starts: number[] = [];
  const states: number[] = [];
  let t = 0;
  for (const phase of spec.program) {
    starts.push(t);
    states.push(...rowOf(phase.state));
    t += phase.duration;
  }
  return cyclic(
    {
      node,
      cycle: t,
      offset: spec.offset,
      conns: Int32Array.from(conns),
      starts: Float64Array.from(starts),
      states: Uint8Array.from(states),
      phases: spec.program.map((p) => ({ name: p.state, green: p.duration })),
    },
    controller,
    spec.program.map((p) => p.minDur ?? p.duration),
    spec.program.map((p) => p.maxDur ?? p.duration),
    spec.priority,
  );
}

function buildProgram(net: Network, node: number, conns: number[], plan: SignalPlanSpec): SignalProgram | string {
  const approaches = [...new Set(conns.map((c) => net.connFromEdge[c]))].sort((a, b) => a - b);
  const armAngle = (e: number) => normalizeAngle(endHeading(net.edgeShape[e]) + Math.PI);
  // reference: the widest approach; axis by doubled angle so that opposite arms coincide
  const ref = [...approaches].sort((a, b) => net.edgeLanes[b] - net.edgeLanes[a] || a - b)[0];
  const axisOf = (e: number) => (Math.abs(normalizeAngle(2 * (armAngle(e) - armAngle(ref)))) < Math.PI / 2 ? 0 : 1);
  const leftLike = (c: number) => net.connDir[c] === TURN_LEFT || net.connDir[c] === TURN_UTURN;
  const protectedLeft = (e: number) =>
    plan.leftTurns === 'protected' || (plan.leftTurns === 'auto' && net.edgeLanes[e] >= 3);

  const phases: Phase[] = [];
  for (const axis of [0, 1]) {
    const arms = approaches.filter((e) => axisOf(e) === axis);
    if (arms.length === 0) continue;
    const lanes = Math.max(...arms.map((e) => net.edgeLanes[e]));
    const through: Phase = { name: `axis${axis}-through`, weight: lanes, green: new Set(), yieldGreen: new Set() };
    const left: Phase = { name: `axis${axis}-left`, weight: Math.max(1, lanes * 0.3), green: new Set(), yieldGreen: new Set() };
    for (const c of conns) {
      const e = net.connFromEdge[c];
      if (axisOf(e) !== axis) continue;
      if (!leftLike(c)) through.green.add(c);
      else if (protectedLeft(e)) left.green.add(c);
      else through.yieldGreen.add(c);
    }
    // an axis with a single arm (the stem of a T) has no opposing traffic: its lefts are protected
    if (arms.length === 1) for (const c of through.yieldGreen) through.green.add(c);
    if (arms.length === 1) through.yieldGreen.clear();
    if (through.green.size + through.yieldGreen.size > 0) phases.push(through);
    if (left.green.size > 0) phases.push(left);
  }
  const lost = phases.length * (plan.yellow + plan.allRed);
  const greenTotal = plan.cycle - lost;
  if (greenTotal < MIN_GREEN * phases.length)
    return `signal cycle ${plan.cycle} s is too short for ${phases.length} phases with ${plan.yellow} s yellow and ${plan.allRed} s all-red (needs at least ${lost + MIN_GREEN * phases.length} s)`;
  const weightSum = phases.reduce((s, p) => s + p.weight, 0);
  // shares in proportion to the weights, then rescaled above the minimum so they fill the cycle exactly
  let greens = phases.map((p) => Math.max(MIN_GREEN, (greenTotal * p.weight) / weightSum));
  const above = greens.reduce((s, g) => s + g - MIN_GREEN, 0);
  const scale = above > 0 ? (greenTotal - MIN_GREEN * phases.length) / above : 1;
  greens = greens.map((g) => MIN_GREEN + (g - MIN_GREEN) * scale);

  const stateOf = (c: number, ph: Phase) => (ph.green.has(c) ? SIG_GREEN : ph.yieldGreen.has(c) ? SIG_GREEN_YIELD : SIG_RED);
  const controller = controllerOf(plan.controller);
  if (controller.type === 'max-pressure')
    return staged(node, Int32Array.from(conns), plan.offset, phases.map((p) => p.name), phases.map((p) => conns.map((c) => stateOf(c, p))), plan.yellow, plan.allRed, controller);
  const starts: number[] = [];
  const states: number[] = [];
  const minDur: number[] = [];
  const maxDur: number[] = [];
  const minGreen = controller.type === 'actuated' ? controller.minGreen : 0;
  const maxGreen = controller.type === 'actuated' ? Math.max(controller.maxGreen, controller.minGreen) : 0;
  let t = 0;
  phases.forEach((p, i) => {
    const next = phases[(i + 1) % phases.length];
    const greenRow = conns.map((c) => stateOf(c, p));
    // movements green in this phase and the next stay green through the change interval
    const keeps = (c: number) => stateOf(c, p) !== SIG_RED && stateOf(c, next) !== SIG_RED;
    const yellowRow = conns.map((c, j) => (greenRow[j] === SIG_RED ? SIG_RED : keeps(c) ? greenRow[j] : SIG_YELLOW));
    const redRow = conns.map((c, j) => (greenRow[j] !== SIG_RED && keeps(c) ? greenRow[j] : SIG_RED));
    starts.push(t);
    states.push(...greenRow);
    minDur.push(minGreen);
    maxDur.push(maxGreen);
    t += greens[i];
    if (plan.yellow > 0) {
      starts.push(t);
      states.push(...yellowRow);
      minDur.push(plan.yellow);
      maxDur.push(plan.yellow);
      t += plan.yellow;
    }
    if (plan.allRed > 0) {
      starts.push(t);
      states.push(...redRow);
      minDur.push(plan.allRed);
      maxDur.push(plan.allRed);
      t += plan.allRed;
    }
  });
  return cyclic(
    {
      node,
      cycle: plan.cycle,
      offset: plan.offset,
      conns: Int32Array.from(conns),
      starts: Float64Array.from(starts),
      states: Uint8Array.from(states),
      phases: phases.map((p, i) => ({ name: p.name, green: greens[i] })),
    },
    controller,
    minDur,
    maxDur,
    plan.priority,
  );
}

/** Writes the current state of every connection of a fixed-time program into `connState`. */
export function updateSignals(programs: readonly SignalProgram[], time: number, connState: Uint8Array): void {
  for (let p = 0; p < programs.length; p++) {
    const prog = programs[p];
    if (prog.kind !== CTRL_FIXED) continue; // written by its controller (engine/traffic/signal-control.ts)
    let tc = (time - prog.offset) % prog.cycle;
    if (tc < 0) tc += prog.cycle;
    const starts = prog.starts;
    let interval = 0;
    while (interval + 1 < starts.length && starts[interval + 1] <= tc) interval++;
    const n = prog.conns.length;
    const base = interval * n;
    for (let k = 0; k < n; k++) connState[prog.conns[k]] = prog.states[base + k];
  }
}

/** The resting state of every connection without a signal: right of way by rank. */
export function initialConnectionStates(net: Network): Uint8Array {
  const s = new Uint8Array(new SharedArrayBuffer(Math.max(1, net.connCount)));
  for (let c = 0; c < net.connCount; c++) s[c] = net.connRank[c] === 0 ? SIG_GREEN : SIG_GREEN_YIELD;
  return s;
}
