/**
 * The running totals of a run's traffic (metrics.json's vehicles and traffic blocks come from
 * them). They carry over between ticks, so checkpoints save them: as float bits, in the fixed
 * order of TOTAL_KEYS (JSON cannot hold Infinity or −0).
 */
export interface TrafficTotals {
  inserted: number;
  arrived: number;
  removed: number;
  vehicleUpdates: number;
  /** metres driven by vehicles that have left the network */
  finishedDistance: number;
  travelTimeSum: number;
  emergencyBrakes: number;
  redViolations: number;
  collisions: number;
  minGap: number;
  /** fuel (mL) and CO₂ (g) of vehicles that have left the network */
  fuelMl: number;
  co2g: number;
  /** pairs of drivers that traded places to undo a deadlock of lane changes (lane-swap.ts) */
  laneSwaps: number;
}

/** The totals in a fixed order, for checkpoints. */
export const TOTAL_KEYS = [
  'inserted',
  'arrived',
  'removed',
  'vehicleUpdates',
  'finishedDistance',
  'travelTimeSum',
  'emergencyBrakes',
  'redViolations',
  'collisions',
  'minGap',
  'fuelMl',
  'co2g',
  'laneSwaps',
] as const satisfies readonly (keyof TrafficTotals)[];

export function newTotals(): TrafficTotals {
  return {
    inserted: 0,
    arrived: 0,
    removed: 0,
    vehicleUpdates: 0,
    finishedDistance: 0,
    travelTimeSum: 0,
    emergencyBrakes: 0,
    redViolations: 0,
    collisions: 0,
    minGap: Infinity,
    fuelMl: 0,
    co2g: 0,
    laneSwaps: 0,
  };
}
