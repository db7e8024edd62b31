/**
 * Phase "insert": departures whose time has come enter the network when a safe gap allows,
 * otherwise wait in a first-in-first-out queue per departure edge (counted as `waiting`; a
 * departure is never dropped). At most one vehicle enters per edge per tick.
 *
 * A vehicle enters with its rear at the start of the lane, on the lane of its first edge that
 * leads on along its route and allows the highest speed:
 *  - departSpeed m/s: at that speed (capped by the lane), if the IDM would not have to brake;
 *  - departSpeed max: at the highest speed that a steady platoon can hold — the lower of the
 *    desired speed and the speed of maximum equilibrium flow (idm.ts, laneCapacity) — or, behind
 *    a slower leader, at the highest speed not below the leader's at which the IDM would not brake.
 * In every case the new vehicle and the vehicles approaching from upstream stay inside the
 * safety envelope (kinematics.ts). Only lanes the vehicle's class may use are candidates (lane
 * classes). A departure with a departLane or departPos of its own is placed by insert-at.ts.
 */
import type { SimCtx } from './context.js';
import type { Departure } from './demand.js';
import type { TypeTable } from './types.js';
import { SAFETY_MARGIN, idmAccel, leaderStopDistance, safeAccel } from './kinematics.js';
import { connectionToEdgeFor } from './route-query.js';
import { approachingVia } from './neighbours.js';
import { findPlacedEntry, type Entry } from './insert-at.js';

export type { Entry } from './insert-at.js';

/** Finds where and how fast departure `d` can enter now, or null. */
export function findEntry(c: SimCtx, types: TypeTable, d: Departure, speedFactor: number): Entry | null {
  const r = d.route;
  const first = c.routeEdges[c.routeStart[r]];
  const second = c.routeLen[r] > 1 ? c.routeEdges[c.routeStart[r] + 1] : c.routeLoop[r] ? first : -1;
  const t = d.type;
  const bit = c.tLaneBits[t];
  if (d.lane !== undefined || d.pos !== undefined) return findPlacedEntry(c, types, d, speedFactor, first, second, bit);
  let best: Entry | null = null;
  const n = c.edgeLanes[first];
  for (let l = 0; l < n; l++) {
    const lane = c.edgeFirstLane[first] + l;
    if ((c.laneAllow[lane] & bit) === 0) continue;
    if (second >= 0 && connectionToEdgeFor(c, lane, second, bit) < 0) continue;
    const e = entryOnLane(c, types, t, lane, d.departSpeed, speedFactor, second, bit);
    if (e && (!best || e.speed > best.speed + 1e-9)) best = e;
  }
  return best;
}

function entryOnLane(c: SimCtx, types: TypeTable, t: number, lane: number, departSpeed: number | 'max', sf: number, nextEdge: number, bit: number): Entry | null {
  const s = c.v;
  const len = c.tLen[t];
  const pos = Math.min(len, c.laneLength[lane]);
  let v0 = c.laneSpeed[lane] * sf;
  if (v0 > c.tVmax[t]) v0 = c.tVmax[t];

  // the leader: the rearmost vehicle on this lane, or on the next lane of the route
  let gap = Infinity;
  let vL = 0;
  let BL = 9;
  let leaderEuler = 0; // (a Krauss leader: kinematics.ts, safeAccel)
  const k0 = c.laneStart[lane];
  if (k0 < c.laneStart[lane + 1]) {
    const L = s.order[k0];
    gap = s.pos[L] - c.tLen[s.type[L]] - pos;
    vL = s.speed[L];
    BL = c.tBmax[s.type[L]];
        leaderEuler = c.tKrauss[s.type[L]];
  } else if (nextEdge >= 0) {
    const conn = connectionToEdgeFor(c, lane, nextEdge, bit);
    if (conn >= 0) {
      const nl = c.connToLane[conn];
      if (c.laneStart[nl] < c.laneStart[nl + 1]) {
        const L = s.order[c.laneStart[nl]];
        gap = c.laneLength[lane] - pos + s.pos[L] - c.tLen[s.type[L]];
        vL = s.speed[L];
        BL = c.tBmax[s.type[L]];
        leaderEuler = c.tKrauss[s.type[L]];
      }
    }
  }
  if (gap <= c.tS0[t] * 0.5) return null;

  const ok = (v: number) => {
    if (gap === Infinity) return true;
    if (idmAccel(v, v0, v - vL, gap, c.tA[t], c.tS0[t], c.tT[t], c.tSqab2[t]) < 0) return false;
    return safeAccel(v, c.tBmax[t], gap, vL, BL, c.dt, c.tKrauss[t] | (leaderEuler << 1)) >= -c.tB[t];
  };
  let v: number;
  if (departSpeed !== 'max') {
    v = Math.min(departSpeed, v0);
    if (!ok(v)) return null;
  } else {
    const target = Math.min(v0, types.capacitySpeed(t, v0));
    if (ok(target)) v = target;
    else {
      // highest speed the gap allows (bisection), but not slower than the leader
      let lo = 0;
      let hi = target;
      if (!ok(0)) return null;
      for (let it = 0; it < 16; it++) {
        const mid = (lo + hi) / 2;
        if (ok(mid)) lo = mid;
        else hi = mid;
      }
      v = lo;
      if (v + 1e-6 < Math.min(target, vL)) return null;
    }
  }

  // vehicles about to enter this lane from upstream must stay safe behind the newcomer
  const rear = pos - len;
  // (a Krauss driver may stop sooner: kinematics.ts, eulerBrakeGap)
  const myStop = rear + leaderStopDistance(v, c.tBmax[t], c.dt, c.tKrauss[t]);
  for (let q = c.laneInStart[lane]; q < c.laneInStart[lane + 1]; q++) {
    const conn = c.laneIns[q];
    const j = approachingVia(c, conn);
    if (j < 0) continue;
    const xf = s.pos[j] - c.laneLength[c.connFromLane[conn]];
    const vf = s.speed[j];
    if (xf > rear - SAFETY_MARGIN) return null;
    if (xf + (vf * vf) / (2 * c.tBmax[s.type[j]]) > myStop - SAFETY_MARGIN) return null;
  }
  return { lane, pos, speed: v };
}
