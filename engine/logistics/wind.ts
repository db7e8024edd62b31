/**
 * Wind over time (scenario `logistics.wind`): points of speed and direction, linear in between as
 * a vector (east, north components), constant before the first and after the last point. Drone
 * ports ground their drones above their limit; drones in the air fly with it (ground speed) and
 * the dispatcher plans with the strongest wind of the mission's window, which the schedule tells.
 */
import type { LogisticsSpec } from '../spec/schema-logistics.js';

export class WindSchedule {
  private readonly t: Float64Array;
  /** the vector the air moves toward, m/s (x east, y north) */
  private readonly wx: Float64Array;
  private readonly wy: Float64Array;

  constructor(points: LogisticsSpec['wind']) {
    const sorted = [...points].sort((a, b) => a.time - b.time);
    this.t = Float64Array.from(sorted.map((p) => p.time));
    // `direction` is where it blows from, clockwise from north; the air moves the other way
    this.wx = Float64Array.from(sorted.map((p) => -p.speed * Math.sin((p.direction * Math.PI) / 180)));
    this.wy = Float64Array.from(sorted.map((p) => -p.speed * Math.cos((p.direction * Math.PI) / 180)));
  }

  /** Writes the wind vector at `time` into out[0], out[1]. */
  vector(time: number, out: Float64Array): void {
    const t = this.t;
    const n = t.length;
    if (n === 0) {
      out[0] = 0;
      out[1] = 0;
      return;
    }
    if (time <= t[0]) {
      out[0] = this.wx[0];
      out[1] = this.wy[0];
      return;
    }
    if (time >= t[n - 1]) {
      out[0] = this.wx[n - 1];
      out[1] = this.wy[n - 1];
      return;
    }
    let k = 0;
    while (t[k + 1] < time) k++;
    const f = (time - t[k]) / (t[k + 1] - t[k] || 1);
    out[0] = this.wx[k] + (this.wx[k + 1] - this.wx[k]) * f;
    out[1] = this.wy[k] + (this.wy[k + 1] - this.wy[k]) * f;
  }

  private readonly tmp = new Float64Array(2);

  /** Wind speed at `time`, m/s. */
  speed(time: number): number {
    this.vector(time, this.tmp);
    return Math.hypot(this.tmp[0], this.tmp[1]);
  }

  /**
   * The strongest wind in [from, to]. The speed is convex along each linear piece of the vector,
   * so its maximum is at an end of the window or at a point of the schedule inside it.
   */
  maxSpeed(from: number, to: number): number {
    let m = Math.max(this.speed(from), this.speed(to));
    for (let k = 0; k < this.t.length; k++) if (this.t[k] > from && this.t[k] < to) m = Math.max(m, Math.hypot(this.wx[k], this.wy[k]));
    return m;
  }
}

/**
 * Ground speed along a unit track (ux, uy) at airspeed `va` in wind (wx, wy): the drone crabs
 * into the cross wind and keeps its track, so vg = w·u + sqrt(va² − (w×u)²). 0 when the cross
 * wind is at least the airspeed (it cannot hold the track).
 */
export function groundSpeed(va: number, ux: number, uy: number, wx: number, wy: number): number {
  const along = wx * ux + wy * uy;
  const cross = wx * uy - wy * ux;
  const c2 = va * va - cross * cross;
  if (c2 <= 0) return 0;
  const vg = along + Math.sqrt(c2);
  return vg > 0 ? vg : 0;
}
