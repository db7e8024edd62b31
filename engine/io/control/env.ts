/**
 * One simulation of a control server (an "environment", as reinforcement learning calls it): a
 * World of the server's scenario with a seed and overrides of its own, the speeds held in it, the
 * client's subscription, the last report of each detector, and its command log. Requests reach it
 * between ticks only, so what a client asks and changes is fixed by the order of its requests and
 * the ticks they came at, never by wall time: a client that changes nothing sees the bits
 * `roadtwin run` computes, and one that changes things is repeated by its log.
 */
import type { Subscription } from 'rxjs';
import { join } from 'node:path';
import { World } from '../../sim/world.js';
import type { DetectorReport } from '../../traffic/detectors.js';
import { prepare } from './commands.js';
import { SpeedHolds } from './holds.js';
import { CommandLogWriter } from './log.js';
import { RequestError, type MutatingRequest, type Request, type VehicleQuery } from './protocol.js';
import { VehicleReader, readDetectors, readMetrics, readQueues, readSignals } from './read.js';
import type { Scenario } from '../../spec/schema.js';

/** What a subscription asks for after every step. */
export interface ControlSubscription {
  vehicles?: VehicleQuery;
  signals?: boolean;
  detectors?: boolean;
  queues?: boolean;
  metrics?: boolean;
}

export interface EnvSetup {
  scenario: Scenario;
  scenarioHash: string;
  scenarioFile: string;
  set: string[];
  /** directory of the command logs (one file per episode) */
  logDir: string;
}

export class ControlEnv {
  readonly world: World;
  readonly holds = new SpeedHolds();
  readonly log: CommandLogWriter;
  private readonly reader: VehicleReader;
  private subscription: ControlSubscription | null = null;
  private readonly lastReports = new Map<string, DetectorReport>();
  private readonly sub: Subscription;

  constructor(
    readonly id: number,
    readonly episode: number,
    readonly setup: EnvSetup,
  ) {
    this.world = new World(setup.scenario);
    this.reader = new VehicleReader(this.world);
    this.sub = this.world.events$.subscribe((e) => {
      if (e.kind === 'detector') this.lastReports.set(e.id, e);
    });
    this.log = new CommandLogWriter(join(setup.logDir, `env-${id}-${episode}.commands.ndjson`), { scenarioFile: setup.scenarioFile, scenarioHash: setup.scenarioHash, set: setup.set });
  }

  /** The environment as a response describes it. */
  describe(): Record<string, unknown> {
    const w = this.world;
    return { env: this.id, episode: this.episode, tick: w.tick, time: w.time, step: w.dt, duration: w.scenario.duration, ticksTotal: w.ticksTotal, log: this.log.file };
  }

  /**
   * Steps `ticks` ticks, or to simulated time `until`, not past the scenario's duration. Before
   * each tick the held speeds are applied (holds.ts).
   */
  step(req: Request<'step'>): Record<string, unknown> {
    const w = this.world;
    if (req.ticks !== undefined && req.until !== undefined) throw new RequestError('until', 'give ticks or until, not both');
    const left = w.ticksTotal - w.tick;
    let n = 1;
    if (req.ticks !== undefined) {
      if (req.ticks > left) throw new RequestError('ticks', `${req.ticks} ticks would pass the scenario's end (${left} left to ${w.scenario.duration} s); reset or create a new environment`);
      n = req.ticks;
    } else if (req.until !== undefined) {
      const target = Math.round(req.until / w.dt);
      if (target > w.ticksTotal) throw new RequestError('until', `${req.until} s is past the scenario's end (${w.scenario.duration} s)`);
      if (target < w.tick) throw new RequestError('until', `${req.until} s is before the simulation's time (${w.time} s)`);
      n = target - w.tick;
    } else if (left < 1) throw new RequestError('ticks', `the simulation is at its end (${w.scenario.duration} s); reset or create a new environment`);
    for (let k = 0; k < n; k++) {
      this.holds.apply(w);
      w.step();
    }
    const out: Record<string, unknown> = { tick: w.tick, time: w.time, active: w.active, done: w.tick >= w.ticksTotal };
    if (this.subscription) out.sub = this.subscribed(this.subscription);
    return out;
  }

  /** A change: checked, logged, then applied (commands.ts). */
  change(req: MutatingRequest): Record<string, unknown> {
    const apply = prepare(this, req);
    this.log.command(this.world.tick, req);
    return apply();
  }

  read(req: Request): Record<string, unknown> {
    const w = this.world;
    switch (req.cmd) {
      case 'vehicles':
        return { ...this.reader.read(req), tick: w.tick };
      case 'signals':
        return { tick: w.tick, signals: readSignals(w, req.node) };
      case 'queues':
        return { tick: w.tick, queues: readQueues(w, req.node) };
      case 'detectors':
        return { tick: w.tick, detectors: readDetectors(w, this.lastReports) };
      case 'metrics':
        return { tick: w.tick, metrics: readMetrics(w) };
      case 'stateHash':
        return { tick: w.tick, time: w.time, stateHash: w.stateHash() };
      default:
        throw new RequestError('cmd', `'${req.cmd}' is not a read`);
    }
  }

  /** Sets what every step's response carries (checked now: a bad lane is refused here, not at each step). */
  subscribe(req: Request<'subscribe'>): Record<string, unknown> {
    const sub: ControlSubscription = {};
    if (req.vehicles) sub.vehicles = req.vehicles;
    for (const k of ['signals', 'detectors', 'queues', 'metrics'] as const) if (req[k]) sub[k] = true;
    const now = this.subscribed(sub);
    this.subscription = sub;
    return { sub: now };
  }

  unsubscribe(): Record<string, unknown> {
    const had = this.subscription !== null;
    this.subscription = null;
    return { unsubscribed: had };
  }

  private subscribed(sub: ControlSubscription): Record<string, unknown> {
    const w = this.world;
    const out: Record<string, unknown> = {};
    if (sub.vehicles) {
      try {
        out.vehicles = this.reader.read(sub.vehicles);
      } catch (err) {
        if (err instanceof RequestError) throw new RequestError(`vehicles.${err.field}`, err.message.slice(err.field.length + 2));
        throw err;
      }
    }
    if (sub.signals) out.signals = readSignals(w, undefined);
    if (sub.detectors) out.detectors = readDetectors(w, this.lastReports);
    if (sub.queues) out.queues = readQueues(w, undefined);
    if (sub.metrics) out.metrics = readMetrics(w);
    return out;
  }

  /** The log's last line; the environment is done. */
  close(): { tick: number; time: number; stateHash: string } {
    const w = this.world;
    const end = { tick: w.tick, time: w.time, stateHash: w.stateHash() };
    this.sub.unsubscribe();
    this.log.end(end);
    return end;
  }
}
