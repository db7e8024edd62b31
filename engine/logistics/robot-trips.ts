/**
 * Robot trips: the straight-line estimates the dispatcher batches orders by, and the walk a
 * robot is given — hub, each hand-over point, hub — as one polyline on the sidewalks with the
 * crossings it waits at and the points where it hands an order over.
 */
import type { LogisticsSpec } from '../spec/schema-logistics.js';
import type { Hub } from './hubs.js';
import type { OrderBook } from './orders.js';
import type { Sidewalks, Walk } from './sidewalks.js';

/** Sidewalks wind around blocks: straight lines times this estimate the walk. */
const STREET_GRID_FACTOR = 1.3;

/** A trip's length estimated on straight lines, hub → orders → hub, m. */
export function robotTripEstimate(o: OrderBook, hub: Hub, batch: readonly number[]): number {
  let d = 0;
  let px = hub.x;
  let py = hub.y;
  for (const id of batch) {
    d += Math.hypot(o.x[id] - px, o.y[id] - py);
    px = o.x[id];
    py = o.y[id];
  }
  return STREET_GRID_FACTOR * (d + Math.hypot(hub.x - px, hub.y - py));
}

/** Whether a trip through the batch in this order keeps every deadline (same straight-line estimate). */
export function robotInTime(o: OrderBook, hub: Hub, batch: readonly number[], now: number, spec: LogisticsSpec['robot']): boolean {
  let t = now;
  let px = hub.x;
  let py = hub.y;
  for (const id of batch) {
    t += (Math.hypot(o.x[id] - px, o.y[id] - py) * STREET_GRID_FACTOR) / spec.speed + spec.handover;
    if (t > o.deadline[id]) return false;
    px = o.x[id];
    py = o.y[id];
  }
  return true;
}

/** A robot's walk as RobotFleet.start takes it: points, crossing gates, and the order dropped at each point (−1 none). */
export interface TripWalk {
  xs: number[];
  ys: number[];
  gateNode: number[];
  gateHeading: number[];
  drops: number[];
  /** m */
  length: number;
}

/** The walk from the hub through each stop's point (orders handed over in the given order) and back. */
export function tripWalk(sw: Sidewalks, hub: Hub, stops: readonly { order: number; edge: number; pos: number }[]): TripWalk {
  const xs: number[] = [];
  const ys: number[] = [];
  const gn: number[] = [];
  const gh: number[] = [];
  const drops: number[] = [];
  let at = sw.pointOnEdge(hub.edge, hub.pos);
  const add = (walk: Walk, drop: number) => {
    for (let i = 0; i < walk.xs.length; i++) {
      const n = xs.length;
      // the legs meet at a point: once, with the crossing either leg has there
      if (n > 0 && Math.abs(xs[n - 1] - walk.xs[i]) < 1e-6 && Math.abs(ys[n - 1] - walk.ys[i]) < 1e-6) {
        if (walk.gateNode[i] >= 0) {
          gn[n - 1] = walk.gateNode[i];
          gh[n - 1] = walk.gateHeading[i];
        }
        continue;
      }
      xs.push(walk.xs[i]);
      ys.push(walk.ys[i]);
      gn.push(walk.gateNode[i]);
      gh.push(walk.gateHeading[i]);
      drops.push(-1);
    }
    if (drop < 0) return;
    const last = drops.length - 1;
    if (drops[last] >= 0) {
      // two orders handed over at one point (their curb points coincide, e.g. an edge's end):
      // a zero-length step to a copy of the point, which takes over the crossing from it
      xs.push(xs[last]);
      ys.push(ys[last]);
      gn.push(gn[last]);
      gh.push(gh[last]);
      gn[last] = -1;
      gh[last] = 0;
      drops.push(drop);
    } else drops[last] = drop;
  };
  for (const s of stops) {
    const to = sw.pointOnEdge(s.edge, s.pos);
    add(sw.walk(at, to)!, s.order);
    at = to;
  }
  add(sw.walk(at, sw.pointOnEdge(hub.edge, hub.pos))!, -1);
  if (xs.length < 2) {
    // a destination at the hub's own door
    xs.push(xs[0] ?? hub.x);
    ys.push(ys[0] ?? hub.y);
    gn.push(-1);
    gh.push(0);
    drops.push(-1);
  }
  let length = 0;
  for (let i = 1; i < xs.length; i++) length += Math.hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]);
  return { xs, ys, gateNode: gn, gateHeading: gh, drops, length };
}
