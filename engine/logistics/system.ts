/**
 * Unmanned logistics (issue 6): orders, hubs, drone ports and drones, sidewalk robots and
 * delivery vans on the road, and the dispatcher that gives each order to one of them. This file
 * puts the parts together and runs their tick; the dispatcher is dispatch.ts, the hand-overs of
 * orders ledger.ts, and the reports built from it live with the writers (engine/io).
 *
 * It runs once per tick in the main thread, after the vehicles have moved and finished and
 * before insertion: drones and robots advance by the tick, van stops are read from the vehicle
 * state the move phase left, new orders come in, and every `dispatchInterval` the dispatcher
 * assigns; a van tour it starts is queued for insertion in that same tick. Nothing in it draws
 * random numbers during the run (orders are drawn up front from a named stream), and it reads
 * only state that is the same for any number of workers, so results do not depend on them.
 *
 * It sees its host (the world) only through LogisticsHost (host.ts), publishes its events through
 * the `emit` it is given, and hears of van vehicles leaving the road from the host calling
 * onVehicleLeaving: it does not listen to the host's event stream.
 */
import type { Hash } from 'node:crypto';
import type { LogisticsSpec } from '../spec/schema-logistics.js';
import { LaneGeometry } from '../road/lanegeom.js';
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { Airspace } from './airspace.js';
import { Dispatcher } from './dispatch.js';
import { DroneFleet, type DroneListener } from './drones.js';
import { r2, r3, type VanTourEvent } from './events.js';
import { Feasibility } from './feasibility.js';
import type { LogisticsEmit, LogisticsHost } from './host.js';
import { buildHubs, type Hub } from './hubs.js';
import { OrderLedger } from './ledger.js';
import { OrderBook } from './orders.js';
import { LogisticsParts, P_DT, P_TIME, P_WX, P_WY, type LogisticsWorkerInput } from './parallel.js';
import { readExact, sameCount } from './persist.js';
import { RobotFleet, type RobotListener } from './robots.js';
import { Sidewalks } from './sidewalks.js';
import { TourPlanner } from './van-tours.js';
import { VanFleet, type VanListener } from './vans.js';
import { WindSchedule } from './wind.js';

export { DRONE_ID_BASE, ROBOT_ID_BASE } from './ids.js';
export type { Hub } from './hubs.js';

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
  private readonly host: LogisticsHost;
  private readonly emit: LogisticsEmit;
  /** kerb-lane points of van stops, for the van.tour events */
  private readonly geom: LaneGeometry;
  private readonly at = new Float64Array(3);
  private readonly feasible: Feasibility;
  private readonly ledger: OrderLedger;
  private readonly dispatcher: Dispatcher;
  private readonly windVec = new Float64Array(2);
  private readonly portGrounded: Uint8Array;

  /** the parts' call logs and the tick's parameters, shared with worker threads (parallel.ts) */
  private readonly parts: LogisticsParts;
  private readonly hubIndex: Map<string, number>;
  private readonly droneListener: DroneListener;
  private readonly robotListener: RobotListener;
  private readonly vanListener: VanListener;

  /** `emit` publishes the logistics' events (the world: on its event stream). */
  constructor(host: LogisticsHost, spec: LogisticsSpec, emit: LogisticsEmit) {
    this.host = host;
    this.spec = spec;
    this.emit = emit;
    const net = host.net;
    this.geom = new LaneGeometry(net);
    const hubIndex = new Map(spec.hubs.map((h, i) => [h.id, i]));
    this.hubs = buildHubs(spec, net, this.geom);
    this.orders = new OrderBook(spec, hubIndex, this.hubs, host.seed, host.scenario.duration);
    this.drones = new DroneFleet(spec, hubIndex);
    this.robots = new RobotFleet(net, this.hubs, spec.robot.speed, spec.robot.handover, spec.robot.range);
    this.vans = new VanFleet(this.hubs, spec.van.maxStops, spec.van.range);
    this.parts = new LogisticsParts(host.runner.parts, this.drones, this.robots, spec.robot.parcels);
    this.hubIndex = hubIndex;
    this.wind = new WindSchedule(spec.wind);
    this.airspace = new Airspace(spec.noFly);
    this.sidewalks = new Sidewalks(net);
    this.portGrounded = new Uint8Array(this.drones.ports.length);
    const feasible = (this.feasible = new Feasibility(spec, this.orders, this.drones, this.airspace, this.sidewalks, host));
    const ledger = (this.ledger = new OrderLedger(this.orders, this.hubs, feasible, host, emit, this.vans.count, this.robots.count));
    const tours = new TourPlanner(spec.van, this.orders, feasible, host, this.hubs);
    const { hubs, orders, drones, robots, vans, wind, sidewalks } = this;
    this.dispatcher = new Dispatcher(spec, { hubs, orders, drones, robots, vans, wind, sidewalks, feasible, tours, ledger }, host, emit);

    this.droneListener = {
      delivered: (k, order, time) => ledger.deliver(order, time),
      released: (k, order) => ledger.giveBack(order, 'grounded'),
      landed: (k, order, flown, wh) => {
        // the order is delivered by now (the drop comes before the way back)
        this.orders.distance[order] = flown;
        this.orders.energy[order] = wh / 1000;
      },
    };
    this.robotListener = {
      delivered: (k, order, time) => ledger.deliver(order, time),
      returned: (k) => ledger.robotReturned(k, this.robots.walked[k], spec.robot.energyPerKm),
    };
    this.vanListener = {
      delivered: (k, order, time) => ledger.deliver(order, time),
      missed: (k, order) => ledger.giveBack(order, 'missedStop'),
      ended: (k, time, distance) => ledger.tourEnded(k, distance, spec.van.energyPerKm),
    };
  }

  // ------------------------------------------------------------------ the tick

  /** This thread's share of the drones and robots to advance (their calls recorded in the part's log). */
  private readonly dronesWork = (k0: number, k1: number, part: number): void => this.parts.advanceDrones(this.drones, k0, k1, part);
  private readonly robotsWork = (k0: number, k1: number, part: number): void => this.parts.advanceRobots(this.robots, k0, k1, part, this.host.connState);

  /** What a worker thread needs to advance its ranges of the fleets. */
  workerInput(): LogisticsWorkerInput {
    return {
      spec: this.spec,
      hubIndex: [...this.hubIndex],
      robotHubs: this.hubs.map((h) => ({ x: h.x, y: h.y, robots: h.robots })),
      net: this.host.net,
      drones: this.drones.arrays.buffers(),
      robots: this.robots.arrays.buffers(),
      ...this.parts.buffers(),
    };
  }

  /** Advances the logistics by one tick; the host's clock already reads the tick's end. */
  step(): void {
    const h = this.host;
    const dt = h.dt;
    const t0 = h.time - dt;
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
      h.runner.run('drones', this.drones.count, this.dronesWork);
      this.parts.replayDrones(this.drones, this.droneListener);
    }
    if (this.robots.count > 0) {
      h.runner.run('robots', this.robots.count, this.robotsWork);
      this.parts.replayRobots(this.robotListener);
    }
    if (this.vans.count > 0) this.vans.observe(h.state, h.time, dt, this.vanListener);
    this.orders.release(h.time);
    this.dispatcher.step(h.time);
  }

  /** A van tour's vehicle entered the road (the host's insertion, for departures of source −1 − van). */
  onInserted(source: number, slot: number): void {
    const k = -1 - source;
    this.vans.inserted(k, slot, this.host.state);
    this.ledger.tourOnRoad(k);
    this.emitTour(k, slot);
  }

  /**
   * A road vehicle is leaving the road (arrived, or `removed`), still in its slot: the host calls
   * this just before it publishes the arrive or remove event, so that what the logistics makes of
   * it (a van's tour ends; orders it still carried are rejected) comes before that event, as when
   * the logistics was the first to hear it. Only van vehicles matter.
   */
  onVehicleLeaving(id: number, removed: boolean): void {
    if (this.vans.count === 0) return;
    const k = this.vans.vanOf(id);
    if (k < 0) return;
    const lost = this.vans.left(k, this.host.state, this.host.time, removed, this.vanListener);
    for (const o of lost) this.ledger.reject(o, 'vehicleRemoved');
  }

  /**
   * The van.tour event of van k's vehicle, just inserted in `slot`: read back from the state the
   * tour lives in (its route, its range of the stop table, its orders), so a run resumed from a
   * checkpoint writes the same event.
   */
  private emitTour(k: number, slot: number): void {
    const h = this.host;
    const net = h.net;
    const v = this.vans;
    const r = h.routes;
    const stops: VanTourEvent['stops'] = [];
    for (let i = 0; i < v.stops[k]; i++) {
      const e = r.stopEdge[v.stopFirst[k] + i];
      const pos = r.stopPos[v.stopFirst[k] + i];
      this.geom.point(net.edgeFirstLane[e], pos, this.at);
      stops.push({ order: v.tour[k * v.maxStops + i], edge: net.edgeIds[e], pos: r3(pos), x: r2(this.at[0]), y: r2(this.at[1]) });
    }
    const route = Array.from(r.edgesOf(h.state.route[slot]), (e) => net.edgeIds[e]);
    this.emit({ kind: 'van.tour', time: r3(h.time), van: `van-${k}`, id: h.state.id[slot], hub: this.hubs[v.hub[k]].id, stops, route });
  }

  // ------------------------------------------------------------------ figures

  /**
   * Orders whose feasibility is cached: those the dispatcher has looked at and that are not yet
   * delivered or rejected (pending, assigned or on their way). Bounded by the open orders, not
   * by the run's length (a test holds it).
   */
  get feasibleCached(): number {
    return this.feasible.size;
  }

  /** Metres driven so far by the van vehicles on the road now (their tours' distances are added when they end). */
  vansOnRoadDistance(): number {
    let m = 0;
    const s = this.host.state;
    for (let k = 0; k < this.vans.count; k++) {
      const i = this.vans.slot[k];
      if (i >= 0 && s.id[i] === this.vans.vehicleId[k]) m += s.dist[i];
    }
    return m;
  }

  /** Extra timeseries.csv columns (names, then the values now). */
  static readonly seriesColumns = ['ordersDelivered', 'ordersRejected', 'ordersOpen', 'dronesOut', 'robotsOut', 'vansOut'];
  seriesValues(): number[] {
    const t = this.orders.tally();
    return [t.delivered, t.rejected, t.open, this.drones.out, this.robots.out, this.vans.out()];
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
    const l = this.ledger;
    w.json('logistics.meta', { hubs: this.hubs.length, scanFrom: l.scanFrom, tourOrders: l.tourOrders, robotOrders: l.robotOrders });
    // numbers as bits: a hub's stock is Infinity when unlimited
    w.typed('logistics.stock', Float64Array.from(this.hubs, (h) => h.stock));
    w.typed('logistics.nextDispatch', Float64Array.of(this.dispatcher.nextAt));
    w.typed('logistics.portGrounded', this.portGrounded);
    w.typed('logistics.robotTripStart', l.robotTripStart);
    this.orders.snapshot(w);
    this.drones.snapshot(w);
    this.robots.snapshot(w);
    this.vans.snapshot(w);
  }

  /** Reads what snapshot() wrote, into the logistics of a new host of the same scenario. */
  restore(r: SnapshotReader): void {
    const l = this.ledger;
    const m = r.json<{ hubs: number; scanFrom: number; tourOrders: number[][]; robotOrders: number[][] }>('logistics.meta');
    sameCount('hubs', m.hubs, this.hubs.length);
    sameCount('van tours', m.tourOrders.length, l.tourOrders.length);
    sameCount('robot trips', m.robotOrders.length, l.robotOrders.length);
    l.scanFrom = m.scanFrom;
    m.tourOrders.forEach((list, k) => (l.tourOrders[k] = list));
    m.robotOrders.forEach((list, k) => (l.robotOrders[k] = list));
    const stock = new Float64Array(this.hubs.length);
    readExact(r, 'logistics.stock', stock, this.hubs.length);
    this.hubs.forEach((h, i) => (h.stock = stock[i]));
    const next = new Float64Array(1);
    readExact(r, 'logistics.nextDispatch', next, 1);
    this.dispatcher.nextAt = next[0];
    readExact(r, 'logistics.portGrounded', this.portGrounded, this.portGrounded.length);
    readExact(r, 'logistics.robotTripStart', l.robotTripStart, l.robotTripStart.length);
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
