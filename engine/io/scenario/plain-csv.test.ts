import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCsvHeader, plainCsvFields, readCsvText } from './plain-csv.js';

describe('plain CSV files (orders, events)', () => {
  it('reads a file, or says in words why it cannot, at the scenario key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plain-csv-'));
    const read = (p: string) => readFileSync(p, 'utf8');
    expect(readCsvText(read, join(dir, 'none.csv'), 'events', ['events', 'csv'])).toEqual({
      problem: { path: ['events', 'csv'], message: `cannot read the events file '${join(dir, 'none.csv')}': no such file` },
    });
    expect(readCsvText(read, dir, 'orders', ['logistics', 'orders', 'csv'])).toEqual({
      problem: { path: ['logistics', 'orders', 'csv'], message: `cannot read the orders file '${dir}': a directory, not a file` },
    });
    const denied = () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    expect(readCsvText(denied, 'f.csv', 'events', ['events', 'csv'])).toMatchObject({ problem: { message: "cannot read the events file 'f.csv': permission denied" } });
    expect(readCsvText(() => 'a,b\n', 'f.csv', 'events', ['events', 'csv'])).toEqual({ text: 'a,b\n' });
  });

  it('checks a header: unknown and twice-given columns where they stand, then the missing ones at column 1', () => {
    const columns = { known: ['id', 'kind', 'at'], required: ['kind', 'at'], listed: 'id, kind, at' };
    expect(checkCsvHeader(plainCsvFields('kind, when,kind'), columns)).toEqual([
      { col: 7, path: 'when', message: "unknown column 'when' (the columns are id, kind, at)" },
      { col: 12, path: 'kind', message: "column 'kind' given twice" },
      { col: 1, path: 'at', message: "the header has no 'at' column" },
    ]);
    expect(checkCsvHeader(plainCsvFields('at,kind,id'), columns)).toEqual([]);
  });
});
