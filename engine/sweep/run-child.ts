/**
 * The process one sweep run lives in: exactly `roadtwin run SCENARIO --out DIR --seed N
 * --workers 1 --quiet --set …` (the same function the command calls), plus one thing the
 * command does not do: it ends when its parent does. A sweep or queue worker that is killed
 * must not leave its runs going on as orphans; the IPC channel closing is how it notices.
 *
 *   node dist/engine/sweep/run-child.js '{"scenario":…,"out":…,"seed":…,"overrides":[…]}'
 */
import { runRun } from '../cli/run.js';

interface ChildSpec {
  scenario: string;
  out: string;
  seed: number;
  overrides: string[];
}

const spec = JSON.parse(process.argv[2] ?? '{}') as ChildSpec;
const orphaned = () => process.exit(137);
process.on('disconnect', orphaned);
process.exitCode = await runRun(spec.scenario, { out: spec.out, seed: String(spec.seed), workers: '1', set: spec.overrides, quiet: true });
process.off('disconnect', orphaned);
if (process.connected) process.disconnect();
