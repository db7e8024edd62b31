/**
 * Where a departure enters and where it arrives (SUMO's departLane, departPos, arrivalPos),
 * resolved when the departure is made, from the scenario's fields, the first and last edge of
 * its route and the vehicle's class. Random choices are counter-based draws of (seed, demand
 * entry, the vehicle's number in the entry), so a vehicle gets the same in every run.
 *
 * Defaults (best lane, base position, arrival at the end) leave the departure without the
 * fields: insertion then does exactly what it always did.
 */
import type { TripSpec } from '../spec/schema.js';
import type { Network } from '../road/network.js';
import { PURPOSE_ARRIVAL_POS, PURPOSE_DEPART_LANE, PURPOSE_DEPART_POS, rand } from '../core/rng.js';

export type PlacementSpec = Pick<TripSpec, 'departLane' | 'departPos' | 'arrivalPos'>;

/** A departure's place, as its fields (demand.ts's Departure has them; absent: the default). */
export interface DeparturePlace {
  /** departLane resolved to a lane index of the first edge (first, random, an index), or free */
  lane?: number | 'free';
  /** departPos resolved: the front bumper's position on the first edge, m, or free */
  pos?: number | 'free';
  /** arrivalPos resolved: the position on the last edge where the vehicle arrives, m */
  arrivalPos?: number;
}

/** Writes the place of departure k of demand entry `entry` into `d` (only what is not the default). */
export function placeDeparture(d: DeparturePlace, route: ArrayLike<number>, spec: PlacementSpec, net: Network, bit: number, seed: number, entry: number, k: number): void {
  const first = route[0];
  const last = route[route.length - 1];
  const n = net.edgeLanes[first];
  const lane0 = net.edgeFirstLane[first];
  const dl = spec.departLane;
  if (dl === 'first') {
    // the rightmost lane the class may use (refused at insertion when there is none)
    let l = 0;
    while (l < n && !(net.laneAllow[lane0 + l] & bit)) l++;
    d.lane = l < n ? l : 0;
  } else if (dl === 'random') {
    const admitted: number[] = [];
    for (let l = 0; l < n; l++) if (net.laneAllow[lane0 + l] & bit) admitted.push(l);
    d.lane = admitted.length > 0 ? admitted[Math.floor(rand(seed, entry, k, PURPOSE_DEPART_LANE) * admitted.length)] : 0;
  } else if (dl === 'free' || dl === 'allowed') d.lane = 'free';
  else if (typeof dl === 'number') d.lane = dl;

  const len = net.edgeLength[first];
  const dp = spec.departPos;
  if (dp === 'random') d.pos = rand(seed, entry, k, PURPOSE_DEPART_POS) * len;
  else if (dp === 'free') d.pos = 'free';
  else if (typeof dp === 'number') d.pos = Math.min(dp, len);

  const ap = spec.arrivalPos;
  const lastLen = net.edgeLength[last];
  let at: number | undefined;
  if (ap === 'random') at = rand(seed, entry, k, PURPOSE_ARRIVAL_POS) * lastLen;
  else if (typeof ap === 'number') at = ap < 0 ? lastLen + ap : ap;
  // at or past the end is the default (arrive at the end)
  if (at !== undefined && at < lastLen) d.arrivalPos = Math.max(0, at);
}
