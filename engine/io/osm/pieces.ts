/**
 * A way's pieces: the runs of its nodes from one junction node to the next (or to its end).
 * The edges are built from them, and the loop rule (loops.ts) looks at them first, so both walk
 * a way the same way.
 */
import type { OsmWay } from './read.js';

/** [first, last] node indices of each piece of the way, in order. */
export function piecesOf(way: OsmWay, isJunction: (id: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 1; i < way.refs.length; i++) {
    if (!isJunction(way.refs[i]) && i < way.refs.length - 1) continue;
    out.push([start, i]);
    start = i;
  }
  return out;
}

/** Length in metres of the way's nodes first..last. */
export function runLength(way: OsmWay, first: number, last: number, xyOf: (id: number) => [number, number]): number {
  let s = 0;
  for (let i = first + 1; i <= last; i++) {
    const [ax, ay] = xyOf(way.refs[i - 1]);
    const [bx, by] = xyOf(way.refs[i]);
    s += Math.hypot(bx - ax, by - ay);
  }
  return s;
}
