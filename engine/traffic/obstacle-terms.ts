/**
 * The car-following terms of one obstacle for decide's full pass (decide-full.ts) and the look
 * past the lane end it calls (look-ahead.ts): the IDM term (kinematics.ts idmZ2), the safety
 * envelope (safeAccel) and Krauss's safe speed behind a vehicle or before a line
 * (kraussSafeSpeed), each with its inputs and result in the scratch registers.
 *
 * Why registers: those two loops are too large for V8 to inline every call in them, and a call
 * it does not inline boxes each double argument and the result (scratch.ts): 90 bytes of garbage
 * per vehicle update on the signalised grid from decideFull's envelope calls, 32 from
 * lookAhead's calls on SUMO's grid at step 1. These functions take no double, so a call to one
 * costs no allocation whether it is inlined or not, and each inlines its kinematics call with a
 * budget of its own.
 *
 * The driver's own terms are set once per vehicle by decideFull (IZ_V, IZ_S0, IZ_T, IZ_SQAB2;
 * ENV_V, ENV_B, ENV_DT, ENV_SELF; KS_TAU, KS_B) and hold for lookAhead, which decideFull calls
 * for the vehicle it is deciding; the obstacle's terms are set by the caller before each call.
 */
import { idmZ2, kraussSafeSpeed, safeAccel } from './kinematics.js';
import { ENV_B, ENV_BL, ENV_DT, ENV_GAP, ENV_LEADER, ENV_OUT, ENV_SELF, ENV_V, ENV_VL, IZ_DV, IZ_GAP, IZ_OUT, IZ_S0, IZ_SQAB2, IZ_T, IZ_V, KS_B, KS_BL, KS_OUT, KS_ROOM, KS_TAU, KS_VL, LN_DIST, scratch } from './scratch.js';

/** idmZ2: the closing speed and gap in IZ_DV/IZ_GAP, the result (s* ÷ s)² in IZ_OUT. */
export function idmFromScratch(): void {
  scratch[IZ_OUT] = idmZ2(scratch[IZ_V], scratch[IZ_DV], scratch[IZ_GAP], scratch[IZ_S0], scratch[IZ_T], scratch[IZ_SQAB2]);
}

/**
 * kraussSafeSpeed behind an obstacle: its room, speed and braking in KS_ROOM/KS_VL/KS_BL, the
 * driver's reaction time and braking in KS_TAU/KS_B, the step in ENV_DT; the result in KS_OUT.
 */
export function kraussSafeFromScratch(): void {
  scratch[KS_OUT] = kraussSafeSpeed(scratch[KS_ROOM], scratch[KS_VL], scratch[KS_BL], scratch[KS_TAU], scratch[KS_B], scratch[ENV_DT]);
}

/** The same for stopping at a line KS_ROOM ahead (a standing obstacle braking as the driver, reaction time one step). */
export function kraussStopFromScratch(): void {
  scratch[KS_OUT] = kraussSafeSpeed(scratch[KS_ROOM], 0, scratch[KS_B], scratch[ENV_DT], scratch[KS_B], scratch[ENV_DT]);
}

/**
 * safeAccel: the obstacle's gap, speed and braking limit in ENV_GAP/ENV_VL/ENV_BL and 1 in
 * ENV_LEADER when it moves by the Euler update (else 0); the result in ENV_OUT.
 */
export function envelopeFromScratch(): void {
  scratch[ENV_OUT] = safeAccel(scratch[ENV_V], scratch[ENV_B], scratch[ENV_GAP], scratch[ENV_VL], scratch[ENV_BL], scratch[ENV_DT], scratch[ENV_SELF] + 2 * scratch[ENV_LEADER]);
}

/**
 * All three for a stop line LN_DIST ahead, where the driver stops with its front half a metre
 * before the line: the IDM term in IZ_OUT, the envelope in ENV_OUT and, for a Krauss driver
 * (ENV_SELF 1), its stopping speed in KS_OUT.
 */
export function stopLineFromScratch(): void {
  const dist = scratch[LN_DIST];
  scratch[IZ_DV] = scratch[IZ_V];
  scratch[IZ_GAP] = dist + scratch[IZ_S0] - 0.5;
  idmFromScratch();
  // (a standing obstacle: whether it would move by the Euler update makes no difference)
  scratch[ENV_GAP] = dist;
  scratch[ENV_VL] = 0;
  scratch[ENV_BL] = scratch[ENV_B];
  scratch[ENV_LEADER] = 0;
  envelopeFromScratch();
  if (scratch[ENV_SELF] !== 0) {
    scratch[KS_ROOM] = dist - 0.5;
    kraussStopFromScratch();
  }
}
