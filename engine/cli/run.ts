/**
 * `roadtwin run <scenario.yaml> [--out DIR] [--seed N] [--workers N] [--duration S] [--step S]
 * [--set path=value]… [--quiet]`: runs a scenario to the end and writes its run directory.
 *
 * Ctrl-C stops at a tick boundary, writes a complete run directory marked `complete: false` and
 * exits 130. The loop yields to the event loop every ~100 ms so that the signal is seen.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { loadScenario, ScenarioError } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { RunWriter } from '../io/run/writer.js';
import { ParallelRunner, WorkerFault } from '../parallel/parallel.js';
import { finishLive, startLive } from '../io/live/run-live.js';
import { writeCheckpoint, writeRunInfo } from '../io/run/checkpoint.js';
import { ENGINE_VERSION } from '../core/version.js';

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
  /** write a checkpoint every this many simulated seconds (roadtwin resume continues from it) */
  checkpointEvery?: string;
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
  const workersRequested = parseWorkers(opts.workers);
  if (typeof workersRequested === 'string') return fail(workersRequested);
  let checkpointEvery = 0;
  if (opts.checkpointEvery !== undefined) {
    checkpointEvery = Number(opts.checkpointEvery);
    if (!(checkpointEvery > 0) || !Number.isFinite(checkpointEvery)) return fail(`--checkpoint-every: expected a positive number of simulated seconds, got '${opts.checkpointEvery}'`);
  }

  // Ctrl-C from here on stops at the next tick boundary (or right after set-up) with a written run directory
  const stop = { interrupted: false };
  const onSigint = () => {
    stop.interrupted = true;
  };
  process.on('SIGINT', onSigint);
  try {
    return await runWith(file, opts, overrides, workersRequested, checkpointEvery, stop);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** `--workers`: a whole number from 1 to 256, or the number of cores when absent. */
export function parseWorkers(value: string | undefined): number | string {
  if (value === undefined) return availableParallelism();
  if (!/^[1-9][0-9]*$/.test(value) || Number(value) > 256) return `--workers: expected a whole number from 1 to 256, got '${value}'`;
  return Number(value);
}

async function runWith(file: string, opts: RunOptions, overrides: string[], workersRequested: number, checkpointEvery: number, stop: { interrupted: boolean }): Promise<number> {
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
  if (checkpointEvery > 0) {
    writeRunInfo(dir, {
      engineVersion: ENGINE_VERSION,
      scenarioFile: resolve(file),
      scenarioText: readFileSync(file, 'utf8'),
      overrides,
      scenarioHash: hash,
      startedAt: startedAt.toISOString(),
      workersRequested,
      checkpointEvery,
    });
  }
  return execute({ world, writer, runner, dir, name: scenario.name, duration: scenario.duration, quiet: opts.quiet, stop, checkpointEvery, scenarioHash: hash, live });
}

export interface Execution {
  world: World;
  writer: RunWriter;
  runner: ParallelRunner | undefined;
  dir: string;
  name: string;
  duration: number;
  quiet?: boolean;
  stop: { interrupted: boolean };
  /** simulated seconds between checkpoints, 0 for none */
  checkpointEvery: number;
  scenarioHash: string;
  live?: Awaited<ReturnType<typeof startLive>> | null;
}

/**
 * Steps a world to the end of its scenario (or Ctrl-C, or a worker fault), writing checkpoints
 * on the way when asked, then finishes the run directory. Shared by `run` and `resume`.
 */
/**
 * A streaming file could not be written (a full disk, the directory gone): stop, keep what was
 * written (every file ends at a complete record) and say so. Returns exit code 1.
 */
function failedOutput(x: Execution, message: string, wallSeconds: number): number {
  let finished = true;
  try {
    x.writer.finish({ complete: false, wallSeconds, reason: `output error: ${message}` });
  } catch {
    finished = false;
  }
  const rel = relative(process.cwd(), x.dir) || '.';
  process.stderr.write(
    `roadtwin: cannot write the run directory (${message}); stopped at ${x.world.time.toFixed(1)} s.\n` +
      `  ${finished ? `${rel} holds complete files up to there and a manifest saying complete: false` : `the files in ${rel} end at complete records; no manifest could be written`}\n`,
  );
  return 1;
}

export async function execute(x: Execution): Promise<number> {
  const { world, writer, runner, dir, stop } = x;
  const live = typeof x.live === 'object' ? x.live : null;
  let nextCheckpoint = x.checkpointEvery > 0 ? (Math.floor(world.time / x.checkpointEvery + 1e-9) + 1) * x.checkpointEvery : Infinity;

  const showBar = !x.quiet && process.stdout.isTTY === true;
  const bar = showBar
    ? new cliProgress.SingleBar(
        { format: ' {bar} {percentage}% | sim {sim}s of {total}s | {active} vehicles | {rate} upd/s', hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const totalTicks = world.ticksTotal;
  bar?.start(totalTicks, world.tick, { sim: Math.round(world.time), total: x.duration, active: world.active, rate: 0 });

  const t0 = performance.now();
  let fault: WorkerFault | null = null;
  let ioError: string | null = null;
  try {
    while (world.tick < totalTicks && !stop.interrupted && !ioError) {
      const sliceEnd = performance.now() + 100;
      while (world.tick < totalTicks && performance.now() < sliceEnd) {
        world.step();
        if (world.time >= nextCheckpoint - 1e-9 && world.tick < totalTicks) {
          // (a checkpoint only after files that were written in full: it records their lengths)
          ioError = writer.ioError;
          if (ioError) break;
          writeCheckpoint(dir, world, writer, x.scenarioHash);
          nextCheckpoint += x.checkpointEvery;
        }
      }
      ioError = writer.ioError;
      const wall = (performance.now() - t0) / 1000;
      bar?.update(world.tick, {
        sim: Math.round(world.time),
        total: x.duration,
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
  if (ioError) return failedOutput(x, ioError, wallSeconds);
  const interrupted = stop.interrupted;
  // Ctrl-C with checkpoints on: one more at the tick where it stopped, so resume loses nothing
  if (interrupted && !fault && x.checkpointEvery > 0 && world.tick < totalTicks) writeCheckpoint(dir, world, writer, x.scenarioHash);
  const complete = !interrupted && !fault;
  const reason = fault ? fault.message : interrupted ? 'interrupted (SIGINT)' : undefined;
  const metrics = writer.finish({ complete, wallSeconds, ...(reason ? { reason } : {}), parallel: runner?.usage() });

  if (fault) {
    process.stderr.write(`roadtwin run: ${fault.message}\n  the run directory ${relative(process.cwd(), dir) || '.'} was written up to tick ${world.ticksDone} and marked complete: false\n`);
    return 2;
  }
  if (!x.quiet) printSummary(x.name, dir, world, metrics, complete);
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
    `  traffic: mean speed ${fmt(t.meanSpeed)} m/s, mean travel time ${fmt(t.meanTravelTime)} s, stops ${t.stops}, min gap ${fmt(t.minGap)} m, collisions ${t.collisions}${t.co2Kg !== undefined ? `, CO2 ${fmt(t.co2Kg)} kg` : ''}`,
  ];
  const x = m.v2x as { rsus: number; equippedShare: number; packetDeliveryRatio: number | null; warnings: Record<string, number>; glosaAdvised: number } | undefined;
  if (x) {
    const warned = Object.entries(x.warnings)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(`  V2X: ${x.rsus} RSUs, ${Math.round(x.equippedShare * 100)} % equipped, PDR ${x.packetDeliveryRatio ?? '-'}, GLOSA advised ${x.glosaAdvised}, warnings: ${warned || 'none'}`);
  }
  const lg = m.logistics as { orders: number; delivered: number; rejected: number; open?: number; onTimeShare: number | null } | undefined;
  if (lg) lines.push(`  logistics: ${lg.orders} orders, ${lg.delivered} delivered, ${lg.rejected} rejected, ${lg.open ?? lg.orders - lg.delivered - lg.rejected} open, on time ${lg.onTimeShare ?? '-'}`);
  lines.push(`  run directory: ${rel}  (metrics.json, timeseries.csv, trips.csv, events.ndjson, trace …)`);
  lines.push(`  view it: npx roadtwin view ${rel}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '-' : (Math.round(x * 100) / 100).toString());
