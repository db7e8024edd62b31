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
 */
import type { PhaseOut, SimCtx } from './context.js';
import { F_DECIDED, F_DWELL, F_PASS, V2X_CLEAR, V2X_HAZARD, V2X_RLVW } from '../core/state.js';
import { LANE_EVENT_STRIDE, LE_BLOCK_START, LE_ZONE_END, LE_ZONE_LIMIT, LE_ZONE_START } from './roadevents.js';
import { SIG_GREEN, SIG_GREEN_YIELD, SIG_RED, SIG_YELLOW } from '../road/signals.js';
import { HALT_SPEED, SAFETY_MARGIN, arrivalTime, idmZ2, safeAccel } from './kinematics.js';
import { evaluateLaneChange, firstAhead, needSide } from './lanechange.js';
import { DF_COLLISIONS, DF_EMERGENCY, DF_MIN_GAP, ENV_B, ENV_BL, ENV_DT, ENV_GAP, ENV_OUT, ENV_V, ENV_VL, JY_BL, JY_GAP, JY_LOOK, JY_VL, LA_LOOK, LA_SAFE, LA_Z2, LC_ACC, LC_ACUR, LC_ALINE, LC_ROOM, scratch } from './scratch.js';

/** A yielding driver accepts a gap of this many seconds before a foe with right of way arrives (HCM 2010 critical headways are 4.1–7.1 s; 4 s in a dense city). */
export const CRITICAL_GAP = 4;
/** A foe that reaches the conflict this many seconds before us has cleared it. */
export const FOE_CLEAR_TIME = 2;
/** Virtual size of a junction: a vehicle that crossed occupies it until its rear is this far into the next lane, m. */
export const JUNCTION_CLEAR = 10;
/** Seconds a vehicle waits at the end of a lane that does not lead on before it takes another way. */
export const REROUTE_AFTER = 20;
/** Room a driver asked to clear the lane for an emergency vehicle takes for the change, m (sets its urgency). */
const CLEAR_ROOM = 60;
/** A driver with a neighbour alongside that must change into its lane falls back at this share of its comfortable deceleration. */
const FALL_BACK = 0.5;
/** index of 'emergency' in vehicleClasses */
const CLASS_EMERGENCY = 4;
/** A front vehicle this close to the line at yellow onset, waiting to turn, clears the junction, m. */
const SNEAKER_DISTANCE = 1;
/** A foe slower than this is standing (waiting itself), not approaching, m/s. */
const STANDING_SPEED = 0.5;
/** How far before a junction front vehicles start checking foes, at least, m. */
const YIELD_CHECK_MIN = 30;

export const WISH_RIGHT = 1;
export const WISH_LEFT = 2;

const GO = 0;
const STOP = 1; // stop at the line if it is physically possible, else go through
const MUST_STOP = 2; // stop at the line whatever it takes (no way on)

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
  const dt = c.dt;
  const nextConnOf = s.nextConn;
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
    let v0 = laneSpeed[lane] * speedFactor[i];
    if (v0 > tVmax[t]) v0 = tVmax[t];
    if (hooks && speedAdvice[i] < v0) v0 = speedAdvice[i];
    if (v0 < 0.5) v0 = 0.5;
    const r = v / v0;
    const freeTerm = A * (1 - r * r * r * r);
    let z2 = 0;
    let aSafe = Infinity;
    const uMax = v + A * dt;
    const reach = ((v + uMax) * dt) / 2 + (uMax * uMax) / (2 * Bmax) + SAFETY_MARGIN;
    if (k + 1 < laneStart[lane + 1]) {
      const L = order[k + 1];
      const gap = pos[L] - tLen[typeOf[L]] - x;
      if (gap < minGap) minGap = gap;
      if (gap < -1e-6) collisions++;
      const zl = idmZ2(v, v - speed[L], gap, s0, T, sqab2);
      if (zl > z2) z2 = zl;
      if (gap < reach) {
        const as = safeAccel(v, Bmax, gap, speed[L], tBmax[typeOf[L]], dt);
        if (as < aSafe) aSafe = as;
      }
    }
    let a = freeTerm - A * z2;
    if (hooks) {
      const lim = accelLimit[i];
      if (a > lim) a = lim;
    }
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

/** The full pass, over the positions in `order` listed in ks[0..n). */
function decideFull(c: SimCtx, ks: Int32Array, n: number, out: PhaseOut): void {
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
  const tB = c.tB;
  const tT = c.tT;
  const tS0 = c.tS0;
  const tSqab2 = c.tSqab2;
  const tBmax = c.tBmax;
  const dt = c.dt;
  const connState = c.connState;
  let minGap = out.minGap;
  let collisions = 0;
  scratch[ENV_DT] = dt;
  const lcTarget = s.lcTarget;
  const nextConnOf = s.nextConn;
  const stopIdx = s.stopIdx;
  const stopEnd = s.stopEnd;
  const accelLimit = s.accelLimit;
  const speedFactor = s.speedFactor;
  const speedAdvice = s.speedAdvice;
  const laneSpeed = c.laneSpeed;
  const laneEdge = c.laneEdge;
  const edgeLanesOf = c.edgeLanes;
  const edgeFirstLane = c.edgeFirstLane;
  const laneWish = c.laneWish;
  const tVmax = c.tVmax;
  const lookMin = c.lookahead;
  const lcTime = s.lcTime;
  const ids = s.id;
  const tick = c.tick;
  const lcEvery = c.lcEveryTicks;
  const laneEv = c.laneEvents;
  // (a scenario without road events skips their per-vehicle checks)
  const anyEvents = c.roadEventsInForce;
  const v2xOf = s.v2x;
  const wishOut = c.tick & 1 ? s.wishB : s.wishA;
  const wishIn = c.tick & 1 ? s.wishA : s.wishB;

  for (let q = 0; q < n; q++) {
    const k = ks[q];
    const i = order[k];
    const lane = laneOf[i];
    const t = typeOf[i];
    const x = pos[i];
    const v = speed[i];
    const A = tA[t];
    const B = tB[t];
    const T = tT[t];
    const s0 = tS0[t];
    const sqab2 = tSqab2[t];
    const Bmax = tBmax[t];
    let flags = flagsOf[i];
    scratch[ENV_V] = v;
    scratch[ENV_B] = Bmax;
    flagsNext[i] = flags;
    // (lcTarget is −1 here as in the fast pass: only evaluateLaneChange below sets it)
    wishOut[i] = 0;

    // ---- dwelling at a stop of the route
    if (flags & F_DWELL) {
      if (c.time < s.stopUntil[i]) {
        accel[i] = v > 0 ? -v / dt : 0;
        continue;
      }
      flags &= ~F_DWELL;
      s.stopIdx[i]++;
    }

    // desired speed: the lane limit times the driver's factor, capped by the type and V2X advice
    let v0 = laneSpeed[lane] * speedFactor[i];
    if (v0 > tVmax[t]) v0 = tVmax[t];
    if (speedAdvice[i] < v0) v0 = speedAdvice[i];
    // a speed-limit zone of a road event, from its sign on (the driver's factor applies to it too)
    const le = lane * LANE_EVENT_STRIDE;
    if (anyEvents) {
      const zoneLimit = laneEv[le + LE_ZONE_LIMIT];
      if (zoneLimit !== Infinity && x >= laneEv[le + LE_ZONE_START] && x < laneEv[le + LE_ZONE_END] && zoneLimit * speedFactor[i] < v0) v0 = zoneLimit * speedFactor[i];
    }
    if (v0 < 0.5) v0 = 0.5;
    const v2xBits = v2xOf[i];
    const r = v / v0;
    const freeTerm = A * (1 - r * r * r * r);
    let z2 = 0; // largest (s* ÷ s)² over obstacles
    let aSafe = Infinity; // tightest safety envelope
    let aLine = Infinity; // IDM acceleration due to the stop line alone (MOBIL compares lanes with it)

    const uMax = v + A * dt;
    const reach = ((v + uMax) * dt) / 2 + (uMax * uMax) / (2 * Bmax) + SAFETY_MARGIN;
    const laneEndK = laneStart[lane + 1];
    const distToEnd = laneLength[lane] - x;
    // look far enough that the IDM term of an unseen standing obstacle is below 1/16 of A
    let look = 4 * (s0 + v * T + (v * v) / sqab2);
    if (look < lookMin) look = lookMin;
    if (look > 2000) look = 2000;

    // ---- leader on the same lane
    if (k + 1 < laneEndK) {
      const L = order[k + 1];
      const gap = pos[L] - tLen[typeOf[L]] - x;
      if (gap < minGap) minGap = gap;
      if (gap < -1e-6) collisions++;
      const zl = idmZ2(v, v - speed[L], gap, s0, T, sqab2);
      if (zl > z2) z2 = zl;
      // the envelope can only bind when the gap is within what this step's fastest move plus
      // braking from there needs (IDM never accelerates beyond A)
      if (gap < reach) {
        scratch[ENV_GAP] = gap;
        scratch[ENV_VL] = speed[L];
        scratch[ENV_BL] = tBmax[typeOf[L]];
        envelopeFromScratch();
        const as = scratch[ENV_OUT];
        if (as < aSafe) aSafe = as;
      }
    }

    // ---- the end of the lane: junction control, or the end of the route
    const conn = nextConnOf[i];
    // (a vehicle with a connection ahead has a route that goes on)
    const routeGoesOn = conn >= 0 || hasNextEdge(c, i);
    if (distToEnd < look) {
      let verdict = GO;
      if (conn < 0) verdict = routeGoesOn ? MUST_STOP : GO;
      else {
        const st = connState[conn];
        if (st === SIG_YELLOW || st === SIG_RED) {
          if (!(flags & F_DECIDED)) {
            flags |= F_DECIDED;
            // At yellow onset a driver who cannot stop comfortably goes on; on first sight of red
            // only one who cannot stop at all does (REFERENCE.md, RLVW rule). A driver warned that
            // it would run the red (RLVW) stops whenever it physically can.
            const need = (v * v) / (2 * (st === SIG_YELLOW && !(v2xBits & V2X_RLVW) ? B : Bmax));
            // (a standing driver can always stay where it is)
            if (v >= HALT_SPEED && need > distToEnd) flags |= F_PASS;
            // a turning vehicle already waiting at the line for a gap is in the junction: it clears
            // it at the end of the green ("sneaker"), as drivers do
            else if (st === SIG_YELLOW && c.connRank[conn] > 0 && k + 1 === laneEndK && distToEnd < SNEAKER_DISTANCE) flags |= F_PASS;
          }
          verdict = flags & F_PASS ? GO : STOP;
        } else if (flags & F_DECIDED) flags &= ~(F_DECIDED | F_PASS);
        // right of way, occupied junction and merging foes: front vehicles near the junction
        // (one running its yellow no longer yields, but still merges behind whoever is ahead)
        if (verdict === GO && k + 1 === laneEndK && distToEnd < look) {
          const yieldDist = YIELD_CHECK_MIN + (v * v) / (2 * B) + v * CRITICAL_GAP;
          if (distToEnd < yieldDist) {
            scratch[JY_LOOK] = look;
            const y = junctionYield(c, i, conn);
            const jGap = scratch[JY_GAP];
            // a driver already inside the comfortable stopping distance is committed
            if (y && !(flags & F_PASS) && (v * v) / (2 * B) <= distToEnd) verdict = STOP;
            if (jGap !== Infinity) {
              const jVL = scratch[JY_VL];
              const zm = idmZ2(v, v - jVL, jGap, s0, T, sqab2);
              if (zm > z2) z2 = zm;
              scratch[ENV_GAP] = jGap;
              scratch[ENV_VL] = jVL;
              scratch[ENV_BL] = scratch[JY_BL];
              envelopeFromScratch();
              const as = scratch[ENV_OUT];
              if (as < aSafe) aSafe = as;
            }
          }
        }
      }
      if (verdict !== GO) {
        // stop with the front bumper half a metre before the line
        const gapLine = distToEnd + s0 - 0.5;
        const zl = idmZ2(v, v, gapLine, s0, T, sqab2);
        if (zl > z2) z2 = zl;
        aLine = A * (1 - r * r * r * r - zl);
        // the envelope holds the vehicle before the line itself; only a driver who could not
        // stop there even at the physical limit goes through
        scratch[ENV_GAP] = distToEnd;
        scratch[ENV_VL] = 0;
        scratch[ENV_BL] = Bmax;
        envelopeFromScratch();
        const as = scratch[ENV_OUT];
        if (verdict === MUST_STOP || as >= -Bmax * (1 + 1e-9) || v < HALT_SPEED) {
          if (as < aSafe) aSafe = as;
        } else if (conn >= 0) {
          flags |= F_PASS | F_DECIDED; // physically cannot stop any more: goes through
        }
      }
      // ---- front vehicle: look along the route for the next leader and further stop lines
      if (verdict === GO && conn >= 0 && k + 1 === laneEndK) {
        scratch[LA_LOOK] = look;
        lookAhead(c, i, conn);
        if (scratch[LA_Z2] > z2) z2 = scratch[LA_Z2];
        if (scratch[LA_SAFE] < aSafe) aSafe = scratch[LA_SAFE];
      }
    }

    // ---- a blocked section of this lane ahead (road event), once the driver knows of it: by sight,
    // or earlier from a hazard warning. It is a standing obstacle, and the lane must be left.
    let blockDist = Infinity;
    const blockStart = anyEvents ? laneEv[le + LE_BLOCK_START] : Infinity;
    if (blockStart !== Infinity) {
      const d = blockStart - x;
      if (d > -0.5 && d < (v2xBits & V2X_HAZARD ? c.hazardWarned : c.hazardSight)) {
        blockDist = d > 0 ? d : 0;
        const gapB = blockDist + s0 - 0.5;
        const zb = idmZ2(v, v, gapB > 0.01 ? gapB : 0.01, s0, T, sqab2);
        if (zb > z2) z2 = zb;
        scratch[ENV_GAP] = blockDist;
        scratch[ENV_VL] = 0;
        scratch[ENV_BL] = Bmax;
        envelopeFromScratch();
        const as = scratch[ENV_OUT];
        if (as < aSafe) aSafe = as;
      }
    }

    // ---- a stop of the route on this edge
    const si = stopIdx[i];
    let stopRoom = Infinity; // distance to a stop ahead on this edge
    if (si < stopEnd[i] && c.stopEdge[si] === laneEdge[lane]) {
      const d = c.stopPos[si] - x;
      if (d >= -1) stopRoom = d > 0 ? d : 0;
      if (d < -1) s.stopIdx[i]++; // overshot: the stop is missed
      else if (d < 2 && v < HALT_SPEED) {
        flags |= F_DWELL;
        s.stopUntil[i] = c.time + c.stopDur[si];
        flagsNext[i] = flags;
        accel[i] = v > 0 ? -v / dt : 0;
        continue;
      } else if (d < look) {
        const zl = idmZ2(v, v, d + s0 - 0.5 > 0.01 ? d + s0 - 0.5 : 0.01, s0, T, sqab2);
        if (zl > z2) z2 = zl;
      }
    }

    // ---- courtesy: make room for a neighbour just ahead that must change into this lane
    let fallBack = Infinity;
    const edge = laneEdge[lane];
    const edgeFirst = edgeFirstLane[edge];
    const edgeLanes = edgeLanesOf[edge];
    // (an emergency vehicle on a call makes room for nobody)
    for (let side = -1; edgeLanes > 1 && c.tClass[t] !== CLASS_EMERGENCY && side <= 1; side += 2) {
      const nl = lane + side;
      if (nl < edgeFirst || nl >= edgeFirst + edgeLanes || laneWish[nl] === 0) continue;
      const ka = firstAhead(c, nl, x, s.id[i]);
      if (ka >= laneStart[nl + 1]) continue;
      const j = order[ka];
      if (wishIn[j] !== (side > 0 ? WISH_RIGHT : WISH_LEFT)) continue;
      const gap = pos[j] - tLen[typeOf[j]] - x;
      if (gap <= 0) {
        // alongside: fall back gently so that it can merge in ahead (it holds its speed)
        if (v > HALT_SPEED && fallBack > -FALL_BACK * B) fallBack = -FALL_BACK * B;
        continue;
      }
      const zc = idmZ2(v, v - speed[j], gap, s0, T, sqab2);
      // only as far as comfortable braking allows
      if (zc > z2 && freeTerm - A * zc >= -B) z2 = zc;
    }

    let a = freeTerm - A * z2;
    if (a > fallBack) a = fallBack;
    const lim = accelLimit[i];
    if (a > lim) a = lim;
    if (a < -Bmax) a = -Bmax;

    // ---- lane change (MOBIL), mandatory when this lane does not lead on, is blocked ahead, or an
    // emergency vehicle behind needs it, or to reach the kerb lane for a stop. A stop ahead on
    // this edge is served from the kerb lane (a bus stop, a van's hand-over): the driver heads
    // there, and the lane its next turn needs waits until after the stop.
    const toKerb = stopRoom !== Infinity && lane !== edgeFirst;
    const routeMandatory = conn < 0 && routeGoesOn && stopRoom === Infinity;
    const mandatory = routeMandatory || toKerb || blockDist !== Infinity || (v2xBits & V2X_CLEAR) !== 0;
    // how far the driver has left to make the change
    const changeRoom = routeMandatory ? (blockDist < distToEnd ? blockDist : distToEnd) : blockDist !== Infinity ? blockDist : toKerb ? stopRoom : CLEAR_ROOM;
    // (near the lane end only a vehicle that cannot go on anyway changes: it will not cross in this step)
    if (edgeLanes > 1 && (mandatory || distToEnd > 5 + v * dt)) {
      const discretionary = c.time - lcTime[i] > 2 && (ids[i] + tick) % lcEvery === 0;
      if (mandatory || discretionary) {
        scratch[LC_ACUR] = a < aSafe ? a : aSafe;
        scratch[LC_ALINE] = aLine;
        scratch[LC_ROOM] = changeRoom;
        evaluateLaneChange(c, i, k, lane, mandatory, toKerb);
        if (lcTarget[i] >= 0) {
          if (scratch[LC_ACC] < a) a = scratch[LC_ACC];
          out.lc[out.lcCount++] = i;
        } else if (mandatory && needSide !== 0) {
          // show the wish, so that the neighbours behind can make room (read next tick)
          wishOut[i] = needSide > 0 ? WISH_LEFT : WISH_RIGHT;
          out.wishers[out.wishCount++] = i;
        }
      }
      // stuck at the end of the wrong lane: like a driver who missed the turn, take another way
      if (routeMandatory && lcTarget[i] < 0 && distToEnd < 5 && s.stuck[i] > REROUTE_AFTER && c.routeLoop[s.route[i]] === 0) {
        out.reroutes[out.rerouteCount++] = i;
      }
    }

    if (a > aSafe) a = aSafe;
    if (a < -Bmax - 1e-9) out.emergencyBrakes++;
    accel[i] = a;
    flagsNext[i] = flags;
  }
  out.minGap = minGap;
  out.collisions += collisions;
}

/**
 * safeAccel for decideFull, with its arguments and result in the scratch registers ENV_*. That
 * loop is too large for V8 to inline every call in it, and a call it does not inline boxes each
 * double argument and the result (scratch.ts): 90 bytes of garbage per vehicle update on the
 * signalised grid. decideFull sets the vehicle's own speed, braking limit and the step once per
 * vehicle, and the obstacle's gap, speed and braking limit at each call.
 */
function envelopeFromScratch(): void {
  scratch[ENV_OUT] = safeAccel(scratch[ENV_V], scratch[ENV_B], scratch[ENV_GAP], scratch[ENV_VL], scratch[ENV_BL], scratch[ENV_DT]);
}

/** Desired speed: the lane limit times the driver's factor, capped by the type and any V2X advice. */
export function desiredSpeed(c: SimCtx, i: number, lane: number, t: number): number {
  const sf = c.v.speedFactor[i];
  let v0 = c.laneSpeed[lane] * sf;
  if (v0 > c.tVmax[t]) v0 = c.tVmax[t];
  const adv = c.v.speedAdvice[i];
  if (adv < v0) v0 = adv;
  if (!c.roadEventsInForce) return v0 > 0.5 ? v0 : 0.5;
  const le = lane * LANE_EVENT_STRIDE;
  const zoneLimit = c.laneEvents[le + LE_ZONE_LIMIT];
  const x = c.v.pos[i];
  if (zoneLimit !== Infinity && x >= c.laneEvents[le + LE_ZONE_START] && x < c.laneEvents[le + LE_ZONE_END] && zoneLimit * sf < v0) v0 = zoneLimit * sf;
  return v0 > 0.5 ? v0 : 0.5;
}

export function hasNextEdge(c: SimCtx, i: number): boolean {
  const r = c.v.route[i];
  return c.v.routeIdx[i] + 1 < c.routeLen[r] || c.routeLoop[r] === 1;
}

/** The route's edge `ahead` edges after the current one, or -1 past the end. */
export function routeEdgeAhead(c: SimCtx, i: number, ahead: number): number {
  const r = c.v.route[i];
  const len = c.routeLen[r];
  let idx = c.v.routeIdx[i] + ahead;
  if (idx >= len) {
    if (c.routeLoop[r] !== 1) return -1;
    idx %= len;
  }
  return c.routeEdges[c.routeStart[r] + idx];
}

/**
 * The front vehicle of the lane feeding connection `conn` when it is about to take that
 * connection (so it will enter the connection's lane next), or −1.
 */
export function approachingVia(c: SimCtx, conn: number): number {
  const fl = c.connFromLane[conn];
  const fEnd = c.laneStart[fl + 1];
  if (fEnd === c.laneStart[fl]) return -1;
  const j = c.v.order[fEnd - 1];
  return c.v.nextConn[j] === conn ? j : -1;
}

export function connectionToEdge(c: SimCtx, lane: number, toEdge: number): number {
  for (let k = c.laneConnStart[lane]; k < c.laneConnStart[lane + 1]; k++) {
    const conn = c.laneConns[k];
    if (c.connToEdge[conn] === toEdge) return conn;
  }
  return -1;
}

/**
 * Right of way at the next junction for vehicle i about to take `conn`. Returns true when it
 * must yield; also leaves in the scratch registers JY_GAP/JY_VL/JY_BL the nearest vehicle merging
 * into the same lane ahead of it (projected onto its path), which it follows like a leader. Input:
 * its look-ahead distance in JY_LOOK.
 */
function junctionYield(c: SimCtx, i: number, conn: number): boolean {
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

/**
 * A front vehicle looks past the end of its lane along its route: the last vehicle on the next
 * lane is its leader; an empty lane lets it look further, through the next junction's signal.
 * Input: its look-ahead distance in the scratch register LA_LOOK; leaves the IDM term and the
 * safety envelope of what it sees in LA_Z2 and LA_SAFE.
 */
function lookAhead(c: SimCtx, i: number, conn: number): void {
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
  scratch[LA_Z2] = 0;
  scratch[LA_SAFE] = Infinity;
  let base = distToEnd;
  let cn = conn;
  for (let hop = 1; hop < 16 && cn >= 0 && base < look; hop++) {
    const nl = c.connToLane[cn];
    const first = c.laneStart[nl];
    if (first < c.laneStart[nl + 1]) {
      const L = s.order[first];
      if (L === i) return; // alone on a closed loop
      const gap = base + s.pos[L] - c.tLen[s.type[L]];
      scratch[LA_Z2] = idmZ2(v, v - s.speed[L], gap, s0, T, sqab2);
      scratch[LA_SAFE] = safeAccel(v, Bmax, gap, s.speed[L], c.tBmax[s.type[L]], c.dt);
      return;
    }
    base += c.laneLength[nl];
    if (base >= look) return;
    const nextEdge = routeEdgeAhead(c, i, hop + 1);
    if (nextEdge < 0) return; // the route ends on that lane
    cn = connectionToEdge(c, nl, nextEdge);
    if (cn < 0) {
      // that lane does not lead on: the driver will change lanes there; look no further
      return;
    }
    const st = c.connState[cn];
    if ((st === SIG_RED || st === SIG_YELLOW) && (v * v) / (2 * B) <= base) {
      const gapLine = base + s0 - 0.5;
      scratch[LA_Z2] = idmZ2(v, v, gapLine, s0, T, sqab2);
      return;
    }
  }
}
