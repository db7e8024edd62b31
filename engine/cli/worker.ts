/**
 * `roadtwin worker --queue redis://HOST:PORT [--concurrency N] [--lock S] [--quiet]`: takes sweep
 * runs from the queue until stopped. Ctrl-C (or SIGTERM) once: take no new runs, finish the
 * current ones, exit 0. Twice: exit now; the unfinished runs go back on the queue when their
 * lock runs out and another worker takes them.
 */
import { availableParallelism } from 'node:os';
import { parseRedisUrl, probeRedis, startQueueWorker } from '../sweep/index.js';

export interface WorkerCliOptions {
  queue: string;
  concurrency?: string;
  lock?: string;
  quiet?: boolean;
}

const fail = (msg: string): number => {
  process.stderr.write(`roadtwin worker: ${msg}\n`);
  return 1;
};

export async function runWorker(opts: WorkerCliOptions): Promise<number> {
  let concurrency = availableParallelism();
  if (opts.concurrency !== undefined) {
    if (!/^[1-9][0-9]*$/.test(opts.concurrency) || Number(opts.concurrency) > 256) return fail(`--concurrency: expected a whole number from 1 to 256, got '${opts.concurrency}'`);
    concurrency = Number(opts.concurrency);
  }
  let lockSeconds = 10;
  if (opts.lock !== undefined) {
    if (!/^[0-9]+(\.[0-9]+)?$/.test(opts.lock) || Number(opts.lock) < 1 || Number(opts.lock) > 3600) return fail(`--lock: expected seconds from 1 to 3600, got '${opts.lock}'`);
    lockSeconds = Number(opts.lock);
  }
  const connection = parseRedisUrl(opts.queue);
  if (typeof connection === 'string') return fail(connection);
  const unreachable = await probeRedis(connection, opts.queue);
  if (unreachable) return fail(unreachable);

  const log = (line: string) => {
    if (!opts.quiet) process.stdout.write(`${line}\n`);
  };
  const worker = startQueueWorker(connection, { concurrency, lockSeconds, log });
  let lastError = '';
  worker.on('error', (err) => {
    // BullMQ reconnects by itself; repeat a connection message only when it changes
    if (err.message !== lastError) process.stderr.write(`roadtwin worker: ${err.message}\n`);
    lastError = err.message;
  });
  await worker.waitUntilReady();
  log(`roadtwin worker: taking runs from ${opts.queue} (concurrency ${concurrency}); Ctrl-C to stop`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(130); // the run processes end with us (they watch their parent)
      stopping = true;
      log('roadtwin worker: stopping after the current runs (Ctrl-C again to stop now)');
      worker.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
