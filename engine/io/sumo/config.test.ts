// Importing a SUMO configuration: bench/sumo/fixtures/busx.sumocfg names a gzipped net and route
// file and an additional file (see the README there). SUMO 1.15 loads 16 vehicles from it
// (15 inserted, and 'edge', departing at 300.2 s within the last step); roadtwin takes all of
// them but the bicycle. SUMO itself is not needed.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { importSumo } from './import.js';
import { scenarioYaml } from './yaml.js';
import { SumoImportError } from './xml.js';
import { scenarioSchema } from '../../spec/schema.js';
import { runImportSumo } from '../../cli/import.js';
import { parse as parseYaml } from 'yaml';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fx = (name: string) => join(root, 'bench', 'sumo', 'fixtures', name);
const tmp = mkdtempSync(join(tmpdir(), 'roadtwin-sumocfg-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('busx.sumocfg (gzipped net and routes, an additional file, begin 10, end 300, step 0.5, seed 7)', () => {
  const imported = importSumo({ config: fx('busx.sumocfg') });
  const { scenario } = imported;
  // the written YAML is valid against the scenario schema, the new fields included
  const parsed = scenarioSchema.parse(parseYaml(scenarioYaml(scenario, ['test'])));
  const lines = imported.warnings.lines();
  const has = (text: string) => expect(lines.some((l) => l.includes(text)), lines.join('\n')).toBe(true);
  const trips = Object.fromEntries(parsed.demand.flatMap((d) => ('trips' in d ? d.trips : [])).map((t) => [t.id, t]));
  const edge = (id: string) => parsed.network.edges!.find((e) => e.id === id)!;

  it('reads the files the config names, and its times: duration = end − begin, step, seed', () => {
    expect(imported.sources).toMatchObject({ net: fx('busx.net.xml.gz'), routes: [fx('busx.rou.xml.gz')], additional: [fx('busx.add.xml')] });
    expect(parsed).toMatchObject({ name: 'fixtures', duration: 290, step: 0.5, seed: 7 });
    expect(imported.counts).toMatchObject({ nodes: 5, edges: 8, lanes: 10, signals: 1, trips: 6, flows: 1, detectors: 2 });
  });

  it('loads what SUMO loads: not before begin, not past the last step, and no bicycles', () => {
    expect(Object.keys(trips).sort()).toEqual(['bus0', 'car0', 'car1', 'edge', 'goods0', 'van0']);
    has("vehicles departing before the config's begin (10 s) are skipped, as SUMO does (1×, e.g. 'early')");
    has("vehicles departing after the config's end are not loaded, as in SUMO (it loads up to 300.5 s) (1×, e.g. 'late')");
    has("vehicle types of class 'bicycle' cannot be simulated by roadtwin; skipped with their vehicles (1×, e.g. 'bike')");
    has("trips of a vehicle class roadtwin cannot simulate (bicycle); skipped (1×, e.g. 'bike0')");
    // times are moved so that begin is 0
    expect(trips.car0.depart).toBe(0);
    expect(trips.edge.depart).toBeCloseTo(290.2, 9);
    // the flow keeps SUMO's departures at 20, 40, …, 180 (9 of them): scenario 10, 30, …, 170
    const flow = parsed.demand.flatMap((d) => ('flow' in d ? [d.flow] : []))[0];
    expect(flow).toMatchObject({ id: 'cars', begin: 10, end: 190, period: 20 });
    expect(Math.ceil((flow.end - flow.begin) / flow.period!)).toBe(9);
  });

  it('a vTypeDistribution (nested vTypes, or vTypes= with probabilities) → its types and their weights; vehicles keep its name', () => {
    expect(parsed.vehicleTypeDistributions).toEqual({ mix: { small: 3, big: 1 }, goods: { van: 2, lorry: 1 } });
    expect(Object.keys(parsed.vehicleTypes).sort()).toEqual(['big', 'bus', 'lorry', 'small', 'van']);
    expect(parsed.vehicleTypes.van.class).toBe('van'); // a vType of the additional file
    expect([trips.car0.type, trips.goods0.type, trips.van0.type]).toEqual(['mix', 'goods', 'van']);
  });

  it('lane permissions → laneClasses; a bus lane is kept with its classes, a sidewalk is left out and lanes renumbered', () => {
    expect(edge('WC')).toMatchObject({ lanes: 2, laneClasses: [['bus', 'emergency'], null] });
    expect(edge('CE')).toMatchObject({ lanes: 2, laneClasses: [['bus'], null] }); // CE_0 (sidewalk) left out
    expect(edge('CS').laneClasses).toEqual([['bus', 'truck', 'van', 'emergency']]); // disallow="passenger"
    expect(edge('EC').laneClasses).toBeUndefined();
    has("lanes that admit no roadtwin vehicle class (sidewalks, bike lanes, rail, tram) are left out (1×, e.g. 'CE_0')");
    // the bus lane's connection WC_0 → CE_1 is kept, as lane 0 → lane 0
    expect(parsed.network.connections).toContainEqual(expect.objectContaining({ from: 'WC', fromLane: 0, to: 'CE', toLane: 0 }));
  });

  it("the additional file's tlLogic replaces the net's, its offset moved by begin; actuated runs as the actuated controller", () => {
    const c = parsed.network.nodes!.find((n) => n.id === 'C')!;
    expect(c.signal!.program!.map((p) => p.duration)).toEqual([30, 4, 50, 4]);
    expect(c.signal!.program![0]).toMatchObject({ minDur: 20, maxDur: 40 });
    expect(c.signal!.controller).toMatchObject({ type: 'actuated', maxGap: 3, detectorGap: 2, passingTime: 1.9 });
    expect(c.signal!.offset).toBe(10); // SUMO offset 20, begin 10
    has("traffic-light programs replaced by one loaded later (as in SUMO, the last loaded runs) (1×, e.g. 'C/0→mine')");
    expect(lines.some((l) => l.includes("'actuated' traffic lights run as fixed-time"))).toBe(false);
  });

  it('a bus stopping at a busStop: edge, end position, lane over the kept lanes, name, duration, until', () => {
    expect(trips.bus0.stops).toEqual([{ edge: 'CE', pos: 70, lane: 0, duration: 20, until: 50, name: 'Central Station' }]);
  });

  it('departLane / departPos / arrivalPos keep SUMO values; lane indices renumbered; negative positions from the lane end', () => {
    expect(trips.car0).toMatchObject({ departLane: 'best', departPos: 0, arrivalPos: 187.8 }); // CE_2 192.8 m − 5
    expect(trips.car1).toMatchObject({ departLane: 1, departPos: 'random' }); // SUMO lane CE_2
    expect(trips.bus0).toMatchObject({ departLane: 0, departSpeed: 'max' });
    const flow = parsed.demand.flatMap((d) => ('flow' in d ? [d.flow] : []))[0];
    expect(flow).toMatchObject({ departLane: 'random', departPos: 'free', arrivalPos: 'max', departSpeed: 'max' });
    has("departSpeed 'desired' is not supported; 'max'");
  });

  it('induction loops → detectors (freq or period; negative pos from the lane end); other detectors are warnings', () => {
    expect(parsed.detectors).toEqual([
      { id: 'loopCE', edge: 'CE', pos: 100, period: 60, lane: 1 },
      { id: 'loopWC', edge: 'WC', pos: 182.8, period: 30, lane: 1 },
    ]);
    has("additional element <laneAreaDetector> is not supported; skipped (1×, e.g. 'areaWC')");
    // the junction's foe matrix is carried over (its links to the sidewalk left out drop out)
    expect(imported.warnings.lines().join('\n')).not.toMatch(/foe matrix/);
    expect(parsed.network.connections!.every((c) => Array.isArray(c.foes))).toBe(true);
  });

  it('the same files given one by one import the same, apart from the config times', () => {
    const direct = importSumo({ net: fx('busx.net.xml.gz'), routes: [fx('busx.rou.xml.gz')], additional: [fx('busx.add.xml')] });
    expect(direct.counts).toMatchObject({ ...imported.counts, trips: 8 }); // no begin/end: 'early' and 'late' come too
    expect(direct.scenario.network.edges).toEqual(scenario.network.edges);
  });
});

describe('gzip is detected by its content, not the name', () => {
  it('a gzipped net named .net.xml, and plain routes named .gz', () => {
    const net = join(tmp, 'plain-name.net.xml');
    copyFileSync(fx('busx.net.xml.gz'), net);
    const routes = join(tmp, 'not-gzipped.rou.xml.gz');
    copyFileSync(fx('busx.rou.xml'), routes);
    const r = importSumo({ net, routes: [routes], additional: [fx('busx.add.xml')] });
    expect(r.counts).toMatchObject({ edges: 8, trips: 8, flows: 1 });
  });

  it('damaged gzip data: one line naming the file', () => {
    const bad = join(tmp, 'damaged.net.xml.gz');
    writeFileSync(bad, readFileSync(fx('busx.net.xml.gz')).subarray(0, 200));
    expect(() => importSumo({ net: bad })).toThrow(new RegExp(`^${bad}: cannot read: gzip data is damaged`));
  });
});

describe('a config naming a file that does not exist', () => {
  const cfg = fx('missing.sumocfg');
  const message = `${cfg}:6: route-files names 'nothere.rou.xml', which does not exist (${fx('nothere.rou.xml')})`;

  it('names the config, its line and the missing file', () => {
    expect(() => importSumo({ config: cfg })).toThrow(SumoImportError);
    expect(() => importSumo({ config: cfg })).toThrow(message);
  });

  it('the command prints that one line, exits 1 and writes nothing', () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    const out = join(tmp, 'never.yaml');
    expect(runImportSumo({ config: cfg, out })).toBe(1);
    expect(stderr).toBe(`roadtwin import: ${message}\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('the compiled command: exit 1, one line, no stack trace', () => {
    const out = join(tmp, 'never2.yaml');
    const r = spawnSync(process.execPath, [join(root, 'bin', 'roadtwin.js'), 'import', 'sumo', '--config', cfg, '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`roadtwin import: ${message}\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('--config with --net, or neither, is a usage error', () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    expect(runImportSumo({ config: fx('busx.sumocfg'), net: fx('busx.net.xml.gz'), out: join(tmp, 'x.yaml') })).toBe(1);
    expect(runImportSumo({ out: join(tmp, 'x.yaml') })).toBe(1);
    expect(stderr).toBe('roadtwin import: give either --config FILE.sumocfg or --net FILE.net.xml\n'.repeat(2));
  });
});

describe('config forms', () => {
  it('a <sumoConfiguration> root without groups, space-separated lists, a gzipped config', () => {
    const dir = mkdtempSync(join(tmp, 'cfg-'));
    for (const f of ['busx.net.xml.gz', 'busx.rou.xml.gz', 'busx.add.xml']) copyFileSync(fx(f), join(dir, f));
    const text = '<sumoConfiguration>\n<net-file value="busx.net.xml.gz"/>\n<additional-files value="busx.add.xml"/>\n<route-files value=" busx.rou.xml.gz "/>\n<end value="100"/>\n<time-to-teleport value="-1"/>\n</sumoConfiguration>\n';
    writeFileSync(join(dir, 'flat.sumocfg'), gzipSync(text));
    const r = importSumo({ config: join(dir, 'flat.sumocfg') });
    expect(r.scenario.duration).toBe(100);
    expect(r.counts.trips).toBe(6); // those departing before 101 s (begin 0, SUMO's step 1 s) but the bicycle
    expect(r.warnings.lines()).toContain("config option 'time-to-teleport' is not carried over (1×, e.g. 'time-to-teleport=-1')");
  });
});

describe('right-of-way the importer does not read', () => {
  it('<prohibition>s are counted warnings; the network is unchanged', () => {
    const net = gunzipSync(readFileSync(fx('busx.net.xml.gz'))).toString('utf8');
    const file = join(tmp, 'prohibition.net.xml');
    writeFileSync(file, net.replace('</net>', '    <prohibition prohibitor="EC->CW" prohibited="WC->CE"/>\n    <prohibition prohibitor="NC->CS" prohibited="WC->CE"/>\n</net>'));
    const plain = importSumo({ net: fx('busx.net.xml.gz') });
    const r = importSumo({ net: file });
    expect(r.warnings.lines()).toContain("connection prohibitions (<prohibition>) are not imported: roadtwin ranks movements by control, road size and turn (2×, e.g. 'EC->CW over WC->CE', 'NC->CS over WC->CE')");
    expect(r.scenario.network).toEqual(plain.scenario.network);
  });
});

describe('the compiled command with --additional', () => {
  it('reads a repeatable --additional next to --net and --routes, and writes the detectors', () => {
    const add = join(tmp, 'loops.add.xml');
    writeFileSync(add, '<additional>\n  <inductionLoop id="l0" lane="A0A1_0" pos="40" period="60" file="x.xml"/>\n</additional>\n');
    const add2 = join(tmp, 'loops2.add.xml');
    writeFileSync(add2, '<additional>\n  <e1Detector id="l1" lane="A0A1_1" pos="-3" freq="30" file="x.xml"/>\n</additional>\n');
    const out = join(tmp, 'with-loops.yaml');
    const args = ['import', 'sumo', '--net', fx('grid3.net.xml'), '--routes', fx('grid3.rou.xml'), '--additional', add, '--additional', add2, '--out', out];
    const r = spawnSync(process.execPath, [join(root, 'bin', 'roadtwin.js'), ...args], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/, 2 detectors; /);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`#   additional: ${add}\n#   additional: ${add2}\n`);
    expect(parseYaml(text).detectors).toEqual([
      { id: 'l0', edge: 'A0A1', pos: 40, period: 60, lane: 0 },
      { id: 'l1', edge: 'A0A1', pos: 80.2, period: 30, lane: 1 },
    ]);
  });
});

describe('a net with no edge roadtwin can drive on', () => {
  it('is one line naming the net file, exit 1, nothing written', () => {
    const net = join(tmp, 'footpaths.net.xml');
    writeFileSync(
      net,
      `<net version="1.9">
  <junction id="a" type="priority" x="0" y="0" incLanes="" intLanes="" shape=""/>
  <junction id="b" type="priority" x="100" y="0" incLanes="" intLanes="" shape=""/>
  <edge id="walk" from="a" to="b"><lane id="walk_0" index="0" allow="pedestrian" speed="2" length="100" shape="0,0 100,0"/></edge>
</net>
`,
    );
    expect(() => importSumo({ net })).toThrow(`${net}: the network has no edge roadtwin can drive on`);
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    const out = join(tmp, 'footpaths.yaml');
    expect(runImportSumo({ net, out })).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('the network has no edge roadtwin can drive on');
    expect(existsSync(out)).toBe(false);
  });
});
