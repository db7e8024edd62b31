/**
 * MOBIL lane changing (Kesting, Treiber & Helbing 2007): change to a neighbour lane when
 *   ã_c − a_c + p·(ã_n − a_n + ã_o − a_o) > Δa_th ± bias   and   ã_n ≥ −b_safe,
 * with a keep-right bias (a change to the left must gain more, one to the right less). A
 * mandatory change (the lane does not lead on along the route) needs no incentive, and its
 * acceptable braking for the new follower rises to the physical limit as the lane end nears.
 *
 * On top of MOBIL every change must keep both new neighbours inside the safety envelope after
 * this step (kinematics.ts), so a lane change never makes a gap negative. Conflicts between two
 * vehicles that pick the same gap are resolved after the phase by vehicle id (resolveLaneChanges).
 */
import type { SimCtx } from './context.js';
import { V2X_HAZARD } from '../core/state.js';
import { LANE_EVENT_STRIDE, LE_BLOCK_END, LE_BLOCK_START } from './roadevents.js';
import { SAFETY_MARGIN, idmAccel, idmZ2, leaderStopDistance, safeAccel } from './kinematics.js';
import { classBitOf, connectionToEdgeFor, routeEdgeAhead, stopLaneOf } from './route-query.js';
import { laneReach, routeConnection } from './lane-choice.js';
import { CLASS_EMERGENCY, WISH_LEFT, WISH_RIGHT, approachingVia, firstAhead, emptyShortLane } from './neighbours.js';
import { desiredSpeedOn } from './desired-speed.js';
import { advanceOf, eulerAdvance, stepEndSpeed } from './step.js';
import { FC_BSAFE, FC_GAIN, FC_MY_REAR, FC_MY_REAR_NOW, FC_MY_STOP, FC_V, FC_XF, LC_ACC, LC_ACUR, LC_ALINE, LC_APLAN, LC_GAIN_OLD, LC_MY_ACC, LC_ROOM, LC_SCORE, LC_URGENCY, scratch } from './scratch.js';

/** Distance over which a mandatory change grows urgent, m. */
const URGENCY_DISTANCE = 150;
/**
 * Room a driver needs between the end of a block and the end of the lane to change back into a
 * lane that leads on, m; with less, a lane that does not lead on is no way round the block and
 * the driver waits behind it.
 */
const DETOUR_ROOM = 50;

/**
 * Decides whether vehicle i (at `k` in the order, on `lane`) changes lane; writes lcTarget[i].
 * `toKerb`: the change is mandatory to reach the kerb lane (index 0) for a stop of the route.
 * Inputs in the scratch registers LC_ACUR (its acceleration on its lane), LC_ALINE and LC_ROOM;
 * leaves its acceleration limit on the new lane in LC_ACC. Returns the side (+1 left, −1 right)
 * a mandatory change needs, whether or not it can be made now (0: none), so that the driver can
 * show the wish to the neighbours behind (a small integer: V8 returns it without boxing).
 * `minReach`: how many route edges ahead a target lane must reach without a further change
 * (lane-choice.ts, laneReach; 1: it leads to the next edge).
 */
export function evaluateLaneChange(c: SimCtx, i: number, k: number, lane: number, mandatory: boolean, toKerb: boolean, minReach: number): number {
  const s = c.v;
  const edge = c.laneEdge[lane];
  const first = c.edgeFirstLane[edge];
  const n = c.edgeLanes[edge];
  const li = lane - first;
  const nextEdge = routeEdgeAhead(c, i, 1);
  const room = scratch[LC_ROOM];
  let best = -1;
  let bestScore = -Infinity;
  let bestAcc = scratch[LC_ACUR];
  let needSide = 0;
  // a block ahead on this lane, ending early enough to come back behind it: a lane that does not
  // lead on is then still a way round it (the driver returns to this lane past the block)
  const detour = mandatory && !laneOpen(c, i, lane) && c.laneLength[lane] - c.laneEvents[lane * LANE_EVENT_STRIDE + LE_BLOCK_END] >= DETOUR_ROOM;
  // what the follower behind gains when this vehicle leaves: the same for either side, worked
  // out by mobil only for a change that is safe (NaN: not yet)
  scratch[LC_GAIN_OLD] = NaN;
  // lane classes: never into a lane the vehicle's class may not use
  const bit = classBitOf(c, i);
  // a stop's lane (toKerb): the one its stop names, else the rightmost the vehicle may use
  const stopSide = toKerb ? Math.sign(stopLaneOf(c, i, edge) - lane) : 0;
  for (let side = -1; side <= 1; side += 2) {
    const tli = li + side;
    if (tli < 0 || tli >= n) continue;
    const tl = first + tli;
    if ((c.laneAllow[tl] & bit) === 0) continue;
    const leads = nextEdge < 0 || (minReach <= 1 ? connectionToEdgeFor(c, tl, nextEdge, bit) >= 0 : laneReach(c, i, tl) >= minReach);
    let urgency = 0;
    if (mandatory) {
      // move toward the lane of a stop, or toward the nearest open lane that leads on
      if (toKerb ? side !== stopSide || !laneOpen(c, i, tl) : !towardGoodLane(c, i, first, n, li, side, nextEdge, detour, minReach, bit)) continue;
      needSide = side;
      urgency = Math.max(0, 1 - room / URGENCY_DISTANCE);
    } else if (!leads || !laneOpen(c, i, tl)) continue;
    scratch[LC_URGENCY] = urgency;
    if (!mobil(c, i, k, lane, tl, side, mandatory)) continue;
    if (scratch[LC_SCORE] > bestScore) {
      bestScore = scratch[LC_SCORE];
      best = tl;
      bestAcc = scratch[LC_MY_ACC];
    }
  }
  s.lcTarget[i] = best;
  scratch[LC_ACC] = bestAcc;
  return needSide;
}

/** Whether a lane on `side` that vehicle i may use leads on along the route (or, on a detour round a block, any lane) and is open. */
function towardGoodLane(c: SimCtx, i: number, first: number, n: number, li: number, side: number, nextEdge: number, detour: boolean, minReach: number, bit: number): boolean {
  for (let l = li + side; l >= 0 && l < n; l += side)
    if ((c.laneAllow[first + l] & bit) !== 0 && (detour || nextEdge < 0 || (minReach <= 1 ? connectionToEdgeFor(c, first + l, nextEdge, bit) >= 0 : laneReach(c, i, first + l) >= minReach)) && laneOpen(c, i, first + l)) return true;
  return false;
}

/** Whether lane tl has no blocked section that vehicle i knows of beside or ahead of it (road events). */
function laneOpen(c: SimCtx, i: number, tl: number): boolean {
  const o = tl * LANE_EVENT_STRIDE;
  const start = c.laneEvents[o + LE_BLOCK_START];
  if (start === Infinity) return true;
  const s = c.v;
  const x = s.pos[i];
  const know = s.v2x[i] & V2X_HAZARD ? c.hazardWarned : c.hazardSight;
  // closed from where I can know of the block until my rear has passed its end
  return !(start - x < know && x - c.tLen[s.type[i]] < c.laneEvents[o + LE_BLOCK_END]);
}

/**
 * MOBIL for vehicle i on `lane` towards target lane tl; inputs LC_ACUR, LC_ALINE,
 * LC_URGENCY and LC_GAIN_OLD (NaN until a safe change needs it; then worked out here, once per
 * evaluation) in the scratch registers. Returns whether the change is safe and
 * worth it, leaving its score in LC_SCORE and the acceleration on the new lane in LC_MY_ACC.
 */
function mobil(c: SimCtx, i: number, k: number, lane: number, tl: number, side: number, mandatory: boolean): boolean {
  const aCur = scratch[LC_ACUR];
  const aLine = scratch[LC_ALINE];
  const urgency = scratch[LC_URGENCY];
  const s = c.v;
  const t = s.type[i];
  const x = s.pos[i];
  const v = s.speed[i];
  const len = c.tLen[t];
  const A = c.tA[t];
  const s0 = c.tS0[t];
  const T = c.tT[t];
  const sq = c.tSqab2[t];
  const Bmax = c.tBmax[t];
  const dt = c.dt;

  // (a vehicle whose rear still hangs back across the start of its lane is in the junction: it
  // changes once it is wholly on the lane, where the vehicles entering behind it see it)
  if (x - len < 0) return false;
  const kAhead = firstAhead(c, tl, x, s.id[i]);
  const nl = kAhead < c.laneStart[tl + 1] ? s.order[kAhead] : -1;
  const nf = kAhead > c.laneStart[tl] ? s.order[kAhead - 1] : -1;

  // me on the target lane, behind its next vehicle there or, when none, behind the last vehicle
  // on the lane it leads to (whose rear may hang back across the lane end)
  const v0New = desiredSpeedOn(c, i, tl, t);
  let accNew: number;
  let safe = Infinity;
  let leader = nl;
  let offset = 0;
  if (leader < 0) {
    const conn = routeConnection(c, i, tl);
    if (conn >= 0) {
      const beyond = c.connToLane[conn];
      if (c.laneStart[beyond] < c.laneStart[beyond + 1]) {
        leader = s.order[c.laneStart[beyond]];
        offset = c.laneLength[tl];
      }
    }
  }
  if (leader >= 0 && leader !== i) {
    const tL = s.type[leader];
    const gap = offset + s.pos[leader] - c.tLen[tL] - x;
    if (gap <= 0) return false;
    accNew = idmAccel(v, v0New, v - s.speed[leader], gap, A, s0, T, sq);
    // (as in decide: beyond what this step's fastest move plus braking needs, the envelope
    // allows at least A and cannot bind)
    const uMax = v + A * dt;
    if (gap < (c.tKrauss[t] !== 0 ? uMax * dt : ((v + uMax) * dt) / 2) + (uMax * uMax) / (2 * Bmax) + SAFETY_MARGIN) {
      safe = safeAccel(v, Bmax, gap, s.speed[leader], c.tBmax[tL], dt, c.tKrauss[t] | (c.tKrauss[tL] << 1));
      if (safe < -Bmax) return false;
    }
  } else accNew = idmAccel(v, v0New, 0, Infinity, A, s0, T, sq);
  if (aLine < accNew) accNew = aLine;
  const aPlan = scratch[LC_APLAN];
  let myAcc = aPlan < accNew ? aPlan : accNew;
  if (myAcc > safe) myAcc = safe;
  if (myAcc < -Bmax) myAcc = -Bmax;
  // my state after this step, with that acceleration
  const euler = c.tKrauss[t];
  const dx = advanceOf(v, myAcc, dt, 0.5 * dt * dt, euler);
  const vEnd = stepEndSpeed(v, myAcc, dt);
  // (a change that would carry the vehicle past the end of the target lane in this step would
  // meet that lane's junction unchecked: not now)
  if (x + dx > c.laneLength[tl]) return false;
  const myRear = x + dx - len;
  // (where I could stop at the earliest: the new follower must be able to stop behind it)
  const myStop = myRear + leaderStopDistance(vEnd, Bmax, dt, euler);

  // the new follower (or, when none on the lane, the front vehicles about to enter it)
  const bsafe = c.tBsafe[t] + (mandatory ? urgency * (Bmax - c.tBsafe[t]) : 0);
  let gainNew = 0;
  scratch[FC_MY_REAR] = myRear;
  scratch[FC_MY_STOP] = myStop;
  scratch[FC_V] = v;
  scratch[FC_MY_REAR_NOW] = x - len;
  scratch[FC_BSAFE] = bsafe;
  if (nf >= 0) {
    scratch[FC_XF] = s.pos[nf];
    if (!followerCheck(c, nf, nl, yieldsToMe(c, i, k, lane, nf, side) ? 1 : 0)) return false;
    gainNew = scratch[FC_GAIN];
  } else {
    for (let q = c.laneInStart[tl]; q < c.laneInStart[tl + 1]; q++) {
      const conn = c.laneIns[q];
      const fl = c.connFromLane[conn];
      const j = approachingVia(c, conn);
      if (j >= 0) {
        scratch[FC_XF] = s.pos[j] - c.laneLength[fl];
        if (!followerCheck(c, j, -2, 0)) return false;
      } else if (emptyShortLane(c, fl)) {
        // a feeding lane shorter than a step's travel, empty: a vehicle on a lane before it may
        // cross both lane ends in this tick (checked as if it came on, whatever its route)
        for (let q2 = c.laneInStart[fl]; q2 < c.laneInStart[fl + 1]; q2++) {
          const conn2 = c.laneIns[q2];
          const j2 = approachingVia(c, conn2);
          if (j2 < 0) continue;
          scratch[FC_XF] = s.pos[j2] - c.laneLength[c.connFromLane[conn2]] - c.laneLength[fl];
          if (!followerCheck(c, j2, -2, 0)) return false;
        }
      }
    }
  }

  if (Number.isNaN(scratch[LC_GAIN_OLD])) oldFollowerGain(c, i, k, lane);
  const gainOld = scratch[LC_GAIN_OLD];
  const bias = c.tBias[t];
  // side +1 = to the left (away from the keep-right lane)
  const incentive = accNew - aCur + c.tPol[t] * (gainNew + gainOld) - c.tThr[t] - (side > 0 ? bias : -bias);
  if (!mandatory && incentive <= 0) return false;
  scratch[LC_SCORE] = mandatory ? 1000 + incentive : incentive;
  scratch[LC_MY_ACC] = myAcc;
  return true;
}

/** ã_o − a_o: the acceleration the follower behind vehicle i (at k in the order) gains when i leaves; into LC_GAIN_OLD. */
function oldFollowerGain(c: SimCtx, i: number, k: number, lane: number): void {
  if (k <= c.laneStart[lane]) {
    scratch[LC_GAIN_OLD] = 0;
    return;
  }
  const s = c.v;
  const of = s.order[k - 1];
  const to = s.type[of];
  const vo = s.speed[of];
  const v0o = desiredSpeedOn(c, of, lane, to);
  const gapMe = s.pos[i] - c.tLen[s.type[i]] - s.pos[of];
  const aOld = idmAccel(vo, v0o, vo - s.speed[i], gapMe, c.tA[to], c.tS0[to], c.tT[to], c.tSqab2[to]);
  let aOldNew: number;
  if (k + 1 < c.laneStart[lane + 1]) {
    const L = s.order[k + 1];
    aOldNew = idmAccel(vo, v0o, vo - s.speed[L], s.pos[L] - c.tLen[s.type[L]] - s.pos[of], c.tA[to], c.tS0[to], c.tT[to], c.tSqab2[to]);
  } else aOldNew = idmAccel(vo, v0o, 0, Infinity, c.tA[to], c.tS0[to], c.tT[to], c.tSqab2[to]);
  scratch[LC_GAIN_OLD] = aOldNew - aOld;
}

/**
 * Whether follower f on the target lane makes room for vehicle i (at k in the order, on `lane`,
 * changing to `side`) this tick with the safety envelope behind it (decide-full.ts, courtesy): i
 * showed the wish last tick, f is not an emergency vehicle, i is the first vehicle ahead of f on
 * i's lane, and both following i (IDM) and staying safe behind it need no more than f's
 * comfortable braking. The same
 * numbers through the same safeAccel as f's own decision, so both agree to the bit; then f ends
 * the step safe behind wherever i ends it (i never brakes beyond its limit).
 */
function yieldsToMe(c: SimCtx, i: number, k: number, lane: number, f: number, side: number): boolean {
  const s = c.v;
  const wishIn = c.tick & 1 ? s.wishA : s.wishB;
  if (wishIn[i] !== (side > 0 ? WISH_LEFT : WISH_RIGHT)) return false;
  // (f looks for wishers only on a lane with one counted on it, decide.ts and decide-full.ts: a
  // wish shown on the lane before, then carried across the lane end in the same tick, is not
  // counted on this one, so f does not see it)
  if (c.laneWish[lane] === 0) return false;
  const tf = s.type[f];
  if (c.tClass[tf] === CLASS_EMERGENCY) return false;
  if (firstAhead(c, lane, s.pos[f], s.id[f]) !== k) return false;
  const gap = s.pos[i] - c.tLen[s.type[i]] - s.pos[f];
  if (gap <= 0) return false;
  // f's own test, the same expressions (decide-full.ts): its IDM behind me needs no more than
  // comfortable braking, and so does its envelope
  const vf = s.speed[f];
  const v0f = desiredSpeedOn(c, f, s.lane[f], tf);
  const r = vf / v0f;
  const freeTerm = c.tA[tf] * (1 - r * r * r * r);
  const zc = idmZ2(vf, vf - s.speed[i], gap, c.tS0[tf], c.tT[tf], c.tSqab2[tf]);
  if (!(freeTerm - c.tA[tf] * zc >= -c.tB[tf])) return false;
  return safeAccel(vf, c.tBmax[tf], gap, s.speed[i], c.tBmax[s.type[i]], c.dt, c.tKrauss[tf] | (c.tKrauss[s.type[i]] << 1)) >= -c.tB[tf];
}

/**
 * The new follower f (position xf in the target lane's frame) behind me after the change: its
 * MOBIL braking must stay above −bsafe and, even accelerating at its maximum this step, it must
 * stay inside the safety envelope behind my state after the step. Inputs FC_XF (xf), FC_MY_REAR,
 * FC_MY_STOP, FC_V, FC_MY_REAR_NOW and FC_BSAFE in the scratch registers. Returns whether the
 * change is acceptable to it, and leaves ã_n − a_n in FC_GAIN.
 */
function followerCheck(c: SimCtx, f: number, nl: number, yields: number): boolean {
  const xf = scratch[FC_XF];
  const myRear = scratch[FC_MY_REAR];
  const myStop = scratch[FC_MY_STOP];
  const v = scratch[FC_V];
  const myRearNow = scratch[FC_MY_REAR_NOW];
  const bsafe = scratch[FC_BSAFE];
  const s = c.v;
  const tf = s.type[f];
  const vf = s.speed[f];
  const Af = c.tA[tf];
  const dt = c.dt;
  // (a follower that makes room for me keeps inside the safety envelope behind me this step: see
  // yieldsToMe; any other may accelerate at its maximum)
  if (yields === 0) {
    const xfEnd = xf + (c.tKrauss[tf] !== 0 ? eulerAdvance(vf, Af, dt) : vf * dt + 0.5 * Af * dt * dt);
    const vfEnd = vf + Af * dt;
    if (xfEnd > myRear - SAFETY_MARGIN) return false;
    if (xfEnd + (vfEnd * vfEnd) / (2 * c.tBmax[tf]) > myStop - SAFETY_MARGIN) return false;
  }
  const lanef = s.lane[f];
  const v0f = desiredSpeedOn(c, f, lanef, tf);
  const aAfter = idmAccel(vf, v0f, vf - v, myRearNow - xf, Af, c.tS0[tf], c.tT[tf], c.tSqab2[tf]);
  if (aAfter < -bsafe) return false;
  if (nl === -2) {
    scratch[FC_GAIN] = 0; // an approaching vehicle on another lane: safety only
    return true;
  }
  let aBefore: number;
  if (nl >= 0) aBefore = idmAccel(vf, v0f, vf - s.speed[nl], s.pos[nl] - c.tLen[s.type[nl]] - xf, Af, c.tS0[tf], c.tT[tf], c.tSqab2[tf]);
  else aBefore = idmAccel(vf, v0f, 0, Infinity, Af, c.tS0[tf], c.tT[tf], c.tSqab2[tf]);
  scratch[FC_GAIN] = aAfter - aBefore;
  return true;
}

/**
 * After the decide phase: accept lane changes in id order, dropping any that would end up
 * unsafe next to a change already accepted into the same lane.
 */
export function resolveLaneChanges(c: SimCtx, cand: Int32Array, n: number): number {
  const s = c.v;
  const ids = s.id;
  // sort candidates by vehicle id (insertion sort: there are few per tick)
  for (let a = 1; a < n; a++) {
    const x = cand[a];
    let b = a - 1;
    while (b >= 0 && ids[cand[b]] > ids[x]) {
      cand[b + 1] = cand[b];
      b--;
    }
    cand[b + 1] = x;
  }
  let accepted = 0;
  for (let a = 0; a < n; a++) {
    const i = cand[a];
    const tl = s.lcTarget[i];
    let ok = true;
    for (let b = 0; b < accepted && ok; b++) {
      const j = cand[b];
      if (s.lcTarget[j] !== tl) continue;
      ok = pairSafe(c, i, j);
    }
    if (ok) cand[accepted++] = i;
    else s.lcTarget[i] = -1;
  }
  // A change behind a vehicle that leaves the target lane in the same tick (two vehicles trading
  // lanes) was checked against that vehicle, not against the one beyond it that becomes the
  // changer's leader: it waits for the next tick, when the target lane is as it will be.
  if (dropped.length < accepted) dropped = new Int32Array(2 * accepted);
  let nDrop = 0;
  for (let a = 0; a < accepted; a++) {
    const i = cand[a];
    const tl = s.lcTarget[i];
    for (let b = 0; b < accepted; b++) {
      const j = cand[b];
      if (j === i || s.lane[j] !== tl) continue;
      if (s.pos[j] > s.pos[i] || (s.pos[j] === s.pos[i] && ids[j] > ids[i])) {
        dropped[nDrop++] = i;
        break;
      }
    }
  }
  for (let d = 0; d < nDrop; d++) s.lcTarget[dropped[d]] = -1;
  let kept = 0;
  for (let a = 0; a < accepted; a++) if (s.lcTarget[cand[a]] >= 0) cand[kept++] = cand[a];
  return kept;
}

/** Changes dropped by the second check of resolveLaneChanges (module state: grown, never shrunk). */
let dropped = new Int32Array(64);

/**
 * Whether two vehicles changing into the same lane, after this step's planned moves (their
 * accelerations are final: decide is over), are safe one behind the other.
 */
function pairSafe(c: SimCtx, i: number, j: number): boolean {
  const s = c.v;
  const dt = c.dt;
  const halfDt2 = 0.5 * dt * dt;
  const xi = s.pos[i] + advanceOf(s.speed[i], s.accel[i], dt, halfDt2, c.tKrauss[s.type[i]]);
  const vi = stepEndSpeed(s.speed[i], s.accel[i], dt);
  const xj = s.pos[j] + advanceOf(s.speed[j], s.accel[j], dt, halfDt2, c.tKrauss[s.type[j]]);
  const vj = stepEndSpeed(s.speed[j], s.accel[j], dt);
  // the follower is the one behind after the step (i when level)
  const iBehind = xi <= xj;
  const fx = iBehind ? xi : xj;
  const fv = iBehind ? vi : vj;
  const ft = s.type[iBehind ? i : j];
  const lx = iBehind ? xj : xi;
  const lv = iBehind ? vj : vi;
  const lt = s.type[iBehind ? j : i];
  const rear = lx - c.tLen[lt];
  if (fx > rear - SAFETY_MARGIN) return false;
  return fx + (fv * fv) / (2 * c.tBmax[ft]) <= rear + leaderStopDistance(lv, c.tBmax[lt], dt, c.tKrauss[lt]) - SAFETY_MARGIN;
}
