/**
 * Statistics over the vehicles on the road: the per-second sample (timeseries.csv) and the
 * run's sums of distance and emissions. Sums run in a fixed order (lane order for the sample,
 * vehicle id for the totals), so they come out the same bits for any number of threads.
 */
import type { LaneOrder } from '../core/order.js';
import type { VehicleState } from '../core/state.js';
import type { SecondSample } from './events.js';
import { HALT_SPEED } from './kinematics.js';
import type { TrafficTotals } from './totals.js';

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Statistics of the vehicles on the network now (in lane order: a fixed summation order). */
export function sampleSecond(s: VehicleState, order: LaneOrder, totals: TrafficTotals, time: number): SecondSample {
  const n = order.count;
  let sum = 0;
  let min = Infinity;
  let max = 0;
  let stopped = 0;
  for (let k = 0; k < n; k++) {
    const v = s.speed[s.order[k]];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v < HALT_SPEED) stopped++;
  }
  return {
    time: round(time),
    active: n,
    inserted: totals.inserted,
    arrived: totals.arrived,
    meanSpeed: n > 0 ? round(sum / n) : 0,
    minSpeed: n > 0 ? round(min) : 0,
    maxSpeed: n > 0 ? round(max) : 0,
    stopped,
  };
}

/**
 * The slots of the vehicles on the road in vehicle id order, kept between calls: the statistics,
 * the trace, the state hash and V2X all walk the vehicles in id order (a fixed order whatever the
 * lanes), several times in a tick at step 1 s. The order is rebuilt once per tick at most, by a
 * native numeric sort of packed keys (id · 2²⁴ + slot, exact in a double for ids below 2²⁹), with
 * no per-call allocation once the buffers have grown to the fleet.
 */
export class IdOrder {
  private keys = new Float64Array(1024);
  private slots = new Int32Array(1024);
  private version = -1;
  private count = -1;

  /** The slots in id order (a view, valid until the lane order changes). */
  of(s: VehicleState, order: LaneOrder): Int32Array {
    const n = order.count;
    if (order.version === this.version && n === this.count) return this.slots.subarray(0, n);
    if (s.capacity > SLOT_SPAN) return this.sortedByComparison(s, order);
    if (this.keys.length < n) {
      const size = Math.max(n, this.keys.length * 2);
      this.keys = new Float64Array(size);
      this.slots = new Int32Array(size);
    }
    const keys = this.keys.subarray(0, n);
    for (let k = 0; k < n; k++) {
      const slot = s.order[k];
      keys[k] = s.id[slot] * SLOT_SPAN + slot;
    }
    keys.sort();
    for (let k = 0; k < n; k++) {
      // ids beyond 2²⁹ would lose the slot in the double's mantissa: sort those the slow way
      if (keys[k] >= MAX_KEY) return this.sortedByComparison(s, order);
      this.slots[k] = keys[k] % SLOT_SPAN;
    }
    this.version = order.version;
    this.count = n;
    return this.slots.subarray(0, n);
  }

  private sortedByComparison(s: VehicleState, order: LaneOrder): Int32Array {
    const n = order.count;
    const slots = Int32Array.from(s.order.subarray(0, n)).sort((a, b) => s.id[a] - s.id[b]);
    this.version = -1;
    return slots;
  }
}

/** Slots are below 2²⁴ (the state's capacity limit is far lower), so id · 2²⁴ + slot is unique and sorts by id. */
const SLOT_SPAN = 2 ** 24;
const MAX_KEY = 2 ** 53;

/** Distance driven by all vehicles so far: finished ones, then those on the road in id order. */
export function totalDistance(s: VehicleState, byId: ArrayLike<number>, totals: TrafficTotals): number {
  let d = totals.finishedDistance;
  for (let k = 0; k < byId.length; k++) d += s.dist[byId[k]];
  return d;
}

/** Fuel (mL) and CO₂ (g) of every vehicle so far: finished ones, then those on the road in id order. */
export function totalEmissions(s: VehicleState, byId: ArrayLike<number>, totals: TrafficTotals): { fuelMl: number; co2g: number } {
  let fuelMl = totals.fuelMl;
  let co2g = totals.co2g;
  for (let k = 0; k < byId.length; k++) {
    const i = byId[k];
    fuelMl += s.fuel[i];
    co2g += s.co2[i];
  }
  return { fuelMl, co2g };
}
