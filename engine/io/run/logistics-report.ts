/**
 * The logistics' part of the run directory: the `logistics` block of metrics.json and
 * orders.csv, built from the state of the logistics at the end of the run (or at any time: a
 * resumed run writes the same). Formatting lives here, with the writers; the simulation only
 * keeps the figures.
 */
import { csvCell } from '../../core/csv.js';
import type { LogisticsSystem } from '../../logistics/index.js';
import { r3 } from '../../logistics/events.js';
import { O_DELIVERED, O_PENDING, O_REJECTED, REJECT_REASONS, modeNames, type ModeName } from '../../logistics/orders.js';

/** The columns of orders.csv (ordersCsv). */
export const ORDERS_CSV_HEADER = 'id,created,mode,vehicle,assigned,pickedUp,delivered,deadline,onTime,distance,energy,status,reason,hub,x,y,weight,deliveryTime';

const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);

/** The `logistics` block of metrics.json (contract: "Metrics of the later parts"), at simulated time `simTime`. */
export function logisticsMetrics(lg: LogisticsSystem, simTime: number): object {
  const o = lg.orders;
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
  const util = (busy: Float64Array) => (busy.length > 0 && simTime > 0 ? r3(busy.reduce((a, b) => a + b, 0) / (busy.length * simTime)) : null);
  const d = lg.drones;
  const vanMetres = sum(lg.vans.driven) + lg.vansOnRoadDistance();
  const robotMetres = sum(lg.robots.walked);
  const spec = lg.spec;
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
      van: { ...byMode.van, km: r3(vanMetres / 1000), energyKWh: r3((vanMetres / 1000) * spec.van.energyPerKm), fleet: lg.vans.count, utilisation: util(lg.vans.busy) },
      robot: { ...byMode.robot, km: r3(robotMetres / 1000), energyKWh: r3((robotMetres / 1000) * spec.robot.energyPerKm), fleet: lg.robots.count, utilisation: util(lg.robots.busy) },
      drone: { ...byMode.drone, km: r3(sum(d.flown) / 1000), energyKWh: r3(sum(d.energyUsed) / 1000), fleet: d.count, utilisation: util(d.busy) },
    },
    drones: {
      ports: d.ports.length,
      maxAltitude: r3(d.maxAltitude),
      minBatteryWh: r3(d.minBattery),
      maxPadShare: r3(d.maxPadShare),
    },
    robotWaitingAtCrossings: r3(sum(lg.robots.waited)),
  };
}

/**
 * Header and one row per order of orders.csv: the columns first (id, created, mode,
 * vehicle, assigned, pickedUp, delivered, deadline, onTime, distance, energy), then status,
 * reason, hub, x, y, weight and deliveryTime. Times in s (empty when it has not happened),
 * distance in m and energy in kWh of the trip that carried the order (a shared tour's or robot
 * trip's split evenly among its orders, filled when the trip ends; a drone's as flown there and
 * back, detours and the wind it met included, filled when it lands).
 */
export function ordersCsv(lg: LogisticsSystem): string {
  const o = lg.orders;
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
        o.mode[i] && o.vehicle[i] >= 0 ? o.vehicleName(i) : '',
        n(o.assigned[i]),
        n(o.pickedUp[i]),
        delivered ? n(o.delivered[i]) : '',
        n(o.deadline[i]),
        delivered ? (o.delivered[i] <= o.deadline[i] + 1e-9 ? 'true' : 'false') : '',
        n(o.distance[i]),
        String(Math.round(o.energy[i] * 1e6) / 1e6),
        status,
        REJECT_REASONS[o.reason[i]],
        lg.hubs[o.hub[i]].id,
        n(o.x[i]),
        n(o.y[i]),
        n(o.weight[i]),
        delivered ? n(o.delivered[i] - o.created[i]) : '',
      ].map(csvCell).join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
