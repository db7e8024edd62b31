/**
 * Where a position on a lane is in the plane: for the trace and the viewer. The lane's drawn
 * polyline may be a little longer or shorter than its driving length (offset curves, the ring),
 * so positions are scaled onto it.
 *
 * Every lane's points sit in flat arrays, one lane after another, with each segment's heading
 * worked out once: the trace encodes every vehicle every sampled second, and at step 1 on a city
 * that is thousands of points a tick (an arc tangent each, and three array lookups per lane, when
 * the points were kept lane by lane).
 */
import type { Network } from './network.js';

export class LaneGeometry {
  /** lane l's points are first[l] .. first[l + 1] − 1 */
  private readonly first: Int32Array;
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  /** distance along its lane's polyline to each point (0 at the lane's first) */
  private readonly cum: Float64Array;
  /** heading of the segment from each point to the next of its lane (0 for a lane of one point) */
  readonly hs: Float64Array;

  constructor(private readonly net: Network) {
    const shapes = net.laneShape;
    this.first = new Int32Array(shapes.length + 1);
    for (let l = 0; l < shapes.length; l++) this.first[l + 1] = this.first[l] + shapes[l].length;
    const n = this.first[shapes.length];
    this.xs = new Float64Array(n);
    this.ys = new Float64Array(n);
    this.cum = new Float64Array(n);
    this.hs = new Float64Array(n);
    for (let l = 0; l < shapes.length; l++) {
      const sh = shapes[l];
      const a = this.first[l];
      for (let i = 0; i < sh.length; i++) {
        this.xs[a + i] = sh[i][0];
        this.ys[a + i] = sh[i][1];
        if (i > 0) this.cum[a + i] = this.cum[a + i - 1] + Math.hypot(sh[i][0] - sh[i - 1][0], sh[i][1] - sh[i - 1][1]);
      }
      for (let i = 0; i + 1 < sh.length; i++) this.hs[a + i] = Math.atan2(sh[i + 1][1] - sh[i][1], sh[i + 1][0] - sh[i][0]);
    }
  }

  /**
   * Writes x, y, heading (radians, counter-clockwise from east) of `pos` on `lane` into out[0..2];
   * returns the index of the segment's first point (the trace encodes the headings by segment).
   */
  point(lane: number, pos: number, out: Float64Array): number {
    const cum = this.cum;
    const xs = this.xs;
    const ys = this.ys;
    let lo = this.first[lane];
    let hi = this.first[lane + 1] - 1;
    const total = cum[hi];
    let s = (pos / this.net.laneLength[lane]) * total;
    if (s < 0) s = 0;
    if (s > total) s = total;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] <= s) lo = mid;
      else hi = mid;
    }
    const segLen = cum[hi] - cum[lo] || 1;
    const f = (s - cum[lo]) / segLen;
    out[0] = xs[lo] + (xs[hi] - xs[lo]) * f;
    out[1] = ys[lo] + (ys[hi] - ys[lo]) * f;
    out[2] = this.hs[lo];
    return lo;
  }
}
