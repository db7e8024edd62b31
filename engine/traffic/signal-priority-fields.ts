/**
 * The layout of the signal priority controllers' state (signal-priority.ts): the modes, the
 * per-program fields of their Float64Array, the per-slot request flags and the fields of a tick's
 * scan of the requests.
 */
/** Modes of a program (F_MODE). */
export const MODE_NONE = 0;
export const MODE_EXTEND = 1;
export const MODE_EARLY = 2;
export const MODE_PREEMPT = 3;

/** Per-program state fields. */
export const F_ALIGNED = 0; // 1 while on the fixed-time clock
export const F_END = 1; // the planned end of the interval in force, s (Infinity: held)
export const F_PLANNED = 2; // the end it would have had without a priority action (the recovery's), s
export const F_MODE = 3;
export const F_VEH = 4; // id of the vehicle served (−1)
export const F_COL = 5; // the column of its connection
export const F_CYCLE = 6; // the plan's cycle the grants are counted in
export const F_GRANTS = 7; // bus grants in it
export const T_REQ_BUS = 8; // requests (vehicles that asked, once per junction)
export const T_REQ_EV = 9;
export const T_EXTEND = 10; // grants
export const T_EARLY = 11;
export const T_PREEMPT = 12;
export const T_LOST = 13; // green time below the plan's, over all stages, s
export const T_ADDED = 14; // green time above the plan's, s
export const T_REFUSED = 15; // buses whose request was not granted at some point (limits, recovery, pre-emption, too late to help)
export const F_LAST_K = 16; // actuated: the interval in force at the last tick (a new cycle when interval 0 begins)
export const F_FIELDS = 17;

/** Per-slot flags: counted as a request here, granted here, counted as refused here. */
export const R_COUNTED = 1;
export const R_GRANTED = 2;
export const R_REFUSED = 4;

/** The scan of one tick: the best new request of each kind and where the served vehicle is. */
export const SCAN_FIELDS = 9;
export const S_EV_COL = 0;
export const S_EV_ID = 1;
export const S_EV_D = 2;
export const S_BUS_COL = 3;
export const S_BUS_ID = 4;
export const S_BUS_D = 5;
export const S_BUS_ETA = 6;
export const S_SERVED = 7; // 1 while the served vehicle is on its approach
export const S_SERVED_ETA = 8;
