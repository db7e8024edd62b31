// Expansion of a sweep file into runs: counts, ranges with float steps, seeds as a count or a
// list, the product's order, and run keys that depend on what a run computes and nothing else.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSweep, expandRange, loadSweep } from './index.js';

const glosa = fileURLToPath(new URL('../../scenarios/glosa-corridor.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'roadtwin-sweep-expand-'));
let n = 0;
function sweepFile(text: string, base = glosa): string {
  const file = join(dir, `s${n++}.yaml`);
  writeFileSync(file, `base: ${JSON.stringify(base)}\n${text}`);
  return file;
}
const plan = (text: string, base = glosa) => checkSweep(loadSweep(sweepFile(text, base)));

describe('expandRange', () => {
  it('includes both ends and gives clean decimals for float steps', () => {
    expect(expandRange({ from: 1, to: 2, step: 0.5 })).toEqual([1, 1.5, 2]);
    expect(expandRange({ from: 0, to: 0.3, step: 0.1 })).toEqual([0, 0.1, 0.2, 0.3]);
    expect(expandRange({ from: 0, to: 1, step: 0.1 })).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(expandRange({ from: 0.05, to: 0.25, step: 0.05 })).toEqual([0.05, 0.1, 0.15, 0.2, 0.25]);
    expect(expandRange({ from: -1, to: 1, step: 0.4 })).toEqual([-1, -0.6, -0.2, 0.2, 0.6, 1]);
  });
  it('stops below `to` when the step does not land on it, and has one value when from = to', () => {
    expect(expandRange({ from: 0, to: 1, step: 0.3 })).toEqual([0, 0.3, 0.6, 0.9]);
    expect(expandRange({ from: 7, to: 7, step: 2 })).toEqual([7]);
  });
});

describe('expandSweep', () => {
  it('is the product of lists and ranges times the seeds, the last field varying fastest', () => {
    const { runs } = plan(`vary:\n  v2x.penetration: [0, 0.3, 1]\n  vehicleTypes.car.headway: { from: 1.0, to: 2.0, step: 0.5 }\nseeds: 2\nmetrics: [traffic.stops]\n`);
    expect(runs).toHaveLength(3 * 3 * 2);
    expect(runs.slice(0, 4).map((r) => [r.params.map((p) => p.value), r.seed])).toEqual([
      [[0, 1], 1],
      [[0, 1], 2],
      [[0, 1.5], 1],
      [[0, 1.5], 2],
    ]);
    expect(runs[17].params).toEqual([
      { path: 'v2x.penetration', value: 1 },
      { path: 'vehicleTypes.car.headway', value: 2 },
    ]);
    expect(runs.map((r) => r.index)).toEqual(runs.map((_, i) => i));
    expect(runs[5].overrides).toEqual(['v2x.penetration=0', 'vehicleTypes.car.headway=2']);
    expect(new Set(runs.map((r) => r.key)).size).toBe(runs.length);
  });

  it('takes seeds as a count (1..N) or as a list, and puts fixed `set` overrides first', () => {
    const counted = plan('seeds: 4\nmetrics: [traffic.stops]\n').runs;
    expect(counted.map((r) => r.seed)).toEqual([1, 2, 3, 4]);
    const listed = plan('seeds: [7, 0, 123456789]\nset: { duration: 60 }\nvary: { v2x.penetration: [0.5] }\nmetrics: [traffic.stops]\n').runs;
    expect(listed.map((r) => r.seed)).toEqual([7, 0, 123456789]);
    expect(listed[0].overrides).toEqual(['duration=60', 'v2x.penetration=0.5']);
    expect(plan('metrics: [traffic.stops]\n').runs.map((r) => r.seed)).toEqual([1]); // seeds default to 1
  });

  it('quotes string values so that "1.5" stays a string', () => {
    const { runs } = plan(`vary:\n  demand.0.flow.departSpeed: [max, 10]\nmetrics: [traffic.stops]\n`);
    expect(runs.map((r) => r.overrides[0])).toEqual(['demand.0.flow.departSpeed="max"', 'demand.0.flow.departSpeed=10']);
  });

  it('gives stable keys: the same for the same run however the file is written, different for any change', () => {
    const a = plan('vary:\n  v2x.penetration: [0, 1]\n  vehicleTypes.car.headway: [1.2]\nseeds: 2\nmetrics: [traffic.stops]\n').runs;
    const again = plan('vary:\n  v2x.penetration: [0, 1]\n  vehicleTypes.car.headway: [1.2]\nseeds: 2\nmetrics: [traffic.stops]\n').runs;
    expect(again.map((r) => r.key)).toEqual(a.map((r) => r.key));
    // fields in another order, values as a range, other metrics: the same runs
    const reordered = plan('metrics: [traffic.fuelL]\nseeds: [2, 1]\nvary:\n  vehicleTypes.car.headway: { from: 1.2, to: 1.2, step: 1 }\n  v2x.penetration: [1, 0]\n').runs;
    expect(new Set(reordered.map((r) => r.key))).toEqual(new Set(a.map((r) => r.key)));
    expect(a[0].key).toMatch(/^penetration-0_headway-1\.2_seed-1_[0-9a-f]{10}$/);
    // a fixed override changes the base, so every key
    const withSet = plan('vary:\n  v2x.penetration: [0, 1]\n  vehicleTypes.car.headway: [1.2]\nseeds: 2\nset: { duration: 900 }\nmetrics: [traffic.stops]\n').runs;
    expect(withSet.some((r) => a.some((x) => x.key === r.key))).toBe(false);
    // another value, another seed: another key
    const other = plan('vary:\n  v2x.penetration: [0.5]\n  vehicleTypes.car.headway: [1.2]\nseeds: [3]\nmetrics: [traffic.stops]\n').runs;
    expect(a.map((r) => r.key)).not.toContain(other[0].key);
  });

  it('keys depend on the base scenario', () => {
    const copy = join(dir, 'glosa-copy.yaml');
    writeFileSync(copy, readFileSync(glosa, 'utf8').replace('rate: 450', 'rate: 500'));
    const a = plan('vary: { v2x.penetration: [0] }\nmetrics: [traffic.stops]\n').runs;
    const b = plan('vary: { v2x.penetration: [0] }\nmetrics: [traffic.stops]\n', copy).runs;
    expect(b[0].key).not.toBe(a[0].key);
  });
});
