/** `roadtwin validate <file> [--set path=value]…`: check a scenario without running it. */
import { loadScenario, ScenarioError } from '../io/scenario/index.js';

/** Prints `ok` (exit code 0) or every problem as `FILE:LINE:COL: path: message` (exit code 1). */
export function runValidate(file: string, overrides: readonly string[] = []): number {
  try {
    loadScenario(file, { overrides });
  } catch (err) {
    // only user mistakes are reported here; anything else is an engine bug and goes up
    if (!(err instanceof ScenarioError)) throw err;
    process.stderr.write(`${err.format()}\n`);
    return 1;
  }
  process.stdout.write('ok\n');
  return 0;
}
