/**
 * Where a position on a lane is in the plane: for the trace and the viewer. The lane's drawn
 * polyline may be a little longer or shorter than its driving length (offset curves, the ring),
 * so positions are scaled onto it.
 */
import type { Network } from './network.js';

export class LaneGeometry {
  private readonly xs: Float64Array[];
  private readonly ys: Float64Array[];
  private readonly cum: Float64Array[];

  constructor(private readonly net: Network) {
    this.xs = net.laneShape.map((sh) => Float64Array.from(sh.map((p) => p[0])));
    this.ys = net.laneShape.map((sh) => Float64Array.from(sh.map((p) => p[1])));
    this.cum = net.laneShape.map((sh) => {
      const c = new Float64Array(sh.length);
      for (let i = 1; i < sh.length; i++) c[i] = c[i - 1] + Math.hypot(sh[i][0] - sh[i - 1][0], sh[i][1] - sh[i - 1][1]);
      return c;
    });
  }

  /** Writes x, y, heading (radians, counter-clockwise from east) of `pos` on `lane` into out[0..2]. */
  point(lane: number, pos: number, out: Float64Array): void {
    const cum = this.cum[lane];
    const xs = this.xs[lane];
    const ys = this.ys[lane];
    const total = cum[cum.length - 1];
    let s = (pos / this.net.laneLength[lane]) * total;
    if (s < 0) s = 0;
    if (s > total) s = total;
    let lo = 0;
    let hi = cum.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] <= s) lo = mid;
      else hi = mid;
    }
    const segLen = cum[hi] - cum[lo] || 1;
    const f = (s - cum[lo]) / segLen;
    out[0] = xs[lo] + (xs[hi] - xs[lo]) * f;
    out[1] = ys[lo] + (ys[hi] - ys[lo]) * f;
    out[2] = Math.atan2(ys[hi] - ys[lo], xs[hi] - xs[lo]);
  }
}
