/**
 * The calibration kernel: a fixed piece of work with the shape of the hot loop (IDM car-following
 * and a ballistic move over typed arrays of a platoon on a ring), timed in the same process right
 * before a benchmark. These machines are shared and their speed drifts with the neighbours' load;
 * dividing a benchmark's throughput by this figure gives a number that moves with the code, not
 * with the machine, which is what the regression gate compares.
 *
 * A case run on several threads is divided by the kernel run on as many threads at once
 * (calibrateThreads): on a shared machine the second core is the first to go to a neighbour, and
 * a one-thread kernel does not see that (the fresh-clone check of 2026-12-03 failed grid-16 on two
 * threads at −17.5 % with unchanged code, the one before had passed it at −8 %).
 *
 * The work never changes: same sizes, same steps, same arithmetic. Changing it invalidates every
 * baseline, so `CALIBRATION_VERSION` is stored with the results and checked by the gate
 * (version 3: the kernel on as many threads as the case).
 */
export const CALIBRATION_VERSION = 3;

const VEHICLES = 1 << 16;
const STEPS = 40;
const DT = 0.1;

/** Runs the kernel once; returns kernel updates (vehicles × steps) per second and a checksum. */
export function runKernel(): { updatesPerSecond: number; checksum: number } {
  const n = VEHICLES;
  const pos = new Float64Array(n);
  const speed = new Float64Array(n);
  const accel = new Float64Array(n);
  const ringLength = n * 25;
  for (let i = 0; i < n; i++) {
    pos[i] = i * 25 + ((i * 7919) % 13) * 0.5;
    speed[i] = 10 + (i % 7);
  }
  const A = 1.5;
  const B = 2;
  const T = 1.2;
  const S0 = 2;
  const L = 4.5;
  const V0 = 30;
  const sqrtAB2 = 2 * Math.sqrt(A * B);
  const t0 = performance.now();
  for (let step = 0; step < STEPS; step++) {
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      let gap = pos[j] - pos[i] - L;
      if (gap < -ringLength / 2) gap += ringLength;
      const v = speed[i];
      const dv = v - speed[j];
      const sStar = S0 + Math.max(0, v * T + (v * dv) / sqrtAB2);
      const z = sStar / Math.max(gap, 0.1);
      const r = v / V0;
      accel[i] = A * (1 - r * r * r * r - z * z);
    }
    for (let i = 0; i < n; i++) {
      const a = accel[i];
      const v = speed[i];
      const v1 = v + a * DT;
      if (v1 < 0) {
        pos[i] -= (v * v) / (2 * a);
        speed[i] = 0;
      } else {
        pos[i] += v * DT + 0.5 * a * DT * DT;
        speed[i] = v1;
      }
      if (pos[i] >= ringLength) pos[i] -= ringLength;
    }
  }
  const wall = (performance.now() - t0) / 1000;
  let checksum = 0;
  for (let i = 0; i < n; i += 97) checksum += speed[i];
  return { updatesPerSecond: (n * STEPS) / wall, checksum };
}

/**
 * Times the kernel `repeats` times after a warm-up and returns the best figure: the best is the
 * run least disturbed by other processes, the closest to what the machine can do. The warm-up is
 * long on purpose: the optimising compiler works in the background, and a kernel timed while its
 * first, on-stack-replaced code still runs measured 20 % slower in some processes than in others
 * (two modes, seen on this machine), which the gate then read as a change in the engine.
 */
export function calibrate(repeats = 5): number {
  warmUpKernel();
  return Math.round(bestOfKernel(repeats));
}

/** The kernel's warm-up runs (see calibrate): every thread that times it runs these first. */
export function warmUpKernel(): void {
  for (let w = 0; w < 4; w++) runKernel();
}

/** The best of `repeats` timed runs of the kernel, updates/s. */
export function bestOfKernel(repeats: number): number {
  let best = 0;
  let checksum = 0;
  for (let r = 0; r < repeats; r++) {
    const k = runKernel();
    best = Math.max(best, k.updatesPerSecond);
    checksum += k.checksum;
  }
  // The checksum keeps the kernel's results alive (and proves it did the same work each time).
  if (!Number.isFinite(checksum)) throw new Error('calibration kernel diverged');
  return best;
}

/**
 * The kernel on `threads` threads at once (the main thread and threads − 1 workers, started
 * together after their warm-up): the slowest thread's best figure, the machine's speed per
 * thread when that many run. One thread: calibrate().
 */
export async function calibrateThreads(threads: number, repeats = 5): Promise<number> {
  if (threads <= 1) return calibrate(repeats);
  const { Worker } = await import('node:worker_threads');
  const ctrl = new Int32Array(new SharedArrayBuffer(8));
  const file = new URL('./calibrate-worker.js', import.meta.url);
  const results: Promise<number>[] = [];
  const workers = Array.from({ length: threads - 1 }, () => new Worker(file, { workerData: { ctrl: ctrl.buffer, repeats } }));
  for (const w of workers)
    results.push(
      new Promise<number>((resolve, reject) => {
        w.once('message', (m: number) => resolve(m));
        w.once('error', reject);
      }),
    );
  warmUpKernel();
  // wait for every worker's warm-up, then start all at once
  while (Atomics.load(ctrl, 0) < threads - 1) Atomics.wait(ctrl, 0, Atomics.load(ctrl, 0), 50);
  Atomics.store(ctrl, 1, 1);
  Atomics.notify(ctrl, 1);
  const best = bestOfKernel(repeats);
  const others = await Promise.all(results);
  await Promise.all(workers.map((w) => w.terminate()));
  return Math.round(Math.min(best, ...others));
}
