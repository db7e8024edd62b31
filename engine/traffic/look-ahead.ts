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
import { JY_BL, JY_EULER, JY_GAP, JY_VL, LA_LOOK, LA_SAFE, LA_UK, LA_Z2, scratch } from './scratch.js';

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
  scratch[LA_Z2] = 0;
  scratch[LA_SAFE] = Infinity;
  scratch[LA_UK] = Infinity;
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
      let z2 = idmZ2(v, v - s.speed[L], gap, s0, T, sqab2);
      let safe = safeAccel(v, Bmax, gap, s.speed[L], c.tBmax[s.type[L]], c.dt, c.tKrauss[t] | (c.tKrauss[s.type[L]] << 1));
      let uK = krauss ? kraussSafeSpeed(gap - s0, s.speed[L], c.tB[s.type[L]], T, B, c.dt) : Infinity;
      // a vehicle that entered from another lane, its rear still hanging back across the
      // junction on its own path, is kept clear of as well by stopping at the line: the weaker
      // of the two applies (as for a vehicle merging in ahead, decide-full.ts)
      const pc = s.prevConn[L];
      if (s.pos[L] < lenL && pc >= 0 && c.connFromLane[pc] !== c.connFromLane[cn]) {
        const zLine = idmZ2(v, v, base + s0 - 0.5, s0, T, sqab2);
        if (zLine < z2) z2 = zLine;
        const safeLine = safeAccel(v, Bmax, base, 0, Bmax, c.dt, c.tKrauss[t]);
        if (safeLine > safe) safe = safeLine;
        const uLine = krauss ? kraussSafeSpeed(base - 0.5, 0, B, c.dt, B, c.dt) : Infinity;
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
        let z2 = idmZ2(v, v - vL, g, s0, T, sqab2);
        const zLine = idmZ2(v, v, base + s0 - 0.5, s0, T, sqab2);
        if (zLine < z2) z2 = zLine;
        let safe = g < 0 ? -Infinity : safeAccel(v, Bmax, g, vL, bL, c.dt, c.tKrauss[t] | (scratch[JY_EULER] << 1));
        const safeLine = safeAccel(v, Bmax, base, 0, Bmax, c.dt, c.tKrauss[t]);
        if (safeLine > safe) safe = safeLine;
        if (z2 > scratch[LA_Z2]) scratch[LA_Z2] = z2;
        if (safe < scratch[LA_SAFE]) scratch[LA_SAFE] = safe;
        if (krauss) {
          let uK = kraussSafeSpeed(g - s0, vL, bL, T, B, c.dt);
          const uLine = kraussSafeSpeed(base - 0.5, 0, B, c.dt, B, c.dt);
          if (uLine > uK) uK = uLine;
          if (uK < scratch[LA_UK]) scratch[LA_UK] = uK;
        }
      }
    }
    const st = c.connState[cn];
    // a red or yellow further on, or a movement there that may have to give way (whose right of
    // way is judged only from its own approach: this driver must still be able to stop there)
    const canStop = (v * v) / (2 * B) <= base;
    if (canStop && (st === SIG_RED || st === SIG_YELLOW || mayYieldFurtherOn(c, cn, base / (v > 1 ? v : 1)))) {
      const gapLine = base + s0 - 0.5;
      const zLine = idmZ2(v, v, gapLine, s0, T, sqab2);
      if (zLine > scratch[LA_Z2]) scratch[LA_Z2] = zLine;
      if (krauss) {
        const uLine = kraussSafeSpeed(base - 0.5, 0, B, c.dt, B, c.dt);
        if (uLine < scratch[LA_UK]) scratch[LA_UK] = uLine;
      }
      return;
    }
  }
}
