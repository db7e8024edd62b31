/**
 * The terminal side of a run session, shared by `roadtwin run` and `roadtwin resume`: the
 * progress bar, the notices and messages on stderr, the summary on stdout and the exit code.
 * The run itself (set-up, loop, checkpoints, live viewer, failures) is the library's
 * (engine/io/run/session.ts); this only shows it.
 */
import { RunSession, type RunSessionOptions } from '../io/run/session.js';
import { exitCodeOf, failureText, refusalText } from '../io/run/report.js';
import { progressBar } from './progress.js';
import { printSummary } from './summary.js';
import { isAbsolute, relative } from 'node:path';

export interface DriveOptions {
  /** `roadtwin run` or `roadtwin resume`: the prefix of its messages */
  command: string;
  quiet?: boolean;
  /** once the session is set up, before its first tick */
  onStarted?: (session: RunSession) => void;
  /** once the run directory is finished (complete or interrupted), before a live viewer serves it; a non-zero code is the command's */
  afterRun?: (dir: string) => number;
}

export async function driveSession(options: Omit<RunSessionOptions, 'onProgress' | 'onNotice' | 'stopOnSigint'>, d: DriveOptions): Promise<number> {
  const bar = progressBar(d.quiet);
  // Ctrl-C from here on stops at the next tick boundary (or right after set-up) with a written run directory
  const session = await RunSession.start({
    ...options,
    stopOnSigint: true,
    onProgress: bar ? (p) => bar.update(p) : undefined,
    onNotice: (text) => process.stderr.write(`${d.command}: ${text}\n`),
  });
  if ('refused' in session) {
    if (session.done) process.stdout.write(`${d.command}: ${session.message}\n`);
    else process.stderr.write(refusalText(d.command, session));
    return exitCodeOf(session);
  }
  try {
    d.onStarted?.(session);
    let result;
    try {
      result = await session.run();
    } finally {
      bar?.stop();
    }
    if (result.status === 'fault' || result.status === 'output-error') {
      process.stderr.write(failureText(result, session.dir!)!);
      return exitCodeOf(result);
    }
    const complete = result.status === 'complete';
    if (!d.quiet) printSummary(session.world.scenario.name, session.dir!, session.world, result.metrics!, complete);
    // quiet: the directory alone, one line, for scripts (DIR=$(roadtwin run … --quiet))
    else process.stdout.write(`${shownPath(session.dir!)}\n`);
    const after = d.afterRun?.(session.dir!) ?? 0;
    await session.serveUntilStopped();
    return exitCodeOf(result) || after;
  } finally {
    await session.close();
  }
}

/** A path as the user would type it here: relative to the working directory when inside it, else absolute. */
export function shownPath(dir: string, cwd = process.cwd()): string {
  const rel = relative(cwd, dir);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? dir : rel;
}
