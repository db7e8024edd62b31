/**
 * The worker's side of the queue: takes run jobs, executes each in a child process (as the local
 * sweep does) into the sweep's shared `runs/` directory and returns its metrics.
 *
 * A worker that dies mid-run stops renewing its job's lock; after `lockSeconds` another worker's
 * stalled-job check puts the job back on the queue and it runs elsewhere. The worker's main
 * thread only waits on child processes, so it renews locks on time however heavy the run, and
 * a short lock (quick recovery) is safe.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { executeRun, RunFailure, type RunJob } from '../execute-run.js';
import { runJobSchema, type QueueResult } from './job.js';
import { QUEUE_NAME } from './redis.js';

export interface WorkerOptions {
  concurrency: number;
  /** seconds a job's lock lasts without renewal before the job counts as stalled */
  lockSeconds: number;
  log(line: string): void;
}

export function startQueueWorker(connection: ConnectionOptions, opts: WorkerOptions): Worker<RunJob, QueueResult> {
  const self = `${hostname()}:${process.pid}`;
  const process_ = async (job: Job<RunJob, QueueResult>): Promise<QueueResult> => {
    const data = runJobSchema.safeParse(job.data);
    if (!data.success) throw new UnrecoverableError(`job ${job.id} is not a roadtwin run: ${data.error.issues[0]?.message}`);
    const run = data.data;
    const t0 = performance.now();
    opts.log(`start ${run.key} (attempt ${job.attemptsMade + 1})`);
    try {
      const outcome = await executeRun(run, { tag: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}` });
      opts.log(`${outcome.reused ? 'found' : 'done'} ${run.key} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return { key: run.key, runDir: outcome.runDir, metrics: outcome.metrics, worker: self };
    } catch (err) {
      if (err instanceof RunFailure) opts.log(`failed ${run.key}: ${err.message}`);
      throw err;
    }
  };
  return new Worker<RunJob, QueueResult>(QUEUE_NAME, process_, {
    connection,
    concurrency: opts.concurrency,
    lockDuration: opts.lockSeconds * 1000,
    // each worker looks for stalled jobs twice per lock period, so a dead worker's job is back
    // on the queue within about 1.5 lock periods
    stalledInterval: Math.max(500, (opts.lockSeconds * 1000) / 2),
    // a job may lose its worker twice (two machines lost) before it is given up
    maxStalledCount: 2,
  });
}
