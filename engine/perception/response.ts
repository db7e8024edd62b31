/**
 * Response units (docs/perception.md, "Dispatch and handling"): tow trucks, police, fire engines
 * and city works crews at depots. A confirmed event (or a report nobody could verify from the
 * air) gets the free unit of its kind whose depot has the shortest free-flow route to the place;
 * the unit drives there on the network as a vehicle of the responders' type (an emergency class:
 * it keeps to the overtaking lane, and V2X warns the drivers ahead of it), so congestion and the
 * incident's own queue delay it. It is on scene when it is on the event's edge within
 * ON_SCENE_REACH of the blocked section (or halted on that edge, in the queue), or, off the
 * road, on the edge that ends nearest the place. It spends the kind's on-scene time, then drives
 * back in the time it took to come (its return trip is not simulated) and is free again.
 */
import type { DepotSpec, ResponderKind } from '../spec/schema-perception.js';
import { responderKinds } from '../spec/schema-perception.js';
import type { Network } from '../road/network.js';

/** Trips of response units are queued with sources at and below this (logistics' vans use −1 − van, far above). */
export const RESPONSE_SOURCE_BASE = -1_000_000;
/** m upstream of the blocked section at which a unit counts as on scene */
export const ON_SCENE_REACH = 50;
/** speed below which a unit on the event's edge counts as on scene (stuck in the incident's queue), m/s */
export const HALTED = 1;

export interface Unit {
  index: number;
  depot: number;
  kind: ResponderKind;
  /** the event it serves, −1 when free */
  event: number;
  /** when it is free again (after its event), s; −1 while on a call whose end is not known yet */
  freeAt: number;
  dispatched: number;
  /** its vehicle on the road: id (−1 before insertion), slot */
  vehicle: number;
  slot: number;
  /** the edge it drives to */
  target: number;
  /** it reached the scene */
  arrived: boolean;
  /** its vehicle left the road before reaching the scene (arrived at the end of its route, or removed) */
  left: number;
}

export interface Depot {
  id: string;
  kind: ResponderKind;
  edge: number;
}

export function buildDepots(specs: readonly DepotSpec[], net: Network): { depots: Depot[]; units: Unit[] } {
  const depots = specs.map((d) => ({ id: d.id, kind: d.kind, edge: net.edgeIndex.get(d.edge)! }));
  const units: Unit[] = [];
  specs.forEach((d, k) => {
    for (let u = 0; u < d.units; u++) units.push({ index: units.length, depot: k, kind: d.kind, event: -1, freeAt: 0, dispatched: -1, vehicle: -1, slot: -1, target: -1, arrived: false, left: -1 });
  });
  return { depots, units };
}

/** Free-flow time along a route, s. */
export function freeFlowTime(net: Network, edges: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < edges.length; i++) t += net.edgeLength[edges[i]] / net.edgeSpeed[edges[i]];
  return t;
}

/** The edge whose shape passes nearest (x, y) (off-road events: where the unit stops). */
export function nearestEdge(net: Network, x: number, y: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let e = 0; e < net.edgeIds.length; e++) {
    const sh = net.edgeShape[e];
    for (let i = 1; i < sh.length; i++) {
      const d = segmentDistance(x, y, sh[i - 1][0], sh[i - 1][1], sh[i][0], sh[i][1]);
      if (d < bestD) {
        bestD = d;
        best = e;
      }
    }
  }
  return best;
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l2)) : 0;
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

export const responderKindIndex = (k: ResponderKind): number => responderKinds.indexOf(k);
