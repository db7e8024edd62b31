// `roadtwin sweep --queue` with a real redis-server and two `roadtwin worker`s, one of them killed
// (SIGKILL) in the middle of a run: every run still completes, is counted exactly once, and has
// the same metrics as in a local sweep. Without /usr/bin/redis-server this is skipped loudly,
// except in CI (CI=true), where it fails: .ci/run installs redis-server.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { built, readPlan, root, roadtwin, simulatedMetrics } from './test-helpers.js';

const REDIS = '/usr/bin/redis-server';
const haveRedis = existsSync(REDIS);
if (!haveRedis)
  process.stderr.write(`\n*** sweep queue test: ${REDIS} is missing. ${process.env.CI === 'true' ? 'CI needs it: FAILING.' : 'SKIPPED (apt-get install redis-server to run it).'} ***\n`);

describe.runIf(!haveRedis && process.env.CI === 'true')('sweep queue (CI)', () => {
  it('has a redis-server to test with', () => {
    expect.fail(`${REDIS} is missing; .ci/run installs it`);
  });
});

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

/** A child process whose output is collected; `waitFor` resolves when a line matches. */
function start(args: string[], cwd = root) {
  const child = spawn(args[0], args.slice(1), { cwd });
  children.push(child);
  let out = '';
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) {
      const m = out.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => out,
    waitFor: (re: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const m = out.match(re);
        if (m) return resolve(m);
        waiters.push({ re, resolve });
        exited.then(() => setTimeout(() => reject(new Error(`exited before ${re}: ${out}`)), 100));
      }),
  };
}

describe.skipIf(!built || !haveRedis)('roadtwin sweep --queue', () => {
  it('completes every run exactly once with a worker killed mid-run, with the local metrics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roadtwin-sweep-queue-'));
    const sweepFile = join(dir, 'glosa.yaml');
    // full 30-minute corridor runs (about a second each): long enough to be killed in the middle
    writeFileSync(sweepFile, `base: ${join(root, 'scenarios', 'glosa-corridor.yaml')}\nvary:\n  v2x.penetration: [0, 1]\nseeds: 2\nmetrics: [traffic.meanTravelTime, traffic.stops, traffic.fuelL, v2x.glosaAdvised]\n`);

    const local = join(dir, 'local');
    expect(roadtwin('sweep', sweepFile, '--out', local, '--parallel', '2', '--quiet').code).toBe(0);

    const port = await freePort();
    const redis = start([REDIS, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], dir);
    for (let i = 0; i < 100 && !(await accepts(port)); i++) await new Promise((r) => setTimeout(r, 50));
    const url = `redis://127.0.0.1:${port}`;
    const worker = () => start([process.execPath, 'bin/roadtwin.js', 'worker', '--queue', url, '--concurrency', '1', '--lock', '2']);
    const a = worker();
    const b = worker();
    await Promise.all([a.waitFor(/taking runs/), b.waitFor(/taking runs/)]);

    const queued = join(dir, 'queued');
    const sweep = start([process.execPath, 'bin/roadtwin.js', 'sweep', sweepFile, '--out', queued, '--queue', url, '--quiet']);
    // a run process needs a few hundred ms just to start: killing its worker at "start" is mid-run
    const [, killedKey] = await a.waitFor(/start (\S+) \(attempt 1\)/);
    a.child.kill('SIGKILL');
    const code = await sweep.exited;
    expect(sweep.output()).toBe('');
    expect(code).toBe(0);
    b.child.kill('SIGTERM');
    await b.exited;
    redis.child.kill('SIGTERM');
    await redis.exited;

    const plan = readPlan(queued);
    expect(plan.runs).toHaveLength(4);
    // the killed worker's run was taken over by the other worker, which finished every run
    expect(a.output()).not.toMatch(/^done /m);
    expect(b.output()).toMatch(new RegExp(`^start ${killedKey} `, 'm'));
    const finished = b.output().match(/^done (\S+)/gm)!.map((l) => l.slice(5));
    expect(finished.sort()).toEqual(plan.runs.map((r) => r.key).sort());
    // one directory per run, no half-written attempt left behind
    expect(readdirSync(join(queued, 'runs')).sort()).toEqual(plan.runs.map((r) => r.key).sort());
    // the same results as the local sweep, to the byte
    expect(readFileSync(join(queued, 'sweep.csv'), 'utf8')).toBe(readFileSync(join(local, 'sweep.csv'), 'utf8'));
    expect(readFileSync(join(queued, 'summary.csv'), 'utf8')).toBe(readFileSync(join(local, 'summary.csv'), 'utf8'));
    const rows = readFileSync(join(queued, 'sweep.csv'), 'utf8').trimEnd().split('\n').slice(1);
    expect(rows.map((l) => l.split(',')[0]).sort()).toEqual(plan.runs.map((r) => r.key).sort());
    expect(rows.every((l) => l.endsWith(',done'))).toBe(true);
    for (const run of plan.runs) expect(simulatedMetrics(join(queued, 'runs', run.key)), run.key).toBe(simulatedMetrics(join(local, 'runs', run.key)));
  }, 180_000);
});
