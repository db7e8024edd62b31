/**
 * The sweep's side of the queue: puts one job per run on the BullMQ queue (jobId = run key),
 * then collects each run's result exactly once, from the 'completed' events and from a slow
 * poll that covers events missed during a reconnect. Results are kept by run key, so a job that
 * ran twice (a worker presumed dead that finished after all) is still counted once.
 */
import { cpSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, QueueEvents, type ConnectionOptions, type Job } from 'bullmq';
import { completedRun, TEMP_PREFIX, type RunJob } from '../execute-run.js';
import type { RunCallbacks } from '../local.js';
import { jobOptions, queueResultSchema, type QueueResult } from './job.js';
import { QUEUE_NAME } from './redis.js';

const POLL_MS = 5000;

export async function runOnQueue(jobs: readonly RunJob[], connection: ConnectionOptions, opts: { signal: AbortSignal } & RunCallbacks): Promise<void> {
  const queue = new Queue<RunJob, QueueResult>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  // connection trouble after the first contact: BullMQ reconnects by itself; say it once
  let warned = false;
  const warn = (err: Error) => {
    if (!warned) process.stderr.write(`roadtwin sweep: Redis connection trouble (${err.message}); retrying\n`);
    warned = true;
  };
  queue.on('error', warn);
  events.on('error', warn);
  const pending = new Map(jobs.map((j) => [j.key, j]));

  const settle = (key: string, result: unknown) => {
    const job = pending.get(key);
    if (!job) return; // already counted
    const parsed = queueResultSchema.safeParse(result);
    if (!parsed.success) return fail(key, `the queue returned no usable result for ${key}`);
    pending.delete(key);
    const runDir = adopt(parsed.data, job);
    opts.onDone({ key, runDir, metrics: parsed.data.metrics, reused: false });
  };
  const fail = (key: string, reason: string) => {
    if (!pending.delete(key)) return;
    opts.onFailed(key, `run ${key} failed on the queue: ${reason}`);
  };

  try {
    await events.waitUntilReady(); // listening before adding: no completion can slip past
    events.on('completed', ({ jobId, returnvalue }) => settle(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => fail(jobId, failedReason));
    await queue.addBulk(jobs.map((j) => ({ name: 'run', data: j, opts: jobOptions(j.key) })));
    await reconcile(queue, pending, settle, fail, true);

    while (pending.size > 0 && !opts.signal.aborted) {
      await sleep(POLL_MS, opts.signal);
      if (pending.size > 0 && !opts.signal.aborted) await reconcile(queue, pending, settle, fail, false);
    }
  } finally {
    await events.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
  }
}

/**
 * Looks at the state of every job still pending. Right after adding (`first`), a job that
 * already existed may be finished from an earlier sweep: a completed one whose directory can no
 * longer be found is run again, a failed one is retried; later, those states are final.
 */
async function reconcile(
  queue: Queue<RunJob, QueueResult>,
  pending: Map<string, RunJob>,
  settle: (key: string, result: unknown) => void,
  fail: (key: string, reason: string) => void,
  first: boolean,
): Promise<void> {
  for (const [key, data] of [...pending]) {
    const job: Job<RunJob, QueueResult> | undefined = await queue.getJob(key);
    if (!job) {
      // removed (by its age limit or by hand) before we saw it finish: put it back
      await queue.add('run', data, jobOptions(key));
      continue;
    }
    const state = await job.getState();
    if (state === 'completed') {
      const stale = first && !completedRun(job.returnvalue?.runDir ?? '') && !completedRun(join(data.runsDir, key));
      if (!stale) settle(key, job.returnvalue);
      else {
        await job.remove();
        await queue.add('run', data, jobOptions(key));
      }
    } else if (state === 'failed') {
      if (first) await job.retry('failed');
      else fail(key, job.failedReason);
    }
  }
}

/**
 * The run directory under this sweep's runs/: a run done for another sweep with the same key
 * (same scenario, parameters and seed) is copied in, so the output directory is complete.
 */
function adopt(result: QueueResult, job: RunJob): string {
  const ours = join(job.runsDir, job.key);
  if (result.runDir === ours || completedRun(ours) || !completedRun(result.runDir)) return ours;
  const tmp = join(job.runsDir, `${TEMP_PREFIX}${job.key}-copy-${process.pid}`);
  try {
    cpSync(result.runDir, tmp, { recursive: true });
    renameSync(tmp, ours);
  } catch {
    rmSync(tmp, { recursive: true, force: true });
    return result.runDir;
  }
  return ours;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
