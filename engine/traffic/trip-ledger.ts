/**
 * What the traffic layer keeps per trip beside the vehicle state, for the few vehicles that
 * need it: the id the scenario gave the trip (trips.csv's tripId; SUMO's vehicle id), the
 * position before the end of the last edge where a vehicle arrives (arrivalPos), the edges a
 * vehicle drove before its route was replaced (rerouting, a control command: trips.csv's route
 * is the route driven), and the departures refused because their class has no lane on their route. Serial, outside the hot
 * loop: the phases never read it.
 */
import { F_ACTIVE, type VehicleState } from '../core/state.js';
import type { PhaseOut } from './phase-out.js';
import type { RouteTable } from './routes.js';

/** The ledger as a checkpoint holds it (absent when empty, so older checkpoints read the same). */
export interface TripLedgerState {
  tripIds: [number, string][];
  arrivals: [number, number, number][];
  refused: number;
  /** edges driven before a route was replaced, by vehicle id (absent in older checkpoints) */
  driven?: [number, number[]][];
}

const NO_EDGES: readonly number[] = [];

export class TripLedger {
  /** trip id by vehicle id, for vehicles on the road that have one */
  private readonly tripIds = new Map<number, string>();
  /** edge indices driven before the route was replaced, by vehicle id (only vehicles whose route was) */
  private readonly driven = new Map<number, number[]>();
  /** vehicles arriving before the end of their last edge: slot, id and arrival position */
  private arrSlot = new Int32Array(16);
  private arrId = new Int32Array(16);
  private arrPos = new Float64Array(16);
  private arrCount = 0;
  /** departures refused at insertion (their class has no lane on the route, or on the lane they asked for) */
  refused = 0;

  setTripId(id: number, tripId: string): void {
    this.tripIds.set(id, tripId);
  }

  tripId(id: number): string | undefined {
    return this.tripIds.get(id);
  }

  /** The vehicle left the road: its trip id is handed out one last time. */
  forget(id: number): string | undefined {
    const t = this.tripIds.get(id);
    if (t !== undefined) this.tripIds.delete(id);
    return t;
  }

  /**
   * Vehicle `id`'s route is about to be replaced by one starting on the edge it is on: the edges
   * of the old route before that one (`edges` up to index `upTo`, exclusive) were driven.
   */
  routeReplaced(id: number, edges: ArrayLike<number>, upTo: number): void {
    let d = this.driven.get(id);
    if (!d) this.driven.set(id, (d = []));
    for (let k = 0; k < upTo; k++) d.push(edges[k]);
  }

  /** The edges vehicle `id` drove before its current route (none: empty); forgotten, as it leaves. */
  takeDriven(id: number): readonly number[] {
    const d = this.driven.get(id);
    if (d === undefined) return NO_EDGES;
    this.driven.delete(id);
    return d;
  }

  /** Vehicle `id` in `slot` arrives when it reaches `pos` on the last edge of its route. */
  addArrival(slot: number, id: number, pos: number): void {
    if (this.arrCount === this.arrSlot.length) {
      const n = this.arrCount * 2;
      const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
      this.arrSlot = grow(this.arrSlot, new Int32Array(n));
      this.arrId = grow(this.arrId, new Int32Array(n));
      this.arrPos = grow(this.arrPos, new Float64Array(n));
    }
    this.arrSlot[this.arrCount] = slot;
    this.arrId[this.arrCount] = id;
    this.arrPos[this.arrCount] = pos;
    this.arrCount++;
  }

  /**
   * After the moves: the vehicles that reached their arrival position join the tick's arrivals
   * (a vehicle past the end of its lane is an arrival of the move phase already). Entries of
   * vehicles that left otherwise are dropped.
   */
  collectArrivals(s: VehicleState, routes: RouteTable, laneLength: Float64Array, out: PhaseOut): void {
    let k = 0;
    while (k < this.arrCount) {
      const slot = this.arrSlot[k];
      let drop = !(s.flags[slot] & F_ACTIVE) || s.id[slot] !== this.arrId[k];
      if (!drop) {
        const r = s.route[slot];
        const last = routes.loop[r] === 0 && s.routeIdx[slot] + 1 >= routes.length[r];
        if (last && s.pos[slot] >= this.arrPos[k]) {
          if (s.pos[slot] <= laneLength[s.lane[slot]]) out.arrivals[out.arrCount++] = slot;
          drop = true;
        }
      }
      if (drop) {
        this.arrCount--;
        this.arrSlot[k] = this.arrSlot[this.arrCount];
        this.arrId[k] = this.arrId[this.arrCount];
        this.arrPos[k] = this.arrPos[this.arrCount];
      } else k++;
    }
  }

  save(): TripLedgerState | undefined {
    if (this.tripIds.size === 0 && this.arrCount === 0 && this.refused === 0 && this.driven.size === 0) return undefined;
    const arrivals: [number, number, number][] = [];
    for (let k = 0; k < this.arrCount; k++) arrivals.push([this.arrSlot[k], this.arrId[k], this.arrPos[k]]);
    return { tripIds: [...this.tripIds], arrivals, refused: this.refused, ...(this.driven.size > 0 ? { driven: [...this.driven].map(([id, e]) => [id, [...e]] as [number, number[]]) } : {}) };
  }

  load(st: TripLedgerState | undefined): void {
    this.tripIds.clear();
    this.driven.clear();
    this.arrCount = 0;
    this.refused = st?.refused ?? 0;
    for (const [id, t] of st?.tripIds ?? []) this.tripIds.set(id, t);
    for (const [id, e] of st?.driven ?? []) this.driven.set(id, [...e]);
    for (const [slot, id, pos] of st?.arrivals ?? []) this.addArrival(slot, id, pos);
  }
}
