/**
 * Where drones may fly: straight from port to destination unless that crosses a no-fly polygon,
 * otherwise the shortest way around — a visibility graph over the polygons' corners pushed out by
 * a margin, searched with Dijkstra. Runs at dispatch (once per mission), never per tick.
 */
import type { LogisticsSpec } from '../spec/schema-logistics.js';

/** How far outside a no-fly polygon a detour keeps, m (a lateral buffer for navigation error). */
export const NO_FLY_MARGIN = 25;

export interface Polygon {
  id: string;
  xs: Float64Array;
  ys: Float64Array;
}

export class Airspace {
  readonly polygons: Polygon[];
  /** corners of every polygon pushed out by NO_FLY_MARGIN, that are outside every polygon */
  private readonly cornerX: number[] = [];
  private readonly cornerY: number[] = [];

  constructor(zones: LogisticsSpec['noFly']) {
    this.polygons = zones.map((z) => ({ id: z.id, xs: Float64Array.from(z.polygon.map((p) => p[0])), ys: Float64Array.from(z.polygon.map((p) => p[1])) }));
    for (const p of this.polygons) {
      const n = p.xs.length;
      // orientation: the outward normal of an edge is to its right for a counter-clockwise ring
      let area2 = 0;
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % n;
        area2 += p.xs[i] * p.ys[j] - p.xs[j] * p.ys[i];
      }
      const sign = area2 >= 0 ? 1 : -1;
      for (let i = 0; i < n; i++) {
        const a = (i + n - 1) % n;
        const b = (i + 1) % n;
        const n1 = outward(p.xs[a], p.ys[a], p.xs[i], p.ys[i], sign);
        const n2 = outward(p.xs[i], p.ys[i], p.xs[b], p.ys[b], sign);
        let nx = n1[0] + n2[0];
        let ny = n1[1] + n2[1];
        const l = Math.hypot(nx, ny) || 1;
        nx /= l;
        ny /= l;
        // the mitre keeps both neighbouring edges at least the margin away (bounded at sharp corners)
        const cos = Math.max(0.3, nx * n2[0] + ny * n2[1]);
        const x = p.xs[i] + (nx * NO_FLY_MARGIN) / cos;
        const y = p.ys[i] + (ny * NO_FLY_MARGIN) / cos;
        if (!this.inside(x, y)) {
          this.cornerX.push(x);
          this.cornerY.push(y);
        }
      }
    }
  }

  /** Whether (x, y) is inside any no-fly polygon (even-odd rule) or on its border. */
  inside(x: number, y: number): boolean {
    for (const p of this.polygons) {
      if (pointInPolygon(p, x, y)) return true;
      const n = p.xs.length;
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % n;
        if (segmentsCross(x, y, x, y, p.xs[i], p.ys[i], p.xs[j], p.ys[j])) return true;
      }
    }
    return false;
  }

  /** Whether the segment a–b enters any no-fly polygon. */
  blocked(ax: number, ay: number, bx: number, by: number): boolean {
    for (const p of this.polygons) {
      const n = p.xs.length;
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % n;
        if (segmentsCross(ax, ay, bx, by, p.xs[i], p.ys[i], p.xs[j], p.ys[j])) return true;
      }
      if (pointInPolygon(p, (ax + bx) / 2, (ay + by) / 2) || pointInPolygon(p, ax, ay) || pointInPolygon(p, bx, by)) return true;
    }
    return false;
  }

  /**
   * The shortest path from a to b that keeps out of every polygon, as [x0, y0, x1, y1, …] from a to
   * b, or null when there is none (an end inside a polygon, or no way around).
   */
  path(ax: number, ay: number, bx: number, by: number): number[] | null {
    if (this.inside(ax, ay) || this.inside(bx, by)) return null;
    if (!this.blocked(ax, ay, bx, by)) return [ax, ay, bx, by];
    // nodes: 0 = a, 1 = b, 2.. = corners
    const xs = [ax, bx, ...this.cornerX];
    const ys = [ay, by, ...this.cornerY];
    const n = xs.length;
    const dist = new Float64Array(n).fill(Infinity);
    const prev = new Int32Array(n).fill(-1);
    const done = new Uint8Array(n);
    dist[0] = 0;
    for (;;) {
      let u = -1;
      for (let i = 0; i < n; i++) if (!done[i] && dist[i] < Infinity && (u < 0 || dist[i] < dist[u])) u = i;
      if (u < 0 || u === 1) break;
      done[u] = 1;
      for (let v = 0; v < n; v++) {
        if (done[v] || v === u) continue;
        const d = dist[u] + Math.hypot(xs[v] - xs[u], ys[v] - ys[u]);
        if (d < dist[v] && !this.blocked(xs[u], ys[u], xs[v], ys[v])) {
          dist[v] = d;
          prev[v] = u;
        }
      }
    }
    if (dist[1] === Infinity) return null;
    const chain: number[] = [];
    for (let v = 1; v !== -1; v = prev[v]) chain.push(v);
    chain.reverse();
    const out: number[] = [];
    for (const v of chain) out.push(xs[v], ys[v]);
    return out;
  }
}

function outward(x1: number, y1: number, x2: number, y2: number, sign: number): [number, number] {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const l = Math.hypot(dx, dy) || 1;
  // right-hand normal (dy, −dx) points out of a counter-clockwise ring
  return [(sign * dy) / l, (-sign * dx) / l];
}

export function pointInPolygon(p: Polygon, x: number, y: number): boolean {
  let inside = false;
  const n = p.xs.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const yi = p.ys[i];
    const yj = p.ys[j];
    if (yi > y !== yj > y && x < ((p.xs[j] - p.xs[i]) * (y - yi)) / (yj - yi) + p.xs[i]) inside = !inside;
  }
  return inside;
}

/** Whether segments p1–p2 and p3–p4 cross or touch (collinear overlaps included). */
export function segmentsCross(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number, x4: number, y4: number): boolean {
  const d1 = orient(x3, y3, x4, y4, x1, y1);
  const d2 = orient(x3, y3, x4, y4, x2, y2);
  const d3 = orient(x1, y1, x2, y2, x3, y3);
  const d4 = orient(x1, y1, x2, y2, x4, y4);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  if (d1 === 0 && onSegment(x3, y3, x4, y4, x1, y1)) return true;
  if (d2 === 0 && onSegment(x3, y3, x4, y4, x2, y2)) return true;
  if (d3 === 0 && onSegment(x1, y1, x2, y2, x3, y3)) return true;
  if (d4 === 0 && onSegment(x1, y1, x2, y2, x4, y4)) return true;
  return false;
}

const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) => (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
const onSegment = (ax: number, ay: number, bx: number, by: number, px: number, py: number) =>
  Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);

/** Length of a path [x0, y0, x1, y1, …]. */
export function pathLength(p: readonly number[]): number {
  let l = 0;
  for (let i = 2; i < p.length; i += 2) l += Math.hypot(p[i] - p[i - 2], p[i + 1] - p[i - 1]);
  return l;
}
