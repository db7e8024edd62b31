/**
 * The simulations of one control server and the dispatch of requests to them: any number of
 * independent environments of the server's scenario (each with its own seed and overrides), made,
 * reset and closed by request. `handle` turns one request's text into one response's text and
 * never throws: a bad request is an error response naming the field, and a fault of the engine is
 * an error response too (the server goes on serving the other environments).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseScenario, ScenarioError, type Scenario } from '../scenario/index.js';
import { ENGINE_VERSION } from '../../core/version.js';
import { MAX_CONTROL_ENVS } from '../limits.js';
import { ControlEnv } from './env.js';
import { errorResponse, isMutating, okResponse, parseRequest, PROTOCOL_VERSION, RequestError, VEHICLE_FIELDS, type Request } from './protocol.js';

export interface ControlSessionsOptions {
  /** the scenario file (as given) and its text, read once when the server started */
  scenarioFile: string;
  scenarioText: string;
  /** where the command logs go */
  out: string;
  /** told of an engine fault (the response says it too) */
  onFault?: (message: string) => void;
}

export class ControlSessions {
  private readonly envs = new Map<number, ControlEnv>();
  private nextEnv = 1;
  private readonly out: string;
  readonly scenario: Scenario;

  constructor(private readonly opts: ControlSessionsOptions) {
    this.out = resolve(opts.out);
    // the scenario is checked at start-up: a bad file never gets as far as a listening server
    this.scenario = parseScenario(opts.scenarioText, opts.scenarioFile).scenario;
  }

  get size(): number {
    return this.envs.size;
  }

  /** One request's text → one response's text. */
  handle(text: string): string {
    let id: unknown;
    try {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new RequestError('', 'not JSON: a request is one JSON object on one line');
      }
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const raw = (value as { id?: unknown }).id;
        if (typeof raw === 'number' || (typeof raw === 'string' && raw.length <= 200)) id = raw;
      }
      const req = parseRequest(value);
      return okResponse(id, this.dispatch(req));
    } catch (err) {
      if (err instanceof RequestError) return errorResponse(id, err);
      const message = `internal error: ${(err as Error)?.message ?? String(err)}`;
      this.opts.onFault?.(message);
      return errorResponse(id, new RequestError('', message));
    }
  }

  private dispatch(req: Request): Record<string, unknown> {
    switch (req.cmd) {
      case 'info':
        return req.env === undefined ? this.info() : { ...this.env(req.env).describe(), ...this.network(this.env(req.env)) };
      case 'list':
        return { envs: [...this.envs.values()].map((e) => e.describe()) };
      case 'create':
        return this.create(req.seed, req.set ?? [], this.nextEnv++, 0).describe();
      case 'reset': {
        const old = this.env(req.env);
        const seed = req.seed;
        // reset keeps the environment's seed and overrides unless new ones are given
        const set = req.set ?? (seed === undefined ? old.setup.set : old.setup.set.filter((s) => !s.startsWith('seed=')));
        const fresh = this.create(seed, set, old.id, old.episode + 1, true);
        const end = old.close();
        this.envs.set(old.id, fresh);
        return { ...fresh.describe(), previous: end };
      }
      case 'close': {
        const end = this.env(req.env).close();
        this.envs.delete(req.env);
        return { closed: req.env, ...end };
      }
      case 'step':
        return this.env(req.env).step(req);
      case 'subscribe':
        return this.env(req.env).subscribe(req);
      case 'unsubscribe':
        return this.env(req.env).unsubscribe();
      default:
        if (isMutating(req)) return this.env(req.env).change(req);
        return this.env(req.env).read(req);
    }
  }

  private env(id: number): ControlEnv {
    const e = this.envs.get(id);
    if (!e) throw new RequestError('env', `no environment ${id} (${this.envs.size === 0 ? 'none yet: send {"cmd":"create"}' : `open: ${[...this.envs.keys()].join(', ')}`})`);
    return e;
  }

  private create(seed: number | undefined, set: string[], id: number, episode: number, replacing = false): ControlEnv {
    if (!replacing && this.envs.size >= MAX_CONTROL_ENVS) throw new RequestError('cmd', `at most ${MAX_CONTROL_ENVS} environments at once; close one first`);
    const overrides = seed === undefined ? set : [...set, `seed=${seed}`];
    let loaded;
    try {
      loaded = parseScenario(this.opts.scenarioText, this.opts.scenarioFile, { overrides });
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      throw new RequestError('set', err.message.split('\n')[0]);
    }
    try {
      mkdirSync(this.out, { recursive: true });
    } catch (err) {
      throw new RequestError('', `cannot write the command logs in ${this.out}: ${(err as Error).message}`);
    }
    let env: ControlEnv;
    try {
      env = new ControlEnv(id, episode, { scenario: loaded.scenario, scenarioHash: loaded.hash, scenarioFile: resolve(this.opts.scenarioFile), set: overrides, logDir: this.out });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (typeof code === 'string') throw new RequestError('', `cannot write the command log in ${this.out}: ${(err as Error).message}`);
      throw err;
    }
    if (!replacing) this.envs.set(id, env);
    return env;
  }

  private info(): Record<string, unknown> {
    const s = this.scenario;
    return { protocol: PROTOCOL_VERSION, engineVersion: ENGINE_VERSION, scenario: s.name, duration: s.duration, step: s.step, envs: [...this.envs.keys()], vehicleFields: VEHICLE_FIELDS, logs: this.out };
  }

  /** The names behind the numbers of the vehicle table (edges, lanes, types, nodes, detectors). */
  private network(e: ControlEnv): Record<string, unknown> {
    const w = e.world;
    return {
      edges: w.net.edgeIds,
      lanes: Array.from({ length: w.net.laneCount }, (_, l) => w.laneName(l)),
      types: w.types.names,
      nodes: w.net.nodeIds,
      signals: w.programs.map((p) => w.net.nodeIds[p.node]),
      detectors: w.detectors.ids,
    };
  }

  /** Closes every environment (their logs get their last line). */
  closeAll(): void {
    for (const e of this.envs.values()) e.close();
    this.envs.clear();
  }
}
