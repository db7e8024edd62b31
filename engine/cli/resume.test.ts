import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../bin/roadtwin.js', import.meta.url));
const grid = fileURLToPath(new URL('../../scenarios/grid.yaml', import.meta.url));
const small = fileURLToPath(new URL('../../scenarios/logistics-small.yaml', import.meta.url));
/** the scenario and checkpoint interval of a run: the grid by default, with lanes.csv */
const GRID = [grid, '--set', 'output.lanes=true', '--checkpoint-every', '60'];
/**
 * logistics-small run on past its orders (van tours end), with too little stock (orders are
 * rejected for it): checkpoints every 297 s (between dispatch rounds) while drones fly, robots
 * walk and vans drive
 */
const SMALL = [small, '--duration', '3310', '--set', 'logistics.hubs.0.stock=50', '--checkpoint-every', '297'];
const base = mkdtempSync(join(tmpdir(), 'rt-resume-'));

const roadtwin = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** Starts a checkpointed run and sends `signal` once the checkpoint of `tick` exists. */
const interruptedRun = (dir: string, signal: NodeJS.Signals, tick: number, workers: string, scenario = GRID) =>
  new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'run', ...scenario, '--out', dir, '--quiet', '--workers', workers], { stdio: 'ignore' });
    const want = join(dir, 'checkpoints', `ckpt-${String(tick).padStart(12, '0')}.snap`);
    const poll = setInterval(() => {
      if (existsSync(want)) {
        clearInterval(poll);
        // at some moment between this checkpoint and the next: resume never depends on when
        setTimeout(() => child.kill(signal), Math.random() * 300);
      }
    }, 5);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve(code);
    });
    child.on('error', reject);
  });

const STREAMED = [
  'timeseries.csv',
  'trips.csv',
  'detectors.csv',
  'events.ndjson',
  'trace.bin',
  'trace.idx',
  'signals.bin',
  'network.json',
  'trace.json',
  // per edge and movement per 300 s interval (checkpoints every 60 s fall inside them), signal changes
  'edges.csv',
  'junctions.csv',
  'signals.csv',
];
const TIMING = new Set(['wallSeconds', 'updatesPerSecond', 'nsPerUpdate', 'realTimeFactor']);
const metricsWithoutTiming = (dir: string) => JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'), (k, v) => (TIMING.has(k) ? undefined : v));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

const expectSameRun = (a: string, b: string, extra: string[] = []) => {
  for (const f of [...STREAMED, ...extra]) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  expect(metricsWithoutTiming(b)).toEqual(metricsWithoutTiming(a));
  expect(manifest(b).stateHash).toBe(manifest(a).stateHash);
  expect(manifest(b).complete).toBe(true);
};

describe('checkpoint and resume', () => {
  const whole = join(base, 'whole');
  roadtwin(['run', ...GRID, '--out', whole, '--quiet', '--workers', '1']);

  it('a run killed with SIGKILL and resumed on another worker count ends with the same state and files', async () => {
    const dir = join(base, 'killed');
    await interruptedRun(dir, 'SIGKILL', 2400, '1');
    // the killed run left a manifest describing how far its files go
    const left = manifest(dir);
    expect(left.complete).toBe(false);
    expect(left.ticks).toBeGreaterThanOrEqual(2400);
    expect(left.files.checkpoint).toMatch(/^checkpoints\/ckpt-\d+\.snap$/);
    for (const f of ['timeseries', 'trips', 'detectors', 'events', 'edges', 'lanes', 'junctions', 'signals'] as const)
      expect(statSync(join(dir, left.files[f].file)).size).toBeGreaterThanOrEqual(left.files[f].bytes);
    const r = roadtwin(['resume', dir, '--workers', '2', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expectSameRun(whole, dir, ['lanes.csv']);
  });

  it('Ctrl-C leaves a directory marked incomplete and a checkpoint at the tick it stopped; resume finishes it', async () => {
    const dir = join(base, 'sigint');
    expect(await interruptedRun(dir, 'SIGINT', 1200, '2')).toBe(130);
    expect(manifest(dir).complete).toBe(false);
    const report = () => readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report()).toContain('<span class="badge warn">incomplete: interrupted (SIGINT)</span>');
    expect(roadtwin(['resume', dir, '--workers', '1', '--quiet']).code).toBe(0);
    expectSameRun(whole, dir, ['lanes.csv']);
    // the finished run's report replaces the interrupted one's
    expect(report()).toContain('<span class="badge ok">complete</span>');
  });

  it('a damaged newest checkpoint is detected and the one before it is used', async () => {
    const dir = join(base, 'damaged');
    await interruptedRun(dir, 'SIGKILL', 3000, '1');
    const files = readdirSync(join(dir, 'checkpoints')).filter((f) => f.endsWith('.snap')).sort();
    const newest = join(dir, 'checkpoints', files[files.length - 1]);
    const bytes = readFileSync(newest);
    writeFileSync(newest, bytes.subarray(0, bytes.length - 1000));
    const r = roadtwin(['resume', dir, '--workers', '1', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/skipped ckpt-\d+\.snap: checksum mismatch.*using an older checkpoint/);
    expectSameRun(whole, dir, ['lanes.csv']);
  });

  it('a logistics run killed with SIGKILL and resumed ends with the same files, orders.csv included, every order accounted for', async () => {
    const wholeSmall = join(base, 'small-whole');
    expect(roadtwin(['run', ...SMALL, '--out', wholeSmall, '--quiet', '--workers', '1']).code).toBe(0);
    const dir = join(base, 'small-killed');
    // killed after the checkpoint at 594 s (tick 2970), while two workers run it
    await interruptedRun(dir, 'SIGKILL', 2970, '2', SMALL);
    expect(manifest(dir).complete).toBe(false);
    const r = roadtwin(['resume', dir, '--workers', '1', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expectSameRun(wholeSmall, dir, ['orders.csv', 'entities.json']);
    // conservation, in the files: every order is delivered, rejected or open, once
    const [header, ...rows] = readFileSync(join(dir, 'orders.csv'), 'utf8').trim().split('\n');
    const col = header.split(',').indexOf('status');
    expect(col).toBeGreaterThan(0);
    const status = (k: string) => rows.filter((row) => row.split(',')[col] === k).length;
    const lg = metricsWithoutTiming(dir).logistics;
    expect(lg.orders).toBe(rows.length);
    expect([status('delivered'), status('rejected'), status('open')]).toEqual([lg.delivered, lg.rejected, lg.open]);
    expect(lg.delivered + lg.rejected + lg.open).toBe(lg.orders);
    expect(lg.delivered).toBeGreaterThan(0);
    expect(lg.rejected).toBeGreaterThan(0);
  });

  it('refuses what it cannot resume, with a one-line message', () => {
    const plain = join(base, 'plain');
    roadtwin(['run', grid, '--out', plain, '--quiet', '--duration', '30']);
    const cases: [string, RegExp][] = [[plain, /no checkpoints\/run\.json \(the run was not started with --checkpoint-every\)/]];
    const other = join(base, 'other-version');
    roadtwin(['run', grid, '--out', other, '--quiet', '--duration', '200', '--checkpoint-every', '60']);
    const info = JSON.parse(readFileSync(join(other, 'checkpoints', 'run.json'), 'utf8'));
    writeFileSync(join(other, 'checkpoints', 'run.json'), JSON.stringify({ ...info, engineVersion: '0.0.1' }));
    cases.push([other, /was started by roadtwin 0\.0\.1, this is/]);
    const edited = join(base, 'edited');
    roadtwin(['run', grid, '--out', edited, '--quiet', '--duration', '200', '--checkpoint-every', '60']);
    const info2 = JSON.parse(readFileSync(join(edited, 'checkpoints', 'run.json'), 'utf8'));
    writeFileSync(join(edited, 'checkpoints', 'run.json'), JSON.stringify({ ...info2, overrides: ['seed=99'] }));
    cases.push([edited, /hash does not match/]);
    cases.push([join(base, 'nowhere'), /no such directory/]);
    for (const [dir, message] of cases) {
      const r = roadtwin(['resume', dir]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    expect(roadtwin(['run', grid, '--out', join(base, 'bad-every'), '--checkpoint-every', '-5']).err).toMatch(/--checkpoint-every: expected a positive number/);
  });
});
