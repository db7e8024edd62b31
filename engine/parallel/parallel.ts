/**
 * The parallel runner: the main thread and `threads − 1` worker threads each take one contiguous
 * range of the lane order (equal vehicle counts, recomputed every phase as traffic moves) and run
 * the same phase functions as the in-line runner, on the same shared arrays. They meet at a
 * barrier built on Atomics.wait / Atomics.notify; nothing is copied per tick.
 *
 * Ticks with few vehicles run every range in the main thread: waking threads would cost more than
 * the work, and since results never depend on the split (runner.ts) the bits are the same.
 *
 * Worker lifetimes are managed with worker-threads-pool. A worker that throws or dies stops the
 * run with a WorkerFault naming the tick and phase; a worker that stops answering is reported
 * after STALL_SECONDS instead of hanging.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Pool from 'worker-threads-pool';
import type { World } from '../sim/world.js';
import type { PhaseRunner, RangeWork } from '../core/runner.js';
import { THREAD_PHASE_NAMES as PHASES, type ThreadPhaseName as PhaseName } from '../sim/phases.js';
import { BOUNDS, CONTROL_INTS, COUNT, DONE, ELAPSED, ERROR, PHASE, PH_EXIT, PH_REMAP, SEQ, TICK, phaseCode } from './control.js';
import type { RemapMessage, WorkerStatic } from './worker.js';

/**
 * Below this many vehicles a phase runs in the main thread (the environment variable
 * ROADTWIN_INLINE_BELOW overrides it, e.g. 0 to put even a small scenario on the threads).
 */
export const INLINE_BELOW = 2000;
/** A worker silent for this long is reported as failed. */
export const STALL_SECONDS = 30;
/** How long an idle worker polls for the next phase before it sleeps, ms. */
export const SPIN_MS = 3;

export interface RunnerUsage {
  workersUsed: number;
  parallelPhases: number;
  inlinePhases: number;
  byPhase: Partial<Record<PhaseName, { threads: number; inline: number }>>;
}

export class WorkerFault extends Error {
  constructor(
    message: string,
    readonly tick: number,
    readonly phase: string,
  ) {
    super(message);
    this.name = 'WorkerFault';
  }
}

/** Where the compiled worker is: beside this module in dist/, or dist/ when running from sources (tests). */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return resolve(dirname(here), 'worker.js');
  const built = resolve(dirname(here), '../../dist/engine/parallel/worker.js');
  if (!existsSync(built)) throw new Error(`the worker thread needs the compiled engine (${built}); run npm run build`);
  return built;
}

export class ParallelRunner implements PhaseRunner<World> {
  readonly parts: number;
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
  private readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];
  private readonly pool: Pool;
  private world: World | null = null;
  private mapped = '';
  private staticSent = false;
  /** per phase, how often it ran [on the threads, in the main thread alone] (for the manifest) */
  readonly phaseRuns = Object.fromEntries(PHASES.map((p) => [p, [0, 0]])) as Record<PhaseName, [number, number]>;

  /** phases run on the threads, all phases together */
  get parallelPhases(): number {
    return PHASES.reduce((sum, p) => sum + this.phaseRuns[p][0], 0);
  }

  /** phases run in the main thread alone, all phases together */
  get inlinePhases(): number {
    return PHASES.reduce((sum, p) => sum + this.phaseRuns[p][1], 0);
  }
  /** milliseconds the main thread waited at the barrier after its own share (imbalance + wake-up) */
  barrierMs = 0;

  private readonly inlineBelow: number;
  /**
   * Share of the vehicles each part takes, per phase. Parts start equal (balanced by vehicle
   * count) and follow the measured speed of each part, since vehicles near junctions cost more
   * than free-flowing ones. The split never changes a result (runner.ts), only the wait.
   */
  private readonly shares: Record<PhaseName, Float64Array>;

  private constructor(threads: number, inlineBelow: number) {
    this.parts = threads;
    this.inlineBelow = inlineBelow;
    this.shares = Object.fromEntries(PHASES.map((p) => [p, new Float64Array(threads).fill(1 / threads)])) as Record<PhaseName, Float64Array>;
    this.pool = new Pool({ max: Math.max(1, threads - 1) });
  }

  /** Starts `threads − 1` worker threads (the main thread is the first part). */
  static async start(threads: number, opts: { inlineBelow?: number } = {}): Promise<ParallelRunner> {
    const env = process.env.ROADTWIN_INLINE_BELOW;
    const inlineBelow = opts.inlineBelow ?? (env !== undefined && /^\d+$/.test(env) ? Number(env) : INLINE_BELOW);
    workerFile(); // fail now, not in the middle of a run, when the compiled worker is missing
    return new ParallelRunner(threads, inlineBelow);
  }

  /**
   * Starts the worker threads the first time a phase needs them, so that a run that never has
   * enough vehicles never pays for threads. The threads are created at once (the pool hands
   * them over on the next turn of the event loop); the first command waits for them to boot.
   */
  private ensureWorkers(): void {
    if (this.started) return;
    this.started = true;
    const file = workerFile();
    const spinMs = this.parts <= availableParallelism() ? SPIN_MS : 0;
    for (let part = 1; part < this.parts; part++) {
      const { port1, port2 } = new MessageChannel();
      this.ports.push(port1);
      this.booting++;
      this.pool.acquire(file, { workerData: { part, parts: this.parts, ctrl: this.ctrl.buffer, port: port2, spinMs }, transferList: [port2] }, (err, w) => {
        this.booting--;
        if (err || !w) return; // a worker that never started is reported by the stall check
        // errors are reported through the control block; keep them from crashing the process
        w.on('error', () => {});
        this.workers.push(w);
      });
    }
  }

  private started = false;
  private booting = 0;

  run(name: string, n: number, work: RangeWork): void {
    const phase = name as PhaseName;
    const code = phaseCode(phase); // (throws for a name that is not a thread phase)
    if (n < this.inlineBelow || this.parts === 1) {
      // one range in the main thread: the same bits as any split, without the split's overhead
      this.phaseRuns[phase][1]++;
      work(0, n, 0);
      return;
    }
    const w = this.world;
    if (!w) throw new Error('the parallel runner is not attached to a world');
    this.phaseRuns[phase][0]++;
    this.ensureWorkers();
    this.remapIfNeeded(w);
    if (w.time !== w.tick * w.dt) throw new Error('the tick time must be tick · dt');
    const share = this.shares[phase];
    // contiguous ranges, sized by the shares
    let acc = 0;
    for (let p = 0; p < this.parts; p++) {
      Atomics.store(this.ctrl, BOUNDS + p, Math.min(n, Math.round(acc * n)));
      acc += share[p];
    }
    const end0 = this.parts > 1 ? Atomics.load(this.ctrl, BOUNDS + 1) : n;
    let own = 0;
    this.command(code, n, w.phaseTick, phase, () => {
      // the main thread's own share: part 0
      const t0 = performance.now();
      work(0, end0, 0);
      own = performance.now() - t0;
    });
    this.rebalance(share, n, own);
  }

  /** Moves the split toward equal finishing times (smoothed, so noise does not make it swing). */
  private rebalance(share: Float64Array, n: number, ownMs: number): void {
    if (n < 64) return;
    const speed = new Float64Array(this.parts);
    let total = 0;
    for (let p = 0; p < this.parts; p++) {
      const start = Atomics.load(this.ctrl, BOUNDS + p);
      const end = p + 1 < this.parts ? Atomics.load(this.ctrl, BOUNDS + p + 1) : n;
      const ms = p === 0 ? ownMs : Atomics.load(this.ctrl, ELAPSED + p) / 1000;
      speed[p] = (end - start + 1) / Math.max(ms, 0.001);
      total += speed[p];
    }
    let sum = 0;
    for (let p = 0; p < this.parts; p++) {
      share[p] = 0.9 * share[p] + 0.1 * (speed[p] / total);
      sum += share[p];
    }
    for (let p = 0; p < this.parts; p++) share[p] /= sum;
  }

  /** Hands the workers the current buffers when any array has been replaced since last time. */
  private remapIfNeeded(w: World): void {
    const outs = w.phaseOuts;
    const key = `${w.state.generation}/${w.routes.generation}/${outs.map((o) => o.generation).join(',')}/${w.v2x?.generation ?? ''}`;
    if (key === this.mapped) return;
    const routes = w.routes;
    const buf = (a: { buffer: ArrayBufferLike }) => a.buffer as SharedArrayBuffer;
    const v2x = w.v2x?.workerBuffers();
    for (let part = 1; part < this.parts; part++) {
      const msg: RemapMessage = {
        ...(this.staticSent ? {} : { static: this.staticData(w) }),
        state: w.state.buffers(),
        capacity: w.state.capacity,
        routes: {
          edges: buf(routes.edges),
          start: buf(routes.start),
          length: buf(routes.length),
          loop: buf(routes.loop),
          stopEdge: buf(routes.stopEdge),
          stopPos: buf(routes.stopPos),
          stopDur: buf(routes.stopDur),
          stopLane: buf(routes.stopLane),
          stopUntil: buf(routes.stopUntil),
        },
        out: outs[part].buffers(),
        ...(v2x ? { v2x } : {}),
      };
      this.ports[part - 1].postMessage(msg);
    }
    this.staticSent = true;
    this.command(PH_REMAP, 0, w.phaseTick, 'remap', () => {});
    this.mapped = key;
  }

  private staticData(w: World): WorkerStatic {
    const n = w.net;
    const t = w.types;
    const buf = (a: { buffer: ArrayBufferLike }) => a.buffer as SharedArrayBuffer;
    return {
      net: {
        laneEdge: n.laneEdge,
        laneIndex: n.laneIndex,
        laneLength: n.laneLength,
        laneSpeed: n.laneSpeed,
        laneAllow: n.laneAllow,
        edgeLanes: n.edgeLanes,
        edgeFirstLane: n.edgeFirstLane,
        laneConnStart: n.laneConnStart,
        laneConns: n.laneConns,
        laneInStart: n.laneInStart,
        laneIns: n.laneIns,
        connFromLane: n.connFromLane,
        connToLane: n.connToLane,
        connToEdge: n.connToEdge,
        connRank: n.connRank,
        connStop: n.connStop,
        connSpeed: n.connSpeed,
        connCurve: n.connCurve,
        connPath: n.connPath,
        connFoeStart: n.connFoeStart,
        connFoes: n.connFoes,
        connFoeMerge: n.connFoeMerge,
        laneSetback: n.laneSetback,
      },
      types: { A: t.A, B: t.B, T: t.T, s0: t.s0, length: t.length, vmax: t.vmax, bmax: t.bmax, sqab2: t.sqab2, politeness: t.politeness, threshold: t.threshold, bias: t.bias, bsafe: t.bsafe, classCode: t.classCode, laneBits: t.laneBits, krauss: t.krauss, sigma: t.sigma },
      connState: buf(w.connState),
      laneStart: buf(w.order.laneStart),
      laneDirty: buf(w.laneDirty),
      laneWish: [buf(w.laneWish[0]), buf(w.laneWish[1])],
      laneEvents: buf(w.laneEvents),
      settings: w.contextSettings(),
      ...(w.v2x ? { v2x: w.v2x.modelInput() } : {}),
      ...(w.logistics ? { logistics: w.logistics.workerInput() } : {}),
      ...(w.places ? { places: w.places.tallies.map((t) => t.buffers()) } : {}),
      ...(w.detectors.size > 0 ? { detectors: { specs: w.scenario.detectors, net: { edgeIndex: n.edgeIndex, edgeFirstLane: n.edgeFirstLane, edgeLanes: n.edgeLanes }, arrays: w.detectors.arrays.buffers() } } : {}),
    };
  }

  /** Publishes a command, runs the main thread's share, waits for every worker (the barrier). */
  private command(code: number, n: number, tick: number, phase: string, own: () => void): void {
    const ctrl = this.ctrl;
    const workers = this.parts - 1;
    Atomics.store(ctrl, COUNT, n);
    Atomics.store(ctrl, TICK, tick);
    Atomics.store(ctrl, PHASE, code);
    Atomics.store(ctrl, ERROR, 0);
    Atomics.store(ctrl, DONE, 0);
    Atomics.add(ctrl, SEQ, 1);
    Atomics.notify(ctrl, SEQ);
    let ownError: unknown = null;
    try {
      own();
    } catch (err) {
      ownError = err;
    }
    const waitStart = performance.now();
    const deadline = waitStart + STALL_SECONDS * 1000;
    // poll before sleeping: the workers usually finish within a fraction of a millisecond of us
    if (this.parts <= availableParallelism()) {
      const until = waitStart + 5 * SPIN_MS;
      for (let spin = 1; Atomics.load(ctrl, DONE) < workers; spin++) if ((spin & 1023) === 0 && performance.now() > until) break;
    }
    for (;;) {
      const done = Atomics.load(ctrl, DONE);
      if (done >= workers) break;
      Atomics.wait(ctrl, DONE, done, 100);
      if (performance.now() > deadline)
        throw new WorkerFault(`a worker thread did not answer for ${STALL_SECONDS} s in tick ${tick}, phase ${phase}`, tick, phase);
    }
    this.barrierMs += performance.now() - waitStart;
    if (ownError) throw ownError;
    const failed = Atomics.load(ctrl, ERROR);
    if (failed !== 0) {
      const msg = receiveMessageOnPort(this.ports[failed - 1]);
      const detail = (msg?.message as { error?: string } | undefined)?.error ?? 'no detail';
      throw new WorkerFault(`worker thread ${failed} failed in tick ${tick}, phase ${phase}: ${detail.split('\n')[0]}`, tick, phase);
    }
  }

  /**
   * What the run used, for the manifest: threads (1 when no phase ever needed the workers: a
   * small scenario runs in-line whatever --workers says), and per phase how often it ran on the
   * threads and in the main thread alone (phases a scenario never has are left out).
   */
  usage(): RunnerUsage {
    const byPhase: RunnerUsage['byPhase'] = {};
    for (const p of PHASES) {
      const [threads, inline] = this.phaseRuns[p];
      if (threads + inline > 0) byPhase[p] = { threads, inline };
    }
    const parallelPhases = this.parallelPhases;
    return { workersUsed: parallelPhases > 0 ? this.parts : 1, parallelPhases, inlinePhases: this.inlinePhases, byPhase };
  }

  attach(world: World): void {
    this.world = world;
  }

  /** Stops the workers and waits for their threads to end. */
  async close(): Promise<void> {
    if (!this.started) return;
    // threads created but not yet handed over by the pool arrive on the next turn of the loop
    for (let k = 0; this.booting > 0 && k < 100; k++) await new Promise((r) => setTimeout(r, 10));
    const exits = this.workers.map((w) => new Promise<void>((r) => (w.threadId < 0 ? r() : w.once('exit', () => r()))));
    Atomics.store(this.ctrl, PHASE, PH_EXIT);
    Atomics.add(this.ctrl, SEQ, 1);
    Atomics.notify(this.ctrl, SEQ);
    const timeout = new Promise<void>((r) => setTimeout(r, 2000).unref());
    await Promise.race([Promise.all(exits), timeout]);
    this.pool.destroy();
    for (const p of this.ports) p.close();
    this.workers.length = 0;
  }
}
