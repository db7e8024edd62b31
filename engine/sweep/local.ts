/**
 * Runs a sweep on this machine: at most `parallel` runs at a time, each in its own child process
 * (`--workers 1`, so N runs use N cores and one crashing run cannot take the others down).
 */
import { executeRun, RunFailure, type RunJob, type RunOutcome } from './execute-run.js';

export interface RunCallbacks {
  onStart?(job: RunJob): void;
  onDone(outcome: RunOutcome): void;
  onFailed(key: string, message: string): void;
}

export async function runLocally(jobs: readonly RunJob[], opts: { parallel: number; signal: AbortSignal } & RunCallbacks): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < jobs.length && !opts.signal.aborted) {
      const job = jobs[next++];
      opts.onStart?.(job);
      try {
        opts.onDone(await executeRun(job, { tag: `local-${process.pid}`, signal: opts.signal }));
      } catch (err) {
        if (!(err instanceof RunFailure)) throw err;
        opts.onFailed(job.key, err.message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.parallel, jobs.length)) }, lane));
}
