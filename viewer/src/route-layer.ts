/**
 * The selected road vehicle's route in two parts, cut where the vehicle is now: the part driven
 * (its trace positions up to the time shown, then where it is drawn) faint, the part ahead strong.
 * A vehicle stuck at a lane end is rerouted (a `reroute` event): what it drives after a reroute
 * that is still to come was not its plan at the time shown, and that plan is not recorded, so the
 * part ahead ends at the next reroute. After a reroute the trace's positions are the new plan,
 * so a rerouted vehicle shows its route as planned now.
 */
import type { Stage } from './scene.js';
import { LineBuffer } from './line-buffer.js';
import { SELECTION } from './palette.js';
import type { TracePath } from './vehicle-route.js';

/** Points with time ≤ t, by binary search over rising times. */
export function countUpTo(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first reroute after t (Infinity: none). `reroutes` rising. */
export function nextReroute(reroutes: readonly number[], t: number): number {
  for (const r of reroutes) if (r > t) return r;
  return Infinity;
}

export interface RouteParts {
  driven: number[];
  ahead: number[];
}

/**
 * Cuts a trace path at time t: driven = the points up to t and then `at` (where the vehicle is
 * drawn, null when it is not on the road now); ahead = from `at` (or the last point driven) over
 * the points after t up to `until` (the next reroute).
 */
export function splitPath(path: TracePath, t: number, at: { x: number; y: number } | null, until: number): RouteParts {
  const k = countUpTo(path.times, t);
  const e = Math.max(k, countUpTo(path.times, until));
  const driven = path.pts.slice(0, k * 3);
  const ahead: number[] = [];
  if (at) {
    if (k > 0) driven.push(at.x, at.y, 0.5);
    ahead.push(at.x, at.y, 0.5);
  } else if (k > 0 && e > k) ahead.push(...path.pts.slice((k - 1) * 3, k * 3));
  for (let i = k * 3; i < e * 3; i++) ahead.push(path.pts[i]);
  return { driven, ahead };
}

export interface RouteDebug {
  id: number;
  points: number;
  from: number;
  to: number;
  /** the time the route is cut at, and the points of each part (the vehicle's position counts in both) */
  cut: number;
  driven: number;
  ahead: number;
  /** the next reroute after the cut, where the part ahead ends (null: none) */
  until: number | null;
  reroutes: number;
  /** where the parts meet (the vehicle, or the last point driven) and where the part ahead ends (null: an empty part) */
  joint: { x: number; y: number } | null;
  aheadEnd: { x: number; y: number } | null;
}

export class RouteLayer {
  readonly driven: LineBuffer;
  readonly ahead: LineBuffer;
  private path: TracePath | null = null;
  private reroutes: number[] = [];
  private lastKey = '';
  debug: RouteDebug | null = null;

  constructor(stage: Stage) {
    this.driven = new LineBuffer('vehicle route driven', SELECTION, 0.45, stage, 8);
    this.ahead = new LineBuffer('vehicle route ahead', SELECTION, 0.95, stage, 9);
  }

  clear(): void {
    this.path = null;
    this.debug = null;
    this.lastKey = '';
    this.driven.setPolylines([]);
    this.ahead.setPolylines([]);
  }

  /** A new path for vehicle `id`, from `from` to `to`, with its reroute times (rising). */
  set(id: number, path: TracePath, from: number, to: number, reroutes: number[]): void {
    this.path = path;
    this.reroutes = reroutes;
    this.lastKey = '';
    this.debug = { id, points: path.pts.length / 3, from, to, cut: NaN, driven: 0, ahead: 0, until: null, reroutes: reroutes.length, joint: null, aheadEnd: null };
  }

  /** Recuts the route at t, the vehicle drawn at `at`; returns whether the lines changed. */
  update(t: number, at: { x: number; y: number } | null): boolean {
    if (!this.path || !this.debug) return false;
    const key = `${t}|${at?.x}|${at?.y}`;
    if (key === this.lastKey) return false;
    this.lastKey = key;
    const until = nextReroute(this.reroutes, t);
    const parts = splitPath(this.path, t, at, until);
    this.driven.setPolylines([parts.driven]);
    this.ahead.setPolylines([parts.ahead]);
    const a = parts.ahead;
    const joint = a.length > 0 ? { x: a[0], y: a[1] } : parts.driven.length > 0 ? { x: parts.driven[parts.driven.length - 3], y: parts.driven[parts.driven.length - 2] } : null;
    const aheadEnd = a.length > 0 ? { x: a[a.length - 3], y: a[a.length - 2] } : null;
    Object.assign(this.debug, { cut: t, driven: parts.driven.length / 3, ahead: a.length / 3, until: Number.isFinite(until) ? until : null, joint, aheadEnd });
    return true;
  }
}
