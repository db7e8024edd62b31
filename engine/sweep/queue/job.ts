/**
 * What travels through Redis: a job's data is a RunJob (execute-run.ts), its return value a
 * QueueResult. Both are checked when read, because a queue is shared: anything could be on it.
 */
import { z } from 'zod';
import type { JobsOptions } from 'bullmq';

export const runJobSchema = z.object({
  // the key names a directory: no separators, no way out of runs/
  key: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
  scenarioFile: z.string().min(1),
  runsDir: z.string().min(1),
  seed: z.number().int().min(0),
  overrides: z.array(z.string()),
});

export const queueResultSchema = z.object({
  key: z.string(),
  runDir: z.string(),
  metrics: z.record(z.string(), z.unknown()),
  /** host:pid of the worker that produced it */
  worker: z.string(),
});
export type QueueResult = z.infer<typeof queueResultSchema>;

/**
 * jobId = run key: adding a run that is already on the queue (waiting, running or done) is a
 * no-op, so re-running a sweep never duplicates work. A failed attempt is retried with growing
 * delays; completed jobs are kept a week so that results can be collected again.
 */
export const jobOptions = (key: string): JobsOptions => ({
  jobId: key,
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
});
