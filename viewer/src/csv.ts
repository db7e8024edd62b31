/** A CSV file of the run directory as named numeric columns (timeseries.csv) or as rows (trips.csv). */

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** Splits one CSV line, honouring quoted cells with doubled quotes (as the writer quotes them). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

export function parseCsv(text: string): CsvTable {
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines.length === 0) return { header: [], rows: [] };
  return { header: splitCsvLine(lines[0]), rows: lines.slice(1).map(splitCsvLine) };
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
