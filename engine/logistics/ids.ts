/**
 * Trace ids of drones and robots: ranges of their own, far above any road vehicle id, so that
 * one id space covers every moving thing in the trace and the events (the viewer holds them too).
 */
export const DRONE_ID_BASE = 0x20000000;
export const ROBOT_ID_BASE = 0x30000000;
