/**
 * `roadtwin run <scenario.yaml> [--out DIR] [--seed N] [--workers N] [--duration S] [--step S]
 * [--set path=value]… [--quiet] [--live [--port N]] [--checkpoint-every S] [--no-report]`: runs a scenario to
 * the end and writes its run directory.
 *
 * Ctrl-C stops at a tick boundary, writes a complete run directory marked `complete: false` and
 * exits 130. This module only turns the options into a run session (engine/io/run/session.ts,
 * where the loop, checkpoints, live viewer and failures are) and shows it (drive.ts).
 */
import { availableParallelism } from 'node:os';
import { driveSession } from './drive.js';
import { runReport } from './report.js';
import { parseOrigins } from '../io/live/guard.js';
import { loadReplay, type LoadedReplay } from '../io/control/replay.js';
import type { RunSession } from '../io/run/session.js';

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
  /** address of the live viewer (default 127.0.0.1) */
  host?: string;
  /** origins whose pages may connect to the live viewer besides its own (repeatable) */
  allowOrigin?: string[];
  /** write a checkpoint every this many simulated seconds (roadtwin resume continues from it) */
  checkpointEvery?: string;
  /** a command log of `roadtwin serve` to apply on the way (engine/io/control/replay.ts) */
  replayCommands?: string;
  /** false with --no-report: no report.html at the end */
  report?: boolean;
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
  const workers = parseWorkers(opts.workers);
  if (typeof workers === 'string') return fail(workers);
  let checkpointEvery = 0;
  if (opts.checkpointEvery !== undefined) {
    checkpointEvery = Number(opts.checkpointEvery);
    if (!(checkpointEvery > 0) || !Number.isFinite(checkpointEvery)) return fail(`--checkpoint-every: expected a positive number of simulated seconds, got '${opts.checkpointEvery}'`);
  }
  // checked before anything is written (the live server starts after the run directory is made)
  const origins = parseOrigins(opts.allowOrigin ?? []);
  if (typeof origins === 'string') return fail(origins);
  if (origins.length > 0 && !opts.live) return fail('--allow-origin is for --live');
  let replay: LoadedReplay | undefined;
  if (opts.replayCommands !== undefined) {
    // a resumed run would not replay: the held speeds and overrides are not in checkpoints
    if (checkpointEvery > 0) return fail('--replay-commands cannot be combined with --checkpoint-every');
    const loaded = loadReplay(opts.replayCommands, file, overrides);
    if (typeof loaded === 'string') {
      // located messages (FILE:LINE: …) stand alone, as scenario problems do
      process.stderr.write(`${/^[^ ]+:\d+:/.test(loaded) ? '' : 'roadtwin run: '}${loaded}\n`);
      return 1;
    }
    replay = loaded;
  }
  let session: RunSession | undefined;
  const code = await driveSession(
    {
      source: { scenarioFile: file, overrides: replay ? replay.overrides : overrides, out: opts.out, checkpointEvery, command: ['roadtwin', ...process.argv.slice(2)] },
      workers,
      live: opts.live ? { port: opts.port, host: opts.host, allowOrigins: opts.allowOrigin ?? [] } : undefined,
      ...(replay ? { beforeTick: replay.replay.beforeTick } : {}),
    },
    {
      command: 'roadtwin run',
      quiet: opts.quiet,
      onStarted: (s) => (session = s),
      afterRun: opts.report === false ? undefined : (dir) => runReport(dir, { quiet: opts.quiet }, 'roadtwin run'),
    },
  );
  if (replay && code === 0 && session && !opts.quiet) {
    // the log's last line says where the served simulation stopped: the same tick, the same bits
    const end = replay.end;
    const w = session.world;
    const said = `replayed ${replay.replay.applied} of ${replay.commands} commands`;
    if (end && end.tick === w.tick) process.stderr.write(`roadtwin run: ${said}; state hash ${end.stateHash === w.stateHash() ? 'equal to' : 'DIFFERENT from'} the log's at tick ${end.tick}\n`);
    else process.stderr.write(`roadtwin run: ${said}${end ? ` (the log ended at tick ${end.tick}: run with --duration ${end.time} to compare state hashes)` : ''}\n`);
  }
  return code;
}

/** `--workers`: a whole number from 1 to 256, or the number of cores when absent. */
export function parseWorkers(value: string | undefined): number | string {
  if (value === undefined) return availableParallelism();
  if (!/^[1-9][0-9]*$/.test(value) || Number(value) > 256) return `--workers: expected a whole number from 1 to 256, got '${value}'`;
  return Number(value);
}
