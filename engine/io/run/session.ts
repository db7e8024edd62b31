/**
 * The run loop of roadtwin, once: a run session creates the runner (worker threads) and the world,
 * fresh or restored from a checkpoint, steps it to the end of its scenario, writes the run
 * directory (RunWriter) and a checkpoint every N simulated seconds, streams to a live viewer when
 * asked, reports its progress through a callback and ends in one of four ways that the caller
 * turns into an exit code (report.ts): complete, interrupted (Ctrl-C or an abort), a worker fault,
 * or a write error. `roadtwin run`, `roadtwin resume`, the sweep's child runs and the benchmarks
 * all run through it; `World.run` stays as the plain library loop with none of this.
 *
 *   const s = await RunSession.start({ source: { scenarioFile, overrides, out }, workers: 4 });
 *   if ('refused' in s) …; else try { const result = await s.run(); … } finally { await s.close(); }
 *
 * The loop calls `world.step()` itself rather than `world.run(until, shouldStop)`, because it acts
 * between particular ticks: a checkpoint right after the tick whose simulated time reaches the next
 * multiple of N (`time >= next`, the rule checkpoints have always followed, which `run`'s rounding
 * of a time to a tick count would not keep for an N that is not a multiple of the step), and the
 * writer's first I/O error looked at before each checkpoint. It also gives the event loop a turn
 * every ~100 ms of wall time, so that Ctrl-C, a live viewer's socket and progress are served while
 * a long run goes on.
 *
 * Failures are the run directory's, not the process's: a worker fault and Ctrl-C still finish the
 * directory (every file, a manifest saying `complete: false` and why); a write error keeps what was
 * written whole and tries for that manifest. Nothing here prints: messages are the caller's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Scenario } from '../scenario/index.js';
import { World } from '../../sim/world.js';
import { SnapshotError } from '../../core/snapshot.js';
import { ENGINE_VERSION } from '../../core/version.js';
import { ParallelRunner, WorkerFault } from '../../parallel/parallel.js';
import type { LiveServer } from '../live/server.js';
// (the live viewer's modules, with their WebSocket library, are loaded only by a run that has one)
import type { LiveRunOptions } from '../live/run-live.js';
import { RunWriter, type RunMeta, type WriterCheckpoint } from './writer.js';
import { restoreCheckpoint, writeCheckpoint, writeRunInfo } from './checkpoint.js';
import { claimRunDir, completeRun, planNewRun, planResume, refusal, type ResumePlan, type SessionRefusal } from './plan.js';
import type { RunLock } from './lock.js';
import { isFileError, rewriteManifestInPlace, writeStartManifest, type ManifestBasics } from './fallback.js';
import { StopRequest, type StopSignal } from './stop.js';
import { provenanceOf, type Provenance } from './provenance.js';

export type { SessionRefusal } from './plan.js';

/** What a session runs. */
export type RunSource =
  /** a scenario file with overrides into a new run directory (default `runs/<name>-<timestamp>`) */
  | {
      scenarioFile: string;
      overrides?: string[];
      out?: string;
      /** simulated seconds between checkpoints (resumable runs) */ checkpointEvery?: number;
      /** the command line that started the run (`roadtwin`, then its arguments), for the manifest */ command?: string[];
    }
  /** a run directory started with checkpoints, from its newest intact one */
  | { resume: string }
  /** a scenario already in hand (the benchmarks change theirs); with `out` written like any run, without it not at all */
  | { scenario: Scenario; scenarioHash: string; scenarioFile: string; out?: string };

export interface RunSessionOptions {
  source: RunSource;
  /** threads, the main thread one of them (1: no worker threads) */
  workers: number;
  /** stream to a browser viewer (a new run with a directory): served before the first tick, which waits for a viewer */
  live?: LiveRunOptions;
  /** stop at the next tick boundary on Ctrl-C (stop.ts); off by default */
  stopOnSigint?: boolean;
  /** stop at the next tick boundary when this aborts */
  signal?: AbortSignal;
  /** when the loop starts and then every ~100 ms of wall time (the command line draws its bar from it) */
  onProgress?: (p: SessionProgress) => void;
  /** what the user should be told on the way (a skipped checkpoint, the live viewer's address): one line, no prefix */
  onNotice?: (text: string) => void;
  /**
   * called before every tick, between ticks: a controller acting on the world (a replayed command
   * log, engine/io/control/replay.ts). What it throws stops the run as a fault in phase `control`.
   */
  beforeTick?: (world: World) => void;
}

export interface SessionProgress {
  tick: number;
  ticksTotal: number;
  /** simulated seconds */
  time: number;
  duration: number;
  active: number;
  /** the world's vehicle updates so far (those before a resume included) */
  vehicleUpdates: number;
  /** wall seconds since the loop started */
  wallSeconds: number;
}

/** How a session ended; `metrics` is metrics.json's content (null without a run directory). */
export type SessionResult =
  | { status: 'complete'; metrics: Record<string, unknown> | null }
  | { status: 'interrupted'; metrics: Record<string, unknown> | null; by: StopSignal }
  /** a worker thread failed: the directory was finished up to `ticksDone` */
  | { status: 'fault'; message: string; ticksDone: number; metrics: Record<string, unknown> | null }
  /** a streaming file could not be written, at simulated time `time`; `manifestWritten` false when even the manifest failed */
  | { status: 'output-error'; message: string; time: number; manifestWritten: boolean };

/** Everything a session is made of, once set up. */
interface Parts {
  world: World;
  runner: ParallelRunner | undefined;
  writer: RunWriter | undefined;
  dir: string | undefined;
  scenarioHash: string;
  checkpointEvery: number;
  live: LiveServer | null;
  resumedFrom: string | undefined;
  /** the run directory's lock, held until close() */
  lock: RunLock | undefined;
  /** what a manifest written in place after a write error says (fallback.ts) */
  basics: ManifestBasics | undefined;
}

export class RunSession {
  readonly world: World;
  readonly runner: ParallelRunner | undefined;
  readonly writer: RunWriter | undefined;
  /** the run directory (absolute), if the session writes one */
  readonly dir: string | undefined;
  /** the checkpoint a resumed session continued from (its name in checkpoints/) */
  readonly resumedFrom: string | undefined;
  private faulted: WorkerFault | null = null;
  /** the live server was served to its end or stopped */
  private liveClosed = false;
  private ioError: string | null = null;
  private t0: number | null = null;
  private nextCheckpoint: number;
  private runnerClosed = false;
  private result: SessionResult | null = null;
  private readonly scenarioHash: string;
  private readonly checkpointEvery: number;
  private readonly live: LiveServer | null;
  private readonly lock: RunLock | undefined;
  private readonly basics: ManifestBasics | undefined;

  private constructor(
    parts: Parts,
    private readonly stop: StopRequest,
    private readonly opts: RunSessionOptions,
  ) {
    ({ world: this.world, runner: this.runner, writer: this.writer, dir: this.dir, resumedFrom: this.resumedFrom } = parts);
    ({ scenarioHash: this.scenarioHash, checkpointEvery: this.checkpointEvery, live: this.live, lock: this.lock, basics: this.basics } = parts);
    // the first multiple of N after where the world is (a resumed one is past some)
    const every = this.checkpointEvery;
    this.nextCheckpoint = every > 0 ? (Math.floor(this.world.time / every + 1e-9) + 1) * every : Infinity;
  }

  /**
   * Checks the source, then sets up runner, world, writer and live viewer. A refusal means nothing
   * runs; a run directory may exist then (a live viewer that could not start finishes it
   * `complete: false`, as `roadtwin run --live` always has).
   */
  static async start(opts: RunSessionOptions): Promise<RunSession | SessionRefusal> {
    const { source } = opts;
    if ('resume' in source) return RunSession.resume(opts, source.resume);
    // a new run listens for Ctrl-C from the start: one during set-up stops it right after
    return RunSession.setUp(opts, async (stop, threads, held) => {
      if ('scenario' in source) {
        const dir = source.out === undefined ? undefined : resolve(source.out);
        if (dir !== undefined) {
          const lock = claimRunDir(dir, 'lock-only');
          if ('refused' in lock) return lock;
          held.lock = lock;
        }
        return RunSession.startNew(opts, stop, threads, { ...source, dir, checkpointEvery: 0, overrides: [], provenance: provenanceOf(undefined, []) }, held.lock);
      }
      const plan = planNewRun(source.scenarioFile, source.overrides ?? [], source.out);
      if ('refused' in plan) return plan;
      const lock = claimRunDir(plan.dir, 'new');
      if ('refused' in lock) return lock;
      held.lock = lock;
      const provenance = provenanceOf(source.command, plan.overrides);
      return RunSession.startNew(opts, stop, threads, { ...plan, checkpointEvery: source.checkpointEvery ?? 0, provenance }, lock);
    });
  }

  /**
   * A resume: a complete run is left alone (nothing to do); otherwise the directory's lock is
   * taken before the checkpoints are read (they must not change under us), then the plan.
   */
  private static async resume(opts: RunSessionOptions, runDir: string): Promise<RunSession | SessionRefusal> {
    if (opts.live) throw new Error('RunSession: a live viewer is for new runs only');
    if (!existsSync(runDir)) return refusal(`${runDir}: no such directory`);
    // a run that already finished (no process writes it any more): nothing to do, and nothing
    // written, not even the lock; the run's own refusals (another version, …) still come first
    const complete = completeRun(resolve(runDir));
    if (complete) {
      const plan = planResume(runDir);
      return 'refused' in plan ? plan : { refused: true, message: complete, done: true };
    }
    // the directory's lock first: the checkpoints must not change while they are read
    const lock = claimRunDir(resolve(runDir), 'resume');
    if ('refused' in lock) return lock;
    // the directory is checked before Ctrl-C is listened for: until then nothing is written
    let plan: ResumePlan | SessionRefusal;
    try {
      plan = planResume(runDir);
    } catch (err) {
      lock.release();
      throw err;
    }
    if ('refused' in plan) {
      lock.release();
      return plan;
    }
    for (const s of plan.checkpoint.skipped) opts.onNotice?.(`skipped ${s}; using an older checkpoint`);
    const resumePlan = plan;
    return RunSession.setUp(opts, (stop, threads, held) => {
      held.lock = lock;
      return RunSession.startResumed(opts, stop, threads, resumePlan, lock);
    });
  }

  // ---------------------------------------------------------------- the loop

  /** The worker fault that stopped the run, if one did. */
  get fault(): WorkerFault | null {
    return this.faulted;
  }

  /** The run can go on: not asked to stop, no worker fault, no write error. */
  get running(): boolean {
    return this.fault === null && this.ioError === null && !this.stop.requested;
  }

  /**
   * Steps the world to simulated time `until` (default: the end of the scenario), writing
   * checkpoints on the way, until then or a stop, a worker fault or a write error. Returns whether
   * the run can go on. Call it again to go further; `finish()` when done.
   */
  async advance(until = Infinity): Promise<boolean> {
    if (!this.running) return false;
    const { world, writer } = this;
    const totalTicks = world.ticksTotal;
    if (this.t0 === null) {
      this.progress();
      this.t0 = performance.now();
    }
    const before = () => world.time < until - 1e-9;
    try {
      while (world.tick < totalTicks && before() && !this.stop.requested && !this.ioError) {
        const sliceEnd = performance.now() + 100;
        while (world.tick < totalTicks && before() && performance.now() < sliceEnd) {
          if (this.opts.beforeTick) this.control(this.opts.beforeTick);
          world.step();
          if (world.time >= this.nextCheckpoint - 1e-9 && world.tick < totalTicks) {
            // (a checkpoint only after files that were written in full: it records their lengths)
            this.ioError = writer!.ioError ?? this.checkpoint();
            if (this.ioError) break;
            this.nextCheckpoint += this.checkpointEvery;
          }
        }
        this.ioError ??= writer?.ioError ?? null;
        this.progress();
        await new Promise((r) => setImmediate(r));
      }
    } catch (err) {
      if (!(err instanceof WorkerFault)) throw err;
      this.faulted = err;
    }
    return this.running;
  }

  /**
   * Ends the run: stops the worker threads and finishes the run directory. After a Ctrl-C with
   * checkpoints on, one more checkpoint at the tick where it stopped, so that resume loses nothing.
   */
  async finish(): Promise<SessionResult> {
    if (this.result) return this.result;
    const { world, writer } = this;
    const totalTicks = world.ticksTotal;
    if (this.running && world.tick < totalTicks) throw new Error('RunSession.finish: the run has neither reached its end nor stopped');
    await this.closeRunner();
    const wallSeconds = (performance.now() - (this.t0 ?? performance.now())) / 1000;
    if (this.ioError) return (this.result = this.failedOutput(this.ioError, wallSeconds));
    // (a Ctrl-C while the threads stop still counts: the run is reported interrupted)
    const interrupted = this.stop.requested;
    const fault = this.fault;
    if (interrupted && !fault && this.checkpointEvery > 0 && world.tick < totalTicks) {
      const failed = this.checkpoint();
      if (failed) return (this.result = this.failedOutput(failed, wallSeconds));
    }
    const complete = !interrupted && !fault;
    const reason = fault ? fault.message : interrupted ? `interrupted (${this.stop.by})` : undefined;
    let metrics: Record<string, unknown> | null = null;
    try {
      metrics = writer ? writer.finish({ complete, wallSeconds, ...(reason ? { reason } : {}), parallel: this.runner?.usage() }) : null;
    } catch (err) {
      // the streaming files were whole, a summary file or the manifest could not be written
      // (the directory made read-only, a full disk): the manifest in place says so, if it can
      if (!isFileError(err)) throw err;
      const why = `output error: ${err.message}${reason ? `; the run was ${fault ? `stopped by a fault: ${reason}` : reason}` : ''}`;
      const manifestWritten = rewriteManifestInPlace(this.dir!, world, this.basics!, why);
      return (this.result = { status: 'output-error', message: err.message, time: world.time, manifestWritten });
    }
    this.result = fault ? { status: 'fault', message: fault.message, ticksDone: world.ticksDone, metrics } : interrupted ? { status: 'interrupted', metrics, by: this.stop.by } : { status: 'complete', metrics };
    return this.result;
  }

  /** `advance()` to the end, then `finish()`; the worker threads are stopped whatever happens. */
  async run(): Promise<SessionResult> {
    try {
      await this.advance();
    } finally {
      await this.closeRunner();
    }
    return this.finish();
  }

  /**
   * With a live viewer, after a run that finished its directory (complete or interrupted): tells
   * the viewers, serves the run directory and returns on Ctrl-C or SIGTERM. Otherwise returns at once.
   */
  async serveUntilStopped(): Promise<void> {
    const r = this.result;
    if (!this.live || !r || (r.status !== 'complete' && r.status !== 'interrupted')) return;
    const live = this.live;
    this.liveClosed = true;
    const { finishLive } = await import('../live/run-live.js');
    await finishLive(live, this.dir!, r.status === 'complete', (t) => this.opts.onNotice?.(t));
  }

  /** Stops the worker threads if they still run and gives Ctrl-C back; call it when done with the session. */
  async close(): Promise<void> {
    try {
      await this.closeRunner();
      // a run that ended in a fault or a write error is not served: its viewers are told and the
      // server stops, so that the process can exit with the failure's code
      if (this.live && !this.liveClosed) {
        this.liveClosed = true;
        this.live.finished(this.dir!, false);
        await this.live.close();
      }
    } finally {
      this.stop.dispose();
      this.lock?.release();
    }
  }

  // ---------------------------------------------------------------- set-up

  /**
   * Runs `make` with Ctrl-C listened for (when asked) and the worker threads to start when it is
   * their turn; whatever does not end in a session (a refusal, an exception) stops the threads and
   * the listening again.
   */
  private static async setUp(
    opts: RunSessionOptions,
    make: (stop: StopRequest, threads: Threads, held: { lock?: RunLock }) => Promise<RunSession | SessionRefusal>,
  ): Promise<RunSession | SessionRefusal> {
    const stop = new StopRequest(opts.stopOnSigint === true, opts.signal);
    const threads = new Threads(opts.workers);
    const held: { lock?: RunLock } = {};
    let made: RunSession | SessionRefusal | undefined;
    try {
      made = await make(stop, threads, held);
      return made;
    } finally {
      if (!(made instanceof RunSession)) {
        await threads.close();
        stop.dispose();
        held.lock?.release();
      }
    }
  }

  /** A resumed run: the world restored from the checkpoint, its files cut back to it and continued. */
  private static async startResumed(opts: RunSessionOptions, stop: StopRequest, threads: Threads, plan: ResumePlan, lock: RunLock): Promise<RunSession | SessionRefusal> {
    const runner = await threads.start();
    const world = new World(plan.scenario, { runner });
    let files: WriterCheckpoint;
    try {
      files = restoreCheckpoint(world, plan.checkpoint.reader);
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      return refusal(`checkpoints/${plan.checkpoint.file}: ${err.message}`);
    }
    // (the command and overrides are the run's first start's; run.json keeps them)
    const provenance = plan.info.provenance ?? provenanceOf(undefined, plan.info.overrides);
    const meta = { scenarioHash: plan.scenarioHash, workers: opts.workers, workersRequested: opts.workers, startedAt: new Date(plan.info.startedAt), scenarioFile: plan.info.scenarioFile, provenance };
    let writer: RunWriter;
    try {
      writer = new RunWriter(plan.dir, world, meta, files);
    } catch (err) {
      // the files the checkpoint describes are missing, of another format, or cannot be opened
      return refusal(`cannot continue the files of ${plan.named}: ${(err as Error).message}`);
    }
    const basics: ManifestBasics = { scenarioHash: plan.scenarioHash, scenarioFile: plan.info.scenarioFile, startedAt: meta.startedAt, workersRequested: opts.workers, provenance };
    const parts = { world, runner, writer, dir: plan.dir, scenarioHash: plan.scenarioHash, checkpointEvery: plan.info.checkpointEvery, live: null, resumedFrom: plan.checkpoint.file, lock, basics };
    return new RunSession(parts, stop, opts);
  }

  /** A new run: world, writer, live viewer, and the run's description when it is resumable. */
  private static async startNew(
    opts: RunSessionOptions,
    stop: StopRequest,
    threads: Threads,
    run: { scenario: Scenario; scenarioHash: string; scenarioFile: string; dir: string | undefined; checkpointEvery: number; overrides: string[]; provenance: Provenance },
    lock: RunLock | undefined,
  ): Promise<RunSession | SessionRefusal> {
    // a thread per requested worker (the main thread is one of them); ticks with few vehicles
    // run in the main thread alone, with the same bits
    const runner = await threads.start();
    const world = new World(run.scenario, { runner });
    const startedAt = new Date();
    const { dir } = run;
    let writer: RunWriter | undefined;
    const { provenance } = run;
    const basics: ManifestBasics = { scenarioHash: run.scenarioHash, scenarioFile: run.scenarioFile, startedAt, workersRequested: opts.workers, provenance };
    if (dir !== undefined) {
      const meta: RunMeta = { scenarioHash: run.scenarioHash, workers: opts.workers, workersRequested: opts.workers, startedAt, scenarioFile: run.scenarioFile, provenance };
      try {
        writer = new RunWriter(dir, world, meta);
        // from here the directory describes itself (and a failed end can rewrite this in place)
        writeStartManifest(dir, world, basics);
      } catch (err) {
        return refusal(`cannot write the run directory ${dir}: ${(err as Error).message}`);
      }
    }
    let live: LiveServer | null = null;
    if (opts.live) {
      if (!writer) throw new Error('RunSession: a live viewer needs a run directory');
      const { startLive } = await import('../live/run-live.js');
      const started = await startLive(world, opts.live, (t) => opts.onNotice?.(t));
      if (typeof started === 'string') {
        // the threads first, as always: the directory is then finished with nothing running
        await threads.close();
        writer.finish({ complete: false, wallSeconds: 0, reason: started });
        return refusal(started);
      }
      live = started;
    }
    if (run.checkpointEvery > 0) {
      try {
        RunSession.describe(dir!, run, startedAt, opts.workers);
      } catch (err) {
        if (!isFileError(err)) throw err;
        await threads.close();
        live?.finished(dir!, false);
        await live?.close();
        writer!.finish({ complete: false, wallSeconds: 0, reason: `output error: ${err.message}` });
        return refusal(`cannot write the run directory ${dir}: ${err.message}`);
      }
    }
    return new RunSession({ world, runner, writer, dir, scenarioHash: run.scenarioHash, checkpointEvery: run.checkpointEvery, live, resumedFrom: undefined, lock, basics }, stop, opts);
  }

  /** checkpoints/run.json: what `roadtwin resume` needs to know of a resumable run. */
  private static describe(dir: string, run: { scenarioFile: string; overrides: string[]; scenarioHash: string; checkpointEvery: number; provenance: Provenance }, startedAt: Date, workers: number): void {
    writeRunInfo(dir, {
      engineVersion: ENGINE_VERSION,
      scenarioFile: run.scenarioFile,
      scenarioText: readFileSync(run.scenarioFile, 'utf8'),
      overrides: run.overrides,
      scenarioHash: run.scenarioHash,
      startedAt: startedAt.toISOString(),
      workersRequested: workers,
      checkpointEvery: run.checkpointEvery,
      provenance: run.provenance,
    });
  }

  // ---------------------------------------------------------------- the rest

  /** Runs the controller of `beforeTick`; what it throws becomes a fault, as a worker's would. */
  private control(beforeTick: (world: World) => void): void {
    try {
      beforeTick(this.world);
    } catch (err) {
      throw new WorkerFault((err as Error)?.message ?? String(err), this.world.tick, 'control');
    }
  }

  private async closeRunner(): Promise<void> {
    if (this.runnerClosed) return;
    this.runnerClosed = true;
    await this.runner?.close();
  }

  private progress(): void {
    const report = this.opts.onProgress;
    if (!report) return;
    const w = this.world;
    const wallSeconds = this.t0 === null ? 0 : (performance.now() - this.t0) / 1000;
    report({ tick: w.tick, ticksTotal: w.ticksTotal, time: w.time, duration: w.scenario.duration, active: w.active, vehicleUpdates: w.totals.vehicleUpdates, wallSeconds });
  }

  /**
   * A streaming file could not be written (a full disk, the directory gone): stop, keep what was
   * written (every file ends at a complete record) and try for a manifest that says so.
   */
  private failedOutput(message: string, wallSeconds: number): SessionResult {
    let manifestWritten = true;
    try {
      this.writer!.finish({ complete: false, wallSeconds, reason: `output error: ${message}` });
    } catch {
      manifestWritten = rewriteManifestInPlace(this.dir!, this.world, this.basics!, `output error: ${message}`);
    }
    return { status: 'output-error', message, time: this.world.time, manifestWritten };
  }

  /** Writes a checkpoint; the error's message when the file system refused it. */
  private checkpoint(): string | null {
    try {
      writeCheckpoint(this.dir!, this.world, this.writer!, this.scenarioHash);
      return null;
    } catch (err) {
      if (!isFileError(err)) throw err;
      return `checkpoint: ${err.message}`;
    }
  }
}

/** The worker threads of a session being set up: started when their turn comes, stopped at most once. */
class Threads {
  private runner: ParallelRunner | undefined;
  private closed = false;

  constructor(private readonly workers: number) {}

  async start(): Promise<ParallelRunner | undefined> {
    this.runner = this.workers > 1 ? await ParallelRunner.start(this.workers) : undefined;
    return this.runner;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.runner?.close();
  }
}
