/**
 * `roadtwin report RUN_DIR [--out FILE]`: writes one self-contained report.html of a run
 * directory (engine/io/report). Bad input is one line naming the file (and line), exit 1, and
 * nothing written.
 */
import { relative, resolve } from 'node:path';
import { ReportInputError, writeReport } from '../io/report/index.js';

export interface ReportOptions {
  out?: string;
  quiet?: boolean;
}

/** Writes the report; returns the exit code (0, or 1 with the problem on stderr). */
export function runReport(dir: string, opts: ReportOptions = {}, command = 'roadtwin report'): number {
  try {
    const { file, bytes } = writeReport(dir, opts.out);
    const rel = relative(process.cwd(), file);
    if (!opts.quiet) process.stdout.write(`${command}: wrote ${rel.startsWith('..') ? resolve(file) : rel} (${(bytes / 1024).toFixed(0)} kB)\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof ReportInputError)) throw err;
    process.stderr.write(`${command}: ${err.message}\n`);
    return 1;
  }
}
