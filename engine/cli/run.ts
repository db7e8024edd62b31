/**
 * `roadtwin run <scenario.yaml> [--out DIR] [--seed N] [--workers N] [--duration S] [--step S]
 * [--set path=value]… [--quiet]`: runs a scenario to the end and writes its run directory.
 *
 * Ctrl-C stops at a tick boundary, writes a complete run directory marked `complete: false` and
 * exits 130. The loop yields to the event loop every ~100 ms so that the signal is seen.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { loadScenario, ScenarioError } from '../io/scenario/index.js';
import { World } from '../core/world.js';
import { RunWriter } from '../io/run/writer.js';
import { ParallelRunner, WorkerFault } from '../parallel/parallel.js';
import { finishLive, startLive } from '../io/live/run-live.js';

export interface RunOptions {
  out?: string;
  seed?: string;
  workers?: string;
  duration?: string;
  step?: string;
  set: string[];
  quiet?: boolean;
  /** stream to a browser viewer while running (roadtwin run --live [--port N]) */
  live?: boolean;
  port?: string;
}

const fail = (msg: string): number => {
  process.stderr.write(`roadtwin run: ${msg}\n`);
  return 1;
};

export async function runRun(file: string, opts: RunOptions): Promise<number> {
  // --seed/--duration/--step are overrides like --set, so they are validated and located the same way
  const overrides = [...opts.set];
  if (opts.seed !== undefined) overrides.push(`seed=${opts.seed}`);
  if (opts.duration !== undefined) overrides.push(`duration=${opts.duration}`);
  if (opts.step !== undefined) overrides.push(`step=${opts.step}`);
  let workersRequested = availableParallelism();
  if (opts.workers !== undefined) {
    if (!/^[1-9][0-9]*$/.test(opts.workers) || Number(opts.workers) > 256) return fail(`--workers: expected a whole number from 1 to 256, got '${opts.workers}'`);
    workersRequested = Number(opts.workers);
  }

  // Ctrl-C from here on stops at the next tick boundary (or right after set-up) with a written run directory
  const stop = { interrupted: false };
  const onSigint = () => {
    stop.interrupted = true;
  };
  process.on('SIGINT', onSigint);
  try {
    return await runWith(file, opts, overrides, workersRequested, stop);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function runWith(file: string, opts: RunOptions, overrides: string[], workersRequested: number, stop: { interrupted: boolean }): Promise<number> {
  let loaded;
  try {
    loaded = loadScenario(file, { overrides });
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    process.stderr.write(`${err.format()}\n`);
    return 1;
  }
  const { scenario, hash } = loaded;

  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const dir = resolve(opts.out ?? join('runs', `${scenario.name}-${stamp}`));
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) return fail(`--out ${dir}: exists and is not a directory`);
    if (readdirSync(dir).length > 0) return fail(`--out ${dir}: directory is not empty (a run never overwrites another); choose a new one`);
  }

  // a thread per requested worker (the main thread is one of them); ticks with few vehicles run
  // in the main thread alone, with the same bits
  const runner = workersRequested > 1 ? await ParallelRunner.start(workersRequested) : undefined;
  const world = new World(scenario, { runner });
  const workers = workersRequested;
  const startedAt = new Date();
  let writer: RunWriter;
  try {
    writer = new RunWriter(dir, world, { scenarioHash: hash, workers, workersRequested, startedAt, scenarioFile: resolve(file) });
  } catch (err) {
    await runner?.close();
    return fail(`cannot write the run directory ${dir}: ${(err as Error).message}`);
  }

  const live = opts.live ? await startLive(world, opts) : null;
  if (typeof live === 'string') {
    await runner?.close();
    writer.finish({ complete: false, wallSeconds: 0, reason: live });
    return fail(live);
  }

  const showBar = !opts.quiet && process.stdout.isTTY === true;
  const bar = showBar
    ? new cliProgress.SingleBar(
        { format: ' {bar} {percentage}% | sim {sim}s of {total}s | {active} vehicles | {rate} upd/s', hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const totalTicks = world.ticksTotal;
  bar?.start(totalTicks, 0, { sim: 0, active: world.active, rate: 0 });

  const t0 = performance.now();
  let fault: WorkerFault | null = null;
  try {
    while (world.tick < totalTicks && !stop.interrupted) {
      const sliceEnd = performance.now() + 100;
      while (world.tick < totalTicks && performance.now() < sliceEnd) world.step();
      const wall = (performance.now() - t0) / 1000;
      bar?.update(world.tick, {
        sim: Math.round(world.time),
        total: scenario.duration,
        active: world.active,
        rate: wall > 0 ? Math.round(world.totals.vehicleUpdates / wall).toLocaleString('en') : 0,
      });
      await new Promise((r) => setImmediate(r));
    }
  } catch (err) {
    if (!(err instanceof WorkerFault)) throw err;
    fault = err;
  } finally {
    bar?.stop();
    await runner?.close();
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const interrupted = stop.interrupted;
  const complete = !interrupted && !fault;
  const reason = fault ? fault.message : interrupted ? 'interrupted (SIGINT)' : undefined;
  const metrics = writer.finish({ complete, wallSeconds, ...(reason ? { reason } : {}), parallel: runner ? { parallelPhases: runner.parallelPhases, inlinePhases: runner.inlinePhases } : undefined });

  if (fault) {
    process.stderr.write(`roadtwin run: ${fault.message}\n  the run directory ${relative(process.cwd(), dir) || '.'} was written up to tick ${world.tick} and marked complete: false\n`);
    return 2;
  }
  if (!opts.quiet) printSummary(scenario.name, dir, world, metrics, complete);
  if (live) await finishLive(live, dir, complete);
  return interrupted ? 130 : 0;
}

function printSummary(name: string, dir: string, w: World, m: Record<string, unknown>, complete: boolean): void {
  const v = m.vehicles as Record<string, number>;
  const t = m.traffic as Record<string, number | null>;
  const rel = relative(process.cwd(), dir) || '.';
  const lines = [
    `${complete ? 'finished' : 'INTERRUPTED'} ${name}: ${w.time.toFixed(1)} s simulated in ${(m.wallSeconds as number).toFixed(2)} s (${Number(m.updatesPerSecond ?? 0).toLocaleString('en')} vehicle updates/s)`,
    `  vehicles: ${v.inserted} inserted, ${v.arrived} arrived, ${v.active} on the road, ${v.waiting} waiting to enter, ${v.removed} removed`,
    `  traffic: mean speed ${fmt(t.meanSpeed)} m/s, mean travel time ${fmt(t.meanTravelTime)} s, min gap ${fmt(t.minGap)} m, collisions ${t.collisions}`,
    `  run directory: ${rel}`,
    `  files: metrics.json, timeseries.csv, trips.csv, detectors.csv, events.ndjson, network.json, trace.bin`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '-' : (Math.round(x * 100) / 100).toString());
