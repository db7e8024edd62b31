/**
 * `roadtwin resume <runDir> [--workers N] [--quiet] [--no-report]`: continues a run that was started with
 * `--checkpoint-every` and stopped (Ctrl-C, a kill, a crash) from its newest intact checkpoint.
 * The files it had written are cut back to where the checkpoint says they went and continued, so
 * the finished directory is the one an uninterrupted run writes (same stateHash, same files apart
 * from timestamps and timing figures), whatever the worker counts before and after. The checks
 * and the run are the library's run session (engine/io/run/session.ts, plan.ts).
 */
import { scenarioFileNote } from '../io/run/plan.js';
import { driveSession } from './drive.js';
import { parseWorkers } from './run.js';
import { runReport } from './report.js';

export interface ResumeOptions {
  workers?: string;
  quiet?: boolean;
  /** false with --no-report: report.html is not rewritten at the end */
  report?: boolean;
}

export async function runResume(runDir: string, opts: ResumeOptions): Promise<number> {
  const workers = parseWorkers(opts.workers);
  if (typeof workers === 'string') {
    process.stderr.write(`roadtwin resume: ${workers}\n`);
    return 1;
  }
  return driveSession(
    { source: { resume: runDir }, workers },
    {
      command: 'roadtwin resume',
      quiet: opts.quiet,
      onStarted: (s) => {
        const note = scenarioFileNote(runDir);
        if (note) process.stderr.write(`${note}\n`);
        if (!opts.quiet) process.stdout.write(`resuming ${s.world.scenario.name} at ${s.world.time.toFixed(1)} s from checkpoints/${s.resumedFrom}\n`);
      },
      // a report the interrupted run wrote says "incomplete": the finished run's replaces it
      afterRun: opts.report === false ? undefined : (dir) => runReport(dir, { quiet: opts.quiet }, 'roadtwin resume'),
    },
  );
}
