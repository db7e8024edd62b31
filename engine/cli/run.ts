/**
 * `roadtwin run <scenario.yaml> [--out DIR] [--seed N] [--workers N] [--duration S] [--step S]
 * [--set path=value]… [--quiet] [--live [--port N]] [--checkpoint-every S]`: runs a scenario to
 * the end and writes its run directory.
 *
 * Ctrl-C stops at a tick boundary, writes a complete run directory marked `complete: false` and
 * exits 130. This module only turns the options into a run session (engine/io/run/session.ts,
 * where the loop, checkpoints, live viewer and failures are) and shows it (drive.ts).
 */
import { availableParallelism } from 'node:os';
import { driveSession } from './drive.js';
import { parseOrigins } from '../io/live/guard.js';

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
  return driveSession(
    { source: { scenarioFile: file, overrides, out: opts.out, checkpointEvery }, workers, live: opts.live ? { port: opts.port, host: opts.host, allowOrigins: opts.allowOrigin ?? [] } : undefined },
    { command: 'roadtwin run', quiet: opts.quiet },
  );
}

/** `--workers`: a whole number from 1 to 256, or the number of cores when absent. */
export function parseWorkers(value: string | undefined): number | string {
  if (value === undefined) return availableParallelism();
  if (!/^[1-9][0-9]*$/.test(value) || Number(value) > 256) return `--workers: expected a whole number from 1 to 256, got '${value}'`;
  return Number(value);
}
