/**
 * `npm run bench:osm`: the OSM importer against netconvert on the Bad Hersfeld extract.
 *
 * Imports the extract both ways (roadtwin's `import osm`; `netconvert --osm-files` keeping the
 * same highway classes and the options that make it join junctions and place signals as roadtwin
 * does), prints junctions, signal plans, edges, lane-km (osm-count.ts: what is counted, alike on
 * both sides) and the share of road length reachable from the fringe side by side; then random fringe trips through both
 * (randomTrips.py and SUMO on netconvert's net, roadtwin on its own import) for RUN seconds at
 * RATE trips an hour, and their arrivals, removals, collisions and mean trips. Needs SUMO
 * (`apt-get install -y sumo sumo-tools`). Targets (docs/osm.md): lane-km within 5 %, signalised
 * plans at junctions within 10 %, no removal and no collision in roadtwin's run, mean trip within 20 %.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { have, randomTrips, run } from '../sumo/tools.js';
import { readXml } from '../../engine/io/sumo/xml.js';
import { engineNetwork } from '../../engine/io/osm/demand.js';
import { importOsm } from '../../engine/io/osm/import.js';
import { DEFAULT_TYPES } from '../../engine/io/osm/tags.js';
import { SIGNAL_JOIN, SIGNAL_REACH } from '../../engine/io/osm/signals.js';
import { JOIN_RADIUS } from '../../engine/io/osm/cluster.js';
import { scenarioYaml } from '../../engine/io/sumo/yaml.js';
import { netconvertSignals, plainLaneKm, roadtwinSignals, type SignalCount } from './osm-count.js';

const WHO = 'bench:osm';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const roadtwin = join(root, 'bin', 'roadtwin.js');
const EXTRACT = join(root, 'bench', 'validation', 'scenarios', 'bad-hersfeld', 'bad-hersfeld.osm.xml.gz');
const RATE = 600;
const RUN = 1800;

/**
 * netconvert's options that make it do what roadtwin's importer does (docs/osm.md): join
 * junction nodes within 10 m (roadtwin's cluster.ts; netconvert's default join distance), take
 * a signal up to 30 m before a junction as that junction's (signals.ts SIGNAL_REACH; without
 * this netconvert makes each signal node its own junction), and run signalised junctions within
 * 20 m of each other as one plan (roadtwin joins them into one junction).
 */
const NETCONVERT_LIKE_ROADTWIN = [
  ...['--junctions.join', '--junctions.join-dist', String(JOIN_RADIUS)],
  ...['--tls.guess-signals', '--tls.guess-signals.dist', String(SIGNAL_REACH)],
  ...['--tls.join', '--tls.join-dist', String(SIGNAL_JOIN)],
];

interface Side {
  junctions: number;
  signals: SignalCount;
  edges: number;
  /** junction centre to junction centre (osm-count.ts) */
  laneKm: number;
  /** netconvert only: its lanes' own lengths, cut at the junctions' edges */
  laneKmCut?: number;
  reachable: number;
  inserted?: number;
  arrived?: number;
  removed?: number;
  collisions?: number;
  meanTrip?: number;
}

/** Share of road length on edges reachable from an edge that enters at the fringe (its start has no road but its reverse). */
function reachableShare(edges: { id: string; from: string; to: string; length: number }[], next: (i: number) => readonly number[]): number {
  const into = new Map<string, number[]>();
  edges.forEach((e, i) => (into.get(e.to) ?? into.set(e.to, []).get(e.to)!).push(i));
  const seen = new Uint8Array(edges.length);
  const queue: number[] = [];
  edges.forEach((e, i) => {
    if ((into.get(e.from) ?? []).every((j) => edges[j].from === e.to)) (seen[i] = 1), queue.push(i);
  });
  while (queue.length > 0) for (const n of next(queue.pop()!)) if (!seen[n]) (seen[n] = 1), queue.push(n);
  let all = 0;
  let hit = 0;
  edges.forEach((e, i) => ((all += e.length), (hit += seen[i] ? e.length : 0)));
  return all > 0 ? hit / all : 0;
}

async function main(): Promise<void> {
  if (!have('netconvert', ['--version']) || !have('sumo', ['--version'])) {
    process.stderr.write(`${WHO}: needs netconvert and sumo (apt-get install -y sumo sumo-tools)\n`);
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-osm-'));
  // ---- roadtwin
  const imp = await importOsm({ file: EXTRACT, types: DEFAULT_TYPES, name: 'bad-hersfeld', duration: RUN, seed: 1, randomRate: RATE });
  const yaml = join(dir, 'bh.yaml');
  writeFileSync(yaml, scenarioYaml(imp.scenario, ['Bad Hersfeld, imported by bench:osm; map data © OpenStreetMap contributors, ODbL']));
  const net = engineNetwork(imp.network);
  const rt: Side = {
    junctions: imp.counts.nodes,
    signals: roadtwinSignals(imp.network.nodes, imp.network.edges),
    edges: imp.counts.edges,
    laneKm: imp.counts.laneKm,
    reachable: reachableShare(imp.network.edges, (i) => net.edgeSuccessors[i]),
  };
  // (the same drivers and step as SUMO's run below: SUMO's default passenger car is a Krauss
  // driver with sigma 0.5, at SUMO's default step of 1 s)
  const likeSumo = ['--step', '1', '--set', 'vehicleTypes.car.carFollowing=krauss', '--set', 'vehicleTypes.car.sigma=0.5'];
  run(process.execPath, [roadtwin, 'run', yaml, ...likeSumo, '--out', join(dir, 'rt-run'), '--quiet'], dir, WHO);
  const m = JSON.parse(readFileSync(join(dir, 'rt-run', 'metrics.json'), 'utf8'));
  Object.assign(rt, { inserted: m.vehicles.inserted, arrived: m.vehicles.arrived, removed: m.vehicles.removed, collisions: m.traffic.collisions, meanTrip: m.traffic.meanTravelTime });

  // ---- netconvert and SUMO
  const types = DEFAULT_TYPES.map((t) => `highway.${t}`).join(',');
  const netFile = join(dir, 'bh.net.xml');
  const plain = join(dir, 'plain');
  run('netconvert', ['--osm-files', EXTRACT, '--keep-edges.by-type', types, ...NETCONVERT_LIKE_ROADTWIN, '--output-file', netFile, '--plain-output-prefix', plain, '--no-warnings'], dir, WHO);
  const sumoNet = readXml(netFile, ['net']);
  const sEdges = sumoNet.children.filter((c) => c.name === 'edge' && c.attrs.function !== 'internal');
  const sJunctions = sumoNet.children.filter((c) => c.name === 'junction' && c.attrs.type !== 'internal');
  const edgeIdx = new Map(sEdges.map((e, i) => [e.attrs.id, i]));
  const succ: number[][] = sEdges.map(() => []);
  for (const c of sumoNet.children)
    if (c.name === 'connection' && edgeIdx.has(c.attrs.from) && edgeIdx.has(c.attrs.to)) succ[edgeIdx.get(c.attrs.from)!].push(edgeIdx.get(c.attrs.to)!);
  const laneLen = (e: (typeof sEdges)[number]) => e.children.filter((l) => l.name === 'lane').map((l) => Number(l.attrs.length));
  const sumo: Side = {
    junctions: sJunctions.length,
    signals: netconvertSignals(sumoNet),
    edges: sEdges.length,
    laneKm: plainLaneKm(readXml(`${plain}.edg.xml`, ['edges']), readXml(`${plain}.nod.xml`, ['nodes'])),
    laneKmCut: sEdges.reduce((s, e) => s + laneLen(e).reduce((a, b) => a + b, 0), 0) / 1000,
    reachable: reachableShare(
      sEdges.map((e) => ({ id: e.attrs.id, from: e.attrs.from, to: e.attrs.to, length: Math.max(...laneLen(e)) })),
      (i) => succ[i],
    ),
  };
  const rou = join(dir, 'bh.rou.xml');
  run('python3', [randomTrips, '-n', netFile, '--fringe-factor', '1000', '-p', String(3600 / RATE), '-e', String(RUN), '--seed', '1', '--validate', '-o', join(dir, 'bh.trips.xml'), '-r', rou], dir, WHO);
  const tripinfo = join(dir, 'bh.tripinfo.xml');
  const log = run('sumo', ['-n', netFile, '-r', rou, '--end', String(RUN), '--tripinfo-output', tripinfo, '--no-step-log', '--no-warnings', '--duration-log.statistics'], dir, WHO);
  const trips = readXml(tripinfo, ['tripinfos']).children.filter((c) => c.name === 'tripinfo').map((t) => Number(t.attrs.duration));
  const num = (re: RegExp) => Number(re.exec(log)?.[1] ?? 0);
  Object.assign(sumo, {
    inserted: num(/Inserted: (\d+)/),
    arrived: trips.length,
    removed: num(/Teleports: (\d+)/),
    collisions: num(/Collisions: (\d+)/),
    meanTrip: trips.reduce((a, b) => a + b, 0) / Math.max(1, trips.length),
  });

  // ---- the table
  const pct = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(1)} %` : '');
  const rows: [string, (s: Side) => string, boolean][] = [
    ['junctions', (s) => String(s.junctions), true],
    ['signal plans', (s) => String(s.signals.plans), true],
    ['signal plans at a junction (3+ roads)', (s) => String(s.signals.atJunctions), true],
    ['edges', (s) => String(s.edges), true],
    ['lane-km, junction centre to centre', (s) => s.laneKm.toFixed(1), true],
    ['lane-km of lanes cut at the junction edge', (s) => (s.laneKmCut === undefined ? '' : s.laneKmCut.toFixed(1)), false],
    ['road length reachable from the fringe', (s) => `${(s.reachable * 100).toFixed(1)} %`, false],
    ['trips inserted', (s) => String(s.inserted), true],
    ['arrived', (s) => String(s.arrived), true],
    ['removed / teleports', (s) => String(s.removed), false],
    ['collisions', (s) => String(s.collisions), false],
    ['mean trip, s', (s) => s.meanTrip!.toFixed(1), true],
  ];
  const out = ['| Bad Hersfeld | roadtwin | netconvert + SUMO | roadtwin vs SUMO |', '|---|---|---|---|'];
  for (const [name, f, diff] of rows) out.push(`| ${name} | ${f(rt)} | ${f(sumo)} | ${diff ? pct(Number(f(rt).replace(/[^0-9.]/g, '')), Number(f(sumo).replace(/[^0-9.]/g, ''))) : ''} |`);
  process.stdout.write(`${out.join('\n')}\n(work files in ${dir})\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${WHO}: ${(err as Error).message}\n`);
  process.exit(1);
});
