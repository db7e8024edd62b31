/**
 * What the control API costs a step (docs/control-api.md, "Cost"): 1,000 cars on a two-lane ring
 * of 10 km at step 0.1 s, stepped one tick at a time
 *   - plain: the engine alone (World.step), as `roadtwin run` steps it;
 *   - request: a `step` request through the server's request handler (ControlSessions.handle:
 *     parse, dispatch, answer as JSON text), no subscription;
 *   - json / f64: the same with a subscription of every vehicle's id, x, y and speed, as JSON
 *     numbers or as base64 float64;
 *   - socket: a `step` request with the f64 subscription over TCP to a `roadtwin serve` child
 *     process, one request in flight at a time (the round trip a client waits for).
 * Each is measured `reps` times, interleaved in a rotating order (a shared machine's load falls on all alike), and the
 * medians are reported as µs per step and as ratios to plain: the target is a step with a
 * subscription of every vehicle under 2× the step alone. Timing, so never a test.
 *
 *   npx tsx bench/control-cost.ts [ticks per measurement, default 600] [reps, default 5]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../engine/io/scenario/index.js';
import { World } from '../engine/sim/world.js';
import { ControlSessions } from '../engine/io/control/sessions.js';

const ticks = Number(process.argv[2] ?? 600);
const reps = Number(process.argv[3] ?? 5);
const VEHICLES = 1000;
// long enough for every measurement of every repetition and the warm-up round, one tick per request
const duration = Math.ceil(((ticks * (reps + 1) + 100) * 0.1) / 10) * 10 + 10;
const scenarioText = `
name: control-cost
seed: 7
duration: ${duration}
step: 0.1
network:
  ring: { length: 10000, lanes: 2, speedLimit: 25 }
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 1.5, decel: 2.5, headway: 1.2, minGap: 2.0 }
demand:
  - place: { type: car, count: ${VEHICLES}, speed: 10 }
output: { emissions: false }
`;
const dir = mkdtempSync(join(tmpdir(), 'rt-control-cost-'));
const scenarioFile = join(dir, 'ring-1000.yaml');
writeFileSync(scenarioFile, scenarioText);

const perStep = (t0: number, n: number) => ((performance.now() - t0) * 1000) / n;

// plain: the engine alone
const plainWorld = new World(parseScenario(scenarioText, scenarioFile).scenario);
plainWorld.start();
const plain = (): number => {
  const t0 = performance.now();
  for (let k = 0; k < ticks; k++) plainWorld.step();
  return perStep(t0, ticks);
};

// through the request handler, one environment per way of asking
const sessions = new ControlSessions({ scenarioFile, scenarioText, out: join(dir, 'logs') });
const envOf = (sub: object | null): number => {
  const made = JSON.parse(sessions.handle('{"cmd":"create"}')) as { env: number };
  if (sub) {
    const r = JSON.parse(sessions.handle(JSON.stringify({ cmd: 'subscribe', env: made.env, ...sub }))) as { ok: boolean; error?: string };
    if (!r.ok) throw new Error(`subscribe: ${r.error}`);
  }
  return made.env;
};
const fields = ['id', 'x', 'y', 'speed'];
const envs = { request: envOf(null), json: envOf({ vehicles: { fields, encoding: 'json' } }), f64: envOf({ vehicles: { fields, encoding: 'f64' } }) };
const bytes = { request: 0, json: 0, f64: 0 };
const viaHandler = (name: keyof typeof envs) => (): number => {
  const req = JSON.stringify({ cmd: 'step', env: envs[name], ticks: 1 });
  let last = '';
  const t0 = performance.now();
  for (let k = 0; k < ticks; k++) last = sessions.handle(req);
  const us = perStep(t0, ticks);
  if (!last.startsWith('{"ok":true')) throw new Error(`step: ${last.slice(0, 200)}`);
  bytes[name] = last.length;
  return us;
};

// over a socket to a server process
const server = spawn(process.execPath, ['bin/roadtwin.js', 'serve', scenarioFile, '--port', '0', '--out', join(dir, 'serve')], { stdio: ['ignore', 'pipe', 'pipe'] });
const port = await new Promise<number>((resolve, reject) => {
  let out = '';
  const seen = (d: Buffer) => {
    out += d;
    const m = /tcp:\/\/127\.0\.0\.1:(\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  };
  server.stdout.on('data', seen);
  server.stderr.on('data', seen);
  server.on('exit', (c) => reject(new Error(`roadtwin serve exited ${c}: ${out}`)));
});
const socket: Socket = await new Promise((resolve, reject) => {
  const s = connect(port, '127.0.0.1', () => resolve(s));
  s.on('error', reject);
});
socket.setNoDelay(true);
let buffered = '';
const waiting: ((line: string) => void)[] = [];
socket.on('data', (d) => {
  buffered += d;
  for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    waiting.shift()?.(line);
  }
});
const ask = (req: object): Promise<string> =>
  new Promise((resolve) => {
    waiting.push(resolve);
    socket.write(`${JSON.stringify(req)}\n`);
  });
const remote = (JSON.parse(await ask({ cmd: 'create' })) as { env: number }).env;
await ask({ cmd: 'subscribe', env: remote, vehicles: { fields, encoding: 'f64' } });
const viaSocket = async (): Promise<number> => {
  let last = '';
  const t0 = performance.now();
  for (let k = 0; k < ticks; k++) last = await ask({ cmd: 'step', env: remote, ticks: 1 });
  const us = perStep(t0, ticks);
  if (!last.startsWith('{"ok":true')) throw new Error(`step over the socket: ${last.slice(0, 200)}`);
  return us;
};

const ways: [string, () => number | Promise<number>][] = [
  ['plain', plain],
  ['request', viaHandler('request')],
  ['json', viaHandler('json')],
  ['f64', viaHandler('f64')],
  ['socket', viaSocket],
];
const samples = new Map<string, number[]>(ways.map(([n]) => [n, []]));
// a first round to warm the code up, not counted
for (const [, f] of ways) await f();
// (each round in another order, so that no way is always the one after the socket's wait)
for (let r = 0; r < reps; r++)
  for (let j = 0; j < ways.length; j++) {
    const [n, f] = ways[(j + r) % ways.length];
    samples.get(n)!.push(await f());
  }
socket.end();
server.kill('SIGINT');
await new Promise((r) => server.on('exit', r));
rmSync(dir, { recursive: true, force: true });

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const base = median(samples.get('plain')!);
const rows = ways.map(([n]) => ({ way: n, usPerStep: Math.round(median(samples.get(n)!) * 10) / 10, ratio: Math.round((median(samples.get(n)!) / base) * 100) / 100 }));
const what: Record<string, string> = {
  plain: 'the engine alone',
  request: 'a step request, no subscription',
  json: `+ every vehicle's id, x, y, speed as JSON (${bytes.json} bytes)`,
  f64: `+ the same as base64 float64 (${bytes.f64} bytes)`,
  socket: '+ f64, over TCP to roadtwin serve',
};
process.stdout.write(`control API cost: ${VEHICLES} cars on a ring, step 0.1 s, one tick per step, medians of ${reps} × ${ticks} steps\n`);
for (const r of rows) process.stdout.write(`  ${r.way.padEnd(8)} ${String(r.usPerStep).padStart(8)} µs/step  ${r.ratio.toFixed(2)}×  ${what[r.way]}\n`);
process.stdout.write(`${JSON.stringify({ vehicles: VEHICLES, ticks, reps, rows })}\n`);
