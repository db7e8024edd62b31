import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../bin/roadtwin.js', import.meta.url));
const corridor = fileURLToPath(new URL('../../scenarios/glosa-corridor.yaml', import.meta.url));
const roadtwin = (args: string[]) => {
  try {
    return { code: 0, out: execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: 'pipe' }), err: '' };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { code: x.status, out: x.stdout, err: x.stderr };
  }
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
});
