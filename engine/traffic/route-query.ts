/**
 * Where a vehicle's route takes it next: the edges ahead of it and the connection that leads
 * there from a lane. Read by decide (the fast and the full pass), lanechange (which lanes lead
 * on), move (the connection to take after a lane change or a junction crossing) and insert.
 * Small functions of integers only, so V8 inlines them and nothing is boxed.
 */
import type { SimCtx } from './context.js';

/** Whether vehicle i's route goes on past its current edge (a loop route always does). */
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
 * The connection from `lane` to edge `toEdge` into a lane that admits class bit `bit`, or -1
 * (lane classes: a car's way on never enters a bus lane); with every class admitted, the first
 * connection onto that edge.
 */
export function connectionToEdgeFor(c: SimCtx, lane: number, toEdge: number, bit: number): number {
  for (let k = c.laneConnStart[lane]; k < c.laneConnStart[lane + 1]; k++) {
    const conn = c.laneConns[k];
    if (c.connToEdge[conn] === toEdge && (c.laneAllow[c.connToLane[conn]] & bit) !== 0) return conn;
  }
  return -1;
}

/** The class bit of vehicle i (road/lane-classes.ts). */
export function classBitOf(c: SimCtx, i: number): number {
  return c.tLaneBits[c.v.type[i]];
}


/**
 * The lane vehicle i serves its next stop from on `edge`: the stop's own lane when it gives one
 * (and the edge has it), else the rightmost lane the vehicle may use (the kerb lane when every
 * lane admits it).
 */
export function stopLaneOf(c: SimCtx, i: number, edge: number): number {
  const first = c.edgeFirstLane[edge];
  const n = c.edgeLanes[edge];
  const own = c.stopLane[c.v.stopIdx[i]];
  if (own >= 0 && own < n) return first + own;
  const bit = classBitOf(c, i);
  for (let l = 0; l < n; l++) if ((c.laneAllow[first + l] & bit) !== 0) return first + l;
  return first;
}
