/**
 * Which junctions are stop-controlled. OSM maps a stop sign as `highway=stop` on a node: on the
 * junction's node, or (the wiki's advice) on the road a little before the junction, at the stop
 * line, with `direction=forward|backward` saying which way of the road it faces; `stop=all`
 * marks an all-way stop. Rules:
 * - a sign on a junction's node, or on a road within STOP_REACH (along the road) before a
 *   junction, in a direction the road is driven towards it (the one `direction` names, if any),
 *   signs that approach of that junction;
 * - a junction with a signed approach is `priorityStop` (the yielding movements halt at the line
 *   first, engine/road/network.ts connStop); with `stop=all` on any of its signs, or a sign on
 *   every approach, it is `allwayStop`;
 * - a signalised junction stays signalised (the signs are for when it is switched off);
 * - `highway=give_way` needs nothing: a priority junction's minor road gives way anyway.
 * Which road of a priority-stop junction is the major one is the engine's rule (speed, then
 * lanes); a signed approach is normally the smaller road, and one that the rule ranks major does
 * not halt.
 */
import type { Clustering } from './cluster.js';
import { piecesOf, runLength } from './pieces.js';
import type { OsmWay } from './read.js';

/** A stop sign on a road this close (m, along the road) before a junction is that approach's sign. */
export const STOP_REACH = 30;

export interface StopSign {
  /** `stop=all` */
  all: boolean;
  /** `direction=forward|backward`: the way of the road it faces (absent: both) */
  direction?: 'forward' | 'backward';
}

export interface StopInput {
  ways: readonly OsmWay[];
  /** the stop sign on a node, if any */
  signOf: (id: number) => StopSign | undefined;
  /** which ways of a way are driven */
  directions: (w: OsmWay) => { forward: boolean; backward: boolean };
  xyOf: (id: number) => [number, number];
}

export type StopControl = 'priorityStop' | 'allwayStop';

/** The stop-controlled junctions (cluster index → control) of a clustering. */
export function stopControls(input: StopInput, c: Clustering): Map<number, StopControl> {
  const { ways, signOf, directions, xyOf } = input;
  const onNode = new Set<number>();
  const all = new Set<number>();
  const approaches = new Map<number, { all: number; signed: number }>();
  for (const [id, k] of c.of) {
    const sign = signOf(id);
    if (!sign) continue;
    onNode.add(k);
    if (sign.all) all.add(k);
  }
  const approach = (k: number, signs: StopSign[]) => {
    const a = approaches.get(k) ?? approaches.set(k, { all: 0, signed: 0 }).get(k)!;
    a.all++;
    if (signs.length > 0) a.signed++;
    if (signs.some((s) => s.all)) all.add(k);
  };
  for (const w of ways) {
    const dir = directions(w);
    for (const [first, last] of piecesOf(w, (id) => c.of.has(id))) {
      const a = c.of.get(w.refs[first])!;
      const b = c.of.get(w.refs[last])!;
      if (a === b) continue;
      const toB: StopSign[] = [];
      const toA: StopSign[] = [];
      for (let k = first + 1; k < last; k++) {
        const sign = signOf(w.refs[k]);
        if (!sign) continue;
        if (sign.direction !== 'backward' && runLength(w, k, last, xyOf) <= STOP_REACH) toB.push(sign);
        if (sign.direction !== 'forward' && runLength(w, first, k, xyOf) <= STOP_REACH) toA.push(sign);
      }
      if (dir.forward) approach(b, toB);
      if (dir.backward) approach(a, toA);
    }
  }
  const out = new Map<number, StopControl>();
  for (const k of new Set([...onNode, ...approaches.keys()])) {
    const a = approaches.get(k);
    if (!onNode.has(k) && (a === undefined || a.signed === 0)) continue;
    out.set(k, all.has(k) || (a !== undefined && a.all > 0 && a.signed === a.all) ? 'allwayStop' : 'priorityStop');
  }
  return out;
}
