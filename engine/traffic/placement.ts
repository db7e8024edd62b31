/**
 * `place` demand: vehicles put on the road at t = 0, evenly spaced (contract).
 *
 * All place entries are planned together, lane by lane, so that entries sharing edges (cars and
 * buses on one ring, say) interleave instead of landing on top of each other:
 *  1. each entry's count is shared among its lanes in proportion to their length (largest
 *     remainder);
 *  2. on each lane the entries' vehicles are interleaved by weighted round robin, and the free
 *     length (lane length minus the vehicles' lengths) is shared out as equal gaps;
 *  3. each vehicle is moved by a seeded uniform offset within ±jitter, bounded by half a gap so
 *     that no two ever overlap;
 *  4. speeds start at the entry's `speed` (capped by the lane and the driver), then are lowered
 *     where needed so that every vehicle starts inside the safety envelope behind its leader and,
 *     on a lane that ends at a junction, able to stop comfortably before it.
 */
import type { Scenario } from '../spec/schema.js';
import type { Network } from '../road/network.js';
import { connectionTo } from '../road/network.js';
import { stream } from '../core/rng.js';
import type { TypeTable } from './types.js';
import { SAFETY_MARGIN } from './kinematics.js';

export interface PlacedVehicle {
  /** demand entry index */
  entry: number;
  type: number;
  lane: number;
  pos: number;
  speed: number;
  speedFactor: number;
}

export interface PlacementPlan {
  vehicles: PlacedVehicle[];
  /** entries whose vehicles do not fit on their lanes */
  problems: { entry: number; message: string }[];
}

export function planPlacement(
  scenario: Scenario,
  net: Network,
  types: TypeTable,
  seed: number,
  speedFactorOf: (id: number, type: number) => number,
): PlacementPlan {
  const problems: PlacementPlan['problems'] = [];
  // per lane: the entries placing vehicles there, with their counts
  const perLane = new Map<number, { entry: number; count: number }[]>();
  const entries: { index: number; type: number; speed: number; jitter: number }[] = [];
  scenario.demand.forEach((d, index) => {
    if (!('place' in d) || d.place.count === 0) return;
    const p = d.place;
    const type = types.index.get(p.type);
    if (type === undefined) return;
    entries.push({ index, type, speed: p.speed ?? 0, jitter: p.jitter ?? 0 });
    const edges = p.edge !== undefined ? [net.edgeIndex.get(p.edge)!] : net.edgeIds.map((_, e) => e);
    const lanes: number[] = [];
    // only the lanes the type's class may use (lane classes)
    const bit = types.laneBits[type];
    for (const e of edges) for (let l = 0; l < net.edgeLanes[e]; l++) if (net.laneAllow[net.edgeFirstLane[e] + l] & bit) lanes.push(net.edgeFirstLane[e] + l);
    if (lanes.length === 0) {
      problems.push({ entry: index, message: `no lane of ${p.edge !== undefined ? `edge '${p.edge}'` : 'the network'} admits class ${types.classes[type]}` });
      return;
    }
    for (const [lane, count] of shareByLength(p.count, lanes, net.laneLength)) {
      if (count === 0) continue;
      let list = perLane.get(lane);
      if (!list) perLane.set(lane, (list = []));
      list.push({ entry: index, count });
    }
  });
  const entryOf = new Map(entries.map((e) => [e.index, e]));
  const rng = new Map(entries.map((e) => [e.index, stream(seed, `place/${e.index}`)]));
  const vehicles: PlacedVehicle[] = [];
  const lanes = [...perLane.keys()].sort((a, b) => a - b);
  for (const lane of lanes) {
    const list = perLane.get(lane)!;
    const m = list.reduce((s, x) => s + x.count, 0);
    // weighted round robin: the entry furthest behind its share goes next
    const placed = list.map(() => 0);
    const order: number[] = [];
    for (let q = 0; q < m; q++) {
      let best = -1;
      for (let k = 0; k < list.length; k++) {
        if (placed[k] >= list[k].count) continue;
        if (best < 0 || (placed[k] + 0.5) / list[k].count < (placed[best] + 0.5) / list[best].count) best = k;
      }
      placed[best]++;
      order.push(list[best].entry);
    }
    const laneLen = net.laneLength[lane];
    const lengths = order.map((e) => types.length[entryOf.get(e)!.type]);
    const free = laneLen - lengths.reduce((s, l) => s + l, 0);
    if (free < 0) {
      for (const x of list)
        problems.push({ entry: x.entry, message: `${m} vehicles (${round(laneLen - free)} m of vehicles) do not fit on lane ${net.edgeIds[net.laneEdge[lane]]}_${net.laneIndex[lane]} (${round(laneLen)} m)` });
      continue;
    }
    const gap = free / m;
    let rear = gap / 2;
    const first = vehicles.length;
    order.forEach((e, q) => {
      const en = entryOf.get(e)!;
      const u = rng.get(e)!() * 2 - 1;
      const jitter = Math.min(en.jitter, Math.max(0, gap / 2 - 0.01));
      const pos = rear + lengths[q] + u * jitter;
      rear += lengths[q] + gap;
      vehicles.push({ entry: e, type: en.type, lane, pos, speed: 0, speedFactor: 1 });
    });
    // ids follow the order of placement: lanes, then positions
    for (let q = first; q < vehicles.length; q++) {
      const v = vehicles[q];
      v.speedFactor = speedFactorOf(q, v.type);
      v.speed = Math.min(entryOf.get(v.entry)!.speed, net.laneSpeed[lane] * v.speedFactor, types.vmax[v.type]);
    }
    capSpeeds(vehicles.slice(first), laneLen, isClosedLoop(net, lane), types, scenario.step);
  }
  return { vehicles, problems };
}

/** Integer shares of `count` among lanes in proportion to their lengths (largest remainder, ties by lane). */
function shareByLength(count: number, lanes: number[], laneLength: Float64Array): [number, number][] {
  const total = lanes.reduce((s, l) => s + laneLength[l], 0);
  const exact = lanes.map((l) => (count * laneLength[l]) / total);
  const shares = exact.map(Math.floor);
  let left = count - shares.reduce((s, x) => s + x, 0);
  const byRemainder = lanes.map((_, k) => k).sort((a, b) => exact[b] - shares[b] - (exact[a] - shares[a]) || a - b);
  for (let k = 0; left > 0; k = (k + 1) % lanes.length, left--) shares[byRemainder[k]]++;
  return lanes.map((l, k) => [l, shares[k]]);
}

export function isClosedLoop(net: Network, lane: number): boolean {
  const e = net.laneEdge[lane];
  return net.edgeFrom[e] === net.edgeTo[e] && connectionTo(net, lane, e) >= 0;
}

/**
 * Lowers speeds (vehicles of one lane, sorted by position) until each can stop behind its leader
 * even if the leader brakes at its limit, with one step to react; on an open lane the front
 * vehicle can also stop comfortably before the lane end.
 */
function capSpeeds(vs: PlacedVehicle[], laneLen: number, closed: boolean, types: TypeTable, dt: number): void {
  const n = vs.length;
  if (n === 0) return;
  if (!closed) {
    const front = vs[n - 1];
    front.speed = Math.min(front.speed, Math.sqrt(2 * types.B[front.type] * Math.max(0, laneLen - front.pos - 1)));
  }
  // on a loop the last vehicle follows the first: go round until nothing changes
  for (let pass = 0; pass < n + 1; pass++) {
    let changed = false;
    for (let k = (closed ? n : n - 1) - 1; k >= 0; k--) {
      const f = vs[k];
      const L = vs[(k + 1) % n];
      const gap = (k + 1 < n ? L.pos : L.pos + laneLen) - types.length[L.type] - f.pos;
      const Bf = types.bmax[f.type];
      const R = gap + (L.speed * L.speed) / (2 * types.bmax[L.type]) - SAFETY_MARGIN;
      const vmax = R > 0 ? Bf * (-dt + Math.sqrt(dt * dt + (2 * R) / Bf)) : 0;
      if (f.speed > vmax) {
        f.speed = Math.max(0, vmax);
        changed = true;
      }
    }
    if (!changed || !closed) break;
  }
}

const round = (x: number) => Math.round(x * 10) / 10;
