/**
 * Memory over a long run: runs a scenario in this process with a full run writer (every output
 * file is written, as with `roadtwin run`) and prints, every `--every` simulated seconds, the
 * resident set, the V8 heap and the sizes of the structures that could grow with simulated time
 * rather than with the vehicles on the road (route and stop tables, router caches, departure
 * queues, V2X per-second statistics).
 *
 *   node dist/bench/memory.js scenarios/laoshan.yaml --duration 14400 [--every 900] [--out DIR] [--workers N] [--stretch]
 *   node dist/bench/memory.js --load-trips 1000000 [--grid 16]
 *
 * At the end it prints the bytes per vehicle of state (per slot of the vehicle arrays and the
 * phases' output lists, which are sized by the most vehicles on the road at once, not by the
 * demand), per route of the route table, and per departure of the trips files, and the peak
 * resident set of the process.
 *
 * `--load-trips N` is the load benchmark of trips files: it writes a G × G signalised grid and N
 * random trips between its fringe edges as a trips file (in a temporary folder), then loads the
 * scenario and prints the time it took, the peak resident memory and the bytes per trip.
 *
 * `--stretch` moves the end of every flow and randomTrips entry (and of every trip list's last
 * departure window) that ends at the scenario's own duration to the new duration, so that a
 * one-hour scenario keeps its demand for the whole long run instead of emptying after an hour.
 * Prints one CSV row per sample; call `global.gc` is used when node runs with --expose-gc, so that
 * the heap figures are live data rather than garbage not yet collected.
 * The run is a run session (engine/io/run/session.ts) advanced from one sample to the next.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadScenario, type Scenario } from '../engine/io/scenario/index.js';
import type { World } from '../engine/sim/world.js';
import { RunSession } from '../engine/io/run/session.js';
import { BYTES_PER_SLOT } from '../engine/core/state.js';
import { tripTableBytes, tripTableOf } from '../engine/spec/trip-table.js';
import { writeTripsCsv, type TripRow } from '../engine/io/scenario/trips-csv-write.js';
import { expandNetwork } from '../engine/road/expand.js';
import { buildNetwork } from '../engine/road/network.js';
import { fringeEdges } from '../engine/road/routing.js';

interface Args {
  file: string;
  duration?: number;
  every: number;
  out?: string;
  workers: number;
  stretch: boolean;
  loadTrips?: number;
  grid: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { file: '', every: 900, workers: 1, stretch: false, grid: 16 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--duration') args.duration = Number(next());
    else if (a === '--every') args.every = Number(next());
    else if (a === '--out') args.out = next();
    else if (a === '--workers') args.workers = Number(next());
    else if (a === '--stretch') args.stretch = true;
    else if (a === '--load-trips') args.loadTrips = Number(next());
    else if (a === '--grid') args.grid = Number(next());
    else if (!args.file) args.file = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.file && args.loadTrips === undefined) throw new Error('usage: memory.js <scenario.yaml> [--duration S] [--every S] [--out DIR] [--workers N] [--stretch]');
  return args;
}

/** The demand of a scenario with every window that ran to its end moved to `duration`. */
export function stretchDemand(s: Scenario, duration: number): Scenario {
  const end = s.duration;
  const demand = s.demand.map((d) => {
    if ('flow' in d && d.flow.end >= end) return { flow: { ...d.flow, end: duration } };
    if ('randomTrips' in d && d.randomTrips.end >= end) return { randomTrips: { ...d.randomTrips, end: duration } };
    return d;
  });
  return { ...s, duration, demand };
}

export interface MemorySample {
  simTime: number;
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
  arrayBuffersMB: number;
  active: number;
  inserted: number;
  routes: number;
  routeEdges: number;
  stops: number;
  routerPaths: number;
  waiting: number;
}

export function sampleMemory(w: World): MemorySample {
  const m = process.memoryUsage();
  const mb = (x: number) => Math.round((x / 2 ** 20) * 10) / 10;
  return {
    simTime: Math.round(w.time),
    rssMB: mb(m.rss),
    heapUsedMB: mb(m.heapUsed),
    externalMB: mb(m.external),
    arrayBuffersMB: mb(m.arrayBuffers),
    active: w.active,
    inserted: w.totals.inserted,
    routes: w.routes.count,
    routeEdges: w.routes.edgesUsed,
    stops: w.routes.stopCount,
    routerPaths: w.router.cachedPaths,
    waiting: w.waiting,
  };
}

/** Bytes per vehicle slot, per route and per departure of a world (the benchmark's unit costs). */
export function unitBytes(w: World, parts: number): { perVehicleSlot: number; perRoute: number; perDeparture: number | null; departures: number } {
  // the vehicle arrays, and the five output lists of each part of the runner and of the merge
  const perVehicleSlot = BYTES_PER_SLOT + 5 * 4 * (parts + 1);
  const r = w.routes;
  const perRoute = r.count > 0 ? (r.edgesUsed * 4 + r.count * (4 + 4 + 1)) / r.count : 0;
  let bytes = 0;
  let departures = 0;
  for (const d of w.scenario.demand) {
    const t = tripTableOf(d);
    if (t) {
      bytes += tripTableBytes(t);
      departures += t.count;
    }
  }
  return { perVehicleSlot, perRoute: Math.round(perRoute * 10) / 10, perDeparture: departures > 0 ? Math.round((bytes / departures) * 10) / 10 : null, departures };
}

const peakMB = () => Math.round(process.resourceUsage().maxRSS / 102.4) / 10;

/** The load benchmark: N random trips on a G × G grid as a trips file, loaded and measured. */
function loadBenchmark(n: number, g: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'roadtwin-load-'));
  try {
    const yaml = `name: load-${n}
duration: 7200
step: 1
network:
  grid: { rows: ${g}, cols: ${g}, spacing: 200, lanes: 2, speedLimit: 13.9, signals: { cycle: 90 } }
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 2.6, decel: 4.5, headway: 1, minGap: 2.5 }
demand:
  - tripsFile: trips.csv
`;
    writeFileSync(join(dir, 'load.yaml'), yaml);
    // trips between fringe edges, as randomTrips.py --fringe-factor draws them, a third with a via edge
    const probe = loadScenario(join(dir, 'load.yaml'), { overrides: ['demand=[]'] });
    const net = buildNetwork(expandNetwork(probe.scenario.network));
    const { sources, sinks } = fringeEdges(net);
    // via edges inside the grid (a fringe edge leads only in or only out)
    const fringe = new Set([...sources, ...sinks]);
    const inner = net.edgeIds.map((_, e) => e).filter((e) => !fringe.has(e));
    let x = 1;
    const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    function* rows(): Generator<TripRow> {
      for (let k = 0; k < n; k++) {
        const from = net.edgeIds[sources[Math.floor(rnd() * sources.length)]];
        const to = net.edgeIds[sinks[Math.floor(rnd() * sinks.length)]];
        const row: TripRow = { id: String(k), type: 'car', depart: Math.round((k * 3600 * 100) / n) / 100, from, to, departSpeed: 0 };
        if (k % 3 === 0) row.via = [net.edgeIds[inner[Math.floor(rnd() * inner.length)]]];
        yield row;
      }
    }
    const t0 = performance.now();
    writeTripsCsv(join(dir, 'trips.csv'), rows(), ['id', 'type', 'depart', 'from', 'to', 'via', 'departSpeed']);
    const written = (performance.now() - t0) / 1000;
    const before = peakMB();
    const t1 = performance.now();
    const loaded = loadScenario(join(dir, 'load.yaml'));
    const seconds = (performance.now() - t1) / 1000;
    const t = tripTableOf(loaded.scenario.demand[0])!;
    console.log(`trips,${t.count}`);
    console.log(`file MB,${Math.round(t.bytes / 2 ** 20)}`);
    console.log(`written in s,${written.toFixed(1)}`);
    console.log(`loaded in s,${seconds.toFixed(2)}`);
    console.log(`peak RSS MB before load,${before}`);
    console.log(`peak RSS MB after load,${peakMB()}`);
    console.log(`bytes per trip (table),${(tripTableBytes(t) / t.count).toFixed(1)}`);
    console.log(`via lists (interned),${t.viaLists}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.loadTrips !== undefined) return loadBenchmark(args.loadTrips, args.grid);
  const loaded = loadScenario(args.file);
  const scenario = args.duration !== undefined ? (args.stretch ? stretchDemand(loaded.scenario, args.duration) : { ...loaded.scenario, duration: args.duration }) : loaded.scenario;
  const dir = args.out ? resolve(args.out) : mkdtempSync(join(tmpdir(), 'roadtwin-memory-'));
  const session = await RunSession.start({ source: { scenario, scenarioHash: loaded.hash, scenarioFile: resolve(args.file), out: dir }, workers: args.workers });
  if ('refused' in session) throw new Error(session.message);
  const { world } = session;
  const gc = (globalThis as { gc?: () => void }).gc;
  const rows: MemorySample[] = [];
  const emit = () => {
    gc?.();
    const r = sampleMemory(world);
    if (rows.length === 0) console.log(Object.keys(r).join(','));
    rows.push(r);
    console.log(Object.values(r).join(','));
  };
  emit();
  const total = world.ticksTotal;
  let nextSample = args.every;
  try {
    while (world.tick < total) {
      if (!(await session.advance(nextSample))) throw session.fault ?? new Error('the run stopped early');
      if (world.time >= nextSample - 1e-9) {
        emit();
        nextSample += args.every;
      }
    }
    await session.finish();
  } finally {
    await session.close();
  }
  emit();
  const u = unitBytes(world, args.workers);
  const maxActive = world.state.used;
  console.error(
    `state: ${u.perVehicleSlot} bytes per vehicle slot × ${world.state.capacity} slots (most on the road at once: ${maxActive}; inserted: ${world.totals.inserted}); ` +
      `routes: ${u.perRoute} bytes per route × ${world.routes.count}; ` +
      `trips files: ${u.perDeparture === null ? 'none' : `${u.perDeparture} bytes per departure × ${u.departures}`}`,
  );
  console.error(`peak RSS ${peakMB()} MB (the process's maximum resident set); run directory ${dir}`);
  if (!args.out) rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
