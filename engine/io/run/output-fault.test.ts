// A run directory that stops accepting new files mid-run (made read-only, a full disk): the run
// ends with an output error, not an exception, and the directory says what happened in a
// manifest with complete: false, even without checkpoints. (Tests run as root here, which
// ignores permissions, so "cannot create a file" is made by putting a directory where the
// temporary file of an atomic write would go.)
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunSession } from './session.js';
import { exitCodeOf, failureText } from './report.js';

const ring = fileURLToPath(new URL('../../../scenarios/ring.yaml', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'rt-output-fault-'));
const block = (dir: string, file: string) => mkdirSync(join(dir, `${file}.tmp-${process.pid}`), { recursive: true });

describe('output errors at the end of a run', () => {
  it('without checkpoints: the summary files cannot be created, the manifest in place says why, exit 1', async () => {
    const dir = join(base, 'no-ckpt');
    const s = await RunSession.start({ source: { scenarioFile: ring, overrides: ['duration=20'], out: dir }, workers: 1 });
    if ('refused' in s) throw new Error(s.message);
    try {
      await s.advance(10);
      for (const f of ['network.json', 'metrics.json', 'manifest.json', 'trace.json']) block(dir, f);
      const result = await s.run();
      expect(result.status).toBe('output-error');
      expect(exitCodeOf(result)).toBe(1);
      expect(result.status === 'output-error' && result.manifestWritten).toBe(true);
      const text = failureText(result, dir)!;
      expect(text).toMatch(/^roadtwin: cannot write the run directory \(EISDIR: .*network\.json\.tmp-\d+.*\); stopped at 20\.0 s\./);
      expect(text).toMatch(/a manifest saying complete: false/);
    } finally {
      await s.close();
    }
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ complete: false, ticks: 200, simTime: 20 });
    expect(m.reason).toMatch(/^output error: EISDIR/);
  });

  it('a checkpoint that cannot be written stops the run with an output error and a manifest', async () => {
    const dir = join(base, 'ckpt');
    const s = await RunSession.start({ source: { scenarioFile: ring, overrides: ['duration=30'], out: dir, checkpointEvery: 10 }, workers: 1 });
    if ('refused' in s) throw new Error(s.message);
    try {
      // (the first checkpoint is at the tick whose time reaches 10 s, 100 or 101 by rounding)
      for (const t of ['100', '101', '102']) block(join(dir, 'checkpoints'), `ckpt-000000000${t}.snap`);
      const result = await s.run();
      expect(result.status).toBe('output-error');
      expect(result.status === 'output-error' && result.message).toMatch(/^checkpoint: EISDIR/);
      expect(result.status === 'output-error' && result.manifestWritten).toBe(true);
    } finally {
      await s.close();
    }
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(m.complete).toBe(false);
    expect(m.reason).toMatch(/^output error: checkpoint: EISDIR/);
    expect(m.simTime).toBeGreaterThanOrEqual(10);
    expect(m.simTime).toBeLessThan(10.2);
  });

  it('a new run describes itself from the start: complete: false, running', async () => {
    const dir = join(base, 'start');
    const s = await RunSession.start({ source: { scenarioFile: ring, overrides: ['duration=5'], out: dir }, workers: 1 });
    if ('refused' in s) throw new Error(s.message);
    try {
      expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toMatchObject({ complete: false, ticks: 0, reason: expect.stringMatching(/^running/) });
      await s.run();
    } finally {
      await s.close();
    }
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).complete).toBe(true);
  });
});
