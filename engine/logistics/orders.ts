/**
 * The orders of a run, as typed arrays indexed by order id. All orders are drawn when the run
 * starts (seeded Poisson per area, `stream(seed, 'logistics/orders/<area>')`, plus the listed
 * ones), sorted by (created, source, sequence) and numbered in that order; an order exists for
 * the dispatcher from its `created` time on.
 *
 * Every order ends in exactly one of: delivered, rejected (with a reason) or open (pending,
 * assigned or on its way) at the end of the run.
 */
import type { LogisticsSpec, OrderAreaSpec } from '../spec/schema-logistics.js';
import { stream } from '../core/rng.js';
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { readArrays, sameCount, writeArrays } from './persist.js';

export const O_FUTURE = 0;
export const O_PENDING = 1;
export const O_ASSIGNED = 2;
export const O_EN_ROUTE = 3;
export const O_DELIVERED = 4;
export const O_REJECTED = 5;
export const orderStatusNames = ['future', 'pending', 'assigned', 'enRoute', 'delivered', 'rejected'] as const;

export const M_NONE = 0;
export const M_DRONE = 1;
export const M_ROBOT = 2;
export const M_VAN = 3;
export const modeNames = ['', 'drone', 'robot', 'van'] as const;
export type ModeName = 'drone' | 'robot' | 'van';

export const REJECT_REASONS = ['', 'weight', 'range', 'noFly', 'wind', 'hubClosed', 'noStock', 'noVehicle', 'unroutable', 'vehicleRemoved'] as const;
export type RejectReason = Exclude<(typeof REJECT_REASONS)[number], ''>;
export const reasonCode = (r: RejectReason): number => REJECT_REASONS.indexOf(r);

interface Drawn {
  created: number;
  source: number;
  seq: number;
  hub: number;
  x: number;
  y: number;
  weight: number;
  deadline: number;
}

export interface HubPoint {
  x: number;
  y: number;
}

export class OrderBook {
  readonly count: number;
  readonly created: Float64Array;
  readonly hub: Int32Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly weight: Float64Array;
  readonly deadline: Float64Array;
  readonly status: Uint8Array;
  readonly mode: Uint8Array;
  readonly vehicle: Int32Array;
  readonly reason: Uint8Array;
  readonly assigned: Float64Array;
  readonly pickedUp: Float64Array;
  readonly delivered: Float64Array;
  /** the distance and energy of the trip that carried it (a tour's shared among its orders), m and kWh */
  readonly distance: Float64Array;
  readonly energy: Float64Array;
  /** the next order not yet created */
  next = 0;

  constructor(spec: LogisticsSpec, hubIndex: Map<string, number>, hubs: readonly HubPoint[], seed: number, duration: number) {
    const all: Drawn[] = [];
    spec.orders.list.forEach((o, seq) => {
      if (o.created < duration) all.push({ created: o.created, source: -1, seq, hub: hubIndex.get(o.hub)!, x: o.x, y: o.y, weight: o.weight, deadline: o.deadline });
    });
    spec.orders.areas.forEach((a, i) => drawArea(a, i, seed, duration, hubIndex, hubs, all));
    all.sort((a, b) => a.created - b.created || a.source - b.source || a.seq - b.seq);
    const n = (this.count = all.length);
    const f = () => new Float64Array(n);
    this.created = Float64Array.from(all.map((o) => o.created));
    this.hub = Int32Array.from(all.map((o) => o.hub));
    this.x = Float64Array.from(all.map((o) => o.x));
    this.y = Float64Array.from(all.map((o) => o.y));
    this.weight = Float64Array.from(all.map((o) => o.weight));
    this.deadline = Float64Array.from(all.map((o) => o.deadline));
    this.status = new Uint8Array(n);
    this.mode = new Uint8Array(n);
    this.vehicle = new Int32Array(n).fill(-1);
    this.reason = new Uint8Array(n);
    this.assigned = f().fill(NaN);
    this.pickedUp = f().fill(NaN);
    this.delivered = f().fill(NaN);
    this.distance = f();
    this.energy = f();
  }

  /** Makes the orders created at or before `time` pending; returns how many. */
  release(time: number): number {
    let k = 0;
    while (this.next < this.count && this.created[this.next] <= time + 1e-9) {
      this.status[this.next++] = O_PENDING;
      k++;
    }
    return k;
  }

  /** What a dispatch changes, per order (the drawn orders themselves come from the scenario and seed). */
  private mutable(): Record<string, Float64Array | Int32Array | Uint8Array> {
    const { status, mode, vehicle, reason, assigned, pickedUp, delivered, distance, energy } = this;
    return { status, mode, vehicle, reason, assigned, pickedUp, delivered, distance, energy };
  }

  /** Checkpoints: the orders created so far (those after them are still as drawn). */
  snapshot(w: SnapshotWriter): void {
    w.json('orders.meta', { count: this.count, next: this.next });
    writeArrays(w, 'orders', this.mutable(), this.next);
  }

  restore(r: SnapshotReader): void {
    const m = r.json<{ count: number; next: number }>('orders.meta');
    sameCount('orders', m.count, this.count);
    this.next = m.next;
    readArrays(r, 'orders', this.mutable(), m.next);
  }

  /** The vehicle an order was given to, as the events and orders.csv name it (e.g. van-3). */
  vehicleName(order: number): string {
    return `${modeNames[this.mode[order]]}-${this.vehicle[order]}`;
  }

  /** Counts by status of the orders created so far: [pending, assigned, enRoute, delivered, rejected]. */
  tally(): { orders: number; delivered: number; rejected: number; open: number } {
    let delivered = 0;
    let rejected = 0;
    for (let i = 0; i < this.next; i++) {
      if (this.status[i] === O_DELIVERED) delivered++;
      else if (this.status[i] === O_REJECTED) rejected++;
    }
    return { orders: this.next, delivered, rejected, open: this.next - delivered - rejected };
  }
}

/**
 * The expected number of orders of a run of `duration` s: the listed ones created before its end,
 * plus each area's rate times the hours it is open, weighted by its time-of-day profile (the
 * profile's factor holds from its point on; before the first point the first factor holds).
 */
export function expectedOrders(spec: LogisticsSpec, duration: number): number {
  let n = spec.orders.list.filter((o) => o.created < duration).length;
  for (const a of spec.orders.areas) {
    const end = Math.min(a.end ?? duration, duration);
    if (end <= a.begin) continue;
    const profile = [...(a.profile ?? [])].sort((p, q) => p.at - q.at);
    if (profile.length === 0) {
      n += (a.rate * (end - a.begin)) / 3600;
      continue;
    }
    // piecewise constant: integrate the factor over [begin, end)
    const cuts = [a.begin, ...profile.map((p) => p.at).filter((t) => t > a.begin && t < end), end];
    for (let i = 0; i + 1 < cuts.length; i++) {
      let f = profile[0].factor;
      for (const p of profile) if (p.at <= cuts[i]) f = p.factor;
      n += (a.rate * f * (cuts[i + 1] - cuts[i])) / 3600;
    }
  }
  return n;
}

/**
 * Poisson arrivals over [begin, end) at `rate`·factor(t) per hour by thinning: candidates at the
 * highest rate, each kept with probability factor(t) / highest factor. Every draw comes from the
 * area's own stream in a fixed order, so an area's orders do not depend on any other's.
 */
function drawArea(a: OrderAreaSpec, index: number, seed: number, duration: number, hubIndex: Map<string, number>, hubs: readonly HubPoint[], out: Drawn[]): void {
  const rng = stream(seed, `logistics/orders/${index}`);
  const profile = [...(a.profile ?? [])].sort((p, q) => p.at - q.at);
  const factorAt = (t: number): number => {
    let f = profile.length > 0 ? profile[0].factor : 1;
    for (const p of profile) if (p.at <= t) f = p.factor;
    return f;
  };
  const top = profile.length > 0 ? Math.max(...profile.map((p) => p.factor)) : 1;
  if (top <= 0) return;
  const end = Math.min(a.end ?? duration, duration);
  const meanGap = 3600 / (a.rate * top);
  let t = a.begin;
  let seq = 0;
  for (;;) {
    t += -Math.log(1 - rng()) * meanGap;
    if (t >= end) return;
    const keep = rng() < factorAt(t) / top;
    const r = a.radius * Math.sqrt(rng());
    const th = 2 * Math.PI * rng();
    const weight = a.weight.min + (a.weight.max - a.weight.min) * rng();
    if (!keep) continue;
    const x = a.x + r * Math.cos(th);
    const y = a.y + r * Math.sin(th);
    out.push({ created: t, source: index, seq: seq++, hub: a.hub !== undefined ? hubIndex.get(a.hub)! : nearest(hubs, x, y), x, y, weight, deadline: t + a.deadline });
  }
}

function nearest(hubs: readonly HubPoint[], x: number, y: number): number {
  let best = 0;
  let bd = Infinity;
  hubs.forEach((h, i) => {
    const d = Math.hypot(h.x - x, h.y - y);
    if (d < bd) {
      bd = d;
      best = i;
    }
  });
  return best;
}
