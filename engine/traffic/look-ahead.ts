/**
 * What a front vehicle sees past the end of its lane along its route (decide's full pass): the
 * last vehicle on the lanes ahead, or the stop line of a red or yellow signal, or of a movement
 * that may have to give way, further on.
 */
import type { SimCtx } from './context.js';
import { SIG_RED, SIG_YELLOW } from '../road/signals.js';
import { envelopeFromScratch, idmFromScratch, kraussSafeFromScratch, stopLineFromScratch } from './obstacle-terms.js';
import { routeEdgeAhead } from './route-query.js';
import { mayYieldFurtherOn, mergeLeaderFurtherOn } from './right-of-way.js';
import { connectionAlong } from './lane-choice.js';
import { ENV_BL, ENV_GAP, ENV_LEADER, ENV_OUT, ENV_VL, IZ_DV, IZ_GAP, IZ_OUT, JY_BL, JY_EULER, JY_GAP, JY_VL, KS_BL, KS_OUT, KS_ROOM, KS_VL, LA_LOOK, LA_SAFE, LA_UK, LA_Z2, LN_DIST, YF_T_ME, scratch } from './scratch.js';

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
  const distToEnd = c.laneLength[s.lane[i]] - s.pos[i];
  const krauss = c.tKrauss[t] !== 0;
  scratch[LA_Z2] = 0;
  scratch[LA_SAFE] = Infinity;
  scratch[LA_UK] = Infinity;
  // (the terms of one obstacle through the registers, this driver's own set by decideFull:
  // obstacle-terms.ts)
  let base = distToEnd;
  let cn = conn;
  for (let hop = 1; hop < 16 && cn >= 0 && base < look; hop++) {
    const nl = c.connToLane[cn];
    const first = c.laneStart[nl];
    if (first < c.laneStart[nl + 1]) {
      const L = s.order[first];
      if (L === i) return; // alone on a closed loop
      const tL = s.type[L];
      const lenL = c.tLen[tL];
      const gap = base + s.pos[L] - lenL;
      const vL = s.speed[L];
      scratch[IZ_DV] = v - vL;
      scratch[IZ_GAP] = gap;
      idmFromScratch();
      let z2 = scratch[IZ_OUT];
      scratch[ENV_GAP] = gap;
      scratch[ENV_VL] = vL;
      scratch[ENV_BL] = c.tBmax[tL];
      scratch[ENV_LEADER] = c.tKrauss[tL];
      envelopeFromScratch();
      let safe = scratch[ENV_OUT];
      let uK = Infinity;
      if (krauss) {
        scratch[KS_ROOM] = gap - s0;
        scratch[KS_VL] = vL;
        scratch[KS_BL] = c.tB[tL];
        kraussSafeFromScratch();
        uK = scratch[KS_OUT];
      }
      // a vehicle that entered from another lane, its rear still hanging back across the
      // junction on its own path, is kept clear of as well by stopping at the line: the weaker
      // of the two applies (as for a vehicle merging in ahead, decide-full.ts)
      const pc = s.prevConn[L];
      if (s.pos[L] < lenL && pc >= 0 && c.connFromLane[pc] !== c.connFromLane[cn]) {
        scratch[LN_DIST] = base;
        stopLineFromScratch();
        if (scratch[IZ_OUT] < z2) z2 = scratch[IZ_OUT];
        if (scratch[ENV_OUT] > safe) safe = scratch[ENV_OUT];
        if (krauss && scratch[KS_OUT] > uK) uK = scratch[KS_OUT];
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
        scratch[IZ_DV] = v - vL;
        scratch[IZ_GAP] = g;
        idmFromScratch();
        let z2 = scratch[IZ_OUT];
        let safe = -Infinity;
        if (g >= 0) {
          scratch[ENV_GAP] = g;
          scratch[ENV_VL] = vL;
          scratch[ENV_BL] = bL;
          scratch[ENV_LEADER] = scratch[JY_EULER];
          envelopeFromScratch();
          safe = scratch[ENV_OUT];
        }
        let uK = Infinity;
        if (krauss) {
          scratch[KS_ROOM] = g - s0;
          scratch[KS_VL] = vL;
          scratch[KS_BL] = bL;
          kraussSafeFromScratch();
          uK = scratch[KS_OUT];
        }
        // (the line: the weaker of it and that vehicle applies)
        scratch[LN_DIST] = base;
        stopLineFromScratch();
        if (scratch[IZ_OUT] < z2) z2 = scratch[IZ_OUT];
        if (scratch[ENV_OUT] > safe) safe = scratch[ENV_OUT];
        if (z2 > scratch[LA_Z2]) scratch[LA_Z2] = z2;
        if (safe < scratch[LA_SAFE]) scratch[LA_SAFE] = safe;
        if (krauss) {
          if (scratch[KS_OUT] > uK) uK = scratch[KS_OUT];
          if (uK < scratch[LA_UK]) scratch[LA_UK] = uK;
        }
      }
    }
    const st = c.connState[cn];
    // a red or yellow further on, or a movement there that may have to give way (whose right of
    // way is judged only from its own approach: this driver must still be able to stop there)
    const canStop = (v * v) / (2 * B) <= base;
    if (!canStop) continue;
    scratch[YF_T_ME] = base / (v > 1 ? v : 1);
    if (st === SIG_RED || st === SIG_YELLOW || mayYieldFurtherOn(c, cn)) {
      scratch[LN_DIST] = base;
      stopLineFromScratch();
      if (scratch[IZ_OUT] > scratch[LA_Z2]) scratch[LA_Z2] = scratch[IZ_OUT];
      if (krauss && scratch[KS_OUT] < scratch[LA_UK]) scratch[LA_UK] = scratch[KS_OUT];
      return;
    }
  }
}


