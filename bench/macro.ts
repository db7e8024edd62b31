/**
 * Macro benchmarks: whole scenarios stepped in this thread, timed on the hot loop only (world
 * construction excluded). Reports vehicle updates per second, ns per update, real-time factor,
 * state bytes per vehicle and peak resident memory.
 */
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../engine/io/scenario/index.js';
import { World } from '../engine/core/world.js';

export interface MacroResult {
  name: string;
  vehicles: number;
  ticks: number;
  simSeconds: number;
  wallSeconds: number;
  vehicleUpdates: number;
  updatesPerSecond: number;
  nsPerUpdate: number;
  realTimeFactor: number;
  bytesPerVehicle: number;
  peakRssMB: number;
  collisions: number;
}

export const macroScenarios: Record<string, string> = {
  'ring-100k': fileURLToPath(new URL('../../bench/scenarios/ring-100k.yaml', import.meta.url)),
  'grid-16': fileURLToPath(new URL('../../bench/scenarios/grid-16.yaml', import.meta.url)),
  laoshan: fileURLToPath(new URL('../../scenarios/laoshan.yaml', import.meta.url)),
};

export function runMacro(name: string, file: string, duration?: number): MacroResult {
  const overrides = duration !== undefined ? [`duration=${duration}`] : [];
  const { scenario } = loadScenario(file, { overrides });
  const w = new World(scenario);
  w.start();
  const vehicles0 = w.active;
  const t0 = performance.now();
  w.run();
  const wall = (performance.now() - t0) / 1000;
  const u = w.totals.vehicleUpdates;
  return {
    name,
    vehicles: Math.max(vehicles0, w.active),
    ticks: w.tick,
    simSeconds: w.time,
    wallSeconds: round(wall, 3),
    vehicleUpdates: u,
    updatesPerSecond: Math.round(u / wall),
    nsPerUpdate: round((wall * 1e9) / u, 1),
    realTimeFactor: round(w.time / wall, 2),
    bytesPerVehicle: w.bytesPerVehicle,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    collisions: w.totals.collisions,
  };
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
