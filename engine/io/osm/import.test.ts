import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOsm, type OsmImportOptions } from './import.js';
import { DEFAULT_TYPES, parseMaxspeed } from './tags.js';
import { signalJoinGroups } from './signals.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'tags.osm');
const base = (file: string, more: Partial<OsmImportOptions> = {}): OsmImportOptions => ({ file, types: DEFAULT_TYPES, name: 't', duration: 600, seed: 1, ...more });
const tmp = mkdtempSync(join(tmpdir(), 'osm-test-'));

describe('import osm: what each tag produces (hand-written junction)', async () => {
  const r = await importOsm(base(FIXTURE, { randomRate: 360 }));
  const edge = (id: string) => r.network.edges.find((e) => e.id === id)!;
  it('splits ways into edges per direction that keep the way id; access=private and footways are left out', () => {
    expect(r.network.edges.map((e) => e.id).sort()).toEqual(['-100#0', '-101#0', '-200#0', '-300#0', '100#0', '101#0', '300#0'].sort());
  });
  it('lanes=4 on a two-way road: 2 each way; maxspeed=DE:urban is 50 km/h', () => {
    expect(edge('100#0').lanes).toBe(2);
    expect(edge('-100#0').lanes).toBe(2);
    expect(edge('100#0').speedLimit).toBeCloseTo(50 / 3.6, 2);
    expect(edge('100#0').name).toBe('Hauptstrasse');
  });
  it('oneway=-1 keeps only the backward edge; 20 mph is 32.2 km/h', () => {
    expect(edge('-200#0').from).toBe('n2');
    expect(r.network.edges.some((e) => e.id === '200#0')).toBe(false);
    expect(edge('-200#0').speedLimit).toBeCloseTo((20 * 1.609344) / 3.6, 2);
  });
  it('a tertiary road without tags gets its class defaults (1 lane, 80 km/h)', () => {
    expect(edge('300#0').lanes).toBe(1);
    expect(edge('300#0').speedLimit).toBeCloseTo(80 / 3.6, 2);
  });
  it('bus:lanes:backward=|designated makes the rightmost backward lane a bus lane', () => {
    expect(edge('-101#0').laneClasses).toEqual([['bus', 'emergency'], null]);
    expect(edge('101#0').laneClasses).toBeUndefined();
  });
  it('nodes 2 and 7, 4.4 m apart, are one junction; the way between them is folded in', () => {
    expect(r.network.nodes.map((n) => n.id).sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(edge('300#0').to).toBe('n2');
  });
  it('signals before the junction on each of the three roads arriving (14 m on way 100, a crossing=traffic_signals 14 m on way 101, 18 m on way 300) signalise it', () => {
    expect(r.network.nodes.find((n) => n.id === 'n2')!.control).toBe('signal');
    expect(r.counts.signals).toBe(1);
  });
  it('a signal before the junction on one road only is a pedestrian crossing near a priority junction: not imported, one warning', async () => {
    const f = join(tmp, 'one-signal.osm');
    writeFileSync(f, readFileSync(FIXTURE, 'utf8').replace('<nd ref="2"/><nd ref="9"/><nd ref="3"/>', '<nd ref="2"/><nd ref="3"/>').replace('<nd ref="4"/><nd ref="11"/><nd ref="7"/>', '<nd ref="4"/><nd ref="7"/>'));
    const one = await importOsm(base(f));
    expect(one.counts.signals).toBe(0);
    expect(one.network.nodes.find((n) => n.id === 'n2')!.control).toBeUndefined();
    expect(one.warnings.lines().join('\n')).toMatch(/signalise no junction/);
  });
  it('a signal 7 m before the junction, within its 10 m join radius, stands at the junction: signalised whatever the other roads carry', async () => {
    const f = join(tmp, 'near-signal.osm');
    const text = readFileSync(FIXTURE, 'utf8').replace('<nd ref="2"/><nd ref="9"/><nd ref="3"/>', '<nd ref="2"/><nd ref="3"/>').replace('<nd ref="4"/><nd ref="11"/><nd ref="7"/>', '<nd ref="4"/><nd ref="7"/>');
    writeFileSync(f, text.replace('<node id="6" lat="50.000" lon="9.0098">', '<node id="6" lat="50.000" lon="9.0099">'));
    expect((await importOsm(base(f))).counts.signals).toBe(1);
  });
  it('an unclassified road without maxspeed gets netconvert\'s default, 50 km/h', async () => {
    const f = join(tmp, 'unclassified.osm');
    writeFileSync(f, '<osm version="0.6">\n<node id="1" lat="50" lon="9"/><node id="2" lat="50" lon="9.001"/>\n<way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="unclassified"/></way>\n</osm>\n');
    expect((await importOsm(base(f))).network.edges[0].speedLimit).toBeCloseTo(50 / 3.6, 2);
  });
  it('a signal where one way runs into the next (no third road) is a mid-block signal: not imported', async () => {
    const f = join(tmp, 'split-signal.osm');
    writeFileSync(
      f,
      '<osm version="0.6">\n<node id="1" lat="50" lon="9"/><node id="2" lat="50" lon="9.001"><tag k="highway" v="traffic_signals"/></node><node id="3" lat="50" lon="9.002"/>\n' +
        '<way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way><way id="2"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/></way>\n</osm>\n',
    );
    const r2 = await importOsm(base(f));
    expect(r2.network.nodes.map((n) => n.id)).toContain('n2');
    expect(r2.counts.signals).toBe(0);
  });
  it('turn:lanes:forward=left|through;right: the left lane turns left, the right lane goes straight and right', () => {
    const from = r.network.connections.filter((c) => c.from === '100#0').map((c) => `${c.fromLane}>${c.to}:${c.dir}`).sort();
    expect(from).toEqual(['0>-200#0:right', '0>101#0:straight', '1>-300#0:left']);
  });
  it('random trips go from fringe edges to fringe edges, deterministically', async () => {
    const trips = (r.scenario.demand as { trips: { from: string; to: string; depart: number }[] }[])[0].trips;
    expect(trips.length).toBe(60); // 360/h for 600 s
    expect(trips[1].depart).toBe(10);
    for (const t of trips) expect(['100#0', '-101#0', '-300#0', '300#0', '-200#0', '-100#0', '101#0']).toContain(t.from);
    const again = await importOsm(base(FIXTURE, { randomRate: 360 }));
    expect(again.scenario.demand).toEqual(r.scenario.demand);
  });
  it('a gzipped copy imports to the same network', async () => {
    const gz = join(tmp, 'tags.osm.gz');
    writeFileSync(gz, gzipSync(readFileSync(FIXTURE)));
    expect((await importOsm(base(gz))).network).toEqual(r.network);
  });
  it('a bzip2 copy (compressed with bzip2 1.0) imports to the same network', async () => {
    expect((await importOsm(base(FIXTURE + '.bz2'))).network).toEqual(r.network);
  });
  it('a PBF copy (written by osmium 1.x) imports to the same network', async () => {
    expect((await importOsm(base(FIXTURE + '.pbf'))).network).toEqual(r.network);
  });
  it('--bbox cuts ways at its edge: west of 9.015 the road to node 3 is gone', async () => {
    const cut = await importOsm(base(FIXTURE, { bbox: [8.99, 49.99, 9.015, 50.01] }));
    expect(cut.network.edges.some((e) => e.id.includes('101#'))).toBe(false);
    expect(cut.network.edges.some((e) => e.id === '100#0')).toBe(true);
  });
});

describe('import osm: --demand FILE, trips between OSM nodes or coordinates', () => {
  it('maps places to their nearest junction and picks connected edges', async () => {
    const f = join(tmp, 'trips.csv');
    // node 1 (west end) to node 4 (north end) by id; then from a point near node 3 to node 5
    writeFileSync(f, 'depart,from,to\n20,1,4\n5,9.0199 50.0001,5\n');
    const r = await importOsm(base(FIXTURE, { tripFile: f }));
    expect((r.scenario.demand as { trips: unknown[] }[])[0].trips).toEqual([
      { type: 'car', depart: 5, from: '-101#0', to: '-200#0' },
      { type: 'car', depart: 20, from: '100#0', to: '-300#0' },
    ]);
  });
  it('a bad line names its line and field', async () => {
    const f = join(tmp, 'bad-trips.csv');
    writeFileSync(f, 'depart,from,to\n20,1,4\n7,999,4\n');
    await expect(importOsm(base(FIXTURE, { tripFile: f }))).rejects.toThrow(`${f}:3: from: OSM node 999 is not on a kept road`);
  });
});

describe('import osm: bad input is one line naming the file', () => {
  const bad = async (file: string, more: Partial<OsmImportOptions> = {}) => {
    try {
      await importOsm(base(file, more));
    } catch (err) {
      return (err as Error).message;
    }
    return 'no error';
  };
  it('a file that is not OSM', async () => {
    const f = join(tmp, 'x.osm');
    writeFileSync(f, '<?xml version="1.0"?>\n<net version="1.9">\n</net>\n');
    expect(await bad(f)).toBe(`${f}:2: not an OSM file (the root element is <net>, OSM XML has <osm>)`);
  });
  it('a truncated gzip names the byte', async () => {
    const f = join(tmp, 'cut.osm.gz');
    const gz = gzipSync(readFileSync(FIXTURE));
    writeFileSync(f, gz.subarray(0, gz.length - 40));
    expect(await bad(f)).toMatch(new RegExp(`^${f}: byte \\d+: gzip data is damaged or cut short`));
  });
  it('a truncated PBF names the byte', async () => {
    const f = join(tmp, 'cut.osm.pbf');
    const pbf = readFileSync(FIXTURE + '.pbf');
    writeFileSync(f, pbf.subarray(0, pbf.length - 100));
    expect(await bad(f)).toMatch(new RegExp(`^${f}: byte \\d+: PBF data is damaged or cut short`));
  });
  it('a way that references a missing node names the line', async () => {
    const f = join(tmp, 'missing.osm');
    writeFileSync(f, readFileSync(FIXTURE, 'utf8').replace('<node id="5" lat="49.995" lon="9.010"/>', ''));
    expect(await bad(f)).toMatch(new RegExp(`^${f}:\\d+: way 200 references node 5, which is not in the file$`));
  });
  it('a bbox with no roads', async () => {
    expect(await bad(FIXTURE, { bbox: [10, 10, 11, 11] })).toMatch(/no road of the kept classes .* inside the bbox 10,10,11,11$/);
  });
  it('malformed XML names its line', async () => {
    const f = join(tmp, 'broken.osm');
    writeFileSync(f, '<osm>\n<node id="1" lat="1" lon="2">\n</way>\n</osm>\n');
    expect(await bad(f)).toMatch(new RegExp(`^${f}:3: not well-formed XML`));
  });
});

describe('maxspeed', () => {
  it('reads km/h, mph, none, walk and country zones', () => {
    expect(parseMaxspeed('60')).toBe(60);
    expect(parseMaxspeed('30 mph')).toBeCloseTo(48.28, 2);
    expect(parseMaxspeed('CN:urban')).toBe(50);
    expect(parseMaxspeed('walk')).toBe(7);
    expect(parseMaxspeed('none')).toBe(140);
    expect(parseMaxspeed('signals')).toBeUndefined();
  });
});

describe('the compiled command (roadtwin import osm)', () => {
  const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'roadtwin.js');
  it('writes a scenario that validates, with the ODbL credit in its header', () => {
    const out = join(tmp, 'cli.yaml');
    const r = spawnSync(process.execPath, [bin, 'import', 'osm', FIXTURE, '--out', out, '--demand', 'random:360', '--rsus', 'signals'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${out}: 5 junctions (1 signalised), 7 edges, 7.4 lane-km, 10 connections from turn:lanes, 360 trips; 1 warning(s)\n`);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('© OpenStreetMap contributors');
    expect(text).toContain('rsu-n2');
  });
  it('bad input: one line, exit 1, nothing written', () => {
    const out = join(tmp, 'never.yaml');
    const f = join(tmp, 'not-osm.osm');
    writeFileSync(f, 'hello');
    const r = spawnSync(process.execPath, [bin, 'import', 'osm', f, '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^roadtwin import: .*not-osm\.osm:\d+: not well-formed XML \(text data outside of root node\.\)$/m);
    expect(existsSync(out)).toBe(false);
  });
});

describe('import osm: a cut of the real Bad Hersfeld extract (© OpenStreetMap contributors, ODbL)', async () => {
  const CUT = join(import.meta.dirname, 'fixtures', 'bad-hersfeld-cut.osm.gz');
  const r = await importOsm(base(CUT));
  it('junction=roundabout: the ring (way 26209973) is one-way, every piece forward only', () => {
    const ring = r.network.edges.filter((e) => e.id.replace(/^-/, '').startsWith('26209973#'));
    expect(ring.length).toBeGreaterThan(2);
    expect(ring.every((e) => !e.id.startsWith('-'))).toBe(true);
  });
  it('at a junction whose connections come from turn:lanes, every arriving lane has one (no lane is a dead end)', () => {
    const into = new Set(r.network.connections.map((c) => r.network.edges.find((e) => e.id === c.from)!.to));
    for (const node of into)
      for (const e of r.network.edges.filter((x) => x.to === node && r.network.edges.some((o) => o.from === node && o.to !== x.from)))
        for (let lane = 0; lane < e.lanes; lane++)
          expect(r.network.connections.some((c) => c.from === e.id && c.fromLane === lane), `${e.id} lane ${lane}`).toBe(true);
  });
  it('way 26175086 (turn:lanes:forward=through|right): its left lane goes straight, its right lane takes the rightmost road', () => {
    const cs = r.network.connections.filter((c) => c.from === '26175086#0');
    expect(cs.filter((c) => c.fromLane === 1).every((c) => c.dir === 'straight')).toBe(true);
    expect(cs.some((c) => c.fromLane === 0)).toBe(true);
  });
});

describe('import osm: loop roads and the corners of a signalised crossing (hand-written corners.osm)', async () => {
  const CORNERS = join(import.meta.dirname, 'fixtures', 'corners.osm');
  const r = await importOsm(base(CORNERS));
  const ids = r.network.edges.map((e) => e.id);
  it('a cul-de-sac ending in a ring (way 800) keeps its ring: split at its middle node into two edges each way', () => {
    expect(ids.filter((id) => id.replace(/^-/, '').startsWith('800#')).sort()).toEqual(['-800#0', '-800#1', '-800#2', '800#0', '800#1', '800#2']);
    const ring = r.network.edges.filter((e) => e.id === '800#1' || e.id === '800#2');
    expect(ring.map((e) => [e.from, e.to])).toEqual([
      ['n50', 'n52'],
      ['n52', 'n50'],
    ]);
    // the whole ring is there: about 2 × 2 × 62 m of lane, not folded into node 50
    expect(ring.reduce((s, e) => s + e.length, 0)).toBeGreaterThan(240);
  });
  it('four signalised corners 14 m apart are one signalised junction; the links between them are folded in', () => {
    const sig = r.network.nodes.filter((n) => n.control === 'signal');
    expect(sig.map((n) => n.id)).toEqual(['n12']);
    expect(r.counts.signals).toBe(1);
    for (const w of ['600', '601', '700', '701']) expect(ids.filter((id) => id.startsWith(`${w}#`))).toHaveLength(2); // in and out, no corner-to-corner link
    expect(r.network.edges.find((e) => e.id === '600#0')!.to).toBe('n12');
  });
});

describe('signalJoinGroups: signalised junctions closer than SIGNAL_JOIN (20 m) are one', () => {
  it('joins at 19 m, transitively, and not at 21 m', () => {
    const at: Record<number, [number, number]> = { 0: [0, 0], 1: [19, 0], 2: [38, 0], 3: [100, 0], 4: [121, 0] };
    expect(signalJoinGroups(new Set([4, 3, 2, 1, 0]), (c) => at[c])).toEqual([[0, 1, 2]]);
  });
});

describe('import osm: stop signs (hand-written stops.osm)', async () => {
  const STOPS = join(import.meta.dirname, 'fixtures', 'stops.osm');
  const r = await importOsm(base(STOPS));
  const control = (id: string) => r.network.nodes.find((n) => n.id === id)!.control;
  it('signs 15 m before a junction, each facing its approach (direction=forward, backward), make it a priority-stop junction', () => {
    expect(control('n100')).toBe('priorityStop');
  });
  it('stop=all on the junction node makes an all-way stop', () => {
    expect(control('n200')).toBe('allwayStop');
  });
  it('a give-way sign leaves a priority junction; nodes without signs have no control', () => {
    expect(control('n2')).toBeUndefined();
    expect(r.network.nodes.filter((n) => n.control !== undefined).map((n) => n.id).sort()).toEqual(['n100', 'n200']);
  });
  it('in the engine the residential approaches of the priority stop halt, the primary road does not; everyone halts at the all-way stop', async () => {
    const { World } = await import('../../sim/world.js');
    const { parseScenario } = await import('../scenario/index.js');
    const { scenarioYaml } = await import('../sumo/yaml.js');
    const w = new World(parseScenario(scenarioYaml(r.scenario, ['test']), 'stops.yaml').scenario);
    const net = w.net;
    const halts = (node: string) => {
      const n = net.nodeIds.indexOf(node);
      const by = new Map<string, number[]>();
      for (let c = 0; c < net.connCount; c++) {
        if (net.connNode[c] !== n) continue;
        const from = net.edgeIds[net.connFromEdge[c]].replace(/^-/, '').split('#')[0];
        (by.get(from) ?? by.set(from, []).get(from)!).push(net.connStop[c]);
      }
      return Object.fromEntries([...by].map(([k, v]) => [k, [...new Set(v)]]).sort());
    };
    expect(halts('n100')).toEqual({ '10': [0], '20': [1] });
    expect(halts('n200')).toEqual({ '30': [1], '40': [1] });
  });
});
