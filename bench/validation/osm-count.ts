/**
 * What bench:osm counts on each side, defined once so that both imports are counted alike.
 *
 * - Lane-km from junction centre to junction centre. roadtwin's edges run from centre to
 *   centre; netconvert's lanes stop at the edge of the junction's shape and the inside is
 *   internal lanes (one per connection, overlapping, not road length). So netconvert's side is
 *   measured on its plain edges (`--plain-output-prefix`): each edge's geometry with its ends
 *   at its junctions' positions, as roadtwin places them, times its lanes. The lanes' own
 *   lengths are shown beside it.
 * - Signal plans: roadtwin's signalised junctions; netconvert's traffic-light programs (with
 *   `--tls.join` one program runs the corners of one intersection, as roadtwin's one junction
 *   does). "At a junction": the plan controls a junction where three or more other junctions
 *   are linked; the others stand on a road between two junctions (a pedestrian crossing, a
 *   signal netconvert left alone), which roadtwin does not import.
 */
import type { XmlElement } from '../../engine/io/sumo/xml.js';

export type Pt = [number, number];

const lengthOf = (pts: readonly Pt[]) => pts.slice(1).reduce((s, p, i) => s + Math.hypot(p[0] - pts[i][0], p[1] - pts[i][1]), 0);

/** Lane-km of netconvert's plain edges, each from its from-junction to its to-junction along its geometry. */
export function plainLaneKm(edgesXml: XmlElement, nodesXml: XmlElement): number {
  const at = new Map<string, Pt>();
  for (const n of nodesXml.children) if (n.name === 'node') at.set(n.attrs.id, [Number(n.attrs.x), Number(n.attrs.y)]);
  let m = 0;
  for (const e of edgesXml.children) {
    if (e.name !== 'edge') continue;
    const inner = (e.attrs.shape ?? '').split(/\s+/).filter(Boolean).map((p) => p.split(',').map(Number) as Pt);
    // the geometry's own ends are replaced by the junctions' positions (inner points kept)
    const pts = [at.get(e.attrs.from)!, ...inner.slice(1, -1), at.get(e.attrs.to)!];
    m += lengthOf(pts) * Number(e.attrs.numLanes ?? 1);
  }
  return m / 1000;
}

/** How many other junctions each junction is linked to by an edge either way. */
export function neighbours(edges: readonly { from: string; to: string }[]): Map<string, number> {
  const sets = new Map<string, Set<string>>();
  const add = (a: string, b: string) => (sets.get(a) ?? sets.set(a, new Set()).get(a)!).add(b);
  for (const e of edges) if (e.from !== e.to) add(e.from, e.to), add(e.to, e.from);
  return new Map([...sets].map(([k, s]) => [k, s.size]));
}

export interface SignalCount {
  /** signal plans (roadtwin: signalised junctions; netconvert: programs) */
  plans: number;
  /** of them, plans controlling a junction linked to three or more others */
  atJunctions: number;
}

/** netconvert's programs, from the net's connections (`tl`) and the junctions their edges reach. */
export function netconvertSignals(net: XmlElement): SignalCount {
  const edges = net.children.filter((c) => c.name === 'edge' && c.attrs.function !== 'internal').map((e) => ({ id: e.attrs.id, from: e.attrs.from, to: e.attrs.to }));
  const toOf = new Map(edges.map((e) => [e.id, e.to]));
  const nb = neighbours(edges);
  const controls = new Map<string, Set<string>>();
  for (const c of net.children) {
    if (c.name !== 'connection' || !c.attrs.tl || !toOf.has(c.attrs.from)) continue;
    (controls.get(c.attrs.tl) ?? controls.set(c.attrs.tl, new Set()).get(c.attrs.tl)!).add(toOf.get(c.attrs.from)!);
  }
  const plans = net.children.filter((c) => c.name === 'tlLogic').length;
  const atJunctions = [...controls.values()].filter((js) => [...js].some((j) => (nb.get(j) ?? 0) >= 3)).length;
  return { plans, atJunctions };
}

/** roadtwin's signalised junctions. */
export function roadtwinSignals(nodes: readonly { id: string; control?: string }[], edges: readonly { from: string; to: string }[]): SignalCount {
  const nb = neighbours(edges);
  const sig = nodes.filter((n) => n.control === 'signal');
  return { plans: sig.length, atJunctions: sig.filter((n) => (nb.get(n.id) ?? 0) >= 3).length };
}
