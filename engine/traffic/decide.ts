/**
 * Phase "decide": every vehicle picks its acceleration for this tick and whether it wants to
 * change lane. Reads only the state at the start of the tick (positions, speeds, the lane order,
 * signal states) and writes only the vehicle's own fields (accel, lcTarget, its signal-decision
 * flags, dwell state), so any split of `order` across threads gives the same result.
 *
 * Obstacles a vehicle responds to, each through the IDM (minimum over obstacles) and, for real
 * vehicles and stop lines, the safety envelope of kinematics.ts:
 *  - its leader on the lane, or across lane ends along its route (front vehicles look ahead);
 *  - the stop line at a red or yellow signal (if it can stop comfortably at yellow onset);
 *  - the stop line where it must yield (priority junction, permitted left, occupied junction);
 *  - vehicles on other approaches merging into the same lane, projected onto its own path;
 *  - the end of its lane when the lane does not lead on along its route (mandatory change);
 *  - a stop of its route (dwell);
 *  - the V2X hooks speedAdvice (caps the desired speed) and accelLimit (caps the acceleration).
 *
 * This module holds the phase and its fast pass; the full pass is decide-full.ts, and the pieces
 * both read are their own modules: the desired speed (desired-speed.ts), the route ahead
 * (route-query.ts); the full pass adds right of way (right-of-way.ts), the look past the lane end
 * (look-ahead.ts), neighbours on other lanes (neighbours.ts) and MOBIL (lanechange.ts).
 */
import type { PhaseOut, SimCtx } from './context.js';
import { F_DWELL, V2X_CLEAR } from '../core/state.js';
import { LANE_EVENT_STRIDE, LE_BLOCK_START, LE_ZONE_LIMIT } from './roadevents.js';
import { SAFETY_MARGIN, idmZ2, kraussAccel, kraussSafeSpeed, safeAccel } from './kinematics.js';
import { PURPOSE_DAWDLE, rand } from '../core/rng.js';
import { curveLimit, desiredSpeed } from './desired-speed.js';
import { hasNextEdge } from './route-query.js';
import { decideFull } from './decide-full.js';
import { DF_COLLISIONS, DF_EMERGENCY, DF_MIN_GAP, scratch } from './scratch.js';

/** Positions in `order` of the vehicles the fast pass leaves to the full one (module state: one per thread). */
let pending = new Int32Array(1024);

/**
 * The phase over order[k0..k1): a fast pass settles the vehicles whose only obstacle is their
 * leader on the lane (on open road, most of them), and the full pass the rest: everyone near a
 * lane end, on a stop, beside a neighbour that wants in, under a road event or due to consider a
 * lane change. Two passes, because V8 optimised one loop holding the rare junction and
 * lane-change code about 25 % worse for every vehicle (measured on the ring, where hardly any
 * vehicle needs it). For a vehicle it settles, the fast pass computes exactly what the full pass
 * would: the same expressions in the same order, so the results are bit for bit the same.
 */
export function decidePhase(c: SimCtx, k0: number, k1: number, out: PhaseOut): void {
  if (pending.length < k1 - k0) pending = new Int32Array(Math.max(k1 - k0, 2 * pending.length));
  const n = decideFollowing(c, k0, k1, pending);
  // (the tallies come back through the scratch registers: accessor stores after the loop, in
  // code V8 compiled on entering the loop, lacked type feedback and deoptimised it every tick)
  if (scratch[DF_MIN_GAP] < out.minGap) out.minGap = scratch[DF_MIN_GAP];
  out.collisions += scratch[DF_COLLISIONS];
  out.emergencyBrakes += scratch[DF_EMERGENCY];
  if (n > 0) decideFull(c, pending, n, out);
}

/**
 * The fast pass: car-following behind the leader on the lane only. Returns how many vehicles it
 * left in `rest`; its smallest gap, collisions and emergency brakings go to the DF_* registers.
 */
function decideFollowing(c: SimCtx, k0: number, k1: number, rest: Int32Array): number {
  const s = c.v;
  const order = s.order;
  const pos = s.pos;
  const speed = s.speed;
  const accel = s.accel;
  const laneOf = s.lane;
  const typeOf = s.type;
  const flagsOf = s.flags;
  const flagsNext = s.flagsNext;
  const laneStart = c.laneStart;
  const laneLength = c.laneLength;
  const tLen = c.tLen;
  const tA = c.tA;
  const tT = c.tT;
  const tS0 = c.tS0;
  const tSqab2 = c.tSqab2;
  const tBmax = c.tBmax;
  const tVmax = c.tVmax;
  const tB = c.tB;
  const tKrauss = c.tKrauss;
  const tSigma = c.tSigma;
  const seed = c.seed;
  const dt = c.dt;
  const nextConnOf = s.nextConn;
  const prevConnOf = s.prevConn;
  const connSpeed = c.connSpeed;
  const connCurve = c.connCurve;
  const stopIdx = s.stopIdx;
  const stopEnd = s.stopEnd;
  const stopEdge = c.stopEdge;
  const accelLimit = s.accelLimit;
  const speedFactor = s.speedFactor;
  const speedAdvice = s.speedAdvice;
  const laneSpeed = c.laneSpeed;
  const laneEdge = c.laneEdge;
  const edgeLanesOf = c.edgeLanes;
  const edgeFirstLane = c.edgeFirstLane;
  const laneWish = c.laneWish;
  const lookMin = c.lookahead;
  const lcTime = s.lcTime;
  const ids = s.id;
  const time = c.time;
  const tick = c.tick;
  const lcEvery = c.lcEveryTicks;
  const laneEv = c.laneEvents;
  const anyEvents = c.roadEventsInForce;
  // (without V2X the hooks keep their neutral values: not read)
  const hooks = c.v2xHooks;
  const v2xOf = s.v2x;
  const wishOut = c.tick & 1 ? s.wishB : s.wishA;
  let minGap = Infinity;
  let collisions = 0;
  let emergencyBrakes = 0;
  let n = 0;

  for (let k = k0; k < k1; k++) {
    const i = order[k];
    const lane = laneOf[i];
    const t = typeOf[i];
    const x = pos[i];
    const v = speed[i];
    const flags = flagsOf[i];
    const v2xBits = hooks ? v2xOf[i] : 0;
    const edge = laneEdge[lane];
    const edgeLanes = edgeLanesOf[edge];
    const si = stopIdx[i];
    const conn = nextConnOf[i];
    const s0 = tS0[t];
    const T = tT[t];
    const sqab2 = tSqab2[t];
    let look = 4 * (s0 + v * T + (v * v) / sqab2);
    if (look < lookMin) look = lookMin;
    if (look > 2000) look = 2000;
    // everything the full pass handles beyond the leader on the lane
    let full = (flags & F_DWELL) !== 0 || laneLength[lane] - x < look || (v2xBits & V2X_CLEAR) !== 0 || (si < stopEnd[i] && stopEdge[si] === edge) || (conn < 0 && hasNextEdge(c, i));
    if (!full && anyEvents) {
      const le = lane * LANE_EVENT_STRIDE;
      full = laneEv[le + LE_ZONE_LIMIT] !== Infinity || laneEv[le + LE_BLOCK_START] !== Infinity;
    }
    if (!full && edgeLanes > 1) {
      const edgeFirst = edgeFirstLane[edge];
      full = ((ids[i] + tick) % lcEvery === 0 && time - lcTime[i] > 2) || (lane > edgeFirst && laneWish[lane - 1] !== 0) || (lane + 1 < edgeFirst + edgeLanes && laneWish[lane + 1] !== 0);
    }
    if (full) {
      rest[n++] = k;
      continue;
    }

    const A = tA[t];
    const Bmax = tBmax[t];
    flagsNext[i] = flags;
    // (lcTarget is −1 already: the move phase and the resolution reset every target they read)
    wishOut[i] = 0;
    // (no zone of a road event on this lane: a vehicle under one is the full pass's; but the
    // curve of the turn just taken, as in the full pass: road/turn-speed.ts)
    const v0 = desiredSpeed(laneSpeed[lane], speedFactor[i], tVmax[t], hooks ? speedAdvice[i] : Infinity, curveLimit(connSpeed, connCurve, prevConnOf[i], x));
    const r = v / v0;
    const freeTerm = A * (1 - r * r * r * r);
    const krauss = tKrauss[t] !== 0;
    let z2 = 0;
    let uK = Infinity; // a Krauss driver's safe speed
    let aSafe = Infinity;
    const uMax = v + A * dt;
    // (a Krauss driver covers its end speed times dt: step.ts)
    const reach = (krauss ? uMax * dt : ((v + uMax) * dt) / 2) + (uMax * uMax) / (2 * Bmax) + SAFETY_MARGIN;
    if (k + 1 < laneStart[lane + 1]) {
      const L = order[k + 1];
      const gap = pos[L] - tLen[typeOf[L]] - x;
      if (gap < minGap) minGap = gap;
      if (gap < -1e-6) collisions++;
      if (krauss) uK = kraussSafeSpeed(gap - s0, speed[L], tB[typeOf[L]], T, tB[t], dt);
      else {
        const zl = idmZ2(v, v - speed[L], gap, s0, T, sqab2);
        if (zl > z2) z2 = zl;
      }
      if (gap < reach) {
        const as = safeAccel(v, Bmax, gap, speed[L], tBmax[typeOf[L]], dt, tKrauss[t] | (tKrauss[typeOf[L]] << 1));
        if (as < aSafe) aSafe = as;
      }
    }
    let a = krauss ? kraussAccel(v, v0, uK, A, tB[t], tSigma[t], dt, tSigma[t] > 0 ? rand(seed, tick, ids[i], PURPOSE_DAWDLE) : 0) : freeTerm - A * z2;
    if (hooks) {
      const lim = accelLimit[i];
      if (a > lim) a = lim;
    }
    // (the explicit update overshoots the IDM's approach to v0 when A·dt is large against v0, at
    // long steps, when 4·A·dt > v0: the step ends at the desired speed at most)
    if (a > 0 && v + a * dt > v0) a = (v0 - v) / dt;
    if (a < -Bmax) a = -Bmax;
    if (a > aSafe) a = aSafe;
    if (a < -Bmax - 1e-9) emergencyBrakes++;
    accel[i] = a;
  }
  scratch[DF_MIN_GAP] = minGap;
  scratch[DF_COLLISIONS] = collisions;
  scratch[DF_EMERGENCY] = emergencyBrakes;
  return n;
}
