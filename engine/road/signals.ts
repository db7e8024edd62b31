/**
 * Fixed-time signal plans. A node with an explicit program (`signal.program`, e.g. imported from
 * a SUMO tlLogic) runs it as written: each phase's state string gives, character by character,
 * the state of the connections its link controls. For every other `control: signal` node the
 * generator groups the approaches
 * into two axes (arms roughly opposite each other share an axis) and gives each axis a through
 * phase (through + right turns, plus left turns where they are permitted and yield) and, where
 * left turns are protected, a left-turn phase. Every green is followed by yellow and all-red.
 * Greens share the cycle in proportion to the lanes they serve, at least 5 s each.
 */
import type { SignalPlanSpec, SignalProgramSpec } from '../spec/schema.js';
import { normalizeAngle, endHeading } from './geometry.js';
import { TURN_LEFT, TURN_UTURN, type Network } from './network.js';

/** Per-connection signal state, read by the junction logic every tick. */
export const SIG_GREEN = 0; // go, with right of way
export const SIG_GREEN_YIELD = 1; // go, but yield to foes of better rank (permitted left, priority junctions)
export const SIG_YELLOW = 2;
export const SIG_RED = 3;
export const signalStateNames = ['G', 'g', 'y', 'r'];

export const MIN_GREEN = 5;

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
  return { programs, problems };
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
  const starts: number[] = [];
  const states: number[] = [];
  let t = 0;
  for (const phase of spec.program) {
    starts.push(t);
    for (const k of charOf) states.push(signalStateOf(phase.state[k] ?? 'r'));
    t += phase.duration;
  }
  return {
    node,
    cycle: t,
    offset: spec.offset,
    conns: Int32Array.from(conns),
    starts: Float64Array.from(starts),
    states: Uint8Array.from(states),
    phases: spec.program.map((p) => ({ name: p.state, green: p.duration })),
  };
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

  const starts: number[] = [];
  const states: number[] = [];
  let t = 0;
  phases.forEach((p, i) => {
    const next = phases[(i + 1) % phases.length];
    const stateOf = (c: number, ph: Phase) => (ph.green.has(c) ? SIG_GREEN : ph.yieldGreen.has(c) ? SIG_GREEN_YIELD : SIG_RED);
    const greenRow = conns.map((c) => stateOf(c, p));
    // movements green in this phase and the next stay green through the change interval
    const keeps = (c: number) => stateOf(c, p) !== SIG_RED && stateOf(c, next) !== SIG_RED;
    const yellowRow = conns.map((c, j) => (greenRow[j] === SIG_RED ? SIG_RED : keeps(c) ? greenRow[j] : SIG_YELLOW));
    const redRow = conns.map((c, j) => (greenRow[j] !== SIG_RED && keeps(c) ? greenRow[j] : SIG_RED));
    starts.push(t);
    states.push(...greenRow);
    t += greens[i];
    if (plan.yellow > 0) {
      starts.push(t);
      states.push(...yellowRow);
      t += plan.yellow;
    }
    if (plan.allRed > 0) {
      starts.push(t);
      states.push(...redRow);
      t += plan.allRed;
    }
  });
  return {
    node,
    cycle: plan.cycle,
    offset: plan.offset,
    conns: Int32Array.from(conns),
    starts: Float64Array.from(starts),
    states: Uint8Array.from(states),
    phases: phases.map((p, i) => ({ name: p.name, green: greens[i] })),
  };
}

/** Writes the current state of every signal-controlled connection into `connState`. */
export function updateSignals(programs: readonly SignalProgram[], time: number, connState: Uint8Array): void {
  for (let p = 0; p < programs.length; p++) {
    const prog = programs[p];
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
