/**
 * Who is next to a vehicle on another lane, looked up in the lane order (core/order.ts: each
 * lane a contiguous segment of `order`, sorted by position and id). Read by decide (a neighbour
 * that wants to change in), lanechange (the new leader and follower on the target lane) and
 * insert (vehicles about to enter the lane of a departure).
 */
import type { SimCtx } from './context.js';

/** The lane-change wish a driver shows (wishA/wishB), read by its neighbours the next tick. */
export const WISH_RIGHT = 1;
export const WISH_LEFT = 2;
/** index of 'emergency' in vehicleClasses (an emergency vehicle on a call makes room for nobody) */
export const CLASS_EMERGENCY = 4;

/** Binary search: index in `order` of the first vehicle on lane tl with pos > x (or pos == x and id > myId). */
export function firstAhead(c: SimCtx, tl: number, x: number, myId: number): number {
  const s = c.v;
  const order = s.order;
  const pos = s.pos;
  let lo = c.laneStart[tl];
  let hi = c.laneStart[tl + 1];
  // Vehicles are spread fairly evenly along a lane, so a few interpolation steps narrow a long
  // lane to a handful of candidates with far fewer cache misses than plain bisection.
  for (let probe = 0; probe < 3 && hi - lo > 16; probe++) {
    const pLo = pos[order[lo]];
    const pHi = pos[order[hi - 1]];
    if (!(x > pLo && x < pHi)) break;
    let guess = lo + Math.floor(((x - pLo) / (pHi - pLo)) * (hi - 1 - lo));
    if (guess <= lo) guess = lo + 1;
    if (guess >= hi - 1) guess = hi - 2;
    // bracket the guess with a small window
    const w = 4;
    const a = guess - w > lo ? guess - w : lo;
    const b = guess + w < hi ? guess + w : hi;
    if (pos[order[a]] < x && b < hi && pos[order[b]] > x) {
      lo = a;
      hi = b + 1;
      break;
    }
    if (pos[order[guess]] < x) lo = guess;
    else hi = guess + 1;
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const j = order[mid];
    const p = pos[j];
    if (p < x || (p === x && s.id[j] < myId)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many vehicles from the front of a feeding lane approachingVia looks at. */
const APPROACH_SCAN = 4;

/**
 * The vehicle nearest the end of the lane feeding connection `conn` that is about to take that
 * connection (so it will be the first to enter the connection's lane from there), or −1. Not
 * only the front vehicle: at a long step the one behind a front vehicle turning elsewhere may
 * cross in the same tick. (Those behind it follow it.)
 */
export function approachingVia(c: SimCtx, conn: number): number {
  const fl = c.connFromLane[conn];
  const fBegin = c.laneStart[fl];
  const order = c.v.order;
  const nextConn = c.v.nextConn;
  for (let k = c.laneStart[fl + 1] - 1; k >= fBegin && k >= c.laneStart[fl + 1] - APPROACH_SCAN; k--) {
    const j = order[k];
    if (nextConn[j] === conn) return j;
  }
  return -1;
}

/**
 * Whether lane `fl` is empty and shorter than two steps' travel at its limit: a vehicle on a lane
 * feeding it may cross both its ends in one tick, never seen on the lane itself (netconvert's
 * connectors between clustered junctions).
 */
export function emptyShortLane(c: SimCtx, fl: number): boolean {
  return c.laneStart[fl] === c.laneStart[fl + 1] && c.laneLength[fl] < c.laneSpeed[fl] * c.dt * 2;
}
