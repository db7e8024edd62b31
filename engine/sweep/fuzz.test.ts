// Whatever a sweep file holds, loading and checking it ends in a plan or a SweepError whose
// problems are each one located line: never another exception (an internal error in the CLI),
// never a hang, never an allocation sized by the input (a range of 1e10 values).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Document } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkSweep, loadSweep, SweepError } from './index.js';
import { maskRedisUrl, parseRedisUrl } from './queue/redis.js';

const ring = fileURLToPath(new URL('../../scenarios/ring.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rt-sweep-fuzz-'));
let n = 0;
const LINE = /^[^\n]*\.yaml:\d+:\d+: [^\n]+$/;

/** Loads (and, when it is small, checks) the sweep text; throws anything but a SweepError. */
function outcome(text: string, check = true): 'ok' | SweepError {
  const file = join(dir, `f${n++ % 16}.yaml`);
  writeFileSync(file, text);
  try {
    const spec = loadSweep(file);
    const runs = spec.vary.reduce((p, f) => p * f.values.length, 1) * spec.seeds.length;
    if (check && runs <= 6) checkSweep(spec);
    return 'ok';
  } catch (err) {
    if (err instanceof SweepError) return err;
    throw err;
  }
}

const wellFormed = (r: 'ok' | SweepError) => {
  if (r === 'ok') return;
  expect(r.problems.length).toBeGreaterThan(0);
  for (const line of r.format().split('\n')) expect(line).toMatch(LINE);
};

const valid = {
  base: ring,
  vary: { 'vehicleTypes.car.headway': [1, 1.5], 'vehicleTypes.car.maxSpeed': { from: 20, to: 30, step: 10 } },
  seeds: 1,
  metrics: ['traffic.stops', 'traffic.meanSpeed'],
  set: { duration: 10 },
};

/** Every path to a value inside `v`, containers included. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(1e10, -1e10, 1e308, -0, 0, 1e-300, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, '', 'NaN', '.inf', '-.inf', null),
  fc.record({ from: fc.double(), to: fc.double(), step: fc.double() }),
  fc.record({ from: fc.constant(0), to: fc.constantFrom(1e10, 1e300, 1e6), step: fc.constantFrom(1, 1e-300, 0.5) }),
  fc.string({ maxLength: 20 }),
);

describe('sweep file fuzz', () => {
  it('any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (t) => wellFormed(outcome(t, false))), { numRuns: 600 });
  });

  it('a valid sweep with one value replaced by anything', () => {
    const all = paths(valid).slice(1);
    fc.assert(
      fc.property(fc.nat(), hostile, (pick, value) => {
        const doc = new Document(structuredClone(valid));
        doc.setIn(all[pick % all.length], value);
        wellFormed(outcome(String(doc)));
      }),
      { numRuns: 1200 },
    );
  });

  it('a valid sweep with keys added, removed or renamed', () => {
    fc.assert(
      fc.property(fc.constantFrom('base', 'vary', 'seeds', 'metrics', 'set'), fc.string({ maxLength: 12 }), hostile, fc.boolean(), (key, other, value, drop) => {
        const v: Record<string, unknown> = structuredClone(valid);
        if (drop) delete v[key];
        else v[other || 'x'] = value;
        wellFormed(outcome(String(new Document(v))));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a range of 1e10 values in one line', () => {
    const r = outcome(`base: ${JSON.stringify(ring)}\nvary:\n  vehicleTypes.car.headway: { from: 0, to: 1e10, step: 1 }\nseeds: 1\nmetrics: [traffic.stops]\n`);
    expect(r).toBeInstanceOf(SweepError);
    expect((r as SweepError).format()).toMatch(/:3:\d+: .*the range has 10000000001 values; at most \d+ runs are allowed/);
  });

  it('masks the password of a Redis URL in every message', () => {
    expect(maskRedisUrl('cannot reach Redis at redis://user:s3cret@host:6379/0: refused')).toBe('cannot reach Redis at redis://user:***@host:6379/0: refused');
    expect(maskRedisUrl('rediss://:pw@h')).toBe('rediss://:***@h');
    expect(maskRedisUrl('redis://u:p@ss@h:1/0 and redis://h:2')).toBe('redis://u:***@h:1/0 and redis://h:2');
    expect(String(parseRedisUrl('redis://u:s3cret@h:6379/x'))).not.toContain('s3cret');
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9%._~-]{1,20}$/), (pw) => {
        expect(maskRedisUrl(`cannot reach Redis at redis://me:${pw}@h:1: no`)).not.toContain(`:${pw}@`);
      }),
      { numRuns: 200 },
    );
  });
});
