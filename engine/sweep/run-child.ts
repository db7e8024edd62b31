/**
 * The process one sweep run lives in: the run session of `roadtwin run SCENARIO --out DIR --seed N
 * --workers 1 --quiet --set …` (engine/io/run/session.ts, the same set-up, loop, files, messages
 * and exit codes as the command), plus one thing the command does not do: it ends when its parent
 * does. A sweep or queue worker that is killed must not leave its runs going on as orphans; the
 * IPC channel closing is how it notices. Its parent's SIGINT (an aborted sweep) stops the run at a
 * tick boundary, exit 130, as Ctrl-C stops the command.
 *
 *   node dist/engine/sweep/run-child.js '{"scenario":…,"out":…,"seed":…,"overrides":[…]}'
 */
import { RunSession } from '../io/run/session.js';
import { exitCodeOf, failureText, refusalText } from '../io/run/report.js';

interface ChildSpec {
  scenario: string;
  out: string;
  seed: number;
  overrides: string[];
}

/** One run to its end: the exit code of `roadtwin run`, its messages on stderr (the sweep reports the last line). */
async function runChild(spec: ChildSpec): Promise<number> {
  // the order `roadtwin run --set … --seed N` puts them in: the seed last
  const overrides = [...spec.overrides, `seed=${spec.seed}`];
  // the manifest records the equivalent command (without --out: the sweep writes to a temporary
  // directory and renames it), so that the run directory says how to repeat it alone
  const command = ['roadtwin', 'run', spec.scenario, '--workers', '1', '--quiet', ...spec.overrides.flatMap((o) => ['--set', o]), '--seed', String(spec.seed)];
  const session = await RunSession.start({ source: { scenarioFile: spec.scenario, overrides, out: spec.out, command }, workers: 1, stopOnSigint: true });
  if ('refused' in session) {
    process.stderr.write(refusalText('roadtwin run', session));
    return exitCodeOf(session);
  }
  try {
    const result = await session.run();
    const failure = failureText(result, session.dir!);
    if (failure !== null) process.stderr.write(failure);
    return exitCodeOf(result);
  } finally {
    await session.close();
  }
}

const spec = JSON.parse(process.argv[2] ?? '{}') as ChildSpec;
const orphaned = () => process.exit(137);
process.on('disconnect', orphaned);
process.exitCode = await runChild(spec);
process.off('disconnect', orphaned);
if (process.connected) process.disconnect();
