// The Python client (clients/python, standard library only) against a real `roadtwin serve`: the
// example drives every signal of the 8 × 8 grid from Python and ends with a state hash; the
// same commands give the same hash twice (the server is deterministic for a client's commands).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function withServer<T>(fn: (port: number) => T): Promise<T> {
  const out = join(mkdtempSync(join(tmpdir(), 'rt-py-')), 'logs');
  const child = spawn(process.execPath, ['bin/roadtwin.js', 'serve', 'scenarios/grid.yaml', '--port', '0', '--out', out], { cwd: root });
  try {
    const port = await new Promise<number>((ok, fail) => {
      let text = '';
      child.stdout.on('data', (d) => {
        text += d;
        const m = /tcp:\/\/[^:\s]+:(\d+)/.exec(text);
        if (m) ok(Number(m[1]));
      });
      child.on('exit', (c) => fail(new Error(`serve exited ${c}`)));
    });
    return fn(port);
  } finally {
    child.kill('SIGTERM');
  }
}

const python = spawnSync('python3', ['--version']).status === 0;

describe.skipIf(!python)('the Python client', () => {
  it('runs the queue-pressure example against roadtwin serve, deterministically', async () => {
    const runExample = (port: number) =>
      spawnSync('python3', ['clients/python/example_max_pressure.py', '--port', String(port), '--seconds', '120'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    const first = await withServer(runExample);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const m = /(\d+) decisions, mean halting vehicles at the signals ([\d.]+), stateHash (\S+)/.exec(first.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(12);
    const second = await withServer(runExample);
    expect(second.stdout).toBe(first.stdout);
  }, 180_000);
});
