/**
 * Positions of every entity at a time between two trace frames. Frames hold records in entity id
 * order, so one merge walk pairs them by id: no maps, no per-entity objects. Entities present only
 * in the earlier frame stay where they were (they leave at the next frame); those only in the
 * later frame appear when it is reached.
 */
import type { TraceFrame } from '../../engine/io/trace/format.js';

/** What is drawn: parallel arrays with room for `capacity` entities, `count` in use. */
export class EntityView {
  count = 0;
  time = 0;
  id: Uint32Array;
  x: Float32Array;
  y: Float32Array;
  z: Float32Array;
  heading: Float32Array;
  speed: Float32Array;
  cls: Uint8Array;
  flags: Uint8Array;

  constructor(public capacity = 1024) {
    this.id = new Uint32Array(capacity);
    this.x = new Float32Array(capacity);
    this.y = new Float32Array(capacity);
    this.z = new Float32Array(capacity);
    this.heading = new Float32Array(capacity);
    this.speed = new Float32Array(capacity);
    this.cls = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  /** Grows (doubling) so that `n` entities fit; contents are not kept. */
  reserve(n: number): void {
    if (n <= this.capacity) return;
    let c = this.capacity;
    while (c < n) c *= 2;
    this.capacity = c;
    this.id = new Uint32Array(c);
    this.x = new Float32Array(c);
    this.y = new Float32Array(c);
    this.z = new Float32Array(c);
    this.heading = new Float32Array(c);
    this.speed = new Float32Array(c);
    this.cls = new Uint8Array(c);
    this.flags = new Uint8Array(c);
  }

  /** Index of entity `id`, or -1 (binary search: entities are in id order). */
  indexOf(id: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.id[mid];
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

const TWO_PI = 2 * Math.PI;

/** The shortest turn from angle a to angle b, in (−π, π]. */
export function angleDelta(a: number, b: number): number {
  let d = (b - a) % TWO_PI;
  if (d > Math.PI) d -= TWO_PI;
  if (d <= -Math.PI) d += TWO_PI;
  return d;
}

/**
 * Fills `out` with the state at `time`, between frame `a` and frame `b` (b may be null at the end
 * of the trace or while it is still loading: then `a` is shown as it is).
 */
export function interpolateFrames(a: TraceFrame, b: TraceFrame | null, time: number, out: EntityView): void {
  out.reserve(a.count);
  out.time = time;
  const span = b ? b.time - a.time : 0;
  let f = span > 0 ? (time - a.time) / span : 0;
  if (f < 0) f = 0;
  if (f > 1) f = 1;
  let j = 0;
  const bn = b ? b.count : 0;
  for (let i = 0; i < a.count; i++) {
    const id = a.id[i];
    out.id[i] = id;
    out.cls[i] = a.cls[i];
    if (b) while (j < bn && b.id[j] < id) j++;
    if (b && j < bn && b.id[j] === id && f > 0) {
      out.x[i] = a.x[i] + (b.x[j] - a.x[i]) * f;
      out.y[i] = a.y[i] + (b.y[j] - a.y[i]) * f;
      out.z[i] = a.z[i] + (b.z[j] - a.z[i]) * f;
      out.heading[i] = a.heading[i] + angleDelta(a.heading[i], b.heading[j]) * f;
      out.speed[i] = a.speed[i] + (b.speed[j] - a.speed[i]) * f;
      // flags are states, not quantities: the nearer frame's
      out.flags[i] = f < 0.5 ? a.flags[i] : b.flags[j];
    } else {
      out.x[i] = a.x[i];
      out.y[i] = a.y[i];
      out.z[i] = a.z[i];
      out.heading[i] = a.heading[i];
      out.speed[i] = a.speed[i];
      out.flags[i] = a.flags[i];
    }
  }
  out.count = a.count;
}
