/**
 * Writing a trips file (the format trips-csv.ts reads): `roadtwin import sumo` writes its trips
 * so when there are many, and the load benchmark its million. Rows are written as they come, in
 * blocks of about 1 MB, to a temporary name that is renamed into place once flushed: a reader sees
 * the whole file or none. Numbers are written as JavaScript prints them, which reads back to the
 * same double, so a trip has the same bits from the file as from YAML.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/** A trip as the YAML trips list holds it (the fields a trips file has columns for). */
export interface TripRow {
  id?: string;
  type: string;
  depart: number;
  from: string;
  to: string;
  via?: readonly string[];
  departSpeed?: number | 'max';
  departLane?: string | number;
  departPos?: string | number;
  arrivalPos?: string | number;
  stops?: readonly object[];
}

const COLUMNS = ['id', 'type', 'depart', 'from', 'to', 'via', 'departSpeed', 'departLane', 'departPos', 'arrivalPos', 'stops'] as const;

/** A field as the reader takes it: quoted when it holds a comma, a quote, leading or trailing space, or starts with # (a comment line). */
function field(v: string): string {
  return /[",\r\n]|^\s|\s$|^#/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Writes `rows` as a trips file at `path` (atomically) with the columns any row uses; returns the
 * number of rows. Edge ids with spaces cannot be listed in `via` (the reader splits it at spaces).
 */
export function writeTripsCsv(path: string, rows: Iterable<TripRow>, columns?: readonly (typeof COLUMNS)[number][]): number {
  const all = Array.isArray(rows) ? (rows as TripRow[]) : null;
  // the columns: given, or those any row uses (one pass over an array)
  const cols = columns ?? (all ? COLUMNS.filter((c) => c === 'type' || c === 'depart' || c === 'from' || c === 'to' || all.some((r) => r[c] !== undefined)) : COLUMNS);
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  let n = 0;
  try {
    let buf = `${cols.join(',')}\n`;
    for (const r of rows) {
      const cells = cols.map((c) => {
        const v = r[c];
        if (v === undefined) return '';
        if (c === 'via') return field((v as readonly string[]).join(' '));
        if (c === 'stops') return field(JSON.stringify(v));
        return field(String(v));
      });
      buf += `${cells.join(',')}\n`;
      n++;
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    writeSync(fd, buf);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  return n;
}
