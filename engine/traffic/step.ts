/**
 * One step of the ballistic update at constant acceleration a over dt,
 *   x += v·dt + ½·a·dt²,  v = max(0, v + a·dt),
 * with the stop-in-step correction: a vehicle whose speed would turn negative inside the step
 * stops at x + v²/(2|a|) (Treiber & Kesting, "Traffic Flow Dynamics" (2013), §10).
 *
 * The move phase applies it; the lane-change checks (MOBIL's own state after the step, the
 * pairwise check of accepted changes) predict a vehicle's state after the step with it. One
 * definition, so a prediction is the very floating-point number move will produce for the same
 * acceleration. Numbers in, one number out: V8 inlines both.
 */

/**
 * Distance covered in the step; `halfDt2` is ½·dt² (computed once by the caller).
 * Speeds are never negative (every writer clamps them at 0), so a stop inside the step means
 * a < 0. (One expression on purpose: MOBIL inlines both functions of this module at the edge of
 * V8's inlining budget, and the bytes of a guard for a ≥ 0 cost it an inlined idmZ2 on Laoshan.)
 */
export function stepAdvance(v: number, a: number, dt: number, halfDt2: number): number {
  return v + a * dt < 0 ? -(v * v) / (2 * a) : v * dt + a * halfDt2;
}

/** Speed at the end of the step: 0 when the vehicle stops inside it. */
export function stepEndSpeed(v: number, a: number, dt: number): number {
  const u = v + a * dt;
  return u < 0 ? 0 : u;
}

/**
 * Distance covered in the step by a Krauss driver: Krauss's model is a discrete map whose
 * position follows the speed chosen for the step, x += v'·dt (Krauß 1998; SUMO's default
 * integration, the "Euler" update), not the ballistic update above. At step 1 s the difference
 * is half a step of travel at every start from a stop.
 */
export function eulerAdvance(v: number, a: number, dt: number): number {
  const u = v + a * dt;
  return u > 0 ? u * dt : 0;
}

/** The distance covered in the step by a driver of either kind (`euler`: a Krauss driver). */
export function advanceOf(v: number, a: number, dt: number, halfDt2: number, euler: number): number {
  return euler !== 0 ? eulerAdvance(v, a, dt) : stepAdvance(v, a, dt, halfDt2);
}
