// Trips files (demand: [{ tripsFile }]): the same trips as a CSV and as a YAML trips list run to
// the same bits; bad rows are one line each at FILE:LINE:COL; the file is read in chunks within
// its bound; the SUMO importer writes one and the run does not change.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadScenario, ScenarioError } from './index.js';
import { readTripsFile, MAX_FILE_PROBLEMS } from './trips-csv.js';
import { writeTripsCsv, type TripRow } from './trips-csv-write.js';
import { tripIdOf, tripTableOf, type TripTable } from '../../spec/trip-table.js';
import { World } from '../../sim/world.js';
import { buildNetwork } from '../../road/network.js';
import { expandNetwork } from '../../road/expand.js';
import { runImportSumo } from '../../cli/import.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rt-trips-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.ROADTWIN_MAX_DEMAND_BYTES;
  vi.restoreAllMocks();
});

// a 3 × 3 signalised grid: edges are named like A0B0 (from node A0 to node B0), fringe edges like
// top0A0; a car and a bus type, and a distribution of the two
const head = (demand: string) => `name: trips-file
duration: 400
step: 0.5
seed: 7
network:
  grid: { rows: 3, cols: 3, spacing: 150, lanes: 2, speedLimit: 13.9, signals: { cycle: 60 } }
vehicleTypes:
  car: { length: 4.5, maxSpeed: 30, accel: 2.6, decel: 4.5, headway: 1.2, minGap: 2, speedDev: 0.1 }
  bus: { length: 12, maxSpeed: 20, accel: 1.2, decel: 4, headway: 1.5, minGap: 2.5 }
vehicleTypeDistributions:
  mix: { car: 3, bus: 1 }
demand:
${demand}
`;

const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** Edge ids of the grid (from the engine's own expansion), to build trips with. */
function gridEdges(): string[] {
  const probe = loadScenario(file('probe.yaml', head('  []')));
  return buildNetwork(expandNetwork(probe.scenario.network)).edgeIds;
}

/** Trips with every field the YAML form has, between edges of the grid (a seeded choice). */
function sampleTrips(): TripRow[] {
  const edges = gridEdges();
  const probe = buildNetwork(expandNetwork(loadScenario(join(dir, 'probe.yaml')).scenario.network));
  let x = 12345;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const trips: TripRow[] = [];
  for (let k = 0; k < 160; k++) {
    const from = edges[Math.floor(rnd() * edges.length)];
    // a destination two edges on, through a via edge: always connected on the grid
    const e1 = probe.edgeSuccessors[probe.edgeIndex.get(from)!];
    if (e1.length === 0) continue;
    const mid = e1[Math.floor(rnd() * e1.length)];
    const e2 = probe.edgeSuccessors[mid];
    if (e2.length === 0) continue;
    const to = probe.edgeIds[e2[Math.floor(rnd() * e2.length)]];
    const t: TripRow = { type: k % 5 === 0 ? 'mix' : k % 7 === 0 ? 'bus' : 'car', depart: Math.round(rnd() * 2400) / 10, from, to };
    if (k % 3 !== 0) t.id = `veh,${k}`; // a comma: the field is quoted
    if (k % 4 === 0) t.via = [probe.edgeIds[mid]];
    t.departSpeed = k % 2 === 0 ? 'max' : Math.round(rnd() * 100) / 10;
    if (k % 6 === 1) t.departLane = k % 12 === 1 ? 'first' : 1;
    if (k % 6 === 2) t.departLane = 'random';
    if (k % 5 === 1) t.departPos = k % 10 === 1 ? 'random' : 20.5;
    if (k % 8 === 3) t.arrivalPos = k % 16 === 3 ? 'random' : -10;
    if (k === 9) t.stops = [{ edge: from, pos: 60, duration: 12 }];
    trips.push(t);
  }
  // out of depart order on purpose: the demand sorts them
  return trips;
}

const yamlTrips = (trips: TripRow[]) =>
  `  - trips:\n${trips.map((t) => `      - ${JSON.stringify(t)}`).join('\n')}`;

function run(loaded: { scenario: import('../../spec/schema.js').Scenario }, seconds: number): { hash: string; inserted: number; arrived: number } {
  const w = new World(loaded.scenario);
  w.run(seconds);
  return { hash: w.stateHash(), inserted: w.totals.inserted, arrived: w.totals.arrived };
}

describe('a trips file against the same trips as YAML', () => {
  const trips = sampleTrips();
  writeTripsCsv(join(dir, 'same.trips.csv'), trips);
  const viaCsv = loadScenario(file('csv.yaml', head('  - tripsFile: same.trips.csv')));
  const viaYaml = loadScenario(file('yaml.yaml', head(yamlTrips(trips))));

  it('holds every row, with its id, and lists them by departure time', () => {
    const t = tripTableOf(viaCsv.scenario.demand[0])!;
    expect(t.count).toBe(trips.length);
    for (let k = 0; k < t.count; k++) expect(tripIdOf(t, k)).toBe(trips[k].id);
    expect(trips.filter((r) => r.id === undefined).length).toBeGreaterThan(10);
    for (let k = 1; k < t.count; k++) expect(t.depart[t.order[k]]).toBeGreaterThanOrEqual(t.depart[t.order[k - 1]]);
    // the via lists are interned: no more lists than rows with a via
    expect(t.viaLists).toBeLessThanOrEqual(trips.filter((r) => r.via).length);
  });

  it('runs to the same state hash, vehicle for vehicle', () => {
    const a = run(viaCsv, 400);
    const b = run(viaYaml, 400);
    expect(a.inserted).toBeGreaterThan(60);
    expect(a.arrived).toBeGreaterThan(40);
    expect(a).toEqual(b);
  });

  it('gives the same table read in 7-byte chunks (lines and UTF-8 characters cut across chunks)', () => {
    const p = file('utf8.trips.csv', `id,type,depart,from,to\nvéhicule-ü-1,car,0,${trips[0].from},${trips[0].to}\n# a comment\n\n"größer",car,1.5,${trips[1].from},${trips[1].to}`);
    const net = buildNetwork(expandNetwork(viaCsv.scenario.network));
    const whole = readTripsFile({ file: p, scenario: viaCsv.scenario, network: net }).table!;
    const bits = readTripsFile({ file: p, scenario: viaCsv.scenario, network: net, chunkBytes: 7 }).table!;
    const ids = (t: TripTable) => Array.from({ length: t.count }, (_, k) => tripIdOf(t, k));
    expect(ids(bits)).toEqual(['véhicule-ü-1', 'größer']);
    expect(ids(whole)).toEqual(ids(bits));
    expect(Array.from(bits.depart)).toEqual([0, 1.5]);
    expect(bits.sha256).toBe(whole.sha256);
  });

  it('makes the file part of the scenario hash: other bytes, another scenario', () => {
    writeTripsCsv(join(dir, 'other.trips.csv'), trips.slice(1));
    const other = loadScenario(file('other.yaml', head('  - tripsFile: other.trips.csv')));
    const again = loadScenario(join(dir, 'csv.yaml'));
    expect(again.hash).toBe(viaCsv.hash);
    expect(other.hash).not.toBe(viaCsv.hash);
  });

  it('runs to the same bits with --workers 1 and --workers 2', () => {
    const hashes = ['1', '2'].map((workers) => {
      const out = join(dir, `run-w${workers}`);
      const r = spawnSync(process.execPath, [join(root, 'bin', 'roadtwin.js'), 'run', join(dir, 'csv.yaml'), '--out', out, '--quiet', '--workers', workers], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).stateHash as string;
    });
    expect(hashes[0]).toBe(hashes[1]);
    expect(hashes[0]).toBe(run(viaYaml, 400).hash);
  });
});

describe('bad trips files: one line per problem, at FILE:LINE:COL', () => {
  const edges = gridEdges();
  const [e0, e1] = [edges[0], edges[1]];
  const problems = (csv: string): string[] => {
    const p = file('bad.trips.csv', csv);
    try {
      loadScenario(file('bad.yaml', head('  - tripsFile: bad.trips.csv')));
    } catch (err) {
      if (err instanceof ScenarioError) return err.format().split('\n').map((l) => l.replace(p, 'bad.trips.csv'));
      throw err;
    }
    return [];
  };

  it('names the line, the column and the field of each bad value', () => {
    const net = buildNetwork(expandNetwork(loadScenario(join(dir, 'probe.yaml')).scenario.network));
    const lanes = net.edgeLanes[net.edgeIndex.get(e0)!];
    const from = e0;
    // an edge that `from` does not lead to, nor reaches: none on a grid, so use a trip to itself backwards
    expect(
      problems(
        [
          'type,depart,from,to,via,departLane',
          `car,0,${from},${e1},,`,
          `truck,1,${from},${e1},,`,
          `car,-3,${from},${e1},,`,
          `car,2,nowhere,${e1},,`,
          `car,3,${from},${e1},${e1} gone,`,
          `car,4,${from},${e1},,${lanes}`,
          `car,5,${from},${e1},,sideways`,
          `car,6,${from}`,
        ].join('\n'),
      ),
    ).toEqual([
      `bad.trips.csv:3:1: type: unknown vehicle type 'truck' (nor a vehicle type distribution)`,
      `bad.trips.csv:4:5: depart: must be a number of seconds, at least 0, got '-3'`,
      `bad.trips.csv:5:7: from: unknown edge 'nowhere'`,
      `bad.trips.csv:6:${10 + from.length + 2 * e1.length}: via: unknown edge 'gone'`,
      `bad.trips.csv:7:${8 + from.length + e1.length + 2}: departLane: edge '${from}' has ${lanes} lane(s); lanes are numbered from 0`,
      `bad.trips.csv:8:${8 + from.length + e1.length + 2}: departLane: must be best, first, free, random, allowed or a lane index (0 = rightmost), got 'sideways'`,
      `bad.trips.csv:9:1: 3 field(s), the header has 6`,
    ]);
  });

  it('checks the header and the quoting', () => {
    expect(problems('type,depart,from,speed\n')).toEqual([
      `bad.trips.csv:1:1: to: the header has no 'to' column (the required columns are type, depart, from, to)`,
      `bad.trips.csv:1:18: speed: unknown column 'speed' (the columns are id, type, depart, from, to, via, departSpeed, departLane, departPos, arrivalPos, stops)`,
    ]);
    expect(problems(`type,depart,from,to,id\ncar,0,${e0},${e1},"open\n`)).toEqual([`bad.trips.csv:2:${9 + e0.length + e1.length}: a quoted field has no closing quote (a field may not span lines)`]);
    expect(problems('# only a comment\n')).toEqual([`bad.trips.csv:1:1: the file has no header (a line naming the columns, at least type, depart, from, to)`]);
  });

  it('checks stops as the YAML form does', () => {
    expect(problems(`type,depart,from,to,stops\ncar,0,${e0},${e1},"[{""edge"": ""${e1}"", ""pos"": 9999}]"\n`)).toEqual([
      `bad.trips.csv:2:${9 + e0.length + e1.length}: stops.0.pos: stop position 9999 m is beyond the end of edge '${e1}' (150 m)`,
    ]);
  });

  it(`stops after ${MAX_FILE_PROBLEMS} problems`, () => {
    const rows = Array.from({ length: 50 }, (_, k) => `car,${k},nowhere,${e1}`);
    const got = problems(['type,depart,from,to', ...rows].join('\n'));
    expect(got).toHaveLength(MAX_FILE_PROBLEMS + 1);
    expect(got[MAX_FILE_PROBLEMS]).toBe(`bad.trips.csv:${MAX_FILE_PROBLEMS + 2}:1: more than ${MAX_FILE_PROBLEMS} problems; the file was read no further`);
  });

  it('refuses a missing file at the tripsFile key, and a file over its bound before reading it', () => {
    try {
      loadScenario(file('missing.yaml', head('  - tripsFile: nope.csv')));
      expect.unreachable();
    } catch (err) {
      expect((err as ScenarioError).format()).toBe(`${join(dir, 'missing.yaml')}:13:16: demand.0.tripsFile: cannot read the trips file '${join(dir, 'nope.csv')}': no such file`);
    }
    process.env.ROADTWIN_MAX_DEMAND_BYTES = '64';
    expect(problems(`type,depart,from,to\n${`car,0,${e0},${e1}\n`.repeat(10)}`)[0]).toMatch(
      /^.*bad\.yaml:13:16: demand\.0\.tripsFile: cannot read the trips file '.*bad\.trips\.csv': \d+ bytes, larger than the 64 bytes allowed for a trips file \(set ROADTWIN_MAX_DEMAND_BYTES to raise it\)$/,
    );
  });

  it('is one line and exit 1 from the command line', () => {
    file('bad.trips.csv', `type,depart,from,to\ncar,zero,${e0},${e1}\n`);
    const r = spawnSync(process.execPath, [join(root, 'bin', 'roadtwin.js'), 'validate', join(dir, 'bad.yaml')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`${join(dir, 'bad.trips.csv')}:2:5: depart: must be a number of seconds, at least 0, got 'zero'`]);
  });
});

describe('roadtwin import sumo with a trips file', () => {
  const fx = (name: string) => join(root, 'bench', 'sumo', 'fixtures', name);
  const importTo = (out: string, tripsFile: string) => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = runImportSumo({ net: fx('grid3.net.xml'), routes: [fx('grid3.rou.xml')], out, tripsFile, quiet: true });
    vi.restoreAllMocks();
    return code;
  };

  it('writes the trips beside the YAML, and the run is the same as from the YAML trips', () => {
    const withFile = join(dir, 'imported.yaml');
    const without = join(dir, 'imported-yaml.yaml');
    expect(importTo(withFile, 'always')).toBe(0);
    expect(importTo(without, 'never')).toBe(0);
    expect(readFileSync(withFile, 'utf8')).toContain('- { tripsFile: imported.trips.csv }');
    expect(existsSync(join(dir, 'imported-yaml.trips.csv'))).toBe(false);
    const rows = readFileSync(join(dir, 'imported.trips.csv'), 'utf8').trim().split('\n');
    const vehicles = readFileSync(fx('grid3.rou.xml'), 'utf8').match(/<vehicle /g)!.length;
    expect(rows).toHaveLength(vehicles + 1);
    expect(rows[0]).toBe('id,type,depart,from,to,via,departSpeed');
    const a = run(loadScenario(withFile), 600);
    const b = run(loadScenario(without), 600);
    expect(a.inserted).toBe(vehicles);
    expect(a).toEqual(b);
  });

  it('keeps a small demand in the YAML by default, and refuses an unknown --trips-file', () => {
    const out = join(dir, 'auto.yaml');
    expect(importTo(out, 'auto')).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('- trips:');
    expect(existsSync(join(dir, 'auto.trips.csv'))).toBe(false);
    expect(importTo(join(dir, 'x.yaml'), 'sometimes')).toBe(1);
  });
});
