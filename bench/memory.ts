/**
 * Memory over a long run: runs a scenario in this process with a full run writer (every output
 * file is written, as with `roadtwin run`) and prints, every `--every` simulated seconds, the
 * resident set, the V8 heap and the sizes of the structures that could grow with simulated time
 * rather than with the vehicles on the road (route and stop tables, router caches, departure
 * queues, V2X per-second statistics).
 *
 *   node dist/bench/memory.js scenarios/laoshan.yaml --duration 14400 [--every 900] [--out DIR] [--workers N] [--stretch]
 *
 * `--stretch` moves the end of every flow and randomTrips entry (and of every trip list's last
 * departure window) that ends at the scenario's own duration to the new duration, so that a
 * one-hour scenario keeps its demand for the whole long run instead of emptying after an hour.
 * Prints one CSV row per sample; call `global.gc` is used when node runs with --expose-gc, so that
 * the heap figures are live data rather than garbage not yet collected.
 * The run is a run session (engine/io/run/session.ts) advanced from one sample to the next.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadScenario, type Scenario } from '../engine/io/scenario/index.js';
import type { World } from '../engine/sim/world.js';
import { RunSession } from '../engine/io/run/session.js';

interface Args {
  file: string;
  duration?: number;
  every: number;
  out?: string;
  workers: number;
  stretch: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { file: '', every: 900, workers: 1, stretch: false };
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
    else if (!args.file) args.file = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.file) throw new Error('usage: memory.js <scenario.yaml> [--duration S] [--every S] [--out DIR] [--workers N] [--stretch]');
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

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
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
  const peak = Math.max(...rows.map((r) => r.rssMB));
  console.error(`peak RSS ${peak} MB; run directory ${dir}`);
  if (!args.out) rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
