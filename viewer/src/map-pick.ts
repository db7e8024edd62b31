/**
 * What of the road network is under a click: a junction (within its area, or a few pixels of its
 * centre when zoomed out) or else an edge (the lane under the point). Plain geometry on the
 * ground plane, from network.json; vehicles and sites are picked before this (main.ts).
 */
import type { NetworkJson } from './network.js';
import { projectOnto } from './road-geometry.js';

export type MapHit = { kind: 'junction'; id: string } | { kind: 'edge'; id: string; lane: string };

export class MapPicker {
  /** per node with more than two edges (or a signal): its centre and the radius of its area, m */
  private readonly junctions: { id: string; x: number; y: number; r: number }[] = [];

  constructor(private readonly net: NetworkJson) {
    const degree = new Map<string, number>();
    for (const e of net.edges) {
      degree.set(e.from, (degree.get(e.from) ?? 0) + 1);
      degree.set(e.to, (degree.get(e.to) ?? 0) + 1);
    }
    // a junction's area reaches to the lane ends meeting there
    const reach = new Map<string, number>();
    const nodes = new Map(net.nodes.map((n) => [n.id, n]));
    const edge = new Map(net.edges.map((e) => [e.id, e]));
    for (const l of net.lanes) {
      const e = edge.get(l.edge);
      if (!e) continue;
      for (const [node, p] of [
        [e.from, l.shape[0]],
        [e.to, l.shape[l.shape.length - 1]],
      ] as const) {
        const n = nodes.get(node);
        if (n) reach.set(node, Math.max(reach.get(node) ?? 0, Math.hypot(p[0] - n.x, p[1] - n.y)));
      }
    }
    for (const n of net.nodes)
      if (n.control === 'signal' || (degree.get(n.id) ?? 0) > 2) this.junctions.push({ id: n.id, x: n.x, y: n.y, r: Math.min(40, (reach.get(n.id) ?? 0) + net.laneWidth / 2) });
  }

  /** The junction or edge at ground point (x, y); `mpp` metres per pixel sets the click's tolerance. */
  at(x: number, y: number, mpp: number): MapHit | null {
    let best: { id: string; d: number } | null = null;
    for (const j of this.junctions) {
      const d = Math.hypot(x - j.x, y - j.y);
      if (d <= Math.max(j.r, 8 * mpp) && (!best || d < best.d)) best = { id: j.id, d };
    }
    if (best) return { kind: 'junction', id: best.id };
    let lane: { id: string; edge: string; off: number } | null = null;
    const tol = this.net.laneWidth / 2 + 3 * mpp;
    for (const l of this.net.lanes) {
      const { off } = projectOnto(l.shape, x, y);
      if (off <= tol && (!lane || off < lane.off)) lane = { id: l.id, edge: l.edge, off };
    }
    return lane ? { kind: 'edge', id: lane.edge, lane: lane.id } : null;
  }
}
