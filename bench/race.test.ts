import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRaceGate, raceGate, type RaceRow } from './gate.js';
import { prepareReference } from './reference.js';

// the built race (dist/): its sides are forked processes that load the built engine
const root = join(__dirname, '..');
const { race } = (await import(join(root, 'dist/bench/race.js'))) as typeof import('./race.js');

const row = (key: string, ratio: number, races = 1): RaceRow => ({ key, ratio, quartiles: [ratio - 0.05, ratio + 0.05], races, referenceUpdatesPerSecond: 1e6 });

describe('the race gate', () => {
  it('fails a case whose best race stayed below 1 − tolerance, and only then', () => {
    expect(raceGate([row('a/w1', 0.86), row('b/w2', 1.3)], 0.15).passed).toBe(true);
    const g = raceGate([row('a/w1', 0.84, 3), row('b/w2', 1)], 0.15);
    expect(g.passed).toBe(false);
    expect(g.rows.map((r) => r.status)).toEqual(['regression', 'ok']);
    expect(raceGate([row('a/w1', 1.2)], 0.15).rows[0].status).toBe('faster');
    expect(formatRaceGate(g, 0.15)).toMatch(/a\/w1 +0\.840 .* 3  REGRESSION\n[\s\S]*bench check: FAILED/);
    // no case raced is no evidence
    expect(raceGate([], 0.15).passed).toBe(false);
  });
});

describe('the race', () => {
  it('steps two builds in turns over the same simulated span and compares like with like', async () => {
    const r = await race({ name: 'laoshan', duration: 20, workers: 1 }, root, root, 4);
    expect(r.slices).toBe(4);
    // the same build on both sides: the same work, to the vehicle update
    expect(r.current.vehicleUpdates).toBeGreaterThan(0);
    expect(r.current.vehicleUpdates).toBe(r.reference.vehicleUpdates);
    expect(r.current.simSeconds).toBe(18);
    expect(r.reference.simSeconds).toBe(18);
    expect(Number.isFinite(r.ratio) && r.ratio > 0).toBe(true);
    expect(r.quartiles[0]).toBeLessThanOrEqual(r.ratio);
    expect(r.quartiles[1]).toBeGreaterThanOrEqual(r.ratio);
    // only this build's side runs the calibration kernel
    expect(r.current.calibration).toBeGreaterThan(1);
  }, 120_000);

  it('names the side that cannot start', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'rt-race-'));
    await expect(race({ name: 'laoshan', duration: 20, workers: 1 }, root, empty, 2)).rejects.toThrow(/^reference: .*macro\.js/);
  }, 60_000);
});

describe('the reference build', () => {
  it('is refused, with the reason, for a commit this clone does not have', () => {
    const r = prepareReference(root, 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef');
    expect(r).toEqual({ unavailable: expect.stringMatching(/deadbeef.* is not in this clone's history/) });
  });

  it('roadtwin bench --against a build that cannot be had fails before benchmarking', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-bench-'));
    writeFileSync(join(dir, 'base.json'), JSON.stringify({ results: [], profile: 'short', calibrationVersion: 3 }));
    let out = '';
    let code = 0;
    try {
      execFileSync(process.execPath, [join(root, 'bin/roadtwin.js'), 'bench', '--profile', 'short', '--check', join(dir, 'base.json'), '--against', 'no-such-commit'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      ({ status: code, stderr: out } = e as { status: number; stderr: string });
    }
    expect(code).toBe(1);
    expect(out).toMatch(/^roadtwin bench: cannot race against 'no-such-commit': commit no-such-commit is not in this clone's history/);
  });
});
