/**
 * metrics.json (every field: docs/run-directory.md, metrics.json): the contract's figures plus a
 * few more that a planner needs to judge a run (travel and waiting times, halts, safety counters),
 * and last a `units` block: each numeric field's dotted path → its unit (units.ts).
 */
import type { World } from '../../sim/world.js';
import { logisticsMetrics } from './logistics-report.js';
import { perceptionMetrics } from './perception-report.js';
import { v2xMetrics } from './v2x-report.js';
import { unitsBlock } from './units.js';
import { byTypeMetrics, type TripStats } from './trip-stats.js';

const r = (x: number, d = 6) => Math.round(x * 10 ** d) / 10 ** d;

export interface RunTiming {
  wallSeconds: number;
}

export function metricsJson(w: World, timing: RunTiming, tripStats: TripStats): object {
  const t = w.totals;
  const totalDistance = w.totalDistance();
  const em = w.totalEmissions();
  const vehicleSeconds = t.vehicleUpdates * w.dt;
  const figures = {
    simTime: r(w.time),
    ticks: w.tick,
    wallSeconds: r(timing.wallSeconds, 3),
    vehicleUpdates: t.vehicleUpdates,
    updatesPerSecond: timing.wallSeconds > 0 ? Math.round(t.vehicleUpdates / timing.wallSeconds) : null,
    nsPerUpdate: t.vehicleUpdates > 0 ? r((timing.wallSeconds * 1e9) / t.vehicleUpdates, 1) : null,
    realTimeFactor: timing.wallSeconds > 0 ? r(w.time / timing.wallSeconds, 2) : null,
    vehicles: {
      inserted: t.inserted,
      arrived: t.arrived,
      active: w.active,
      waiting: w.waiting,
      removed: t.removed,
      // departures whose class has no lane on their route (lane classes); only when there are any
      ...(w.refusedTrips > 0 ? { refused: w.refusedTrips } : {}),
    },
    traffic: {
      // mean over all vehicle-seconds on the network: distance / time
      meanSpeed: vehicleSeconds > 0 ? r(totalDistance / vehicleSeconds) : null,
      minGap: Number.isFinite(t.minGap) ? r(t.minGap) : null,
      collisions: t.collisions,
      meanTravelTime: t.arrived > 0 ? r(t.travelTimeSum / t.arrived) : null,
      meanWaitingTime: tripStats.count > 0 ? r(tripStats.waitingSum / tripStats.count) : null,
      stops: tripStats.haltsSum,
      totalDistance: r(totalDistance, 3),
      emergencyBrakes: t.emergencyBrakes,
      redLightViolations: t.redViolations,
      laneSwaps: t.laneSwaps,
      unroutableTrips: w.unroutableTrips,
      ...(w.scenario.output.emissions ? { fuelL: r(em.fuelMl / 1000, 3), co2Kg: r(em.co2g / 1000, 3) } : {}),
      // per vehicle type, over its finished trips (trip-stats.ts)
      byType: byTypeMetrics(tripStats),
    },
    ...(w.v2x ? { v2x: v2xMetrics(w.v2x, t.inserted) } : {}),
    // signal priority (docs/signals.md, Priority): only when a junction has a priority block
    ...(w.signalControl.priority.size > 0 ? { priority: w.signalControl.priority.totals() } : {}),
    ...(w.logistics ? { logistics: logisticsMetrics(w.logistics, w.time) } : {}),
    ...(w.perception ? { perception: perceptionMetrics(w.perception) } : {}),
  };
  // the unit of every numeric field above, from one table (units.ts)
  return { ...figures, units: unitsBlock(figures) };
}
