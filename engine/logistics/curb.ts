/**
 * Curb points: where on the road network a destination is served from — the nearest point of
 * any edge's kerb lane (its rightmost lane, so the stop is on the side of the street the
 * building is on). Computed once per order at dispatch, never per tick.
 */
import type { Network } from '../road/network.js';

export interface CurbPoint {
  edge: number;
  /** position along the edge, m */
  pos: number;
  x: number;
  y: number;
  /** straight distance from the destination, m */
  distance: number;
}

export class Curbs {
  constructor(private readonly net: Network) {}

  /** The nearest kerb point to (x, y), ties by edge index; `accept` may rule edges out. */
  nearest(x: number, y: number, accept?: (edge: number) => boolean): CurbPoint | null {
    const net = this.net;
    let best: CurbPoint | null = null;
    for (let e = 0; e < net.edgeIds.length; e++) {
      if (accept && !accept(e)) continue;
      const shape = net.laneShape[net.edgeFirstLane[e]];
      let total = 0;
      for (let i = 1; i < shape.length; i++) total += Math.hypot(shape[i][0] - shape[i - 1][0], shape[i][1] - shape[i - 1][1]);
      let run = 0;
      for (let i = 1; i < shape.length; i++) {
        const [ax, ay] = shape[i - 1];
        const [bx, by] = shape[i];
        const dx = bx - ax;
        const dy = by - ay;
        const l2 = dx * dx + dy * dy;
        const f = l2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / l2)) : 0;
        const qx = ax + dx * f;
        const qy = ay + dy * f;
        const d = Math.hypot(x - qx, y - qy);
        const l = Math.sqrt(l2);
        if (!best || d < best.distance - 1e-9) {
          // the lane's drawn length may differ from the edge's driving length: scale
          const pos = total > 0 ? ((run + l * f) / total) * net.edgeLength[e] : 0;
          best = { edge: e, pos, x: qx, y: qy, distance: d };
        }
        run += l;
      }
    }
    return best;
  }
}
