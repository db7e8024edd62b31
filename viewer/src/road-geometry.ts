/**
 * Flat geometry of the road network in the plane (metres, x east, y north): road surface,
 * junction areas, lane markings, stop lines. Pure functions returning triangle lists as
 * [x, y, x, y, x, y, …] so they are testable without WebGL; road-scene.ts lifts them into 3D.
 */
import type { NetworkJson, Point } from './network.js';

/** Triangles (two per segment) of a band of `halfWidth` on each side of a polyline, mitred at the joints. */
export function ribbon(points: Point[], left: number, right: number, out: number[]): void {
  const n = points.length;
  if (n < 2) return;
  const lx: number[] = [];
  const ly: number[] = [];
  for (let i = 0; i < n; i++) {
    // normal at a vertex: the average of the adjacent segments' left normals, lengthened for the mitre
    const [ax, ay] = points[Math.max(0, i - 1)];
    const [bx, by] = points[Math.min(n - 1, i + 1)];
    let dx = bx - ax;
    let dy = by - ay;
    const len = Math.hypot(dx, dy) || 1;
    dx /= len;
    dy /= len;
    let nx = -dy;
    let ny = dx;
    if (i > 0 && i < n - 1) {
      const [px, py] = points[i - 1];
      const [cx, cy] = points[i];
      const sl = Math.hypot(cx - px, cy - py) || 1;
      const cos = (-(cy - py) / sl) * nx + ((cx - px) / sl) * ny;
      const k = 1 / Math.max(0.5, cos); // cap the mitre at twice the width on sharp turns
      nx *= k;
      ny *= k;
    }
    lx.push(nx);
    ly.push(ny);
  }
  for (let i = 0; i + 1 < n; i++) {
    const [x0, y0] = points[i];
    const [x1, y1] = points[i + 1];
    const a = [x0 + lx[i] * left, y0 + ly[i] * left];
    const b = [x0 - lx[i] * right, y0 - ly[i] * right];
    const c = [x1 + lx[i + 1] * left, y1 + ly[i + 1] * left];
    const d = [x1 - lx[i + 1] * right, y1 - ly[i + 1] * right];
    out.push(b[0], b[1], d[0], d[1], a[0], a[1], a[0], a[1], d[0], d[1], c[0], c[1]);
  }
}

/** A polyline moved sideways by `offset` (positive: to the left of travel). */
export function offsetLine(points: Point[], offset: number): Point[] {
  const n = points.length;
  return points.map(([x, y], i) => {
    const [ax, ay] = points[Math.max(0, i - 1)];
    const [bx, by] = points[Math.min(n - 1, i + 1)];
    const len = Math.hypot(bx - ax, by - ay) || 1;
    return [x - ((by - ay) / len) * offset, y + ((bx - ax) / len) * offset] as Point;
  });
}

/** Dashes of `dash` metres every `dash + gap` metres along a polyline, as thin ribbons. */
export function dashes(points: Point[], width: number, dash: number, gap: number, out: number[]): void {
  let phase = 0; // distance into the current dash+gap period
  const period = dash + gap;
  for (let i = 0; i + 1 < points.length; i++) {
    const [x0, y0] = points[i];
    const [x1, y1] = points[i + 1];
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len === 0) continue;
    let s = 0;
    while (s < len) {
      if (phase < dash - 1e-9) {
        const e = Math.min(len, s + dash - phase);
        const p: Point = [x0 + ((x1 - x0) * s) / len, y0 + ((y1 - y0) * s) / len];
        const q: Point = [x0 + ((x1 - x0) * e) / len, y0 + ((y1 - y0) * e) / len];
        ribbon([p, q], width / 2, width / 2, out);
        phase += e - s;
        s = e;
      } else {
        const e = Math.min(len, s + period - phase);
        phase += e - s;
        s = e;
      }
      // within rounding of the period's end: a new period (else s + period - phase can equal s, and no progress)
      if (phase >= period - 1e-9) phase = 0;
    }
  }
}

/** Convex hull (monotone chain), counter-clockwise. */
export function convexHull(points: Point[]): Point[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop();
    upper.push(q);
  }
  upper.pop();
  lower.pop();
  return lower.concat(upper);
}

/** A convex polygon as a triangle fan. */
export function fan(poly: Point[], out: number[]): void {
  for (let i = 1; i + 1 < poly.length; i++) out.push(poly[0][0], poly[0][1], poly[i][0], poly[i][1], poly[i + 1][0], poly[i + 1][1]);
}

const last = (s: Point[]) => s[s.length - 1];

/** Heading (radians ccw from east) of the last segment of a polyline. */
export function endHeading(s: Point[]): number {
  const a = s[s.length - 2];
  const b = s[s.length - 1];
  return Math.atan2(b[1] - a[1], b[0] - a[0]);
}

export interface RoadGeometry {
  surface: number[];
  junctions: number[];
  whiteLines: number[];
  yellowLines: number[];
  stopLines: number[];
  /** nodes drawn as junction areas (more than two edges meet) */
  junctionCount: number;
}

/**
 * The whole network: every lane's surface, a junction area per node (the hull of the lane ends
 * meeting there), dashed lines between lanes of an edge, solid edge lines (yellow on the side of
 * oncoming traffic, i.e. the left of the leftmost lane), stop lines where lanes meet signals or yield.
 */
export function buildRoadGeometry(net: NetworkJson): RoadGeometry {
  const w = net.laneWidth;
  const g: RoadGeometry = { surface: [], junctions: [], whiteLines: [], yellowLines: [], stopLines: [], junctionCount: 0 };
  const byEdge = new Map<string, NetworkJson['lanes']>();
  for (const l of net.lanes) {
    ribbon(l.shape, w / 2, w / 2, g.surface);
    let list = byEdge.get(l.edge);
    if (!list) byEdge.set(l.edge, (list = []));
    list.push(l);
  }
  // lanes of an edge ordered right to left by their lateral position at the start
  for (const lanes of byEdge.values()) {
    const [p0, p1] = lanes[0].shape;
    const len = Math.hypot(p1[0] - p0[0], p1[1] - p0[1]) || 1;
    const nx = -(p1[1] - p0[1]) / len;
    const ny = (p1[0] - p0[0]) / len;
    const lateral = (l: (typeof lanes)[number]) => (l.shape[0][0] - p0[0]) * nx + (l.shape[0][1] - p0[1]) * ny;
    lanes.sort((a, b) => lateral(a) - lateral(b));
    for (let k = 0; k < lanes.length; k++) {
      const sh = lanes[k].shape;
      if (k + 1 < lanes.length) dashes(offsetLine(sh, w / 2), 0.15, 3, 6, g.whiteLines);
      if (k === 0) ribbon(offsetLine(sh, -w / 2 + 0.2), 0.075, 0.075, g.whiteLines);
      if (k === lanes.length - 1) ribbon(offsetLine(sh, w / 2 - 0.15), 0.075, 0.075, g.yellowLines);
    }
  }
  // junction areas: the hull of the ends of every lane that meets at the node
  const nodeEnds = new Map<string, Point[]>();
  const edgeById = new Map(net.edges.map((e) => [e.id, e]));
  const add = (node: string, p: Point, h: number) => {
    let list = nodeEnds.get(node);
    if (!list) nodeEnds.set(node, (list = []));
    // both corners of the lane end, so the area covers the full width
    const s = Math.sin(h) * (w / 2);
    const c = Math.cos(h) * (w / 2);
    list.push([p[0] - s, p[1] + c], [p[0] + s, p[1] - c]);
  };
  for (const l of net.lanes) {
    const e = edgeById.get(l.edge);
    if (!e) continue;
    const sh = l.shape;
    add(e.to, last(sh), endHeading(sh));
    add(e.from, sh[0], Math.atan2(sh[1][1] - sh[0][1], sh[1][0] - sh[0][0]));
  }
  const nodeDegree = new Map<string, number>();
  for (const e of net.edges) {
    nodeDegree.set(e.from, (nodeDegree.get(e.from) ?? 0) + 1);
    nodeDegree.set(e.to, (nodeDegree.get(e.to) ?? 0) + 1);
  }
  for (const [node, pts] of nodeEnds)
    if ((nodeDegree.get(node) ?? 0) > 2) {
      fan(convexHull(pts), g.junctions);
      g.junctionCount++;
    }

  // stop lines: lanes entering a signal, or whose connections yield (rank > 0)
  const control = new Map(net.nodes.map((n) => [n.id, n.control]));
  const yields = new Set(net.connections.filter((c) => c.rank > 0).map((c) => c.from));
  for (const l of net.lanes) {
    const e = edgeById.get(l.edge);
    if (!e || !(control.get(e.to) === 'signal' || yields.has(l.id))) continue;
    const sh = l.shape;
    const h = endHeading(sh);
    const p = last(sh);
    const back: Point = [p[0] - Math.cos(h) * 0.4, p[1] - Math.sin(h) * 0.4];
    ribbon([back, p], w / 2 - 0.1, w / 2 - 0.1, g.stopLines);
  }
  return g;
}

export interface SignalHead {
  /** slot in signals.bin */
  slot: number;
  x: number;
  y: number;
  heading: number;
}

const dirSide: Record<string, number> = { left: 1, uturn: 1.4, straight: 0, through: 0, right: -1 };

/** Where to draw the state of each signal slot: at the stop line of its lane, left/straight/right side by side. */
export function signalHeads(net: NetworkJson, slotConns: ArrayLike<number>): SignalHead[] {
  const laneById = new Map(net.lanes.map((l) => [l.id, l]));
  const heads: SignalHead[] = [];
  for (let slot = 0; slot < slotConns.length; slot++) {
    const c = net.connections[slotConns[slot]];
    const lane = c && laneById.get(c.from);
    if (!lane) continue;
    const h = endHeading(lane.shape);
    const [x, y] = last(lane.shape);
    const side = (dirSide[c.dir] ?? 0) * net.laneWidth * 0.28;
    heads.push({ slot, heading: h, x: x + Math.cos(h) * 0.8 - Math.sin(h) * side, y: y + Math.sin(h) * 0.8 + Math.cos(h) * side });
  }
  return heads;
}

/** Where (x, y) projects onto a polyline: distance along it (m) and distance from it (m). */
export function projectOnto(points: Point[], x: number, y: number): { along: number; off: number } {
  let best = { along: 0, off: Infinity };
  let s = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [ax, ay] = points[i];
    const [bx, by] = points[i + 1];
    const l2 = (bx - ax) ** 2 + (by - ay) ** 2;
    const u = l2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / l2)) : 0;
    const d = Math.hypot(x - ax - u * (bx - ax), y - ay - u * (by - ay));
    const len = Math.sqrt(l2);
    if (d < best.off) best = { along: s + u * len, off: d };
    s += len;
  }
  return best;
}

/** The point at distance `s` along a polyline (clamped to its ends). */
export function pointAlong(points: Point[], s: number): Point {
  let acc = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [ax, ay] = points[i];
    const [bx, by] = points[i + 1];
    const len = Math.hypot(bx - ax, by - ay);
    if (acc + len >= s && len > 0) {
      const u = Math.max(0, (s - acc) / len);
      return [ax + u * (bx - ax), ay + u * (by - ay)];
    }
    acc += len;
  }
  return points[points.length - 1];
}

/** The part of a polyline from the point nearest (x, y) for `length` metres on (cut at its end). */
export function sectionOf(points: Point[], x: number, y: number, length: number): Point[] {
  const from = projectOnto(points, x, y).along;
  const to = from + length;
  const out: Point[] = [pointAlong(points, from)];
  let acc = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    acc += Math.hypot(points[i + 1][0] - points[i][0], points[i + 1][1] - points[i][1]);
    if (acc > from && acc < to) out.push(points[i + 1]);
  }
  out.push(pointAlong(points, to));
  return out;
}
