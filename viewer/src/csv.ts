/** A CSV file of the run directory as named numeric columns (timeseries.csv) or as rows (trips.csv). */

import { parseCsv as parseRfc4180 } from '../../engine/core/csv.js';

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/**
 * A run file as header and rows, through the engine's own CSV codec (engine/core/csv.ts): quoted
 * cells, line breaks inside them and the spreadsheet-safety apostrophe read back as written.
 */
export function parseCsv(text: string): CsvTable {
  const t = parseRfc4180(text);
  return { header: t.header, rows: t.rows };
}

/** One line's cells (a line with no line break inside a quoted cell). */
export function splitCsvLine(line: string): string[] {
  return parseRfc4180(line, {}).header;
}

/** Numeric columns by name (empty cells are NaN). */
export function numericColumns(t: CsvTable): Map<string, Float64Array> {
  const cols = new Map<string, Float64Array>();
  t.header.forEach((name, c) => {
    const col = new Float64Array(t.rows.length);
    for (let r = 0; r < t.rows.length; r++) col[r] = t.rows[r][c] === '' ? NaN : Number(t.rows[r][c]);
    cols.set(name, col);
  });
  return cols;
}
