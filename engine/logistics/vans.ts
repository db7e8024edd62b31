/**
 * Unmanned delivery vans (docs/logistics.md: Neolix-class, up to 40 km/h, ~100 km range, ~500 kg):
 * road vehicles of the scenario's van type that the traffic engine drives like any other — IDM,
 * MOBIL, signals, insertion — on a route from their hub's edge through a curb stop per order and
 * back to it. A stop is a dwell of the route (decide-full.ts): the van halts in its lane, blocking it
 * where the road has no bay, which is part of its effect on traffic.
 *
 * This fleet only watches: each tick it reads, for each van on the road, whether it is dwelling
 * and which stop it is at (stopIdx); a stop passed after a dwell there is a hand-over, a stop
 * passed without one (missed) gives the order back to the dispatcher.
 */
import { F_ACTIVE, F_DWELL, type VehicleState } from '../core/state.js';
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { readArrays, sameCount, writeArrays } from './persist.js';

export const V_IDLE = 0;
export const V_QUEUED = 1;
export const V_DRIVING = 2;
export const V_CHARGING = 3;

export interface VanListener {
  delivered(van: number, order: number, time: number): void;
  /** a stop passed without a hand-over: the order goes back to the dispatcher */
  missed(van: number, order: number): void;
  /** the tour is over (the van is back at its hub, or was removed from the road) */
  ended(van: number, time: number, distance: number, removed: boolean): void;
}

export class VanFleet {
  readonly count: number;
  readonly hub: Int32Array;
  readonly state: Uint8Array;
  readonly vehicleId: Int32Array;
  readonly slot: Int32Array;
  /** index of the tour's first stop in the route table, and its number of stops */
  readonly stopFirst: Int32Array;
  readonly stops: Int32Array;
  /** stops settled so far (handed over or missed) */
  readonly settled: Int32Array;
  /** the stop index the van was last seen dwelling at (−1: none) */
  readonly dwellAt: Int32Array;
  /** orders of the tour, in stop order: maxStops per van */
  readonly tour: Int32Array;
  readonly rangeLeft: Float64Array;
  readonly driven: Float64Array;
  readonly busy: Float64Array;
  readonly chargeUntil: Float64Array;
  private readonly byVehicle = new Map<number, number>();

  constructor(
    hubs: { vans: number }[],
    readonly maxStops: number,
    readonly range: number,
  ) {
    const owners: number[] = [];
    hubs.forEach((h, i) => {
      for (let k = 0; k < h.vans; k++) owners.push(i);
    });
    const n = (this.count = owners.length);
    this.hub = Int32Array.from(owners);
    this.state = new Uint8Array(n);
    this.vehicleId = new Int32Array(n).fill(-1);
    this.slot = new Int32Array(n).fill(-1);
    this.stopFirst = new Int32Array(n);
    this.stops = new Int32Array(n);
    this.settled = new Int32Array(n);
    this.dwellAt = new Int32Array(n).fill(-1);
    this.tour = new Int32Array(n * maxStops).fill(-1);
    this.rangeLeft = new Float64Array(n).fill(range);
    this.driven = new Float64Array(n);
    this.busy = new Float64Array(n);
    this.chargeUntil = new Float64Array(n);
  }

  idleVan(hub: number, time: number): number {
    for (let k = 0; k < this.count; k++) {
      if (this.hub[k] !== hub) continue;
      if (this.state[k] === V_CHARGING && time >= this.chargeUntil[k]) {
        this.state[k] = V_IDLE;
        this.rangeLeft[k] = this.range;
      }
      if (this.state[k] === V_IDLE) return k;
    }
    return -1;
  }

  /** Records a tour handed to the road (queued for insertion): its orders in stop order. */
  queued(k: number, orders: readonly number[], stopFirst: number): void {
    this.state[k] = V_QUEUED;
    this.stopFirst[k] = stopFirst;
    this.stops[k] = orders.length;
    this.settled[k] = 0;
    this.dwellAt[k] = -1;
    for (let i = 0; i < orders.length; i++) this.tour[k * this.maxStops + i] = orders[i];
  }

  /** The van's vehicle entered the road in `slot`. */
  inserted(k: number, slot: number, s: VehicleState): void {
    this.state[k] = V_DRIVING;
    this.slot[k] = slot;
    this.vehicleId[k] = s.id[slot];
    this.byVehicle.set(s.id[slot], k);
  }

  /** The van of a vehicle id, or −1 (only for vehicles that left the road: not per tick). */
  vanOf(vehicleId: number): number {
    return this.byVehicle.get(vehicleId) ?? -1;
  }

  /** Reads the dwell state of every van on the road (after the move phase). */
  observe(s: VehicleState, time: number, dt: number, listener: VanListener): void {
    for (let k = 0; k < this.count; k++) {
      const st = this.state[k];
      if (st === V_IDLE) continue;
      this.busy[k] += dt;
      if (st !== V_DRIVING) continue;
      const i = this.slot[k];
      if (!(s.flags[i] & F_ACTIVE) || s.id[i] !== this.vehicleId[k]) continue;
      if (s.flags[i] & F_DWELL) this.dwellAt[k] = s.stopIdx[i];
      this.settle(k, s.stopIdx[i], time, listener);
    }
  }

  private settle(k: number, stopIdx: number, time: number, listener: VanListener): void {
    while (this.settled[k] < this.stops[k] && stopIdx > this.stopFirst[k] + this.settled[k]) {
      const order = this.tour[k * this.maxStops + this.settled[k]];
      if (this.dwellAt[k] === this.stopFirst[k] + this.settled[k]) listener.delivered(k, order, time);
      else listener.missed(k, order);
      this.settled[k]++;
    }
  }

  /**
   * The vehicle of van k left the road (arrived at the end of its route, or removed). Called just
   * before the host publishes its arrive/remove event, before the slot is released. Stops not
   * handed over are missed (arrival) or lost with the van (removal: the caller rejects them).
   */
  left(k: number, s: VehicleState, time: number, removed: boolean, listener: VanListener): number[] {
    const i = this.slot[k];
    if (!removed) this.settle(k, s.stopIdx[i], time, listener);
    const rest: number[] = [];
    for (let q = this.settled[k]; q < this.stops[k]; q++) rest.push(this.tour[k * this.maxStops + q]);
    if (!removed) for (const o of rest) listener.missed(k, o);
    this.settled[k] = this.stops[k];
    const distance = s.dist[i];
    this.driven[k] += distance;
    this.rangeLeft[k] -= distance;
    this.byVehicle.delete(this.vehicleId[k]);
    this.state[k] = V_IDLE;
    this.slot[k] = -1;
    this.vehicleId[k] = -1;
    listener.ended(k, time, distance, removed);
    return removed ? rest : [];
  }

  /** Every per-van array that changes during a run. */
  private mutable(): Record<string, Float64Array | Int32Array | Uint8Array> {
    const { state, vehicleId, slot, stopFirst, stops, settled, dwellAt, tour, rangeLeft, driven, busy, chargeUntil } = this;
    return { state, vehicleId, slot, stopFirst, stops, settled, dwellAt, tour, rangeLeft, driven, busy, chargeUntil };
  }

  /** Checkpoints: every van's tour and totals; the lookup by vehicle id is rebuilt from them. */
  snapshot(w: SnapshotWriter): void {
    w.json('vans.meta', { count: this.count, maxStops: this.maxStops });
    writeArrays(w, 'vans', this.mutable());
  }

  restore(r: SnapshotReader): void {
    const m = r.json<{ count: number; maxStops: number }>('vans.meta');
    sameCount('vans', m.count, this.count);
    sameCount('stops per van', m.maxStops, this.maxStops);
    readArrays(r, 'vans', this.mutable());
    // a van's vehicle is on the road (queued tours have none yet) exactly while its id is set
    this.byVehicle.clear();
    for (let k = 0; k < this.count; k++) if (this.vehicleId[k] >= 0) this.byVehicle.set(this.vehicleId[k], k);
  }

  out(): number {
    let n = 0;
    for (let k = 0; k < this.count; k++) if (this.state[k] === V_QUEUED || this.state[k] === V_DRIVING) n++;
    return n;
  }
}
