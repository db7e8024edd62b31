/**
 * `roadtwin import sumo (--config FILE.sumocfg | --net FILE.net.xml [--routes FILE.rou.xml]…
 * [--additional FILE.add.xml]…) --out scenario.yaml [--name NAME] [--duration S]`: converts a
 * SUMO scenario — its network, demand and additional files — into a roadtwin scenario.
 *
 * The written file is validated exactly as `roadtwin validate` would before it is put in place,
 * and written atomically: a failed import leaves nothing behind. Problems with the inputs
 * (missing file, malformed XML) are one line naming the file, exit code 1.
 */
import { dirname, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { importSumo } from '../io/sumo/import.js';
import { SumoImportError } from '../io/sumo/xml.js';
import { scenarioYaml } from '../io/sumo/yaml.js';
import { parseScenario, ScenarioError } from '../io/scenario/index.js';
import { writeFileAtomic } from '../io/run/atomic.js';
import { ENGINE_VERSION } from '../core/version.js';

export interface ImportCliOptions {
  config?: string;
  net?: string;
  routes?: string[];
  additional?: string[];
  out: string;
  name?: string;
  duration?: string;
  quiet?: boolean;
}

/** Validation problems printed when an import does not validate. */
const MAX_PROBLEMS = 20;

const fail = (msg: string): number => {
  process.stderr.write(`roadtwin import: ${msg}\n`);
  return 1;
};

export function runImportSumo(opts: ImportCliOptions): number {
  if (opts.name !== undefined && !/^[a-z0-9-]+$/.test(opts.name))
    return fail(`--name: must be lower-case letters, digits and dashes (a-z, 0-9, -), got '${opts.name}'`);
  let duration: number | undefined;
  if (opts.duration !== undefined) {
    duration = Number(opts.duration);
    if (!Number.isFinite(duration) || duration <= 0) return fail(`--duration: expected a number of seconds above 0, got '${opts.duration}'`);
  }
  const routes = opts.routes ?? [];
  const additional = opts.additional ?? [];
  if ((opts.config === undefined) === (opts.net === undefined)) return fail('give either --config FILE.sumocfg or --net FILE.net.xml');
  if (opts.config !== undefined && (routes.length > 0 || additional.length > 0))
    return fail('--routes and --additional go with --net; a --config names its own files');
  const outDir = dirname(resolve(opts.out));
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) return fail(`--out: the directory ${outDir} does not exist`);

  let imported;
  try {
    imported = importSumo({ config: opts.config, net: opts.net, routes, additional, name: opts.name, duration });
  } catch (err) {
    if (err instanceof SumoImportError) return fail(err.message);
    throw err;
  }
  const { scenario, warnings, counts, sources } = imported;
  const header = [
    `${scenario.name}: imported from SUMO by roadtwin ${ENGINE_VERSION} (roadtwin import sumo)`,
    ...(sources.config !== undefined ? [`  config: ${sources.config}`] : []),
    `  net: ${sources.net}`,
    ...sources.additional.map((r) => `  additional: ${r}`),
    ...sources.routes.map((r) => `  routes: ${r}`),
    `${warnings.list().length === 0 ? 'no warnings' : `warnings (${warnings.total}):`}`,
    ...warnings.lines().map((l) => `  - ${l}`),
  ];
  const text = scenarioYaml(scenario, header);
  try {
    // the scenario must load as it will be run; a problem here is an importer bug, reported as such
    parseScenario(text, opts.out);
  } catch (err) {
    if (err instanceof ScenarioError) {
      // one problem often repeats on every trip; the first few say what it is
      const lines = err.format().split('\n');
      const shown = lines.slice(0, MAX_PROBLEMS).join('\n');
      const more = lines.length > MAX_PROBLEMS ? `\n… and ${lines.length - MAX_PROBLEMS} more` : '';
      return fail(`the converted scenario does not validate (nothing written):\n${shown}${more}`);
    }
    throw err;
  }
  writeFileAtomic(opts.out, text);
  if (!opts.quiet) {
    for (const line of warnings.lines()) process.stderr.write(`warning: ${line}\n`);
    process.stdout.write(
      `${opts.out}: ${counts.nodes} nodes, ${counts.edges} edges, ${counts.lanes} lanes, ${counts.connections} connections, ` +
        `${counts.signals} signals, ${counts.vehicleTypes} vehicle type(s), ${counts.trips} trips, ${counts.flows} flows, ${counts.detectors} detectors; ` +
        `${warnings.total} warning(s)\n`,
    );
  }
  return 0;
}
