/**
 * Sidewalks for robots: every street (a pair of nodes joined by one or two edges) has a walkway
 * on each side, `lanes × laneWidth + SIDEWALK_GAP` to the right of the direction of walking, and
 * ends CORNER_SETBACK metres before each junction, where the crossings are.
 *
 * A walk between two points on streets is the shortest path over the street graph (both
 * directions walkable), drawn on the right-hand sidewalk. At a junction it turns:
 *  - right (more than 45°): round the corner, no road crossed;
 *  - straight (within 45°): one crossing, in the direction of walking;
 *  - left or back: two crossings — straight over the cross street, then over the street it was
 *    on — as a pedestrian does.
 * A crossing at a signalised junction is a gate (the junction, the direction of the crossing):
 * robots.ts lets a robot start it only when every signalised stream that cuts across it is red.
 */
import type { Network } from '../road/network.js';
import { offsetPolyline, type Point } from '../road/geometry.js';

export const SIDEWALK_GAP = 1.5;
export const CORNER_SETBACK = 12;

export interface StreetPoint {
  street: number;
  /** distance from the street's first node along its shape, m */
  arc: number;
}

/** A walk: points, and per point an optional gate (junction index and crossing heading). */
export interface Walk {
  xs: number[];
  ys: number[];
  gateNode: number[];
  gateHeading: number[];
  length: number;
}

interface Street {
  u: number;
  v: number;
  shape: Point[];
  length: number;
  /** lanes of the edge u→v and of v→u (0 where there is none) */
  lanesUV: number;
  lanesVU: number;
}

export class Sidewalks {
  private readonly streets: Street[] = [];
  private readonly streetOfEdge: Int32Array;
  /** whether edge e runs v→u along its street */
  private readonly reversed: Uint8Array;
  private readonly adj: { street: number; to: number }[][];

  constructor(private readonly net: Network) {
    const key = new Map<string, number>();
    this.streetOfEdge = new Int32Array(net.edgeIds.length);
    this.reversed = new Uint8Array(net.edgeIds.length);
    this.adj = net.nodeIds.map(() => []);
    for (let e = 0; e < net.edgeIds.length; e++) {
      const a = net.edgeFrom[e];
      const b = net.edgeTo[e];
      const k = a < b ? `${a},${b}` : `${b},${a}`;
      let s = key.get(k);
      if (s === undefined) {
        s = this.streets.length;
        key.set(k, s);
        const shape = net.edgeShape[e].map((p) => [p[0], p[1]] as Point);
        let length = 0;
        for (let i = 1; i < shape.length; i++) length += Math.hypot(shape[i][0] - shape[i - 1][0], shape[i][1] - shape[i - 1][1]);
        this.streets.push({ u: a, v: b, shape, length, lanesUV: 0, lanesVU: 0 });
        if (a !== b) {
          this.adj[a].push({ street: s, to: b });
          this.adj[b].push({ street: s, to: a });
        }
      }
      const st = this.streets[s];
      this.streetOfEdge[e] = s;
      if (st.u === a) st.lanesUV = Math.max(st.lanesUV, net.edgeLanes[e]);
      else {
        this.reversed[e] = 1;
        st.lanesVU = Math.max(st.lanesVU, net.edgeLanes[e]);
      }
    }
  }

  /** The street point of a position `pos` m along edge e. */
  pointOnEdge(e: number, pos: number): StreetPoint {
    const s = this.streetOfEdge[e];
    const st = this.streets[s];
    const arc = Math.max(0, Math.min(st.length, (pos / this.net.edgeLength[e]) * st.length));
    return { street: s, arc: this.reversed[e] ? st.length - arc : arc };
  }

  /** Sidewalk length of the street walked from u (forward) or from v. */
  private sidewalk(s: number, forward: boolean): Point[] {
    const st = this.streets[s];
    const shape = forward ? st.shape : [...st.shape].reverse();
    const lanes = forward ? st.lanesUV : st.lanesVU;
    return offsetPolyline(shape, lanes * this.net.laneWidth + SIDEWALK_GAP);
  }

  /** The part of a street's sidewalk between arcs a and b (walking from a to b), clipped to the setbacks at junctions it ends at. */
  private piece(s: number, a: number, b: number, clipStart: boolean, clipEnd: boolean): Point[] {
    const st = this.streets[s];
    const forward = b >= a;
    const side = this.sidewalk(s, forward);
    // arcs along the walking direction
    let from = forward ? a : st.length - a;
    let to = forward ? b : st.length - b;
    const setback = Math.min(CORNER_SETBACK, st.length / 3);
    if (clipStart) from = Math.max(from, setback);
    if (clipEnd) to = Math.min(to, st.length - setback);
    if (to < from) to = from;
    return slice(side, st.length, from, to);
  }

  /** Shortest walk from p to q, or null when the street graph does not connect them. */
  walk(p: StreetPoint, q: StreetPoint): Walk | null {
    const net = this.net;
    const w: Walk = { xs: [], ys: [], gateNode: [], gateHeading: [], length: 0 };
    if (p.street === q.street) {
      append(w, this.piece(p.street, p.arc, q.arc, false, false));
      return finish(w);
    }
    const n = net.nodeIds.length;
    const dist = new Float64Array(n).fill(Infinity);
    const prevNode = new Int32Array(n).fill(-1);
    const prevStreet = new Int32Array(n).fill(-1);
    const done = new Uint8Array(n);
    const ps = this.streets[p.street];
    dist[ps.u] = p.arc;
    dist[ps.v] = Math.min(dist[ps.v], ps.length - p.arc);
    const qs = this.streets[q.street];
    for (;;) {
      let x = -1;
      for (let i = 0; i < n; i++) if (!done[i] && dist[i] < Infinity && (x < 0 || dist[i] < dist[x])) x = i;
      if (x < 0) break;
      done[x] = 1;
      for (const { street, to } of this.adj[x]) {
        const d = dist[x] + this.streets[street].length;
        if (d < dist[to]) {
          dist[to] = d;
          prevNode[to] = x;
          prevStreet[to] = street;
        }
      }
    }
    const viaU = dist[qs.u] + q.arc;
    const viaV = dist[qs.v] + (qs.length - q.arc);
    if (!Number.isFinite(Math.min(viaU, viaV))) return null;
    const last = viaU <= viaV ? qs.u : qs.v;
    const chain: number[] = [];
    for (let x = last; x !== -1; x = prevNode[x]) chain.push(x);
    chain.reverse();
    // pieces: start street to chain[0], each street of the chain, last street from the last node
    const pieces: Point[][] = [];
    const nodes: number[] = [];
    pieces.push(this.piece(p.street, p.arc, chain[0] === ps.u ? 0 : ps.length, false, true));
    for (let i = 1; i < chain.length; i++) {
      const s = prevStreet[chain[i]];
      const st = this.streets[s];
      nodes.push(chain[i - 1]);
      pieces.push(this.piece(s, chain[i - 1] === st.u ? 0 : st.length, chain[i - 1] === st.u ? st.length : 0, true, true));
    }
    nodes.push(last);
    pieces.push(this.piece(q.street, last === qs.u ? 0 : qs.length, q.arc, true, false));
    append(w, pieces[0]);
    for (let i = 1; i < pieces.length; i++) {
      this.junction(w, nodes[i - 1], pieces[i - 1], pieces[i]);
      append(w, pieces[i]);
    }
    return finish(w);
  }

  /** Adds the way across junction `node` from the end of `inc` to the start of `out` (gates at signals). */
  private junction(w: Walk, node: number, inc: Point[], out: Point[]): void {
    const gated = this.net.nodeControl[node] === 1;
    const hin = heading(inc, true);
    const hout = heading(out, false);
    let turn = hout - hin;
    while (turn > Math.PI) turn -= 2 * Math.PI;
    while (turn <= -Math.PI) turn += 2 * Math.PI;
    const last = w.xs.length - 1;
    if (turn < -Math.PI / 4) return; // right: round the corner
    if (turn <= Math.PI / 4) {
      if (gated) gate(w, last, node, hin);
      return;
    }
    // left or back: over the cross street first, to the far corner, then over the street walked on
    if (gated) gate(w, last, node, hin);
    const end = inc[inc.length - 1];
    const start = out[0];
    // the far corner: straight on from the end of the incoming sidewalk, level with the outgoing one
    const ux = Math.cos(hin);
    const uy = Math.sin(hin);
    const t = (start[0] - end[0]) * ux + (start[1] - end[1]) * uy;
    w.xs.push(end[0] + ux * t);
    w.ys.push(end[1] + uy * t);
    w.gateNode.push(gated ? node : -1);
    w.gateHeading.push(gated ? hout : 0);
  }
}

function gate(w: Walk, i: number, node: number, h: number): void {
  w.gateNode[i] = node;
  w.gateHeading[i] = h;
}

function heading(pts: Point[], atEnd: boolean): number {
  const n = pts.length;
  if (n < 2) return 0;
  const [a, b] = atEnd ? [pts[n - 2], pts[n - 1]] : [pts[0], pts[1]];
  return Math.atan2(b[1] - a[1], b[0] - a[0]);
}

function append(w: Walk, pts: Point[]): void {
  for (const p of pts) {
    const n = w.xs.length;
    if (n > 0 && Math.abs(w.xs[n - 1] - p[0]) < 1e-6 && Math.abs(w.ys[n - 1] - p[1]) < 1e-6) continue;
    w.xs.push(p[0]);
    w.ys.push(p[1]);
    w.gateNode.push(-1);
    w.gateHeading.push(0);
  }
}

function finish(w: Walk): Walk {
  let l = 0;
  for (let i = 1; i < w.xs.length; i++) l += Math.hypot(w.xs[i] - w.xs[i - 1], w.ys[i] - w.ys[i - 1]);
  w.length = l;
  return w;
}

/** The part of polyline `pts` between arcs `from` and `to` of its nominal length `nominal`. */
function slice(pts: Point[], nominal: number, from: number, to: number): Point[] {
  let total = 0;
  const cum = [0];
  for (let i = 1; i < pts.length; i++) cum.push((total += Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1])));
  const scale = nominal > 0 ? total / nominal : 1;
  const a = from * scale;
  const b = to * scale;
  const at = (s: number): Point => {
    let i = 1;
    while (i < cum.length - 1 && cum[i] < s) i++;
    const seg = cum[i] - cum[i - 1] || 1;
    const f = Math.max(0, Math.min(1, (s - cum[i - 1]) / seg));
    return [pts[i - 1][0] + (pts[i][0] - pts[i - 1][0]) * f, pts[i - 1][1] + (pts[i][1] - pts[i - 1][1]) * f];
  };
  const out: Point[] = [at(a)];
  for (let i = 1; i < cum.length - 1; i++) if (cum[i] > a && cum[i] < b) out.push(pts[i]);
  out.push(at(b));
  return out;
}
