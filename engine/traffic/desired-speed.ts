/**
 * A driver's desired speed v0, the free-road target of the IDM: the lane's limit times the
 * driver's factor, capped by the type's top speed, any V2X speed advice and a speed-limit zone of
 * a road event (the factor applies to the zone's limit too), never below 0.5 m/s (the IDM divides
 * by it). One definition for both decide passes and for MOBIL's look at a neighbour lane, so a
 * vehicle's acceleration and its lane-change estimates agree to the bit.
 */
import type { SimCtx } from './context.js';
import { LANE_EVENT_STRIDE, LE_ZONE_END, LE_ZONE_LIMIT, LE_ZONE_START } from './roadevents.js';

/**
 * The desired speed from its inputs (the caller reads them from its own array locals, so the hot
 * loop loads nothing twice): the lane limit, the driver's factor, the type's top speed, the V2X
 * advice (Infinity: none) and the limit of the speed-limit zone where the driver is (Infinity:
 * none; zoneLimitAt). Numbers in, one number out: V8 inlines it.
 */
export function desiredSpeed(laneLimit: number, factor: number, typeMax: number, advice: number, zoneLimit: number): number {
  let v0 = laneLimit * factor;
  if (v0 > typeMax) v0 = typeMax;
  if (advice < v0) v0 = advice;
  if (zoneLimit !== Infinity && zoneLimit * factor < v0) v0 = zoneLimit * factor;
  // (a literal on purpose: an exported constant is read from its module cell, a boxed number,
  // and merging it into v0 made V8 box v0 in decide's full pass: 5 % more scavenges on the grid)
  if (v0 < 0.5) v0 = 0.5;
  return v0;
}

/**
 * The limit of the speed-limit zone on `lane` at position x, or Infinity outside any (road
 * events). Decide's full pass writes this lookup out in its own body instead of calling it: that
 * loop is at V8's inlining budget, and inlining this too cost it an inlined idmZ2 call on Laoshan
 * (whose doubles were then boxed).
 */
export function zoneLimitAt(laneEvents: Float64Array, lane: number, x: number): number {
  const le = lane * LANE_EVENT_STRIDE;
  const limit = laneEvents[le + LE_ZONE_LIMIT];
  return limit !== Infinity && x >= laneEvents[le + LE_ZONE_START] && x < laneEvents[le + LE_ZONE_END] ? limit : Infinity;
}

/**
 * The speed limit of the curve of the turn through connection `pc` (the one a vehicle came in
 * by; −1: none) while the vehicle's front, at x on the lane turned into, is still in it
 * (road/turn-speed.ts), else Infinity. Arrays and numbers in, one number out: V8 inlines it.
 */
export function curveLimit(connSpeed: Float64Array, connCurve: Float64Array, pc: number, x: number): number {
  return pc >= 0 && x < connCurve[pc] ? connSpeed[pc] : Infinity;
}

/** The desired speed of vehicle i (of type t, at its position) if it were on `lane`. */
export function desiredSpeedOn(c: SimCtx, i: number, lane: number, t: number): number {
  const s = c.v;
  let zone = c.roadEventsInForce ? zoneLimitAt(c.laneEvents, lane, s.pos[i]) : Infinity;
  // on its own lane, in the curve of the turn it has just taken, as decide
  if (lane === s.lane[i]) {
    const curve = curveLimit(c.connSpeed, c.connCurve, s.prevConn[i], s.pos[i]);
    if (curve < zone) zone = curve;
  }
  return desiredSpeed(c.laneSpeed[lane], s.speedFactor[i], c.tVmax[t], s.speedAdvice[i], zone);
}
