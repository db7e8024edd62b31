/**
 * Runs one planned run in a child process and makes its run directory appear whole or not at
 * all: the run is written to `runs/.tmp-<key>-<tag>/` and renamed to `runs/<key>/` only when
 * it finished with a complete manifest. A killed process leaves a `.tmp-` directory that is
 * never counted (and is removed when the sweep ends). Used by the local executor and by queue
 * workers alike, so a run is the same process with the same arguments wherever it runs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Everything a process needs to execute one run: also the data of a queue job. */
export interface RunJob {
  key: string;
  /** the sweep's copy of the base scenario (every run of a sweep reads the same text) */
  scenarioFile: string;
  /** the sweep's `runs/` directory */
  runsDir: string;
  seed: number;
  overrides: string[];
}

export interface RunOutcome {
  key: string;
  runDir: string;
  metrics: Record<string, unknown>;
  /** the directory was already complete (an earlier attempt, sweep or worker finished it) */
  reused: boolean;
}

/** A run that did not finish: its message is one line for the user. */
export class RunFailure extends Error {
  override name = 'RunFailure';
}

export const TEMP_PREFIX = '.tmp-';

/** The compiled child entry (also when this module runs from its TypeScript source under vitest). */
function childEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return fileURLToPath(new URL('./run-child.js', import.meta.url));
  return fileURLToPath(new URL('../../dist/engine/sweep/run-child.js', import.meta.url));
}

/** The metrics of a complete run directory, or null if it is missing or incomplete. */
export function completedRun(runDir: string): Record<string, unknown> | null {
  try {
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as { complete?: boolean };
    if (manifest.complete !== true) return null;
    return JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * @param tag makes the temporary directory this attempt's own (host, pid, a random part)
 * @param signal aborting sends the run SIGINT: it stops at a tick boundary and is not counted
 */
export async function executeRun(job: RunJob, opts: { tag: string; signal?: AbortSignal }): Promise<RunOutcome> {
  const runDir = join(job.runsDir, job.key);
  const done = completedRun(runDir);
  if (done) return { key: job.key, runDir, metrics: done, reused: true };

  try {
    mkdirSync(job.runsDir, { recursive: true });
  } catch (err) {
    throw new RunFailure(`cannot create ${job.runsDir}: ${(err as Error).message} (a queue worker needs the sweep's output directory at the same path)`);
  }
  const tmp = join(job.runsDir, `${TEMP_PREFIX}${job.key}-${opts.tag}`);
  rmSync(tmp, { recursive: true, force: true });
  const spec = { scenario: job.scenarioFile, out: tmp, seed: job.seed, overrides: job.overrides };
  // its own process group: a Ctrl-C on the terminal reaches the sweep or worker, which decides
  const child = spawn(process.execPath, [childEntry(), JSON.stringify(spec)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 65536) stderr += d.toString();
  });
  const abort = () => child.kill('SIGINT');
  opts.signal?.addEventListener('abort', abort, { once: true });
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      stderr += err.message;
      resolve(null);
    });
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : null)));
  });
  opts.signal?.removeEventListener('abort', abort);

  const metrics = code === 0 ? completedRun(tmp) : null;
  if (!metrics) {
    rmSync(tmp, { recursive: true, force: true });
    const why = stderr.trim().split('\n').filter(Boolean).pop() ?? 'no message';
    throw new RunFailure(opts.signal?.aborted ? `run ${job.key} interrupted` : `run ${job.key} failed (exit ${code}): ${why}`);
  }
  try {
    renameSync(tmp, runDir);
  } catch (err) {
    // another attempt of the same run finished first (a worker thought dead came back): the
    // runs are deterministic, so its directory is as good as this one
    const code = (err as NodeJS.ErrnoException).code;
    const other = code === 'ENOTEMPTY' || code === 'EEXIST' ? completedRun(runDir) : null;
    rmSync(tmp, { recursive: true, force: true });
    if (!other) throw new RunFailure(`run ${job.key}: cannot move its directory into place: ${(err as Error).message}`);
    return { key: job.key, runDir, metrics: other, reused: true };
  }
  return { key: job.key, runDir, metrics, reused: false };
}

/** Removes the `.tmp-` directories of attempts that never finished (killed workers, Ctrl-C). */
export function removeTempRuns(runsDir: string): void {
  if (!existsSync(runsDir)) return;
  for (const name of readdirSync(runsDir)) if (name.startsWith(TEMP_PREFIX)) rmSync(join(runsDir, name), { recursive: true, force: true });
}
