/**
 * Unmanned logistics (issue 6): orders, hubs, drone ports and drones, sidewalk robots and
 * delivery vans on the road, and the dispatcher that gives each order to one of them.
 *
 * It runs once per tick in the main thread, after the vehicles have moved and finished and
 * before insertion (World.step): drones and robots advance by the tick, van stops are read from
 * the vehicle state the move phase left, new orders come in, and every `dispatchInterval` the
 * dispatcher assigns; a van tour it starts is queued for insertion in that same tick. Nothing in
 * it draws random numbers during the run (orders are drawn up front from a named stream), and it
 * reads only state that is the same for any number of workers, so results do not depend on them.
 */
import type { Hash } from 'node:crypto';
import type { World } from '../sim/world.js';
import type { LogisticsSpec } from '../spec/schema-logistics.js';
import { LaneGeometry } from '../road/lanegeom.js';
import { Airspace, pathLength } from './airspace.js';
import { Curbs, type CurbPoint } from './curb.js';
import { DroneFleet, D_IDLE, type DroneListener } from './drones.js';
import type { LogisticsEvent, VanTourEvent } from './events.js';
import { M_DRONE, M_ROBOT, M_VAN, O_ASSIGNED, O_DELIVERED, O_EN_ROUTE, O_PENDING, O_REJECTED, OrderBook, REJECT_REASONS, modeNames, reasonCode, type ModeName, type RejectReason } from './orders.js';
import { LogisticsParts, P_DT, P_TIME, P_WX, P_WY, type LogisticsWorkerInput } from './parallel.js';
import { RobotFleet, R_CHARGING, R_IDLE, type RobotListener } from './robots.js';
import { Sidewalks, type Walk } from './sidewalks.js';
import { VanFleet, V_CHARGING, type VanListener } from './vans.js';
import { WindSchedule } from './wind.js';
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { readExact, sameCount } from './persist.js';

/** Trace ids of drones and robots: ranges of their own, far above any road vehicle id. */
export const DRONE_ID_BASE = 0x20000000;
export const ROBOT_ID_BASE = 0x30000000;
/**
 * Planning speed of a van over its route, as a share of its top speed: urban driving with
 * signals and curb stops averages well below the limit (an estimate for deadlines only).
 */
const VAN_PLAN_SPEED_SHARE = 0.6;
/**
 * Keep a curb stop this far from the ends of its edge, m: a car queued behind the parked van
 * stays clear of the junction it came through (the decide phase counts a vehicle whose rear is
 * within 10 m of the lane start as still in the junction), and the van clears the stop line.
 */
const STOP_MARGIN = 30;
/**
 * A further order handed over at the kerb point the van is already parked at takes this share
 * of the dwell (illustrative: the van is parked and open; the recipient only collects).
 */
const SAME_POINT_DWELL_SHARE = 0.25;

export interface Hub {
  id: string;
  index: number;
  edge: number;
  pos: number;
  x: number;
  y: number;
  open: number;
  close: number;
  stock: number;
  vans: number;
  robots: number;
  ports: number[];
}

/** What the dispatcher found out about an order the first time it looked. */
interface Feasible {
  curb: CurbPoint | null;
  /** drone ports that could fly it in calm air, nearest path first */
  ports: { port: number; path: number[]; length: number }[];
  robotWalk: number;
  vanRoute: number;
  reason: RejectReason | null;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** The columns of orders.csv (LogisticsSystem.ordersCsv). */
export const ORDERS_CSV_HEADER = 'id,created,mode,vehicle,assigned,pickedUp,delivered,deadline,onTime,distance,energy,status,reason,hub,x,y,weight,deliveryTime';

export class LogisticsSystem {
  readonly spec: LogisticsSpec;
  readonly hubs: Hub[];
  readonly orders: OrderBook;
  readonly drones: DroneFleet;
  readonly robots: RobotFleet;
  readonly vans: VanFleet;
  readonly wind: WindSchedule;
  readonly airspace: Airspace;
  readonly sidewalks: Sidewalks;
  private readonly curbs: Curbs;
  /** kerb-lane points of van stops, for the van.tour events */
  private readonly geom: LaneGeometry;
  private readonly at = new Float64Array(3);
  private readonly w: World;
  private readonly vanType: number;
  private readonly vanPlanSpeed: number;
  private readonly feasible = new Map<number, Feasible>();
  private readonly windVec = new Float64Array(2);
  private readonly portGrounded: Uint8Array;
  private nextDispatch = 0;
  /** the first order that may still be pending (all before it are settled or assigned) */
  private scanFrom = 0;
  /** per-order share of its trip's distance (m) and energy (kWh), filled when the trip ends */
  private readonly tourOrders: number[][];
  private readonly robotOrders: number[][];
  /** a robot's walked total when its trip began */
  private readonly robotTripStart: Float64Array;
  /** the first entry of the stop table's ranges of the vans, maxStops each, reused tour after tour */
  private readonly vanStopBase: number;

  /** the parts' call logs and the tick's parameters, shared with worker threads (parallel.ts) */
  private readonly parts: LogisticsParts;
  private readonly hubIndex: Map<string, number>;
  private readonly droneListener: DroneListener;
  private readonly robotListener: RobotListener;
  private readonly vanListener: VanListener;

  constructor(w: World, spec: LogisticsSpec) {
    this.w = w;
    this.spec = spec;
    const net = w.net;
    const geom = (this.geom = new LaneGeometry(net));
    const p = new Float64Array(3);
    const hubIndex = new Map(spec.hubs.map((h, i) => [h.id, i]));
    this.hubs = spec.hubs.map((h, index) => {
      const edge = net.edgeIndex.get(h.edge)!;
      const pos = Math.min(h.pos, net.edgeLength[edge]);
      geom.point(net.edgeFirstLane[edge], pos, p);
      return {
        id: h.id,
        index,
        edge,
        pos,
        x: p[0],
        y: p[1],
        open: h.open,
        close: h.close ?? Infinity,
        stock: h.stock ?? Infinity,
        vans: h.vans,
        robots: h.robots,
        ports: spec.dronePorts.flatMap((d, k) => (d.hub === h.id ? [k] : [])),
      };
    });
    this.orders = new OrderBook(spec, hubIndex, this.hubs, w.seed, w.scenario.duration);
    this.drones = new DroneFleet(spec, hubIndex);
    this.robots = new RobotFleet(net, this.hubs, spec.robot.speed, spec.robot.handover, spec.robot.range);
    this.vans = new VanFleet(this.hubs, spec.van.maxStops, spec.van.range);
    this.parts = new LogisticsParts(w.runner.parts, this.drones, this.robots, spec.robot.parcels);
    this.hubIndex = hubIndex;
    this.wind = new WindSchedule(spec.wind);
    this.airspace = new Airspace(spec.noFly);
    this.sidewalks = new Sidewalks(net);
    this.curbs = new Curbs(net);
    this.vanType = this.hubs.some((h) => h.vans > 0) ? w.types.index.get(spec.van.type)! : -1;
    this.vanPlanSpeed = this.vanType >= 0 ? w.types.vmax[this.vanType] * VAN_PLAN_SPEED_SHARE : 1;
    this.portGrounded = new Uint8Array(this.drones.ports.length);
    this.tourOrders = Array.from({ length: this.vans.count }, () => []);
    this.robotOrders = Array.from({ length: this.robots.count }, () => []);
    this.robotTripStart = new Float64Array(this.robots.count);
    // each van's range of the shared stop table, reserved now and written over by each tour
    // (World.enqueueTrip), so that the table does not grow with the number of tours; until a
    // tour fills it, the hub's own point with no dwell (no vehicle reads a range it was not given)
    const reserve: { edge: number; pos: number; duration: number }[] = [];
    for (let k = 0; k < this.vans.count; k++) {
      const h = this.hubs[this.vans.hub[k]];
      for (let i = 0; i < spec.van.maxStops; i++) reserve.push({ edge: h.edge, pos: h.pos, duration: 0 });
    }
    this.vanStopBase = reserve.length > 0 ? w.routes.addStops(reserve) : 0;

    this.droneListener = {
      delivered: (k, order, time) => this.deliver(order, time),
      released: (k, order) => this.giveBack(order, 'grounded'),
      landed: (k, order, flown, wh) => {
        // the order is delivered by now (the drop comes before the way back)
        this.orders.distance[order] = flown;
        this.orders.energy[order] = wh / 1000;
      },
    };
    this.robotListener = {
      delivered: (k, order, time) => this.deliver(order, time),
      returned: (k) => {
        const list = this.robotOrders[k];
        this.shareTrip(list, M_ROBOT, k, this.robots.walked[k] - this.robotTripStart[k], spec.robot.energyPerKm);
        list.length = 0;
      },
    };
    this.vanListener = {
      delivered: (k, order, time) => this.deliver(order, time),
      missed: (k, order) => this.giveBack(order, 'missedStop'),
      ended: (k, time, distance) => {
        this.shareTrip(this.tourOrders[k], M_VAN, k, distance, spec.van.energyPerKm);
        this.tourOrders[k].length = 0;
      },
    };
    // van vehicles leaving the road: the event comes before their slot is released
    w.events$.subscribe((e) => {
      if ((e.kind !== 'arrive' && e.kind !== 'remove') || this.vans.count === 0) return;
      const k = this.vans.vanOf(e.id);
      if (k < 0) return;
      const lost = this.vans.left(k, w.state, w.time, e.kind === 'remove', this.vanListener);
      for (const o of lost) this.reject(o, 'vehicleRemoved');
    });
  }

  private emit(e: LogisticsEvent): void {
    this.w.events$.next(e);
  }

  // ------------------------------------------------------------------ the tick

  /** This thread's share of the drones and robots to advance (their calls recorded in the part's log). */
  private readonly dronesWork = (k0: number, k1: number, part: number): void => this.parts.advanceDrones(this.drones, k0, k1, part);
  private readonly robotsWork = (k0: number, k1: number, part: number): void => this.parts.advanceRobots(this.robots, k0, k1, part, this.w.connState);

  /** What a worker thread needs to advance its ranges of the fleets. */
  workerInput(): LogisticsWorkerInput {
    return {
      spec: this.spec,
      hubIndex: [...this.hubIndex],
      robotHubs: this.hubs.map((h) => ({ x: h.x, y: h.y, robots: h.robots })),
      net: this.w.net,
      drones: this.drones.arrays.buffers(),
      robots: this.robots.arrays.buffers(),
      ...this.parts.buffers(),
    };
  }

  /** Advances the logistics by one tick; the world's clock already reads the tick's end. */
  step(): void {
    const w = this.w;
    const dt = w.dt;
    const t0 = w.time - dt;
    this.wind.vector(t0, this.windVec);
    const wind = Math.hypot(this.windVec[0], this.windVec[1]);
    for (const p of this.drones.ports) {
      const grounded = wind > p.windLimit ? 1 : 0;
      if (grounded !== this.portGrounded[p.index]) {
        this.portGrounded[p.index] = grounded;
        this.emit({ kind: 'dronePort.wind', time: r3(t0), port: p.id, phase: grounded ? 'grounded' : 'open', wind: r3(wind) });
      }
    }
    const params = this.parts.params;
    params[P_TIME] = t0;
    params[P_DT] = dt;
    params[P_WX] = this.windVec[0];
    params[P_WY] = this.windVec[1];
    if (this.drones.count > 0) {
      this.drones.grant(wind, this.droneListener);
      w.runner.run('drones', this.drones.count, this.dronesWork);
      this.parts.replayDrones(this.drones, this.droneListener);
    }
    if (this.robots.count > 0) {
      w.runner.run('robots', this.robots.count, this.robotsWork);
      this.parts.replayRobots(this.robotListener);
    }
    if (this.vans.count > 0) this.vans.observe(w.state, w.time, dt, this.vanListener);
    this.orders.release(w.time);
    if (w.time >= this.nextDispatch - 1e-9) {
      this.nextDispatch = w.time + this.spec.dispatchInterval;
      this.dispatch(w.time);
    }
  }

  /** A van tour's vehicle entered the road (World.insertDue, for departures of source −1 − van). */
  onInserted(source: number, slot: number): void {
    const k = -1 - source;
    this.vans.inserted(k, slot, this.w.state);
    for (const o of this.tourOrders[k]) {
      this.orders.status[o] = O_EN_ROUTE;
      this.orders.pickedUp[o] = this.w.time;
    }
    this.emitTour(k, slot);
  }

  /**
   * The van.tour event of van k's vehicle, just inserted in `slot`: read back from the state the
   * tour lives in (its route, its range of the stop table, its orders), so a run resumed from a
   * checkpoint writes the same event.
   */
  private emitTour(k: number, slot: number): void {
    const w = this.w;
    const net = w.net;
    const v = this.vans;
    const r = w.routes;
    const stops: VanTourEvent['stops'] = [];
    for (let i = 0; i < v.stops[k]; i++) {
      const e = r.stopEdge[v.stopFirst[k] + i];
      const pos = r.stopPos[v.stopFirst[k] + i];
      this.geom.point(net.edgeFirstLane[e], pos, this.at);
      stops.push({ order: v.tour[k * v.maxStops + i], edge: net.edgeIds[e], pos: r3(pos), x: r2(this.at[0]), y: r2(this.at[1]) });
    }
    const route = Array.from(r.edgesOf(w.state.route[slot]), (e) => net.edgeIds[e]);
    this.emit({ kind: 'van.tour', time: r3(w.time), van: `van-${k}`, id: w.state.id[slot], hub: this.hubs[v.hub[k]].id, stops, route });
  }

  // ------------------------------------------------------------------ order outcomes

  private vehicleName(order: number): string {
    return `${modeNames[this.orders.mode[order]]}-${this.orders.vehicle[order]}`;
  }

  private deliver(order: number, time: number): void {
    const o = this.orders;
    o.status[order] = O_DELIVERED;
    o.delivered[order] = time;
    // settled for good: its feasibility is never looked at again
    this.feasible.delete(order);
    const dtime = time - o.created[order];
    this.emit({
      kind: 'order.delivered',
      time: r3(time),
      order,
      mode: modeNames[o.mode[order]] as ModeName,
      vehicle: this.vehicleName(order),
      deliveryTime: r3(dtime),
      onTime: time <= o.deadline[order] + 1e-9,
    });
  }

  private reject(order: number, reason: RejectReason): void {
    const o = this.orders;
    o.status[order] = O_REJECTED;
    o.reason[order] = reasonCode(reason);
    this.feasible.delete(order);
    this.emit({ kind: 'order.rejected', time: r3(this.w.time), order, hub: this.hubs[o.hub[order]].id, reason });
  }

  /** An assigned order that its vehicle could not take after all: back to the dispatcher, parcel back in stock. */
  private giveBack(order: number, reason: 'missedStop' | 'grounded'): void {
    const o = this.orders;
    this.emit({ kind: 'order.returned', time: r3(this.w.time), order, vehicle: this.vehicleName(order), reason });
    o.status[order] = O_PENDING;
    o.vehicle[order] = -1;
    // it was not carried after all: no pick-up, no share of that trip
    o.pickedUp[order] = NaN;
    o.distance[order] = 0;
    o.energy[order] = 0;
    this.hubs[o.hub[order]].stock++;
    if (order < this.scanFrom) this.scanFrom = order;
  }

  private assign(order: number, mode: number, vehicle: number, enRoute: boolean): void {
    const o = this.orders;
    o.status[order] = enRoute ? O_EN_ROUTE : O_ASSIGNED;
    o.mode[order] = mode;
    o.vehicle[order] = vehicle;
    o.assigned[order] = this.w.time;
    if (enRoute) o.pickedUp[order] = this.w.time;
    const hub = this.hubs[o.hub[order]];
    // the scan's claims keep every assignment within the stock (a test holds it)
    if (!(hub.stock > 0)) throw new Error(`logistics: order ${order} assigned from hub ${hub.id} with no parcel left`);
    hub.stock--;
    this.emit({ kind: 'order.assigned', time: r3(this.w.time), order, hub: this.hubs[o.hub[order]].id, mode: modeNames[mode] as ModeName, vehicle: this.vehicleName(order) });
  }

  /**
   * Splits a finished trip's distance (m) and energy among the orders it set out with; an order
   * it gave back (a missed stop) that is pending again or already with another vehicle keeps
   * what it has.
   */
  private shareTrip(list: number[], mode: number, k: number, distance: number, kwhPerKm: number): void {
    if (list.length === 0) return;
    const o = this.orders;
    for (const id of list) {
      if (o.status[id] === O_PENDING || o.mode[id] !== mode || o.vehicle[id] !== k) continue;
      o.distance[id] = distance / list.length;
      o.energy[id] = ((distance / 1000) * kwhPerKm) / list.length;
    }
  }

  // ------------------------------------------------------------------ dispatch

  /**
   * One dispatch round, orders in id order. Drones take orders one by one (nearest port of the
   * order's hub with an idle drone, flyable in the strongest wind forecast for the mission);
   * orders for robots and vans are collected per hub and batched: a robot takes the oldest order
   * and the nearest others it can still bring in time, a van the oldest and the nearest others up
   * to its stops and payload, in the visiting order of cheapest insertion, once its batch is full,
   * its oldest order has waited `batchWindow` or a deadline presses. An order that no mode could
   * bring in time even starting now is rejected, with the reason that stops the best mode.
   */
  private dispatch(now: number): void {
    const o = this.orders;
    const spec = this.spec;
    const robotCands: number[][] = this.hubs.map(() => []);
    const vanCands: number[][] = this.hubs.map(() => []);
    const windNow = this.wind.speed(now);
    // parcels of each hub promised this round to robot and van candidates (assigned after the
    // scan): an order finds a parcel only if one is left after the older orders' claims, so a
    // round never assigns more than the hub has
    const claimed = new Int32Array(this.hubs.length);
    while (this.scanFrom < o.next && o.status[this.scanFrom] !== O_PENDING) this.scanFrom++;
    for (let id = this.scanFrom; id < o.next; id++) {
      if (o.status[id] !== O_PENDING) continue;
      const hub = this.hubs[o.hub[id]];
      if (now >= hub.close || hub.open > o.deadline[id]) {
        this.reject(id, 'hubClosed');
        continue;
      }
      if (now < hub.open) continue;
      if (hub.stock <= 0) {
        this.reject(id, 'noStock');
        continue;
      }
      // every parcel left is promised to an older candidate of this round: none for this one
      if (hub.stock - claimed[hub.index] <= 0) {
        this.reject(id, 'noStock');
        continue;
      }
      const f = this.feasibility(id, hub);
      if (f.reason) {
        this.reject(id, f.reason);
        continue;
      }
      let taken = false;
      let windBlocked = false;
      let best = Infinity; // earliest delivery any static mode could make starting now
      for (const mode of spec.modes) {
        if (mode === 'drone' && f.ports.length > 0) {
          const r = this.tryDrone(id, f, now, windNow);
          if (r === 'launched') {
            taken = true;
            break;
          }
          if (r === 'wind') windBlocked = true;
          else best = Math.min(best, now + this.drones.model.plan(f.ports[0].length, o.weight[id], 0)!.toDelivery);
        } else if (mode === 'robot' && f.robotWalk >= 0) {
          const eta = now + f.robotWalk / spec.robot.speed + spec.robot.handover;
          best = Math.min(best, eta);
          if (eta <= o.deadline[id] && this.robots.count > 0) {
            robotCands[hub.index].push(id);
            claimed[hub.index]++;
            taken = true;
            break;
          }
        } else if (mode === 'van' && f.vanRoute >= 0) {
          const eta = now + f.vanRoute / this.vanPlanSpeed + spec.van.dwell;
          best = Math.min(best, eta);
          if (eta <= o.deadline[id]) {
            vanCands[hub.index].push(id);
            claimed[hub.index]++;
            taken = true;
            break;
          }
        }
      }
      if (taken) continue;
      // nothing free now: wait while some mode could still make it; otherwise say why not
      if (best > o.deadline[id]) this.reject(id, windBlocked ? 'wind' : 'noVehicle');
    }
    for (const hub of this.hubs) {
      const left = this.robotRound(hub, robotCands[hub.index], now);
      // robot candidates no robot took go to the vans, if vans can bring them
      for (const id of left) if (this.feasible.get(id)!.vanRoute >= 0) vanCands[hub.index].push(id);
      vanCands[hub.index].sort((a, b) => a - b);
      this.vanRound(hub, vanCands[hub.index], now);
    }
  }

  /**
   * Orders whose feasibility is cached: those the dispatcher has looked at and that are not yet
   * delivered or rejected (pending, assigned or on their way). Bounded by the open orders, not
   * by the run's length (a test holds it).
   */
  get feasibleCached(): number {
    return this.feasible.size;
  }

  /**
   * Static feasibility of an order, cached until it is delivered or rejected (a pure function of
   * the order and the static network, so dropping an entry never changes a result).
   */
  private feasibility(id: number, hub: Hub): Feasible {
    const known = this.feasible.get(id);
    if (known) return known;
    const o = this.orders;
    const spec = this.spec;
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
      const r = this.w.router;
      const fromHub = r.reachable(hub.edge);
      const usable = (e: number) => fromHub[e] === 1 && r.reachable(e)[hub.edge] === 1 && this.w.net.edgeLength[e] >= 2 * STOP_MARGIN;
      if (!usable(f.curb.edge)) f.curb = this.curbs.nearest(x, y, usable) ?? f.curb;
      const out = r.route(hub.edge, f.curb.edge);
      const back = r.route(f.curb.edge, hub.edge);
      if (out && back && this.stopPos(f.curb) >= 0) {
        // a tour to it alone must fit a full battery
        const there = this.routeLength(out) + this.routeLength(back);
        if (there <= spec.van.range) f.vanRoute = there;
      } else unroutable = true;
    }
    if (f.ports.length === 0 && f.robotWalk < 0 && f.vanRoute < 0) f.reason = heavy ? 'weight' : noFly ? 'noFly' : unroutable ? 'unroutable' : 'range';
    this.feasible.set(id, f);
    return f;
  }

  private routeLength(edges: ArrayLike<number>): number {
    let l = 0;
    for (let i = 0; i < edges.length; i++) l += this.w.net.edgeLength[edges[i]];
    return l;
  }

  /** Where on its edge a van stops for a curb point (−1 when the edge is too short to stop on). */
  private stopPos(c: CurbPoint): number {
    const len = this.w.net.edgeLength[c.edge];
    if (len < 2 * STOP_MARGIN) return -1;
    return Math.min(len - STOP_MARGIN, Math.max(STOP_MARGIN, c.pos));
  }

  /**
   * Launches the order from the nearest port that can fly it now: not grounded, the strongest
   * wind forecast for the mission within the port's limit and the battery, in time, a drone idle.
   * 'wind' when the wind is what stopped every port, else 'busy'.
   */
  private tryDrone(id: number, f: Feasible, now: number, windNow: number): 'launched' | 'wind' | 'busy' {
    const o = this.orders;
    const model = this.drones.model;
    let stoppedByWind = 0;
    for (const c of f.ports) {
      const port = this.drones.ports[c.port];
      if (windNow > port.windLimit) {
        stoppedByWind++;
        continue;
      }
      // the mission lasts at most its plan at the port's limit; take the strongest wind in that window
      const bound = model.plan(c.length, o.weight[id], port.windLimit);
      const gust = this.wind.maxSpeed(now, now + (bound ? bound.total : 3600));
      const plan = model.plan(c.length, o.weight[id], gust);
      if (gust > port.windLimit || !plan || plan.energyWh > model.usableWh) {
        stoppedByWind++;
        continue;
      }
      if (now + plan.toDelivery > o.deadline[id]) continue;
      const k = this.drones.idleDrone(c.port);
      if (k < 0) continue;
      this.assign(id, M_DRONE, k, true);
      this.drones.launch(k, id, o.weight[id], c.path, now);
      const path: [number, number][] = [];
      for (let i = 0; i + 1 < c.path.length; i += 2) path.push([r2(c.path[i]), r2(c.path[i + 1])]);
      this.emit({ kind: 'drone.launch', time: r3(now), drone: `drone-${k}`, id: DRONE_ID_BASE + k, order: id, port: port.id, altitude: this.spec.drone.cruiseAltitude, path });
      return 'launched';
    }
    return stoppedByWind === f.ports.length ? 'wind' : 'busy';
  }

  /** Robot trips from one hub this round; returns the candidates no robot took. */
  private robotRound(hub: Hub, cands: number[], now: number): number[] {
    const o = this.orders;
    const spec = this.spec.robot;
    const left = [...cands];
    while (left.length > 0) {
      const k = this.robots.idleRobot(hub.index, now);
      if (k < 0) break;
      const batch = [left.shift()!];
      let load = o.weight[batch[0]];
      // nearest next stop that keeps every deadline (estimated on straight lines at walking speed)
      while (batch.length < spec.parcels) {
        const last = batch[batch.length - 1];
        let bi = -1;
        let bd = Infinity;
        for (let i = 0; i < left.length; i++) {
          const d = Math.hypot(o.x[left[i]] - o.x[last], o.y[left[i]] - o.y[last]);
          if (d < bd && load + o.weight[left[i]] <= spec.payload) {
            bd = d;
            bi = i;
          }
        }
        if (bi < 0) break;
        const trial = [...batch, left[bi]];
        if (!this.robotInTime(hub, trial, now) || this.robotTripEstimate(hub, trial) > this.robots.rangeLeft[k]) break;
        batch.push(left[bi]);
        load += o.weight[left[bi]];
        left.splice(bi, 1);
      }
      const started = this.startRobot(k, hub, batch, now);
      if (started === 'tooManyPoints') {
        // the walk does not fit a robot's memory: these orders go on to the vans
        return [...batch, ...left].sort((a, b) => a - b);
      }
      if (started === 'charge') {
        // robot k went to charge: the batch waits for the next robot
        left.push(...batch);
        left.sort((a, b) => a - b);
      }
    }
    return left;
  }

  /** A trip's length estimated on straight lines (× 1.3 for the street grid), hub → orders → hub, m. */
  private robotTripEstimate(hub: Hub, batch: number[]): number {
    const o = this.orders;
    let d = 0;
    let px = hub.x;
    let py = hub.y;
    for (const id of batch) {
      d += Math.hypot(o.x[id] - px, o.y[id] - py);
      px = o.x[id];
      py = o.y[id];
    }
    return 1.3 * (d + Math.hypot(hub.x - px, hub.y - py));
  }

  private robotInTime(hub: Hub, batch: number[], now: number): boolean {
    const o = this.orders;
    const spec = this.spec.robot;
    let t = now;
    let px = hub.x;
    let py = hub.y;
    for (const id of batch) {
      t += (Math.hypot(o.x[id] - px, o.y[id] - py) * 1.3) / spec.speed + spec.handover;
      if (t > o.deadline[id]) return false;
      px = o.x[id];
      py = o.y[id];
    }
    return true;
  }

  /**
   * Sends robot k on a trip through the batch's hand-over points and back. 'charge' when the walk
   * is longer than the robot's range left: it charges what it has used first (the batch waits);
   * 'tooManyPoints' when the walk does not fit its memory.
   */
  private startRobot(k: number, hub: Hub, batch: number[], now: number): 'started' | 'charge' | 'tooManyPoints' {
    const sw = this.sidewalks;
    const xs: number[] = [];
    const ys: number[] = [];
    const gn: number[] = [];
    const gh: number[] = [];
    const drops: number[] = [];
    let at = sw.pointOnEdge(hub.edge, hub.pos);
    const add = (walk: Walk, drop: number) => {
      for (let i = 0; i < walk.xs.length; i++) {
        const n = xs.length;
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
    for (const id of batch) {
      const c = this.feasible.get(id)!.curb!;
      const to = sw.pointOnEdge(c.edge, c.pos);
      add(sw.walk(at, to)!, id);
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
    const r = this.robots;
    if (length > r.rangeLeft[k]) {
      r.charge(k, now + this.chargeSeconds(r.range - r.rangeLeft[k], this.spec.robot));
      return 'charge';
    }
    if (!r.start(k, xs, ys, gn, gh, drops)) return 'tooManyPoints';
    this.robotTripStart[k] = r.walked[k];
    for (const id of batch) this.assign(id, M_ROBOT, k, true);
    this.robotOrders[k].push(...batch);
    return 'started';
  }

  /** Time to charge back what `metres` used, s: energyPerKm kWh/km over chargePower kW. */
  private chargeSeconds(metres: number, model: { energyPerKm: number; chargePower: number }): number {
    return ((metres / 1000) * model.energyPerKm * 3600) / model.chargePower;
  }

  /**
   * Van tours from one hub this round (candidates in id order). A tour starts from the oldest
   * candidate once enough orders wait to fill it, the oldest has waited `batchWindow`, or its
   * deadline presses; planTour picks and orders its stops. A van whose tour does not fit the
   * range left first charges what it has used (energy over charge power).
   */
  private vanRound(hub: Hub, cands: number[], now: number): void {
    const o = this.orders;
    const spec = this.spec.van;
    const vans = this.vans;
    const left = [...cands];
    while (left.length > 0) {
      const seed = left[0];
      const f0 = this.feasible.get(seed)!;
      const urgent = o.deadline[seed] - now < 2 * (f0.vanRoute / this.vanPlanSpeed + spec.dwell);
      if (left.length < spec.maxStops && now - o.created[seed] < spec.batchWindow && !urgent) return;
      const k = vans.idleVan(hub.index, now);
      if (k < 0) return;
      // the tour a full battery allows; a van that has driven charges first when it does not
      // fit what it has left
      let built = this.buildTour(hub, this.planTour(hub, seed, left, now, spec.range));
      if (built && this.routeLength(built.edges) > vans.rangeLeft[k] && vans.rangeLeft[k] < spec.range) {
        vans.state[k] = V_CHARGING;
        vans.chargeUntil[k] = now + this.chargeSeconds(spec.range - vans.rangeLeft[k], spec);
        continue;
      }
      // cannot route it as one tour, or longer than a battery after all: the seed alone (a tour
      // to it alone fits a full battery: feasibility)
      if (!built || this.routeLength(built.edges) > vans.rangeLeft[k]) built = this.buildTour(hub, [seed]);
      if (!built || this.routeLength(built.edges) > vans.rangeLeft[k]) {
        left.shift();
        this.reject(seed, built ? 'range' : 'unroutable');
        continue;
      }
      this.launchVan(k, hub, built.orders, built.edges, built.stops);
      for (const id of built.orders) left.splice(left.indexOf(id), 1);
    }
  }

  /**
   * The stops of a tour from `seed` (the oldest order) among `cands`, in visiting order, by
   * cheapest insertion on road distances: from the seed's nearest candidates (straight line,
   * three times maxStops of them), repeatedly the order and position that add the least time,
   * as long as every stop keeps its deadline, the tour (back at the hub) lasts at most
   * `maxTourTime` and stays within `range` m, maxStops and the payload. Times are estimates at
   * the planning speed with `dwell` per stop; the seed is in the tour whatever its estimate.
   */
  private planTour(hub: Hub, seed: number, cands: readonly number[], now: number, range: number): number[] {
    const o = this.orders;
    const spec = this.spec.van;
    const pool = [
      seed,
      ...cands
        .filter((id) => id !== seed)
        .map((id) => ({ id, d: Math.hypot(o.x[id] - o.x[seed], o.y[id] - o.y[seed]) }))
        .sort((a, b) => a.d - b.d || a.id - b.id)
        .slice(0, 3 * spec.maxStops)
        .map((c) => c.id),
    ];
    // points: 0 the hub (the start of its edge leaving, the end coming back), p ≥ 1 pool[p − 1]'s curb stop
    const n = pool.length + 1;
    const net = this.w.net;
    const edge = [hub.edge, ...pool.map((id) => this.feasible.get(id)!.curb!.edge)];
    const pos = [0, ...pool.map((id) => this.stopPos(this.feasible.get(id)!.curb!))];
    const gap = new Float64Array(n * n).fill(NaN);
    const road = (a: number, b: number): number => {
      const known = gap[a * n + b];
      if (!Number.isNaN(known)) return known;
      const to = b === 0 ? net.edgeLength[edge[0]] : pos[b];
      let d: number;
      if (edge[a] === edge[b] && to >= pos[a]) d = to - pos[a];
      // two stops on one edge: buildTour visits them in the order of their positions
      else if (edge[a] === edge[b] && b !== 0) d = pos[a] - to;
      else {
        const r = this.w.router.route(edge[a], edge[b]);
        d = r ? this.routeLength(r) - pos[a] - (net.edgeLength[edge[b]] - to) : Infinity;
      }
      gap[a * n + b] = d;
      return d;
    };
    const v = this.vanPlanSpeed;
    /** a tour's estimated duration back at the hub, s, or Infinity when it breaks a deadline, maxTourTime or the range */
    const duration = (tour: readonly number[]): number => {
      let t = now;
      let at = 0;
      let metres = 0;
      for (const p of tour) {
        const d = road(at, p);
        metres += d;
        t += d / v + spec.dwell;
        if (t > o.deadline[pool[p - 1]] + 1e-9) return Infinity;
        at = p;
      }
      metres += road(at, 0);
      t += road(at, 0) / v;
      return t - now <= spec.maxTourTime + 1e-9 && metres <= range ? t - now : Infinity;
    };
    let tour = [1];
    let load = o.weight[seed];
    const inTour = new Uint8Array(n);
    inTour[1] = 1;
    while (tour.length < spec.maxStops) {
      let best: number[] | null = null;
      let bestTime = Infinity;
      let bestPoint = -1;
      for (let p = 2; p < n; p++) {
        if (inTour[p] || load + o.weight[pool[p - 1]] > spec.payload) continue;
        for (let at = 0; at <= tour.length; at++) {
          const trial = [...tour.slice(0, at), p, ...tour.slice(at)];
          const time = duration(trial);
          // ties: the older order
          if (time < bestTime - 1e-9 || (time < Infinity && Math.abs(time - bestTime) <= 1e-9 && pool[p - 1] < pool[bestPoint - 1])) {
            best = trial;
            bestTime = time;
            bestPoint = p;
          }
        }
      }
      if (!best) break;
      tour = best;
      inTour[bestPoint] = 1;
      load += o.weight[pool[bestPoint - 1]];
    }
    return tour.map((p) => pool[p - 1]);
  }

  /**
   * The road route of a tour: hub edge → each curb stop → hub edge. Consecutive stops on one
   * edge are visited in the order of their positions (a vehicle cannot back up to an earlier one).
   */
  private buildTour(hub: Hub, tour: number[]): { orders: number[]; edges: Int32Array; stops: { edge: number; pos: number; duration: number }[] } | null {
    const stops = tour.map((id) => {
      const c = this.feasible.get(id)!.curb!;
      return { id, edge: c.edge, pos: this.stopPos(c) };
    });
    for (let i = 0; i < stops.length; ) {
      let j = i + 1;
      while (j < stops.length && stops[j].edge === stops[i].edge) j++;
      const run = stops.slice(i, j).sort((a, b) => a.pos - b.pos || a.id - b.id);
      stops.splice(i, j - i, ...run);
      i = j;
    }
    const edges = this.w.router.routeVia([hub.edge, ...stops.map((s) => s.edge), hub.edge]);
    if (!edges) return null;
    // a loop back onto the hub edge when the last stop is on it beyond the hub is fine: the route ends there
    const dwell = this.spec.van.dwell;
    const sameAsBefore = (q: number) => q > 0 && stops[q].edge === stops[q - 1].edge && Math.abs(stops[q].pos - stops[q - 1].pos) < 1;
    return { orders: stops.map((s) => s.id), edges, stops: stops.map((s, q) => ({ edge: s.edge, pos: s.pos, duration: sameAsBefore(q) ? dwell * SAME_POINT_DWELL_SHARE : dwell })) };
  }

  private launchVan(k: number, hub: Hub, orders: number[], edges: Int32Array, stops: { edge: number; pos: number; duration: number }[]): void {
    // the van's previous tour has left the road (it is idle): its range is free
    const stopFirst = this.w.enqueueTrip(this.vanType, edges, stops, -1 - k, this.vanStopBase + k * this.spec.van.maxStops);
    this.vans.queued(k, orders, stopFirst);
    for (const id of orders) this.assign(id, M_VAN, k, false);
    this.tourOrders[k].push(...orders);
    void hub;
  }

  // ------------------------------------------------------------------ figures

  /** The `logistics` block of metrics.json (contract: "Metrics of the later parts"). */
  metrics(): object {
    const o = this.orders;
    const w = this.w;
    const tally = o.tally();
    const times: number[] = [];
    let onTime = 0;
    const byMode = { drone: { orders: 0, delivered: 0 }, robot: { orders: 0, delivered: 0 }, van: { orders: 0, delivered: 0 } };
    const rejectedBy: Record<string, number> = {};
    for (let i = 0; i < o.next; i++) {
      const m = modeNames[o.mode[i]] as ModeName | '';
      if (m && o.status[i] !== O_REJECTED && o.status[i] !== O_PENDING) byMode[m].orders++;
      if (o.status[i] === O_DELIVERED) {
        times.push(o.delivered[i] - o.created[i]);
        if (o.delivered[i] <= o.deadline[i] + 1e-9) onTime++;
        if (m) byMode[m].delivered++;
      } else if (o.status[i] === O_REJECTED) {
        const r = REJECT_REASONS[o.reason[i]];
        rejectedBy[r] = (rejectedBy[r] ?? 0) + 1;
      }
    }
    times.sort((a, b) => a - b);
    const mean = times.length > 0 ? times.reduce((a, b) => a + b, 0) / times.length : null;
    const p95 = times.length > 0 ? times[Math.min(times.length - 1, Math.ceil(0.95 * times.length) - 1)] : null;
    const simTime = w.time;
    const util = (busy: Float64Array) => (busy.length > 0 && simTime > 0 ? r3(busy.reduce((a, b) => a + b, 0) / (busy.length * simTime)) : null);
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    const d = this.drones;
    const vanMetres = sum(this.vans.driven) + this.vansOnRoadDistance();
    const robotMetres = sum(this.robots.walked);
    return {
      orders: tally.orders,
      delivered: tally.delivered,
      rejected: tally.rejected,
      open: tally.open,
      onTimeShare: tally.delivered > 0 ? r3(onTime / tally.delivered) : null,
      meanDeliveryTime: mean === null ? null : r3(mean),
      p95DeliveryTime: p95 === null ? null : r3(p95),
      rejectedByReason: rejectedBy,
      byMode: {
        van: { ...byMode.van, km: r3(vanMetres / 1000), energyKWh: r3((vanMetres / 1000) * this.spec.van.energyPerKm), fleet: this.vans.count, utilisation: util(this.vans.busy) },
        robot: { ...byMode.robot, km: r3(robotMetres / 1000), energyKWh: r3((robotMetres / 1000) * this.spec.robot.energyPerKm), fleet: this.robots.count, utilisation: util(this.robots.busy) },
        drone: { ...byMode.drone, km: r3(sum(d.flown) / 1000), energyKWh: r3(sum(d.energyUsed) / 1000), fleet: d.count, utilisation: util(d.busy) },
      },
      drones: {
        ports: d.ports.length,
        maxAltitude: r3(d.maxAltitude),
        minBatteryWh: r3(d.minBattery),
        maxPadShare: r3(d.maxPadShare),
      },
      robotWaitingAtCrossings: r3(sum(this.robots.waited)),
    };
  }

  private vansOnRoadDistance(): number {
    let m = 0;
    const s = this.w.state;
    for (let k = 0; k < this.vans.count; k++) {
      const i = this.vans.slot[k];
      if (i >= 0 && s.id[i] === this.vans.vehicleId[k]) m += s.dist[i];
    }
    return m;
  }

  /**
   * Header and one row per order of orders.csv: the columns first (id, created, mode,
   * vehicle, assigned, pickedUp, delivered, deadline, onTime, distance, energy), then status,
   * reason, hub, x, y, weight and deliveryTime. Times in s (empty when it has not happened),
   * distance in m and energy in kWh of the trip that carried the order (a shared tour's or robot
   * trip's split evenly among its orders, filled when the trip ends; a drone's as flown there and
   * back, detours and the wind it met included, filled when it lands).
   */
  ordersCsv(): string {
    const o = this.orders;
    const n = (x: number) => (Number.isNaN(x) ? '' : String(r3(x)));
    const lines = [ORDERS_CSV_HEADER];
    for (let i = 0; i < o.next; i++) {
      const st = o.status[i];
      const delivered = st === O_DELIVERED;
      const status = delivered ? 'delivered' : st === O_REJECTED ? 'rejected' : 'open';
      lines.push(
        [
          i,
          n(o.created[i]),
          modeNames[o.mode[i]],
          o.mode[i] && o.vehicle[i] >= 0 ? this.vehicleName(i) : '',
          n(o.assigned[i]),
          n(o.pickedUp[i]),
          delivered ? n(o.delivered[i]) : '',
          n(o.deadline[i]),
          delivered ? (o.delivered[i] <= o.deadline[i] + 1e-9 ? 'true' : 'false') : '',
          n(o.distance[i]),
          String(Math.round(o.energy[i] * 1e6) / 1e6),
          status,
          REJECT_REASONS[o.reason[i]],
          this.hubs[o.hub[i]].id,
          n(o.x[i]),
          n(o.y[i]),
          n(o.weight[i]),
          delivered ? n(o.delivered[i] - o.created[i]) : '',
        ].join(','),
      );
    }
    return `${lines.join('\n')}\n`;
  }

  /** Extra timeseries.csv columns (names, then the values now). */
  static readonly seriesColumns = ['ordersDelivered', 'ordersRejected', 'ordersOpen', 'dronesOut', 'robotsOut', 'vansOut'];
  seriesValues(): number[] {
    const t = this.orders.tally();
    return [t.delivered, t.rejected, t.open, this.drones.out, this.robots.out, this.vans.out()];
  }

  /** Drones and robots away from their dock or hub, for the trace. */
  traceCount(): number {
    return this.drones.out + this.robots.out;
  }

  /**
   * Writes the trace records of drones and robots away from base (in id order) through `write`
   * (id, x, y, z, heading, speed, class, stopped); returns how many.
   */
  traceRecords(write: (id: number, x: number, y: number, z: number, heading: number, speed: number, robot: boolean, stopped: boolean) => void): number {
    const d = this.drones;
    let n = 0;
    for (let k = 0; k < d.count; k++) {
      if (d.phase[k] === D_IDLE) continue;
      write(DRONE_ID_BASE + k, d.x[k], d.y[k], d.z[k], d.heading[k], d.speed[k], false, d.speed[k] === 0);
      n++;
    }
    const r = this.robots;
    for (let k = 0; k < r.count; k++) {
      if (r.state[k] === R_IDLE || r.state[k] === R_CHARGING) continue;
      write(ROBOT_ID_BASE + k, r.x[k], r.y[k], 0, r.heading[k], r.moving[k] ? r.speed : 0, true, !r.moving[k]);
      n++;
    }
    return n;
  }

  // ------------------------------------------------------------------ checkpoints

  /**
   * Writes the logistics state that carries over from one tick to the next (World.snapshot):
   * orders, drones, robots, vans, hubs' stock, the ports' grounded state, the dispatcher's clock
   * and scan position, and the orders each van tour and robot trip carries. Not written, because
   * they are fixed by the scenario or recomputed the same: the drawn orders, wind schedule,
   * airspace, sidewalks and curbs, and the feasibility cache (a pure function of an order and the
   * static network, filled again on the first look after a restore), and the wind vector of the
   * tick (recomputed at the start of every step).
   */
  snapshot(w: SnapshotWriter): void {
    w.json('logistics.meta', { hubs: this.hubs.length, scanFrom: this.scanFrom, tourOrders: this.tourOrders, robotOrders: this.robotOrders });
    // numbers as bits: a hub's stock is Infinity when unlimited
    w.typed('logistics.stock', Float64Array.from(this.hubs, (h) => h.stock));
    w.typed('logistics.nextDispatch', Float64Array.of(this.nextDispatch));
    w.typed('logistics.portGrounded', this.portGrounded);
    w.typed('logistics.robotTripStart', this.robotTripStart);
    this.orders.snapshot(w);
    this.drones.snapshot(w);
    this.robots.snapshot(w);
    this.vans.snapshot(w);
  }

  /** Reads what snapshot() wrote, into the logistics of a new World of the same scenario. */
  restore(r: SnapshotReader): void {
    const m = r.json<{ hubs: number; scanFrom: number; tourOrders: number[][]; robotOrders: number[][] }>('logistics.meta');
    sameCount('hubs', m.hubs, this.hubs.length);
    sameCount('van tours', m.tourOrders.length, this.tourOrders.length);
    sameCount('robot trips', m.robotOrders.length, this.robotOrders.length);
    this.scanFrom = m.scanFrom;
    m.tourOrders.forEach((list, k) => (this.tourOrders[k] = list));
    m.robotOrders.forEach((list, k) => (this.robotOrders[k] = list));
    const stock = new Float64Array(this.hubs.length);
    readExact(r, 'logistics.stock', stock, this.hubs.length);
    this.hubs.forEach((h, i) => (h.stock = stock[i]));
    const next = new Float64Array(1);
    readExact(r, 'logistics.nextDispatch', next, 1);
    this.nextDispatch = next[0];
    readExact(r, 'logistics.portGrounded', this.portGrounded, this.portGrounded.length);
    readExact(r, 'logistics.robotTripStart', this.robotTripStart, this.robotTripStart.length);
    this.orders.restore(r);
    this.drones.restore(r);
    this.robots.restore(r);
    this.vans.restore(r);
    this.feasible.clear();
  }

  /** Appends the logistics state to the world's state hash. */
  hashInto(h: Hash): void {
    const o = this.orders;
    const d = this.drones;
    const r = this.robots;
    const v = this.vans;
    for (const a of [o.status, o.mode, o.vehicle, o.delivered, d.phase, d.x, d.y, d.z, d.battery, d.along, r.state, r.x, r.y, r.along, r.rangeLeft, v.state, v.settled, v.rangeLeft])
      h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    h.update(new Uint8Array(new Float64Array(this.hubs.map((x) => x.stock)).buffer));
  }
}
