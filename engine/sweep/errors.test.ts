// Bad sweep files are refused before anything runs, each problem as FILE:LINE:COL: field: message;
// through the command line that is exit 1, one line per problem and never a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSweep, loadSweep, SweepError } from './index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist', 'engine', 'cli', 'main.js'));
const glosa = join(root, 'scenarios', 'glosa-corridor.yaml');
const dir = mkdtempSync(join(tmpdir(), 'roadtwin-sweep-errors-'));
let n = 0;
const write = (text: string, name = `bad${n++}.yaml`) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** The problems of a sweep file as the user sees them, with the file name shortened to F. */
function problems(text: string): string[] {
  const file = write(text);
  try {
    checkSweep(loadSweep(file));
  } catch (err) {
    if (!(err instanceof SweepError)) throw err;
    return err.format().split('\n').map((l) => l.replace(file, 'F'));
  }
  return [];
}
const base = `base: ${glosa}\n`;

describe('bad sweep files', () => {
  it('names an unknown or missing top-level field with its line', () => {
    expect(problems(`${base}vary: {}\nseed: 3\nmetrics: [traffic.stops]\n`)).toEqual([
      "F:3:1: seed: unknown field 'seed' (expected base, vary, seeds, metrics, set)",
    ]);
    expect(problems(`vary: {}\nmetrics: [traffic.stops]\n`)).toEqual(["F:1:1: base: missing required field 'base'"]);
    expect(problems(`${base}metrics: []\n`)).toEqual(['F:2:1: metrics: name at least one metric to collect, e.g. [traffic.meanTravelTime]']);
  });

  it('checks the form of vary entries, ranges and seeds', () => {
    expect(problems(`${base}vary:\n  v2x.penetration: { from: 0, to: 1, step: 0 }\nmetrics: [traffic.stops]\n`)).toEqual([
      'F:3:44: vary.v2x.penetration.step: step must be greater than 0, got 0',
    ]);
    expect(problems(`${base}vary:\n  v2x.penetration: { from: 1, to: 0, step: 0.5 }\nmetrics: [traffic.stops]\n`)).toEqual([
      'F:3:35: vary.v2x.penetration.to: to is below from (ranges go upwards), got 0',
    ]);
    expect(problems(`${base}vary:\n  v2x.penetration: { from: 0, upto: 1, step: 0.5 }\nmetrics: [traffic.stops]\n`)).toEqual([
      "F:3:3: vary.v2x.penetration.to: missing required field 'to'",
      "F:3:31: vary.v2x.penetration.upto: unknown field 'upto' (expected from, to, step)",
    ]);
    expect(problems(`${base}vary:\n  v2x.penetration: 0.5\nmetrics: [traffic.stops]\n`)).toEqual([
      'F:3:20: vary.v2x.penetration: expected a list of values [a, b, …] or a range { from, to, step }, got 0.5',
    ]);
    expect(problems(`${base}vary:\n  v2x.penetration: [0, 0.5, 0]\nmetrics: [traffic.stops]\n`)).toEqual([
      'F:3:29: vary.v2x.penetration.2: the value 0 is listed twice (also item 0)',
    ]);
    expect(problems(`${base}seeds: 2.5\nmetrics: [traffic.stops]\n`)).toEqual([
      'F:2:8: seeds: seeds: a count must be a whole number (or give a list of seeds), got 2.5',
    ]);
    expect(problems(`${base}seeds: [1, -2, 1]\nmetrics: [traffic.stops]\n`)).toEqual([
      'F:2:12: seeds.1: each seed must be a whole number from 0 to 4294967295, got -2',
    ]);
    expect(problems(`${base}vary:\n  seed: [1, 2]\nmetrics: [traffic.stops]\n`)).toEqual([
      "F:3:3: vary.seed: the seed is not varied here: use 'seeds: N' or 'seeds: [a, b, …]'",
    ]);
  });

  it('refuses a path the scenario does not have, at the path', () => {
    expect(problems(`${base}vary:\n  v2x.penetratoin: [0, 1]\nmetrics: [traffic.stops]\n`)).toEqual([
      expect.stringMatching(/^F:3:3: vary\.v2x\.penetratoin: \S*glosa-corridor\.yaml has no field 'v2x\.penetratoin' \(fields at v2x: .*penetration/),
    ]);
    expect(problems(`${base}vary:\n  demand.9.flow.rate: [100]\nmetrics: [traffic.stops]\n`)).toEqual([
      expect.stringMatching(/^F:3:3: vary\.demand\.9\.flow\.rate: .* \(demand is a list of 4; use an index 0\.\.3\)$/),
    ]);
  });

  it('refuses a value that is invalid for its field, at the value', () => {
    expect(problems(`${base}vary:\n  v2x.penetration: [0, 1.5]\n  vehicleTypes.car.headway: [1, 2]\nmetrics: [traffic.stops]\n`)).toEqual([
      expect.stringMatching(/^F:3:24: vary\.v2x\.penetration\.1: invalid for v2x\.penetration in \S*glosa-corridor\.yaml: .*1\.5$/),
    ]);
    expect(problems(`${base}vary:\n  vehicleTypes.car.headway: { from: -1, to: 1, step: 1 }\nmetrics: [traffic.stops]\n`)).toEqual([
      expect.stringMatching(/^F:3:3: vary\.vehicleTypes\.car\.headway: invalid for vehicleTypes\.car\.headway in \S*glosa-corridor\.yaml: .*, got -1$/),
    ]);
    expect(problems(`${base}set:\n  duration: -5\nmetrics: [traffic.stops]\n`)).toEqual([expect.stringMatching(/^F:3:13: set\.duration: invalid for duration in .*-5/)]);
  });

  it('refuses metrics this scenario does not write, and groups of metrics', () => {
    expect(problems(`${base}metrics: [traffic.stops, traffic.meanTraveltime, v2x.warnings, logistics.orders]\n`)).toEqual([
      expect.stringMatching(/^F:2:26: metrics\.1: metrics\.json of this scenario has no 'traffic\.meanTraveltime' \(there: .*meanTravelTime/),
      "F:2:50: metrics.2: 'v2x.warnings' is a group of metrics; name one of its fields: fcw, rlvw, hlw, slw, evw, vrucw",
      expect.stringMatching(/^F:2:64: metrics\.3: metrics\.json of this scenario has no 'logistics\.orders'/),
    ]);
  });

  it('reports an unreadable base, invalid YAML and a base scenario with problems of its own', () => {
    expect(problems('base: nowhere.yaml\nmetrics: [traffic.stops]\n')).toEqual([expect.stringMatching(/^F:1:7: base: cannot read the base scenario .*nowhere\.yaml: no such file$/)]);
    expect(problems(`${base}vary: [oops\n`)[0]).toMatch(/^F:\d+:\d+: invalid YAML: /);
    const brokenBase = write('name: broken\nduration: -1\nnetwork: { ring: { length: 100, lanes: 1, speedLimit: 10 } }\nvehicleTypes: {}\n', 'broken-base.yaml');
    const lines = problems(`base: ${brokenBase}\nmetrics: [traffic.stops]\n`);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/broken-base\.yaml:2:11: duration: /);
  });
});

describe.skipIf(!built)('roadtwin sweep with a bad file', () => {
  it('exits 1 with one line per problem and no stack trace, and runs nothing', () => {
    const file = write(`${base}vary:\n  v2x.penetration: [0, 2]\nsede: 1\nmetrics: [traffic.stops]\n`);
    const out = join(dir, 'never');
    const r = spawnSync(process.execPath, ['bin/roadtwin.js', 'sweep', file, '--out', out], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`${file}:4:1: sede: unknown field 'sede' (expected base, vary, seeds, metrics, set)`]);
    expect(existsSync(out)).toBe(false);
    const bad = spawnSync(process.execPath, ['bin/roadtwin.js', 'sweep', write(`${base}vary:\n  v2x.penetration: [0, 2]\nmetrics: [traffic.stops]\n`), '--out', out], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/:3:24: vary\.v2x\.penetration\.1: invalid for v2x\.penetration/);
    expect(bad.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a bad --parallel, a bad --queue URL and an unreachable Redis with one line, quickly', () => {
    const ok = write(`${base}metrics: [traffic.stops]\n`);
    const cases: [string[], RegExp][] = [
      [['--parallel', '0'], /^roadtwin sweep: --parallel: expected a whole number from 1 to 256, got '0'$/],
      [['--queue', 'http://x:1'], /^roadtwin sweep: --queue: expected a redis:\/\/ \(or rediss:\/\/\) URL, got 'http:\/\/'$/],
      // port 1 on the loopback: nothing listens there, so the connection is refused at once
      [['--queue', 'redis://127.0.0.1:1'], /^roadtwin sweep: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED.* \(is redis-server running there\?\)$/],
    ];
    for (const [args, message] of cases) {
      const out = join(dir, `never-${n++}`);
      const r = spawnSync(process.execPath, ['bin/roadtwin.js', 'sweep', ok, '--out', out, ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.trim()).toMatch(message);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    }
    const w = spawnSync(process.execPath, ['bin/roadtwin.js', 'worker', '--queue', 'redis://127.0.0.1:1'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(w.status).toBe(1);
    expect(w.stderr.trim()).toMatch(/^roadtwin worker: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: /);
  });
});
