/**
 * `roadtwin resume <runDir> [--workers N] [--quiet]`: continues a run that was started with
 * `--checkpoint-every` and stopped (Ctrl-C, a kill, a crash) from its newest intact checkpoint.
 * The files it had written are cut back to where the checkpoint says they went and continued, so
 * the finished directory is the one an uninterrupted run writes (same stateHash, same files apart
 * from timestamps and timing figures), whatever the worker counts before and after.
 */
import { resolve } from 'node:path';
import { parseScenario, ScenarioError } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { SnapshotError } from '../core/snapshot.js';
import { ENGINE_VERSION } from '../core/version.js';
import { RunWriter } from '../io/run/writer.js';
import { latestCheckpoint, readRunInfo, restoreCheckpoint } from '../io/run/checkpoint.js';
import { ParallelRunner } from '../parallel/parallel.js';
import { execute, parseWorkers } from './run.js';

export interface ResumeOptions {
  workers?: string;
  quiet?: boolean;
}

const fail = (msg: string): number => {
  process.stderr.write(`roadtwin resume: ${msg}\n`);
  return 1;
};

export async function runResume(runDir: string, opts: ResumeOptions): Promise<number> {
  const dir = resolve(runDir);
  const info = readRunInfo(dir);
  if (typeof info === 'string') return fail(info);
  if (info.engineVersion !== ENGINE_VERSION) return fail(`${runDir} was started by roadtwin ${info.engineVersion}, this is ${ENGINE_VERSION}: resume it with that version`);
  const workersRequested = parseWorkers(opts.workers);
  if (typeof workersRequested === 'string') return fail(workersRequested);

  let loaded;
  try {
    loaded = parseScenario(info.scenarioText, info.scenarioFile, { overrides: info.overrides });
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    return fail(`the scenario stored in the run no longer loads: ${err.message}`);
  }
  if (loaded.hash !== info.scenarioHash) return fail(`the stored scenario's hash does not match the run's (checkpoints/run.json was edited?)`);
  const ckpt = latestCheckpoint(dir, loaded.hash);
  if (typeof ckpt === 'string') return fail(ckpt);
  for (const s of ckpt.skipped) process.stderr.write(`roadtwin resume: skipped ${s}; using an older checkpoint\n`);

  const stop = { interrupted: false };
  const onSigint = () => {
    stop.interrupted = true;
  };
  process.on('SIGINT', onSigint);
  const runner = workersRequested > 1 ? await ParallelRunner.start(workersRequested) : undefined;
  try {
    const world = new World(loaded.scenario, { runner });
    let writerState;
    try {
      writerState = restoreCheckpoint(world, ckpt.reader);
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      await runner?.close();
      return fail(`checkpoints/${ckpt.file}: ${err.message}`);
    }
    let writer: RunWriter;
    try {
      writer = new RunWriter(
        dir,
        world,
        { scenarioHash: loaded.hash, workers: workersRequested, workersRequested, startedAt: new Date(info.startedAt), scenarioFile: info.scenarioFile },
        writerState,
      );
    } catch (err) {
      // the files the checkpoint describes are missing, of another format, or cannot be opened
      await runner?.close();
      return fail(`cannot continue the files of ${runDir}: ${(err as Error).message}`);
    }
    if (!opts.quiet) process.stdout.write(`resuming ${loaded.scenario.name} at ${world.time.toFixed(1)} s from checkpoints/${ckpt.file}\n`);
    return await execute({
      world,
      writer,
      runner,
      dir,
      name: loaded.scenario.name,
      duration: loaded.scenario.duration,
      quiet: opts.quiet,
      stop,
      checkpointEvery: info.checkpointEvery,
      scenarioHash: loaded.hash,
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}
