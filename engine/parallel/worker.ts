/**
 * A worker thread of the parallel runner: waits on the shared control block, runs its range of
 * the lane order for each phase, reports completion. It receives buffers (at start, and when the
 * main thread has grown an array) as one synchronous message per remap command.
 *
 * Testing hook: ROADTWIN_FAULT="throw|exit:<part>:<tick>:<phase>" makes part <part> throw, or exit
 * its thread, when it runs <phase> at <tick>, to check that a failing worker stops the run
 * cleanly.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { VehicleState } from '../core/state.js';
import { makeContext, type ContextSettings, type NetArrays, type RouteArrays, type TypeArrays } from '../traffic/context.js';
import { PhaseOut, type PhaseOutBuffers } from '../traffic/phase-out.js';
import { Detectors } from '../traffic/detectors.js';
import { PlaceTally, type PlaceTallyBuffers } from '../traffic/place-tally.js';
import type { DetectorSpec } from '../spec/schema.js';
import type { Network } from '../road/network.js';
import type { V2xModelInput } from '../v2x/model.js';
import type { V2xWorkerBuffers } from '../v2x/system.js';
import { V2xWorkerSide } from '../v2x/worker-side.js';
import { LogisticsWorkerSide, type LogisticsWorkerInput } from '../logistics/parallel.js';
import { THREAD_PHASES, type ThreadSide } from '../sim/phases.js';
import { BOUNDS, COUNT, DONE, ELAPSED, ERROR, PHASE, PH_EXIT, PH_FIRST, PH_REMAP, SEQ, TICK, phaseName } from './control.js';

export interface WorkerStatic {
  net: NetArrays;
  types: TypeArrays;
  connState: SharedArrayBuffer;
  laneStart: SharedArrayBuffer;
  laneDirty: SharedArrayBuffer;
  laneWish: [SharedArrayBuffer, SharedArrayBuffer];
  laneEvents: SharedArrayBuffer;
  settings: ContextSettings;
  /** the scenario has V2X: what its model is built from */
  v2x?: V2xModelInput;
  /** the scenario has induction loops: what they are built from, and their shared accumulators */
  detectors?: { specs: DetectorSpec[]; net: Pick<Network, 'edgeIndex' | 'edgeFirstLane' | 'edgeLanes'>; arrays: Record<string, SharedArrayBuffer> };
  /** the scenario has logistics: the fleets' shared arrays and what they are built from */
  logistics?: LogisticsWorkerInput;
  /** the run writes figures per place: each part's tally (place-tally.ts) */
  places?: PlaceTallyBuffers[];
}

export interface RemapMessage {
  static?: WorkerStatic;
  state: Record<string, SharedArrayBuffer>;
  capacity: number;
  routes: Record<keyof RouteArrays, SharedArrayBuffer>;
  out: PhaseOutBuffers;
  v2x?: V2xWorkerBuffers;
}

interface WorkerInit {
  part: number;
  parts: number;
  ctrl: SharedArrayBuffer;
  port: MessagePort;
  /** how long to poll for the next command before sleeping, ms (0 when threads share cores) */
  spinMs: number;
}

const init = workerData as WorkerInit;
const ctrl = new Int32Array(init.ctrl);
const fault = parseFault(process.env.ROADTWIN_FAULT);

let stat: WorkerStatic | null = null;
/** this thread's views of the shared arrays and the systems' worker sides (null until the first remap) */
let side: ThreadSide | null = null;
let laneWish: [Int32Array, Int32Array] | null = null;
let v2x: ThreadSide['v2x'] = null;
let logistics: ThreadSide['logistics'] = null;
let detectors: ThreadSide['detectors'] = null;
let places: ThreadSide['places'] = null;
let finished = false;

function remap(m: RemapMessage): void {
  if (m.static) {
    stat = m.static;
    if (stat.logistics) logistics = new LogisticsWorkerSide(stat.logistics);
    if (stat.detectors) detectors = new Detectors(stat.detectors.specs, stat.detectors.net, stat.detectors.arrays);
    if (stat.places) places = PlaceTally.fromBuffers(stat.places[init.part]);
  }
  if (!stat) throw new Error('remap before the static data');
  const wrap = <T>(Ctor: new (b: SharedArrayBuffer) => T, b: SharedArrayBuffer) => new Ctor(b);
  const routes: RouteArrays = {
    edges: wrap(Int32Array, m.routes.edges),
    start: wrap(Int32Array, m.routes.start),
    length: wrap(Int32Array, m.routes.length),
    loop: wrap(Uint8Array, m.routes.loop),
    stopEdge: wrap(Int32Array, m.routes.stopEdge),
    stopPos: wrap(Float64Array, m.routes.stopPos),
    stopDur: wrap(Float64Array, m.routes.stopDur),
    stopLane: wrap(Int32Array, m.routes.stopLane),
    stopUntil: wrap(Float64Array, m.routes.stopUntil),
  };
  laneWish = [new Int32Array(stat.laneWish[0]), new Int32Array(stat.laneWish[1])];
  const ctx = makeContext(stat.net, new Uint8Array(stat.connState), routes, stat.types, VehicleState.fromBuffers(m.state, m.capacity), new Int32Array(stat.laneStart), new Uint8Array(stat.laneDirty), new Float64Array(stat.laneEvents), stat.settings);
  const out = new PhaseOut(0, m.out);
  if (m.v2x) {
    if (!stat.v2x) throw new Error('V2X buffers without the V2X model');
    if (!v2x) v2x = new V2xWorkerSide(stat.v2x, m.v2x);
    else v2x.map(m.v2x);
  }
  side = { ctx, out, detectors, places, v2x, logistics };
}

function runPhase(phase: number): void {
  if (phase === PH_REMAP) {
    const msg = receiveMessageOnPort(init.port);
    if (!msg) throw new Error('remap command without its message');
    remap(msg.message as RemapMessage);
    return;
  }
  if (!side || !laneWish) throw new Error('phase before the buffers');
  const entry = THREAD_PHASES[phase - PH_FIRST];
  if (!entry) throw new Error(`unknown phase ${phaseName(phase)}`);
  const ctx = side.ctx;
  const tick = Atomics.load(ctrl, TICK);
  ctx.time = tick * ctx.dt;
  ctx.tick = tick;
  ctx.laneWish = laneWish[tick & 1];
  if (fault && fault.part === init.part && fault.tick === tick && entry.name === fault.phase) {
    if (fault.mode === 'exit') process.exit(3);
    throw new Error(`injected fault (ROADTWIN_FAULT) in part ${init.part}`);
  }
  const n = Atomics.load(ctrl, COUNT);
  const k0 = Atomics.load(ctrl, BOUNDS + init.part);
  const k1 = init.part + 1 < init.parts ? Atomics.load(ctrl, BOUNDS + init.part + 1) : n;
  const t0 = performance.now();
  entry.work(side, k0, k1, init.part);
  Atomics.store(ctrl, ELAPSED + init.part, Math.round((performance.now() - t0) * 1000));
}

function report(): void {
  Atomics.add(ctrl, DONE, 1);
  Atomics.notify(ctrl, DONE);
}

// a thread that ends without finishing its command must not leave the main thread waiting
process.on('exit', (code) => {
  if (finished) return;
  Atomics.store(ctrl, ERROR, init.part);
  init.port.postMessage({ error: `worker thread of part ${init.part} exited with code ${code}` });
  report();
});

let seen = 0;
for (;;) {
  // Wait for a new command. A wake-up does not mean one: the main thread's notify can arrive
  // after this worker has already seen the new SEQ and done the work (it bumps SEQ, then
  // notifies), so re-check, or the same command runs twice.
  // Spin first (when every thread has a core of its own): the next phase usually comes within a
  // millisecond or two, and waking a sleeping thread costs a good part of that.
  let current = Atomics.load(ctrl, SEQ);
  if (current === seen && init.spinMs > 0) {
    const until = performance.now() + init.spinMs;
    for (let spin = 1; current === seen; spin++) {
      current = Atomics.load(ctrl, SEQ);
      if ((spin & 1023) === 0 && performance.now() > until) break;
    }
  }
  while (current === seen) {
    Atomics.wait(ctrl, SEQ, seen);
    current = Atomics.load(ctrl, SEQ);
  }
  seen = current;
  const phase = Atomics.load(ctrl, PHASE);
  if (phase === PH_EXIT) break;
  try {
    runPhase(phase);
  } catch (err) {
    Atomics.store(ctrl, ERROR, init.part);
    init.port.postMessage({ error: (err as Error)?.stack ?? String(err) });
  }
  report();
}
finished = true;
init.port.close();

function parseFault(spec: string | undefined): { mode: string; part: number; tick: number; phase: string } | null {
  if (!spec) return null;
  const [mode, part, tick, phase] = spec.split(':');
  return { mode, part: Number(part), tick: Number(tick), phase };
}
