/**
 * One worker thread of calibrateThreads (calibrate.ts): warms the kernel up, says so, waits for
 * the start, runs it `repeats` times and posts its best figure.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { bestOfKernel, warmUpKernel } from './calibrate.js';

const { ctrl: buffer, repeats } = workerData as { ctrl: SharedArrayBuffer; repeats: number };
const ctrl = new Int32Array(buffer);
warmUpKernel();
Atomics.add(ctrl, 0, 1);
Atomics.notify(ctrl, 0);
while (Atomics.load(ctrl, 1) === 0) Atomics.wait(ctrl, 1, 0, 50);
parentPort!.postMessage(bestOfKernel(repeats));
