/**
 * The path a selected road vehicle drives, from the trace itself: its position in every frame
 * from its departure to its arrival (or the end of the trace), read in chunks of frames by byte
 * range like any seek. Thinned to points at least a metre apart; each point keeps the time of the
 * frame it was first seen at, so the path can be cut at any time (route-layer.ts).
 */
import type { FrameSource } from './frame-source.js';

export interface TracePath {
  /** x, y, z per point, simulation coordinates */
  pts: number[];
  /** the frame time of each point, rising */
  times: number[];
}

export async function vehiclePath(src: FrameSource, id: number, from: number, to: number, chunk = 120): Promise<TracePath> {
  const i0 = src.indexAt(from);
  const i1 = Math.min(src.frameCount() - 1, src.indexAt(to) + 1);
  const pts: number[] = [];
  const times: number[] = [];
  for (let a = i0; a <= i1; a += chunk) {
    const b = Math.min(i1 + 1, a + chunk);
    // frames another request is already reading are not read twice: wait for them and look again
    for (let tries = 0; tries < 20; tries++) {
      await src.request(a, b);
      let missing = false;
      for (let i = a; i < b && !missing; i++) missing = src.get(i) === undefined;
      if (!missing) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    for (let i = a; i < b; i++) {
      const f = src.get(i);
      if (!f) continue;
      for (let k = 0; k < f.count; k++) {
        if (f.id[k] !== id) continue;
        const n = pts.length;
        if (n === 0 || Math.hypot(f.x[k] - pts[n - 3], f.y[k] - pts[n - 2]) >= 1) {
          pts.push(f.x[k], f.y[k], 0.5);
          times.push(f.time);
        }
        break;
      }
    }
  }
  return { pts, times };
}
