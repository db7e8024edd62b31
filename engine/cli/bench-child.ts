/** One macro benchmark in its own process: `bench-child NAME [DURATION] [WORKERS]`, prints its result as one JSON line. */
import { macroScenarios, runMacro } from '../../bench/macro.js';

const [name, duration, workers] = process.argv.slice(2);
const spec = macroScenarios[name];
if (!spec) {
  process.stderr.write(`unknown benchmark '${name}'\n`);
  process.exit(1);
}
const d = duration !== undefined && duration !== '-' ? Number(duration) : undefined;
process.stdout.write(`${JSON.stringify(await runMacro(name, spec, d, workers !== undefined ? Number(workers) : 1))}\n`);
