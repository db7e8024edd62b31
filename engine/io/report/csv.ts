/**
 * Reading the CSV files of a run directory for the report: RFC 4180 records (quoted cells may
 * hold commas, quotes and line breaks: ids can hold any character), checked against the columns
 * the report needs, each row handed over typed so large files are aggregated without being held.
 * A malformed record is one ReportInputError naming the file, the line and the column.
 */

import { csvRecords as codecRecords, restoreText, type CsvFaultKind } from '../../core/csv.js';

/** Bad input for the report: its message is the one line to print (it names the file). */
export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

/**
 * How a column's cells are read: `num` a finite number; `num?` a finite number or empty (null);
 * `inf` a finite number or `inf`; `str` as it is.
 */
export type CellKind = 'num' | 'num?' | 'inf' | 'str';

export interface ColumnSpec {
  name: string;
  kind: CellKind;
  /** absent from the header is fine (the row then holds undefined) */
  optional?: boolean;
}

export type CsvRow = Record<string, number | string | null | undefined>;

/** The report's words for a malformed run file (they name the cell). */
const FAULT_WORDS: Record<CsvFaultKind, (cell: number) => string> = {
  'unclosed quote': () => 'a quoted cell is not closed',
  'text after quote': (cell) => `text after the closing quote of cell ${cell}`,
  'quote in cell': (cell) => `a quote inside the unquoted cell ${cell}`,
  'carriage return': (cell) => `a carriage return inside cell ${cell}`,
  'empty line': () => 'an empty line',
};

/**
 * Splits `text` into records with the line each starts on (1-based), read strictly by the
 * engine's codec (engine/core/csv.ts: a run file holds only what `csvCell` wrote, so a lone CR or
 * an empty line before the end is damage). Throws for an unterminated quote, a quote inside an
 * unquoted cell, text after a closing quote, a lone CR or an empty line.
 */
export function csvRecords(text: string, file: string): Generator<{ cells: string[]; line: number }> {
  return codecRecords(text, { strict: true, refuse: (f) => new ReportInputError(`${file}:${f.line}: ${FAULT_WORDS[f.kind](f.cell)}`) });
}

/**
 * Reads the table in `text`: the header must name every non-optional column of `spec` (other
 * columns are allowed and ignored), every record must have the header's number of cells and
 * every cell its kind. Calls `onRow` per record in order; returns the header's column names.
 */
export function readTable(text: string, file: string, spec: readonly ColumnSpec[], onRow: (row: CsvRow, line: number) => void): string[] {
  const records = csvRecords(text, file);
  const first = records.next();
  if (first.done) throw new ReportInputError(`${file}:1: empty file, expected a header line`);
  const header = first.value.cells;
  const at: number[] = [];
  for (const c of spec) {
    const k = header.indexOf(c.name);
    if (k < 0 && !c.optional) throw new ReportInputError(`${file}:1: no column '${c.name}' in the header`);
    at.push(k);
  }
  for (const { cells, line } of records) {
    if (cells.length !== header.length) throw new ReportInputError(`${file}:${line}: ${cells.length} cells, the header has ${header.length}`);
    const row: CsvRow = {};
    for (let s = 0; s < spec.length; s++) {
      const k = at[s];
      if (k < 0) continue;
      row[spec[s].name] = cellValue(cells[k], spec[s], file, line);
    }
    onRow(row, line);
  }
  return header;
}

function cellValue(cell: string, c: ColumnSpec, file: string, line: number): number | string | null {
  if (c.kind === 'str') return restoreText(cell); // the spreadsheet-safety apostrophe (engine/core/csv.ts)
  if (cell === '' && c.kind === 'num?') return null;
  if (cell === 'inf' && c.kind === 'inf') return Infinity;
  const v = cell.trim() === '' ? NaN : Number(cell);
  if (!Number.isFinite(v)) {
    const shown = cell.length > 40 ? `${cell.slice(0, 40)}…` : cell;
    throw new ReportInputError(`${file}:${line}: column ${c.name}: expected a number, got ${JSON.stringify(shown)}`);
  }
  return v;
}
