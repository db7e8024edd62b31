/**
 * A run session's ending as the command line reports it: the exit code and the lines for stderr.
 * In the library rather than in engine/cli because the sweep's child runs (engine/sweep, below
 * the command line) must say and exit exactly what `roadtwin run` does: the sweep reads the
 * last line of a failed run's stderr into its own message.
 *
 *   0 complete · 130 interrupted by Ctrl-C (SIGINT), 143 by SIGTERM (128 + the signal's number,
 *   as shells report it) · 2 a worker fault · 1 a write error or a refusal
 */
import { relative } from 'node:path';
import type { SessionRefusal } from './plan.js';
import type { SessionResult } from './session.js';

const EXIT: Record<Exclude<SessionResult['status'], 'interrupted'>, number> = { complete: 0, fault: 2, 'output-error': 1 };

export function exitCodeOf(ending: SessionResult | SessionRefusal): number {
  if ('refused' in ending) return ending.done ? 0 : 1;
  if (ending.status === 'interrupted') return ending.by === 'SIGTERM' ? 143 : 130;
  return EXIT[ending.status];
}

/** A refusal's text: scenario problems as they are, anything else after the command's name (`roadtwin run`). */
export function refusalText(command: string, r: SessionRefusal): string {
  return r.located ? `${r.message}\n` : `${command}: ${r.message}\n`;
}

/** What a fault or a write error prints (null for a run that finished its directory); paths relative to `cwd`. */
export function failureText(result: SessionResult, dir: string, cwd = process.cwd()): string | null {
  const rel = relative(cwd, dir) || '.';
  if (result.status === 'fault') return `roadtwin run: ${result.message}\n  the run directory ${rel} was written up to tick ${result.ticksDone} and marked complete: false\n`;
  if (result.status !== 'output-error') return null;
  return (
    `roadtwin: cannot write the run directory (${result.message}); stopped at ${result.time.toFixed(1)} s.\n` +
    `  ${result.manifestWritten ? `${rel} holds complete files up to there and a manifest saying complete: false` : `the files in ${rel} end at complete records; no manifest could be written`}\n`
  );
}
