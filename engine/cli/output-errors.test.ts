import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../io/scenario/index.js';
import { RunSession } from '../io/run/session.js';
import { exitCodeOf, failureText } from '../io/run/report.js';

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

  it('a full disk stops the run with a clear message; what was written stays whole and the manifest says so', async () => {
    const dir = join(base, 'full');
    mkdirSync(dir);
    // every write to this file fails as on a full disk (ENOSPC)
    process.env.ROADTWIN_FAULT_WRITE = 'events.ndjson';
    // long enough that the events fill a write chunk (64 KiB) well before the end
    const { scenario, hash } = loadScenario(grid, { overrides: ['duration=3600'] });
    // (the session of `roadtwin run`, on a directory the command would refuse as not empty)
    const session = await RunSession.start({ source: { scenario, scenarioHash: hash, scenarioFile: grid, out: dir }, workers: 1 });
    if ('refused' in session) throw new Error(session.message);
    const result = await session.run();
    await session.close();
    delete process.env.ROADTWIN_FAULT_WRITE;
    expect(exitCodeOf(result)).toBe(1);
    expect(failureText(result, dir)).toMatch(/cannot write the run directory \(.*events\.ndjson: ENOSPC.*\); stopped at \d+\.\d s/);
    expect(session.world.time).toBeLessThan(3600);
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
