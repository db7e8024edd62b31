/**
 * Which lane of the next edge a vehicle enters when its lane has several connections onto that
 * edge (a lane fanning out into two, as SUMO networks often have): the one that leads on along
 * the route without a further lane change, as far ahead as possible. Like SUMO's "best lanes":
 * without it a driver takes the first connection and may enter a lane that ends in a turn it
 * does not want, with a short edge left to change in a queue.
 */
import type { SimCtx } from './context.js';
import { classBitOf, connectionToEdgeFor, routeEdgeAhead } from './route-query.js';
import { LR_DIST, scratch } from './scratch.js';

/** How many edges past the next one the choice looks at. */
export const CHOICE_DEPTH = 3;

/** How many route edges past `ahead` lane `lane` leads on without a lane change (up to CHOICE_DEPTH). */
function straightReach(c: SimCtx, i: number, lane: number, ahead: number): number {
  const bit = classBitOf(c, i);
  let l = lane;
  let n = 0;
  for (let h = ahead + 1; n < CHOICE_DEPTH; h++) {
    const e = routeEdgeAhead(c, i, h);
    if (e < 0) return CHOICE_DEPTH; // the route ends: any lane will do
    const cn = connectionToEdgeFor(c, l, e, bit);
    if (cn < 0) break;
    l = c.connToLane[cn];
    n++;
  }
  return n;
}

/**
 * The connection vehicle i takes at the end of `lane` to stay on its route (-1: the route ends
 * on this edge, or the lane does not lead to its next edge). Among several onto the next edge,
 * the one whose lane leads furthest along the route; ties by connection order.
 */
export function routeConnection(c: SimCtx, i: number, lane: number): number {
  return connectionAlong(c, i, lane, 1);
}

/** The same for `lane` on the route's edge `ahead − 1` edges after the current one (look-ahead.ts looks across several lane ends). */
export function connectionAlong(c: SimCtx, i: number, lane: number, ahead: number): number {
  const ne = routeEdgeAhead(c, i, ahead);
  if (ne < 0) return -1;
  // (only onto lanes the vehicle's class may use: lane classes)
  const bit = classBitOf(c, i);
  let best = -1;
  let bestReach = -1;
  for (let k = c.laneConnStart[lane]; k < c.laneConnStart[lane + 1]; k++) {
    const conn = c.laneConns[k];
    if (c.connToEdge[conn] !== ne || (c.laneAllow[c.connToLane[conn]] & bit) === 0) continue;
    if (best < 0) {
      // (the common case, a single connection onto the edge, needs no look further)
      let more = false;
      for (let q = k + 1; q < c.laneConnStart[lane + 1]; q++) if (c.connToEdge[c.laneConns[q]] === ne && (c.laneAllow[c.connToLane[c.laneConns[q]]] & bit) !== 0) more = true;
      if (!more) return conn;
      best = conn;
      bestReach = straightReach(c, i, c.connToLane[conn], ahead);
      continue;
    }
    const r = straightReach(c, i, c.connToLane[conn], ahead);
    if (r > bestReach) {
      best = conn;
      bestReach = r;
    }
  }
  return best;
}

/**
 * How many route edges ahead vehicle i reaches from `lane` without changing lanes: 0 when the
 * lane does not lead to the next edge, at most CHOICE_DEPTH + 1 (also when the route ends
 * within reach). Leaves in LR_DIST how far past the end of `lane` those lanes go (Infinity when
 * the route ends on them). Used for strategic lane changes (decide-full.ts, lanechange.ts).
 */
export function laneReach(c: SimCtx, i: number, lane: number): number {
  let l = lane;
  let dist = 0;
  for (let h = 1; h <= CHOICE_DEPTH + 1; h++) {
    const e = routeEdgeAhead(c, i, h);
    if (e < 0) {
      scratch[LR_DIST] = Infinity;
      return CHOICE_DEPTH + 1;
    }
    const cn = connectionAlong(c, i, l, h);
    if (cn < 0) {
      scratch[LR_DIST] = dist;
      return h - 1;
    }
    l = c.connToLane[cn];
    if (h <= CHOICE_DEPTH) dist += c.laneLength[l];
  }
  scratch[LR_DIST] = Infinity;
  return CHOICE_DEPTH + 1;
}
