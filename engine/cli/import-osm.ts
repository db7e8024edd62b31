/**
 * `roadtwin import osm FILE --out scenario.yaml [--bbox …] [--types …] [--demand random:RATE]
 * [--rsus signals]`: an OpenStreetMap extract (.osm, .osm.gz, .osm.bz2, .osm.pbf) as a scenario.
 * As with `import sumo`, the result is validated before it is written, atomically: a failed
 * import leaves nothing behind; bad input is one line naming the file, exit code 1.
 */
import { basename, dirname, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { importOsm } from '../io/osm/import.js';
import { OsmImportError } from '../io/osm/errors.js';
import { DEFAULT_TYPES, HIGHWAY_CLASSES } from '../io/osm/tags.js';
import { scenarioYaml } from '../io/sumo/yaml.js';
import { parseScenario, ScenarioError } from '../io/scenario/index.js';
import { writeFileAtomic } from '../io/run/atomic.js';
import { ENGINE_VERSION } from '../core/version.js';

export interface ImportOsmCliOptions {
  out: string;
  bbox?: string;
  types?: string;
  demand?: string;
  rsus?: string;
  name?: string;
  duration?: string;
  seed?: string;
  quiet?: boolean;
}

const fail = (msg: string): number => {
  process.stderr.write(`roadtwin import: ${msg}\n`);
  return 1;
};

export async function runImportOsm(file: string, opts: ImportOsmCliOptions): Promise<number> {
  let bbox: [number, number, number, number] | undefined;
  if (opts.bbox !== undefined) {
    const v = opts.bbox.split(',').map(Number);
    if (v.length !== 4 || v.some((x) => !Number.isFinite(x)) || v[0] >= v[2] || v[1] >= v[3] || v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90)
      return fail(`--bbox: expected minLon,minLat,maxLon,maxLat (degrees, min below max), got '${opts.bbox}'`);
    bbox = v as [number, number, number, number];
  }
  const types = opts.types !== undefined ? opts.types.split(',').map((s) => s.trim()) : DEFAULT_TYPES;
  const unknown = types.filter((t) => !HIGHWAY_CLASSES[t]);
  if (unknown.length > 0 || types.length === 0) return fail(`--types: unknown highway class '${unknown[0] ?? ''}' (known: ${Object.keys(HIGHWAY_CLASSES).join(', ')})`);
  let randomRate: number | undefined;
  let tripFile: string | undefined;
  if (opts.demand !== undefined) {
    const m = /^random:([0-9]+(?:\.[0-9]+)?)$/.exec(opts.demand);
    if (m && Number(m[1]) > 0) randomRate = Number(m[1]);
    else if (opts.demand.startsWith('random:')) return fail(`--demand: expected random:RATE (trips per hour, above 0), got '${opts.demand}'`);
    else tripFile = opts.demand;
  }
  if (opts.rsus !== undefined && opts.rsus !== 'signals') return fail(`--rsus: the one choice is 'signals' (an RSU at every signalised junction), got '${opts.rsus}'`);
  const name = opts.name ?? (basename(file).replace(/\..*$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'osm');
  if (!/^[a-z0-9-]+$/.test(name)) return fail(`--name: must be lower-case letters, digits and dashes (a-z, 0-9, -), got '${name}'`);
  const duration = opts.duration !== undefined ? Number(opts.duration) : 3600;
  if (!Number.isFinite(duration) || duration <= 0) return fail(`--duration: expected a number of seconds above 0, got '${opts.duration}'`);
  const seed = opts.seed !== undefined ? Number(opts.seed) : 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) return fail(`--seed: expected a whole number from 0 to 4294967295, got '${opts.seed}'`);
  const outDir = dirname(resolve(opts.out));
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) return fail(`--out: the directory ${outDir} does not exist`);

  let imported;
  try {
    imported = await importOsm({ file, bbox, types, name, duration, seed, randomRate, tripFile, rsusAtSignals: opts.rsus === 'signals' });
  } catch (err) {
    if (err instanceof OsmImportError) return fail(err.message);
    throw err;
  }
  const { scenario, warnings, counts } = imported;
  const header = [
    `${name}: imported from OpenStreetMap by roadtwin ${ENGINE_VERSION} (roadtwin import osm)`,
    `  file: ${file}`,
    '  map data © OpenStreetMap contributors, under the Open Database Licence (ODbL)',
    `${warnings.list().length === 0 ? 'no warnings' : `warnings (${warnings.total}):`}`,
    ...warnings.lines().map((l) => `  - ${l}`),
  ];
  const text = scenarioYaml(scenario, header);
  try {
    parseScenario(text, opts.out);
  } catch (err) {
    if (err instanceof ScenarioError) {
      const lines = err.format().split('\n');
      return fail(`the converted scenario does not validate (nothing written):\n${lines.slice(0, 20).join('\n')}`);
    }
    throw err;
  }
  writeFileAtomic(opts.out, text);
  if (!opts.quiet) {
    for (const line of warnings.lines()) process.stderr.write(`warning: ${line}\n`);
    process.stdout.write(
      `${opts.out}: ${counts.nodes} junctions (${counts.signals} signalised), ${counts.edges} edges, ${counts.laneKm.toFixed(1)} lane-km, ` +
        `${counts.connections} connections from turn:lanes, ${counts.trips} trips; ${warnings.total} warning(s)\n`,
    );
  }
  return 0;
}
