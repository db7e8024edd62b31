/** One macro benchmark in its own process: prints its result as one JSON line. */
import { macroScenarios, runMacro } from '../../bench/macro.js';

const [name, duration] = process.argv.slice(2);
const file = macroScenarios[name];
if (!file) {
  process.stderr.write(`unknown benchmark '${name}'\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify(runMacro(name, file, duration !== undefined ? Number(duration) : undefined))}\n`);
