// The run session as a library caller uses it (the command line's use of it is tested through
// the compiled CLI in engine/cli/*.test.ts): stepping in stages, stopping, refusing, no directory.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/index.js';
import { World } from '../../sim/world.js';
import { RunSession, type RunSessionOptions } from './session.js';
import { exitCodeOf, refusalText } from './report.js';

const ring = fileURLToPath(new URL('../../../scenarios/ring.yaml', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'rt-session-'));

async function started(opts: RunSessionOptions): Promise<RunSession> {
  const s = await RunSession.start(opts);
  if ('refused' in s) throw new Error(s.message);
  return s;
}

describe('RunSession', () => {
  it('advances in stages to the same state as World.run, and writes the run directory', async () => {
    const { scenario } = loadScenario(ring, { overrides: ['duration=60'] });
    const plain = new World(scenario);
    plain.run();
    const dir = join(base, 'staged');
    const s = await started({ source: { scenarioFile: ring, overrides: ['duration=60'], out: dir }, workers: 1 });
    try {
      expect(await s.advance(12.5)).toBe(true);
      expect(s.world.tick).toBe(125);
      await expect(s.finish()).rejects.toThrow(/neither reached its end nor stopped/);
      const result = await s.run();
      expect(result.status).toBe('complete');
      expect(exitCodeOf(result)).toBe(0);
    } finally {
      await s.close();
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ complete: true, ticks: 600, stateHash: plain.stateHash() });
  });

  it('reports progress from the start of the loop to its end', async () => {
    const seen: number[] = [];
    const s = await started({ source: { scenarioFile: ring, overrides: ['duration=30'], out: join(base, 'progress') }, workers: 1, onProgress: (p) => seen.push(p.tick) });
    try {
      await s.run();
    } finally {
      await s.close();
    }
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(300);
  });

  it('stops at a tick boundary when aborted: incomplete directory, a checkpoint where it stopped, exit 130', async () => {
    const dir = join(base, 'aborted');
    const stop = new AbortController();
    const s = await started({ source: { scenarioFile: ring, out: dir, checkpointEvery: 100 }, workers: 1, signal: stop.signal });
    try {
      await s.advance(42);
      stop.abort();
      expect(await s.advance()).toBe(false);
      const result = await s.finish();
      expect(result.status).toBe('interrupted');
      expect(exitCodeOf(result)).toBe(130);
    } finally {
      await s.close();
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ complete: false, reason: 'interrupted (SIGINT)', ticks: 420 });
    expect(readdirSync(join(dir, 'checkpoints')).sort()).toEqual(['ckpt-000000000420.snap', 'run.json']);
  });

  it('refuses a directory that is not empty and writes nothing into it', async () => {
    const dir = join(base, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    const r = await RunSession.start({ source: { scenarioFile: ring, out: dir }, workers: 1 });
    expect('refused' in r && refusalText('roadtwin run', r)).toMatch(/^roadtwin run: --out .*: directory is not empty/);
    expect(readdirSync(dir)).toEqual(['keep.txt']);
    const bad = await RunSession.start({ source: { scenarioFile: ring, overrides: ['duration=-5'], out: join(base, 'bad') }, workers: 1 });
    // scenario problems are printed as they are, located
    expect('refused' in bad && refusalText('roadtwin run', bad)).toMatch(/^--set duration=-5:1:1: duration:/);
    expect(existsSync(join(base, 'bad'))).toBe(false);
  });

  it('runs without a run directory (the benchmarks)', async () => {
    const { scenario, hash } = loadScenario(ring, { overrides: ['duration=20'] });
    const s = await started({ source: { scenario, scenarioHash: hash, scenarioFile: ring }, workers: 1 });
    try {
      expect(s.writer).toBeUndefined();
      const result = await s.run();
      expect(result).toEqual({ status: 'complete', metrics: null });
      expect(s.world.tick).toBe(200);
    } finally {
      await s.close();
    }
  });
});
