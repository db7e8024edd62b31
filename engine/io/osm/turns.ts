/**
 * Lane-to-lane connections from `turn:lanes`. A node with explicit connections gets no generated
 * ones, so at a junction where any arriving edge has turn:lanes every arriving edge is connected
 * here: lanes with arrows go where their arrows point; the lanes of an edge without arrows go
 * straight from every lane, right from the rightmost and left from the leftmost (the engine's
 * own rule). The turn of a pair of edges is read from the angle between them; a U-turn (back
 * along the same way) only where a lane says `reverse` or nothing else leaves.
 */
import type { ConnectionOut, EdgeOut } from '../sumo/convert-net.js';
import type { Warnings } from '../sumo/warnings.js';
import type { Turn } from './tags.js';

export interface EdgeMeta {
  /** the edge's turn:lanes, from its rightmost lane */
  turns?: Turn[][];
}

/** Within this many degrees of the arriving heading, a departing edge is straight on. */
const STRAIGHT_DEG = 30;

const heading = (a: [number, number], b: [number, number]) => Math.atan2(b[1] - a[1], b[0] - a[0]);
const wayOf = (id: string) => id.replace(/^-/, '').replace(/#.*$/, '');

/** The turn from one edge into the next, degrees: positive to the left. */
function angleOf(inEdge: EdgeOut, outEdge: EdgeOut): number {
  const s = inEdge.shape;
  const t = outEdge.shape;
  let d = ((heading(t[0], t[1]) - heading(s[s.length - 2], s[s.length - 1])) * 180) / Math.PI;
  while (d > 180) d -= 360;
  while (d <= -180) d += 360;
  return d;
}

export function turnOf(inEdge: EdgeOut, outEdge: EdgeOut): Turn {
  if (outEdge.to === inEdge.from && wayOf(outEdge.id) === wayOf(inEdge.id)) return 'uturn';
  const d = angleOf(inEdge, outEdge);
  if (Math.abs(d) <= STRAIGHT_DEG) return 'straight';
  if (Math.abs(d) > 170) return 'uturn';
  return d > 0 ? 'left' : 'right';
}

export function turnConnections(edges: readonly EdgeOut[], meta: Map<string, EdgeMeta>, warnings: Warnings): ConnectionOut[] {
  const into = new Map<string, EdgeOut[]>();
  const outOf = new Map<string, EdgeOut[]>();
  for (const e of edges) {
    (into.get(e.to) ?? into.set(e.to, []).get(e.to)!).push(e);
    (outOf.get(e.from) ?? outOf.set(e.from, []).get(e.from)!).push(e);
  }
  const out: ConnectionOut[] = [];
  for (const [node, arriving] of into) {
    if (!arriving.some((e) => meta.get(e.id)?.turns)) continue;
    const leaving = outOf.get(node) ?? [];
    for (const e of arriving) {
      const moves = leaving.map((o) => ({ o, dir: turnOf(e, o) }));
      const nonU = moves.filter((m) => m.dir !== 'uturn');
      const turns = meta.get(e.id)?.turns;
      let made = 0;
      for (const m of moves) {
        const dir = m.dir;
        let lanes: number[];
        if (turns) {
          lanes = turns.flatMap((t, i) => (t.includes(dir) || (dir === 'uturn' && nonU.length === 0 && t.length > 0) ? [i] : []));
          // a lane marked only "left" may also take a sharper left the angle reads as a U-turn of another way
          if (lanes.length === 0 && dir === 'uturn' && m.o.to !== e.from) lanes = turns.flatMap((t, i) => (t.includes('left') ? [i] : []));
        } else {
          if (dir === 'uturn' && nonU.length > 0) continue;
          lanes = dir === 'straight' ? [...Array(e.lanes).keys()] : dir === 'right' ? [0] : [e.lanes - 1];
        }
        lanes.forEach((lIn, k) => {
          const nOut = m.o.lanes;
          const lOut = dir === 'right' ? Math.min(k, nOut - 1) : dir === 'straight' ? Math.min(nOut - 1, Math.max(0, lIn - Math.max(0, e.lanes - nOut))) : Math.max(0, nOut - lanes.length + k);
          out.push({ from: e.id, fromLane: lIn, to: m.o.id, toLane: Math.min(nOut - 1, lOut), dir });
          made++;
        });
      }
      // an arrow the angles do not bear out (a "right" into a road that bends off at 20°) still
      // gets its lane a way on: the departing road furthest to that side, or the straightest
      if (turns && nonU.length > 0)
        turns.forEach((t, lIn) => {
          if (t.length === 0 || out.some((c) => c.from === e.id && c.fromLane === lIn)) return;
          for (const want of t) {
            if (want === 'uturn') continue;
            const score = (o: EdgeOut) => (want === 'right' ? angleOf(e, o) : want === 'left' ? -angleOf(e, o) : Math.abs(angleOf(e, o)));
            const best = nonU.reduce((a, b) => (score(b.o) < score(a.o) ? b : a));
            out.push({ from: e.id, fromLane: lIn, to: best.o.id, toLane: want === 'left' ? best.o.lanes - 1 : 0, dir: best.dir });
            made++;
          }
        });
      if (turns && made === 0 && leaving.length > 0) warnings.add('turn:lanes that match no departing road at the junction: the edge has no connection there', e.id);
    }
  }
  return out;
}
