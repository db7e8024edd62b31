/**
 * The plain CSV files a scenario names (the orders and events files: values separated by commas,
 * no quoting, a header line naming the columns). What their readers share: reading the file, the
 * walk over its lines (plainCsvRows: comments, the header and its check, field counts, the row
 * bound), the fields of a line, and the problem located at file:line:column. Each reader keeps its
 * own rows' meaning.
 */
import type { Problem } from './problem.js';

/** A problem in a plain CSV file, located in that file (line, column of the field). */
export interface CsvProblem {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
}

/** One field of a line: its trimmed text and the 1-based column it starts at (for the messages). */
export interface CsvField {
  text: string;
  col: number;
}

/**
 * The fields of one line of a plain CSV file, trimmed, each with the 1-based column it starts at.
 */
export function plainCsvFields(raw: string): CsvField[] {
  const fields: CsvField[] = [];
  let at = 0;
  for (const part of raw.split(',')) {
    const lead = part.length - part.trimStart().length;
    fields.push({ text: part.trim(), col: at + lead + 1 });
    at += part.length + 1;
  }
  return fields;
}

/**
 * The text of the CSV file `file`, or the problem to report at `yamlPath` (the scenario's `csv`
 * key) when it cannot be read: the common causes in words, any other with the system's message.
 * `what` names the file in that message ('orders', 'events').
 */
export function readCsvText(
  read: (path: string) => string,
  file: string,
  what: string,
  yamlPath: Problem['path'],
): { text: string } | { problem: Problem } {
  try {
    return { text: read(file) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
    return { problem: { path: yamlPath, message: `cannot read the ${what} file '${file}': ${why}` } };
  }
}

/** The columns a CSV file may have, those it must have, and how its messages list them. */
export interface CsvColumns {
  known: readonly string[];
  required: readonly string[];
  /** the words after "the columns are " in the unknown-column message */
  listed: string;
}

/**
 * The problems of a header line, at its line's columns: each unknown column, each column given
 * twice (at its second place), then each required column missing (at column 1). None: the header
 * is good.
 */
export function checkCsvHeader(fields: readonly CsvField[], columns: CsvColumns): Omit<CsvProblem, 'file' | 'line'>[] {
  const problems: Omit<CsvProblem, 'file' | 'line'>[] = [];
  const names = fields.map((f) => f.text);
  fields.forEach((f, i) => {
    if (!columns.known.includes(f.text)) problems.push({ col: f.col, path: f.text, message: `unknown column '${f.text}' (the columns are ${columns.listed})` });
    else if (names.indexOf(f.text) !== i) problems.push({ col: f.col, path: f.text, message: `column '${f.text}' given twice` });
  });
  for (const c of columns.required) if (!names.includes(c)) problems.push({ col: 1, path: c, message: `the header has no '${c}' column` });
  return problems;
}

/** One data line of a plain CSV file: its number, its fields, and the field of a named column (undefined when the header has no such column). */
export interface PlainCsvRow {
  line: number;
  fields: CsvField[];
  field(column: string): CsvField | undefined;
}

/** What a plain CSV file holds: its columns, how many rows it may have (`rowNoun` names them in that message), and what to say when it has no header line. */
export interface PlainCsvLayout {
  columns: CsvColumns;
  maxRows: number;
  rowNoun: string;
  noHeader: string;
}

/**
 * The data lines of a plain CSV file's text, after its header line. Blank lines and `#` comments
 * are skipped. Reported through `add`, each at its line and column: a quoted field (the line is
 * skipped), the header's problems (reading stops there, as after any problem before it), a line
 * whose field count is not the header's (skipped), more rows than `maxRows` once `taken()` (the
 * rows the reader kept) reaches it (reading stops), and a file with no header at all.
 */
export function* plainCsvRows(
  text: string,
  layout: PlainCsvLayout,
  taken: () => number,
  add: (line: number, col: number, path: string, message: string) => void,
): Generator<PlainCsvRow> {
  const lines = text.split(/\r?\n/);
  let header: string[] | null = null;
  let headerLine = 0;
  let problems = 0;
  const report = (line: number, col: number, path: string, message: string) => {
    problems++;
    add(line, col, path, message);
  };
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const line = n + 1;
    const fields = plainCsvFields(raw);
    const quoted = fields.find((f) => f.text.includes('"'));
    if (quoted) {
      report(line, quoted.col, '', 'quoted fields are not supported: write plain values separated by commas');
      continue;
    }
    if (!header) {
      header = fields.map((f) => f.text);
      headerLine = line;
      for (const p of checkCsvHeader(fields, layout.columns)) report(line, p.col, p.path, p.message);
      if (problems > 0) return;
      continue;
    }
    if (taken() >= layout.maxRows) {
      report(line, 1, '', `more than ${layout.maxRows.toLocaleString('en')} ${layout.rowNoun}`);
      return;
    }
    if (fields.length !== header.length) {
      report(line, 1, '', `${fields.length} fields, the header (line ${headerLine}) has ${header.length}`);
      continue;
    }
    const names = header;
    yield { line, fields, field: (c: string) => (names.includes(c) ? fields[names.indexOf(c)] : undefined) };
  }
  if (!header) report(1, 1, '', layout.noHeader);
}
