/**
 * Loop roads. A piece of a way whose two ends fall into one junction is either the inside of
 * that junction (the short link between the two carriageways of a dual-carriageway crossing,
 * folded into the junction) or a road that leaves the junction and comes back to it: a closed
 * way around a block, or the ring at the end of a cul-de-sac ("lollipop"). Folding the latter
 * would drop a street people live on and its lane-km. Rule: a piece longer than two join radii
 * cannot lie inside a junction of that radius, so it is a loop, and its middle node (by node
 * count, as netconvert splits a way that returns to its start node) becomes a junction node, so
 * the loop is two edges between two junctions. A loop without an inner node cannot be split and
 * stays folded (netconvert drops such an edge too).
 */
import { JOIN_RADIUS } from './cluster.js';
import { piecesOf, runLength } from './pieces.js';
import type { OsmWay } from './read.js';

/** A piece with both ends in one junction and longer than this (m) is a loop road. */
export const LOOP_MIN_LENGTH = 2 * JOIN_RADIUS;

/** The nodes at which loop pieces are split, to add to the junction nodes. */
export function loopSplitNodes(
  ways: readonly OsmWay[],
  junctionOf: (id: number) => number | undefined,
  xyOf: (id: number) => [number, number],
): number[] {
  const out: number[] = [];
  for (const w of ways) {
    for (const [first, last] of piecesOf(w, (id) => junctionOf(id) !== undefined)) {
      if (last - first < 2) continue; // no inner node to split at
      if (junctionOf(w.refs[first]) !== junctionOf(w.refs[last])) continue;
      if (runLength(w, first, last, xyOf) <= LOOP_MIN_LENGTH) continue;
      out.push(w.refs[Math.floor((first + last) / 2)]);
    }
  }
  return out;
}
