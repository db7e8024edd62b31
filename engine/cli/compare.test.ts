import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../bin/roadtwin.js', import.meta.url));
const corridor = fileURLToPath(new URL('../../scenarios/glosa-corridor.yaml', import.meta.url));
const ring = fileURLToPath(new URL('../../scenarios/ring.yaml', import.meta.url));
const roadtwin = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('roadtwin compare', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-compare-'));
  const a = join(dir, 'p0');
  const b = join(dir, 'p100');
  roadtwin(['run', corridor, '--out', a, '--duration', '600', '--set', 'v2x.penetration=0', '--quiet', '--workers', '1']);
  roadtwin(['run', corridor, '--out', b, '--duration', '600', '--set', 'v2x.penetration=1', '--quiet', '--workers', '1']);

  it('prints the metrics of both runs and the change in % from the first', () => {
    const r = roadtwin(['compare', a, b, '--format', 'csv']);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n').map((l) => l.split(','));
    expect(rows[0]).toEqual(['metric', 'p0', 'p100', 'Δ %']);
    const stops = rows.find((x) => x[0] === 'stops')!;
    const [s0, s1, change] = [Number(stops[1]), Number(stops[2]), Number(stops[3])];
    expect(s1).toBeLessThan(s0);
    expect(change).toBeCloseTo(((s1 - s0) / s0) * 100, 1);
    expect(rows.find((x) => x[0] === 'GLOSA advised vehicles')![1]).toBe('0');
  });

  it('renders a markdown table for reports', () => {
    const r = roadtwin(['compare', a, b, '--format', 'markdown']);
    expect(r.out.split('\n')[1]).toBe('| --- | ---: | ---: | ---: |');
  });

  it('refuses what is not a finished run directory, with a one-line message', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'metrics.json'), '{"traffic": ');
    for (const [bad, message] of [
      [join(dir, 'missing'), /missing: not a directory/],
      [empty, /empty: no metrics\.json/],
      [broken, /broken\/metrics\.json: not valid JSON/],
    ] as const) {
      const r = roadtwin(['compare', a, bad]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    expect(roadtwin(['compare', a]).code).toBe(1);
  });

  describe('the scenarios', () => {
    // a 1 km road fed at 600 veh/h; the variant at 1200 veh/h and with another seed
    const road = join(dir, 'road.yaml');
    writeFileSync(
      road,
      `name: road
seed: 1
duration: 120
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 1000, y: 0 } ]
  edges: [ { id: ab, from: a, to: b, lanes: 1, speedLimit: 15 } ]
vehicleTypes: { car: { length: 5, maxSpeed: 30, accel: 2, decel: 3, headway: 1.2, minGap: 2 } }
demand: [ { flow: { type: car, route: [ab], rate: 600, begin: 0, end: 120 } } ]
`,
    );
    const base = join(dir, 'base');
    const doubled = join(dir, 'doubled');
    const twin = join(dir, 'twin');
    const other = join(dir, 'ring');
    roadtwin(['run', road, '--out', base, '--quiet', '--workers', '1']);
    roadtwin(['run', road, '--out', doubled, '--quiet', '--workers', '1', '--set', 'demand.0.flow.rate=1200', '--seed', '2']);
    const rated = join(dir, 'rated');
    roadtwin(['run', road, '--out', twin, '--quiet', '--workers', '1', '--set', 'seed=1', '--set', 'demand.0.flow.begin=0']); // the same scenario, written otherwise
    roadtwin(['run', road, '--out', rated, '--quiet', '--workers', '1', '--set', 'demand.0.flow.rate=1200']);
    roadtwin(['run', ring, '--out', other, '--quiet', '--workers', '1', '--duration', '20']);

    it('names the changed fields with their old and new values, before the table', () => {
      const r = roadtwin(['compare', base, doubled]);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      const lines = r.out.split('\n');
      expect(lines.slice(0, 3)).toEqual(['scenario of doubled against base:', '  seed: 1 → 2', '  demand.0.flow.rate: 600 → 1200']);
      // the table follows, unchanged
      expect(lines[4]).toMatch(/^metric +base +doubled +Δ %$/);
      expect(lines.find((l) => l.startsWith('vehicles arrived'))).toBeDefined();
    });

    it('says when a run is a different scenario, in one warning line, and lists the network as one line', () => {
      const r = roadtwin(['compare', base, other]);
      expect(r.code).toBe(0);
      expect(r.err.trim().split('\n')).toEqual(['roadtwin compare: warning: ring is a different scenario from base (another network and another name (road → ring-22)), not a variant of it: its figures compare different roads or demand']);
      expect(r.out).toMatch(/^ {2}network: 2 nodes, 1 edge → .* \(\d+ fields differ\)$/m);
      expect(r.out).toContain('  name: road → ring-22\n');
      // variants carry no warning; a scenario written otherwise is the same scenario
      const v = roadtwin(['compare', base, doubled, twin]);
      expect(v.err).toBe('');
      expect(v.out).toContain('scenario of twin against base:\n  none: the same scenario\n');
    });

    it('keeps CSV output one table: the differences go to stderr', () => {
      const r = roadtwin(['compare', base, doubled, '--format', 'csv']);
      expect(r.out.split('\n')[0]).toBe('metric,base,doubled,Δ %');
      expect(r.out).not.toContain('→');
      expect(r.err).toContain('  demand.0.flow.rate: 600 → 1200\n');
      const md = roadtwin(['compare', base, doubled, '--format', 'markdown']);
      expect(md.out.split('\n')[1]).toBe('| --- | ---: | ---: | ---: |');
      expect(md.out).toContain('- `demand.0.flow.rate: 600 → 1200`');
    });

    it('falls back to the manifest for a run directory without scenario.yaml, and says so', () => {
      const old = join(dir, 'old');
      cpSync(doubled, old, { recursive: true });
      rmSync(join(old, 'scenario.yaml'));
      const r = roadtwin(['compare', base, old]);
      expect(r.code).toBe(0);
      expect(r.err).toBe('roadtwin compare: warning: old has no scenario.yaml (a run directory of an older version): only what its manifest records (name, seed, step, duration) is compared\n');
      expect(r.out.split('\n').slice(0, 3)).toEqual(['scenario of old against base:', '  seed: 1 → 2', '']);
      // the rate is no field of the manifest: the scenario hashes still tell a difference apart
      const oldRated = join(dir, 'old-rated');
      cpSync(rated, oldRated, { recursive: true });
      rmSync(join(oldRated, 'scenario.yaml'));
      expect(roadtwin(['compare', base, oldRated]).out.split('\n')[1]).toBe('  scenarioHash differs: the scenarios differ in fields the manifest does not record');
      const oldTwin = join(dir, 'old-twin');
      cpSync(twin, oldTwin, { recursive: true });
      rmSync(join(oldTwin, 'scenario.yaml'));
      expect(roadtwin(['compare', base, oldTwin]).out.split('\n')[1]).toBe('  none: the same scenario');
    });
  });
});
