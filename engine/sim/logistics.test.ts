// Unmanned logistics in whole runs: orders are conserved, wind grounds drones, pads are never
// over-used, a van tour stops and dwells at each order and comes back, robots wait for their
// walk phase, physics bounds hold, results are the same on 1 and 2 workers, bad input is named.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadScenario, parseScenario, ScenarioError } from '../io/scenario/index.js';
import { World } from './world.js';
import type { SimEvent } from './events.js';
import { ParallelRunner } from '../parallel/parallel.js';
import { holdsPad, D_DESCEND_LAND, D_IDLE, D_PAD_IN } from '../logistics/drones.js';
import { M_ROBOT, M_VAN, O_DELIVERED, O_EN_ROUTE, O_REJECTED, OrderBook, expectedOrders } from '../logistics/orders.js';
import { R_CHARGING, R_IDLE } from '../logistics/robots.js';
import { V_CHARGING, V_IDLE } from '../logistics/vans.js';
import { F_DWELL, F_PASS } from '../core/state.js';
import { SIG_RED } from '../road/signals.js';
import { endHeading } from '../road/geometry.js';
import { networkBox } from '../io/run/network-json.js';
import { logisticsMetrics, ordersCsv } from '../io/run/logistics-report.js';

type Obj = Record<string, unknown>;

/** A 3 × 3 signalised grid (300 m blocks) with a little traffic and the given logistics. */
function scenario(logistics: Obj, extra: Obj = {}) {
  const s = {
    name: 'logistics-test',
    seed: 3,
    duration: 1200,
    step: 0.5,
    network: { grid: { rows: 3, cols: 3, spacing: 300, lanes: 1, speedLimit: 13.89, signals: { cycle: 40, yellow: 3 } } },
    vehicleTypes: {
      car: { length: 4.8, maxSpeed: 33.3, accel: 2.0, decel: 3.0, headway: 1.2, minGap: 2.0 },
      van: { class: 'van', length: 3.5, maxSpeed: 11.1, accel: 1.5, decel: 2.5, headway: 1.5, minGap: 2.0 },
    },
    demand: [{ randomTrips: { type: 'car', rate: 200, begin: 0, end: 1200 } }],
    logistics,
    ...extra,
  };
  return parseScenario(JSON.stringify(s), 'test.yaml').scenario;
}

const hub = (o: Obj = {}) => ({ id: 'h', edge: 'r1c0-r1c1', pos: 150, ...o });

function run(w: World, each?: () => void): SimEvent[] {
  const events: SimEvent[] = [];
  w.events$.subscribe((e) => events.push(e));
  w.start();
  while (w.tick < w.ticksTotal) {
    w.step();
    each?.();
  }
  return events;
}

describe('orders are conserved', () => {
  it('delivered + rejected + open = orders, every order settled at most once, over random small scenarios', () => {
    fc.assert(
      fc.property(
        fc.record({
          vans: fc.integer({ min: 0, max: 2 }),
          robots: fc.integer({ min: 0, max: 2 }),
          drones: fc.integer({ min: 0, max: 3 }),
          pads: fc.integer({ min: 1, max: 2 }),
          rate: fc.integer({ min: 20, max: 300 }),
          wind: fc.integer({ min: 0, max: 15 }),
          maxWeight: fc.integer({ min: 1, max: 40 }),
          deadline: fc.integer({ min: 120, max: 2400 }),
          stock: fc.integer({ min: 0, max: 50 }),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        (p) => {
          const s = scenario(
            {
              hubs: [hub({ vans: p.vans, robots: p.robots, stock: p.stock })],
              dronePorts: p.drones > 0 ? [{ id: 'p', x: 300, y: 300, hub: 'h', drones: p.drones, pads: p.pads }] : [],
              orders: { areas: [{ x: 300, y: 300, radius: 500, rate: p.rate, weight: { min: 0.5, max: p.maxWeight }, deadline: p.deadline }] },
              wind: [{ time: 0, speed: p.wind }, { time: 600, speed: 15 - p.wind }],
            },
            { seed: p.seed, duration: 600 },
          );
          const w = new World(s);
          const events = run(w);
          const m = logisticsMetrics(w.logistics!, w.time) as { orders: number; delivered: number; rejected: number; open: number };
          expect(m.delivered + m.rejected + m.open).toBe(m.orders);
          expect(m.orders).toBe(w.logistics!.orders.next);
          const delivered = events.filter((e) => e.kind === 'order.delivered').map((e) => (e as { order: number }).order);
          const rejected = events.filter((e) => e.kind === 'order.rejected').map((e) => (e as { order: number }).order);
          // one event per settled order, none settled twice, and the events agree with the figures
          expect(new Set([...delivered, ...rejected]).size).toBe(delivered.length + rejected.length);
          expect(delivered.length).toBe(m.delivered);
          expect(rejected.length).toBe(m.rejected);
          expect(w.totals.collisions).toBe(0);
          // an order on its way is on a vehicle that is out: none left behind by a trip that ended
          const o = w.logistics!.orders;
          for (let i = 0; i < o.next; i++) {
            if (o.status[i] !== O_EN_ROUTE) continue;
            const rs = w.logistics!.robots.state[o.vehicle[i]];
            const out = o.mode[i] === M_ROBOT ? rs !== R_IDLE && rs !== R_CHARGING : o.mode[i] === M_VAN ? w.logistics!.vans.state[o.vehicle[i]] !== V_IDLE : w.logistics!.drones.phase[o.vehicle[i]] !== D_IDLE;
            expect(out).toBe(true);
          }
        },
      ),
      { numRuns: 12, seed: 6 },
    );
  }, 120_000);
});

describe('hub stock', () => {
  it('is never negative: a dispatch round assigns at most the parcels a hub has (oldest orders first), over random small scenarios', () => {
    fc.assert(
      fc.property(
        fc.record({
          vans: fc.integer({ min: 0, max: 3 }),
          robots: fc.integer({ min: 0, max: 3 }),
          drones: fc.integer({ min: 0, max: 3 }),
          stock: fc.integer({ min: 0, max: 12 }),
          rate: fc.integer({ min: 100, max: 600 }),
          batchWindow: fc.integer({ min: 0, max: 300 }),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        (p) => {
          const s = scenario(
            {
              hubs: [hub({ vans: p.vans, robots: p.robots, stock: p.stock })],
              dronePorts: p.drones > 0 ? [{ id: 'p', x: 300, y: 300, hub: 'h', drones: p.drones, pads: 2 }] : [],
              van: { batchWindow: p.batchWindow, maxStops: 6 },
              orders: { areas: [{ x: 300, y: 300, radius: 400, rate: p.rate, weight: { min: 0.5, max: 6 }, deadline: 1500 }] },
            },
            { seed: p.seed, duration: 400 },
          );
          const w = new World(s);
          const h = w.logistics!.hubs[0];
          let lowest = h.stock;
          run(w, () => (lowest = Math.min(lowest, h.stock)));
          expect(lowest).toBeGreaterThanOrEqual(0);
          // what left the hub is what was assigned and not given back
          const o = w.logistics!.orders;
          let carried = 0;
          for (let i = 0; i < o.next; i++) if (o.vehicle[i] >= 0 || o.status[i] === O_DELIVERED) carried++;
          expect(h.stock).toBe(p.stock - carried);
        },
      ),
      { numRuns: 25, seed: 11 },
    );
  }, 120_000);
});

describe('drones', () => {
  const droneOnly = (wind: Obj[], deadline = 1800) => ({
    hubs: [hub()],
    dronePorts: [{ id: 'p', x: 300, y: 300, hub: 'h', drones: 4, pads: 1, windLimit: 10 }],
    orders: { areas: [{ x: 300, y: 300, radius: 800, rate: 120, weight: { min: 0.2, max: 2 }, deadline }] },
    wind,
  });

  it('wind above the dock limit grounds them: orders wait, then fly when it drops', () => {
    const w = new World(scenario(droneOnly([{ time: 0, speed: 14 }, { time: 500, speed: 14 }, { time: 501, speed: 4 }])));
    let flyingWhileWindy = 0;
    const events = run(w, () => {
      if (w.time < 500 && w.logistics!.drones.out > 0) flyingWhileWindy++;
    });
    expect(flyingWhileWindy).toBe(0);
    expect(events.some((e) => e.kind === 'dronePort.wind' && e.phase === 'grounded')).toBe(true);
    const delivered = events.filter((e) => e.kind === 'order.delivered') as { time: number }[];
    expect(delivered.length).toBeGreaterThan(5);
    expect(Math.min(...delivered.map((e) => e.time))).toBeGreaterThan(500);
  });

  it('wind above the limit until past the deadlines: the orders are rejected with reason wind', () => {
    const w = new World(scenario(droneOnly([{ time: 0, speed: 14 }], 300)));
    const events = run(w);
    const rejected = events.filter((e) => e.kind === 'order.rejected') as { reason: string }[];
    expect(rejected.length).toBeGreaterThan(10);
    expect(new Set(rejected.map((e) => e.reason))).toEqual(new Set(['wind']));
    expect(events.some((e) => e.kind === 'order.delivered')).toBe(false);
  });

  it('never more drones on the pads (taking off or landing) than pads, and some had to hold', () => {
    const s = scenario({ ...droneOnly([]), dronePorts: [{ id: 'p', x: 300, y: 300, hub: 'h', drones: 8, pads: 1, swapTime: 30 }], drone: { padTime: 40 } });
    const w = new World(s);
    const d = w.logistics!.drones;
    let held = 0;
    let landingMax = 0;
    let holding = 0;
    run(w, () => {
      let pads = 0;
      let landing = 0;
      for (let k = 0; k < d.count; k++) {
        if (holdsPad(d.phase[k])) pads++;
        if (d.phase[k] === D_DESCEND_LAND || d.phase[k] === D_PAD_IN) landing++;
        if (d.phase[k] === 9) holding++;
      }
      held = Math.max(held, pads);
      landingMax = Math.max(landingMax, landing);
    });
    expect(held).toBe(1);
    expect(landingMax).toBe(1);
    expect(holding).toBeGreaterThan(0);
  });

  it('physics bounds: below 120 m, within payload, battery above zero, no delivery faster than the straight line at cruise speed', () => {
    const s = scenario({ ...droneOnly([{ time: 0, speed: 6, direction: 90 }]), noFly: [{ id: 'z', polygon: [[400, 400], [600, 400], [600, 600], [400, 600]] }] });
    const w = new World(s);
    const events = run(w);
    const m = logisticsMetrics(w.logistics!, w.time) as { drones: { maxAltitude: number; minBatteryWh: number } };
    expect(m.drones.maxAltitude).toBeLessThanOrEqual(120);
    expect(m.drones.minBatteryWh).toBeGreaterThan(0);
    const o = w.logistics!.orders;
    const port = w.logistics!.drones.ports[0];
    let checked = 0;
    for (const e of events) {
      if (e.kind !== 'order.delivered') continue;
      expect(o.weight[e.order]).toBeLessThanOrEqual(2.5);
      const straight = Math.hypot(o.x[e.order] - port.x, o.y[e.order] - port.y);
      expect(e.time - o.created[e.order]).toBeGreaterThanOrEqual(straight / (20 + 6));
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });
});

describe('vans', () => {
  it('a tour stops and dwells at each order, hands over, and comes back to the hub', () => {
    const list = [
      { created: 5, hub: 'h', x: 600, y: 310, weight: 20, deadline: 3000 },
      { created: 6, hub: 'h', x: 310, y: 600, weight: 30, deadline: 3000 },
      { created: 7, hub: 'h', x: 610, y: 620, weight: 10, deadline: 3000 },
    ];
    const w = new World(scenario({ hubs: [hub({ vans: 1 })], van: { dwell: 40, batchWindow: 0, maxStops: 5 }, orders: { list } }));
    const vans = w.logistics!.vans;
    const dwellStarts: number[] = [];
    let wasDwelling = false;
    const events = run(w, () => {
      const i = vans.slot[0];
      const dwelling = i >= 0 && (w.state.flags[i] & F_DWELL) !== 0;
      if (dwelling && !wasDwelling) dwellStarts.push(w.time);
      wasDwelling = dwelling;
    });
    const delivered = events.filter((e) => e.kind === 'order.delivered') as { order: number; time: number }[];
    expect(delivered.map((e) => e.order).sort()).toEqual([0, 1, 2]);
    // each hand-over ends a dwell of at least the dwell time
    expect(dwellStarts.length).toBe(3);
    const times = delivered.map((e) => e.time).sort((a, b) => a - b);
    times.forEach((t, k) => expect(t - dwellStarts[k]).toBeGreaterThanOrEqual(40 - 1e-9));
    // the van went back to its hub edge and left the road there
    const vanArrive = events.find((e) => e.kind === 'arrive' && e.type === 'van') as { time: number } | undefined;
    expect(vanArrive).toBeDefined();
    expect(vanArrive!.time).toBeGreaterThan(times[2]);
    expect(vans.state[0]).toBe(0);
    const m = logisticsMetrics(w.logistics!, w.time) as { byMode: { van: { km: number; delivered: number } } };
    expect(m.byMode.van.delivered).toBe(3);
    expect(m.byMode.van.km).toBeGreaterThan(1.2);
  });
});

describe('vans in traffic', () => {
  it('obey the signals and never collide: no van crosses on red without having committed, none closer than zero to the vehicle ahead', async () => {
    const { readFileSync } = await import('node:fs');
    const file = new URL('../../scenarios/logistics-small.yaml', import.meta.url);
    const s = parseScenario(readFileSync(file, 'utf8'), 'logistics-small.yaml').scenario;
    const w = new World(s);
    const st = w.state;
    const net = w.net;
    const van = w.types.index.get('van')!;
    const during = new Uint8Array(net.connCount);
    let prev = new Map<number, { lane: number; pos: number; flags: number }>();
    let crossings = 0;
    let vanTicks = 0;
    const violations: string[] = [];
    const overlaps: string[] = [];
    run(w, () => {
      // the signal states that held during this tick: connState is updated at the tick's start
      during.set(w.connState);
      const now = new Map<number, { lane: number; pos: number; flags: number }>();
      const byLane = new Map<number, number[]>();
      for (const i of w.vehicles()) {
        const l = byLane.get(st.lane[i]) ?? [];
        l.push(i);
        byLane.set(st.lane[i], l);
        if (st.type[i] !== van) continue;
        vanTicks++;
        now.set(st.id[i], { lane: st.lane[i], pos: st.pos[i], flags: st.flags[i] });
        const p = prev.get(st.id[i]);
        // a junction crossed this tick: on a new lane of another edge
        if (p && net.laneEdge[p.lane] !== net.laneEdge[st.lane[i]] && st.prevConn[i] >= 0) {
          crossings++;
          if (during[st.prevConn[i]] === SIG_RED && !(p.flags & F_PASS)) violations.push(`t=${w.time} van ${st.id[i]} ${w.laneName(p.lane)} -> ${w.laneName(st.lane[i])}`);
        }
      }
      prev = now;
      for (const list of byLane.values()) {
        list.sort((a, b) => st.pos[a] - st.pos[b]);
        for (let k = 0; k + 1 < list.length; k++) {
          const [a, b] = [list[k], list[k + 1]];
          if (st.type[a] !== van && st.type[b] !== van) continue;
          const gap = st.pos[b] - w.types.length[st.type[b]] - st.pos[a];
          if (gap < 0) overlaps.push(`t=${w.time} ${st.id[a]} behind ${st.id[b]} on ${w.laneName(st.lane[a])}: gap ${gap.toFixed(2)} m`);
        }
      }
    });
    expect(vanTicks).toBeGreaterThan(1000);
    expect(crossings).toBeGreaterThan(30);
    expect(violations).toEqual([]);
    expect(overlaps).toEqual([]);
    expect(w.totals.collisions).toBe(0);
    expect(w.totals.redViolations).toBe(0);
    const m = logisticsMetrics(w.logistics!, w.time) as { byMode: { van: { delivered: number } } };
    expect(m.byMode.van.delivered).toBeGreaterThan(5);
  }, 120_000);

  it('a van stopping in a lane without a bay holds up the cars behind it on that edge', () => {
    // one lane each way, a steady flow of cars east along row 1; the van's only stop is on
    // r1c1-r1c2, the flow's middle edge. The same run with a dwell of 0 s is the reference.
    const edge = 'r1c1-r1c2';
    const timeOnEdge = (dwell: number) => {
      const s = scenario(
        {
          hubs: [hub({ edge: 'r1c0-r1c1', pos: 40, vans: 1 })],
          van: { dwell, batchWindow: 0, maxStops: 1 },
          orders: { list: [{ created: 100, hub: 'h', x: 450, y: 290, weight: 5, deadline: 3000 }] },
        },
        {
          duration: 600,
          network: { grid: { rows: 3, cols: 3, spacing: 300, lanes: 1, speedLimit: 13.89 } },
          demand: [{ flow: { type: 'car', route: ['w1-r1c0', 'r1c0-r1c1', edge, 'r1c2-e1'], period: 8, begin: 0, end: 600 } }],
        },
      );
      const w = new World(s);
      const st = w.state;
      const e = w.net.edgeIndex.get(edge)!;
      const car = w.types.index.get('car')!;
      const van = w.types.index.get('van')!;
      const onEdge = new Map<number, number>();
      let dwellOnEdge = 0;
      const events = run(w, () => {
        for (const i of w.vehicles()) {
          if (w.net.laneEdge[st.lane[i]] !== e) continue;
          if (st.type[i] === car) onEdge.set(st.id[i], (onEdge.get(st.id[i]) ?? 0) + w.dt);
          if (st.type[i] === van && st.flags[i] & F_DWELL) dwellOnEdge += w.dt;
        }
      });
      expect(events.some((x) => x.kind === 'order.delivered')).toBe(true);
      const times = [...onEdge.values()];
      return { max: Math.max(...times), total: times.reduce((a, b) => a + b, 0), cars: times.length, dwellOnEdge, collisions: w.totals.collisions };
    };
    const stop = timeOnEdge(90);
    const pass = timeOnEdge(0);
    expect(stop.dwellOnEdge).toBeGreaterThanOrEqual(90 - 1e-9);
    expect(stop.collisions + pass.collisions).toBe(0);
    expect(stop.cars).toBeGreaterThan(50);
    // free flow: about 300 m at 13.9 m/s; behind the van, most of its dwell on top
    expect(pass.max).toBeLessThan(40);
    expect(stop.max).toBeGreaterThan(pass.max + 60);
    // several cars queue behind it, each losing time
    expect(stop.total - pass.total).toBeGreaterThan(5 * 60);
  }, 60_000);
});

describe('robots', () => {
  it('wait at red: they start a crossing at a signalised junction only in their walk phase', () => {
    // destinations across the junctions from the hub, so every walk crosses signalised streets
    const list = Array.from({ length: 8 }, (_, k) => ({ created: 10 + k * 60, hub: 'h', x: 620, y: 320 + (k % 2) * 300, weight: 2, deadline: 4000 }));
    const w = new World(scenario({ hubs: [hub({ robots: 2 })], robot: { parcels: 1 }, orders: { list } }, { duration: 1500 }));
    const r = w.logistics!.robots;
    const net = w.net;
    let starts = 0;
    const was = new Uint8Array(r.count);
    run(w, () => {
      for (let k = 0; k < r.count; k++) {
        if (r.crossing[k] && !was[k]) {
          starts++;
          // the gate it is crossing from: the point it last passed
          const p = k * 1024 + r.seg[k];
          const node = r.gateNode[p];
          const h = r.gateHeading[p];
          for (const c of net.nodeConns[node]) {
            const a = endHeading(net.laneShape[net.connFromLane[c]]);
            if (Math.abs(Math.sin(a - h)) > 0.7) expect(w.connState[c]).toBe(SIG_RED);
          }
        }
        was[k] = r.crossing[k];
      }
    });
    expect(starts).toBeGreaterThan(4);
    expect(r.waited.reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
    const o = w.logistics!.orders;
    let delivered = 0;
    for (let i = 0; i < o.next; i++) if (o.status[i] === O_DELIVERED) delivered++;
    expect(delivered).toBe(8);
  });
});

describe('batteries', () => {
  it('robots and vans never set out on more than their range left, and charge at the hub for the energy they used over the charge power', () => {
    const s = scenario(
      {
        hubs: [hub({ vans: 2, robots: 3 })],
        van: { batchWindow: 60, range: 8000, chargePower: 7 },
        robot: { range: 3000, chargePower: 0.5 },
        orders: { areas: [{ x: 300, y: 300, radius: 700, rate: 150, weight: { min: 0.5, max: 12 }, deadline: 1500 }] },
      },
      { duration: 2400 },
    );
    const w = new World(s);
    const l = w.logistics!;
    const spec = s.logistics!;
    const charges = { robot: 0, van: 0 };
    const robotWas = new Uint8Array(l.robots.count);
    const vanWas = new Uint8Array(l.vans.count);
    let lowest = Infinity;
    run(w, () => {
      for (let k = 0; k < l.robots.count; k++) {
        lowest = Math.min(lowest, l.robots.rangeLeft[k]);
        if (l.robots.state[k] === R_CHARGING && robotWas[k] !== R_CHARGING) {
          charges.robot++;
          const kwh = ((spec.robot.range - l.robots.rangeLeft[k]) / 1000) * spec.robot.energyPerKm;
          expect(l.robots.chargeUntil[k] - w.time).toBeCloseTo((kwh / spec.robot.chargePower) * 3600, 6);
        }
        robotWas[k] = l.robots.state[k];
      }
      for (let k = 0; k < l.vans.count; k++) {
        lowest = Math.min(lowest, l.vans.rangeLeft[k]);
        if (l.vans.state[k] === V_CHARGING && vanWas[k] !== V_CHARGING) {
          charges.van++;
          const kwh = ((spec.van.range - l.vans.rangeLeft[k]) / 1000) * spec.van.energyPerKm;
          expect(l.vans.chargeUntil[k] - w.time).toBeCloseTo((kwh / spec.van.chargePower) * 3600, 6);
        }
        vanWas[k] = l.vans.state[k];
      }
    });
    expect(lowest).toBeGreaterThanOrEqual(0);
    expect(charges.robot).toBeGreaterThan(0);
    expect(charges.van).toBeGreaterThan(0);
    // no robot took an order it could not walk to and back on a full battery
    const o = l.orders;
    for (let i = 0; i < o.next; i++) if (o.mode[i] === M_ROBOT) expect(Math.hypot(o.x[i] - l.hubs[0].x, o.y[i] - l.hubs[0].y)).toBeLessThanOrEqual(spec.robot.range / 2);
    expect(l.orders.tally().delivered).toBeGreaterThan(50);
  }, 60_000);
});

describe('orders.csv', () => {
  it("has the issue's columns first, and each order's times in order, its trip's distance and energy", () => {
    const s = scenario({
      hubs: [hub({ vans: 2, robots: 2 })],
      dronePorts: [{ id: 'p', x: 300, y: 300, hub: 'h', drones: 4, pads: 2 }],
      van: { batchWindow: 60 },
      orders: { areas: [{ x: 300, y: 300, radius: 500, rate: 150, weight: { min: 0.5, max: 12 }, deadline: 1500 }] },
    });
    const w = new World(s);
    run(w);
    const [header, ...lines] = ordersCsv(w.logistics!).trim().split('\n');
    const cols = header.split(',');
    expect(cols.slice(0, 11)).toEqual(['id', 'created', 'mode', 'vehicle', 'assigned', 'pickedUp', 'delivered', 'deadline', 'onTime', 'distance', 'energy']);
    expect(cols).toContain('status');
    expect(cols).toContain('reason');
    const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
    expect(rows.length).toBe(w.logistics!.orders.next);
    const num = (v: string) => (v === '' ? NaN : Number(v));
    const withShare = { drone: 0, robot: 0, van: 0 };
    for (const r of rows) {
      if (r.status !== 'delivered') {
        expect(r.delivered).toBe('');
        expect(r.onTime).toBe('');
        continue;
      }
      // created ≤ assigned ≤ picked up ≤ delivered; on time against the deadline
      expect(num(r.assigned)).toBeGreaterThanOrEqual(num(r.created));
      expect(num(r.pickedUp)).toBeGreaterThanOrEqual(num(r.assigned));
      expect(num(r.delivered)).toBeGreaterThan(num(r.pickedUp));
      expect(r.onTime).toBe(num(r.delivered) <= num(r.deadline) + 1e-3 ? 'true' : 'false');
      if (num(r.distance) > 0) {
        expect(num(r.energy)).toBeGreaterThan(0);
        withShare[r.mode as 'drone' | 'robot' | 'van']++;
      }
    }
    // every trip's once it is back (most are, by the end)
    expect(withShare.drone).toBeGreaterThan(3);
    expect(withShare.robot).toBeGreaterThan(3);
    expect(withShare.van).toBeGreaterThan(3);
  }, 60_000);
});

describe('orders.csv for drones', () => {
  it('has the distance flown and the energy used: detours around a no-fly zone and a head wind count; the rows add up to the fleet totals', () => {
    // a port west of a wall-like zone, destinations east of it; wind from the east (head wind out)
    const mk = (wind: number, noFly: boolean) =>
      scenario(
        {
          hubs: [hub()],
          dronePorts: [{ id: 'p', x: 0, y: 300, hub: 'h', drones: 3, pads: 2 }],
          orders: { list: [0, 1, 2, 3].map((i) => ({ created: 10 + 200 * i, hub: 'h', x: 600, y: 240 + 40 * i, weight: 1.5, deadline: 1200 })) },
          wind: [{ time: 0, speed: wind, direction: 90 }],
          noFly: noFly ? [{ id: 'wall', polygon: [[280, 0], [320, 0], [320, 500], [280, 500]] }] : [],
        },
        { demand: [], duration: 1200 },
      );
    const rows = (s: ReturnType<typeof mk>) => {
      const w = new World(s);
      run(w);
      const l = w.logistics!;
      const o = l.orders;
      const out: { distance: number; energy: number; straight: number }[] = [];
      for (let i = 0; i < o.next; i++) {
        expect(o.status[i]).toBe(O_DELIVERED);
        out.push({ distance: o.distance[i], energy: o.energy[i], straight: 2 * Math.hypot(o.x[i], o.y[i] - 300) });
      }
      // every drone is home: the rows are the whole of what was flown and used
      const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
      expect(out.reduce((a, r) => a + r.distance, 0)).toBeCloseTo(sum(l.drones.flown), 6);
      expect(out.reduce((a, r) => a + r.energy, 0)).toBeCloseTo(sum(l.drones.energyUsed) / 1000, 9);
      return out;
    };
    const calm = rows(mk(0, false));
    const around = rows(mk(0, true));
    const windy = rows(mk(6, false));
    for (let i = 0; i < 4; i++) {
      // calm and straight: there and back on the straight line
      expect(calm[i].distance).toBeCloseTo(calm[i].straight, 6);
      // around the wall: longer than the line, and more energy
      expect(around[i].distance).toBeGreaterThan(calm[i].distance + 100);
      expect(around[i].energy).toBeGreaterThan(calm[i].energy);
      // a head wind out and a tail wind back: the same way, more time in the air, more energy
      expect(windy[i].distance).toBeCloseTo(calm[i].distance, 6);
      expect(windy[i].energy).toBeGreaterThan(calm[i].energy * 1.01);
    }
  }, 60_000);
});

describe('robots hand over every parcel of a trip', () => {
  it('two orders at one point (the same curb point) are both delivered by one trip', () => {
    // three orders: two at the same spot, one elsewhere; one robot takes all three in one trip
    const list = [
      { created: 5, hub: 'h', x: 420, y: 330, weight: 1, deadline: 3000 },
      { created: 5, hub: 'h', x: 420, y: 330, weight: 1, deadline: 3000 },
      { created: 5, hub: 'h', x: 480, y: 270, weight: 1, deadline: 3000 },
    ];
    const w = new World(scenario({ hubs: [hub({ robots: 1 })], robot: { parcels: 3 }, orders: { list } }));
    const events = run(w);
    const assigned = events.filter((e) => e.kind === 'order.assigned') as { order: number; time: number }[];
    expect(new Set(assigned.map((e) => e.time)).size).toBe(1);
    const delivered = events.filter((e) => e.kind === 'order.delivered') as { order: number; time: number }[];
    expect(delivered.map((e) => e.order).sort()).toEqual([0, 1, 2]);
    // the two at one point: one hand-over after the other
    const [a, b] = [0, 1].map((k) => delivered.find((e) => e.order === k)!.time);
    expect(Math.abs(a - b)).toBeGreaterThanOrEqual(w.logistics!.spec.robot.handover - 1e-9);
    expect(w.logistics!.robots.state[0]).toBe(0);
  });
});

describe('dispatch', () => {
  it('rejects at once what no mode can carry, with the reason', () => {
    const list = [
      { created: 5, hub: 'h', x: 300, y: 300, weight: 900, deadline: 3000 }, // over every payload
      { created: 5, hub: 'h', x: 9000, y: 300, weight: 1, deadline: 3000 }, // beyond every radius... but a van could: off the network it is not
    ];
    const w = new World(scenario({ hubs: [hub({ robots: 1 })], dronePorts: [{ id: 'p', x: 300, y: 300, hub: 'h' }], orders: { list } }));
    const events = run(w);
    const rej = events.filter((e) => e.kind === 'order.rejected') as { order: number; reason: string; time: number }[];
    expect(rej.map((e) => [e.order, e.reason])).toEqual([
      [0, 'weight'],
      [1, 'range'],
    ]);
    expect(rej.every((e) => e.time <= 5 + 10 + 1e-9)).toBe(true);
    expect(w.logistics!.orders.status[0]).toBe(O_REJECTED);
  });
});

describe('memory that could grow with simulated time', () => {
  const longRun = (duration: number) => {
    const w = new World(
      scenario(
        {
          hubs: [hub({ vans: 2, robots: 2 })],
          dronePorts: [{ id: 'p', x: 300, y: 300, hub: 'h', drones: 3, pads: 2 }],
          van: { batchWindow: 120 },
          orders: { areas: [{ x: 300, y: 300, radius: 500, rate: 100, weight: { min: 0.5, max: 12 }, deadline: 900 }] },
        },
        { duration, demand: [{ randomTrips: { type: 'car', rate: 200, begin: 0, end: duration } }] },
      ),
    );
    let feasibleMax = 0;
    run(w, () => (feasibleMax = Math.max(feasibleMax, w.logistics!.feasibleCached)));
    const t = w.logistics!.orders.tally();
    // a tour: the van orders assigned to one van at one time
    return { ...t, feasible: w.logistics!.feasibleCached, feasibleMax };
  };

  it('the feasibility cache holds only orders not yet settled: a run twice as long keeps it about the same size', () => {
    const short = longRun(1800);
    const long = longRun(3600);
    expect(long.orders).toBeGreaterThan(1.8 * short.orders);
    expect(long.delivered).toBeGreaterThan(1.8 * short.delivered);
    // at most one entry per open order (pending, assigned or on its way), never one per order
    expect(short.feasible).toBeLessThanOrEqual(short.open);
    expect(long.feasible).toBeLessThanOrEqual(long.open);
    expect(long.feasibleMax).toBeLessThanOrEqual(1.3 * short.feasibleMax + 5);
    expect(long.feasibleMax).toBeLessThan(0.5 * long.orders);
  }, 60_000);

  it('the stop table does not grow with the tours: each van writes its tours over a range of its own', () => {
    const vanRun = (duration: number) => {
      const w = new World(
        scenario(
          {
            hubs: [hub({ vans: 2 })],
            van: { batchWindow: 60, maxStops: 4 },
            orders: { areas: [{ x: 300, y: 300, radius: 300, rate: 120, weight: { min: 0.5, max: 12 }, deadline: 1800 }] },
          },
          { duration, demand: [] },
        ),
      );
      const events = run(w);
      // a tour: the van orders assigned to one van at one time
      const stops = events.flatMap((e) => (e.kind === 'order.assigned' && e.mode === 'van' ? [`${e.vehicle}@${e.time}`] : []));
      return { tours: new Set(stops).size, stops: stops.length, delivered: w.logistics!.orders.tally().delivered, stopTable: w.routes.stopCount };
    };
    const short = vanRun(1800);
    const long = vanRun(3600);
    expect(short.tours).toBeGreaterThan(5);
    expect(long.tours).toBeGreaterThan(short.tours + 3);
    // 2 vans × 4 stops, reserved when the run starts (the scenario has no trips of its own with
    // stops), far fewer than the stops the tours made (appended, the table would hold them all)
    expect(short.stopTable).toBe(2 * 4);
    expect(long.stopTable).toBe(short.stopTable);
    expect(long.stops).toBeGreaterThan(4 * long.stopTable);
  }, 60_000);
});

describe('determinism', () => {
  it('logistics-small on 1 and 2 workers: the same state hash and metrics', async () => {
    const { readFileSync } = await import('node:fs');
    const file = new URL('../../scenarios/logistics-small.yaml', import.meta.url);
    const s = parseScenario(readFileSync(file, 'utf8'), 'logistics-small.yaml', { overrides: ['duration=900'] }).scenario;
    const one = new World(s);
    one.run();
    const runner = await ParallelRunner.start(2, { inlineBelow: 0 });
    try {
      const two = new World(s, { runner });
      two.run();
      expect(two.stateHash()).toBe(one.stateHash());
      expect(logisticsMetrics(two.logistics!, two.time)).toEqual(logisticsMetrics(one.logistics!, one.time));
      expect(ordersCsv(two.logistics!)).toBe(ordersCsv(one.logistics!));
      expect(runner.parallelPhases).toBeGreaterThan(0);
    } finally {
      await runner.close();
    }
  }, 120_000);
});

describe('orders from a CSV file', () => {
  const yaml = (csv: string) => `name: csv-orders
seed: 2
duration: 900
step: 0.5
network:
  grid: { rows: 3, cols: 3, spacing: 300, lanes: 1, speedLimit: 13.89, signals: { cycle: 40, yellow: 3 } }
vehicleTypes:
  car: { length: 4.8, maxSpeed: 33.3, accel: 2.0, decel: 3.0, headway: 1.2, minGap: 2.0 }
logistics:
  hubs:
    - { id: h, edge: r1c0-r1c1, pos: 150, robots: 2 }
  dronePorts:
    - { id: p, x: 300, y: 300, hub: h, drones: 2 }
  orders:
    list:
      - { created: 1, hub: h, x: 320, y: 330, weight: 1, deadline: 900 }
    csv: ${csv}
`;
  const dir = mkdtempSync(join(tmpdir(), 'roadtwin-csv-'));
  const write = (name: string, text: string) => {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const problems = (file: string): string[] => {
    try {
      loadScenario(file);
    } catch (e) {
      if (e instanceof ScenarioError) return e.format().split('\n');
      throw e;
    }
    return [];
  };

  it('reads the file relative to the scenario, in any column order, and runs its orders', () => {
    write('data/orders.csv', '# a morning of three orders\nid,deadline,created,hub,x,y,weight\nA,1200,10,h,600,310,1.5\nB,1300,20,h,310,600,0.8\n\nC,1500,30,h,620,610,2\n');
    const file = write('s/run.yaml', yaml('../data/orders.csv'));
    const loaded = loadScenario(file);
    expect(loaded.scenario.logistics!.orders.list.map((o) => [o.created, o.x, o.weight, o.deadline])).toEqual([
      [1, 320, 1, 900],
      [10, 600, 1.5, 1200],
      [20, 310, 0.8, 1300],
      [30, 620, 2, 1500],
    ]);
    const w = new World(loaded.scenario);
    const events = run(w);
    expect(w.logistics!.orders.next).toBe(4);
    expect(events.filter((e) => e.kind === 'order.delivered').length).toBe(4);
    // the rows are part of the scenario: another file, another hash
    write('data/orders.csv', 'created,hub,x,y,weight,deadline\n10,h,600,310,1.6,1200\n');
    expect(loadScenario(file).hash).not.toBe(loaded.hash);
  });

  it('names the file, line, column and field of every bad value, and the scenario line of a missing file', () => {
    write('bad.csv', 'created,hub,x,y,weight,deadline\n10,h,600,310,1.5,1200\n20,hx,310,600,abc,1300\n30,h,620,610,2\n40,h,1,2,-1,300\n50,h,1,2,1,30\n');
    const bad = join(dir, 'bad.csv');
    expect(problems(write('bad.yaml', yaml('bad.csv')))).toEqual([
      `${bad}:3:4: hub: unknown hub 'hx'`,
      `${bad}:3:15: weight: must be a number, got 'abc'`,
      `${bad}:4:1: 5 fields, the header (line 1) has 6`,
      `${bad}:5:10: weight: must be greater than 0, got -1`,
      `${bad}:6:12: deadline: deadline 30 s is before the order is created (50 s)`,
    ]);
    write('cols.csv', 'created,hub,x,y,wieght,deadline\n');
    expect(problems(write('cols.yaml', yaml('cols.csv')))).toEqual([
      `${join(dir, 'cols.csv')}:1:1: weight: the header has no 'weight' column`,
      `${join(dir, 'cols.csv')}:1:17: wieght: unknown column 'wieght' (the columns are created, hub, x, y, weight, deadline, and an optional id)`,
    ]);
    // a file that is not there: pointed at in the scenario
    expect(problems(write('missing.yaml', yaml('nowhere.csv')))).toEqual([`${join(dir, 'missing.yaml')}:17:10: logistics.orders.csv: cannot read the orders file '${join(dir, 'nowhere.csv')}': no such file`]);
  });
});

describe('scenarios/laoshan.yaml: a morning of at least 2,000 orders', () => {
  it('expects well over 2,000 orders in its hour (a seeded draw below 2,000 would be 3 σ off) and draws over 2,000 with its seed', () => {
    const s = loadScenario(fileURLToPath(new URL('../../scenarios/laoshan.yaml', import.meta.url))).scenario;
    const expected = expectedOrders(s.logistics!, s.duration);
    // a Poisson count of mean λ has σ = √λ
    expect(expected - 3 * Math.sqrt(expected)).toBeGreaterThanOrEqual(2000);
    const hubs = s.logistics!.hubs.map(() => ({ x: 0, y: 0 }));
    const hubIndex = new Map(s.logistics!.hubs.map((h, i) => [h.id, i]));
    expect(new OrderBook(s.logistics!, hubIndex, hubs, s.seed, s.duration).count).toBeGreaterThanOrEqual(2000);
  });

  it('the expected count follows rates, time windows and profiles: the mean of many seeded draws agrees with it', () => {
    const s = scenario({
      hubs: [hub()],
      orders: {
        areas: [
          { x: 0, y: 0, radius: 100, rate: 100, profile: [{ at: 300, factor: 0.5 }, { at: 600, factor: 3 }] },
          { x: 0, y: 0, radius: 100, rate: 60, begin: 200, end: 800 },
        ],
        list: [{ created: 10, hub: 'h', x: 0, y: 0, weight: 1, deadline: 900 }, { created: 1300, hub: 'h', x: 0, y: 0, weight: 1, deadline: 2000 }],
      },
    });
    // 100/h × (600 s × 0.5 + 600 s × 3) + 60/h × 600 s + the one listed order before the end (1,200 s)
    const expected = expectedOrders(s.logistics!, s.duration);
    expect(expected).toBeCloseTo((100 * (600 * 0.5 + 600 * 3)) / 3600 + (60 * 600) / 3600 + 1, 9);
    const hubIndex = new Map([['h', 0]]);
    let total = 0;
    const seeds = 400;
    for (let seed = 0; seed < seeds; seed++) total += new OrderBook(s.logistics!, hubIndex, [{ x: 0, y: 0 }], seed, s.duration).count;
    // the mean of 400 draws of a Poisson count of mean ≈ 69.3 has σ ≈ 0.42
    expect(Math.abs(total / seeds - expected)).toBeLessThan(1.7);
  });
});

describe('scenarios/drone-delivery.yaml', () => {
  it('drones fly from three docks around the no-fly zone, stay down in the gust, and what they cannot carry is rejected with the reason', () => {
    const s = loadScenario(fileURLToPath(new URL('../../scenarios/drone-delivery.yaml', import.meta.url))).scenario;
    const w = new World(s);
    const d = w.logistics!.drones;
    let inZone = 0;
    let maxZ = 0;
    const events = run(w, () => {
      for (let k = 0; k < d.count; k++) {
        if (d.phase[k] !== D_IDLE && w.logistics!.airspace.inside(d.x[k], d.y[k])) inZone++;
        maxZ = Math.max(maxZ, d.z[k]);
      }
    });
    expect(inZone).toBe(0);
    expect(maxZ).toBeLessThanOrEqual(s.logistics!.drone.cruiseAltitude + 1e-9);
    const wind = events.filter((e) => e.kind === 'dronePort.wind') as { phase: string; time: number }[];
    const grounded = wind.filter((e) => e.phase === 'grounded').map((e) => e.time);
    const open = wind.filter((e) => e.phase === 'open').map((e) => e.time);
    expect(grounded.length).toBe(3);
    expect(open.length).toBe(3);
    const [from, to] = [Math.max(...grounded), Math.min(...open)];
    expect(to - from).toBeGreaterThan(500);
    const launched = (events.filter((e) => e.kind === 'order.assigned') as { time: number }[]).map((e) => e.time);
    expect(launched.filter((t) => t > from && t < to)).toEqual([]);
    const reasons = new Set(events.filter((e) => e.kind === 'order.rejected').map((e) => (e as { reason: string }).reason));
    expect(reasons).toEqual(new Set(['weight', 'noFly', 'wind']));
    const m = logisticsMetrics(w.logistics!, w.time) as { orders: number; delivered: number; byMode: { drone: { delivered: number } } };
    expect(m.delivered).toBeGreaterThan(20);
    expect(m.byMode.drone.delivered).toBe(m.delivered);
    // the listed order across the zone from the docks was flown (around it)
    const across = events.find((e) => e.kind === 'order.delivered' && w.logistics!.orders.created[e.order] === 240);
    expect(across).toBeDefined();
  }, 60_000);
});

describe('bad input', () => {
  const base = (logistics: string) => `name: bad
duration: 60
network:
  grid: { rows: 2, cols: 2, spacing: 200, lanes: 1, speedLimit: 10 }
vehicleTypes:
  car: { length: 5, maxSpeed: 20, accel: 1, decel: 2, headway: 1, minGap: 2 }
logistics:
${logistics}`;
  const problems = (text: string): string[] => {
    try {
      parseScenario(text, 'bad.yaml');
    } catch (e) {
      if (e instanceof ScenarioError) return e.format().split('\n');
      throw e;
    }
    return [];
  };

  it('names the file, line, column and field', () => {
    const lines = problems(
      base(`  hubs:
    - { id: h, edge: nowhere, vans: 1 }
  dronePorts:
    - { id: p, x: 0, y: 0, hub: hx }
  drone: { cruiseAltitude: 150 }`),
    );
    expect(lines).toContain('bad.yaml:12:28: logistics.drone.cruiseAltitude: must be at most 120, got 150');
    expect(lines.join('\n')).not.toMatch(/at Object|\.ts:/);
    const sem = problems(
      base(`  hubs:
    - { id: h, edge: nowhere, vans: 1 }
  dronePorts:
    - { id: p, x: 0, y: 0, hub: hx }`),
    );
    expect(sem).toEqual([
      // the van type is a default: the problem points at the logistics block
      "bad.yaml:7:1: logistics.van.type: unknown vehicle type 'van' (the hubs have vans)",
      "bad.yaml:9:22: logistics.hubs.0.edge: unknown edge 'nowhere'",
      "bad.yaml:11:33: logistics.dronePorts.0.hub: unknown hub 'hx'",
    ]);
  });
});

describe('what the viewer reads of missions and tours', () => {
  it('drone.launch: port first, the order destination last, at the cruise altitude; van.tour: the departing vehicle, its orders in visiting order, stops on its route', () => {
    const s = scenario({
      hubs: [hub({ vans: 2 })],
      dronePorts: [{ id: 'p', x: 300, y: 300, hub: 'h', drones: 2, pads: 1 }],
      noFly: [{ id: 'z', polygon: [[420, 250], [480, 250], [480, 350], [420, 350]] }],
      van: { batchWindow: 60, maxStops: 4 },
      orders: { areas: [{ x: 300, y: 300, radius: 500, rate: 150, weight: { min: 0.5, max: 12 }, deadline: 1800 }] },
    });
    const w = new World(s);
    const events = run(w);
    const o = w.logistics!.orders;
    const launches = events.filter((e) => e.kind === 'drone.launch');
    expect(launches.length).toBeGreaterThan(3);
    let detours = 0;
    for (const e of launches) {
      expect(e.port).toBe('p');
      expect(e.altitude).toBe(s.logistics!.drone.cruiseAltitude);
      expect(e.path[0]).toEqual([300, 300]);
      const last = e.path[e.path.length - 1];
      expect(last[0]).toBeCloseTo(o.x[e.order], 1);
      expect(last[1]).toBeCloseTo(o.y[e.order], 1);
      // the order was given to this drone in the same tick
      expect(events.some((a) => a.kind === 'order.assigned' && a.order === e.order && a.vehicle === e.drone && a.time === e.time)).toBe(true);
      if (e.path.length > 2) detours++;
    }
    expect(detours).toBeGreaterThan(0);
    // the trace's box holds where drones go, beyond the roads too (a position outside it is pinned to its edge)
    const box = networkBox(w);
    let beyondRoads = 0;
    for (let i = 0; i < o.count; i++) {
      expect(o.x[i] >= box.minX && o.x[i] <= box.maxX && o.y[i] >= box.minY && o.y[i] <= box.maxY).toBe(true);
      if (o.x[i] < 0 || o.y[i] < 0 || o.x[i] > 600 || o.y[i] > 600) beyondRoads++;
    }
    expect(beyondRoads).toBeGreaterThan(0);
    const tours = events.filter((e) => e.kind === 'van.tour');
    expect(tours.length).toBeGreaterThan(2);
    for (const t of tours) {
      const assigned = events.filter((a) => a.kind === 'order.assigned' && a.vehicle === t.van && a.time <= t.time).map((a) => (a.kind === 'order.assigned' ? a : null)!);
      // the last assignment round of this van before its vehicle entered: the tour's orders, in stop order
      const at = assigned[assigned.length - 1].time;
      expect(t.stops.map((x) => x.order)).toEqual(assigned.filter((a) => a.time === at).map((a) => a.order));
      expect(events.some((d) => d.kind === 'depart' && d.id === t.id && d.time === t.time)).toBe(true);
      let from = 0;
      for (const st of t.stops) {
        const i = t.route.indexOf(st.edge, from);
        expect(i).toBeGreaterThanOrEqual(0);
        from = i;
        // the stop is near its order's destination (the nearest kerb a van can use)
        expect(Math.hypot(st.x - o.x[st.order], st.y - o.y[st.order])).toBeLessThan(200);
      }
      expect(t.route[0]).toBe('r1c0-r1c1');
      expect(t.route[t.route.length - 1]).toBe('r1c0-r1c1');
    }
  }, 60_000);
});
