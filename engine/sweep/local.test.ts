// `roadtwin sweep` on this machine: a small grid of parameters and seeds gives the right runs,
// each with exactly the metrics that `roadtwin run` gives for the same scenario, values and seed.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { built, readPlan, root, roadtwin, simulatedMetrics } from './test-helpers.js';

const glosa = join(root, 'scenarios', 'glosa-corridor.yaml');
const dir = mkdtempSync(join(tmpdir(), 'roadtwin-sweep-local-'));
const sweepFile = join(dir, 'grid.yaml');
writeFileSync(
  sweepFile,
  `base: ${glosa}\nvary:\n  v2x.penetration: [0, 1]\n  vehicleTypes.car.headway: [1.2, 1.6]\nseeds: [1, 2]\nset: { duration: 300 }\nmetrics: [traffic.meanTravelTime, traffic.stops, v2x.glosaAdvised]\n`,
);

describe.skipIf(!built)('roadtwin sweep (local)', () => {
  const out = join(dir, 'out');

  it('runs every combination and seed once, with the metrics of individual runs', () => {
    const r = roadtwin('sweep', sweepFile, '--out', out, '--parallel', '2', '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const plan = readPlan(out);
    expect(plan.runs).toHaveLength(2 * 2 * 2);
    expect(readdirSync(join(out, 'runs')).sort()).toEqual(plan.runs.map((p) => p.key).sort());

    const rows = readFileSync(join(out, 'sweep.csv'), 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe('key,v2x.penetration,vehicleTypes.car.headway,seed,traffic.meanTravelTime,traffic.stops,v2x.glosaAdvised,status');
    expect(rows).toHaveLength(9);
    expect(rows.slice(1).every((l) => l.endsWith(',done'))).toBe(true);
    expect(readFileSync(join(out, 'summary.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(5);
    for (const m of ['traffic.meanTravelTime', 'traffic.stops', 'v2x.glosaAdvised'])
      expect(XMLValidator.validate(readFileSync(join(out, 'charts', `${m}.svg`), 'utf8'))).toBe(true);

    for (const run of plan.runs) {
      const alone = join(dir, `alone-${run.key}`);
      const sets = Object.entries(run.params).flatMap(([path, value]) => ['--set', `${path}=${value}`]);
      const single = roadtwin('run', glosa, '--out', alone, '--seed', String(run.seed), '--set', 'duration=300', ...sets, '--quiet');
      expect(single.code).toBe(0);
      expect(simulatedMetrics(join(out, 'runs', run.key)), run.key).toBe(simulatedMetrics(alone));
      // the csv row holds the same numbers
      const metrics = JSON.parse(simulatedMetrics(alone));
      const row = rows.find((l) => l.startsWith(`${run.key},`))!.split(',');
      expect(row.slice(4, 7).map(Number)).toEqual([metrics.traffic.meanTravelTime, metrics.traffic.stops, metrics.v2x.glosaAdvised]);
    }
    // the varied values really reached the runs: GLOSA advises only equipped vehicles
    const advised = rows.slice(1).map((l) => l.split(','));
    expect(advised.filter((c) => c[1] === '0').every((c) => c[6] === '0')).toBe(true);
    expect(advised.filter((c) => c[1] === '1').every((c) => Number(c[6]) > 0)).toBe(true);
    // (sixteen runs of five simulated minutes, eight of them two at a time: over the default minute on a busy machine)
  }, 240_000);

  it('resumes in its own output directory without running anything again, and refuses a foreign one', () => {
    const started = (key: string) => JSON.parse(readFileSync(join(out, 'runs', key, 'manifest.json'), 'utf8')).startedAt;
    const plan = readPlan(out);
    const before = plan.runs.map((r) => started(r.key));
    const csv = readFileSync(join(out, 'sweep.csv'), 'utf8');
    expect(roadtwin('sweep', sweepFile, '--out', out, '--quiet').code).toBe(0);
    expect(plan.runs.map((r) => started(r.key))).toEqual(before);
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8')).toBe(csv);

    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    const r = roadtwin('sweep', sweepFile, '--out', foreign);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`roadtwin sweep: --out ${foreign}: directory is not empty and holds no sweep; choose a new one`);
  });
});
