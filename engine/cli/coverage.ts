/**
 * `roadtwin coverage <scenario>`: what the scenario's perception platform sees before anything
 * runs (engine/perception/coverage.ts): the share of lane-km and of the district the cameras see,
 * the share a drone is over within `--minutes` of take-off from some dock, the blind spots, and
 * greedy suggestions of where the next cameras and docks add the most. The planner's question
 * "how many docks to see the district within 5 minutes?" is then answered with `--docks N`.
 */
import { loadScenario, ScenarioError } from '../io/scenario/index.js';
import { writeFileAtomic } from '../io/run/atomic.js';
import { World } from '../sim/world.js';
import { coverage, patrolSummaries } from '../perception/index.js';

export interface CoverageOptions {
  set: string[];
  minutes: string;
  cameras: string;
  docks: string;
  out?: string;
}

export function runCoverage(file: string, opts: CoverageOptions): number {
  const minutes = Number(opts.minutes);
  if (!(minutes > 0 && minutes <= 120)) return fail(`--minutes must be a number of minutes in (0, 120], not '${opts.minutes}'`);
  const cams = Number(opts.cameras);
  const docks = Number(opts.docks);
  for (const [name, v, raw] of [['--cameras', cams, opts.cameras], ['--docks', docks, opts.docks]] as const)
    if (!(Number.isInteger(v) && v >= 0 && v <= 100)) return fail(`${name} must be a whole number from 0 to 100, not '${raw}'`);
  let world: World;
  try {
    world = new World(loadScenario(file, { overrides: opts.set }).scenario);
  } catch (err) {
    if (err instanceof ScenarioError) {
      process.stderr.write(`${err.format()}\n`);
      return 1;
    }
    throw err;
  }
  const p = world.perception;
  if (!p) return fail(`${file} has no perception platform: coverage needs its \`events:\` block (cameras, docks; docs/perception.md)`);
  const c = { ...coverage(world.net, p.cameras, p.fleet, minutes, cams, docks), patrols: patrolSummaries(p.fleet.docks.map((d) => d.id), p.patrolRoutes) };
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const lines = [
    `${file}: ${p.cameras.length} cameras, ${p.fleet.docks.length} docks`,
    `lane-km seen by cameras   ${c.laneKmSeen.toFixed(2)} of ${c.laneKm.toFixed(2)} km (${pct(c.laneShareSeen)})`,
    `area seen by cameras      ${pct(c.areaShareSeen)} of ${c.areaKm2.toFixed(2)} km² (${c.blindSpots.length} blind strips)`,
    `area a drone is over      ${pct(c.areaShareDroneReach)} within ${minutes} min of take-off`,
    ...c.suggestedCameras.map((s, k) => `next camera ${k + 1}           (${s.x}, ${s.y}) adds ${s.addsLaneKm.toFixed(2)} lane-km`),
    ...c.suggestedDocks.map((s, k) => `next dock ${k + 1}             (${s.x}, ${s.y}) adds ${pct(s.addsAreaShare)} of the area within ${minutes} min`),
    ...c.patrols.map((r) => `patrol from ${r.dock}`.padEnd(26) + ` ${(r.lengthM / 1000).toFixed(2)} km over ${r.cells} blind cells, ${Math.round(r.flightS)} s, ${r.energyWh} Wh`),
  ];
  if (opts.out) {
    writeFileAtomic(opts.out, `${JSON.stringify(c)}\n`);
    lines.push(`written: ${opts.out}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`roadtwin coverage: ${message}\n`);
  return 1;
}
