/**
 * Insertion of a departure that names its lane or its position (departLane, departPos;
 * depart-place.ts resolved them): on that lane, or on the lane the vehicle may use with the most
 * room ('free'); with its front at that position, or in the middle of the lane's largest gap
 * ('free'). The vehicle enters only where it is inside the safety envelope behind its leader
 * (the next vehicle on the lane, else the rearmost on the lane its route leads to, else the end
 * of a lane that does not lead on, as a standing obstacle) and where its follower on the lane
 * (or, with none, every vehicle about to enter the lane from upstream) stays inside it too.
 * Serial (the insert phase), never in the hot loop.
 */
import type { SimCtx } from './context.js';
import type { Departure } from './demand.js';
import type { TypeTable } from './types.js';
import { SAFETY_MARGIN, idmAccel, leaderStopDistance, safeAccel } from './kinematics.js';
import { connectionToEdgeFor } from './route-query.js';
import { approachingVia, firstAhead } from './neighbours.js';

/** Where and how fast a departure enters. */
export interface Entry {
  lane: number;
  pos: number;
  speed: number;
}

/** An id above every vehicle's: the newcomer sorts after vehicles at its very position. */
const NEW_ID = 0x7fffffff;

export function findPlacedEntry(c: SimCtx, types: TypeTable, d: Departure, sf: number, first: number, second: number, bit: number): Entry | null {
  const n = c.edgeLanes[first];
  const lane0 = c.edgeFirstLane[first];
  const len = c.tLen[d.type];
  let best: Entry | null = null;
  let bestRoom = -1;
  for (let l = 0; l < n; l++) {
    const lane = lane0 + l;
    if ((c.laneAllow[lane] & bit) === 0) continue;
    if (typeof d.lane === 'number') {
      if (l !== d.lane) continue;
    } else if (d.lane !== 'free' && second >= 0 && connectionToEdgeFor(c, lane, second, bit) < 0) continue; // best: lanes that lead on
    const laneLen = c.laneLength[lane];
    let front: number;
    let room: number;
    if (d.pos === 'free') {
      const g = largestGap(c, lane, len);
      front = g[0];
      room = g[1];
    } else {
      front = d.pos === undefined ? Math.min(len, laneLen) : Math.max(Math.min(len, laneLen), Math.min(d.pos, laneLen));
      room = roomAt(c, lane, front);
    }
    const e = entryAt(c, types, d, lane, front, sf, second, bit);
    if (!e) continue;
    // free: the most room; otherwise the highest speed (as the default insertion)
    const better = d.lane === 'free' ? room > bestRoom + 1e-9 : !best || e.speed > best.speed + 1e-9;
    if (better) {
      best = e;
      bestRoom = room;
    }
  }
  return best;
}

/** Room ahead of a front at `front` on `lane`: to the next vehicle's rear (the lane end when none). */
function roomAt(c: SimCtx, lane: number, front: number): number {
  const k = firstAhead(c, lane, front, NEW_ID);
  if (k >= c.laneStart[lane + 1]) return c.laneLength[lane] - front + 1e6; // an empty stretch to the end beats any gap
  const L = c.v.order[k];
  return c.v.pos[L] - c.tLen[c.v.type[L]] - front;
}

/** The front position in the middle of the largest gap on `lane` for a vehicle of length `len`, and that gap. */
function largestGap(c: SimCtx, lane: number, len: number): [number, number] {
  const s = c.v;
  const laneLen = c.laneLength[lane];
  let prevFront = 0; // the front of the vehicle behind (the lane start at first)
  let bestMid = Math.min(len, laneLen);
  let bestGap = -1;
  for (let k = c.laneStart[lane]; k <= c.laneStart[lane + 1]; k++) {
    const end = k < c.laneStart[lane + 1] ? s.pos[s.order[k]] - c.tLen[s.type[s.order[k]]] : laneLen;
    const gap = end - prevFront;
    if (gap > bestGap) {
      bestGap = gap;
      bestMid = Math.max(Math.min(len, laneLen), Math.min(laneLen, prevFront + (gap + len) / 2));
    }
    if (k < c.laneStart[lane + 1]) prevFront = s.pos[s.order[k]];
  }
  return [bestMid, bestGap];
}

function entryAt(c: SimCtx, types: TypeTable, d: Departure, lane: number, front: number, sf: number, nextEdge: number, bit: number): Entry | null {
  const s = c.v;
  const t = d.type;
  const len = c.tLen[t];
  let v0 = c.laneSpeed[lane] * sf;
  if (v0 > c.tVmax[t]) v0 = c.tVmax[t];

  const kA = firstAhead(c, lane, front, NEW_ID);
  let gap = Infinity;
  let vL = 0;
  let BL = 9;
  let leaderEuler = 0; // (a Krauss leader: kinematics.ts, safeAccel)
  if (kA < c.laneStart[lane + 1]) {
    const L = s.order[kA];
    gap = s.pos[L] - c.tLen[s.type[L]] - front;
    vL = s.speed[L];
    BL = c.tBmax[s.type[L]];
        leaderEuler = c.tKrauss[s.type[L]];
  } else if (nextEdge >= 0) {
    const conn = connectionToEdgeFor(c, lane, nextEdge, bit);
    if (conn >= 0) {
      const nl = c.connToLane[conn];
      if (c.laneStart[nl] < c.laneStart[nl + 1]) {
        const L = s.order[c.laneStart[nl]];
        gap = c.laneLength[lane] - front + s.pos[L] - c.tLen[s.type[L]];
        vL = s.speed[L];
        BL = c.tBmax[s.type[L]];
        leaderEuler = c.tKrauss[s.type[L]];
      }
    } else {
      // the lane does not lead on: its end is a standing obstacle (the driver changes lanes first)
      gap = c.laneLength[lane] - front;
      BL = c.tBmax[t];
    }
  }
  if (gap <= c.tS0[t] * 0.5) return null;

  const ok = (v: number) => {
    if (gap === Infinity) return true;
    if (idmAccel(v, v0, v - vL, gap, c.tA[t], c.tS0[t], c.tT[t], c.tSqab2[t]) < 0) return false;
    return safeAccel(v, c.tBmax[t], gap, vL, BL, c.dt, c.tKrauss[t] | (leaderEuler << 1)) >= -c.tB[t];
  };
  let v: number;
  if (d.departSpeed !== 'max') {
    v = Math.min(d.departSpeed, v0);
    if (!ok(v)) return null;
  } else {
    const target = Math.min(v0, types.capacitySpeed(t, v0));
    if (ok(target)) v = target;
    else {
      if (!ok(0)) return null;
      let lo = 0;
      let hi = target;
      for (let it = 0; it < 16; it++) {
        const mid = (lo + hi) / 2;
        if (ok(mid)) lo = mid;
        else hi = mid;
      }
      v = lo;
      if (v + 1e-6 < Math.min(target, vL)) return null;
    }
  }

  // the follower on the lane, or the vehicles about to enter it from upstream, stay safe behind
  const rear = front - len;
  // (a Krauss driver may stop sooner: kinematics.ts, eulerBrakeGap)
  const myStop = rear + leaderStopDistance(v, c.tBmax[t], c.dt, c.tKrauss[t]);
  if (kA > c.laneStart[lane]) {
    const j = s.order[kA - 1];
    if (!followerSafe(c, s.pos[j], s.speed[j], c.tBmax[s.type[j]], rear, myStop)) return null;
  } else {
    for (let q = c.laneInStart[lane]; q < c.laneInStart[lane + 1]; q++) {
      const conn = c.laneIns[q];
      const j = approachingVia(c, conn);
      if (j < 0) continue;
      if (!followerSafe(c, s.pos[j] - c.laneLength[c.connFromLane[conn]], s.speed[j], c.tBmax[s.type[j]], rear, myStop)) return null;
    }
  }
  return { lane, pos: front, speed: v };
}

/** A follower at xf (the lane's frame) with speed vf can stop behind the newcomer's rear and stopping point. */
function followerSafe(c: SimCtx, xf: number, vf: number, bf: number, rear: number, myStop: number): boolean {
  // one step at its speed before it reacts, as the envelope allows
  const xfEnd = xf + vf * c.dt;
  if (xfEnd > rear - SAFETY_MARGIN) return false;
  return xfEnd + (vf * vf) / (2 * bf) <= myStop - SAFETY_MARGIN;
}
