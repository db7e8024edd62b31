/**
 * What a front vehicle sees past the end of its lane along its route (decide's full pass): the
 * last vehicle on the lanes ahead, or the stop line of a red or yellow signal, or of a movement
 * that may have to give way, further on.
 */
import type { SimCtx } from './context.js';
import { SIG_RED, SIG_YELLOW } from '../road/signals.js';
import { idmZ2, kraussSafeSpeed, safeAccel } from './kinematics.js';
import { routeEdgeAhead } from './route-query.js';
import { mayYieldFurtherOn, mergeLeaderFurtherOn } from './right-of-way.js';
import { connectionAlong } from './lane-choice.js';
import { JY_BL, JY_EULER, JY_GAP, JY_VL, LA_LOOK, LA_SAFE, LA_UK, LA_Z2, LX_B, LX_BC, LX_BL, LX_DT, LX_DV, LX_GAP, LX_HW, LX_OUT, LX_S0, LX_SQ, LX_T, LX_T_ME, LX_V, LX_VL, scratch } from './scratch.js';

/**
 * A front vehicle looks past the end of its lane along its route: the last vehicle on the next
 * lane is its leader; an empty lane lets it look further, through the next junction's signal.
 * Input: its look-ahead distance in the scratch register LA_LOOK; leaves the IDM term and the
 * safety envelope of what it sees in LA_Z2 and LA_SAFE, and for a Krauss driver its safe speed
 * in LA_UK.
 */
export function lookAhead(c: SimCtx, i: number, conn: number): void {
  const s = c.v;
  const look = scratch[LA_LOOK];
  const t = s.type[i];
  const v = s.speed[i];
  const B = c.tB[t];
  const s0 = c.tS0[t];
  const T = c.tT[t];
  const sqab2 = c.tSqab2[t];
  const Bmax = c.tBmax[t];
  const distToEnd = c.laneLength[s.lane[i]] - s.pos[i];
  const krauss = c.tKrauss[t] !== 0;
  const dt = c.dt;
  scratch[LA_Z2] = 0;
  scratch[LA_SAFE] = Infinity;
  scratch[LA_UK] = Infinity;
  // (this driver's inputs of the IDM term, the envelope and the Krauss speed: see idm() below)
  scratch[LX_V] = v;
  scratch[LX_B] = Bmax;
  scratch[LX_BC] = B;
  scratch[LX_DT] = dt;
  scratch[LX_S0] = s0;
  scratch[LX_HW] = T;
  scratch[LX_SQ] = sqab2;
  let base = distToEnd;
  let cn = conn;
  for (let hop = 1; hop < 16 && cn >= 0 && base < look; hop++) {
    const nl = c.connToLane[cn];
    const first = c.laneStart[nl];
    if (first < c.laneStart[nl + 1]) {
      const L = s.order[first];
      if (L === i) return; // alone on a closed loop
      const lenL = c.tLen[s.type[L]];
      const gap = base + s.pos[L] - lenL;
      let z2 = idm(v - s.speed[L], gap);
      let safe = envelope(gap, s.speed[L], c.tBmax[s.type[L]], c.tKrauss[t] | (c.tKrauss[s.type[L]] << 1));
      let uK = krauss ? kraussSpeed(gap - s0, s.speed[L], c.tB[s.type[L]], T) : Infinity;
      // a vehicle that entered from another lane, its rear still hanging back across the
      // junction on its own path, is kept clear of as well by stopping at the line: the weaker
      // of the two applies (as for a vehicle merging in ahead, decide-full.ts)
      const pc = s.prevConn[L];
      if (s.pos[L] < lenL && pc >= 0 && c.connFromLane[pc] !== c.connFromLane[cn]) {
        const zLine = idm(v, base + s0 - 0.5);
        if (zLine < z2) z2 = zLine;
        const safeLine = envelope(base, 0, Bmax, c.tKrauss[t]);
        if (safeLine > safe) safe = safeLine;
        const uLine = krauss ? kraussSpeed(base - 0.5, 0, B, dt) : Infinity;
        if (uLine > uK) uK = uLine;
      }
      // (with a vehicle merging in further on, below: the tighter of the two)
      if (z2 > scratch[LA_Z2]) scratch[LA_Z2] = z2;
      if (safe < scratch[LA_SAFE]) scratch[LA_SAFE] = safe;
      if (uK < scratch[LA_UK]) scratch[LA_UK] = uK;
      return;
    }
    base += c.laneLength[nl];
    if (base >= look) return;
    const nextEdge = routeEdgeAhead(c, i, hop + 1);
    if (nextEdge < 0) return; // the route ends on that lane
    cn = connectionAlong(c, i, nl, hop + 1); // (the way move will take: lane-choice.ts, lane classes)
    if (cn < 0) {
      // that lane does not lead on: the driver will change lanes there; look no further
      return;
    }
    // a vehicle merging in ahead there, nearer its line than this driver is to that junction,
    // is a leader too; or the line, while it has not reached it (as at the next junction:
    // decide-full.ts, the weaker of the two)
    if (c.connFoeStart[cn] < c.connFoeStart[cn + 1]) {
      mergeLeaderFurtherOn(c, i, cn, base);
      const g = scratch[JY_GAP];
      if (g !== Infinity) {
        const vL = scratch[JY_VL];
        const bL = scratch[JY_BL];
        let z2 = idm(v - vL, g);
        const zLine = idm(v, base + s0 - 0.5);
        if (zLine < z2) z2 = zLine;
        let safe = g < 0 ? -Infinity : envelope(g, vL, bL, c.tKrauss[t] | (scratch[JY_EULER] << 1));
        const safeLine = envelope(base, 0, Bmax, c.tKrauss[t]);
        if (safeLine > safe) safe = safeLine;
        if (z2 > scratch[LA_Z2]) scratch[LA_Z2] = z2;
        if (safe < scratch[LA_SAFE]) scratch[LA_SAFE] = safe;
        if (krauss) {
          let uK = kraussSpeed(g - s0, vL, bL, T);
          const uLine = kraussSpeed(base - 0.5, 0, B, dt);
          if (uLine > uK) uK = uLine;
          if (uK < scratch[LA_UK]) scratch[LA_UK] = uK;
        }
      }
    }
    const st = c.connState[cn];
    // a red or yellow further on, or a movement there that may have to give way (whose right of
    // way is judged only from its own approach: this driver must still be able to stop there)
    const canStop = (v * v) / (2 * B) <= base;
    if (canStop && st !== SIG_RED && st !== SIG_YELLOW) scratch[LX_T_ME] = base / (v > 1 ? v : 1);
    if (canStop && (st === SIG_RED || st === SIG_YELLOW || mayYieldFurtherOn(c, cn))) {
      const gapLine = base + s0 - 0.5;
      const zLine = idm(v, gapLine);
      if (zLine > scratch[LA_Z2]) scratch[LA_Z2] = zLine;
      if (krauss) {
        const uLine = kraussSpeed(base - 0.5, 0, B, dt);
        if (uLine < scratch[LA_UK]) scratch[LA_UK] = uLine;
      }
      return;
    }
  }
}

/*
 * lookAhead's helpers: the IDM term (kinematics.ts idmZ2), the safety envelope (safeAccel) and
 * Krauss's safe speed (kraussSafeSpeed) for its driver, whose own terms it set once in the LX_*
 * registers. The doubles of a call go through the registers, not as arguments: lookAhead spends
 * V8's inlining budget on its larger, more frequent calls (connectionAlong, the merge scan) and
 * left these calls out, and a call V8 does not inline boxes every double argument and its result
 * (scratch.ts): 32 bytes of garbage per vehicle update on SUMO's grid at step 1. Each wrapper
 * takes its inputs as plain arguments only when it is small enough to be inlined wherever it is
 * called; the functions it calls are inlined into it, with a budget of its own.
 */

/** The IDM term (s* ÷ s)² behind an obstacle closing at dv, at `gap`. */
function idm(dv: number, gap: number): number {
  scratch[LX_DV] = dv;
  scratch[LX_GAP] = gap;
  idmFromRegisters();
  return scratch[LX_OUT];
}

/** The envelope behind an obstacle at `gap` with speed vL and braking limit bL (safeAccel's modes: kinematics.ts). */
function envelope(gap: number, vL: number, bL: number, modes: number): number {
  scratch[LX_GAP] = gap;
  scratch[LX_VL] = vL;
  scratch[LX_BL] = bL;
  envelopeFromRegisters(modes);
  return scratch[LX_OUT];
}

/** Krauss's safe speed with `room` before an obstacle at speed vL braking at bL, reaction time tau. */
function kraussSpeed(room: number, vL: number, bL: number, tau: number): number {
  scratch[LX_GAP] = room;
  scratch[LX_VL] = vL;
  scratch[LX_BL] = bL;
  scratch[LX_T] = tau;
  kraussFromRegisters();
  return scratch[LX_OUT];
}

function idmFromRegisters(): void {
  scratch[LX_OUT] = idmZ2(scratch[LX_V], scratch[LX_DV], scratch[LX_GAP], scratch[LX_S0], scratch[LX_HW], scratch[LX_SQ]);
}

function envelopeFromRegisters(modes: number): void {
  scratch[LX_OUT] = safeAccel(scratch[LX_V], scratch[LX_B], scratch[LX_GAP], scratch[LX_VL], scratch[LX_BL], scratch[LX_DT], modes);
}

function kraussFromRegisters(): void {
  scratch[LX_OUT] = kraussSafeSpeed(scratch[LX_GAP], scratch[LX_VL], scratch[LX_BL], scratch[LX_T], scratch[LX_BC], scratch[LX_DT]);
}
