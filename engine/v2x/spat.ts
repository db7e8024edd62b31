/**
 * Signal phase and timing: what a SPAT message says about one signalised movement (connection)
 * at time t — its state, when that state ends, and when the next green starts and ends. Fixed-time
 * programs make this exact: minEndTime = maxEndTime = likelyEndTime (T/CSAE 53 SPAT fields).
 * A reacting controller (engine/traffic/signal-control.ts) gives each of these times a range, from
 * its state now: the earliest (every interval at its minimum from now on), the latest (at its
 * maximum; Infinity where nothing bounds it, as a max-pressure stage without maxGreen), and the
 * likely one (an actuated green ending maxGap after its loops' last vehicle, later intervals at their
 * nominal length), as SAE J2735's minEndTime, maxEndTime and likelyTime. An adaptive controller
 * fixes every interval of the cycle under way when it starts (its plan), so up to the cycle's end
 * the three agree; past it each stage lies between minGreen and the longest green maxCycle leaves
 * it, likely as long as in this cycle (the plan is set again from the flows of the cycle before).
 * A fixed-time plan with priority (engine/traffic/signal-priority.ts) is read as a controller's:
 * the interval in force likely ends at its planned end (an extension or cut granted), each stage
 * between its floor (minDur) and its green plus the largest change priority may make (maxDur).
 */
import {
  CTRL_ADAPTIVE,
  CTRL_FIXED,
  CTRL_MAX_PRESSURE,
  LIVE_INTERVAL,
  LIVE_LIKELY,
  LIVE_START,
  LIVE_TARGET,
  SIG_GREEN,
  SIG_GREEN_YIELD,
  nominal,
  type SignalProgram,
} from '../road/signals.js';

/** Where each connection sits in the programs: program index and column, or −1. */
export interface SignalLookup {
  connProgram: Int32Array;
  connColumn: Int32Array;
}

export function signalLookup(programs: readonly SignalProgram[], connCount: number): SignalLookup {
  const connProgram = new Int32Array(connCount).fill(-1);
  const connColumn = new Int32Array(connCount).fill(-1);
  programs.forEach((p, pi) => {
    for (let k = 0; k < p.conns.length; k++) {
      connProgram[p.conns[k]] = pi;
      connColumn[p.conns[k]] = k;
    }
  });
  return { connProgram, connColumn };
}

const isGreen = (st: number) => st === SIG_GREEN || st === SIG_GREEN_YIELD;

/**
 * Timing of one movement (filled by movementTiming; one instance reused, no allocation). The plain
 * fields are the earliest times, the `…Max` ones the latest (equal under fixed-time control).
 */
export interface MovementTiming {
  state: number;
  /** seconds until the current state ends */
  untilChange: number;
  /** seconds until the next green starts (0 when green now) */
  untilGreen: number;
  /** seconds until the green now, or the next one, ends */
  untilGreenEnd: number;
  /** seconds until the start of the green after that one */
  untilGreenAfter: number;
  untilChangeMax: number;
  untilGreenMax: number;
  untilGreenEndMax: number;
  untilGreenAfterMax: number;
  /** seconds until the current state likely ends */
  untilChangeLikely: number;
}

export function newMovementTiming(): MovementTiming {
  return {
    state: 0,
    untilChange: 0,
    untilGreen: 0,
    untilGreenEnd: 0,
    untilGreenAfter: 0,
    untilChangeMax: 0,
    untilGreenMax: 0,
    untilGreenEndMax: 0,
    untilGreenAfterMax: 0,
    untilChangeLikely: 0,
  };
}

/**
 * Fills `out` for connection `conn` at time t; returns false when no program controls it. Looks
 * at most two cycles ahead (a movement with no green in its program reports Infinity).
 */
export function movementTiming(programs: readonly SignalProgram[], lookup: SignalLookup, conn: number, t: number, out: MovementTiming): boolean {
  const pi = lookup.connProgram[conn];
  if (pi < 0) return false;
  const p = programs[pi];
  const col = lookup.connColumn[conn];
  if (p.kind !== CTRL_FIXED) {
    if (p.kind === CTRL_MAX_PRESSURE) pressureTiming(p, col, t, out);
    else reactingTiming(p, col, t, out);
    return true;
  }
  const n = p.conns.length;
  const starts = p.starts;
  const intervals = starts.length;
  let tc = (t - p.offset) % p.cycle;
  if (tc < 0) tc += p.cycle;
  let k = 0;
  while (k + 1 < intervals && starts[k + 1] <= tc) k++;
  const state = p.states[k * n + col];
  out.state = state;
  // walk forward interval by interval from the current one
  const endOf = (j: number) => (j + 1 < intervals ? starts[j + 1] : p.cycle);
  let elapsed = endOf(k) - tc; // time until the end of interval k
  let changeFound = false;
  let untilChange = Infinity;
  let untilGreen = isGreen(state) ? 0 : Infinity;
  let untilGreenEnd = Infinity;
  let untilGreenAfter = Infinity;
  let inGreen = isGreen(state);
  for (let step = 1; step <= 3 * intervals; step++) {
    const j = (k + step) % intervals;
    const st = p.states[j * n + col];
    if (!changeFound && st !== state) {
      changeFound = true;
      untilChange = elapsed;
    }
    if (untilGreen === Infinity && isGreen(st)) {
      untilGreen = elapsed;
      inGreen = true;
    } else if (inGreen && untilGreenEnd === Infinity && !isGreen(st)) {
      untilGreenEnd = elapsed;
    } else if (untilGreenEnd !== Infinity && isGreen(st)) {
      untilGreenAfter = elapsed;
      break;
    }
    elapsed += endOf(j) - starts[j];
  }
  out.untilChange = out.untilChangeMax = out.untilChangeLikely = untilChange;
  out.untilGreen = out.untilGreenMax = untilGreen;
  out.untilGreenEnd = out.untilGreenEndMax = untilGreenEnd;
  out.untilGreenAfter = out.untilGreenAfterMax = untilGreenAfter;
  return true;
}

/**
 * A cyclic program run by a controller (actuated, adaptive): from the interval in force, each
 * event's earliest, latest and likely time, every later interval at its minDur, maxDur and nominal
 * length — except, under the adaptive controller, the rest of the cycle under way, whose lengths
 * are its plan (exact), and the likely length of the cycles after it, the same plan again.
 */
function reactingTiming(p: SignalProgram, col: number, t: number, out: MovementTiming): void {
  const n = p.conns.length;
  const intervals = p.starts.length;
  const k = p.live[LIVE_INTERVAL];
  const t0 = p.live[LIVE_START];
  const state = p.states[k * n + col];
  out.state = state;
  const planned = p.kind === CTRL_ADAPTIVE;
  // time until the end of interval k: earliest, latest, likely
  let lo = Math.max(0, t0 + (planned ? p.plan[k] : p.minDur[k]) - t);
  let hi = planned ? lo : Math.max(lo, t0 + p.maxDur[k] - t);
  let li = planned ? lo : Math.min(hi, Math.max(lo, p.live[LIVE_LIKELY] - t));
  // adaptive: still in the cycle under way (the intervals before the wrap to interval 0)
  let inCycle = planned;
  out.untilChange = out.untilChangeMax = out.untilChangeLikely = Infinity;
  out.untilGreen = out.untilGreenMax = isGreen(state) ? 0 : Infinity;
  out.untilGreenEnd = out.untilGreenEndMax = Infinity;
  out.untilGreenAfter = out.untilGreenAfterMax = Infinity;
  let changed = false;
  let inGreen = isGreen(state);
  let j = k;
  for (let step = 1; step <= 3 * intervals; step++) {
    j = p.next[j];
    const st = p.states[j * n + col];
    if (!changed && st !== state) {
      changed = true;
      out.untilChange = lo;
      out.untilChangeMax = hi;
      out.untilChangeLikely = li;
    }
    if (out.untilGreen === Infinity && isGreen(st)) {
      out.untilGreen = lo;
      out.untilGreenMax = hi;
      inGreen = true;
    } else if (inGreen && out.untilGreenEnd === Infinity && !isGreen(st)) {
      out.untilGreenEnd = lo;
      out.untilGreenEndMax = hi;
    } else if (out.untilGreenEnd !== Infinity && isGreen(st)) {
      out.untilGreenAfter = lo;
      out.untilGreenAfterMax = hi;
      break;
    }
    if (j === 0) inCycle = false;
    if (inCycle) {
      lo += p.plan[j];
      hi += p.plan[j];
      li += p.plan[j];
    } else {
      lo += p.minDur[j];
      hi += p.maxDur[j];
      li += planned ? p.plan[j] : Math.min(p.maxDur[j], Math.max(p.minDur[j], nominal(p, j)));
    }
  }
}

/**
 * A max-pressure program: the stage after the one in force is not known until it is chosen, so
 * past the next choice only the earliest times are known (a change, then another stage's
 * minGreen), the latest are Infinity. During a change interval the target stage is known.
 */
function pressureTiming(p: SignalProgram, col: number, t: number, out: MovementTiming): void {
  const c = p.controller;
  const minGreen = c.type === 'max-pressure' ? c.minGreen : 0;
  const period = c.type === 'max-pressure' ? c.period : 1;
  const maxGreen = c.type === 'max-pressure' && c.maxGreen !== undefined ? c.maxGreen : Infinity;
  const n = p.conns.length;
  const P = p.stages;
  let k = p.live[LIVE_INTERVAL];
  const state = p.states[k * n + col];
  out.state = state;
  // the shortest change between two stages (yellow + all red)
  let change = Infinity;
  for (let a = 0; a < P; a++)
    for (let b = 0; b < P; b++) {
      if (a === b) continue;
      let d = 0;
      for (let j = p.trans[a * P + b]; j >= P; j = p.next[j]) d += p.minDur[j];
      if (d < change) change = d;
    }
  if (change === Infinity) change = 0;
  // time until the stage now (or the one the change leads to) can end, and until it starts
  let start = 0; // until the stage starts (0: running)
  let el = t - p.live[LIVE_START];
  if (k >= P) {
    // walk the change intervals to the target stage: exact
    start = Math.max(0, p.live[LIVE_START] + p.minDur[k] - t);
    for (let j = p.next[k]; j >= P; j = p.next[j]) start += p.minDur[j];
    k = p.live[LIVE_TARGET];
    el = -start;
  }
  // the earliest end of stage k: minGreen, then the next decision point
  const firstDecision = minGreen;
  const endLo = el <= firstDecision ? firstDecision - el : p.kind === CTRL_MAX_PRESSURE ? Math.ceil((el - firstDecision) / period - 1e-9) * period + firstDecision - el : 0;
  const endHi = Math.max(endLo, maxGreen - el);
  const greenInStage = isGreen(p.states[k * n + col]);
  let anyOther = false;
  for (let s = 0; s < P; s++) if (s !== k && isGreen(p.states[s * n + col])) anyOther = true;
  const nowGreen = isGreen(state);
  out.untilChangeLikely = out.untilChange = start > 0 ? Math.max(0, p.live[LIVE_START] + p.minDur[p.live[LIVE_INTERVAL]] - t) : endLo;
  out.untilChangeMax = start > 0 ? out.untilChange : endHi;
  if (nowGreen) {
    out.untilGreen = out.untilGreenMax = 0;
    if (start > 0 && !greenInStage) out.untilGreenEnd = out.untilGreenEndMax = out.untilChange;
    else {
      out.untilGreenEnd = endLo;
      out.untilGreenEndMax = endHi;
    }
    out.untilGreenAfter = anyOther || greenInStage ? out.untilGreenEnd + change + minGreen + change : Infinity;
    out.untilGreenAfterMax = Infinity;
  } else if (start > 0 && greenInStage) {
    out.untilGreen = out.untilGreenMax = start;
    out.untilGreenEnd = endLo;
    out.untilGreenEndMax = endHi;
    out.untilGreenAfter = anyOther ? endLo + change + minGreen + change : Infinity;
    out.untilGreenAfterMax = Infinity;
  } else {
    out.untilGreen = anyOther || greenInStage ? endLo + change : Infinity;
    out.untilGreenMax = Infinity;
    out.untilGreenEnd = out.untilGreen + minGreen;
    out.untilGreenEndMax = Infinity;
    out.untilGreenAfter = out.untilGreenEnd + 2 * change + minGreen;
    out.untilGreenAfterMax = Infinity;
  }
}

/**
 * The state of a movement `ahead` seconds from now: exact under fixed-time control; under a
 * controller, the state if every interval from now on runs its minimum (the earliest red: what a
 * red-light warning must assume).
 */
export function stateAhead(programs: readonly SignalProgram[], lookup: SignalLookup, conn: number, t: number, ahead: number, scratch: MovementTiming): number {
  const pi = lookup.connProgram[conn];
  if (pi < 0) return -1;
  const p = programs[pi];
  if (p.kind === CTRL_FIXED) {
    movementTiming(programs, lookup, conn, t + ahead, scratch);
    return scratch.state;
  }
  const n = p.conns.length;
  const col = lookup.connColumn[conn];
  const P = p.stages;
  let k = p.live[LIVE_INTERVAL];
  // adaptive: the cycle under way runs its plan, the ones after it at their minimum
  let inCycle = p.kind === CTRL_ADAPTIVE;
  let left = Math.max(0, p.live[LIVE_START] + (inCycle ? p.plan[k] : p.minDur[k]) - t);
  for (let step = 0; step < 4 * p.starts.length && ahead >= left; step++) {
    // max-pressure: the stage after a stage is unknown; assume a change to the next stage
    let j = p.next[k];
    if (j < 0) {
      const to = (k + 1) % P;
      j = p.trans[k * P + to] >= 0 ? p.trans[k * P + to] : to;
    }
    ahead -= left;
    k = j;
    if (k === 0) inCycle = false;
    left = inCycle ? p.plan[k] : p.minDur[k];
  }
  return p.states[k * n + col];
}
