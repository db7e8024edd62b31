// Types for worker-threads-pool 2.x (a small CommonJS package without its own).
declare module 'worker-threads-pool' {
  import type { Worker, WorkerOptions } from 'node:worker_threads';
  export default class Pool {
    constructor(opts?: { max?: number; maxWaiting?: number });
    readonly size: number;
    acquire(filename: string, opts: WorkerOptions, cb: (err: Error | null, worker: Worker) => void): void;
    acquire(filename: string, cb: (err: Error | null, worker: Worker) => void): void;
    destroy(cb?: () => void): void;
  }
}
