/**
 * `roadtwin report`'s library side: reads a run directory, checks it, and writes one
 * self-contained report.html (docs/run-directory.md, report.html). Nothing is written unless
 * every file read well: bad input is a ReportInputError with the one line to print.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ENGINE_VERSION } from '../../core/version.js';
import { writeFileAtomic } from '../run/atomic.js';
import { ReportInputError } from './csv.js';
import { reportHtml, type Assets } from './html.js';
import { readRun } from './read-run.js';

export { ReportInputError } from './csv.js';
export { readRun, type RunData } from './read-run.js';
export { reportHtml } from './html.js';

let assets: Assets | null = null;

/** uPlot's script and style from node_modules (a dependency of roadtwin), read once. */
export function reportAssets(): Assets {
  if (!assets) {
    const req = createRequire(import.meta.url);
    assets = {
      uplotJs: readFileSync(req.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      uplotCss: readFileSync(req.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
      version: ENGINE_VERSION,
    };
  }
  return assets;
}

/** Writes the report of the run directory `dir` to `out` (default DIR/report.html); returns the file and its size. */
export function writeReport(dir: string, out = join(dir, 'report.html')): { file: string; bytes: number } {
  const html = reportHtml(readRun(dir), reportAssets());
  const bytes = Buffer.byteLength(html);
  try {
    writeFileAtomic(out, html);
  } catch (err) {
    throw new ReportInputError(`${out}: cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return { file: out, bytes };
}
