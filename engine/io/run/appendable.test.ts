// Streaming run files are created exclusively and never opened through a symlink: a file or a
// link planted in a run directory is refused, and the file it points to is left as it was.
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppendableFile } from './appendable.js';

const dir = mkdtempSync(join(tmpdir(), 'rt-append-'));

describe('AppendableFile', () => {
  it('creates a new file exclusively: one already there is refused and kept', () => {
    const path = join(dir, 'trips.csv');
    writeFileSync(path, 'another run\n');
    expect(() => new AppendableFile(path)).toThrow(/EEXIST/);
    expect(readFileSync(path, 'utf8')).toBe('another run\n');
  });

  it('never follows a symlink, new or resumed', () => {
    const target = join(dir, 'precious.txt');
    writeFileSync(target, 'do not truncate me\n');
    symlinkSync(target, join(dir, 'timeseries.csv'));
    expect(() => new AppendableFile(join(dir, 'timeseries.csv'))).toThrow(/EEXIST/);
    expect(() => new AppendableFile(join(dir, 'timeseries.csv'), undefined, 0)).toThrow(/ELOOP/);
    expect(readFileSync(target, 'utf8')).toBe('do not truncate me\n');
  });

  it('resumes a file at a byte offset and appends from there', () => {
    const path = join(dir, 'events.ndjson');
    const f = new AppendableFile(path);
    f.write('{"a":1}\n');
    f.write('{"a":2}\n');
    f.close();
    const g = new AppendableFile(path, undefined, 8);
    g.write('{"a":3}\n');
    g.close();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"a":3}\n');
  });
});
