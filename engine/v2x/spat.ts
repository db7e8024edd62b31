/**
 * Signal phase and timing: what a SPAT message says about one signalised movement (connection)
 * at time t — its state, when that state ends, and when the next green starts and ends. Fixed-time
 * programs make this exact: minEndTime = maxEndTime = likelyEndTime (T/CSAE 53 SPAT fields).
 */
import { SIG_GREEN, SIG_GREEN_YIELD, type SignalProgram } from '../road/signals.js';

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

/** Timing of one movement (filled by movementTiming; one instance reused, no allocation). */
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
  out.untilChange = untilChange;
  out.untilGreen = untilGreen;
  out.untilGreenEnd = untilGreenEnd;
  out.untilGreenAfter = untilGreenAfter;
  return true;
}
