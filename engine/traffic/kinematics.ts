/**
 * Scalar building blocks of the hot loop: the IDM interaction term, the safety envelope and
 * arrival-time estimates. Small pure functions of numbers only, so V8 inlines them.
 *
 * Safety envelope (Gipps 1981, Transp. Res. B 15:105; the same idea as SUMO's Krauss model): a
 * follower keeps a state from which it can stop behind its leader even if the leader brakes at
 * its physical limit now. That state is invariant under braking at the follower's own limit, so
 * once a vehicle is safe it can always stay safe, and no gap ever becomes negative.
 */

/** Margin kept by the envelope against rounding, metres. */
export const SAFETY_MARGIN = 1e-3;

/** Halting speed below which a vehicle counts as stopped (as SUMO's waiting time), m/s. */
export const HALT_SPEED = 0.1;
/**
 * A driver at its stop line slower than this is still waiting there: its stood time (and so its
 * impatience at a junction) goes on while it edges forward, m/s (move.ts).
 */
export const CREEP_SPEED = 1.5;

/** (s* ÷ s)² of the IDM for one obstacle. */
export function idmZ2(v: number, dv: number, gap: number, s0: number, T: number, sqab2: number): number {
  let sStar = v * T + (v * dv) / sqab2;
  sStar = sStar > 0 ? s0 + sStar : s0;
  const z = sStar / (gap > 1e-3 ? gap : 1e-3);
  return z * z;
}

/** Full IDM acceleration against one obstacle (free road when gap is Infinity). */
export function idmAccel(v: number, v0: number, dv: number, gap: number, A: number, s0: number, T: number, sqab2: number): number {
  const r = v / v0;
  const r4 = r * r * r * r;
  return gap === Infinity ? A * (1 - r4) : A * (1 - r4 - idmZ2(v, dv, gap, s0, T, sqab2));
}

/** Distance a vehicle at speed v covers in one step dt while braking at b (ballistic, stop in step). */
export function brakingAdvance(v: number, b: number, dt: number): number {
  return v <= b * dt ? (v * v) / (2 * b) : v * dt - 0.5 * b * dt * dt;
}

/**
 * The shortest distance in which a Krauss driver (Euler update, step.ts) at speed v stops braking
 * at b, this step's travel included: dt·Σₖ₌₁ max(0, v − k·b·dt) (SUMO's brakeGapEuler). Less
 * than v²/(2b): such a leader stops sooner than a ballistic one.
 */
export function eulerBrakeGap(v: number, b: number, dt: number): number {
  const db = b * dt;
  const n = Math.floor(v / db);
  return dt * (n * v - (db * n * (n + 1)) / 2);
}

/**
 * The shortest distance in which a vehicle at speed v can stop braking at b: v²/(2b), or for a
 * Krauss driver (`euler` not 0) the Euler one, eulerBrakeGap. What a follower must be able to
 * stop behind.
 */
export function leaderStopDistance(v: number, b: number, dt: number, euler: number): number {
  return euler !== 0 ? eulerBrakeGap(v, b, dt) : (v * v) / (2 * b);
}

/**
 * The highest speed for the coming step from which a driver moving by the Euler update (a Krauss
 * driver) and braking at b from then on is down to vT within `dist`: SUMO's
 * MSCFModel::freeSpeed for the Euler update (SUMO 1.15), with which its drivers slow for a slower
 * lane ahead. Braking y full steps and then driving one at vT covers (y² + y)·b·dt²/2 + y·vT·dt;
 * what is left of `dist` is spread over the y + 1 steps. At dt → 0 it is √(vT² + 2·b·dist).
 */
export function eulerFreeSpeed(vT: number, b: number, dist: number, dt: number): number {
  const v = vT * dt;
  if (dist < v) return vT;
  const bb = b * dt * dt;
  const y0 = ((Math.sqrt((bb + 2 * v) * (bb + 2 * v) + 8 * bb * dist) - bb) * 0.5 - v) / bb;
  const y = y0 > 0 ? y0 : 0;
  const yFull = Math.floor(y);
  const covered = (yFull * yFull + yFull) * 0.5 * bb + yFull * v + (y > yFull ? v : 0);
  const rest = dist - covered;
  return (rest > 0 ? rest : 0) / ((yFull + 1) * dt) + yFull * b * dt + vT;
}

/** modes of safeAccel: the follower, and the obstacle, move by the Euler update (Krauss drivers). */
export const EULER_SELF = 1;
export const EULER_LEADER = 2;

/**
 * The largest acceleration for this step that keeps the follower (speed v, limit B) safe behind a
 * leader at bumper-to-bumper gap `gap` with speed vL and braking limit BL. A fixed obstacle (a
 * stop line) is a leader with vL = 0. May be below −B when the state is already unsafe.
 * `modes` (EULER_SELF | EULER_LEADER) says who moves by the Euler update: an Euler leader may
 * stop sooner (eulerBrakeGap), and an Euler follower covers its end speed times dt.
 */
export function safeAccel(v: number, B: number, gap: number, vL: number, BL: number, dt: number, modes: number): number {
  const leaderEuler = (modes & EULER_LEADER) !== 0;
  const leaderStop = leaderStopDistance(vL, BL, dt, modes & EULER_LEADER);
  // (1) after the step the gap stays >= 0 even if the leader brakes at BL
  const d1 = gap + (leaderEuler ? (vL > BL * dt ? (vL - BL * dt) * dt : 0) : brakingAdvance(vL, BL, dt)) - SAFETY_MARGIN;
  // (2) after the step the follower can still stop behind the leader's stopping point
  const d2 = gap + leaderStop - SAFETY_MARGIN;
  if ((modes & EULER_SELF) !== 0) {
    // Behind a moving leader: advance u·dt, then stop by the Euler update in eulerBrakeGap(u),
    // u·dt + eulerBrakeGap(u) ≤ d2. (Its bound u²/(2B) held a platoon leaving a stop line at
    // 1 s steps ~1.5 m/s below its leader: 24 vehicles a green where SUMO's drivers pass 27.)
    // Braking at the weaker of the two limits: both braking alike, the gap shrinks steadily
    // until one stands, so the stopping points are the closest they come; a follower braking
    // harder than its leader could be closest on the way.
    // Before a standing obstacle (a queue's tail, a stop line) the bound stays: which lines a
    // driver can still stop at is judged by it (decide-full.ts), and the exact stop moved the
    // all-way stop's mean trip at step 1 from +6 % to +19 % of SUMO's (stop-signs.test.ts).
    const u1 = d1 / dt;
    const u2 = d2 < 0 ? -1 : vL > 0 ? eulerStopSpeed(d2, BL < B ? BL : B, dt) : B * (-dt + Math.sqrt(dt * dt + (2 * d2) / B));
    const u = u1 < u2 ? u1 : u2;
    // (an Euler driver can stand still at once: end speed 0, no travel)
    return u >= 0 ? (u - v) / dt : -v / dt;
  }
  // end speed u allowed by (1): advance (v + u)·dt/2 <= d1
  const u1 = (2 * d1) / dt - v;
  // by (2): (v + u)·dt/2 + u²/(2B) <= d2
  const R = d2 - (v * dt) / 2;
  const u2 = R >= 0 ? B * (-dt / 2 + Math.sqrt((dt * dt) / 4 + (2 * R) / B)) : -1;
  const u = u1 < u2 ? u1 : u2;
  if (u >= 0) return (u - v) / dt;
  // must stop within this step, inside distance D
  const D = d1 < d2 ? d1 : d2;
  if (v <= 0) return 0;
  return D > 1e-9 ? -(v * v) / (2 * D) : -1e9;
}

/**
 * The highest end speed u of this step from which a driver moving by the Euler update covers
 * at most `d` in this step and its stop at b after it: u·dt + eulerBrakeGap(u, b, dt) ≤ d.
 * That sum is (n + 1)·u·dt − n(n + 1)/2·b·dt² for u in [n·b·dt, (n + 1)·b·dt), so n is the
 * largest whole number with n(n + 1)/2·b·dt² ≤ d (kraussSafeSpeed with τ = dt, written out).
 * It tends to √(2·b·d) as dt → 0.
 */
export function eulerStopSpeed(d: number, b: number, dt: number): number {
  const bb = b * dt * dt;
  const n = Math.floor((Math.sqrt(1 + (8 * d) / bb) - 1) / 2);
  return d / ((n + 1) * dt) + (n * b * dt) / 2;
}

/**
 * Time to cover distance d starting at speed v, accelerating at A up to `cruise` and going on at
 * it (a driver does not pass its desired speed: uncapped, one at 13.9 m/s 110 m out "arrived" in
 * 5.3 s, not 7.9). A v above `cruise` is kept.
 */
export function arrivalTimeCapped(d: number, v: number, A: number, cruise: number): number {
  if (d <= 0) return 0;
  if (v >= cruise) return v > 0 ? d / v : Infinity;
  const tUp = (cruise - v) / A;
  const dUp = 0.5 * (v + cruise) * tUp;
  if (d <= dUp) return (-v + Math.sqrt(v * v + 2 * A * d)) / A;
  return tUp + (d - dUp) / cruise;
}

/**
 * Krauss's safe speed (Krauß 1998, "Microscopic modeling of traffic flow: investigation of
 * collision free vehicle dynamics", DLR report 98-08, ch. 4), step by step as SUMO computes it
 * for its Euler update (MSCFModel::maximumSafeFollowSpeed → maximumSafeStopSpeedEuler, SUMO
 * 1.15): the largest speed x from which the driver, reacting after τ and then braking by b·dt
 * each step, stops within g = `room` plus the distance in which an obstacle at speed vL stops
 * braking at bL by the same update (eulerBrakeGap). Braking n whole steps covers
 * n(n−1)/2·b·dt² + n·b·dt·τ; x = n·b·dt + the rest of g spread over n·dt + τ. As dt → 0 this is
 * the continuous u·τ + u²/(2b) = room + vL²/(2·bL); at dt = 1 it is what SUMO's drivers do.
 * For another vehicle `room` is the gap less the driver's minimum gap and τ its headway; for a
 * stop line it is the distance to where it stops and τ the step (SUMO's stopSpeed: a uniform
 * approach to the line).
 */
export function kraussSafeSpeed(room: number, vL: number, bL: number, tau: number, b: number, dt: number): number {
  const g = room + (vL > 0 ? eulerBrakeGap(vL, bL, dt) : 0);
  if (g <= 0) return 0;
  const bs = b * dt;
  const n = Math.floor(0.5 - (tau - 0.5 * Math.sqrt(dt * dt + 4 * (dt * ((2 * g) / bs - tau) + tau * tau))) / dt);
  const h = 0.5 * n * (n - 1) * bs * dt + n * bs * tau;
  const span = n * dt + tau;
  // (no reaction time and no whole step of braking: the rest is covered in no time, any speed)
  return span > 0 ? n * bs + (g - h) / span : n * bs;
}

/**
 * A Krauss driver's acceleration for this step: the speed it aims at is the lowest of v + a·dt,
 * its desired speed and the safe speed of its tightest obstacle; it then dawdles by
 * σ·min(a, u)·dt·η (η uniform in [0, 1): `eta`), as SUMO's MSCFModel_Krauss::dawdle2 does, but
 * never so much that it brakes harder than b because of it.
 */
export function kraussAccel(v: number, v0: number, uSafe: number, A: number, B: number, sigma: number, dt: number, eta: number): number {
  let u = v + A * dt;
  if (u > v0) u = v0 > v - B * dt ? v0 : v - B * dt;
  if (u > uSafe) u = uSafe;
  if (sigma > 0) {
    const floor = v - B * dt < u ? v - B * dt : u;
    u -= sigma * (u < A ? u : A) * dt * eta;
    if (u < floor) u = floor;
    if (u < 0) u = 0;
  }
  return (u - v) / dt;
}
