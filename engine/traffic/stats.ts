/**
 * Statistics over the vehicles on the road: the per-second sample (timeseries.csv) and the
 * run's sums of distance and emissions. Sums run in a fixed order (lane order for the sample,
 * vehicle id for the totals), so they come out the same bits for any number of threads.
 */
import type { LaneOrder } from '../core/order.js';
import type { VehicleState } from '../core/state.js';
import type { SecondSample } from './events.js';
import { HALT_SPEED } from './kinematics.js';
import { sortSlotsById } from './sort-by-id.js';
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
 * lanes), several times in a tick at step 1 s. The lane order changes nearly every tick (a lane
 * crossed, a lane change), but the set of vehicles on the road changes only where one enters or
 * leaves, so the list is brought up to date rather than sorted again: the vehicles of the last list
 * still on the road keep their places, the few new ones are sorted and merged in. Two passes over
 * the fleet and no allocation once the buffers have grown to it (a sort of the whole fleet every
 * tick cost 2.4 % of Pasubio's step-1 loop). Ids are unique among the vehicles on the road, so
 * the order is the one a sort by id gives.
 */
export class IdOrder {
  /** the list: slots by id, and each one's id when it was listed (a slot freed and taken again has another) */
  private slots = new Int32Array(1024);
  private ids = new Int32Array(1024);
  private count = 0;
  /** the list being built (swapped with slots/ids) */
  private nextSlots = new Int32Array(1024);
  private nextIds = new Int32Array(1024);
  /** the vehicles that entered since the last list, sorted before the merge */
  private fresh = new Int32Array(64);
  /** per slot: the stamp of the call that saw it in the lane order (`stamp`) or kept it from the last list (`stamp + 1`) */
  private seen = new Int32Array(1024);
  private stamp = 0;
  private version = -1;
  private view = this.slots.subarray(0, 0);

  /** The slots in id order (a view, valid until the lane order changes). */
  of(s: VehicleState, order: LaneOrder): Int32Array {
    const n = order.count;
    if (order.version === this.version && n === this.view.length) return this.view;
    this.ensure(s.capacity, n);
    if (this.stamp > 0x3ffffff0) {
      this.seen.fill(0);
      this.stamp = 0;
    }
    const mark = (this.stamp += 2);
    const kept = mark + 1;
    const seen = this.seen;
    const idOf = s.id;
    const laneOrder = s.order;
    for (let k = 0; k < n; k++) seen[laneOrder[k]] = mark;
    // the last list's vehicles still on the road, in their order, compacted in place
    const slots = this.slots;
    const ids = this.ids;
    let m = 0;
    for (let j = 0; j < this.count; j++) {
      const slot = slots[j];
      if (seen[slot] !== mark || idOf[slot] !== ids[j]) continue;
      seen[slot] = kept;
      slots[m] = slot;
      ids[m++] = ids[j];
    }
    // the vehicles that entered since, sorted by id
    let f = 0;
    if (m < n) {
      if (this.fresh.length < n - m) this.fresh = new Int32Array(Math.max(n - m, 2 * this.fresh.length));
      const fresh = this.fresh;
      for (let k = 0; k < n; k++) {
        const slot = laneOrder[k];
        if (seen[slot] === mark) fresh[f++] = slot;
      }
      sortSlotsById(fresh, f, idOf);
    }
    if (f === 0) this.count = m;
    else {
      // merge (ids are unique: no ties)
      const outSlots = this.nextSlots;
      const outIds = this.nextIds;
      const fresh = this.fresh;
      let a = 0;
      let b = 0;
      let o = 0;
      while (a < m && b < f) {
        const fs = fresh[b];
        const fid = idOf[fs];
        if (ids[a] < fid) {
          outSlots[o] = slots[a];
          outIds[o++] = ids[a++];
        } else {
          outSlots[o] = fs;
          outIds[o++] = fid;
          b++;
        }
      }
      for (; a < m; a++, o++) {
        outSlots[o] = slots[a];
        outIds[o] = ids[a];
      }
      for (; b < f; b++, o++) {
        outSlots[o] = fresh[b];
        outIds[o] = idOf[fresh[b]];
      }
      this.nextSlots = slots;
      this.nextIds = ids;
      this.slots = outSlots;
      this.ids = outIds;
      this.count = o;
    }
    this.version = order.version;
    this.view = this.slots.subarray(0, this.count);
    return this.view;
  }

  /** Buffers for `n` vehicles in slots below `capacity` (what is listed is kept). */
  private ensure(capacity: number, n: number): void {
    if (this.seen.length < capacity) this.seen = new Int32Array(Math.max(capacity, 2 * this.seen.length));
    if (this.slots.length >= n) return;
    const size = Math.max(n, 2 * this.slots.length);
    const grow = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a.subarray(0, this.count));
      return b;
    };
    this.slots = grow(this.slots);
    this.ids = grow(this.ids);
    this.nextSlots = new Int32Array(size);
    this.nextIds = new Int32Array(size);
  }
}

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
