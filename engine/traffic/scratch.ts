/**
 * Scratch registers through which the hot-loop helpers of the decide phase (decide.ts,
 * decide-full.ts, obstacle-terms.ts, right-of-way.ts, look-ahead.ts) and of lanechange.ts pass floating-point values
 * to each other (module state: one set per thread).
 *
 * Why not arguments, return values or module `let`s: V8 (Node 20) passes every argument of a call
 * it does not inline, and every such return value, as a tagged value, so each double crossing
 * the call is boxed into a fresh heap number; a module-level `let` holding a double is boxed the
 * same way, and a loop variable merged with one becomes boxed too. On the 100,000-vehicle ring
 * that was ~36 bytes of garbage per vehicle update, and the constant scavenging evicted the
 * vehicle arrays from the caches (about 20 % of the tick). Reads and writes of a Float64Array
 * element never allocate. Integers (vehicle, lane, connection indices) stay plain arguments:
 * small integers are not boxed.
 *
 * Each slot has one writer and one reader, named beside it; a helper reads its inputs before it
 * calls any other helper that could overwrite them.
 */
export const scratch = new Float64Array(57);

// ---- right-of-way.ts: junctionYield (called by decide-full.ts)
/** in: look-ahead distance of the vehicle, m */
export const JY_LOOK = 0;
/** out: gap to the vehicle merging ahead from another approach (Infinity: none), its speed and its maximum deceleration */
export const JY_GAP = 1;
export const JY_VL = 2;
export const JY_BL = 3;
/** out: 1 when that vehicle moves by the Euler update (a Krauss driver), else 0 */
export const JY_EULER = 35;

// ---- look-ahead.ts: lookAhead (called by decide-full.ts)
/** in: look-ahead distance, m */
export const LA_LOOK = 4;
/** out: the IDM term (s* ÷ s)² and the safety envelope due to what lies past the lane end */
export const LA_Z2 = 5;
export const LA_SAFE = 6;
/** out: a Krauss driver's safe speed due to the same (Infinity for an IDM driver or nothing seen) */
export const LA_UK = 34;

// ---- lanechange.ts: evaluateLaneChange (called by decide-full.ts; and mobil, which it calls)
/** in: the vehicle's acceleration on its lane, its IDM acceleration due to a stop line alone, and the room left for a mandatory change, m */
export const LC_ACUR = 7;
export const LC_ALINE = 8;
/** in: the acceleration the vehicle takes this step if it stays (LC_ACUR but for a Krauss driver, whose LC_ACUR is its IDM's): a change plans with no more */
export const LC_APLAN = 9;
export const LC_ROOM = 10;
/** out: the acceleration limit on the chosen lane */
export const LC_ACC = 11;
/** evaluateLaneChange → mobil: urgency of a mandatory change (0–1), and ã_o − a_o of the old follower (NaN until mobil needs it) */
export const LC_URGENCY = 12;
export const LC_GAIN_OLD = 13;
/** mobil → evaluateLaneChange: score of the change and the acceleration on the target lane */
export const LC_SCORE = 14;
export const LC_MY_ACC = 15;

// ---- lanechange.ts: followerCheck (called by mobil)
/** in: the follower's position in the target lane's frame, my rear and my stopping point after the step, my speed, my rear now, the braking it may be asked for */
export const FC_XF = 16;
export const FC_MY_REAR = 17;
export const FC_MY_STOP = 18;
export const FC_V = 19;
export const FC_MY_REAR_NOW = 20;
export const FC_BSAFE = 21;
/** out: ã_n − a_n, what the follower gains (negative: loses) */
export const FC_GAIN = 22;

// ---- obstacle-terms.ts: envelopeFromScratch (safeAccel for decide-full.ts's and look-ahead.ts's call sites)
/** in: speed, braking limit, gap, obstacle speed, obstacle braking limit, step */
export const ENV_V = 23;
export const ENV_B = 24;
export const ENV_GAP = 25;
export const ENV_VL = 26;
export const ENV_BL = 27;
export const ENV_DT = 28;
/** out: the largest safe acceleration */
export const ENV_OUT = 29;
/** in: safeAccel's modes (kinematics.ts): EULER_SELF per vehicle, EULER_LEADER per obstacle */
export const ENV_SELF = 36;
export const ENV_LEADER = 37;

// ---- decide.ts: decideFollowing → decidePhase
/** out: the smallest gap seen, collisions and emergency brakings of the fast pass */
export const DF_MIN_GAP = 30;
export const DF_COLLISIONS = 31;
export const DF_EMERGENCY = 32;

// ---- lane-choice.ts: laneReach (called by decide-full.ts)
/** out: how far past the lane's end the lanes it leads into keep leading along the route, m */
export const LR_DIST = 33;

// ---- decide-full.ts: kraussFromScratch (kraussAccel); obstacle-terms.ts: idmFromScratch,
// kraussSafeFromScratch, kraussStopFromScratch (idmZ2 and kraussSafeSpeed for decide-full.ts's
// and look-ahead.ts's call sites, as envelopeFromScratch)
/** in: speed, desired speed and safe speed of a Krauss driver; out: its acceleration */
export const KA_V = 38;
export const KA_V0 = 39;
export const KA_UK = 40;
export const KA_OUT = 41;
/** in: speed, closing speed, gap, s0, T and √(a·b)·2 of the IDM term; out: (s* ÷ s)² */
export const IZ_V = 42;
export const IZ_DV = 43;
export const IZ_GAP = 44;
export const IZ_S0 = 45;
export const IZ_T = 46;
export const IZ_SQAB2 = 47;
export const IZ_OUT = 48;
/** in: room, obstacle speed and braking (per call), the driver's reaction time and braking (per vehicle) of Krauss's safe speed (the step: ENV_DT); out: the safe speed */
export const KS_ROOM = 49;
export const KS_VL = 50;
export const KS_BL = 51;
export const KS_TAU = 52;
export const KS_B = 53;
export const KS_OUT = 54;

// ---- right-of-way.ts: mayYieldFurtherOn (called by look-ahead.ts)
/** in: when the driver reaches the junction further on, s */
export const YF_T_ME = 55;

// ---- obstacle-terms.ts: stopLineFromScratch (called by decide-full.ts and look-ahead.ts)
/** in: the distance from the driver's front to the stop line, m */
export const LN_DIST = 56;
