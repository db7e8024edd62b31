/**
 * The Intelligent Driver Model (Treiber, Hennecke & Helbing 2000, Phys. Rev. E 62:1805), as given
 * in docs/models.md, IDM:
 *   a = A·[1 − (v/v0)^4 − (s* ÷ s)^2],  s* = s0 + v·T + v·Δv / (2·√(A·B))
 * These scalar forms serve tests, insertion and the analytic figures; the hot loop inlines the
 * same arithmetic.
 */

export interface IdmParams {
  /** maximum acceleration A, m/s² */
  accel: number;
  /** comfortable deceleration B, m/s² */
  decel: number;
  /** time headway T, s */
  headway: number;
  /** jam distance s0, m */
  minGap: number;
  /** vehicle length l, m */
  length: number;
}

/** Desired dynamic gap s*(v, Δv); Δv = v − v_leader (positive when closing in). */
export function desiredGap(p: IdmParams, v: number, dv: number): number {
  return p.minGap + Math.max(0, v * p.headway + (v * dv) / (2 * Math.sqrt(p.accel * p.decel)));
}

export function idmAccel(p: IdmParams, v: number, v0: number, gap: number, dv: number): number {
  const r = v / v0;
  const z = desiredGap(p, v, dv) / Math.max(gap, 1e-3);
  return p.accel * (1 - r * r * r * r - z * z);
}

/** Equilibrium gap at speed v: s_e(v) = (s0 + v·T) / sqrt(1 − (v/v0)^4); Infinity at v ≥ v0. */
export function equilibriumGap(p: IdmParams, v: number, v0: number): number {
  const r = v / v0;
  const d = 1 - r * r * r * r;
  return d <= 0 ? Infinity : (p.minGap + v * p.headway) / Math.sqrt(d);
}

/** Equilibrium speed for a bumper-to-bumper gap s (inverse of s_e, by bisection). */
export function equilibriumSpeed(p: IdmParams, gap: number, v0: number): number {
  if (gap <= p.minGap) return 0;
  let lo = 0;
  let hi = v0;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (equilibriumGap(p, mid, v0) < gap) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Steady-state flow (veh/s) at speed v: Q = v / (s_e(v) + l). */
export function equilibriumFlow(p: IdmParams, v: number, v0: number): number {
  return v / (equilibriumGap(p, v, v0) + p.length);
}

/**
 * Single-lane capacity: the maximum of Q(v) over 0 < v < v0 (golden-section search; Q is
 * unimodal). Returns the flow in veh/s and the speed at which it is reached.
 */
export function laneCapacity(p: IdmParams, v0: number): { flow: number; speed: number } {
  let a = 0;
  let b = v0;
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  for (let i = 0; i < 100; i++) {
    if (equilibriumFlow(p, c, v0) > equilibriumFlow(p, d, v0)) b = d;
    else a = c;
    c = b - g * (b - a);
    d = a + g * (b - a);
  }
  const speed = (a + b) / 2;
  return { flow: equilibriumFlow(p, speed, v0), speed };
}
