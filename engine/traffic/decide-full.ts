/**
 * The full pass of phase "decide" (decide.ts) for the vehicles the fast pass leaves to it:
 * every obstacle of the phase's list, the lane-change decision (lanechange.ts) and the wishes,
 * lane changes and reroutes it reports. Like the fast pass it reads only the state at the start
 * of the tick and writes only each vehicle's own fields.
 */
import type { PhaseOut, SimCtx } from './context.js';
import { F_DECIDED, F_DWELL, F_PASS, F_STOPPED, F_YIELDING, V2X_CLEAR, V2X_HAZARD, V2X_RLVW } from '../core/state.js';
import { LANE_EVENT_STRIDE, LE_BLOCK_START, LE_ZONE_END, LE_ZONE_LIMIT, LE_ZONE_START } from './roadevents.js';
import { SIG_RED, SIG_YELLOW } from '../road/signals.js';
import { HALT_SPEED, SAFETY_MARGIN, eulerFreeSpeed, kraussAccel } from './kinematics.js';
import { envelopeFromScratch, idmFromScratch, kraussSafeFromScratch, kraussStopFromScratch, stopLineFromScratch } from './obstacle-terms.js';
import { PURPOSE_DAWDLE, rand } from '../core/rng.js';
import { curveLimit, desiredSpeed } from './desired-speed.js';
import { classBitOf, connectionToEdgeFor, hasNextEdge, routeEdgeAhead, stopLaneOf } from './route-query.js';
import { CLASS_EMERGENCY, WISH_LEFT, WISH_RIGHT, firstAhead } from './neighbours.js';
import { CRITICAL_GAP, SNEAKER_DISTANCE, YIELD_CHECK_MIN, junctionYield, stillStopping, stopSignHeld } from './right-of-way.js';
import { lookAhead } from './look-ahead.js';
import { CHOICE_DEPTH, laneReach } from './lane-choice.js';
import { evaluateLaneChange } from './lanechange.js';
import { ENV_B, ENV_BL, ENV_DT, ENV_GAP, ENV_LEADER, ENV_OUT, ENV_SELF, ENV_V, ENV_VL, IZ_DV, IZ_GAP, IZ_OUT, IZ_S0, IZ_SQAB2, IZ_T, IZ_V, JY_BL, JY_EULER, JY_GAP, JY_LOOK, JY_VL, KA_OUT, KA_UK, KA_V, KA_V0, KS_B, KS_BL, KS_OUT, KS_ROOM, KS_TAU, KS_VL, LA_LOOK, LA_SAFE, LA_UK, LA_Z2, LC_ACC, LC_ACUR, LC_ALINE, LC_APLAN, LC_ROOM, LN_DIST, LR_DIST, scratch } from './scratch.js';

/** Seconds a vehicle waits at the end of a lane that does not lead on before it takes another way. */
export const REROUTE_AFTER = 20;
/** Room a driver asked to clear the lane for an emergency vehicle takes for the change, m (sets its urgency). */
const CLEAR_ROOM = 60;
/** A driver with a neighbour alongside that must change into its lane falls back at this share of its comfortable deceleration. */
const FALL_BACK = 0.5;
/** How far before a junction front vehicles start checking foes, at least, m. */

/**
 * How far before the point where its lanes stop leading along the route a driver starts a
 * strategic change to a lane that goes on, m: twice the distance over which a mandatory change
 * grows urgent (lanechange.ts), so that it first looks for a gap without forcing one.
 */
const STRATEGIC_DISTANCE = 300;


const GO = 0;
const STOP = 1; // stop at the line if it is physically possible, else go through
const MUST_STOP = 2; // stop at the line whatever it takes (no way on)

/** The full pass, over the positions in `order` listed in ks[0..n) (left to it by the fast pass, decide.ts). */
export function decideFull(c: SimCtx, ks: Int32Array, n: number, out: PhaseOut): void {
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
  const prevConnOf = s.prevConn;
  const connSpeed = c.connSpeed;
  const connCurve = c.connCurve;
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
    let flags = flagsOf[i] & ~F_YIELDING;
    scratch[ENV_V] = v;
    scratch[ENV_B] = Bmax;
    scratch[IZ_V] = v;
    scratch[IZ_S0] = s0;
    scratch[IZ_T] = T;
    scratch[IZ_SQAB2] = sqab2;
    scratch[KS_TAU] = T;
    scratch[KS_B] = B;
    scratch[ENV_SELF] = c.tKrauss[t];
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

    // desired speed, under a speed-limit zone of a road event from its sign on (zoneLimitAt,
    // written out: see there)
    const le = lane * LANE_EVENT_STRIDE;
    let zone = Infinity;
    if (anyEvents) {
      const zoneLimit = laneEv[le + LE_ZONE_LIMIT];
      if (zoneLimit !== Infinity && x >= laneEv[le + LE_ZONE_START] && x < laneEv[le + LE_ZONE_END]) zone = zoneLimit;
    }
    // and in the curve of the turn it has just taken (road/turn-speed.ts: the first metres of
    // this lane stand for the path through the junction, as a SUMO internal lane)
    const curve = curveLimit(connSpeed, connCurve, prevConnOf[i], x);
    const inCurve = curve !== Infinity;
    if (curve < zone) zone = curve;
    const v0 = desiredSpeed(laneSpeed[lane], speedFactor[i], tVmax[t], speedAdvice[i], zone);
    const v2xBits = v2xOf[i];
    const r = v / v0;
    const freeTerm = A * (1 - r * r * r * r);
    let z2 = 0; // largest (s* ÷ s)² over obstacles
    let aSafe = Infinity; // tightest safety envelope
    let aLine = Infinity; // IDM acceleration due to the stop line alone (MOBIL compares lanes with it)
    // A Krauss driver (kinematics.ts) takes the lowest safe speed over the same obstacles instead
    // of the IDM term; its lane changes are still judged with the IDM (MOBIL, lanechange.ts).
    const krauss = c.tKrauss[t] !== 0;
    let uK = Infinity;

    const uMax = v + A * dt;
    // (a Krauss driver covers its end speed times dt: step.ts)
    const reach = (krauss ? uMax * dt : ((v + uMax) * dt) / 2) + (uMax * uMax) / (2 * Bmax) + SAFETY_MARGIN;
    const laneEndK = laneStart[lane + 1];
    const distToEnd = laneLength[lane] - x;
    // the farthest this vehicle can get in the step: beyond the lane end, what lies there is a leader
    const crossReach = (krauss ? uMax * dt : v * dt + 0.5 * A * dt * dt) + SAFETY_MARGIN;
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
      scratch[IZ_DV] = v - speed[L];
      scratch[IZ_GAP] = gap;
      idmFromScratch();
      const zl = scratch[IZ_OUT];
      if (zl > z2) z2 = zl;
      if (krauss) {
        scratch[KS_ROOM] = gap - s0;
        scratch[KS_VL] = speed[L];
        scratch[KS_BL] = tB[typeOf[L]];
        kraussSafeFromScratch();
        uK = scratch[KS_OUT];
      }
      // the envelope can only bind when the gap is within what this step's fastest move plus
      // braking from there needs (IDM never accelerates beyond A)
      if (gap < reach) {
        scratch[ENV_GAP] = gap;
        scratch[ENV_VL] = speed[L];
        scratch[ENV_BL] = tBmax[typeOf[L]];
        scratch[ENV_LEADER] = c.tKrauss[typeOf[L]];
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
        // a stop sign: halt at the line and stand there before going on (then give way as the
        // junction's ranks say, below)
        if (verdict === GO && c.connStop[conn] === 1 && !(flags & F_PASS)) {
          if (stopSignHeld(c, i, distToEnd, k + 1 === laneEndK)) verdict = STOP;
          else flags |= F_STOPPED;
        }
        // right of way, occupied junction, keep clear and merging foes: the front vehicle near the
        // junction; and any vehicle that may reach the line in this step (at a long step more than
        // the front one can cross in one tick), which must enter its exit lane behind whoever
        // merges in ahead of it. (One running its yellow no longer yields, but still merges
        // behind whoever is ahead.)
        const isFront = k + 1 === laneEndK;
        if (verdict === GO && (isFront || distToEnd < crossReach)) {
          const yieldDist = YIELD_CHECK_MIN + (v * v) / (2 * B) + v * CRITICAL_GAP;
          if (distToEnd < yieldDist) {
            scratch[JY_LOOK] = look;
            const y = junctionYield(c, i, conn, isFront ? 1 : 0, 0);
            const jGap = scratch[JY_GAP];
            // a driver already inside the comfortable stopping distance is committed; one that gave
            // way last tick is braking for its line by the car-following stop, which keeps it on
            // the edge of that distance (over it by up to a step's travel, Euler), and goes on
            // stopping while it can stop at all (right-of-way.ts stillStopping: the same rule)
            if (y && !(flags & F_PASS) && stillStopping(v, distToEnd, flagsOf[i], B, Bmax)) {
              verdict = STOP;
              flags |= F_YIELDING;
            }
            if (jGap !== Infinity) {
              // Follow it, or stop at the line: while its rear has not passed the line in
              // projection either keeps clear of it (it takes another path to the merge point),
              // so the weaker of the two applies. (A vehicle that becomes the one ahead in
              // projection suddenly, at a few metres, would otherwise ask for more than b_max.)
              const jVL = scratch[JY_VL];
              scratch[IZ_DV] = v - jVL;
              scratch[IZ_GAP] = jGap;
              idmFromScratch();
              let zm = scratch[IZ_OUT];
              scratch[ENV_GAP] = jGap;
              scratch[ENV_VL] = jVL;
              scratch[ENV_BL] = scratch[JY_BL];
              scratch[ENV_LEADER] = scratch[JY_EULER];
              envelopeFromScratch();
              let as = jGap < 0 ? -Infinity : scratch[ENV_OUT];
              let um = Infinity;
              if (krauss) {
                scratch[KS_ROOM] = jGap - s0;
                scratch[KS_VL] = jVL;
                scratch[KS_BL] = scratch[JY_BL];
                kraussSafeFromScratch();
                um = scratch[KS_OUT];
              }
              if (jGap < distToEnd) {
                scratch[LN_DIST] = distToEnd;
                stopLineFromScratch();
                if (krauss && scratch[KS_OUT] > um) um = scratch[KS_OUT];
                if (scratch[IZ_OUT] < zm) zm = scratch[IZ_OUT];
                if (scratch[ENV_OUT] > as) as = scratch[ENV_OUT];
              }
              if (zm > z2) z2 = zm;
              if (um < uK) uK = um;
              if (as < aSafe) aSafe = as;
            }
          }
        }
      }
      if (verdict !== GO) {
        // stop with the front bumper half a metre before the line
        scratch[LN_DIST] = distToEnd;
        stopLineFromScratch();
        const zl = scratch[IZ_OUT];
        if (zl > z2) z2 = zl;
        aLine = A * (1 - r * r * r * r - zl);
        if (krauss && scratch[KS_OUT] < uK) uK = scratch[KS_OUT];
        // the envelope holds the vehicle before the line itself; only a driver who could not
        // stop there even at the physical limit goes through
        const as = scratch[ENV_OUT];
        if (verdict === MUST_STOP || as >= -Bmax * (1 + 1e-9) || v < HALT_SPEED) {
          if (as < aSafe) aSafe = as;
        } else if (conn >= 0) {
          flags |= F_PASS | F_DECIDED; // physically cannot stop any more: goes through
        }
      }
      // ---- front vehicle (or one that may cross in this step): look along the route for the
      // next leader (the last vehicle on the lanes ahead) and further stop lines. Also when it
      // stops at the line: the vehicle ahead may still hang back across it, nearer than the line
      if (conn >= 0 && (k + 1 === laneEndK || distToEnd < crossReach)) {
        scratch[LA_LOOK] = look;
        lookAhead(c, i, conn);
        if (scratch[LA_Z2] > z2) z2 = scratch[LA_Z2];
        if (scratch[LA_UK] < uK) uK = scratch[LA_UK];
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
        scratch[IZ_DV] = v;
        scratch[IZ_GAP] = gapB > 0.01 ? gapB : 0.01;
        idmFromScratch();
        const zb = scratch[IZ_OUT];
        if (zb > z2) z2 = zb;
        if (krauss) {
          scratch[KS_ROOM] = blockDist - 0.5;
          kraussStopFromScratch();
          const ub = scratch[KS_OUT];
          if (ub < uK) uK = ub;
        }
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
        // (a stop's `until`: it leaves no earlier than that time, nor before its dwell is over)
        const dwellEnd = c.time + c.stopDur[si];
        s.stopUntil[i] = dwellEnd > c.stopUntil[si] ? dwellEnd : c.stopUntil[si];
        flagsNext[i] = flags;
        accel[i] = v > 0 ? -v / dt : 0;
        continue;
      } else if (d < look) {
        scratch[IZ_DV] = v;
        scratch[IZ_GAP] = d + s0 - 0.5 > 0.01 ? d + s0 - 0.5 : 0.01;
        idmFromScratch();
        const zl = scratch[IZ_OUT];
        if (zl > z2) z2 = zl;
        if (krauss) {
          scratch[KS_ROOM] = d - 0.5;
          kraussStopFromScratch();
          const us = scratch[KS_OUT];
          if (us < uK) uK = us;
        }
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
        // alongside: fall back gently so that it can merge in ahead (it holds its speed). Not
        // beside one standing at its lane's end: falling back cannot put it ahead (only
        // reversing could), and the driver, creeping on between fall-backs, would hold the
        // whole lane at walking pace (a lane drop of Pasubio, edge 53, for minutes); it goes
        // on, and the one behind lets the wisher in (below), a zipper
        if (v > HALT_SPEED && speed[j] >= HALT_SPEED && fallBack > -FALL_BACK * B) fallBack = -FALL_BACK * B;
        continue;
      }
      scratch[IZ_DV] = v - speed[j];
      scratch[IZ_GAP] = gap;
      idmFromScratch();
      const zc = scratch[IZ_OUT];
      // only as far as comfortable braking allows; closer than that, while moving, keep falling
      // back gently as when alongside (else the driver would close up again, overlap, fall back,
      // and the two would ride side by side to the lane end)
      // (whether the driver can let it in is judged by the IDM for a Krauss driver too: a Krauss
      // driver can always brake to stand still where it is, so its own rule would hold it behind
      // a wisher that cannot get in, and both would wait for each other)
      const comfortable = freeTerm - A * zc >= -B;
      let uc = Infinity;
      if (krauss) {
        scratch[KS_ROOM] = gap - s0;
        scratch[KS_VL] = speed[j];
        scratch[KS_BL] = tB[typeOf[j]];
        kraussSafeFromScratch();
        uc = scratch[KS_OUT];
      }
      if (zc > z2 && comfortable) z2 = zc;
      if (uc < uK && comfortable) uK = uc;
      if (!comfortable && v > HALT_SPEED && fallBack > -FALL_BACK * B) fallBack = -FALL_BACK * B;
      // and then also inside the safety envelope behind it, whenever that too needs no more
      // than comfortable braking: the wisher relies on it (lanechange.ts, yieldsToMe) to change
      // in ahead of a standing or slow queue, which it could not if it had to assume this driver
      // accelerates. (Closer than that the driver goes on: held behind a wisher it could not
      // let in, both would wait for each other.)
      if (comfortable) {
        scratch[ENV_GAP] = gap;
        scratch[ENV_VL] = speed[j];
        scratch[ENV_BL] = tBmax[typeOf[j]];
        scratch[ENV_LEADER] = c.tKrauss[typeOf[j]];
        envelopeFromScratch();
        const asc = scratch[ENV_OUT];
        if (asc >= -B && asc < aSafe) aSafe = asc;
      }
    }

    // ---- the curve of the turn ahead (road/turn-speed.ts): the driver is down to its speed (times
    // the driver's factor, as on a lane) at the line, braking at most comfortably to get there:
    // after this step at the speed u from which braking at B reaches it in the room left; by the
    // ballistic update u² + 2·B·dt·u = v_c² + 2·B·d, by the Euler update (Krauss) step by step as
    // SUMO's drivers plan a slower internal lane ahead (kinematics.ts, eulerFreeSpeed). A cap,
    // like a speed limit: it never asks for more than the lane's.
    let aCurve = Infinity;
    if (conn >= 0 && connSpeed[conn] !== Infinity) {
      let uCurve = connSpeed[conn] * speedFactor[i];
      const bd = B * dt;
      const u = krauss ? eulerFreeSpeed(uCurve, B, distToEnd, dt) : Math.sqrt(bd * bd + uCurve * uCurve + 2 * B * distToEnd) - bd;
      if (u > uCurve) uCurve = u;
      if (uCurve < uK) uK = uCurve;
      aCurve = (uCurve - v) / dt;
    }

    // (MOBIL weighs lanes by IDM accelerations, for a Krauss driver too)
    const aIdm = freeTerm - A * z2;
    let a = aIdm;
    if (krauss) {
      scratch[KA_V] = v;
      scratch[KA_V0] = v0;
      scratch[KA_UK] = uK;
      kraussFromScratch(c, t, ids[i]);
      a = scratch[KA_OUT];
    }
    if (a > aCurve) a = aCurve;
    if (a > fallBack) a = fallBack;
    const lim = accelLimit[i];
    if (a > lim) a = lim;
    // (the explicit update overshoots the IDM's approach to v0 when A·dt is large against v0, at
    // long steps, when 4·A·dt > v0: the step ends at the desired speed at most)
    if (a > 0 && v + a * dt > v0) a = (v0 - v) / dt;
    if (a < -Bmax) a = -Bmax;

    // ---- lane change (MOBIL), mandatory when this lane does not lead on, is blocked ahead, or an
    // emergency vehicle behind needs it, or to reach the kerb lane for a stop. A stop ahead on
    // this edge is served from the kerb lane (a bus stop, a van's hand-over): the driver heads
    // there, and the lane its next turn needs waits until after the stop.
    const toKerb = stopRoom !== Infinity && lane !== stopLaneOf(c, i, laneEdge[lane]); // (the stop's lane: route-query.ts)
    const routeMandatory = conn < 0 && routeGoesOn && stopRoom === Infinity;
    // strategic: this lane leads to the next edge, but the lanes it leads into stop leading along
    // the route within STRATEGIC_DISTANCE while another lane of this edge goes further: head for
    // it now, while there is room (on a short edge the next junction's lane is needed already)
    let minReach = 1;
    let strategicRoom = Infinity;
    // (looked at when the driver considers a discretionary change, and every tick while it shows a wish)
    if (conn >= 0 && edgeLanes > 1 && stopRoom === Infinity && distToEnd < STRATEGIC_DISTANCE && (wishIn[i] !== 0 || (ids[i] + tick) % lcEvery === 0)) {
      minReach = strategicReach(c, i, lane, conn, edgeFirst, edgeLanes);
      if (minReach < 0) {
        minReach = -minReach;
        strategicRoom = scratch[LR_DIST];
      }
    }
    const mandatory = routeMandatory || toKerb || blockDist !== Infinity || (v2xBits & V2X_CLEAR) !== 0 || strategicRoom !== Infinity;
    // how far the driver has left to make the change
    const changeRoom = routeMandatory ? (blockDist < distToEnd ? blockDist : distToEnd) : blockDist !== Infinity ? blockDist : toKerb ? stopRoom : strategicRoom !== Infinity ? strategicRoom : CLEAR_ROOM;
    // (near the lane end only a vehicle that cannot go on anyway changes: it will not cross in this step)
    // (and none in the curve of a junction: SUMO changes no lane on internal lanes either)
    if (edgeLanes > 1 && !inCurve && (mandatory || distToEnd > 5 + v * dt)) {
      const discretionary = c.time - lcTime[i] > 2 && (ids[i] + tick) % lcEvery === 0;
      if (mandatory || discretionary) {
        // (a Krauss driver's current lane by the IDM too, with the same caps, so MOBIL compares like with like)
        let aCur = a;
        if (krauss) {
          aCur = aIdm < fallBack ? aIdm : fallBack;
          if (aCur > aCurve) aCur = aCurve;
          if (aCur > lim) aCur = lim;
          if (aCur > 0 && v + aCur * dt > v0) aCur = (v0 - v) / dt;
          if (aCur < -Bmax) aCur = -Bmax;
        }
        scratch[LC_ACUR] = aCur < aSafe ? aCur : aSafe;
        // (the change's own plan for this step is what the driver really does, so that the new
        // follower's check holds for where it ends the step)
        scratch[LC_APLAN] = a < aSafe ? a : aSafe;
        scratch[LC_ALINE] = aLine;
        scratch[LC_ROOM] = changeRoom;
        const needSide = evaluateLaneChange(c, i, k, lane, mandatory, toKerb, minReach);
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
 * A Krauss driver's acceleration for decideFull (kinematics.ts kraussAccel, with its dawdling
 * draw), its inputs and result in the KA_* registers; see obstacle-terms.ts for why.
 */
function kraussFromScratch(c: SimCtx, t: number, id: number): void {
  const sigma = c.tSigma[t];
  scratch[KA_OUT] = kraussAccel(scratch[KA_V], scratch[KA_V0], scratch[KA_UK], c.tA[t], c.tB[t], sigma, c.dt, sigma > 0 ? rand(c.seed, c.tick, id, PURPOSE_DAWDLE) : 0);
}

/**
 * Strategic lane choice for vehicle i on `lane` heading through `conn` (decide-full's loop calls
 * it; out of that loop's body, which is at V8's inlining budget): the reach a lane change must
 * keep (lane-choice.ts, laneReach), negated when a change is mandatory because another lane of
 * the edge leads further and the point where this one stops is within STRATEGIC_DISTANCE; the
 * room left for it then goes to LR_DIST. An integer result: V8 returns it without boxing.
 */
function strategicReach(c: SimCtx, i: number, lane: number, conn: number, edgeFirst: number, edgeLanes: number): number {
  // (first the cheap test: do the lanes straight on from this one lead along the route for
  // STRATEGIC_DISTANCE, or to its end? Mostly they do. Not only the next lane's: on Hamburg's
  // approaches a four-lane edge widens to five and then six lanes, of which the left two turn
  // left, 106 m past the edge's end; a driver that looked one lane ahead learnt it needed a lane
  // three to the left on the short edges before the line, in the queue)
  const bit = classBitOf(c, i);
  const distToEnd = c.laneLength[lane] - c.v.pos[i];
  let l = c.connToLane[conn];
  let along = distToEnd + c.laneLength[l];
  for (let h = 2; along < STRATEGIC_DISTANCE; h++) {
    const e = routeEdgeAhead(c, i, h);
    if (e < 0 || h > CHOICE_DEPTH + 1) return 1;
    const cn = connectionToEdgeFor(c, l, e, bit);
    if (cn < 0) break;
    l = c.connToLane[cn];
    along += c.laneLength[l];
  }
  if (along >= STRATEGIC_DISTANCE) return 1;
  const myReach = laneReach(c, i, lane);
  const room = distToEnd + scratch[LR_DIST];
  let better = false;
  for (let l = edgeFirst; l < edgeFirst + edgeLanes; l++) if (l !== lane && laneReach(c, i, l) > myReach) better = true;
  if (!better) return myReach > 1 ? myReach : 1;
  scratch[LR_DIST] = room;
  return -(myReach + 1);
}
