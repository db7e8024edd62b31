/**
 * The one CSV codec of roadtwin: every CSV file the engine writes (run directories, sweeps) goes
 * through `csvCell`, and every reader of those files (compare, the report, the viewer) through
 * `csvRecords` (`parseCsv` for a whole table), so that what is written is read back as it was.
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

/** What is wrong with a malformed file (the last two only when it is read strictly). */
export type CsvFaultKind = 'unclosed quote' | 'text after quote' | 'quote in cell' | 'carriage return' | 'empty line';

/** `parseCsv`'s words for each fault. */
const FAULT_WORDS: Record<CsvFaultKind, string> = {
  'unclosed quote': 'a quoted cell that never closes',
  'text after quote': 'text after a closing quote',
  'quote in cell': 'a quote inside an unquoted cell',
  'carriage return': 'a carriage return inside a cell',
  'empty line': 'an empty line',
};

/**
 * A malformed record as `csvRecords` finds it: what, its 1-based line and the 1-based number of
 * the cell in its record, for each reader to word as it reports its input.
 */
export interface CsvFault {
  line: number;
  kind: CsvFaultKind;
  cell: number;
}

/** A malformed file, as `parseCsv` reports it: what and where (1-based line). */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly why: string,
  ) {
    super(`line ${line}: ${why}`);
  }
}

/**
 * The records of RFC 4180 text, as written (no apostrophe restored), each with the 1-based line
 * it starts on: LF or CRLF line ends, quoted cells spanning lines, doubled quotes. A record is
 * handed over as soon as it is read, so that a large file is aggregated without its records
 * being held. A malformed record throws what `refuse` makes of its fault, so that each reader
 * words it as it reports input: a quote that never closes (at its record's first line when
 * strict, at the quote otherwise), text after a closing quote, a quote inside an unquoted cell.
 *
 * `strict` is how the report reads the run files, which only `csvCell` wrote, so that damage is
 * refused rather than read past: a lone CR is a fault, and so is an empty line (a record of one
 * empty cell, quoted or not) unless only blank text follows it, where the file ends; a byte-order
 * mark (a spreadsheet's save) is skipped. Lenient (`parseCsv`, the viewer): a lone CR is text in
 * its cell and empty lines are skipped (a quoted empty cell is not an empty line).
 */
export function* csvRecords(text: string, opts: { strict: boolean; refuse: (fault: CsvFault) => Error }): Generator<{ cells: string[]; line: number }> {
  const n = text.length;
  const strict = opts.strict;
  const fault = (line: number, kind: CsvFaultKind, cell: number) => opts.refuse({ line, kind, cell });
  let i = strict && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const loneCrAt = (j: number) => text[j] === '\r' && text[j + 1] !== '\n';
  const cellEndAt = (j: number) => text[j] === ',' || text[j] === '\n' || (text[j] === '\r' && !loneCrAt(j));
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let quoted = false;
    for (;;) {
      const k = cells.length + 1;
      let cell = '';
      quoted = text[i] === '"';
      if (quoted) {
        const open = line;
        i++;
        for (;;) {
          if (i >= n) throw fault(strict ? start : open, 'unclosed quote', k);
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          cell += c;
          i++;
        }
        // a closing quote ends its cell; but for the lenient reader a lone CR after it is text
        // the cell reads on with (as an unquoted cell holds it)
        if (i < n && !cellEndAt(i) && !(loneCrAt(i) && !strict)) throw fault(line, 'text after quote', k);
      }
      if (!quoted || loneCrAt(i)) {
        // (the hot loop of a large file: char codes, no calls)
        let j = i;
        for (; j < n; j++) {
          const c = text.charCodeAt(j);
          if (c === 44 /* , */ || c === 10 /* LF */ || (c === 13 /* CR */ && (strict || text.charCodeAt(j + 1) === 10))) break;
        }
        if (strict && j < n && text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) !== 10) throw fault(line, 'carriage return', k);
        const part = text.slice(i, j);
        if (part.includes('"')) throw fault(line, 'quote in cell', k);
        cell = quoted ? cell + part : part;
        i = j;
      }
      cells.push(cell);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    const empty = cells.length === 1 && cells[0] === '';
    if (empty && strict) {
      if (text.slice(i).trim() === '') return;
      throw fault(line, 'empty line', 1);
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') {
      i++;
      line++;
    }
    if (!(empty && !quoted)) yield { cells, line: start };
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
 * Parses RFC 4180 text, leniently (`csvRecords`): the first record is the header. Empty lines are
 * skipped. `raw: true` keeps cells as written (no apostrophe restored), for files that did not
 * come from `csvCell`. Throws `CsvSyntaxError` on a quote that never closes, text after a closing
 * quote or a quote inside an unquoted cell.
 */
export function parseCsv(text: string, opts: { raw?: boolean } = {}): CsvTable {
  const raw = opts.raw === true;
  const records = [...csvRecords(text, { strict: false, refuse: (f) => new CsvSyntaxError(f.line, FAULT_WORDS[f.kind]) })];
  if (records.length === 0) return { header: [], rows: [], lines: [] };
  const cells = (r: { cells: string[] }) => r.cells.map((c) => restore(c, raw));
  return { header: cells(records[0]), rows: records.slice(1).map(cells), lines: records.slice(1).map((r) => r.line) };
}
