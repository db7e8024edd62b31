/**
 * Phase "move": applies accepted lane changes and the ballistic update with the stop-in-step
 * correction (step.ts). Vehicles that pass the end of their lane continue on the connected lane of their route, or
 * arrive at the end of it. Reads and writes only each vehicle's own state.
 */
import type { PhaseOut, SimCtx } from './context.js';
import { F_DECIDED, F_DWELL, F_MOVING, F_PASS, F_YIELDING } from '../core/state.js';
import { SIG_RED } from '../road/signals.js';
import { HALT_SPEED } from './kinematics.js';
import { routeEdgeAhead } from './route-query.js';
import { routeConnection } from './lane-choice.js';
import { stepAdvance, stepEndSpeed } from './step.js';
import { co2GPerMl, fuelRateMlPerS } from './emissions.js';
import { desiredSpeed, zoneLimitAt } from './desired-speed.js';

export function movePhase(c: SimCtx, k0: number, k1: number, out: PhaseOut): void {
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
  const zones = c.roadEventsInForce;
  const laneEvents = c.laneEvents;

  for (let k = k0; k < k1; k++) {
    const i = order[k];
    let lane = laneOf[i];
    const tl = lcTargetOf[i];
    if (tl >= 0) {
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
    const dx = stepAdvance(v, a, dt, halfDt2);
    let vNew = stepEndSpeed(v, a, dt);
    let x = pos[i] + dx;
    lastDxOf[i] = dx;
    distOf[i] += dx;

    let flags = flagsNextOf[i];
    while (x > laneLength[lane]) {
      const conn = nextConnOf[i];
      if (conn < 0) {
        if (routeEdgeAhead(c, i, 1) < 0) {
          // the end of the route: arrive
          out.arrivals[out.arrCount++] = i;
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
      flags &= ~(F_PASS | F_DECIDED | F_YIELDING);
      c.laneDirty[lane] = 1;
      structural++;
    }
    pos[i] = x;
    speed[i] = vNew;
    if (!(flags & F_DWELL)) {
      // time loss as SUMO counts it: against the top speed on the lane it ends the tick on (the
      // lane's limit, or a speed-limit zone's, times the driver's factor, capped by the type's
      // top speed; V2X advice is no limit), nothing while dwelling at a stop
      const vmax = desiredSpeed(laneSpeed[lane], speedFactorOf[i], tVmax[typeOf[i]], Infinity, zones ? zoneLimitAt(laneEvents, lane, x) : Infinity);
      timeLossOf[i] += (dt * (vmax - vNew)) / vmax;
    }

    if (vNew < HALT_SPEED) {
      waitingOf[i] += dt;
      if (!(flags & F_DWELL)) stuckOf[i] += dt;
      if (flags & F_MOVING) {
        haltsOf[i]++;
        flags &= ~F_MOVING;
      }
      if (stuckOf[i] > timeout) out.removals[out.remCount++] = i;
    } else {
      stuckOf[i] = 0;
      flags |= F_MOVING;
    }
    flagsOf[i] = flags;
  }
  out.structural += structural;
}
