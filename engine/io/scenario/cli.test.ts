// The compiled command line, run as a user would: `node bin/roadtwin.js validate …`.
// It needs `npm run build` (dist/); without a build these tests are skipped, not failed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
const contractDir = fileURLToPath(new URL('../../../scenarios', import.meta.url));

const root = fileURLToPath(new URL('../../../', import.meta.url));
const built = existsSync(join(root, 'dist', 'engine', 'cli', 'main.js'));
const bad = join('engine', 'io', 'scenario', 'fixtures', 'bad');

function roadtwin(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/roadtwin.js', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (text: string) => expect(text).not.toMatch(/^ {4}at /m);

describe.skipIf(!built)('roadtwin validate (compiled CLI)', () => {
  it('prints ok and exits 0 for each contract scenario', () => {
    for (const name of ['ring', 'corridor', 'grid']) {
      const r = roadtwin('validate', join(contractDir, `${name}.yaml`));
      expect(r).toMatchObject({ code: 0, stdout: 'ok\n' });
    }
  });

  it('exits 1 with FILE:LINE:COL: path: message and no stack trace', () => {
    const file = join(bad, 'negative-duration.yaml');
    const r = roadtwin('validate', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${file}:2:11: duration: must be greater than 0, got -600\n`);
    noStack(r.stderr);
  });

  it('names the line of an unknown field and of a semantic problem', () => {
    const unknown = join(bad, 'unknown-field-nested.yaml');
    const r1 = roadtwin('validate', unknown);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain(`${unknown}:9:5: vehicleTypes.car.accell: unknown field 'accell' (did you mean 'accel'?)\n`);
    const route = join(bad, 'disconnected-route.yaml');
    const r2 = roadtwin('validate', route);
    expect(r2.stderr).toBe(`${route}:17:19: demand.0.flow.route.1: route is not connected: edge 'AB' does not lead to 'CB'\n`);
    noStack(r1.stderr + r2.stderr);
  });

  it('reports unreadable files and invalid YAML without a stack trace', () => {
    for (const file of ['does-not-exist.yaml', bad, join(bad, 'invalid-yaml.yaml'), join(bad, 'empty.yaml')]) {
      const r = roadtwin('validate', file);
      expect(r.code).toBe(1);
      expect(r.stderr.startsWith(`${file}:`)).toBe(true);
      noStack(r.stderr);
    }
  });

  it('applies --set and reports a bad one against the override', () => {
    const file = join(bad, 'zero-duration.yaml');
    expect(roadtwin('validate', file, '--set', 'duration=30')).toMatchObject({ code: 0, stdout: 'ok\n' });
    const r = roadtwin('validate', file, '--set', 'duration=soon', '--set', 'oops');
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toEqual([
      '--set duration=soon:1:1: duration: expected a number, got string "soon"',
      "--set oops:1:1: expected path=value, e.g. --set demand.0.flow.rate=1200 (no '=' found)",
      '',
    ]);
  });

  it('prints the JSON Schema with `roadtwin schema`', () => {
    const r = roadtwin('schema');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).properties).toHaveProperty('duration');
  });
});
