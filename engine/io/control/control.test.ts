/**
 * The control server end to end, in process, over its real TCP and WebSocket transports: a client
 * that changes nothing gets `roadtwin run`'s state hash; one that changes things is repeated bit
 * for bit from its command log by a run session with the replay; bad requests get an error naming
 * the field and the connection goes on; several environments are independent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { loadScenario } from '../scenario/index.js';
import { World } from '../../sim/world.js';
import { RunSession } from '../run/session.js';
import { ControlSessions } from './sessions.js';
import { ControlServer } from './server.js';
import { loadReplay } from './replay.js';

const SCENARIO = 'scenarios/grid.yaml';
// a short run of the signalised grid: enough ticks for queues, signals and arrivals
const SET = ['duration=120'];

/** A line client of the NDJSON transport. */
class LineClient {
  private buf = '';
  private waiting: ((line: string) => void)[] = [];
  private lines: string[] = [];
  constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      let nl;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        const w = this.waiting.shift();
        if (w) w(line);
        else this.lines.push(line);
      }
    });
  }
  static open(port: number): Promise<LineClient> {
    return new Promise((ok) => {
      const s = connect(port, '127.0.0.1', () => ok(new LineClient(s)));
    });
  }
  raw(text: string): Promise<Record<string, any>> {
    this.socket.write(text);
    return new Promise((ok) => {
      const l = this.lines.shift();
      if (l !== undefined) ok(JSON.parse(l));
      else this.waiting.push((line) => ok(JSON.parse(line)));
    });
  }
  req(value: object): Promise<Record<string, any>> {
    return this.raw(`${JSON.stringify(value)}\n`);
  }
  close(): void {
    this.socket.destroy();
  }
}

let out: string;
let sessions: ControlSessions;
let server: ControlServer;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'roadtwin-control-'));
  sessions = new ControlSessions({ scenarioFile: SCENARIO, scenarioText: readFileSync(SCENARIO, 'utf8'), out });
  server = await ControlServer.start(sessions, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  sessions.closeAll();
});

describe('roadtwin serve', () => {
  it('a client that changes nothing gets the bits of a plain run; subscriptions are compact and true', async () => {
    const c = await LineClient.open(server.port);
    const made = await c.req({ cmd: 'create', set: SET, id: 1 });
    expect(made).toMatchObject({ ok: true, id: 1, tick: 0 });
    const env = made.env;
    const sub = await c.req({ cmd: 'subscribe', env, vehicles: { fields: ['id', 'x', 'y', 'speed'] }, metrics: true });
    expect(sub.ok).toBe(true);
    const plain = new World(loadScenario(SCENARIO, { overrides: SET }).scenario);
    let r: Record<string, any> = {};
    for (let k = 0; k < 50; k++) {
      r = await c.req({ cmd: 'step', env, ticks: 10 });
      plain.run((k + 1) * 10 * plain.dt);
      const v = r.sub.vehicles;
      expect(v.count).toBe(plain.active);
      expect(v.data.length).toBe(4 * plain.active);
      // the subscribed speeds are the world's, vehicle by vehicle
      const ids = new Map<number, number>();
      for (const slot of plain.vehicles()) ids.set(plain.state.id[slot], plain.state.speed[slot]);
      for (let i = 0; i < v.count; i++) expect(v.data[i * 4 + 3]).toBe(ids.get(v.data[i * 4]));
      expect(r.sub.metrics.active).toBe(plain.active);
    }
    r = await c.req({ cmd: 'step', env, until: 120 });
    expect(r.done).toBe(true);
    plain.run();
    const h = await c.req({ cmd: 'stateHash', env });
    expect(h.stateHash).toBe(plain.stateHash());
    // and past the end: an error naming the field, the connection still serving
    const past = await c.req({ cmd: 'step', env, ticks: 1 });
    expect(past).toMatchObject({ ok: false, field: 'ticks' });
    expect((await c.req({ cmd: 'list' })).ok).toBe(true);
    c.close();
  });

  it('a client that changes things is repeated bit for bit by run --replay-commands', async () => {
    const c = await LineClient.open(server.port);
    const { env } = await c.req({ cmd: 'create', seed: 7, set: SET });
    const info = await c.req({ cmd: 'info', env });
    const node = info.signals[0];
    await c.req({ cmd: 'step', env, until: 30 });
    const sig = await c.req({ cmd: 'signals', env, node });
    const n = sig.signals[0].state.length;
    // hold every connection red: nothing may enter the junction
    expect((await c.req({ cmd: 'setSignal', env, node, state: 'r'.repeat(n) })).ok).toBe(true);
    await c.req({ cmd: 'step', env, ticks: 1 });
    expect((await c.req({ cmd: 'signals', env, node })).signals[0]).toMatchObject({ state: 'r'.repeat(n), override: 'state' });
    const veh = await c.req({ cmd: 'vehicles', env, fields: ['id', 'speed'] });
    expect(veh.count).toBeGreaterThan(0);
    const id = veh.data[0];
    expect((await c.req({ cmd: 'setSpeed', env, vehicle: id, speed: 2 })).ok).toBe(true);
    expect((await c.req({ cmd: 'addVehicle', env, type: 'car', from: info.edges[0], to: info.edges[info.edges.length - 1] })).ok).toBe(true);
    await c.req({ cmd: 'step', env, until: 60 });
    // the held vehicle (if still on the road) drives no faster than its held speed, give or take its approach
    const held = await c.req({ cmd: 'vehicles', env, fields: ['id', 'speed'] });
    for (let i = 0; i < held.count; i++) if (held.data[2 * i] === id) expect(held.data[2 * i + 1]).toBeLessThanOrEqual(2 + 1e-9);
    expect((await c.req({ cmd: 'setSignal', env, node, phase: 0 })).ok).toBe(true);
    await c.req({ cmd: 'step', env, until: 90 });
    expect((await c.req({ cmd: 'setSignal', env, node, release: true })).released).toBe(true);
    await c.req({ cmd: 'step', env, until: 120 });
    const served = (await c.req({ cmd: 'stateHash', env })).stateHash;
    const closed = await c.req({ cmd: 'close', env });
    expect(closed.stateHash).toBe(served);
    c.close();
    // the same scenario without the commands ends elsewhere: the commands did change it
    const untouched = new World(loadScenario(SCENARIO, { overrides: [...SET, 'seed=7'] }).scenario);
    untouched.run();
    expect(untouched.stateHash()).not.toBe(served);
    // the log, replayed by a run session (what `roadtwin run --replay-commands` does)
    const log = join(out, `env-${env}-0.commands.ndjson`);
    const replay = loadReplay(log, SCENARIO, []);
    if (typeof replay === 'string') throw new Error(replay);
    expect(replay.commands).toBe(5);
    const scenario = loadScenario(SCENARIO, { overrides: replay.overrides });
    const s = await RunSession.start({ source: { scenario: scenario.scenario, scenarioHash: scenario.hash, scenarioFile: SCENARIO }, workers: 1, beforeTick: replay.replay.beforeTick });
    if ('refused' in s) throw new Error(s.message);
    try {
      expect((await s.run()).status).toBe('complete');
      expect(s.world.stateHash()).toBe(served);
    } finally {
      await s.close();
    }
  });

  it('a bad log is one line naming the file, the line and the field', () => {
    const log = readdirSync(out).map((f) => join(out, f)).find((f) => f.endsWith('.ndjson'))!;
    expect(loadReplay(log, 'scenarios/ring.yaml', [])).toMatch(/:1: scenarioHash: the log was made of another scenario/);
    expect(loadReplay(join(out, 'none.ndjson'), SCENARIO, [])).toMatch(/none\.ndjson: no such file/);
  });

  it('environments are independent: stepping one leaves the other where it was', async () => {
    const c = await LineClient.open(server.port);
    const a = (await c.req({ cmd: 'create', set: SET })).env;
    const b = (await c.req({ cmd: 'create', set: SET })).env;
    await c.req({ cmd: 'step', env: a, ticks: 200 });
    expect((await c.req({ cmd: 'metrics', env: b })).metrics.tick).toBe(0);
    await c.req({ cmd: 'step', env: b, ticks: 200 });
    expect((await c.req({ cmd: 'stateHash', env: a })).stateHash).toBe((await c.req({ cmd: 'stateHash', env: b })).stateHash);
    const reset = await c.req({ cmd: 'reset', env: a });
    expect(reset).toMatchObject({ ok: true, env: a, episode: 1, tick: 0 });
    await c.req({ cmd: 'close', env: a });
    await c.req({ cmd: 'close', env: b });
    expect((await c.req({ cmd: 'step', env: a })).field).toBe('env');
    c.close();
  });

  it('bad requests get an error naming the field; the connection goes on', async () => {
    const c = await LineClient.open(server.port);
    const { env } = await c.req({ cmd: 'create', set: SET });
    expect(await c.raw('not json\n')).toMatchObject({ ok: false, field: '' });
    expect(await c.req({ cmd: 'fly' })).toMatchObject({ ok: false, field: 'cmd' });
    expect(await c.req({ cmd: 'step', env, ticks: -1, id: 'x' })).toMatchObject({ ok: false, field: 'ticks', id: 'x' });
    expect(await c.req({ cmd: 'step', env, speed: 1 })).toMatchObject({ ok: false, field: 'speed' });
    expect(await c.req({ cmd: 'vehicles', env, fields: ['colour'] })).toMatchObject({ ok: false, field: 'fields.0' });
    expect(await c.req({ cmd: 'vehicles', env, lane: 'nowhere_0' })).toMatchObject({ ok: false, field: 'lane' });
    expect(await c.req({ cmd: 'setSignal', env, node: 'nowhere', state: 'r' })).toMatchObject({ ok: false, field: 'node' });
    expect(await c.req({ cmd: 'setSpeed', env, vehicle: 999999, speed: 3 })).toMatchObject({ ok: false, field: 'vehicle' });
    expect(await c.req({ cmd: 'addVehicle', env, type: 'tank', from: 'a', to: 'b' })).toMatchObject({ ok: false, field: 'type' });
    expect(await c.req({ cmd: 'create', set: ['duration=-4'] })).toMatchObject({ ok: false, field: 'set' });
    expect((await c.req({ cmd: 'step', env })).ok).toBe(true);
    c.close();
  });

  it('fuzz: no request, however malformed, crashes the server or goes unanswered', async () => {
    const c = await LineClient.open(server.port);
    const { env } = await c.req({ cmd: 'create', set: SET });
    const cmds = ['info', 'list', 'step', 'vehicles', 'signals', 'detectors', 'queues', 'metrics', 'subscribe', 'setSignal', 'setSpeed', 'setRoute', 'addVehicle', 'stateHash', 'nope'];
    const value = fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 4 }));
    const request = fc.record(
      { cmd: fc.constantFrom(...cmds), env: fc.oneof(fc.constant(env), value), ticks: value, until: value, node: value, state: value, phase: value, vehicle: value, speed: value, edges: value, fields: value, lane: value, type: value, from: value, to: value },
      { requiredKeys: ['cmd'] },
    );
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const res = await c.req(r);
        expect(typeof res.ok).toBe('boolean');
        if (!res.ok) expect(typeof res.error).toBe('string');
        expect(res.error ?? '').not.toMatch(/internal error/);
      }),
      { numRuns: 300, seed: 23 },
    );
    expect((await c.req({ cmd: 'metrics', env })).ok).toBe(true);
    c.close();
  });

  it('WebSocket: the same protocol at /control; a page of another origin is refused', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/control`);
    await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
    const reply = new Promise<Record<string, any>>((ok) => ws.once('message', (d) => ok(JSON.parse(String(d)))));
    ws.send(JSON.stringify({ cmd: 'info', id: 3 }));
    expect(await reply).toMatchObject({ ok: true, id: 3, protocol: 1 });
    ws.close();
    const evil = new WebSocket(`ws://127.0.0.1:${server.port}/control`, { headers: { origin: 'http://evil.example' } });
    const status = await new Promise<number>((ok) => evil.once('unexpected-response', (_req, res) => ok(res.statusCode ?? 0)));
    expect(status).toBe(403);
  });
});
