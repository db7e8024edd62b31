/**
 * Micro benchmarks of the hot-loop pieces (vitest bench; `npm run bench:micro`). Each works on
 * the state of a 16 × 16 signalised grid after a minute of traffic (about 20,000 vehicles), so
 * that lanes, leaders and queues look like a real run. The pieces are called the way the tick
 * calls them; none of them changes the traffic state except where said.
 */
import { bench, describe } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../engine/io/scenario/index.js';
import { World } from '../../engine/sim/world.js';
import { PhaseOut } from '../../engine/traffic/phase-out.js';
import { decidePhase } from '../../engine/traffic/decide.js';
import { evaluateLaneChange } from '../../engine/traffic/lanechange.js';
import { firstAhead } from '../../engine/traffic/neighbours.js';
import { LC_ACUR, LC_ALINE, LC_ROOM, scratch } from '../../engine/traffic/scratch.js';
import { idmAccel } from '../../engine/traffic/kinematics.js';
import { findEntry } from '../../engine/traffic/insert.js';
import { LaneGeometry } from '../../engine/road/lanegeom.js';
import { RECORD_BYTES, encodeRecord } from '../../engine/io/trace/format.js';

const file = fileURLToPath(new URL('../scenarios/grid-16.yaml', import.meta.url));
const { scenario } = loadScenario(file, {
  overrides: ['detectors=[{"id":"d1","edge":"r5c5-r5c6","pos":100,"period":60},{"id":"d2","edge":"r8c8-r9c8","pos":50,"period":60}]'],
});
const world = new World(scenario);
world.run(60);
const c = world.context();
const s = world.state;
const n = world.order.count;
const out = new PhaseOut(s.capacity);

// a fixed sample of probe points (lane, position) for the leader search
const probes = 4096;
const probeLane = new Int32Array(probes);
const probePos = new Float64Array(probes);
for (let q = 0; q < probes; q++) {
  const i = s.order[(q * 7919) % n];
  probeLane[q] = s.lane[i];
  probePos[q] = s.pos[i] + 3.3;
}

// inputs of the bare car-following kernel: leader gaps and speed differences of the platoon
const gaps = new Float64Array(n);
const vs = new Float64Array(n);
const dvs = new Float64Array(n);
for (let k = 0; k < n; k++) {
  const i = s.order[k];
  vs[k] = s.speed[i];
  gaps[k] = 5 + ((k * 31) % 40);
  dvs[k] = ((k % 9) - 4) * 0.5;
}
const idmOut = new Float64Array(n);

describe(`hot-loop pieces on a 16×16 grid with ${n} vehicles`, () => {
  bench('IDM car-following kernel (one acceleration per vehicle)', () => {
    const A = c.tA[0];
    const s0 = c.tS0[0];
    const T = c.tT[0];
    const sqab2 = c.tSqab2[0];
    for (let k = 0; k < n; k++) idmOut[k] = idmAccel(vs[k], 13.89, dvs[k], gaps[k], A, s0, T, sqab2);
  });

  bench('leader search: first vehicle ahead on a lane (4,096 probes)', () => {
    let acc = 0;
    for (let q = 0; q < probes; q++) acc += firstAhead(c, probeLane[q], probePos[q], -1);
    if (acc < 0) throw new Error('unreachable');
  });

  bench('decide phase: leaders across lanes and junctions, IDM, signals, MOBIL (whole order)', () => {
    out.reset(s.capacity);
    decidePhase(c, 0, n, out);
  });

  bench('lane-change evaluation (MOBIL on both sides, every vehicle)', () => {
    for (let k = 0; k < n; k++) {
      const i = s.order[k];
      const lane = s.lane[i];
      scratch[LC_ACUR] = s.accel[i];
      scratch[LC_ALINE] = Infinity;
      scratch[LC_ROOM] = Infinity;
      evaluateLaneChange(c, i, k, lane, false, false, 1);
    }
  });

  bench('lane order maintenance: re-sort every lane', () => {
    world.laneDirty.fill(1);
    world.order.update(s, world.laneDirty);
  });

  bench('insertion: find an entry gap on a loaded fringe edge (100 departures)', () => {
    const route = s.route[s.order[0]];
    for (let q = 0; q < 100; q++) findEntry(c, world.types, { time: 0, type: 0, route, departSpeed: 'max', stopFirst: -1, stopCount: 0, source: 0 }, 1);
  });

  bench('detector update (2 loops, one tick)', () => {
    world.detectors.record(c, world.time, () => {});
  });

  const geom = new LaneGeometry(world.net);
  const xyh = new Float64Array(3);
  const frame = new DataView(new ArrayBuffer(n * RECORD_BYTES + 64));
  const box = { minX: -100, minY: -100, maxX: 3300, maxY: 3300 };
  bench('trace encoding: position on the lane geometry and an 11-byte record per vehicle (one frame)', () => {
    for (let k = 0; k < n; k++) {
      const i = s.order[k];
      geom.point(s.lane[i], s.pos[i], xyh);
      encodeRecord(frame, k * RECORD_BYTES, box, s.id[i], xyh[0], xyh[1], xyh[2], s.speed[i], 0, 0);
    }
  });

  bench('whole tick (advances the simulation)', () => {
    world.step();
  });
});
