/**
 * The plain CSV files a scenario names (the orders and events files: values separated by commas,
 * no quoting, a header line naming the columns). What their readers share: reading the file, the
 * fields of a line, the header check, and the problem located at file:line:column. Each reader
 * keeps its own rows' meaning.
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
