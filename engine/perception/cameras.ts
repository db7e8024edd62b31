/**
 * Fixed cameras and their video analytics (docs/perception.md, "Cameras"). A camera sees a point
 * when its slant distance from the lens, √(d² + h²), is within the analytics' range and the point
 * lies inside the horizontal field of view. Each second an event is in view of n cameras, the
 * analytics flags it with probability 1 − (1 − p)ⁿ, p the kind's per-second figure by day or
 * night; the first flag is a detection, which an operator confirms from the video. The first
 * look is in the second the event occurs, so the delay from occurrence to detection is
 * geometric: P(delay = k s) = (1 − q)^k·q for k = 0, 1, …, mean (1 − q)/q.
 */
import type { CameraSpec } from '../spec/schema-perception.js';

export interface Camera {
  id: string;
  x: number;
  y: number;
  height: number;
  range: number;
  /** half the field of view, radians */
  halfFov: number;
  /** centre of the view, radians counter-clockwise from east */
  heading: number;
}

export function buildCameras(specs: readonly CameraSpec[]): Camera[] {
  return specs.map((c) => ({ id: c.id, x: c.x, y: c.y, height: c.height, range: c.range, halfFov: (c.fov * Math.PI) / 360, heading: (c.heading * Math.PI) / 180 }));
}

/** The ground distance up to which camera c sees (its slant range less its height). */
export const groundReach = (c: Camera): number => (c.range > c.height ? Math.sqrt(c.range * c.range - c.height * c.height) : 0);

/** Whether camera c sees the ground point (x, y). */
export function cameraSees(c: Camera, x: number, y: number): boolean {
  const dx = x - c.x;
  const dy = y - c.y;
  const d2 = dx * dx + dy * dy;
  if (d2 + c.height * c.height > c.range * c.range) return false;
  if (c.halfFov >= Math.PI || d2 === 0) return true;
  let a = Math.atan2(dy, dx) - c.heading;
  a -= 2 * Math.PI * Math.round(a / (2 * Math.PI));
  return Math.abs(a) <= c.halfFov;
}

/** The cameras that see (x, y), by index. */
export function camerasSeeing(cams: readonly Camera[], x: number, y: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < cams.length; i++) if (cameraSees(cams[i], x, y)) out.push(i);
  return out;
}

/** Per-second probability that at least one of `n` cameras flags an event of per-camera figure p. */
export const cameraDetectProbability = (p: number, n: number): number => (n === 0 ? 0 : 1 - Math.pow(1 - p, n));

/** Whether clock time `t` (s after midnight, any day) is night, for a night of [from, until) (wrapping midnight when from > until). */
export function isNight(t: number, from: number, until: number): boolean {
  const s = ((t % 86400) + 86400) % 86400;
  return from <= until ? s >= from && s < until : s >= from || s < until;
}
