/**
 * One run's figures, read the same way from SUMO's outputs (its statistic-output and tripinfo
 * files, its own performance log) and from a roadtwin run directory (metrics.json, trips.csv), so
 * that the validation table compares like with like.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunFigures {
  simulator: 'SUMO' | 'roadtwin';
  step: number;
  loaded: number;
  inserted: number;
  arrived: number;
  /** SUMO's teleports, roadtwin's removals (gridlock) */
  removed: number;
  collisions: number;
  /** mean over arrived vehicles, s */
  meanTripDuration: number;
  /** mean over arrived vehicles, s (null when the run does not report it) */
  meanTimeLoss: number | null;
  meanWaitingTime: number;
  meanRouteLength: number;
  /** time the last vehicle arrived, s */
  lastArrival: number;
  updatesPerSecond: number;
  wallSeconds: number;
  peakMemoryMB: number | null;
}

const attr = (xml: string, element: string, name: string): number => {
  const el = new RegExp(`<${element}\\b[^>]*>`).exec(xml);
  const m = el && new RegExp(`\\b${name}="([^"]*)"`).exec(el[0]);
  if (!m) throw new Error(`SUMO's statistic output has no ${element}/@${name}`);
  return Number(m[1]);
};

/** SUMO's figures from `--statistic-output`, `--tripinfo-output` and its `--duration-log.statistics` lines. */
export function sumoFigures(dir: string, step: number, log: string, wall: number, peakMB: number | null): RunFigures {
  const stats = readFileSync(join(dir, 'statistics.xml'), 'utf8');
  const trips = readFileSync(join(dir, 'tripinfo.xml'), 'utf8');
  let lastArrival = 0;
  for (const m of trips.matchAll(/<tripinfo\b[^>]*\barrival="([\d.]+)"/g)) lastArrival = Math.max(lastArrival, Number(m[1]));
  const ups = /UPS: ([\d.]+)/.exec(log);
  return {
    simulator: 'SUMO',
    step,
    loaded: attr(stats, 'vehicles', 'loaded'),
    inserted: attr(stats, 'vehicles', 'inserted'),
    arrived: attr(stats, 'vehicleTripStatistics', 'count'),
    removed: attr(stats, 'teleports', 'total'),
    collisions: attr(stats, 'safety', 'collisions'),
    meanTripDuration: attr(stats, 'vehicleTripStatistics', 'duration'),
    meanTimeLoss: attr(stats, 'vehicleTripStatistics', 'timeLoss'),
    meanWaitingTime: attr(stats, 'vehicleTripStatistics', 'waitingTime'),
    meanRouteLength: attr(stats, 'vehicleTripStatistics', 'routeLength'),
    lastArrival,
    updatesPerSecond: ups ? Number(ups[1]) : 0,
    wallSeconds: wall,
    peakMemoryMB: peakMB,
  };
}

/** roadtwin's figures from a run directory. */
export function roadtwinFigures(dir: string, step: number, peakMB: number | null): RunFigures {
  const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
  const rows = readFileSync(join(dir, 'trips.csv'), 'utf8').trim().split('\n');
  const head = rows[0].split(',');
  const col = (name: string) => head.indexOf(name);
  const [tt, wt, rl, ar, tl] = ['travelTime', 'waitingTime', 'routeLength', 'arrival', 'timeLoss'].map(col);
  let sumT = 0;
  let sumW = 0;
  let sumL = 0;
  let sumLoss = 0;
  let last = 0;
  for (const r of rows.slice(1)) {
    const f = r.split(',');
    sumT += Number(f[tt]);
    sumW += Number(f[wt]);
    sumL += Number(f[rl]);
    if (tl >= 0) sumLoss += Number(f[tl]);
    last = Math.max(last, Number(f[ar]));
  }
  const n = rows.length - 1;
  const mean = (s: number) => (n > 0 ? s / n : 0);
  const v = m.vehicles;
  return {
    simulator: 'roadtwin',
    step,
    loaded: v.inserted + v.waiting + (v.refused ?? 0),
    inserted: v.inserted,
    arrived: v.arrived,
    removed: v.removed,
    collisions: m.traffic.collisions,
    meanTripDuration: mean(sumT),
    meanTimeLoss: tl >= 0 ? mean(sumLoss) : null,
    meanWaitingTime: mean(sumW),
    meanRouteLength: mean(sumL),
    lastArrival: last,
    updatesPerSecond: m.updatesPerSecond,
    wallSeconds: m.wallSeconds,
    peakMemoryMB: peakMB,
  };
}
