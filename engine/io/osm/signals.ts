/**
 * Which junctions are signalised. OSM maps a signal either on the junction's node or, more
 * often at larger junctions, on the way a little before it (at the stop line of each approach).
 * Rules:
 * - `highway=traffic_signals` on a junction node signalises that junction;
 * - on a way within SIGNAL_REACH (along the way) of a junction node, it signalises the nearest
 *   such junction; farther from any junction (a pedestrian crossing in the middle of a block)
 *   it is not imported, since the engine has no pedestrians to give it a reason to turn red;
 * - signalised junctions closer than SIGNAL_JOIN to each other are the corners of one
 *   intersection (two dual carriageways crossing meet at four nodes 11 to 21 m apart, each with
 *   its own signal): they become one junction with one signal plan (signalJoinGroups). Run as
 *   separate junctions with plans that know nothing of each other, the short links between them
 *   fill up and lock: on Bad Hersfeld the one gridlock removal was a queue across such a link.
 */
import type { Clustering } from './cluster.js';
import type { OsmWay } from './read.js';

/** A signal on a way this close (m, along the way) before a junction controls that junction. */
export const SIGNAL_REACH = 30;

/** Signalised junctions closer than this (m, centre to centre) are one junction: netconvert's `--tls.join-dist` default. */
export const SIGNAL_JOIN = 20;

export interface SignalPlacement {
  /** cluster indices of the signalised junctions */
  signalled: Set<number>;
  /** clusters with a stop or give-way sign (they stay priority junctions) */
  stopSigns: Set<number>;
  /** signals too far from any junction to be imported */
  strayed: number;
}

export function placeSignals(
  ways: readonly OsmWay[],
  highwayOf: (id: number) => string | undefined,
  clusters: Clustering,
  xyOf: (id: number) => [number, number],
): SignalPlacement {
  const signalled = new Set<number>();
  const stopSigns = new Set<number>();
  for (const [id, c] of clusters.of) {
    const h = highwayOf(id);
    if (h === 'traffic_signals') signalled.add(c);
    else if (h === 'stop' || h === 'give_way') stopSigns.add(c);
  }
  let strayed = 0;
  for (const w of ways) {
    for (let i = 0; i < w.refs.length; i++) {
      if (highwayOf(w.refs[i]) !== 'traffic_signals' || clusters.of.has(w.refs[i])) continue;
      // the nearest junction node along the way, either side (the tag's direction is often absent)
      let best: { c: number; d: number } | undefined;
      for (const step of [1, -1]) {
        let d = 0;
        for (let j = i + step; j >= 0 && j < w.refs.length; j += step) {
          const [ax, ay] = xyOf(w.refs[j - step]);
          const [bx, by] = xyOf(w.refs[j]);
          d += Math.hypot(bx - ax, by - ay);
          if (d > SIGNAL_REACH) break;
          const c = clusters.of.get(w.refs[j]);
          if (c !== undefined) {
            if (!best || d < best.d) best = { c, d };
            break;
          }
        }
      }
      if (best) signalled.add(best.c);
      else strayed++;
    }
  }
  return { signalled, stopSigns, strayed };
}

/**
 * Groups of signalised clusters closer than SIGNAL_JOIN to one another, transitively (single
 * linkage, so the four corners of a crossing join even where the diagonal is longer); only
 * groups of two or more. Deterministic: clusters are visited in index order.
 */
export function signalJoinGroups(signalled: ReadonlySet<number>, centreOf: (c: number) => [number, number]): number[][] {
  const list = [...signalled].sort((a, b) => a - b);
  const parent = list.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const pos = list.map(centreOf);
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++)
      if (Math.hypot(pos[j][0] - pos[i][0], pos[j][1] - pos[i][1]) < SIGNAL_JOIN) {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
  const groups = new Map<number, number[]>();
  list.forEach((c, i) => (groups.get(find(i)) ?? groups.set(find(i), []).get(find(i))!).push(c));
  return [...groups.values()].filter((g) => g.length > 1);
}
