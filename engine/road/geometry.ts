/** Small plane-geometry helpers for polylines given as [x, y] pairs (metres, x east, y north). */

export type Point = [number, number];

export function polylineLength(shape: readonly Point[]): number {
  let len = 0;
  for (let i = 1; i < shape.length; i++) len += Math.hypot(shape[i][0] - shape[i - 1][0], shape[i][1] - shape[i - 1][1]);
  return len;
}

/** Heading (radians, counter-clockwise from east) of the first segment of non-zero length. */
export function startHeading(shape: readonly Point[]): number {
  for (let i = 1; i < shape.length; i++) {
    const dx = shape[i][0] - shape[0][0];
    const dy = shape[i][1] - shape[0][1];
    if (dx !== 0 || dy !== 0) return Math.atan2(dy, dx);
  }
  return 0;
}

/** Heading of the last segment of non-zero length, in the direction of travel. */
export function endHeading(shape: readonly Point[]): number {
  const n = shape.length - 1;
  for (let i = n - 1; i >= 0; i--) {
    const dx = shape[n][0] - shape[i][0];
    const dy = shape[n][1] - shape[i][1];
    if (dx !== 0 || dy !== 0) return Math.atan2(dy, dx);
  }
  return 0;
}

/** Angle normalised to (-π, π]. */
export function normalizeAngle(a: number): number {
  let r = a % (2 * Math.PI);
  if (r <= -Math.PI) r += 2 * Math.PI;
  if (r > Math.PI) r -= 2 * Math.PI;
  return r;
}

/**
 * Offsets a polyline sideways by `offset` metres (positive = to the right of the direction of
 * travel), joining segments at the mitre of their normals. Used for lane centre lines.
 */
export function offsetPolyline(shape: readonly Point[], offset: number): Point[] {
  if (offset === 0 || shape.length < 2) return shape.map((p) => [p[0], p[1]] as Point);
  const normals: Point[] = [];
  for (let i = 1; i < shape.length; i++) {
    const dx = shape[i][0] - shape[i - 1][0];
    const dy = shape[i][1] - shape[i - 1][1];
    const l = Math.hypot(dx, dy) || 1;
    normals.push([dy / l, -dx / l]); // right-hand normal
  }
  const out: Point[] = [];
  for (let i = 0; i < shape.length; i++) {
    const a = normals[Math.max(0, i - 1)];
    const b = normals[Math.min(normals.length - 1, i)];
    let nx = a[0] + b[0];
    let ny = a[1] + b[1];
    const l = Math.hypot(nx, ny);
    if (l < 1e-9) {
      nx = b[0];
      ny = b[1];
    } else {
      nx /= l;
      ny /= l;
    }
    // mitre length, bounded so that sharp corners do not shoot out
    const cos = nx * b[0] + ny * b[1];
    const k = offset / Math.max(0.25, cos);
    out.push([shape[i][0] + nx * k, shape[i][1] + ny * k]);
  }
  return out;
}
