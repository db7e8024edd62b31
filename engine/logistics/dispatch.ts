/**
 * The dispatcher: every `dispatchInterval` it goes through the pending orders, oldest first, and
 * gives each to a drone, a robot or a van tour (in the scenario's order of modes), makes it wait
 * for the next round, or rejects it with the reason that stops the best mode. What each mode
 * could do for an order is feasibility.ts, how a van tour is put together van-tours.ts, a robot's
 * walk robot-trips.ts; the hand-overs themselves go through the ledger (ledger.ts).
 *
 * It reads only what is the same for any number of workers (the orders, the fleets' state after
 * the tick's replay, the static network) and draws no random numbers, so its choices do not
 * depend on how the run is split.
 */
import type { LogisticsSpec } from '../spec/schema-logistics.js';
import type { DroneFleet } from './drones.js';
import { DRONE_ID_BASE } from './ids.js';
import { r2, r3 } from './events.js';
import { routeLength, type Feasibility, type Feasible } from './feasibility.js';
import type { LogisticsEmit, LogisticsHost } from './host.js';
import type { Hub } from './hubs.js';
import type { OrderLedger } from './ledger.js';
import { M_DRONE, O_PENDING, type OrderBook } from './orders.js';
import { robotInTime, robotTripEstimate, tripWalk } from './robot-trips.js';
import type { RobotFleet } from './robots.js';
import type { Sidewalks } from './sidewalks.js';
import { V_CHARGING, type VanFleet } from './vans.js';
import type { TourPlanner } from './van-tours.js';
import type { WindSchedule } from './wind.js';

/** What the dispatcher hands orders to, and what it plans with. */
export interface DispatchParts {
  hubs: readonly Hub[];
  orders: OrderBook;
  drones: DroneFleet;
  robots: RobotFleet;
  vans: VanFleet;
  wind: WindSchedule;
  sidewalks: Sidewalks;
  feasible: Feasibility;
  tours: TourPlanner;
  ledger: OrderLedger;
}

/** Time to charge back what `metres` used, s: energyPerKm kWh/km over chargePower kW. */
function chargeSeconds(metres: number, model: { energyPerKm: number; chargePower: number }): number {
  return ((metres / 1000) * model.energyPerKm * 3600) / model.chargePower;
}

export class Dispatcher {
  /** when the next round is due, s (checkpointed) */
  nextAt = 0;
  /** the first entry of the stop table's ranges of the vans, maxStops each, reused tour after tour */
  private readonly vanStopBase: number;

  constructor(
    private readonly spec: LogisticsSpec,
    private readonly p: DispatchParts,
    private readonly host: Pick<LogisticsHost, 'net' | 'routes' | 'enqueueTrip'>,
    private readonly emit: LogisticsEmit,
  ) {
    // each van's range of the shared stop table, reserved now and written over by each tour
    // (LogisticsHost.enqueueTrip), so that the table does not grow with the number of tours; until
    // a tour fills it, the hub's own point with no dwell (no vehicle reads a range it was not given)
    const reserve: { edge: number; pos: number; duration: number }[] = [];
    for (let k = 0; k < p.vans.count; k++) {
      const h = p.hubs[p.vans.hub[k]];
      for (let i = 0; i < spec.van.maxStops; i++) reserve.push({ edge: h.edge, pos: h.pos, duration: 0 });
    }
    this.vanStopBase = reserve.length > 0 ? host.routes.addStops(reserve) : 0;
  }

  /** Runs a round when one is due at `now`. */
  step(now: number): void {
    if (now >= this.nextAt - 1e-9) {
      this.nextAt = now + this.spec.dispatchInterval;
      this.round(now);
    }
  }

  /**
   * One dispatch round, orders in id order. Drones take orders one by one (nearest port of the
   * order's hub with an idle drone, flyable in the strongest wind forecast for the mission);
   * orders for robots and vans are collected per hub and batched: a robot takes the oldest order
   * and the nearest others it can still bring in time, a van the oldest and the nearest others up
   * to its stops and payload, in the visiting order of cheapest insertion, once its batch is full,
   * its oldest order has waited `batchWindow` or a deadline presses. An order that no mode could
   * bring in time even starting now is rejected, with the reason that stops the best mode.
   */
  private round(now: number): void {
    const { hubs, orders: o, ledger, feasible } = this.p;
    const spec = this.spec;
    const robotCands: number[][] = hubs.map(() => []);
    const vanCands: number[][] = hubs.map(() => []);
    const windNow = this.p.wind.speed(now);
    // parcels of each hub promised this round to robot and van candidates (assigned after the
    // scan): an order finds a parcel only if one is left after the older orders' claims, so a
    // round never assigns more than the hub has
    const claimed = new Int32Array(hubs.length);
    while (ledger.scanFrom < o.next && o.status[ledger.scanFrom] !== O_PENDING) ledger.scanFrom++;
    for (let id = ledger.scanFrom; id < o.next; id++) {
      if (o.status[id] !== O_PENDING) continue;
      const hub = hubs[o.hub[id]];
      if (now >= hub.close || hub.open > o.deadline[id]) {
        ledger.reject(id, 'hubClosed');
        continue;
      }
      if (now < hub.open) continue;
      if (hub.stock <= 0) {
        ledger.reject(id, 'noStock');
        continue;
      }
      // every parcel left is promised to an older candidate of this round: none for this one
      if (hub.stock - claimed[hub.index] <= 0) {
        ledger.reject(id, 'noStock');
        continue;
      }
      const f = feasible.of(id, hub);
      if (f.reason) {
        ledger.reject(id, f.reason);
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
          else best = Math.min(best, now + this.p.drones.model.plan(f.ports[0].length, o.weight[id], 0)!.toDelivery);
        } else if (mode === 'robot' && f.robotWalk >= 0) {
          const eta = now + f.robotWalk / spec.robot.speed + spec.robot.handover;
          best = Math.min(best, eta);
          if (eta <= o.deadline[id] && this.p.robots.count > 0) {
            robotCands[hub.index].push(id);
            claimed[hub.index]++;
            taken = true;
            break;
          }
        } else if (mode === 'van' && f.vanRoute >= 0) {
          const eta = now + f.vanRoute / this.p.tours.planSpeed + spec.van.dwell;
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
      if (best > o.deadline[id]) ledger.reject(id, windBlocked ? 'wind' : 'noVehicle');
    }
    for (const hub of hubs) {
      const left = this.robotRound(hub, robotCands[hub.index], now);
      // robot candidates no robot took go to the vans, if vans can bring them
      for (const id of left) if (feasible.known(id).vanRoute >= 0) vanCands[hub.index].push(id);
      vanCands[hub.index].sort((a, b) => a - b);
      this.vanRound(hub, vanCands[hub.index], now);
    }
  }

  /**
   * Launches the order from the nearest port that can fly it now: not grounded, the strongest
   * wind forecast for the mission within the port's limit and the battery, in time, a drone idle.
   * 'wind' when the wind is what stopped every port, else 'busy'.
   */
  private tryDrone(id: number, f: Feasible, now: number, windNow: number): 'launched' | 'wind' | 'busy' {
    const { orders: o, drones } = this.p;
    const model = drones.model;
    let stoppedByWind = 0;
    for (const c of f.ports) {
      const port = drones.ports[c.port];
      if (windNow > port.windLimit) {
        stoppedByWind++;
        continue;
      }
      // the mission lasts at most its plan at the port's limit; take the strongest wind in that window
      const bound = model.plan(c.length, o.weight[id], port.windLimit);
      const gust = this.p.wind.maxSpeed(now, now + (bound ? bound.total : 3600));
      const plan = model.plan(c.length, o.weight[id], gust);
      if (gust > port.windLimit || !plan || plan.energyWh > model.usableWh) {
        stoppedByWind++;
        continue;
      }
      if (now + plan.toDelivery > o.deadline[id]) continue;
      const k = drones.idleDrone(c.port);
      if (k < 0) continue;
      this.p.ledger.assign(id, M_DRONE, k, true);
      drones.launch(k, id, o.weight[id], c.path, now);
      const path: [number, number][] = [];
      for (let i = 0; i + 1 < c.path.length; i += 2) path.push([r2(c.path[i]), r2(c.path[i + 1])]);
      this.emit({ kind: 'drone.launch', time: r3(now), drone: `drone-${k}`, id: DRONE_ID_BASE + k, order: id, port: port.id, altitude: this.spec.drone.cruiseAltitude, path });
      return 'launched';
    }
    return stoppedByWind === f.ports.length ? 'wind' : 'busy';
  }

  /** Robot trips from one hub this round; returns the candidates no robot took. */
  private robotRound(hub: Hub, cands: number[], now: number): number[] {
    const { orders: o, robots } = this.p;
    const spec = this.spec.robot;
    const left = [...cands];
    while (left.length > 0) {
      const k = robots.idleRobot(hub.index, now);
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
        if (!robotInTime(o, hub, trial, now, spec) || robotTripEstimate(o, hub, trial) > robots.rangeLeft[k]) break;
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

  /**
   * Sends robot k on a trip through the batch's hand-over points and back. 'charge' when the walk
   * is longer than the robot's range left: it charges what it has used first (the batch waits);
   * 'tooManyPoints' when the walk does not fit its memory.
   */
  private startRobot(k: number, hub: Hub, batch: number[], now: number): 'started' | 'charge' | 'tooManyPoints' {
    const walk = tripWalk(
      this.p.sidewalks,
      hub,
      batch.map((id) => {
        const c = this.p.feasible.known(id).curb!;
        return { order: id, edge: c.edge, pos: c.pos };
      }),
    );
    const r = this.p.robots;
    if (walk.length > r.rangeLeft[k]) {
      r.charge(k, now + chargeSeconds(r.range - r.rangeLeft[k], this.spec.robot));
      return 'charge';
    }
    if (!r.start(k, walk.xs, walk.ys, walk.gateNode, walk.gateHeading, walk.drops)) return 'tooManyPoints';
    this.p.ledger.robotTripStarted(k, batch, r.walked[k]);
    return 'started';
  }

  /**
   * Van tours from one hub this round (candidates in id order). A tour starts from the oldest
   * candidate once enough orders wait to fill it, the oldest has waited `batchWindow`, or its
   * deadline presses; the planner picks and orders its stops. A van whose tour does not fit the
   * range left first charges what it has used (energy over charge power).
   */
  private vanRound(hub: Hub, cands: number[], now: number): void {
    const { orders: o, vans, tours, ledger } = this.p;
    const net = this.host.net;
    const spec = this.spec.van;
    const left = [...cands];
    while (left.length > 0) {
      const seed = left[0];
      const f0 = this.p.feasible.known(seed);
      const urgent = o.deadline[seed] - now < 2 * (f0.vanRoute / tours.planSpeed + spec.dwell);
      if (left.length < spec.maxStops && now - o.created[seed] < spec.batchWindow && !urgent) return;
      const k = vans.idleVan(hub.index, now);
      if (k < 0) return;
      // the tour a full battery allows; a van that has driven charges first when it does not
      // fit what it has left
      let built = tours.build(hub, tours.plan(hub, seed, left, now, spec.range));
      if (built && routeLength(net, built.edges) > vans.rangeLeft[k] && vans.rangeLeft[k] < spec.range) {
        vans.state[k] = V_CHARGING;
        vans.chargeUntil[k] = now + chargeSeconds(spec.range - vans.rangeLeft[k], spec);
        continue;
      }
      // cannot route it as one tour, or longer than a battery after all: the seed alone (a tour
      // to it alone fits a full battery: feasibility)
      if (!built || routeLength(net, built.edges) > vans.rangeLeft[k]) built = tours.build(hub, [seed]);
      if (!built || routeLength(net, built.edges) > vans.rangeLeft[k]) {
        left.shift();
        ledger.reject(seed, built ? 'range' : 'unroutable');
        continue;
      }
      // the van's previous tour has left the road (it is idle): its range of the stop table is free
      const stopFirst = this.host.enqueueTrip(tours.vanType, built.edges, built.stops, -1 - k, this.vanStopBase + k * spec.maxStops);
      vans.queued(k, built.orders, stopFirst);
      ledger.tourQueued(k, built.orders);
      for (const id of built.orders) left.splice(left.indexOf(id), 1);
    }
  }
}
