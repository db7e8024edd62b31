/**
 * Phase "move": applies accepted lane changes and the ballistic update with the stop-in-step
 * correction (step.ts). Vehicles that pass the end of their lane continue on the connected lane of their route, or
 * arrive at the end of it. Reads and writes only each vehicle's own state, and adds the tick to
 * the figures per place in this part's own tally (place-tally.ts), when the run writes them.
 */
import type { PhaseOut, SimCtx } from './context.js';
import { F_DECIDED, F_DWELL, F_MOVING, F_PASS, F_STOPPED, F_YIELDING } from '../core/state.js';
import { SIG_RED } from '../road/signals.js';
import { CREEP_SPEED, HALT_SPEED } from './kinematics.js';
import { STOP_LINE_REACH } from './right-of-way.js';
import { routeEdgeAhead } from './route-query.js';
import { routeConnection } from './lane-choice.js';
import { eulerAdvance, stepAdvance, stepEndSpeed } from './step.js';
import { co2GPerMl, fuelRateMlPerS } from './emissions.js';
import { desiredSpeed, zoneLimitAt } from './desired-speed.js';
import { COVER_UNIT, LENGTH_UNIT, TIME_UNIT, tallyCover, tallyCross, tallyPart, type PlaceTally } from './place-tally.js';

/** the tally arrays' stand-in when the run writes no figures per place (one for all ticks) */
const NO_TALLY = new Float64Array(0);

export function movePhase(c: SimCtx, k0: number, k1: number, out: PhaseOut, tally: PlaceTally | null): void {
  const s = c.v;
  const order = s.order;
  const pos = s.pos;
  const speed = s.speed;
  const accel = s.accel;
  const laneOf = s.lane;
  const laneLength = c.laneLength;
  const dt = c.dt;
  const halfDt2 = 0.5 * dt * dt;
  const timeout = c.gridlockTimeout;
  let structural = 0;
  // Fuel and CO₂: VT-Micro is a second-by-second model (fitted to 1 Hz speed and acceleration
  // data), so each vehicle is sampled once per simulated second, at a tick of its own (id), and
  // the rate applies to that whole second.
  const emissions = c.emissions;
  const perSecond = c.ticksPerSecond;
  const sampleDt = perSecond * dt;
  const tick = c.tick;
  const ids = s.id;

  const lcTargetOf = s.lcTarget;
  const nextConnOf = s.nextConn;
  const lcTimeOf = s.lcTime;
  const lastDxOf = s.lastDx;
  const distOf = s.dist;
  const flagsNextOf = s.flagsNext;
  const flagsOf = s.flags;
  const waitingOf = s.waiting;
  const stuckOf = s.stuck;
  const haltsOf = s.halts;
  const fuelOf = s.fuel;
  const co2Of = s.co2;
  const typeOf = s.type;
  const stopIdxOf = s.stopIdx;
  const stopEndOf = s.stopEnd;
  const prevConnOf = s.prevConn;
  const routeOf = s.route;
  const routeIdxOf = s.routeIdx;
  const timeLossOf = s.timeLoss;
  const speedFactorOf = s.speedFactor;
  const laneSpeed = c.laneSpeed;
  const tVmax = c.tVmax;
  const tKrauss = c.tKrauss;
  const zones = c.roadEventsInForce;
  const laneEvents = c.laneEvents;
  const edgeLossOf = s.edgeLoss;
  // the tally's arrays and units in locals (a module constant or an object's field is a load per use)
  const tallying = tally !== null;
  const none = NO_TALLY;
  const tSampled = tally?.sampled ?? none;
  const tDistance = tally?.distance ?? none;
  const tWaiting = tally?.waiting ?? none;
  const tTimeLoss = tally?.timeLoss ?? none;
  const tCovered = tally?.covered ?? none;
  const perTime = 1 / TIME_UNIT;
  const perLength = 1 / LENGTH_UNIT;
  const perCover = 1 / COVER_UNIT;
  // the tick in the tally's whole units (exact for any step of whole microseconds)
  const dtU = Math.round(dt * perTime);
  const coverU = dt * perCover;
  const tLen = c.tLen;
  // The common case's sums for the lane of the last vehicles, in registers: vehicles come in lane
  // order, and adding into the lane's cell vehicle after vehicle waits on the store before. Whole
  // units add exactly in any order, so what is held here can go in whenever the lane changes.
  let runLane = -1;
  let runTicks = 0;
  let runHalted = 0;
  let runDistance = 0;
  let runLoss = 0;
  let runCover = 0;

  for (let k = k0; k < k1; k++) {
    const i = order[k];
    let lane = laneOf[i];
    if (tally !== null && edgeLossOf[i] < 0) {
      // its first move: it enters the figures of its edge (one inserted at an interval's end
      // belongs to the interval that starts then)
      tally.entered[lane]++;
      edgeLossOf[i] = 0;
    }
    const tl = lcTargetOf[i];
    if (tl >= 0) {
      if (tally !== null) {
        // as SUMO's laneData: off this lane and onto its neighbour, the tick then counts on the new one
        tally.changedFrom[lane]++;
        tally.changedTo[tl]++;
      }
      // both lanes' segments of the order change (LaneOrder.update walks only marked lanes)
      c.laneDirty[lane] = 1;
      lane = tl;
      laneOf[i] = tl;
      nextConnOf[i] = routeConnection(c, i, tl);
      lcTimeOf[i] = c.time;
      lcTargetOf[i] = -1;
      c.laneDirty[tl] = 1;
      structural++;
    }

    const v = speed[i];
    const a = accel[i];
    if (emissions && (ids[i] + tick) % perSecond === 0) {
      const cls = c.tClass[typeOf[i]];
      const fuel = fuelRateMlPerS(cls, v, a) * sampleDt;
      fuelOf[i] += fuel;
      co2Of[i] += fuel * co2GPerMl(cls);
    }
    // (a Krauss driver moves by the Euler update: step.ts)
    const dx = tKrauss[typeOf[i]] !== 0 ? eulerAdvance(v, a, dt) : stepAdvance(v, a, dt, halfDt2);
    let vNew = stepEndSpeed(v, a, dt);
    // where it starts on the lane it is on (0 on each lane it enters in this tick)
    let from = pos[i];
    let x = from + dx;
    lastDxOf[i] = dx;
    distOf[i] += dx;

    let flags = flagsNextOf[i];
    let crossed = false;
    let arrived = false;
    while (x > laneLength[lane]) {
      const conn = nextConnOf[i];
      if (conn < 0) {
        if (routeEdgeAhead(c, i, 1) < 0) {
          // the end of the route: arrive (the part of the tick up to the lane's end counts)
          out.arrivals[out.arrCount++] = i;
          arrived = true;
          if (tally !== null) {
            const d = laneLength[lane] - (from > 0 ? from : 0);
            tallyPart(tally, c, i, lane, dx > 0 ? (dt * d) / dx : dt, d, vNew, laneLength[lane], (flags & F_DWELL) !== 0);
          }
        } else {
          // no way on from this lane (the stop line should have held it): hold at the end
          distOf[i] -= x - laneLength[lane];
          x = laneLength[lane];
          vNew = 0;
          out.emergencyBrakes++;
        }
        break;
      }
      if (c.connState[conn] === SIG_RED && !(flags & F_PASS)) out.redViolations++;
      if (tally !== null) {
        // the part of the tick on the lane it leaves, then the crossing
        const d = laneLength[lane] - (from > 0 ? from : 0);
        tallyPart(tally, c, i, lane, dx > 0 ? (dt * d) / dx : 0, d, vNew, laneLength[lane], (flags & F_DWELL) !== 0);
        tallyCross(tally, c, i, conn);
      }
      from = 0;
      crossed = true;
      c.laneDirty[lane] = 1;
      x -= laneLength[lane];
      // a stop on the edge being left that was never served is missed
      const si = stopIdxOf[i];
      if (si < stopEndOf[i] && c.stopEdge[si] === c.laneEdge[lane]) stopIdxOf[i]++;
      lane = c.connToLane[conn];
      laneOf[i] = lane;
      prevConnOf[i] = conn;
      const r = routeOf[i];
      let idx = routeIdxOf[i] + 1;
      if (idx >= c.routeLen[r]) idx = 0; // a loop route starts over
      routeIdxOf[i] = idx;
      nextConnOf[i] = routeConnection(c, i, lane);
      flags &= ~(F_PASS | F_DECIDED | F_YIELDING | F_STOPPED);
      c.laneDirty[lane] = 1;
      structural++;
    }
    pos[i] = x;
    speed[i] = vNew;
    const dwelling = (flags & F_DWELL) !== 0;
    let vmax = 0;
    let lost = 0;
    if (!dwelling) {
      // time loss as SUMO counts it: against the top speed on the lane it ends the tick on (the
      // lane's limit, or a speed-limit zone's, times the driver's factor, capped by the type's
      // top speed; V2X advice is no limit), nothing while dwelling at a stop
      vmax = desiredSpeed(laneSpeed[lane], speedFactorOf[i], tVmax[typeOf[i]], Infinity, zones ? zoneLimitAt(laneEvents, lane, x) : Infinity);
      lost = (dt * (vmax - vNew)) / vmax;
      timeLossOf[i] += lost;
    }
    if (tallying && !arrived) {
      if (!crossed && from >= 0) {
        // the whole tick on this lane (the common case, written out: tallyPart does the same)
        if (lane !== runLane) {
          if (runLane >= 0) {
            tSampled[runLane] += runTicks * dtU;
            tWaiting[runLane] += runHalted * dtU;
            tDistance[runLane] += runDistance;
            tTimeLoss[runLane] += runLoss;
            tCovered[runLane] += runCover;
          }
          runLane = lane;
          runTicks = runHalted = runDistance = runLoss = runCover = 0;
        }
        runTicks++;
        // (x + 0.5) | 0 is Math.round for these small non-negative amounts, and many times cheaper
        runDistance += ((x - from) * perLength + 0.5) | 0;
        if (vNew < 0.1) runHalted++;
        if (lost > 0) {
          runLoss += (lost * perTime + 0.5) | 0;
          edgeLossOf[i] += lost;
        }
      } else {
        const d = x - (from > 0 ? from : 0);
        tallyPart(tally!, c, i, lane, dx > 0 ? (dt * d) / dx : dt, d, vNew, x, dwelling);
      }
    }

    let removed = false;
    if (vNew < HALT_SPEED) {
      waitingOf[i] += dt;
      if (!(flags & F_DWELL)) stuckOf[i] += dt;
      if (flags & F_MOVING) {
        haltsOf[i]++;
        if (tally !== null) tally.halts[lane]++;
        flags &= ~F_MOVING;
      }
      if (stuckOf[i] > timeout) {
        out.removals[out.remCount++] = i;
        removed = true;
      }
    } else {
      // (edging forward at its line, as a driver judging its gap may for a tick, it still waits:
      // its stood time restarting there, its impatience was lost and at a tight gap it never went)
      if (vNew >= CREEP_SPEED || crossed || laneLength[lane] - x >= STOP_LINE_REACH) stuckOf[i] = 0;
      flags |= F_MOVING;
    }
    flagsOf[i] = flags;
    // (one that leaves the road at the tick's end covers nothing then)
    if (tallying && !arrived && !removed) {
      // the lane length its body covers at the tick's end: the common case (all on its lane)
      // written out, tallyCover does the rest
      const rear = x - tLen[typeOf[i]];
      if (rear >= 0 && x <= laneLength[lane]) {
        const u = ((x - rear) * coverU + 0.5) | 0;
        if (lane === runLane) runCover += u;
        else tCovered[lane] += u;
      } else tallyCover(tally!, c, i, lane, x);
    }
  }
  if (runLane >= 0) {
    tSampled[runLane] += runTicks * dtU;
    tWaiting[runLane] += runHalted * dtU;
    tDistance[runLane] += runDistance;
    tTimeLoss[runLane] += runLoss;
    tCovered[runLane] += runCover;
  }
  out.structural += structural;
}
