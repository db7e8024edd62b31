// One writer per run directory, through the compiled command line: two runs into one --out at
// once, two resumes of one directory at once (after the first run was killed, leaving its lock),
// and the resume of a run that is complete. And input that would exhaust memory, refused in one line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'bin', 'roadtwin.js');
const grid = join(root, 'scenarios', 'grid.yaml');
const built = existsSync(join(root, 'dist', 'engine', 'cli', 'main.js'));
const base = mkdtempSync(join(tmpdir(), 'rt-one-writer-'));

const start = (args: string[]) =>
  new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, [cli, ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });

describe.skipIf(!built)('one writer per run directory (compiled CLI)', () => {
  it('two runs into one --out at once: one runs, the other is refused naming it, nothing mixed', async () => {
    const dir = join(base, 'two');
    const args = ['run', grid, '--out', dir, '--quiet', '--duration', '120', '--workers', '1'];
    const [a, b] = await Promise.all([start(args), start(args)]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 1]);
    const refused = a.code === 1 ? a : b;
    expect(refused.err).toMatch(/^roadtwin run: .*(is in use by another roadtwin process \(pid \d+ on .+, since \d{4}-[^)]+\)|directory is not empty)/);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.complete).toBe(true);
    // one run's rows, once: 120 seconds and the header
    expect(readFileSync(join(dir, 'timeseries.csv'), 'utf8').trim().split('\n')).toHaveLength(121);
    expect(existsSync(join(dir, 'roadtwin.lock'))).toBe(false);
  });

  it('a killed run leaves its lock; of two resumes at once one continues, the other is refused; a complete run is said to be complete', async () => {
    const dir = join(base, 'resume');
    const first = spawn(process.execPath, [cli, 'run', grid, '--out', dir, '--quiet', '--duration', '600', '--workers', '1', '--checkpoint-every', '60'], { stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(join(dir, 'checkpoints', 'ckpt-000000000600.snap'))) {
          clearInterval(poll);
          first.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((r) => first.on('exit', r));
    expect(existsSync(join(dir, 'roadtwin.lock'))).toBe(true);
    const [a, b] = await Promise.all([start(['resume', dir, '--quiet', '--workers', '1']), start(['resume', dir, '--quiet', '--workers', '1'])]);
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    expect((a.code === 1 ? a : b).err).toMatch(/^roadtwin resume: .* is in use by another roadtwin process \(pid \d+/);
    const rows = readFileSync(join(dir, 'timeseries.csv'), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(601);
    expect(new Set(rows).size).toBe(601);
    const before = [dir, ...readdirSync(dir).map((f) => join(dir, f))].map((f) => [f, statSync(f).mtimeMs]);
    const again = spawnSync(process.execPath, [cli, 'resume', dir], { encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/is complete \(the run reached 600 s\); nothing to resume/);
    // not a file touched, not even the directory (no lock is taken for a complete run)
    expect([dir, ...readdirSync(dir).map((f) => join(dir, f))].map((f) => [f, statSync(f).mtimeMs])).toEqual(before);
  });

  it('input that would exhaust memory or block is one line and exit 1', () => {
    for (const args of [['run', '/dev/zero', '--quiet'], ['validate', '/dev/zero'], ['sweep', '/dev/zero', '--dry-run'], ['import', 'sumo', '--net', '/dev/zero', '--out', join(base, 'x.yaml')]]) {
      const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(/\/dev\/zero.*not a regular file \(a device\)/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
