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

/** The slots of the vehicles on the road, in vehicle id order. */
export function activeSlotsById(s: VehicleState, order: LaneOrder): number[] {
  const slots: number[] = [];
  for (let k = 0; k < order.count; k++) slots.push(s.order[k]);
  return slots.sort((a, b) => s.id[a] - s.id[b]);
}

/** Distance driven by all vehicles so far: finished ones, then those on the road in id order. */
export function totalDistance(s: VehicleState, order: LaneOrder, totals: TrafficTotals): number {
  let d = totals.finishedDistance;
  for (const i of activeSlotsById(s, order)) d += s.dist[i];
  return d;
}

/** Fuel (mL) and CO₂ (g) of every vehicle so far: finished ones, then those on the road in id order. */
export function totalEmissions(s: VehicleState, order: LaneOrder, totals: TrafficTotals): { fuelMl: number; co2g: number } {
  let fuelMl = totals.fuelMl;
  let co2g = totals.co2g;
  for (const i of activeSlotsById(s, order)) {
    fuelMl += s.fuel[i];
    co2g += s.co2[i];
  }
  return { fuelMl, co2g };
}
