/**
 * Right of way at a junction for a front vehicle about to cross it (decide's full pass): whether
 * it must yield to a foe movement, and which vehicle merging into its next lane from another
 * approach it must follow. Foes, ranks and merges come from the network (road/network.ts), the
 * signal state of each connection from road/signals.ts.
 */
import type { SimCtx } from './context.js';
import { F_PASS } from '../core/state.js';
import { SIG_GREEN, SIG_GREEN_YIELD } from '../road/signals.js';
import { arrivalTime } from './kinematics.js';
import { JY_BL, JY_GAP, JY_LOOK, JY_VL, scratch } from './scratch.js';

/** A yielding driver accepts a gap of this many seconds before a foe with right of way arrives (HCM 2010 critical headways are 4.1–7.1 s; 4 s in a dense city). */
export const CRITICAL_GAP = 4;
/** A foe that reaches the conflict this many seconds before us has cleared it. */
export const FOE_CLEAR_TIME = 2;
/** Virtual size of a junction: a vehicle that crossed occupies it until its rear is this far into the next lane, m. */
export const JUNCTION_CLEAR = 10;
/** A foe slower than this is standing (waiting itself), not approaching, m/s. */
const STANDING_SPEED = 0.5;

/**
 * Right of way at the next junction for vehicle i about to take `conn`. Returns true when it
 * must yield; also leaves in the scratch registers JY_GAP/JY_VL/JY_BL the nearest vehicle merging
 * into the same lane ahead of it (projected onto its path), which it follows like a leader. Input:
 * its look-ahead distance in JY_LOOK.
 */
export function junctionYield(c: SimCtx, i: number, conn: number): boolean {
  const s = c.v;
  const look = scratch[JY_LOOK];
  const v = s.speed[i];
  const A = c.tA[s.type[i]];
  const d = c.laneLength[s.lane[i]] - s.pos[i];
  scratch[JY_GAP] = Infinity;
  const myRank = c.connRank[conn];
  const tMe = arrivalTime(d, v, A);
  const myId = s.id[i];
  let mustYield = false;
  for (let f = c.connFoeStart[conn]; f < c.connFoeStart[conn + 1]; f++) {
    const foe = c.connFoes[f];
    const foeState = c.connState[foe];
    const foeGreen = foeState === SIG_GREEN || foeState === SIG_GREEN_YIELD;
    const merge = c.connFoeMerge[f] === 1;
    // a vehicle that has just crossed on a crossing path still occupies the junction, whatever
    // its light shows now
    if (!merge) {
      const tl = c.connToLane[foe];
      for (let kk = c.laneStart[tl]; kk < c.laneStart[tl + 1]; kk++) {
        const j = s.order[kk];
        if (s.pos[j] - c.tLen[s.type[j]] >= JUNCTION_CLEAR) break;
        if (s.prevConn[j] === foe) {
          mustYield = true;
          break;
        }
      }
    }
    // the first vehicle approaching on the foe movement
    const fl = c.connFromLane[foe];
    const flEnd = c.laneStart[fl + 1];
    const flBegin = c.laneStart[fl];
    for (let kk = flEnd - 1, seen = 0; kk >= flBegin && seen < 3; kk--, seen++) {
      const j = s.order[kk];
      if (s.nextConn[j] !== foe) continue;
      const dF = c.laneLength[fl] - s.pos[j];
      if (dF > look) break;
      // one that will stop for its yellow or red is not coming; one committed to running it is,
      // and it goes first: it is in the junction
      const committed = !foeGreen && (s.flags[j] & F_PASS) !== 0;
      if (!foeGreen && !committed) break;
      const vF = s.speed[j];
      const tj = s.type[j];
      const idF = s.id[j];
      if (merge && (dF < d || (dF === d && idF < myId))) {
        const g = d - dF - c.tLen[tj];
        if (g < scratch[JY_GAP]) {
          scratch[JY_GAP] = g;
          scratch[JY_VL] = vF;
          scratch[JY_BL] = c.tBmax[tj];
        }
      }
      // a standing foe is waiting itself: when it moves off it will see us in the junction
      if (vF < STANDING_SPEED && !committed) break;
      const foeRank = c.connRank[foe];
      const tF = arrivalTime(dF, vF, c.tA[tj]);
      const foeFirst = committed || foeRank < myRank || (foeRank === myRank && (tF < tMe || (tF === tMe && idF < myId)));
      if (foeFirst && tF < tMe + CRITICAL_GAP && tF > tMe - FOE_CLEAR_TIME) mustYield = true;
      // a foe with protected green never yields to us; our permitted movement waits for it
      if (foeFirst && foeState === SIG_GREEN && myRank > foeRank && tF < tMe + CRITICAL_GAP) mustYield = true;
      break;
    }
  }
  return mustYield;
}
