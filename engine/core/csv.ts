/**
 * The one CSV codec of roadtwin: every CSV file the engine writes (run directories, sweeps) goes
 * through `csvCell`, and every reader of those files (compare, the report, the viewer) through
 * `parseCsv`, so that what is written is read back as it was.
 *
 * - Quoting as RFC 4180 says: a cell holding a comma, a double quote, CR or LF is quoted and its
 *   quotes doubled. Lines end with LF (RFC 4180 asks for CRLF; every reader we know accepts LF,
 *   and the files stay byte-identical to what earlier versions wrote).
 * - Spreadsheet formula injection (OWASP, "CSV Injection"): a text cell that begins with `=`, `+`,
 *   `-`, `@`, TAB or CR is a formula to Excel, LibreOffice and Google Sheets. Such a cell is written
 *   with a leading apostrophe, which those tools show as text. A text cell that already begins
 *   with an apostrophe gets a second one, so the rule is reversible and `parseCsv` undoes it
 *   exactly. Numbers (and text that is a plain decimal number, such as SUMO's edge id `-12`) are
 *   left alone: a spreadsheet reads them as the number they are.
 * - Terminal injection: control characters (C0 but TAB, CR and LF; DEL; C1) in text are written as
 *   U+FFFD. Ids cannot hold them (engine/spec/ids.ts); free text (a name, a reason) might.
 */

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r']/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** A text cell made safe for spreadsheets and terminals (before quoting). */
export function neutraliseText(text: string): string {
  const clean = text.replace(CONTROL, '\uFFFD');
  return FORMULA_START.test(clean) && !PLAIN_NUMBER.test(clean) ? `'${clean}` : clean;
}

/**
 * One cell: numbers as `String(n)` (non-finite as empty), null and undefined as empty, booleans
 * as `true`/`false`, text neutralised and quoted when it needs it. The caller rounds numbers.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  const text = neutraliseText(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, with its line end. */
export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) out += (i > 0 ? ',' : '') + csvCell(cells[i]);
  return `${out}\n`;
}

export interface CsvTable {
  header: string[];
  rows: string[][];
  /** the 1-based line each row starts on (a quoted cell may span lines) */
  lines: number[];
}

/** A malformed file: what and where (1-based line). */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly why: string,
  ) {
    super(`line ${line}: ${why}`);
  }
}

/** Undoes `neutraliseText`'s apostrophe: a cell written as `'=x` reads as `=x`, `''x` as `'x`. */
export function restoreText(cell: string): string {
  if (cell.length < 2 || cell[0] !== "'") return cell;
  return FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

function restore(cell: string, raw: boolean): string {
  return raw ? cell : restoreText(cell);
}

/**
 * Parses RFC 4180 text (LF or CRLF line ends, quoted cells spanning lines, doubled quotes).
 * Empty lines are skipped. `raw: true` keeps cells as written (no apostrophe restored), for
 * files that did not come from `csvCell`. Throws `CsvSyntaxError` on a quote that never closes or
 * text after a closing quote.
 */
export function parseCsv(text: string, opts: { raw?: boolean } = {}): CsvTable {
  const raw = opts.raw === true;
  const records: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 0;
  let lineHasContent = false;
  const endCell = () => {
    cells.push(restore(cell, raw));
    cell = '';
  };
  const endRecord = () => {
    if (lineHasContent || cells.length > 0) {
      endCell();
      records.push({ cells, line: recordLine });
    }
    cells = [];
    cell = '';
    lineHasContent = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
          const next = text[i + 1];
          if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new CsvSyntaxError(line, 'text after a closing quote');
        }
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (cell.length > 0) throw new CsvSyntaxError(line, 'a quote inside an unquoted cell');
      quoted = true;
      quoteLine = line;
      lineHasContent = true;
    } else if (ch === ',') {
      lineHasContent = true;
      endCell();
    } else if (ch === '\r' && text[i + 1] === '\n') {
      // CRLF: the LF ends the record
    } else if (ch === '\n') {
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += ch;
      lineHasContent = true;
    }
  }
  if (quoted) throw new CsvSyntaxError(quoteLine, 'a quoted cell that never closes');
  endRecord();
  if (records.length === 0) return { header: [], rows: [], lines: [] };
  return { header: records[0].cells, rows: records.slice(1).map((r) => r.cells), lines: records.slice(1).map((r) => r.line) };
}
