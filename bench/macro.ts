/**
 * Macro benchmarks: whole scenarios, timed on the hot loop only (world construction excluded,
 * and a warm-up of the first 10 % of the simulated time, at most 10 s, so that the figures are
 * those of the compiled hot loop rather than of the JIT at work).
 * Reports vehicle updates per second, ns per update, real-time factor, the split of the tick
 * into its phases, the barrier wait when threads are used, state bytes per vehicle and peak
 * resident memory.
 *
 * The run is a run session without a run directory (engine/io/run/session.ts, the loop every run
 * goes through), advanced to the end of the warm-up and then to the end: what is timed is the
 * loop `roadtwin run` runs, less the writing of files.
 */
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../engine/io/scenario/index.js';
import { RunSession } from '../engine/io/run/session.js';
import { CALIBRATION_VERSION, calibrateThreads } from './calibrate.js';

export interface MacroResult {
  name: string;
  workers: number;
  vehicles: number;
  ticks: number;
  simSeconds: number;
  wallSeconds: number;
  vehicleUpdates: number;
  updatesPerSecond: number;
  nsPerUpdate: number;
  realTimeFactor: number;
  /** share of the wall time in each part of the tick */
  phaseShare: Record<string, number>;
  /** mean main-thread wait at the barriers per tick, µs (threads only) */
  barrierMicrosPerTick: number | null;
  parallelPhases: number | null;
  bytesPerVehicle: number;
  peakRssMB: number;
  collisions: number;
  /** calibration kernel updates/s per thread in this process, on as many threads as the case (the better of its best before and after the run) */
  calibration: number;
  calibrationVersion: number;
  /** updatesPerSecond ÷ calibration: the machine-independent figure the gate compares */
  calibrated: number;
}

export interface MacroScenario {
  file: string;
  overrides?: string[];
  /** run without the scenario's roadside units and on-board units (the V2X cost baseline) */
  withoutV2x?: boolean;
  /** run without the scenario's unmanned logistics (to measure V2X alone) */
  withoutLogistics?: boolean;
}

const laoshan = fileURLToPath(new URL('../../scenarios/laoshan.yaml', import.meta.url));
export const macroScenarios: Record<string, MacroScenario> = {
  'ring-100k': { file: fileURLToPath(new URL('../../bench/scenarios/ring-100k.yaml', import.meta.url)) },
  'grid-16': { file: fileURLToPath(new URL('../../bench/scenarios/grid-16.yaml', import.meta.url)) },
  // the same grid with V2X: 64 RSUs, 30 % equipped (the communicate phase on the threads)
  'grid-16-v2x': { file: fileURLToPath(new URL('../../bench/scenarios/grid-16-v2x.yaml', import.meta.url)) },
  laoshan: { file: laoshan },
  // the cost of V2X alone: the Laoshan traffic and road events, without and with V2X at 100 %
  'laoshan-v2x-off': { file: laoshan, withoutV2x: true, withoutLogistics: true },
  'laoshan-v2x-100': { file: laoshan, withoutLogistics: true, overrides: ['v2x.penetration=1', 'v2x.penetrationByType={}'] },
};

/**
 * A macro benchmark opened and ready to be stepped: `warmUp()` runs the untimed first part and
 * starts the counters, `advance(until)` runs on and returns the wall milliseconds it took (summed
 * as the timed time), `vehicleUpdates` counts the updates timed so far (what the race reads after
 * each slice), `result(calibration)` reports what was timed. runMacro steps it in one go;
 * the gate's race (bench/race.ts) steps two builds of the engine in alternating slices.
 */
export interface MacroRun {
  /** simulated second at which the warm-up ends and the timing starts */
  readonly warmUpEnd: number;
  /** simulated second at which the case ends */
  readonly end: number;
  /** vehicle updates timed so far: since the warm-up ended (since the start until warmUp() has run) */
  readonly vehicleUpdates: number;
  warmUp(): Promise<void>;
  advance(until?: number): Promise<number>;
  result(calibration: number): MacroResult;
  close(): Promise<void>;
}

export async function openMacro(name: string, spec: MacroScenario, duration: number | undefined, workers: number): Promise<MacroRun> {
  const overrides = [...(spec.overrides ?? []), ...(duration !== undefined ? [`duration=${duration}`] : [])];
  const { scenario: loaded, hash } = loadScenario(spec.file, { overrides });
  const scenario = { ...loaded, ...(spec.withoutV2x ? { v2x: undefined } : {}), ...(spec.withoutLogistics ? { logistics: undefined } : {}) };
  const session = await RunSession.start({ source: { scenario, scenarioHash: hash, scenarioFile: spec.file }, workers });
  if ('refused' in session) throw new Error(session.message);
  const { world: w, runner } = session;
  // a worker fault ends the benchmark with its error, as it ends a run
  const step = async (until?: number) => {
    if (await session.advance(until)) return;
    await session.close();
    throw session.fault ?? new Error('the benchmark run stopped early');
  };
  w.start();
  const vehicles0 = w.active;
  let u0 = 0;
  let tick0 = 0;
  let time0 = 0;
  let pt0 = { ...w.phaseTimes };
  let timedMs = 0;
  const timedUpdates = () => w.totals.vehicleUpdates - u0;
  const warmUpEnd = Math.min(10, scenario.duration * 0.1);
  return {
    warmUpEnd,
    end: scenario.duration,
    get vehicleUpdates() {
      return timedUpdates();
    },
    async warmUp() {
      await step(warmUpEnd);
      u0 = w.totals.vehicleUpdates;
      tick0 = w.tick;
      time0 = w.time;
      pt0 = { ...w.phaseTimes };
      if (runner) runner.barrierMs = 0;
    },
    async advance(until?: number) {
      const t0 = performance.now();
      await step(until);
      const ms = performance.now() - t0;
      timedMs += ms;
      return ms;
    },
    result(calibration: number): MacroResult {
      const wall = timedMs / 1000;
      const u = timedUpdates();
      const pt = Object.fromEntries(Object.entries(w.phaseTimes).map(([k, v]) => [k, v - pt0[k as keyof typeof pt0]]));
      const total = Object.values(pt).reduce((s, x) => s + x, 0);
      const phaseShare = Object.fromEntries(Object.entries(pt).map(([k, v]) => [k, round(v / (wall * 1000), 3)]));
      phaseShare.other = round(1 - total / (wall * 1000), 3);
      return {
        name,
        workers,
        vehicles: Math.max(vehicles0, w.active),
        ticks: w.tick - tick0,
        simSeconds: round(w.time - time0, 3),
        wallSeconds: round(wall, 3),
        vehicleUpdates: u,
        updatesPerSecond: Math.round(u / wall),
        nsPerUpdate: round((wall * 1e9) / u, 1),
        realTimeFactor: round((w.time - time0) / wall, 2),
        phaseShare,
        barrierMicrosPerTick: runner ? round((runner.barrierMs * 1000) / (w.tick - tick0), 1) : null,
        parallelPhases: runner ? runner.parallelPhases : null,
        bytesPerVehicle: w.bytesPerVehicle,
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        collisions: w.totals.collisions,
        calibration,
        calibrationVersion: CALIBRATION_VERSION,
        calibrated: round(u / wall / calibration, 4),
      };
    },
    close: () => session.close(),
  };
}

export async function runMacro(name: string, spec: MacroScenario, duration: number | undefined, workers: number): Promise<MacroResult> {
  const run = await openMacro(name, spec, duration, workers);
  await run.warmUp();
  // (the kernel on as many threads as the case: calibrate.ts)
  const calibrationBefore = await calibrateThreads(workers);
  await run.advance();
  const calibrationAfter = await calibrateThreads(workers);
  // the better of the two: both are best-of figures, and the higher is the one least disturbed
  const result = run.result(Math.max(calibrationBefore, calibrationAfter));
  await run.close();
  return result;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
