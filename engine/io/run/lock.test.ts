// One writer per run directory: the lock file, its take-over of a dead holder's lock, and the
// session refusing a second writer (new run or resume) with nothing written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, RunLock } from './lock.js';
import { RunSession } from './session.js';
import { exitCodeOf } from './report.js';

const ring = fileURLToPath(new URL('../../../scenarios/ring.yaml', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'rt-lock-'));

/** a pid that surely has no process: one that just ended */
const deadPid = (): number => spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout as unknown as number;

describe('RunLock', () => {
  it('is held by one at a time, names the holder, and is freed on release', () => {
    const dir = join(base, 'one');
    const a = RunLock.acquire(dir);
    if (typeof a === 'string') throw new Error(a);
    expect(a.created).toBe(true);
    const b = RunLock.acquire(dir);
    expect(b).toMatch(new RegExp(`in use by another roadtwin process \\(pid ${process.pid} on ${hostname()}, since \\d{4}-`));
    a.lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const c = RunLock.acquire(dir);
    if (typeof c === 'string') throw new Error(c);
    c.lock.release();
  });

  it('takes over the lock of a process that is gone, never one of another host', () => {
    const dir = join(base, 'stale');
    mkdirSync(dir);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: Number(deadPid()), host: hostname(), since: '2020-01-01T00:00:00.000Z' }));
    const a = RunLock.acquire(dir);
    if (typeof a === 'string') throw new Error(a);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    a.lock.release();
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: Number(deadPid()), host: 'elsewhere.example', since: '2020-01-01T00:00:00.000Z' }));
    expect(RunLock.acquire(dir)).toMatch(/pid \d+ on elsewhere\.example.*remove .*roadtwin\.lock/);
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    expect(RunLock.acquire(dir)).toMatch(/locked by another writer .*not a roadtwin lock/);
  });
});

describe('one writer per run directory', () => {
  it('refuses a second run into the same directory while the first runs, writing nothing', async () => {
    const dir = join(base, 'two-runs');
    const first = await RunSession.start({ source: { scenarioFile: ring, overrides: ['duration=20'], out: dir }, workers: 1 });
    if ('refused' in first) throw new Error(first.message);
    try {
      const before = readdirSync(dir).sort();
      const second = await RunSession.start({ source: { scenarioFile: ring, overrides: ['duration=20'], out: dir }, workers: 1 });
      expect('refused' in second && second.message).toMatch(/in use by another roadtwin process \(pid \d+/);
      expect(exitCodeOf(second as never)).toBe(1);
      expect(readdirSync(dir).sort()).toEqual(before);
      expect((await first.run()).status).toBe('complete');
    } finally {
      await first.close();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).complete).toBe(true);
  });

  it('refuses a resume while the run is alive, and says a complete run is complete (exit 0, nothing written)', async () => {
    const dir = join(base, 'resume-alive');
    const first = await RunSession.start({ source: { scenarioFile: ring, overrides: ['duration=30'], out: dir, checkpointEvery: 10 }, workers: 1 });
    if ('refused' in first) throw new Error(first.message);
    try {
      await first.advance(15);
      const resumed = await RunSession.start({ source: { resume: dir }, workers: 1 });
      expect('refused' in resumed && resumed.message).toMatch(/in use by another roadtwin process/);
      await first.run();
    } finally {
      await first.close();
    }
    const files = readdirSync(dir).sort();
    const manifest = readFileSync(join(dir, 'manifest.json'), 'utf8');
    const again = await RunSession.start({ source: { resume: dir }, workers: 1 });
    expect('refused' in again && again.done).toBe(true);
    expect('refused' in again && again.message).toMatch(/is complete .*nothing to resume/);
    expect(exitCodeOf(again as never)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(files);
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(manifest);
  });
});
