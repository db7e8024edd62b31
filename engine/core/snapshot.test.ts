import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadScenario, type Scenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { SnapshotError, SnapshotReader, SnapshotWriter } from './snapshot.js';
import { ParallelRunner } from '../parallel/parallel.js';
import { ENGINE_VERSION } from './version.js';
import { v2xMetrics } from '../io/run/v2x-report.js';
import type { SimEvent } from '../sim/events.js';
import { D_IDLE } from '../logistics/drones.js';
import { V_DRIVING, V_IDLE, V_QUEUED } from '../logistics/vans.js';
import { O_ASSIGNED, O_DELIVERED, O_EN_ROUTE, O_REJECTED } from '../logistics/orders.js';
import { logisticsMetrics, ordersCsv } from '../io/run/logistics-report.js';

const file = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const scenarios: [string, Scenario][] = [
  ['grid (signals, random trips)', loadScenario(file('../../scenarios/grid.yaml'), { overrides: ['duration=400'] }).scenario],
  ['glosa corridor (V2X)', loadScenario(file('../../scenarios/glosa-corridor.yaml'), { overrides: ['duration=400', 'v2x.penetration=0.5'] }).scenario],
  [
    'laoshan (V2X, road events, every kind of demand)',
    // (without its logistics, which checkpoints do not cover yet)
    { ...loadScenario(file('../../scenarios/laoshan.yaml'), { overrides: ['duration=600', 'roadEvents.0.begin=200', 'roadEvents.0.end=500', 'demand.26.trips.0.depart=250'] }).scenario, logistics: undefined },
  ],
  // the whole default scenario: at half time 33 drones are out, every robot walks, 8 vans drive,
  // the hubs' stock is unlimited (Infinity)
  ['laoshan with its unmanned logistics', loadScenario(file('../../scenarios/laoshan.yaml'), { overrides: ['duration=900'] }).scenario],
  // at half time (1200 s) the gust has grounded both drone ports: the snapshot holds them grounded
  ['logistics-small (wind grounding, no-fly zone)', loadScenario(file('../../scenarios/logistics-small.yaml')).scenario],
  // longer, with too little stock: at half time (1655 s, between two dispatch rounds) the ports
  // are grounded, all three vans are on tours that end before the run does, and orders are being
  // rejected for want of stock before and after it
  ['logistics-small (van tours across the snapshot, stock running out)', loadScenario(file('../../scenarios/logistics-small.yaml'), { overrides: ['duration=3310', 'logistics.hubs.0.stock=50'] }).scenario],
];
const laoshanLogistics = scenarios[3][1];

const snapshotOf = (w: World): Buffer => {
  const sw = new SnapshotWriter();
  w.snapshot(sw);
  return sw.toBuffer({ engineVersion: ENGINE_VERSION, scenarioHash: 'test', seed: w.seed, tick: w.tick, time: w.time });
};

const record = (w: World) => {
  const events: string[] = [];
  w.events$.subscribe((e: SimEvent) => events.push(JSON.stringify(e)));
  const seconds: string[] = [];
  w.seconds$.subscribe((s) => seconds.push(JSON.stringify(s)));
  return { events, seconds };
};

/** The logistics of two worlds agree in everything a run reports, and every order is accounted for. */
const expectSameLogistics = (resumed: World, whole: World) => {
  const a = resumed.logistics!;
  const b = whole.logistics!;
  expect(ordersCsv(a)).toBe(ordersCsv(b));
  expect(logisticsMetrics(a, resumed.time)).toEqual(logisticsMetrics(b, whole.time));
  expect(a.seriesValues()).toEqual(b.seriesValues());
  const t = a.orders.tally();
  expect(t.orders).toBeGreaterThan(0);
  expect(t.delivered + t.rejected + t.open).toBe(t.orders);
  expect(a.orders.status.filter((x) => x === O_DELIVERED).length).toBe(t.delivered);
};

describe('checkpoints', () => {
  for (const [name, s] of scenarios) {
    it(`${name}: a world restored from a snapshot goes on bit for bit`, () => {
      const whole = new World(s);
      whole.start();
      whole.run(s.duration / 2);
      const wholeLog = record(whole);
      const bytes = snapshotOf(whole);
      whole.run();

      const resumed = new World(s);
      const reader = new SnapshotReader(bytes);
      resumed.restore(reader);
      expect(reader.done).toBe(true);
      const resumedLog = record(resumed);
      resumed.run();
      expect(resumed.tick).toBe(whole.tick);
      expect(resumed.stateHash()).toBe(whole.stateHash());
      expect(resumedLog.events).toEqual(wholeLog.events);
      expect(resumedLog.seconds).toEqual(wholeLog.seconds);
      expect(resumed.totals).toEqual(whole.totals);
      if (whole.v2x) expect(v2xMetrics(resumed.v2x!, resumed.totals.inserted)).toEqual(v2xMetrics(whole.v2x!, whole.totals.inserted));
      if (whole.logistics) expectSameLogistics(resumed, whole);
    });
  }

  it('a logistics snapshot is taken in the middle of missions, and the same on one worker or two', async () => {
    const s = laoshanLogistics;
    const half = s.duration / 2;
    const reference = new World(s);
    reference.run(half);
    const lg = reference.logistics!;
    // what the snapshot has to carry: drones in the air, robots on their walks, vans on the road
    // with orders on board, orders delivered and open
    expect(lg.drones.out).toBeGreaterThan(10);
    expect(lg.drones.phase.some((p, k) => p !== D_IDLE && lg.drones.z[k] > 0)).toBe(true);
    expect(lg.robots.out).toBe(lg.robots.count);
    expect(lg.vans.state.filter((v) => v === V_DRIVING).length).toBeGreaterThan(0);
    const t = lg.orders.tally();
    expect(t.delivered).toBeGreaterThan(0);
    expect(lg.orders.status.filter((x) => x === O_EN_ROUTE).length).toBeGreaterThan(0);
    expect(lg.hubs.every((h) => h.stock === Infinity)).toBe(true);
    const atHalf = snapshotOf(reference);
    reference.run();
    const conserved = reference.logistics!.orders.tally();
    expect(conserved.delivered + conserved.rejected + conserved.open).toBe(conserved.orders);
    expect(conserved.delivered).toBeGreaterThan(t.delivered);

    const runner = await ParallelRunner.start(2);
    try {
      // two workers reach the same state as one: the same snapshot, byte for byte
      const a = new World(s, { runner });
      a.run(half);
      expect(snapshotOf(a).equals(atHalf)).toBe(true);
      // resumed on one worker (from two) and on two (from one)
      const b = new World(s);
      b.restore(new SnapshotReader(snapshotOf(a)));
      b.run();
      expect(b.stateHash()).toBe(reference.stateHash());
      expectSameLogistics(b, reference);
      const d = new World(s, { runner });
      d.restore(new SnapshotReader(atHalf));
      d.run();
      expect(d.stateHash()).toBe(reference.stateHash());
      expectSameLogistics(d, reference);
    } finally {
      await runner.close();
    }
  });

  it('logistics-small: the snapshot holds grounded ports and the stock left', () => {
    const s = scenarios[4][1];
    const w = new World(s);
    const events = record(w).events;
    w.run(s.duration / 2);
    const lg = w.logistics!;
    expect(events.filter((e) => e.includes('"dronePort.wind"') && e.includes('"grounded"'))).toHaveLength(lg.drones.ports.length);
    expect(lg.hubs[0].stock).toBeLessThan(2000);
    // resumed at the gust's peak: the ports open again when it drops, once (not grounded afresh)
    const resumed = new World(s);
    resumed.restore(new SnapshotReader(snapshotOf(w)));
    const after = record(resumed).events;
    resumed.run();
    w.run();
    expect(after.filter((e) => e.includes('"dronePort.wind"'))).toEqual(events.filter((e) => e.includes('"dronePort.wind"') && JSON.parse(e).time > s.duration / 2));
    expect(after.filter((e) => e.includes('"dronePort.wind"')).every((e) => e.includes('"open"'))).toBe(true);
    expectSameLogistics(resumed, w);
  });

  it('logistics-small: van tours that span the snapshot end after it, and rejections go on', () => {
    const s = scenarios[5][1];
    const w = new World(s);
    w.run(s.duration / 2);
    const lg = w.logistics!;
    expect(Array.from(lg.vans.state)).toEqual([V_DRIVING, V_DRIVING, V_DRIVING]);
    expect(lg.drones.ports.every((p) => lg.drones.phase.slice(p.firstDrone, p.firstDrone + p.drones).every((x) => x === D_IDLE))).toBe(true);
    const before = lg.orders.tally().rejected;
    expect(before).toBeGreaterThan(0);
    const resumed = new World(s);
    resumed.restore(new SnapshotReader(snapshotOf(w)));
    resumed.run();
    w.run();
    expect(Array.from(resumed.logistics!.vans.state)).toEqual([V_IDLE, V_IDLE, V_IDLE]);
    expect(resumed.logistics!.orders.tally().rejected).toBeGreaterThan(before);
    expect(resumed.logistics!.orders.status.filter((x) => x === O_REJECTED).length).toBe(resumed.logistics!.orders.tally().rejected);
    expectSameLogistics(resumed, w);
  });

  it('laoshan: a snapshot while a van tour waits for a gap to enter the road', () => {
    // the Hefei Road eastbound cars depart from hub-west's edge instead, at more than its lanes
    // carry: departures queue there (first in, first out per edge), so a tour dispatched from
    // hub-west waits its turn to enter
    const s = loadScenario(file('../../scenarios/laoshan.yaml'), { overrides: ['duration=400', 'demand.0.flow.from=hefei-B1-C1', 'demand.0.flow.rate=5000'] }).scenario;
    const w = new World(s);
    const lg = w.logistics!;
    const events = record(w).events;
    // step until a tour is queued for insertion but its van is not on the road yet
    while (!lg.vans.state.includes(V_QUEUED) && w.time < s.duration) w.step();
    expect(w.time).toBeLessThan(s.duration);
    const k = lg.vans.state.indexOf(V_QUEUED);
    const tour = Array.from(lg.vans.tour.subarray(k * lg.vans.maxStops, k * lg.vans.maxStops + lg.vans.stops[k]));
    expect(tour.every((o) => lg.orders.status[o] === O_ASSIGNED)).toBe(true);
    const snapAt = w.time;
    const resumed = new World(s);
    resumed.restore(new SnapshotReader(snapshotOf(w)));
    const at = events.length;
    const after = record(resumed).events;
    resumed.run();
    w.run();
    // it enters the road later, picks its orders up and drives them
    expect(resumed.logistics!.vans.state[k]).toBe(V_DRIVING);
    // (a stop the van cannot make in time, e.g. overshot while changing to the kerb lane, gives
    // its order back to the dispatcher, which may hand it to another vehicle)
    const lo = resumed.logistics!.orders;
    expect(tour.every((o) => lo.status[o] === O_EN_ROUTE || lo.status[o] === O_DELIVERED || lo.vehicle[o] !== k)).toBe(true);
    expect(tour.filter((o) => lo.vehicle[o] === k && lo.pickedUp[o] > snapAt).length).toBeGreaterThan(tour.length / 2);
    // an order the van gave back is announced (and, when assigned again, that comes after it)
    const vanName = `van-${k}`;
    const parsed = after.map((line) => JSON.parse(line) as { kind: string; order?: number; vehicle?: string; reason?: string });
    for (const o of tour.filter((o) => lo.vehicle[o] !== k)) {
      const returned = parsed.findIndex((e) => e.kind === 'order.returned' && e.order === o && e.vehicle === vanName && e.reason === 'missedStop');
      expect(returned).toBeGreaterThanOrEqual(0);
      if (lo.vehicle[o] >= 0) expect(parsed.findIndex((e, n) => n > returned && e.kind === 'order.assigned' && e.order === o)).toBeGreaterThan(returned);
    }
    expect(tour.some((o) => lo.vehicle[o] !== k)).toBe(true);
    expect(after).toEqual(events.slice(at));
    expect(resumed.stateHash()).toBe(w.stateHash());
    expectSameLogistics(resumed, w);
  });

  it('refuses a snapshot with logistics for a scenario without, and the other way round', () => {
    const withLogistics = scenarios[4][1];
    const without = { ...withLogistics, logistics: undefined };
    const a = new World(withLogistics);
    a.run(30);
    const r1 = new SnapshotReader(snapshotOf(a));
    new World(without).restore(r1);
    expect(r1.done).toBe(false);
    const b = new World(without);
    b.run(30);
    expect(() => new World(withLogistics).restore(new SnapshotReader(snapshotOf(b)))).toThrow(/section 'logistics\.meta' is missing/);
    // another logistics layout (one more drone per port) is refused, not half loaded
    const lg = withLogistics.logistics!;
    const more = { ...withLogistics, logistics: { ...lg, dronePorts: lg.dronePorts.map((p) => ({ ...p, drones: 4 })) } };
    expect(() => new World(more).restore(new SnapshotReader(snapshotOf(a)))).toThrow(/the snapshot has 6 drones, the scenario 8/);
  });

  it('a snapshot taken on two workers resumes on one, and the other way round, with the same bits', async () => {
    const s = scenarios[2][1];
    const reference = new World(s);
    reference.run();
    const runner = await ParallelRunner.start(2);
    try {
      const a = new World(s, { runner });
      a.run(300);
      const bytes = snapshotOf(a);
      const b = new World(s);
      b.restore(new SnapshotReader(bytes));
      b.run();
      expect(b.stateHash()).toBe(reference.stateHash());

      const c = new World(s);
      c.run(300);
      const d = new World(s, { runner });
      d.restore(new SnapshotReader(snapshotOf(c)));
      d.run();
      expect(d.stateHash()).toBe(reference.stateHash());
    } finally {
      await runner.close();
    }
  });

  it('refuses a damaged, truncated or foreign snapshot', () => {
    const s = scenarios[0][1];
    const w = new World(s);
    w.run(50);
    const bytes = snapshotOf(w);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length >> 1] ^= 1;
    expect(() => new SnapshotReader(flipped)).toThrow(/checksum mismatch/);
    expect(() => new SnapshotReader(bytes.subarray(0, bytes.length - 100))).toThrow(SnapshotError);
    expect(() => new SnapshotReader(Buffer.from('not a snapshot at all, just text'))).toThrow(/not a roadtwin snapshot/);
    // a snapshot of another scenario does not fit this one
    const other = new World(scenarios[1][1]);
    expect(() => other.restore(new SnapshotReader(bytes))).toThrow(SnapshotError);
  });
});
