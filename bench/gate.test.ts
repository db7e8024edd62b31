import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { compareWithBaseline } from './gate.js';
import { asBaseline } from '../engine/cli/bench.js';
import { bestOf, type BenchReport } from './report.js';
import { historySvg, phaseSplitSvg } from './charts.js';
import type { MacroResult } from './macro.js';

const result = (name: string, workers: number, calibrated: number, simSeconds = 10): MacroResult => ({
  name,
  workers,
  vehicles: 1000,
  ticks: 100,
  simSeconds,
  wallSeconds: 1,
  vehicleUpdates: 100000,
  updatesPerSecond: calibrated * 5e7,
  nsPerUpdate: 10,
  realTimeFactor: 10,
  phaseShare: { decide: 0.6, lanes: 0.05, move: 0.2, finish: 0.1, insert: 0.02, record: 0.02, other: 0.01 },
  barrierMicrosPerTick: workers > 1 ? 100 : null,
  parallelPhases: workers > 1 ? 200 : null,
  bytesPerVehicle: 160,
  peakRssMB: 100,
  collisions: 0,
  calibration: 5e7,
  calibrationVersion: 1,
  calibrated,
});

const report = (results: MacroResult[], extra: Partial<BenchReport> = {}): BenchReport => ({
  engineVersion: '0',
  date: '2026-11-25T00:00:00.000Z',
  commit: 'abc1234',
  node: 'v20',
  cpu: 'test',
  cores: 2,
  profile: 'short',
  calibrationVersion: 1,
  repetitions: 1,
  results,
  spread: {},
  comparisons: {},
  ...extra,
});

describe('regression gate', () => {
  const base = report([result('ring', 1, 0.2), result('ring', 2, 0.34)]);

  it('passes within the tolerance and fails beyond it', () => {
    expect(compareWithBaseline(report([result('ring', 1, 0.18), result('ring', 2, 0.34)]), base, 0.15).passed).toBe(true);
    const g = compareWithBaseline(report([result('ring', 1, 0.16), result('ring', 2, 0.34)]), base, 0.15);
    expect(g.passed).toBe(false);
    expect(g.rows[0].status).toBe('regression');
    expect(g.rows[0].change).toBeCloseTo(-0.2, 10);
    expect(g.rows[1].status).toBe('ok');
  });

  it('reports a faster case without failing', () => {
    const g = compareWithBaseline(report([result('ring', 1, 0.3), result('ring', 2, 0.34)]), base, 0.15);
    expect(g.passed).toBe(true);
    expect(g.rows[0].status).toBe('faster');
  });

  it('fails when a baseline case is missing, or the comparison is not like for like', () => {
    expect(compareWithBaseline(report([result('ring', 1, 0.2)]), base, 0.15).rows[1].status).toBe('missing');
    expect(compareWithBaseline(report([result('ring', 1, 0.2)]), base, 0.15).passed).toBe(false);
    const otherKernel = compareWithBaseline(report([result('ring', 1, 0.2), result('ring', 2, 0.34)], { calibrationVersion: 2 }), base, 0.15);
    expect(otherKernel.passed).toBe(false);
    expect(otherKernel.problems[0]).toMatch(/calibration kernel/);
    const otherLength = compareWithBaseline(report([result('ring', 1, 0.2, 20), result('ring', 2, 0.34)]), base, 0.15);
    expect(otherLength.passed).toBe(false);
    expect(otherLength.problems[0]).toMatch(/simulated s/);
  });

  it('a baseline holds the median repetition of each case, the check the best', () => {
    const r = report([result('ring', 1, 0.25), result('ring', 2, 0.3)], { spread: { 'ring/w1': [0.1, 0.25, 0.2], 'ring/w2': [0.3, 0.1, 0.2, 0.28] } });
    expect(asBaseline(r).results.map((x) => x.calibrated)).toEqual([0.2, 0.24]);
  });

  it('keeps the best repetition of each case', () => {
    const best = bestOf([result('ring', 1, 0.1), result('ring', 2, 0.3), result('ring', 1, 0.25), result('ring', 1, 0.2)]);
    expect(best.map((r) => [r.workers, r.calibrated])).toEqual([
      [1, 0.25],
      [2, 0.3],
    ]);
  });
});

describe('benchmark charts', () => {
  it('draw well-formed SVG with one bar segment per phase and one line per case', () => {
    const phases = phaseSplitSvg([result('ring', 1, 0.2), result('grid', 2, 0.1)], 'split <test>');
    expect(XMLValidator.validate(phases)).toBe(true);
    expect(phases.match(/<rect [^>]*><title>/g)).toHaveLength(14);
    const entries = [0.2, 0.22, 0.21].map((c, i) => ({
      date: `2026-11-2${i}T00:00:00Z`,
      commit: `c${i}`,
      profile: 'full',
      cases: { 'ring/w1': { updatesPerSecond: c * 5e7, calibrated: c }, 'ring/w2': { updatesPerSecond: c * 8e7, calibrated: c } },
    }));
    const history = historySvg(entries, 'history');
    expect(XMLValidator.validate(history)).toBe(true);
    expect(history.match(/<polyline /g)).toHaveLength(2);
  });
});

describe('roadtwin bench', () => {
  const cli = join(__dirname, '..', 'bin', 'roadtwin.js');
  const run = (args: string[]) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, [cli, 'bench', ...args], { encoding: 'utf8', stdio: 'pipe' }) };
    } catch (e) {
      const err = e as { status: number; stderr: string };
      return { code: err.status, out: err.stderr };
    }
  };

  it('refuses a missing or malformed baseline before benchmarking', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-bench-'));
    const missing = run(['--check', join(dir, 'none.json')]);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/none\.json does not exist/);
    writeFileSync(join(dir, 'bad.json'), '{"results": 3');
    const bad = run(['--check', join(dir, 'bad.json')]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/bad\.json is not valid JSON/);
    writeFileSync(join(dir, 'other.json'), '{"results": []}');
    expect(run(['--check', join(dir, 'other.json')]).out).toMatch(/not a roadtwin benchmark report/);
  });

  it('refuses an unknown profile and a bad tolerance', () => {
    expect(run(['--profile', 'huge']).out).toMatch(/unknown profile 'huge'/);
    expect(run(['--tolerance', '2']).code).toBe(1);
  });
});
