// The CSV codec: RFC 4180 quoting, spreadsheet formula safety (OWASP "CSV Injection") and
// control characters, and the reader giving back exactly what the writer was given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, CsvSyntaxError, parseCsv } from './csv.js';

describe('csvCell', () => {
  it('quotes cells with a comma, a quote or a line break, doubling quotes (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('writes numbers, booleans and empties as they are', () => {
    expect(csvLine([1.5, -3, null, undefined, true, NaN, Infinity])).toBe('1.5,-3,,,true,,\n');
  });

  it('neutralises text a spreadsheet would run as a formula, but not plain numbers', () => {
    expect(csvCell('=HYPERLINK("http://evil.example.com","x")')).toBe('"\'=HYPERLINK(""http://evil.example.com"",""x"")"');
    expect(csvCell('+1+cmd|calc')).toBe("'+1+cmd|calc");
    expect(csvCell('-E12#0')).toBe("'-E12#0");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell("'quoted")).toBe("''quoted");
    // SUMO's reverse edges are named like negative numbers: a spreadsheet reads them as numbers
    expect(csvCell('-12')).toBe('-12');
    expect(csvCell('+3.5e2')).toBe('+3.5e2');
  });

  it('replaces control characters (terminal escapes) in text', () => {
    expect(csvCell('red\u001b[31malert\u0007')).toBe('red\uFFFD[31malert\uFFFD');
    expect(csvCell('a\u0085b')).toBe('a\uFFFDb');
  });
});

describe('parseCsv', () => {
  it('reads quoted cells across lines and CRLF line ends, with the line each row starts on', () => {
    const t = parseCsv('id,note\r\n1,"two\nlines"\r\n\r\n2,"a ""b"""\n');
    expect(t.header).toEqual(['id', 'note']);
    expect(t.rows).toEqual([
      ['1', 'two\nlines'],
      ['2', 'a "b"'],
    ]);
    expect(t.lines).toEqual([2, 5]);
  });

  it('locates a quote that never closes and text after a closing quote', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(new CsvSyntaxError(2, 'a quoted cell that never closes'));
    expect(() => parseCsv('a,b\n"x"y,1\n')).toThrow('line 2: text after a closing quote');
  });

  it('keeps cells as written with raw: true', () => {
    expect(parseCsv("a\n'=x\n", { raw: true }).rows).toEqual([["'=x"]]);
    expect(parseCsv("a\n'=x\n").rows).toEqual([['=x']]);
  });

  it('gives back every record the writer was given (control characters aside)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, ''));
    const cell = fc.oneof(text, fc.constantFrom('=1+1', '-x', "'", "''=", '@', '+', '\t', '"', ',', '\r\n', '-7', ''));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (records) => {
        const width = records[0].length;
        const rows = records.map((r) => [...r, ...Array(width).fill('x')].slice(0, width));
        const out = parseCsv(rows.map((r) => csvLine(r)).join(''));
        // a record of one empty cell is an empty line, which the reader skips (as every CSV reader does)
        const kept = rows.filter((r) => !(r.length === 1 && r[0] === ''));
        expect([out.header, ...out.rows].filter((r) => r.length > 0)).toEqual(kept);
      }),
      { numRuns: 2000 },
    );
  });
});
