/**
 * Vehicles leaving the road, serially and in vehicle id order after the moves: arrivals at the
 * end of their route, and removals of vehicles stopped longer than the gridlock timeout (never
 * silently: each is an event with where and how long). Also the rerouting of vehicles stuck at
 * the end of a lane that does not lead on along their route.
 */
import type { ClassRouters, Router } from '../road/routing.js';
import { laneName, type Network } from '../road/network.js';
import { F_ACTIVE, F_EQUIPPED, type VehicleState } from '../core/state.js';
import type { ArriveEvent, RemoveEvent, RerouteEvent } from './events.js';
import type { PhaseOut } from './phase-out.js';
import type { RouteTable } from './routes.js';
import type { TrafficTotals } from './totals.js';
import type { TypeTable } from './types.js';
import type { TripLedger } from './trip-ledger.js';
import { sortSlotsById } from './sort-by-id.js';

/** What finishing and rerouting read and write of the world. */
export interface FinishHost {
  readonly net: Network;
  readonly router: Router;
  /** per-class routers (lane classes): a rerouted vehicle keeps to the lanes its class may use */
  readonly routers: ClassRouters;
  readonly types: TypeTable;
  readonly routes: RouteTable;
  readonly state: VehicleState;
  readonly totals: TrafficTotals;
  /** lanes that gained or lost a vehicle this tick (the lane order is rebuilt for them) */
  readonly laneDirty: Uint8Array;
  /** trip ids and arrival positions (trip-ledger.ts) */
  readonly trips: TripLedger;
}

export interface FinishHooks {
  /**
   * A vehicle is about to leave (before its event is published and its slot released): the
   * logistics hears of its vans here.
   */
  leaving(slot: number, id: number, removed: boolean): void;
  left(e: ArriveEvent | RemoveEvent): void;
}

/** list[0..n) sorted by vehicle id in place (sort-by-id.ts); returns n. */
function byId(s: VehicleState, list: Int32Array, n: number): number {
  sortSlotsById(list, n, s.id);
  return n;
}

/** Takes the tick's arrivals and removals off the road at `time`; returns how many left. */
export function finishVehicles(w: FinishHost, out: PhaseOut, time: number, hooks: FinishHooks): number {
  const { state: s, totals, types, net } = w;
  // vehicles that reached their arrival position before the end of their last edge (arrivalPos)
  w.trips.collectArrivals(s, w.routes, net.laneLength, out);
  let left = 0;
  for (let q = 0, n = byId(s, out.arrivals, out.arrCount); q < n; q++) {
    const i = out.arrivals[q];
    totals.arrived++;
    totals.finishedDistance += s.dist[i];
    totals.travelTimeSum += time - s.depart[i];
    totals.fuelMl += s.fuel[i];
    totals.co2g += s.co2[i];
    hooks.leaving(i, s.id[i], false);
    hooks.left({
      kind: 'arrive',
      time: round(time),
      id: s.id[i],
      type: types.names[s.type[i]],
      depart: round(s.depart[i]),
      routeLength: round(s.dist[i]),
      waitingTime: round(s.waiting[i]),
      stops: s.halts[i],
      departDelay: round(s.departDelay[i]),
      ...tripIdOf(w, s.id[i]),
      timeLoss: round(s.timeLoss[i]),
      equipped: (s.flags[i] & F_EQUIPPED) !== 0,
      warnings: s.warned[i],
      route: routeDriven(w, i),
    });
    w.laneDirty[s.lane[i]] = 1; // (its lane's segment loses it)
    s.release(i);
    left++;
  }
  // removals: vehicles stopped longer than the gridlock timeout
  for (let q = 0, n = byId(s, out.removals, out.remCount); q < n; q++) {
    const i = out.removals[q];
    if (!(s.flags[i] & F_ACTIVE)) continue;
    totals.removed++;
    totals.finishedDistance += s.dist[i];
    totals.fuelMl += s.fuel[i];
    totals.co2g += s.co2[i];
    hooks.leaving(i, s.id[i], true);
    hooks.left({
      kind: 'remove',
      time: round(time),
      id: s.id[i],
      type: types.names[s.type[i]],
      lane: laneName(net, s.lane[i]),
      pos: round(s.pos[i]),
      reason: 'gridlock',
      stuckFor: round(s.stuck[i]),
      ...tripIdOf(w, s.id[i]),
    });
    w.trips.takeDriven(s.id[i]);
    w.laneDirty[s.lane[i]] = 1;
    s.release(i);
    left++;
  }
  return left;
}

/**
 * Vehicles stuck at the end of a lane that does not lead on along their route take the fastest
 * way to their destination from one of the lane's own connections (serial, by id).
 */
export function rerouteStuck(w: FinishHost, out: PhaseOut, time: number, rerouted: (e: RerouteEvent) => void): void {
  const { state: s, routes: r, net } = w;
  for (let q = 0, n = byId(s, out.reroutes, out.rerouteCount); q < n; q++) {
    const i = out.reroutes[q];
    const lane = s.lane[i];
    const bit = w.types.laneBits[s.type[i]];
    const router = w.routers.for(bit);
    const route = s.route[i];
    const dest = r.edges[r.start[route] + r.length[route] - 1];
    let best: Int32Array | null = null;
    let bestConn = -1;
    let bestCost = Infinity;
    for (let q = net.laneConnStart[lane]; q < net.laneConnStart[lane + 1]; q++) {
      const conn = net.laneConns[q];
      if ((net.laneAllow[net.connToLane[conn]] & bit) === 0) continue;
      const path = router.route(net.connToEdge[conn], dest);
      if (!path) continue;
      let cost = 0;
      for (const e of path) cost += net.edgeLength[e] / net.edgeSpeed[e];
      if (cost < bestCost) {
        bestCost = cost;
        best = path;
        bestConn = conn;
      }
    }
    if (!best) continue; // no way at all: it waits (and is removed as gridlocked if it must)
    const edges = new Int32Array(best.length + 1);
    edges[0] = net.laneEdge[lane];
    edges.set(best, 1);
    // the new route starts on this edge: the old one's edges before it were driven
    w.trips.routeReplaced(s.id[i], r.edgesOf(route), s.routeIdx[i]);
    s.route[i] = r.add(edges);
    s.routeIdx[i] = 0;
    s.nextConn[i] = bestConn;
    rerouted({ kind: 'reroute', time: round(time), id: s.id[i], lane: laneName(net, lane), via: net.edgeIds[net.connToEdge[bestConn]] });
  }
}

/** The edge ids vehicle i drove: those before a replaced route (the ledger forgets them), then its route's. */
function routeDriven(w: FinishHost, i: number): string[] {
  const { routes: r, net } = w;
  const ids: string[] = [];
  for (const e of w.trips.takeDriven(w.state.id[i])) ids.push(net.edgeIds[e]);
  const route = w.state.route[i];
  for (let k = r.start[route], end = r.start[route] + r.length[route]; k < end; k++) ids.push(net.edgeIds[r.edges[k]]);
  return ids;
}

/** The vehicle's trip id as an event field (none when the scenario gave none); the ledger forgets it. */
function tripIdOf(w: FinishHost, id: number): { tripId?: string } {
  const t = w.trips.forget(id);
  return t === undefined ? {} : { tripId: t };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
