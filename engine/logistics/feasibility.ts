/**
 * What the dispatcher finds out about an order the first time it looks: which drone ports could
 * fly it in calm air, how far a robot walks to it, how far a van drives there and back, or why
 * no mode can take it at all. A pure function of the order and the static network (no vehicle,
 * no clock, no wind), so it is cached until the order is settled, and a cache dropped (after a
 * checkpoint is restored) fills again with the same answers.
 */
import type { LogisticsSpec } from '../spec/schema-logistics.js';
import type { Network } from '../road/network.js';
import { pathLength, type Airspace } from './airspace.js';
import { Curbs, type CurbPoint } from './curb.js';
import type { DroneFleet } from './drones.js';
import type { LogisticsHost } from './host.js';
import type { Hub } from './hubs.js';
import type { OrderBook, RejectReason } from './orders.js';
import type { Sidewalks } from './sidewalks.js';

/**
 * Keep a curb stop this far from the ends of its edge, m: a car queued behind the parked van
 * stays clear of the junction it came through (the decide phase counts a vehicle whose rear is
 * within 10 m of the lane start as still in the junction), and the van clears the stop line.
 */
const STOP_MARGIN = 30;

export interface Feasible {
  curb: CurbPoint | null;
  /** drone ports that could fly it in calm air, nearest path first */
  ports: { port: number; path: number[]; length: number }[];
  /** the robot's walk from the hub, m, or −1 */
  robotWalk: number;
  /** a van tour to it alone, there and back, m, or −1 */
  vanRoute: number;
  reason: RejectReason | null;
}

/** The length of a road route, m. */
export function routeLength(net: Network, edges: ArrayLike<number>): number {
  let l = 0;
  for (let i = 0; i < edges.length; i++) l += net.edgeLength[edges[i]];
  return l;
}

/** Where on its edge a van stops for a curb point (−1 when the edge is too short to stop on). */
export function stopPos(net: Network, c: CurbPoint): number {
  const len = net.edgeLength[c.edge];
  if (len < 2 * STOP_MARGIN) return -1;
  return Math.min(len - STOP_MARGIN, Math.max(STOP_MARGIN, c.pos));
}

export class Feasibility {
  private readonly cache = new Map<number, Feasible>();
  private readonly curbs: Curbs;

  constructor(
    private readonly spec: LogisticsSpec,
    private readonly orders: OrderBook,
    private readonly drones: DroneFleet,
    private readonly airspace: Airspace,
    private readonly sidewalks: Sidewalks,
    private readonly host: Pick<LogisticsHost, 'net' | 'router'>,
  ) {
    this.curbs = new Curbs(host.net);
  }

  /**
   * Orders whose feasibility is cached: those looked at and not yet delivered or rejected.
   * Bounded by the open orders, not by the run's length (a test holds it).
   */
  get size(): number {
    return this.cache.size;
  }

  /** The feasibility of an order already looked at this round (the dispatcher's later steps). */
  known(id: number): Feasible {
    return this.cache.get(id)!;
  }

  /** Forgets a settled order: it is never looked at again. */
  drop(id: number): void {
    this.cache.delete(id);
  }

  clear(): void {
    this.cache.clear();
  }

  /** The order's feasibility from its hub, worked out on the first look and cached. */
  of(id: number, hub: Hub): Feasible {
    const known = this.cache.get(id);
    if (known) return known;
    const o = this.orders;
    const spec = this.spec;
    const net = this.host.net;
    const x = o.x[id];
    const y = o.y[id];
    const weight = o.weight[id];
    const f: Feasible = { curb: null, ports: [], robotWalk: -1, vanRoute: -1, reason: null };
    let heavy = true;
    let noFly = false;
    // drones: ports of the hub in radius, a path around no-fly zones, energy in calm air
    if (hub.ports.length > 0 && weight <= spec.drone.payload) {
      heavy = false;
      for (const k of hub.ports) {
        const port = this.drones.ports[k];
        if (port.drones === 0 || Math.hypot(x - port.x, y - port.y) > spec.drone.serviceRadius) continue;
        const path = this.airspace.path(port.x, port.y, x, y);
        if (!path) {
          noFly = true;
          continue;
        }
        const length = pathLength(path);
        const plan = this.drones.model.plan(length, weight, 0);
        if (plan && plan.energyWh <= this.drones.model.usableWh && path.length / 2 <= 32) f.ports.push({ port: k, path, length });
      }
      f.ports.sort((a, b) => a.length - b.length || a.port - b.port);
    }
    const needCurb = (hub.robots > 0 && weight <= spec.robot.payload) || (hub.vans > 0 && weight <= spec.van.payload);
    if (needCurb) f.curb = this.curbs.nearest(x, y);
    let unroutable = false;
    if (hub.robots > 0 && weight <= spec.robot.payload && f.curb) {
      heavy = false;
      if (Math.hypot(x - hub.x, y - hub.y) <= spec.robot.serviceRadius) {
        const walk = this.sidewalks.walk(this.sidewalks.pointOnEdge(hub.edge, hub.pos), this.sidewalks.pointOnEdge(f.curb.edge, f.curb.pos));
        // there and back on one charge (a trip to it alone is about twice the walk)
        if (walk && 2 * walk.length <= spec.robot.range) f.robotWalk = walk.length;
        else if (!walk) unroutable = true;
      }
    }
    if (hub.vans > 0 && weight <= spec.van.payload && f.curb) {
      heavy = false;
      // a van needs a kerb it can reach from the hub, stop on, and leave for the hub again
      const r = this.host.router;
      const fromHub = r.reachable(hub.edge);
      const usable = (e: number) => fromHub[e] === 1 && r.reachable(e)[hub.edge] === 1 && net.edgeLength[e] >= 2 * STOP_MARGIN;
      if (!usable(f.curb.edge)) f.curb = this.curbs.nearest(x, y, usable) ?? f.curb;
      const out = r.route(hub.edge, f.curb.edge);
      const back = r.route(f.curb.edge, hub.edge);
      if (out && back && stopPos(net, f.curb) >= 0) {
        // a tour to it alone must fit a full battery
        const there = routeLength(net, out) + routeLength(net, back);
        if (there <= spec.van.range) f.vanRoute = there;
      } else unroutable = true;
    }
    if (f.ports.length === 0 && f.robotWalk < 0 && f.vanRoute < 0) f.reason = heavy ? 'weight' : noFly ? 'noFly' : unroutable ? 'unroutable' : 'range';
    this.cache.set(id, f);
    return f;
  }
}
