/**
 * `roadtwin import sumo (--config FILE.sumocfg | --net FILE.net.xml [--routes FILE.rou.xml]…
 * [--additional FILE.add.xml]…) --out scenario.yaml [--name NAME] [--duration S]`: converts a
 * SUMO scenario — its network, demand and additional files — into a roadtwin scenario.
 *
 * The written file is validated exactly as `roadtwin validate` would before it is put in place,
 * and written atomically: a failed import leaves nothing behind. Problems with the inputs
 * (missing file, malformed XML) are one line naming the file, exit code 1.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { importSumo } from '../io/sumo/import.js';
import { SumoImportError } from '../io/sumo/xml.js';
import { scenarioYaml } from '../io/sumo/yaml.js';
import { parseScenario, ScenarioError } from '../io/scenario/index.js';
import { writeFileAtomic } from '../io/run/atomic.js';
import { writeTripsCsv } from '../io/scenario/trips-csv-write.js';
import type { TripOut } from '../io/sumo/convert-demand.js';
import { ENGINE_VERSION } from '../core/version.js';

export interface ImportCliOptions {
  config?: string;
  net?: string;
  routes?: string[];
  additional?: string[];
  out: string;
  name?: string;
  duration?: string;
  /** auto (default: a trips file when there are more than TRIPS_FILE_THRESHOLD trips), always, never */
  tripsFile?: string;
  quiet?: boolean;
}

/** More trips than this go to a trips file beside the YAML (with --trips-file auto). */
export const TRIPS_FILE_THRESHOLD = 1000;

/** The trips file of a scenario written to `out`: grid.yaml → grid.trips.csv, beside it. */
export function tripsFileFor(out: string): string {
  return join(dirname(out), `${basename(out).replace(/\.ya?ml$/i, '')}.trips.csv`);
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
  const when = opts.tripsFile ?? 'auto';
  if (!['auto', 'always', 'never'].includes(when)) return fail(`--trips-file: expected auto, always or never, got '${when}'`);
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
  // many trips go to a trips file beside the YAML: YAML takes ~100 times a file's bytes to parse
  const at = scenario.demand.findIndex((d) => 'trips' in d);
  const trips = at >= 0 ? (scenario.demand[at] as { trips: TripOut[] }).trips : [];
  const csv = trips.length > 0 && (when === 'always' || (when === 'auto' && trips.length > TRIPS_FILE_THRESHOLD)) ? tripsFileFor(opts.out) : undefined;
  // written under a name of its own until the scenario validates (a failed import leaves nothing)
  const csvTmp = csv !== undefined ? `${csv}.import-${process.pid}` : undefined;
  const withFile = (name: string) => ({ ...scenario, demand: scenario.demand.map((d, i) => (i === at ? { tripsFile: name } : d)) });
  if (csvTmp !== undefined) writeTripsCsv(csvTmp, trips);
  const text = scenarioYaml(csv !== undefined ? withFile(basename(csv)) : scenario, header);
  try {
    // the scenario must load as it will be run; a problem here is an importer bug, reported as such
    parseScenario(csvTmp !== undefined ? scenarioYaml(withFile(basename(csvTmp)), header) : text, opts.out);
  } catch (err) {
    if (csvTmp !== undefined) rmSync(csvTmp, { force: true });
    if (err instanceof ScenarioError) {
      // one problem often repeats on every trip; the first few say what it is
      const lines = err.format().split('\n');
      const shown = lines.slice(0, MAX_PROBLEMS).join('\n');
      const more = lines.length > MAX_PROBLEMS ? `\n… and ${lines.length - MAX_PROBLEMS} more` : '';
      return fail(`the converted scenario does not validate (nothing written):\n${shown}${more}`);
    }
    throw err;
  }
  if (csv !== undefined) renameSync(csvTmp!, csv);
  writeFileAtomic(opts.out, text);
  if (!opts.quiet) {
    if (csv !== undefined) process.stdout.write(`${csv}: ${trips.length} trips (the scenario's demand.${at}.tripsFile)\n`);
    for (const line of warnings.lines()) process.stderr.write(`warning: ${line}\n`);
    process.stdout.write(
      `${opts.out}: ${counts.nodes} nodes, ${counts.edges} edges, ${counts.lanes} lanes, ${counts.connections} connections, ` +
        `${counts.signals} signals, ${counts.vehicleTypes} vehicle type(s), ${counts.trips} trips, ${counts.flows} flows, ${counts.detectors} detectors; ` +
        `${warnings.total} warning(s)\n`,
    );
  }
  return 0;
}
