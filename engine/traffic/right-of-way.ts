/**
 * Right of way at a junction for a vehicle about to cross it (decide's full pass): whether the
 * front vehicle of an approach must give way (to a foe movement, or because its exit lane has no
 * room: keep clear), and which vehicle merging into its next lane from another approach any
 * vehicle that may reach the line must follow. Foes, ranks and merges come from the network
 * (road/network.ts), the signal state of each connection from road/signals.ts.
 */
import type { SimCtx } from './context.js';
import { F_DECIDED, F_DWELL, F_PASS, F_STOPPED, F_YIELDING } from '../core/state.js';
import { SIG_GREEN, SIG_GREEN_YIELD, SIG_YELLOW } from '../road/signals.js';
import { HALT_SPEED, arrivalTimeCapped } from './kinematics.js';
import { JY_BL, JY_EULER, JY_GAP, JY_LOOK, JY_VL, YF_T_ME, scratch } from './scratch.js';
import { approachingVia, emptyShortLane } from './neighbours.js';
import { routeEdgeAhead } from './route-query.js';
import { desiredSpeed } from './desired-speed.js';

/**
 * A typical accepted gap, s (HCM 2010 critical headways are 4.1–7.1 s): how far ahead in time a
 * driver looks for foes before it judges its own gap (decide-full.ts, look-ahead.ts).
 */
export const CRITICAL_GAP = 4;
/**
 * The margin a driver keeps between clearing a foe's path and the foe's arrival, s: SUMO's
 * junction model accepts a gap when the foe arrives at least `jmTimegapMinor` (1 s by default)
 * after the driver has left the junction (Krajzewicz et al. 2012, "Recent development and
 * applications of SUMO", Int. J. Adv. Syst. Meas. 5:128; MSLink::blockedByFoe).
 */
export const GAP_MARGIN = 1;
/**
 * The gap a driver accepts once fully impatient, s (about the HCM follow-up headway, 2.2–3.3 s:
 * the shortest headway at which drivers still enter one after another).
 */
export const CRITICAL_GAP_MIN = 2;
/**
 * Seconds of waiting after which a driver is fully impatient. Gap acceptance falls with the time
 * waited (Mahmassani & Sheffi 1981, Transp. Res. B 15:143, critical gaps falling with the number
 * of gaps rejected); SUMO's junction model grows a driver's impatience linearly over
 * `timeToImpatience`, 180 s by default, the value used here.
 */
export const IMPATIENCE_TIME = 180;
/** A foe that reaches the conflict this many seconds before us has cleared it. */
export const FOE_CLEAR_TIME = 2;
/** Virtual size of a junction: a vehicle that crossed occupies it until its rear is this far into the next lane (at most a quarter of that lane), m. */
export const JUNCTION_CLEAR = 10;
/** A foe slower than this is standing (waiting itself), not approaching, m/s. */
const STANDING_SPEED = 0.5;
/** A front vehicle this close to the line at yellow onset, waiting to turn, clears the junction (decide-full.ts), m. */
export const SNEAKER_DISTANCE = 1;
/**
 * How long a driver stands at a stop sign before going on, s: SUMO's `jmStopSignWait` default
 * (a full stop, then the look both ways; the stop itself is what the sign's codes demand).
 */
export const STOP_SIGN_WAIT = 1;
/** A driver halted this near its stop line has stopped at the sign (it halts half a metre before it), m. */
export const STOP_LINE_REACH = 1.5;
/** A driver nearer its line than this plus its comfortable stopping distance and CRITICAL_GAP of travel judges its right of way (decide-full.ts), m. */
export const YIELD_CHECK_MIN = 30;
/** How many vehicles of a merging approach are scanned for the one just ahead in projection. */
const MERGE_SCAN = 8;

/**
 * Right of way at the next junction for vehicle i about to take `conn`. For the front vehicle of
 * its lane (`front` 1) returns true when it must give way: to a foe that goes first, to a vehicle
 * still occupying the junction, or because its exit lane has no room for it (keep clear). For
 * every caller it leaves in the scratch registers JY_GAP/JY_VL/JY_BL the vehicle merging into
 * the same lane just ahead of it (projected onto its path), which it follows like a leader.
 * Input: its look-ahead distance in JY_LOOK.
 */
export function junctionYield(c: SimCtx, i: number, conn: number, front: number, nested: number): boolean {
  const s = c.v;
  const look = scratch[JY_LOOK];
  const v = s.speed[i];
  const d = c.laneLength[s.lane[i]] - s.pos[i];
  scratch[JY_GAP] = Infinity;
  const myRank = c.connRank[conn];
  const tMe = arrivalOf(c, i, d);
  const myId = s.id[i];
  const myWait = s.stuck[i];
  // the accepted gap (acceptedGap), worked out when a foe is first judged (most calls meet none)
  let tc = -1;
  let mustYield = false;
  let crossing = false;
  for (let f = c.connFoeStart[conn]; f < c.connFoeStart[conn + 1]; f++) {
    const foe = c.connFoes[f];
    const foeState = c.connState[foe];
    const foeGreen = foeState === SIG_GREEN || foeState === SIG_GREEN_YIELD;
    const foeRank = c.connRank[foe];
    const merge = c.connFoeMerge[f] === 1;
    // a stop sign on either movement: drivers standing at their lines go in the stop order
    const stopSigned = c.connStop[foe] === 1 || c.connStop[conn] === 1;
    const fl = c.connFromLane[foe];
    const flEnd = c.laneStart[fl + 1];
    const flBegin = c.laneStart[fl];
    const flLen = c.laneLength[fl];
    // an empty approach shorter than two steps' travel: a vehicle on a lane feeding it may cross
    // both lane ends in this tick, unseen on the approach itself
    const shortEmpty = emptyShortLane(c, fl);
    if (merge) {
      // the vehicle of that approach just ahead of me in projection (the nearest one closer to
      // the junction, ties by id) is my leader into the shared lane; the ones behind it follow it
      for (let kk = flEnd - 1, seen = 0; kk >= flBegin && seen < MERGE_SCAN; kk--, seen++) {
        const j = s.order[kk];
        const dF = flLen - s.pos[j];
        if (dF > d) break;
        if (s.nextConn[j] !== foe) continue;
        // a worse-ranked driver at the front of its approach that gives way to me this tick (by
        // its own rule, on the same state) stays behind its line, and so does everyone behind
        // it: not a leader. (Taken for one, it held every driver of a protected right turn at
        // its line on Hamburg's Holstenglacis while the permitted left turner waited for them.)
        if (nested === 0 && kk === flEnd - 1 && !stopSigned && foeGreen && foeRank > myRank && yieldsThisTick(c, j, foe)) break;
        // at a stop sign, one standing at its line goes in the order of halting (below): when
        // that puts me first it waits for me, and so does everyone behind it; otherwise, level
        // with me, the lower id leads
        if (stopSigned && s.speed[j] < HALT_SPEED) {
          if (!goesFirstAtStop(c, j, foeRank, myRank, myWait, myId)) break;
        } else if (dF === d && s.id[j] > myId) break;
        // one that will stop for its yellow or red is not coming, nor is anyone behind it
        if (!foeGreen && !mayRunNonGreen(c, j, foeState, dF)) break;
        mergeLeaderCandidate(c, j, d - dF - c.tLen[s.type[j]]);
      }
      // (across a short empty approach, one may come out ahead of me)
      if (shortEmpty) mergeThroughShortLane(c, fl, foe, foeState, foeGreen, d);
    } else crossing = true;
    if (front === 0) continue;
    // a vehicle that has just crossed on a crossing path still occupies the junction, whatever
    // its light shows now
    if (!merge && !mustYield) {
      const tl = c.connToLane[foe];
      const half = 0.25 * c.laneLength[tl];
      const clear = half < JUNCTION_CLEAR ? half : JUNCTION_CLEAR;
      // (one standing in its exit lane's queue has left the junction once its rear is past the
      // junction's border: where the lane starts beyond the node, that is nearer than `clear`)
      const standClear = clear - c.laneSetback[tl];
      for (let kk = c.laneStart[tl]; kk < c.laneStart[tl + 1]; kk++) {
        const j = s.order[kk];
        const rear = s.pos[j] - c.tLen[s.type[j]];
        if (rear >= clear) break;
        if (s.speed[j] < STANDING_SPEED && rear >= standClear) continue;
        // (one that will have cleared before I am halfway into the junction is no reason to give
        // way: taken for one, a major-road driver 60 m out "gave way" to the left turner just
        // through, and the next left turner, seeing it give way, turned across its path; and at
        // 1 s steps a left turner standing at its line let a second go by after the foe had passed)
        if (s.speed[j] >= STANDING_SPEED && (clear - rear) / s.speed[j] < arrivalOf(c, i, d + 0.5 * JUNCTION_CLEAR)) continue;
        if (s.prevConn[j] === foe) {
          mustYield = true;
          break;
        }
      }
    }
    // across a short empty foe approach, one may reach the conflict in this tick (the merge scan
    // above finds it as a leader; here it is a foe to give way to)
    if (!mustYield && shortEmpty) {
      if (tc < 0) tc = acceptedGap(c, i, conn, d, myWait);
      if (shortLaneFoeFirst(c, fl, foe, foeState, foeGreen, myRank, myId, tMe, tc)) mustYield = true;
    }
    // the first vehicle approaching on the foe movement
    for (let kk = flEnd - 1, seen = 0; kk >= flBegin && seen < 3; kk--, seen++) {
      const j = s.order[kk];
      if (s.nextConn[j] !== foe) continue;
      const dF = flLen - s.pos[j];
      if (dF > look) break;
      // one that will stop for its yellow or red is not coming; one committed to running it
      // (or that may decide so this very tick) is, and it goes first: it is in the junction
      const committed = !foeGreen && mayRunNonGreen(c, j, foeState, dF);
      if (!foeGreen && !committed) break;
      const vF = s.speed[j];
      if (stopSigned && !committed) {
        // a foe at a stop sign: one still to halt is not coming (unless it cannot stop any more);
        // one standing at its line, having halted there or with no sign, goes first when its
        // rank is lower, or equal and it halted first (all-way stop: first come, first served in
        // the order of halting, ties by id). Standing drivers start in the same tick, so both
        // of two must judge by the same order (and the merge above by it too).
        const released = c.connStop[foe] === 0 || (s.flags[j] & F_STOPPED) !== 0 || stoodAtLine(c, j, dF);
        if (!released) {
          if (vF * vF <= 2 * c.tBmax[s.type[j]] * dF) break;
        } else if (vF < HALT_SPEED) {
          // (once I have moved off after my stop, it sees me moving and waits: the order of
          // halting is only for drivers standing, whose stood time restarts when they move)
          if (dF >= STOP_LINE_REACH || (v >= HALT_SPEED && (s.flags[i] & F_STOPPED) !== 0)) break;
          const yieldingOther = (s.flags[j] & F_YIELDING) !== 0 && foeRank >= myRank && (s.stuck[j] < myWait || (s.stuck[j] === myWait && s.id[j] > myId));
          if (!yieldingOther && goesFirstAtStop(c, j, foeRank, myRank, myWait, myId)) mustYield = true;
          break;
        }
      }
      // a standing foe is waiting itself: when it moves off it will see us in the junction; so
      // is a committed one standing at its line with no room to enter its exit lane (a turning
      // "sneaker" held by the queue ahead of it), until that room opens
      // (at a stop sign, a driver moving at all is moving off: judged by its arrival, below)
      if (!stopSigned && vF < STANDING_SPEED && (!committed || !exitHasRoom(c, j, foe))) break;
      const idF = s.id[j];
      // a foe that is giving way itself (last tick) and has waited less (ties: the higher id)
      // will see us go: so when every driver waits for another, the longest-waiting one goes
      const wF = s.stuck[j];
      // (only while it can still stop comfortably: one that gave way last tick for a reason now
      // gone, too near to stop any more, comes on; and only one that does not go before me by
      // rank: a better-ranked driver gives way to a third and goes when that one has passed,
      // whoever waits for it, as a major road's left turner creeping to its line for the
      // oncoming traffic did while a driver at the minor road's stop sign pulled out under it)
      if (!committed && (s.flags[j] & F_YIELDING) !== 0 && foeRank >= myRank && (wF < myWait || (wF === myWait && idF > myId)) && vF * vF <= 2 * c.tB[s.type[j]] * dF) break;
      const tF = arrivalOf(c, j, dF);
      const foeFirst = committed || goesFirst(foeRank, tF, idF, myRank, tMe, myId);
      if (foeFirst && tc < 0) tc = acceptedGap(c, i, conn, d, myWait);
      if (foeFirst && tF < tMe + tc && tF > tMe - FOE_CLEAR_TIME) mustYield = true;
      // a foe with protected green never yields to us; our permitted movement waits for it
      if (foeFirst && foeState === SIG_GREEN && myRank > foeRank && tF < tMe + tc) mustYield = true;
      break;
    }
  }
  // keep clear: where stopping in the junction would block a crossing movement, enter only when
  // the exit lane has room for the whole vehicle past the junction behind whoever is ahead there
  if (front !== 0 && crossing && !mustYield) mustYield = !exitHasRoom(c, i, conn);
  return mustYield;
}

/**
 * The gap vehicle i, d before its line, accepts before a foe with right of way arrives, s: the
 * time to clear the junction plus GAP_MARGIN, shrinking linearly with the time stood (impatience)
 * to CRITICAL_GAP_MIN.
 */
function acceptedGap(c: SimCtx, i: number, conn: number, d: number, waited: number): number {
  const tc0 = clearanceTime(c, i, conn, d) + GAP_MARGIN;
  return tc0 > CRITICAL_GAP_MIN ? tc0 - (tc0 - CRITICAL_GAP_MIN) * (waited < IMPATIENCE_TIME ? waited / IMPATIENCE_TIME : 1) : tc0;
}

/**
 * How long vehicle i, d before its line, takes from the line until its rear has left the path
 * through the junction (the path's length plus its own): from the speed it reaches the line at
 * to the one it leaves at, accelerating at its type's rate within the path's limit, at the mean
 * of the two (SUMO's leave time, MSLink::getLeaveTime). Standing at its line, a car needs 4.0 s
 * for a 14 m left turn; one rolling up at 8 m/s, 2.4 s.
 */
function clearanceTime(c: SimCtx, i: number, conn: number, d: number): number {
  const s = c.v;
  const t = s.type[i];
  const A = c.tA[t];
  const v = s.speed[i];
  let vPath = cruiseSpeed(c, i);
  if (c.connSpeed[conn] < vPath) vPath = c.connSpeed[conn];
  let vIn = Math.sqrt(v * v + 2 * A * (d > 0 ? d : 0));
  if (vIn > vPath) vIn = vPath;
  const L = c.connPath[conn] + c.tLen[t];
  let vOut = Math.sqrt(vIn * vIn + 2 * A * L);
  if (vOut > vPath) vOut = vPath;
  const mean = 0.5 * (vIn + vOut);
  return L / (mean > 0.1 ? mean : 0.1);
}

/**
 * When vehicle j reaches a point d ahead: accelerating at its type's rate up to the speed it
 * drives at on its lane (the lane's limit times its factor, within its type's top speed).
 */
function arrivalOf(c: SimCtx, j: number, d: number): number {
  return arrivalTimeCapped(d, c.v.speed[j], c.tA[c.v.type[j]], cruiseSpeed(c, j));
}

/** The speed vehicle j keeps on its lane: its desired speed there without advice or zones (desired-speed.ts). */
function cruiseSpeed(c: SimCtx, j: number): number {
  const s = c.v;
  return desiredSpeed(c.laneSpeed[s.lane[j]], s.speedFactor[j], c.tVmax[s.type[j]], Infinity, Infinity);
}

/**
 * Whether vehicle j, the front of its approach about to take `conn` on a green, stops for its
 * right of way in this tick: decide-full.ts's rule (junctionYield within its yield distance,
 * unless already inside its comfortable stopping distance), on the state every driver decides
 * on, so the verdict j itself reaches. The scratch registers of the caller's junctionYield are
 * kept.
 */
function yieldsThisTick(c: SimCtx, j: number, conn: number): boolean {
  const s = c.v;
  if ((s.flags[j] & F_DWELL) !== 0) return false;
  const t = s.type[j];
  const v = s.speed[j];
  const d = c.laneLength[s.lane[j]] - s.pos[j];
  const stop = (v * v) / (2 * c.tB[t]);
  if (!stillStopping(v, d, s.flags[j], c.tB[t], c.tBmax[t]) || d >= YIELD_CHECK_MIN + stop + v * CRITICAL_GAP) return false;
  let look = 4 * (c.tS0[t] + v * c.tT[t] + (v * v) / c.tSqab2[t]);
  if (look < c.lookahead) look = c.lookahead;
  if (look > 2000) look = 2000;
  if (d >= look) return false;
  const gap = scratch[JY_GAP];
  const vL = scratch[JY_VL];
  const bL = scratch[JY_BL];
  const euler = scratch[JY_EULER];
  const myLook = scratch[JY_LOOK];
  scratch[JY_LOOK] = look;
  const y = junctionYield(c, j, conn, 1, 1);
  scratch[JY_GAP] = gap;
  scratch[JY_VL] = vL;
  scratch[JY_BL] = bL;
  scratch[JY_EULER] = euler;
  scratch[JY_LOOK] = myLook;
  return y;
}

/**
 * Whether a driver at speed v, d before its line, that must give way can still stop for it: a
 * driver who was not giving way (flags of last tick) within its comfortable braking b; one who
 * was, and is braking for the line, while it can stop at all (b_max). (By b alone a driver
 * braking for its line by the car-following stop, which keeps it on the edge of that distance,
 * was declared committed a step later and went.)
 */
export function stillStopping(v: number, d: number, lastFlags: number, b: number, bmax: number): boolean {
  return (v * v) / (2 * ((lastFlags & F_YIELDING) !== 0 ? bmax : b)) <= d;
}

/**
 * Whether vehicle i, about to take a movement with a stop sign, is still held by it: it has not
 * yet stood at the line for STOP_SIGN_WAIT (once it has, F_STOPPED says so until it crosses).
 */
export function stopSignHeld(c: SimCtx, i: number, distToEnd: number, isFront: boolean): boolean {
  if (c.v.flags[i] & F_STOPPED) return false;
  return !(isFront && stoodAtLine(c, i, distToEnd));
}

/**
 * The order at a stop sign: foe j, standing at its line on a movement of rank `foeRank`, goes
 * before me (rank `myRank`, stood `myWait`) when its rank is lower, or equal and it has stood
 * longer (it halted first: all-way stop, first come, first served), ties by the lower id.
 */
function goesFirstAtStop(c: SimCtx, j: number, foeRank: number, myRank: number, myWait: number, myId: number): boolean {
  const wF = c.v.stuck[j];
  return foeRank < myRank || (foeRank === myRank && (wF > myWait || (wF === myWait && c.v.id[j] < myId)));
}

/** Vehicle j, `d` before its stop line, stands there and has stood STOP_SIGN_WAIT (within a rounding of the steps' sum). */
function stoodAtLine(c: SimCtx, j: number, d: number): boolean {
  return c.v.speed[j] < HALT_SPEED && d < STOP_LINE_REACH && c.v.stuck[j] >= STOP_SIGN_WAIT - 1e-9;
}

/**
 * Whether a vehicle on a connection that is not green may still cross this tick: it committed
 * to running the light before (F_PASS), or it has not decided yet and would decide to go on now
 * (it cannot stop comfortably, or it is a turning vehicle waiting at the line at yellow onset).
 * An over-estimate of decide's own rule (decide-full.ts), so that no crossing is missed.
 */
/**
 * For junctionYield: the vehicles about to enter the empty short lane `fl` whose route goes on
 * through `foe` into my exit lane's edge, each as a vehicle of that approach (projected onto my
 * path, `d` from my line); the nearest one ahead of me goes to JY_GAP/JY_VL/JY_BL/JY_EULER when
 * nearer than what is there.
 */
function mergeThroughShortLane(c: SimCtx, fl: number, foe: number, foeState: number, foeGreen: boolean, d: number): void {
  const s = c.v;
  const exitEdge = c.laneEdge[c.connToLane[foe]];
  for (let q = c.laneInStart[fl]; q < c.laneInStart[fl + 1]; q++) {
    const conn2 = c.laneIns[q];
    const j = throughShortLane(c, conn2, exitEdge);
    if (j < 0) continue;
    const dF = c.laneLength[c.connFromLane[conn2]] - s.pos[j] + c.laneLength[fl];
    if (dF > d) continue;
    if (!foeGreen && !mayRunNonGreen(c, j, foeState, dF)) continue;
    mergeLeaderCandidate(c, j, d - dF - c.tLen[s.type[j]]);
  }
}

/**
 * For junctionYield: whether a vehicle about to enter the empty short lane `fl`, whose route goes
 * on through `foe`, goes before me (rank `myRank`, arriving in `tMe`, accepting a gap of `tc`):
 * the same rule as for a foe on the approach itself, with its distance through the short lane.
 * A foe held by its yellow or red, or by a stop sign it can still stop for, is not coming.
 */
function shortLaneFoeFirst(c: SimCtx, fl: number, foe: number, foeState: number, foeGreen: boolean, myRank: number, myId: number, tMe: number, tc: number): boolean {
  const s = c.v;
  const foeRank = c.connRank[foe];
  const exitEdge = c.laneEdge[c.connToLane[foe]];
  for (let q = c.laneInStart[fl]; q < c.laneInStart[fl + 1]; q++) {
    const conn2 = c.laneIns[q];
    const j = throughShortLane(c, conn2, exitEdge);
    if (j < 0) continue;
    const dF = c.laneLength[c.connFromLane[conn2]] - s.pos[j] + c.laneLength[fl];
    const vF = s.speed[j];
    const tj = s.type[j];
    if (vF < STANDING_SPEED) continue;
    const committed = !foeGreen && mayRunNonGreen(c, j, foeState, dF);
    if (!foeGreen && !committed) continue;
    if (c.connStop[foe] === 1 && !committed && vF * vF <= 2 * c.tBmax[tj] * dF) continue;
    const tF = arrivalOf(c, j, dF);
    const foeFirst = committed || goesFirst(foeRank, tF, s.id[j], myRank, tMe, myId);
    if (foeFirst && tF < tMe + tc && tF > tMe - FOE_CLEAR_TIME) return true;
  }
  return false;
}

/**
 * The vehicle approaching via `conn2` onto a short lane whose route goes on from it onto
 * `exitEdge` (a foe movement's exit), or −1: the one that may cross both lane ends in a tick.
 */
function throughShortLane(c: SimCtx, conn2: number, exitEdge: number): number {
  const j = approachingVia(c, conn2);
  return j >= 0 && routeEdgeAhead(c, j, 2) === exitEdge ? j : -1;
}

/**
 * For look-ahead.ts: whether a junction further on, taken by movement `conn` (reached in about
 * scratch[YF_T_ME] s: a register, not an argument, so that the double is not boxed), may make a
 * driver give way there: a foe movement that does not yield to it (a rank no higher) has a
 * vehicle coming that arrives within the accepted gap, or has an empty approach so short that
 * one may come out of it unseen. A driver who could cross the lane before that
 * junction within a tick or two would otherwise first see its right of way when it is already
 * too near to stop (SUMO looks at every link within its look-ahead for the same reason).
 */
export function mayYieldFurtherOn(c: SimCtx, conn: number): boolean {
  const tMe = scratch[YF_T_ME];
  const s = c.v;
  const myRank = c.connRank[conn];
  if (myRank === 0) return false;
  for (let f = c.connFoeStart[conn]; f < c.connFoeStart[conn + 1]; f++) {
    const foe = c.connFoes[f];
    if (c.connRank[foe] > myRank) continue;
    const fl = c.connFromLane[foe];
    const j = approachingVia(c, foe);
    if (j < 0) {
      if (emptyShortLane(c, fl)) return true;
      continue;
    }
    const st = c.connState[foe];
    if (st !== SIG_GREEN && st !== SIG_GREEN_YIELD && (s.flags[j] & F_PASS) === 0) continue;
    const vF = s.speed[j];
    if (vF < STANDING_SPEED) continue;
    if (arrivalOf(c, j, c.laneLength[fl] - s.pos[j]) < tMe + CRITICAL_GAP) return true;
  }
  return false;
}

/**
 * For look-ahead.ts: the vehicle merging into the exit of movement `conn` further on (reached
 * `d` past vehicle i's front, across empty lanes) that is ahead of i in projection, as the merge
 * scan of junctionYield finds it at the next junction: left in JY_GAP/JY_VL/JY_BL/JY_EULER
 * (JY_GAP Infinity: none). A driver crossing a connector shorter than a tick's travel reaches
 * that merge before it is the front of the connector itself; a minor-road driver there already
 * too near its line to stop for it comes out ahead of it (Hamburg, Helgoländer Allee at step 1).
 */
export function mergeLeaderFurtherOn(c: SimCtx, i: number, conn: number, d: number): void {
  const s = c.v;
  const myId = s.id[i];
  scratch[JY_GAP] = Infinity;
  for (let f = c.connFoeStart[conn]; f < c.connFoeStart[conn + 1]; f++) {
    if (c.connFoeMerge[f] !== 1) continue;
    const foe = c.connFoes[f];
    const foeState = c.connState[foe];
    const foeGreen = foeState === SIG_GREEN || foeState === SIG_GREEN_YIELD;
    const fl = c.connFromLane[foe];
    const flLen = c.laneLength[fl];
    for (let kk = c.laneStart[fl + 1] - 1, seen = 0; kk >= c.laneStart[fl] && seen < MERGE_SCAN; kk--, seen++) {
      const j = s.order[kk];
      const dF = flLen - s.pos[j];
      if (dF > d || (dF === d && s.id[j] > myId)) break;
      if (s.nextConn[j] !== foe) continue;
      if (!foeGreen && !mayRunNonGreen(c, j, foeState, dF)) break;
      mergeLeaderCandidate(c, j, d - dF - c.tLen[s.type[j]]);
    }
  }
}

/** Whether a foe (rank, arrival in tF s, id) goes before me by the right of way: a lower rank, or the same and earlier (ties by the lower id). */
function goesFirst(foeRank: number, tF: number, idF: number, myRank: number, tMe: number, myId: number): boolean {
  return foeRank < myRank || (foeRank === myRank && (tF < tMe || (tF === tMe && idF < myId)));
}

/** Merging vehicle j, at gap g ahead of me in projection, becomes the leader of JY_GAP/JY_VL/JY_BL/JY_EULER if it is nearer than the one there. */
function mergeLeaderCandidate(c: SimCtx, j: number, g: number): void {
  if (g < scratch[JY_GAP]) {
    const t = c.v.type[j];
    scratch[JY_GAP] = g;
    scratch[JY_VL] = c.v.speed[j];
    scratch[JY_BL] = c.tBmax[t];
    scratch[JY_EULER] = c.tKrauss[t];
  }
}

function mayRunNonGreen(c: SimCtx, j: number, state: number, dF: number): boolean {
  const s = c.v;
  const fl = s.flags[j];
  if (fl & F_PASS) return true;
  if (fl & F_DECIDED) return false;
  if (state === SIG_YELLOW && dF < SNEAKER_DISTANCE) return true;
  const vF = s.speed[j];
  return vF >= HALT_SPEED && (vF * vF) / (2 * c.tB[s.type[j]]) > dF;
}

/**
 * Keep clear (SUMO's junction blocking avoidance; the road codes' rule not to enter a junction
 * one cannot leave): the exit lane of `conn` has room for vehicle i, its minimum gap and the
 * junction's clearance behind the last vehicle there, or that vehicle is moving (a queue
 * discharging ahead makes room as fast as this vehicle fills it: waiting for a standing gap
 * would cut the saturation flow).
 */
function exitHasRoom(c: SimCtx, i: number, conn: number): boolean {
  const s = c.v;
  const nl = c.connToLane[conn];
  const k0 = c.laneStart[nl];
  if (k0 === c.laneStart[nl + 1]) return true;
  const T = s.order[k0];
  if (s.speed[T] >= STANDING_SPEED) return true;
  const t = s.type[i];
  const half = 0.25 * c.laneLength[nl];
  const need = c.tLen[t] + c.tS0[t] + (half < JUNCTION_CLEAR ? half : JUNCTION_CLEAR);
  return s.pos[T] - c.tLen[s.type[T]] >= need;
}
