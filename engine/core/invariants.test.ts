// Property-based invariants of the tick loop (fast-check): on random small networks (rings,
// grids with and without signals, explicit chains and stars) with random demand and random
// valid vehicle types, after every tick
//  - the lane order is consistent: each lane's segment holds exactly its vehicles, by position;
//  - no vehicle overlaps its leader on the same lane (bumper-to-bumper gap >= 0), including the
//    leader across the seam of a ring;
//  - inserted = arrived + active + removed (nothing disappears), and every depart, arrive and
//    remove has its event;
//  - every speed is within [0, maxSpeed of its type] and every position within [0, lane length];
//  - a stop line is crossed on red only by a driver who had committed (F_PASS) before the tick.
// The runs use a fixed fast-check seed so that CI is reproducible; set FC_SEED=<n> to explore
// other seeds, FC_RUNS=<n> for more runs per property and FC_SHRINK=1 to shrink a failure.
// After the properties, the counter-examples they found are kept as fixed scenarios.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { F_ACTIVE, F_PASS } from './state.js';
import { SIG_RED } from '../road/signals.js';
import { CrossingWatch } from '../traffic/crossings.testkit.js';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20240611;
const RUNS = process.env.FC_RUNS !== undefined ? Number(process.env.FC_RUNS) : 25;
const fcOptions = { seed: SEED, numRuns: RUNS, endOnFailure: process.env.FC_SHRINK === undefined };

/** A value with `digits` decimals in [min, max]. */
const num = (min: number, max: number, digits = 2) => {
  const f = 10 ** digits;
  return fc.integer({ min: Math.ceil(min * f), max: Math.floor(max * f) }).map((k) => k / f);
};

interface VType {
  length: number;
  maxSpeed: number;
  accel: number;
  decel: number;
  headway: number;
  minGap: number;
  speedFactor?: number;
  speedDev?: number;
  carFollowing?: 'idm' | 'krauss';
  sigma?: number;
}

const vehicleType: fc.Arbitrary<VType> = fc.record(
  {
    length: num(4, 12, 1),
    maxSpeed: num(8, 40, 1),
    accel: num(0.8, 3),
    decel: num(1.5, 4.5),
    headway: num(0.8, 2),
    minGap: num(1, 3),
    // drivers who want other speeds than the limit (optional keys, defaults 1 and 0)
    speedFactor: num(0.7, 1.3),
    speedDev: num(0, 0.2),
    // Krauss drivers (SUMO's default model) move by the Euler update: mixed with IDM drivers,
    // every pair of kinds meets as leader and follower (optional keys, defaults idm and 0)
    carFollowing: fc.constantFrom('idm' as const, 'krauss' as const),
    sigma: num(0, 1),
  },
  { requiredKeys: ['length', 'maxSpeed', 'accel', 'decel', 'headway', 'minGap'] },
);

const types = fc
  .array(vehicleType, { minLength: 1, maxLength: 3 })
  .map((list) => Object.fromEntries(list.map((t, k) => [`t${k}`, t])) as Record<string, VType>);

const step = fc.constantFrom(0.1, 0.1, 0.1, 0.2, 0.25, 0.5);
const duration = fc.integer({ min: 30, max: 90 });

type Scn = Record<string, unknown> & { vehicleTypes: Record<string, VType> };

const longest = (t: Record<string, VType>) => Math.max(...Object.values(t).map((v) => v.length + v.minGap));
const typeNames = (t: Record<string, VType>) => Object.keys(t);

// ---------------------------------------------------------------- rings

const ringScenario: fc.Arbitrary<Scn> = fc
  .record({
    length: num(60, 1500, 1),
    lanes: fc.integer({ min: 1, max: 3 }),
    speedLimit: num(5, 30, 1),
    vehicleTypes: types,
    fill: fc.double({ min: 0.02, max: 0.95, noNaN: true }),
    jitter: fc.option(num(0, 10, 1), { nil: undefined }),
    speed: fc.option(num(0, 30, 1), { nil: undefined }),
    step,
    duration,
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map((r) => {
    const room = r.length * r.lanes;
    const count = Math.max(1, Math.floor((r.fill * room) / longest(r.vehicleTypes)));
    // one place entry per type (up to two), sharing the count; each spreads over the whole ring
    const names = typeNames(r.vehicleTypes).slice(0, 2);
    const per = Math.max(1, Math.floor(count / names.length));
    return {
      name: 'prop-ring',
      seed: r.seed,
      duration: r.duration,
      step: r.step,
      network: { ring: { length: r.length, lanes: r.lanes, speedLimit: r.speedLimit } },
      vehicleTypes: r.vehicleTypes,
      demand: names.map((type) => ({
        place: { type, count: per, ...(r.jitter !== undefined ? { jitter: r.jitter } : {}), ...(r.speed !== undefined ? { speed: r.speed } : {}) },
      })),
    };
  });

// ---------------------------------------------------------------- grids

const gridScenario: fc.Arbitrary<Scn> = fc
  .record({
    rows: fc.integer({ min: 2, max: 4 }),
    cols: fc.integer({ min: 2, max: 4 }),
    spacing: num(60, 300, 0),
    lanes: fc.integer({ min: 1, max: 2 }),
    speedLimit: num(6, 20, 1),
    signals: fc.option(fc.record({ cycle: fc.integer({ min: 20, max: 90 }), yellow: fc.integer({ min: 2, max: 4 }) }), { nil: undefined }),
    vehicleTypes: types,
    period: num(0.5, 8, 1),
    placeShare: fc.option(fc.double({ min: 0.01, max: 0.3, noNaN: true }), { nil: undefined }),
    step,
    duration,
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map((g) => {
    const names = typeNames(g.vehicleTypes);
    const demand: unknown[] = names.map((type) => ({ randomTrips: { type, period: g.period * names.length, begin: 0, end: g.duration } }));
    if (g.placeShare !== undefined) {
      const edges = 2 * (g.rows * (g.cols - 1) + g.cols * (g.rows - 1)) + 4 * (g.rows + g.cols);
      const room = edges * g.lanes * g.spacing;
      demand.push({ place: { type: names[0], count: Math.max(1, Math.floor((g.placeShare * room) / longest(g.vehicleTypes))), jitter: 3 } });
    }
    return {
      name: 'prop-grid',
      seed: g.seed,
      duration: g.duration,
      step: g.step,
      network: {
        grid: { rows: g.rows, cols: g.cols, spacing: g.spacing, lanes: g.lanes, speedLimit: g.speedLimit, ...(g.signals ? { signals: g.signals } : {}) },
      },
      vehicleTypes: g.vehicleTypes,
      demand,
    };
  });

// ---------------------------------------------------------------- explicit chains and stars

interface Arm {
  length: number;
  lanesIn: number;
  lanesOut: number;
  speedIn: number;
  speedOut: number;
}

const arm: fc.Arbitrary<Arm> = fc.record({
  length: num(60, 500, 0),
  lanesIn: fc.integer({ min: 1, max: 2 }),
  lanesOut: fc.integer({ min: 1, max: 2 }),
  speedIn: num(6, 25, 1),
  speedOut: num(6, 25, 1),
});

const control = fc.constantFrom('priority', 'signal', 'unregulated', 'priorityStop', 'allwayStop');

/** A star: a centre junction with 3–4 two-way arms at roughly right angles. */
const starScenario: fc.Arbitrary<Scn> = fc
  .record({
    arms: fc.array(arm, { minLength: 3, maxLength: 4 }),
    skew: fc.array(num(-20, 20, 0), { minLength: 4, maxLength: 4 }),
    control,
    vehicleTypes: types,
    flows: fc.array(fc.record({ from: fc.nat(3), to: fc.nat(3), rate: fc.integer({ min: 100, max: 1500 }), random: fc.boolean(), speed: fc.option(num(0, 20, 1), { nil: undefined }) }), {
      minLength: 1,
      maxLength: 4,
    }),
    randomTrips: fc.option(num(1, 10, 1), { nil: undefined }),
    place: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
    step,
    duration,
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map((s) => {
    const n = s.arms.length;
    const nodes: unknown[] = [{ id: 'C', x: 0, y: 0, control: s.control, ...(s.control === 'signal' ? { signal: { cycle: 40, yellow: 3 } } : {}) }];
    const edges: unknown[] = [];
    s.arms.forEach((a, k) => {
      const ang = ((k * 360) / n + s.skew[k]) * (Math.PI / 180);
      const x = Math.round(a.length * Math.cos(ang) * 100) / 100;
      const y = Math.round(a.length * Math.sin(ang) * 100) / 100;
      nodes.push({ id: `A${k}`, x, y });
      edges.push({ id: `in${k}`, from: `A${k}`, to: 'C', lanes: a.lanesIn, speedLimit: a.speedIn });
      edges.push({ id: `out${k}`, from: 'C', to: `A${k}`, lanes: a.lanesOut, speedLimit: a.speedOut });
    });
    const names = typeNames(s.vehicleTypes);
    const demand: unknown[] = [];
    s.flows.forEach((f, k) => {
      const from = f.from % n;
      let to = f.to % n;
      if (to === from) to = (from + 1) % n; // no U-turn at the centre
      demand.push({
        flow: { type: names[k % names.length], route: [`in${from}`, `out${to}`], rate: f.rate, ...(f.random ? { headways: 'exponential' } : {}), begin: 0, end: 3600, ...(f.speed !== undefined ? { departSpeed: f.speed } : {}) },
      });
    });
    if (s.randomTrips !== undefined) demand.push({ randomTrips: { type: names[names.length - 1], period: s.randomTrips, begin: 0, end: 3600 } });
    if (s.place !== undefined) demand.push({ place: { type: names[0], count: s.place, jitter: 2 } });
    return { name: 'prop-star', seed: s.seed, duration: s.duration, step: s.step, network: { nodes, edges }, vehicleTypes: s.vehicleTypes, demand };
  });

/** A chain of nodes along a wiggly line, two-way or one-way links, traffic end to end. */
const chainScenario: fc.Arbitrary<Scn> = fc
  .record({
    links: fc.array(fc.record({ length: num(30, 400, 0), dy: num(-50, 50, 0), lanes: fc.integer({ min: 1, max: 3 }), back: fc.integer({ min: 0, max: 3 }), speed: num(5, 30, 1) }), {
      minLength: 1,
      maxLength: 5,
    }),
    vehicleTypes: types,
    rate: fc.integer({ min: 200, max: 3000 }),
    backRate: fc.integer({ min: 100, max: 1500 }),
    place: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
    step,
    duration,
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map((c) => {
    const nodes: unknown[] = [{ id: 'N0', x: 0, y: 0 }];
    const edges: unknown[] = [];
    let x = 0;
    let y = 0;
    // two-way everywhere or nowhere: a one-way link in a two-way chain would cut the way back
    const twoWay = c.links[0].back > 0;
    c.links.forEach((l, k) => {
      x += l.length;
      y += l.dy;
      nodes.push({ id: `N${k + 1}`, x, y });
      edges.push({ id: `f${k}`, from: `N${k}`, to: `N${k + 1}`, lanes: l.lanes, speedLimit: l.speed });
      if (twoWay) edges.push({ id: `b${k}`, from: `N${k + 1}`, to: `N${k}`, lanes: Math.max(1, l.lanes - 1), speedLimit: l.speed });
    });
    const names = typeNames(c.vehicleTypes);
    const last = c.links.length - 1;
    const demand: unknown[] = [{ flow: { type: names[0], from: 'f0', to: `f${last}`, rate: c.rate, begin: 0, end: 3600 } }];
    if (twoWay) demand.push({ flow: { type: names[names.length - 1], from: `b${last}`, to: 'b0', rate: c.backRate, begin: 0, end: 3600, departSpeed: 0 } });
    if (c.place !== undefined) {
      const room = c.links.reduce((sum, l) => sum + l.length * l.lanes, 0);
      const count = Math.min(c.place, Math.floor((0.8 * room) / (c.vehicleTypes[names[0]].length + c.vehicleTypes[names[0]].minGap)));
      if (count > 0) demand.push({ place: { type: names[0], count } });
    }
    return { name: 'prop-chain', seed: c.seed, duration: c.duration, step: c.step, network: { nodes, edges }, vehicleTypes: c.vehicleTypes, demand };
  });

// ---------------------------------------------------------------- the checks

/** Throws on the first broken invariant, naming the tick and vehicle. */
function checkWorld(w: World, where: string): void {
  const s = w.state;
  const net = w.net;
  const ls = w.order.laneStart;
  const fail = (msg: string): never => {
    throw new Error(`${where} (t=${w.time.toFixed(2)}, tick ${w.tick}): ${msg}`);
  };
  if (w.order.count !== s.active) fail(`lane order holds ${w.order.count} vehicles, ${s.active} are active`);
  if (ls[0] !== 0 || ls[net.laneCount] !== w.order.count) fail('lane segments do not cover the order');
  if (w.totals.inserted !== w.totals.arrived + s.active + w.totals.removed)
    fail(`inserted ${w.totals.inserted} != arrived ${w.totals.arrived} + active ${s.active} + removed ${w.totals.removed}`);
  for (let l = 0; l < net.laneCount; l++) {
    const a = ls[l];
    const b = ls[l + 1];
    if (b < a) fail(`lane ${l}: segment ends before it starts`);
    const len = net.laneLength[l];
    for (let k = a; k < b; k++) {
      const i = s.order[k];
      const id = s.id[i];
      const t = s.type[i];
      if (!(s.flags[i] & F_ACTIVE)) fail(`slot ${i} (vehicle ${id}) in the order is not active`);
      if (s.lane[i] !== l) fail(`vehicle ${id} is on lane ${w.laneName(s.lane[i])} but in the segment of ${w.laneName(l)}`);
      const v = s.speed[i];
      if (!(v >= 0) || v > w.types.vmax[t] + 1e-9) fail(`vehicle ${id} on ${w.laneName(l)}: speed ${v} outside [0, ${w.types.vmax[t]}]`);
      const x = s.pos[i];
      if (!(x >= 0) || x > len + 1e-9) fail(`vehicle ${id}: position ${x} outside [0, ${len}] of ${w.laneName(l)}`);
      if (k + 1 < b) {
        const L = s.order[k + 1];
        if (s.pos[L] < x) fail(`lane ${w.laneName(l)} is not sorted: vehicle ${s.id[L]} at ${s.pos[L]} after vehicle ${id} at ${x}`);
        const gap = s.pos[L] - w.types.length[s.type[L]] - x;
        if (gap < -1e-9) fail(`vehicle ${id} at ${x} overlaps its leader ${s.id[L]} at ${s.pos[L]} on ${w.laneName(l)}: gap ${gap}`);
      }
    }
    // the seam of a ring: the front vehicle follows the rear vehicle of the lane it leads into
    const e = net.laneEdge[l];
    if (b > a && net.edgeFrom[e] === net.edgeTo[e]) {
      const front = s.order[b - 1];
      const conn = s.nextConn[front];
      if (conn >= 0) {
        const nl = net.connToLane[conn];
        if (ls[nl + 1] > ls[nl]) {
          const rear = s.order[ls[nl]];
          if (rear !== front) {
            const gap = len - s.pos[front] + s.pos[rear] - w.types.length[s.type[rear]];
            if (gap < -1e-9) fail(`ring seam: vehicle ${s.id[front]} at ${s.pos[front]} overlaps vehicle ${s.id[rear]} at ${s.pos[rear]}: gap ${gap}`);
          }
        }
      }
    }
  }
}

function runChecked(scn: Scn): void {
  const text = JSON.stringify(scn);
  const { scenario } = parseScenario(text, `${scn.name}.json`);
  const w = new World(scenario);
  const s = w.state;
  const counts = { depart: 0, arrive: 0, remove: 0 };
  const ids = new Set<number>();
  w.events$.subscribe((e) => {
    if (e.kind === 'depart') {
      counts.depart++;
      if (ids.has(e.id)) throw new Error(`vehicle id ${e.id} departs twice`);
      ids.add(e.id);
    } else if (e.kind === 'arrive') counts.arrive++;
    else if (e.kind === 'remove') counts.remove++;
  });
  w.start();
  checkWorld(w, 'after start');
  const watch = new CrossingWatch(w);
  while (w.tick < w.ticksTotal) {
    const t = w.time;
    const crossings = watch.step();
    checkWorld(w, 'after step');
    // a stop line is crossed on red only by a driver who committed (F_PASS) before this tick
    for (const x of crossings)
      if (x.signal === SIG_RED && !(x.flagsBefore & F_PASS))
        throw new Error(`t=${t.toFixed(2)}: vehicle ${s.id[x.slot]} crossed into ${w.laneName(s.lane[x.slot])} on red without having committed before`);
    if (counts.depart !== w.totals.inserted || counts.arrive !== w.totals.arrived || counts.remove !== w.totals.removed)
      throw new Error(`events (${JSON.stringify(counts)}) do not match the totals at tick ${w.tick}`);
  }
  if (w.totals.collisions !== 0) throw new Error(`the engine counted ${w.totals.collisions} collisions`);
  if (w.totals.minGap < 0) throw new Error(`the engine saw a negative gap ${w.totals.minGap}`);
  if (w.totals.redViolations !== 0) throw new Error(`the engine counted ${w.totals.redViolations} red-light violations`);
}

// ---------------------------------------------------------------- long steps, congested

/**
 * The same networks at long and short steps (1, 0.5, 0.25, 0.1, 0.05 s), congested: dense demand that queues
 * back through the junctions, over long enough a run that the signalised grids lock and the
 * gridlock timeout (shortened to 60 s) removes vehicles. Every way a vehicle gets a new leader
 * happens here at a step where it travels up to a lane's worth of metres in one tick: junction
 * crossings by vehicles behind the front one, merges of several approaches onto one exit lane
 * (checked as every lane's pairs after each tick), lane changes, insertions behind a queue's
 * tail. The safety envelope (docs/models.md) must hold for all of them.
 */
const longStep = fc.constantFrom(1, 1, 0.5, 0.25, 0.1, 0.05);
const congested = <T extends Scn>(arb: fc.Arbitrary<T>, longDuration: fc.Arbitrary<number>) =>
  fc.record({ scn: arb, step: longStep, duration: longDuration }).map(({ scn, step, duration }) => ({
    ...scn,
    step,
    duration: step <= 0.1 ? Math.min(duration, step < 0.1 ? 60 : 150) : duration,
    traffic: { gridlockTimeout: 60 },
  }));
const denseGrid: fc.Arbitrary<Scn> = gridScenario.map((g) => ({
  ...g,
  // a departure every 0.3–1 s per type: far more than the grid carries
  demand: (g.demand as { randomTrips?: { period: number } }[]).map((d) => (d.randomTrips ? { randomTrips: { ...d.randomTrips, period: Math.min(d.randomTrips.period, 1) * 0.3 + 0.3, end: 3600 } } : d)),
}));

/** Each property runs 25 scenarios of up to 400 simulated seconds: minutes on a busy machine. */
const LONG_TIMEOUT = 300_000;

describe('no overlap at long steps on congested networks (fast-check, steps 1 to 0.05 s)', () => {
  const longDuration = fc.integer({ min: 120, max: 400 });
  it('dense grids, with and without signals', () => {
    fc.assert(fc.property(congested(denseGrid, longDuration), (s) => runChecked(s)), fcOptions);
  }, LONG_TIMEOUT);

  it('stars: merges of three or four approaches', () => {
    fc.assert(fc.property(congested(starScenario, longDuration), (s) => runChecked(s)), fcOptions);
  }, LONG_TIMEOUT);

  it('chains with lane drops and lane gains', () => {
    fc.assert(fc.property(congested(chainScenario, longDuration), (s) => runChecked(s)), fcOptions);
  }, LONG_TIMEOUT);
});

describe('tick invariants on random scenarios (fast-check)', () => {
  it('rings with 1–3 lanes and random counts', () => {
    fc.assert(fc.property(ringScenario, (s) => runChecked(s)), fcOptions);
  });

  it('grids 2–4 × 2–4, 1–2 lanes, with and without signals', () => {
    fc.assert(fc.property(gridScenario, (s) => runChecked(s)), fcOptions);
  });

  it('stars: one junction (priority, signal, unregulated, priority stop or all-way stop) with 3–4 two-way arms, even or random flows', () => {
    fc.assert(fc.property(starScenario, (s) => runChecked(s)), fcOptions);
  });

  it('chains of one- or two-way links with changing lane counts', () => {
    fc.assert(fc.property(chainScenario, (s) => runChecked(s)), fcOptions);
  });
});

// Counter-examples the properties found (reduced by hand where possible); each failed on the
// engine at commit 8429a80 (see the test-suite issue's report) and must pass once it is fixed.
const counterExamples: [string, Scn][] = [
  [
    'place: two place entries on the same edges are put on top of each other (ring 230 m, 5 cars and 5 buses)',
    {
      name: 'two-place',
      duration: 10,
      network: { ring: { length: 230, lanes: 1, speedLimit: 10 } },
      vehicleTypes: {
        car: { length: 5, maxSpeed: 10, accel: 1, decel: 2, headway: 1, minGap: 2 },
        bus: { length: 12, maxSpeed: 10, accel: 1, decel: 2, headway: 1, minGap: 2 },
      },
      demand: [{ place: { type: 'car', count: 5 } }, { place: { type: 'bus', count: 5 } }],
    },
  ],
  [
    'place: a vehicle whose slot falls within its length of a lane start is pushed onto the next one (ring 100 m, 8 cars of 10 m)',
    {
      name: 'place-bug',
      duration: 10,
      network: { ring: { length: 100, lanes: 1, speedLimit: 10 } },
      vehicleTypes: {
        car: { length: 10, maxSpeed: 10, accel: 1, decel: 2, headway: 1, minGap: 2 },
      },
      demand: [
        { place: { type: 'car', count: 8 } },
      ],
    },
  ],
  [
    'lane drop: two lanes of one approach merge into one lane without yielding (AB 2 lanes → BC 1 lane)',
    {
      name: 'lane-drop',
      seed: 1,
      duration: 120,
      network: {
        nodes: [{ id: 'A', x: 0, y: 0 }, { id: 'B', x: 300, y: 0 }, { id: 'C', x: 600, y: 0 }],
        edges: [
          { id: 'AB', from: 'A', to: 'B', lanes: 2, speedLimit: 15 },
          { id: 'BC', from: 'B', to: 'C', lanes: 1, speedLimit: 15 },
        ],
      },
      vehicleTypes: {
        car: { length: 5, maxSpeed: 15, accel: 1.5, decel: 2, headway: 1.2, minGap: 2 },
      },
      demand: [
        { flow: { type: 'car', route: ['AB', 'BC'], rate: 3000, begin: 0, end: 120 } },
      ],
    },
  ],
  [
    'ring seam: a lane change near the end of a lane ignores the leader whose rear hangs back across it (2-lane ring)',
    {
      name: 'prop-ring',
      seed: 859,
      duration: 70,
      step: 0.1,
      network: { ring: { length: 925.8, lanes: 2, speedLimit: 5.3 } },
      vehicleTypes: {
        t0: { length: 10.6, maxSpeed: 27, accel: 1.81, decel: 1.63, headway: 1.26, minGap: 2.09 },
      },
      demand: [
        { place: { type: 't0', count: 10, jitter: 4.7, speed: 19.2 } },
      ],
    },
  ],
  [
    'junction: a driver committed at yellow (F_PASS) still crossing on red is invisible to the green movement merging with it',
    {
      name: 'prop-grid',
      seed: 996,
      duration: 31,
      step: 0.1,
      network: { grid: { rows: 3, cols: 4, spacing: 62, lanes: 2, speedLimit: 6.7, signals: { cycle: 26, yellow: 2 } } },
      vehicleTypes: {
        t0: { length: 7.6, maxSpeed: 8.7, accel: 0.87, decel: 1.67, headway: 1.84, minGap: 1.01 },
        t1: { length: 7, maxSpeed: 8.4, accel: 1.96, decel: 1.55, headway: 1.3, minGap: 2.21 },
      },
      demand: [
        { randomTrips: { type: 't0', period: 6.2, begin: 0, end: 31 } },
        { randomTrips: { type: 't1', period: 6.2, begin: 0, end: 31 } },
        { place: { type: 't0', count: 250, jitter: 3 } },
      ],
    },
  ],
  [
    'stop line: rounding in the envelope (−9.0000000000025 < −9) declares a driver who can stop unable to, and it runs the red',
    {
      name: 'prop-grid',
      seed: 255,
      duration: 32,
      step: 0.2,
      network: { grid: { rows: 4, cols: 3, spacing: 65, lanes: 1, speedLimit: 6.1, signals: { cycle: 90, yellow: 3 } } },
      vehicleTypes: {
        t0: { length: 11.8, maxSpeed: 39.3, accel: 0.84, decel: 3.86, headway: 0.8, minGap: 2.09 },
        t1: { length: 4.2, maxSpeed: 8.4, accel: 1.15, decel: 4.42, headway: 2, minGap: 1 },
      },
      demand: [
        { randomTrips: { type: 't0', period: 2.2, begin: 0, end: 32 } },
        { randomTrips: { type: 't1', period: 2.2, begin: 0, end: 32 } },
        { place: { type: 't0', count: 2, jitter: 3 } },
      ],
    },
  ],
  [
    'stop line: a driver standing 1 mm before the line (the margin, less rounding) commits on first sight of red (0 > −2e-15) and drives off',
    {
      name: 'prop-grid',
      seed: 991,
      duration: 35,
      step: 0.25,
      network: { grid: { rows: 3, cols: 3, spacing: 60, lanes: 2, speedLimit: 19.5, signals: { cycle: 24, yellow: 2 } } },
      vehicleTypes: {
        t0: { length: 4.4, maxSpeed: 8, accel: 0.82, decel: 4.49, headway: 1.04, minGap: 2.95 },
        t1: { length: 6.6, maxSpeed: 33.5, accel: 0.83, decel: 1.54, headway: 0.82, minGap: 2.24 },
      },
      demand: [
        { randomTrips: { type: 't0', period: 1.6, begin: 0, end: 35 } },
        { randomTrips: { type: 't1', period: 1.6, begin: 0, end: 35 } },
        { place: { type: 't0', count: 195, jitter: 3 } },
      ],
    },
  ],
  [
    'place with speed: a driver put 1.2 m behind a slower leader at 26 m/s (speedDev) cannot avoid it in the first step',
    {
      name: 'place-speed',
      seed: 6,
      duration: 10,
      step: 0.5,
      network: { ring: { length: 160, lanes: 1, speedLimit: 20 } },
      vehicleTypes: {
        car: { length: 4, maxSpeed: 40, accel: 2, decel: 3, headway: 1, minGap: 2, speedDev: 0.2 },
      },
      demand: [{ place: { type: 'car', count: 20, speed: 40, jitter: 2 } }],
    },
  ],
];

describe('counter-examples found by the properties', () => {
  it.each(counterExamples)('%s', (_title, scn) => runChecked(scn));
});
