/**
 * `roadtwin serve <scenario.yaml> [--port N] [--host H] [--out DIR] [--allow-origin O]…`: serves
 * simulations of a scenario to external programs over the control protocol
 * (engine/io/control/, docs/control-api.md) until Ctrl-C or SIGTERM. Each simulation's commands
 * are logged in DIR, for `roadtwin run --replay-commands`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadScenario, ScenarioError } from '../io/scenario/index.js';
import { LIMITS, isLoopback, readTextBounded } from '../io/limits.js';
import { parseOrigins } from '../io/live/guard.js';
import { ControlSessions } from '../io/control/sessions.js';
import { ControlServer } from '../io/control/server.js';
import { CONTROL_PATH } from '../io/control/protocol.js';

export interface ServeOptions {
  port?: string;
  host?: string;
  out?: string;
  allowOrigin?: string[];
}

const fail = (msg: string): number => {
  process.stderr.write(`roadtwin serve: ${msg}\n`);
  return 1;
};

export async function runServe(file: string, opts: ServeOptions): Promise<number> {
  const port = Number(opts.port ?? '8765');
  if (!/^[0-9]+$/.test(opts.port ?? '8765') || port > 65535) return fail(`--port: expected a port number from 0 to 65535, got '${opts.port}'`);
  const host = opts.host ?? '127.0.0.1';
  const origins = parseOrigins(opts.allowOrigin ?? []);
  if (typeof origins === 'string') return fail(origins);
  try {
    loadScenario(file);
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    process.stderr.write(`${err.format()}\n`);
    return 1;
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const out = resolve(opts.out ?? join('runs', `serve-${stamp}`));
  if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) return fail(`--out ${out}: exists and is not an empty directory (logs never overwrite others); choose a new one`);
  const sessions = new ControlSessions({ scenarioFile: file, scenarioText: readTextBounded(file, LIMITS.scenario), out, onFault: (m) => process.stderr.write(`roadtwin serve: ${m}\n`) });
  let server: ControlServer;
  try {
    server = await ControlServer.start(sessions, { port, host, allowOrigins: origins });
  } catch (err) {
    return fail((err as Error).message);
  }
  if (!isLoopback(host))
    process.stderr.write(`roadtwin serve: warning: listening on ${host}, reachable from other machines; anyone who can connect can run and change simulations (use --host 127.0.0.1 to keep it local)\n`);
  process.stdout.write(`roadtwin serve: listening on tcp://${server.address} (newline-delimited JSON) and ws://${server.address}${CONTROL_PATH}; command logs in ${out}; Ctrl-C to stop\n`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  sessions.closeAll();
  return 0;
}
