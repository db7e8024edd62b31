/**
 * A run file of per-interval figures (edges.csv, junctions.csv: `begin,end,<key>,…`) indexed by
 * its key column and time, so that a click or a colouring asks "what did this edge measure in
 * the interval containing t" without scanning the file. Numbers stay strings until shown: an
 * empty cell (no vehicle, so no speed) is not a zero.
 */
import { parseCsv } from './csv.js';

export interface IntervalRow {
  begin: number;
  end: number;
  /** every column by name, as written */
  cells: Record<string, string>;
}

export class IntervalTable {
  readonly header: string[];
  private readonly byKey = new Map<string, IntervalRow[]>();
  /** the distinct interval starts, sorted */
  readonly begins: number[];

  /** `file` names the file in error messages; `key` is the column rows are grouped by. */
  constructor(
    readonly file: string,
    text: string,
    readonly key: string,
  ) {
    const t = parseCsv(text);
    this.header = t.header;
    const col = (name: string) => {
      const i = t.header.indexOf(name);
      if (i < 0) throw new Error(`${file}: line 1: no column ${name}`);
      return i;
    };
    const [cBegin, cEnd, cKey] = [col('begin'), col('end'), col(key)];
    const begins = new Set<number>();
    t.rows.forEach((r, k) => {
      const begin = Number(r[cBegin]);
      const end = Number(r[cEnd]);
      if (r[cBegin] === '' || !Number.isFinite(begin)) throw new Error(`${file}: line ${k + 2}: begin is not a number (${JSON.stringify(r[cBegin])})`);
      if (r[cEnd] === '' || !Number.isFinite(end) || end < begin) throw new Error(`${file}: line ${k + 2}: end is not a number at or after begin (${JSON.stringify(r[cEnd])})`);
      const cells: Record<string, string> = {};
      t.header.forEach((h, c) => (cells[h] = r[c] ?? ''));
      let list = this.byKey.get(r[cKey]);
      if (!list) this.byKey.set(r[cKey], (list = []));
      list.push({ begin, end, cells });
      begins.add(begin);
    });
    for (const list of this.byKey.values()) list.sort((a, b) => a.begin - b.begin);
    this.begins = [...begins].sort((a, b) => a - b);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /** The rows of `key` whose interval holds t (begin ≤ t < end; the last interval includes its end). */
  at(key: string, t: number): IntervalRow[] {
    const list = this.byKey.get(key) ?? [];
    return list.filter((r) => r.begin <= t && (t < r.end || (t === r.end && r === list[list.length - 1])));
  }

  /** The interval [begin, end) that holds t in this file, or null before the first or after the last. */
  intervalAt(t: number): { begin: number; end: number } | null {
    for (const list of this.byKey.values())
      for (const r of list) if (r.begin <= t && t < r.end) return { begin: r.begin, end: r.end };
    return null;
  }

  /** Every value of a numeric column in the file (empty cells left out), for a colour scale. */
  values(column: string): number[] {
    const out: number[] = [];
    for (const list of this.byKey.values())
      for (const r of list) {
        const v = r.cells[column];
        if (v !== undefined && v !== '' && Number.isFinite(Number(v))) out.push(Number(v));
      }
    return out;
  }
}
