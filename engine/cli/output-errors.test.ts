import { describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { RunWriter } from '../io/run/writer.js';
import { execute } from './run.js';

const cli = fileURLToPath(new URL('../../bin/roadtwin.js', import.meta.url));
const grid = fileURLToPath(new URL('../../scenarios/grid.yaml', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'rt-output-'));

describe('output errors', () => {
  it('an output directory that cannot be made is refused with a one-line message and exit 1', () => {
    writeFileSync(join(base, 'a-file'), 'x');
    const r = spawnSync(process.execPath, [cli, 'run', grid, '--out', join(base, 'a-file', 'run'), '--quiet'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot write the run directory .*a-file\/run/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(!existsSync('/dev/full'))('a full disk stops the run with a clear message; what was written stays whole and the manifest says so', async () => {
    const dir = join(base, 'full');
    mkdirSync(dir);
    // every write to this file fails as on a full disk (ENOSPC)
    symlinkSync('/dev/full', join(dir, 'events.ndjson'));
    // long enough that the events fill a write chunk (64 KiB) well before the end
    const { scenario, hash } = loadScenario(grid, { overrides: ['duration=3600'] });
    const world = new World(scenario);
    const writer = new RunWriter(dir, world, { scenarioHash: hash, workers: 1, workersRequested: 1, startedAt: new Date(), scenarioFile: grid });
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      err.push(String(s));
      return true;
    });
    let code: number;
    try {
      code = await execute({ world, writer, runner: undefined, dir, name: scenario.name, duration: scenario.duration, quiet: true, stop: { interrupted: false }, checkpointEvery: 0, scenarioHash: hash });
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/cannot write the run directory \(.*events\.ndjson: ENOSPC.*\); stopped at \d+\.\d s/);
    expect(world.time).toBeLessThan(3600);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.complete).toBe(false);
    expect(manifest.reason).toMatch(/ENOSPC/);
    // the other streaming files end at a complete record
    for (const f of ['timeseries.csv', 'trips.csv', 'detectors.csv']) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const widths = new Set(text.trim().split('\n').map((l) => l.split(',').length));
      expect(widths.size).toBe(1);
    }
  });
});
