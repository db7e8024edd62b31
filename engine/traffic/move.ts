/**
 * Phase "move": applies accepted lane changes and the ballistic update
 *   x += v·dt + ½·a·dt²,  v = max(0, v + a·dt)
 * with the stop-in-step correction (a vehicle whose speed would turn negative inside the step
 * stops at x + v²/(2|a|)), as in Treiber & Kesting, "Traffic Flow Dynamics" (2013), §10.
 * Vehicles that pass the end of their lane continue on the connected lane of their route, or
 * arrive at the end of it. Reads and writes only each vehicle's own state.
 */
import type { PhaseOut, SimCtx } from './context.js';
import { F_DECIDED, F_DWELL, F_MOVING, F_PASS } from '../core/state.js';
import { SIG_RED } from '../road/signals.js';
import { HALT_SPEED } from './kinematics.js';
import { connectionToEdge, routeEdgeAhead } from './decide.js';
import { co2GPerMl, fuelRateMlPerS } from './emissions.js';

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

  for (let k = k0; k < k1; k++) {
    const i = order[k];
    let lane = laneOf[i];
    const tl = s.lcTarget[i];
    if (tl >= 0) {
      lane = tl;
      laneOf[i] = tl;
      const ne = routeEdgeAhead(c, i, 1);
      s.nextConn[i] = ne < 0 ? -1 : connectionToEdge(c, tl, ne);
      s.lcTime[i] = c.time;
      s.lcTarget[i] = -1;
      c.laneDirty[tl] = 1;
      structural++;
    }

    const v = speed[i];
    const a = accel[i];
    if (emissions && (ids[i] + tick) % perSecond === 0) {
      const cls = c.tClass[s.type[i]];
      const fuel = fuelRateMlPerS(cls, v, a) * sampleDt;
      s.fuel[i] += fuel;
      s.co2[i] += fuel * co2GPerMl(cls);
    }
    let dx: number;
    let vNew: number;
    if (v + a * dt < 0) {
      dx = a < 0 ? -(v * v) / (2 * a) : 0;
      vNew = 0;
    } else {
      dx = v * dt + a * halfDt2;
      vNew = v + a * dt;
    }
    let x = pos[i] + dx;
    s.lastDx[i] = dx;
    s.dist[i] += dx;

    let flags = s.flagsNext[i];
    while (x > laneLength[lane]) {
      const conn = s.nextConn[i];
      if (conn < 0) {
        if (routeEdgeAhead(c, i, 1) < 0) {
          // the end of the route: arrive
          out.arrivals[out.arrCount++] = i;
        } else {
          // no way on from this lane (the stop line should have held it): hold at the end
          s.dist[i] -= x - laneLength[lane];
          x = laneLength[lane];
          vNew = 0;
          out.emergencyBrakes++;
        }
        break;
      }
      if (c.connState[conn] === SIG_RED && !(flags & F_PASS)) out.redViolations++;
      x -= laneLength[lane];
      // a stop on the edge being left that was never served is missed
      const si = s.stopIdx[i];
      if (si < s.stopEnd[i] && c.stopEdge[si] === c.laneEdge[lane]) s.stopIdx[i]++;
      lane = c.connToLane[conn];
      laneOf[i] = lane;
      s.prevConn[i] = conn;
      const r = s.route[i];
      let idx = s.routeIdx[i] + 1;
      if (idx >= c.routeLen[r]) idx = 0; // a loop route starts over
      s.routeIdx[i] = idx;
      const ne = routeEdgeAhead(c, i, 1);
      s.nextConn[i] = ne < 0 ? -1 : connectionToEdge(c, lane, ne);
      flags &= ~(F_PASS | F_DECIDED);
      c.laneDirty[lane] = 1;
      structural++;
    }
    pos[i] = x;
    speed[i] = vNew;

    if (vNew < HALT_SPEED) {
      s.waiting[i] += dt;
      if (!(flags & F_DWELL)) s.stuck[i] += dt;
      if (flags & F_MOVING) {
        s.halts[i]++;
        flags &= ~F_MOVING;
      }
      if (s.stuck[i] > timeout) out.removals[out.remCount++] = i;
    } else {
      s.stuck[i] = 0;
      flags |= F_MOVING;
    }
    s.flags[i] = flags;
  }
  out.structural += structural;
}
