/**
 * The one place where an order changes hands: assigned to a vehicle, picked up, delivered,
 * given back to the dispatcher or rejected, each with the event that tells it. The fleets report
 * through it (their listeners, in system.ts) and the dispatcher assigns and rejects through it,
 * so that the status, the hub's stock, the feasibility cache and the events never disagree.
 *
 * It also keeps which orders each van tour and robot trip set out with: a trip's distance and
 * energy are shared among them when it ends, and a tour's orders are picked up when its vehicle
 * enters the road.
 */
import { r3 } from './events.js';
import type { Feasibility } from './feasibility.js';
import type { LogisticsEmit, LogisticsHost } from './host.js';
import type { Hub } from './hubs.js';
import { M_ROBOT, M_VAN, O_ASSIGNED, O_DELIVERED, O_EN_ROUTE, O_PENDING, O_REJECTED, modeNames, reasonCode, type ModeName, type OrderBook, type RejectReason } from './orders.js';

export class OrderLedger {
  /**
   * The first order that may still be pending (all before it are settled or assigned): where
   * the dispatcher's scan starts. An order given back moves it back.
   */
  scanFrom = 0;
  /** per van and per robot: the orders of its current tour or trip */
  readonly tourOrders: number[][];
  readonly robotOrders: number[][];
  /** a robot's walked total when its trip began */
  readonly robotTripStart: Float64Array;

  constructor(
    private readonly orders: OrderBook,
    private readonly hubs: readonly Hub[],
    private readonly feasible: Feasibility,
    private readonly clock: Pick<LogisticsHost, 'time'>,
    private readonly emit: LogisticsEmit,
    vans: number,
    robots: number,
  ) {
    this.tourOrders = Array.from({ length: vans }, () => []);
    this.robotOrders = Array.from({ length: robots }, () => []);
    this.robotTripStart = new Float64Array(robots);
  }

  deliver(order: number, time: number): void {
    const o = this.orders;
    o.status[order] = O_DELIVERED;
    o.delivered[order] = time;
    // settled for good: its feasibility is never looked at again
    this.feasible.drop(order);
    const dtime = time - o.created[order];
    this.emit({
      kind: 'order.delivered',
      time: r3(time),
      order,
      mode: modeNames[o.mode[order]] as ModeName,
      vehicle: o.vehicleName(order),
      deliveryTime: r3(dtime),
      onTime: time <= o.deadline[order] + 1e-9,
    });
  }

  reject(order: number, reason: RejectReason): void {
    const o = this.orders;
    o.status[order] = O_REJECTED;
    o.reason[order] = reasonCode(reason);
    this.feasible.drop(order);
    this.emit({ kind: 'order.rejected', time: r3(this.clock.time), order, hub: this.hubs[o.hub[order]].id, reason });
  }

  /** An assigned order that its vehicle could not take after all: back to the dispatcher, parcel back in stock. */
  giveBack(order: number, reason: 'missedStop' | 'grounded'): void {
    const o = this.orders;
    this.emit({ kind: 'order.returned', time: r3(this.clock.time), order, vehicle: o.vehicleName(order), reason });
    o.status[order] = O_PENDING;
    o.vehicle[order] = -1;
    // it was not carried after all: no pick-up, no share of that trip
    o.pickedUp[order] = NaN;
    o.distance[order] = 0;
    o.energy[order] = 0;
    this.hubs[o.hub[order]].stock++;
    if (order < this.scanFrom) this.scanFrom = order;
  }

  /** Gives an order to vehicle `vehicle` of `mode`, its parcel out of the hub's stock; `enRoute` when it leaves with it now. */
  assign(order: number, mode: number, vehicle: number, enRoute: boolean): void {
    const o = this.orders;
    const now = this.clock.time;
    o.status[order] = enRoute ? O_EN_ROUTE : O_ASSIGNED;
    o.mode[order] = mode;
    o.vehicle[order] = vehicle;
    o.assigned[order] = now;
    if (enRoute) o.pickedUp[order] = now;
    const hub = this.hubs[o.hub[order]];
    // the scan's claims keep every assignment within the stock (a test holds it)
    if (!(hub.stock > 0)) throw new Error(`logistics: order ${order} assigned from hub ${hub.id} with no parcel left`);
    hub.stock--;
    this.emit({ kind: 'order.assigned', time: r3(now), order, hub: hub.id, mode: modeNames[mode] as ModeName, vehicle: o.vehicleName(order) });
  }

  /** Van k's tour is queued for the road with these orders, in stop order. */
  tourQueued(k: number, orders: readonly number[]): void {
    for (const id of orders) this.assign(id, M_VAN, k, false);
    this.tourOrders[k].push(...orders);
  }

  /** Van k's vehicle entered the road: its orders are picked up now. */
  tourOnRoad(k: number): void {
    for (const o of this.tourOrders[k]) {
      this.orders.status[o] = O_EN_ROUTE;
      this.orders.pickedUp[o] = this.clock.time;
    }
  }

  tourEnded(k: number, distance: number, kwhPerKm: number): void {
    this.shareTrip(this.tourOrders[k], M_VAN, k, distance, kwhPerKm);
    this.tourOrders[k].length = 0;
  }

  /** Robot k sets out with these orders, having walked `walked` m before. */
  robotTripStarted(k: number, batch: readonly number[], walked: number): void {
    this.robotTripStart[k] = walked;
    for (const id of batch) this.assign(id, M_ROBOT, k, true);
    this.robotOrders[k].push(...batch);
  }

  /** Robot k is back at its hub, having walked `walked` m in all. */
  robotReturned(k: number, walked: number, kwhPerKm: number): void {
    const list = this.robotOrders[k];
    this.shareTrip(list, M_ROBOT, k, walked - this.robotTripStart[k], kwhPerKm);
    list.length = 0;
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
}
