// trips.csv carries the scenario's trip ids (SUMO's vehicle ids) as a column, tripId, when the
// scenario names any trip or flow; flow vehicles are `<flow id>.<n>`. Events carry them too; a
// refused departure is an event and a count in metrics.json. After them: origin, destination,
// the route driven, equipped and timeLoss (SUMO's), checked against hand-computed trips, and the V2X
// warnings each vehicle received, against the warning events.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunSession } from './session.js';
import { parseScenario } from '../scenario/index.js';
import { World } from '../../sim/world.js';
import { SnapshotReader, SnapshotWriter } from '../../core/snapshot.js';
import { ENGINE_VERSION } from '../../core/version.js';
import { prepare } from '../control/commands.js';
import { SpeedHolds } from '../control/holds.js';
import type { SimEvent } from '../../sim/events.js';

const dir = mkdtempSync(join(tmpdir(), 'rt-tripid-'));
const scenario = `
name: trip-ids
duration: 200
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 500, y: 0 }, { id: c, x: 900, y: 0 } ]
  edges:
    - { id: ab, from: a, to: b, lanes: 2, speedLimit: 15 }
    - { id: bc, from: b, to: c, lanes: 1, speedLimit: 15, laneClasses: [ [bus] ] }
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.2, minGap: 2 }
demand:
  - trips:
      - { id: 'veh,1', type: car, depart: 0, from: ab, to: ab }
      - { type: car, depart: 3, from: ab, to: ab }
      - { id: blocked, type: car, depart: 4, from: ab, to: bc }
  - flow: { id: f, type: car, route: [ab], period: 10, begin: 10, end: 30 }
`;

async function runTo(out: string, yaml: string): Promise<void> {
  const file = join(dir, `${out}.yaml`);
  writeFileSync(file, yaml);
  const s = await RunSession.start({ source: { scenarioFile: file, overrides: [], out: join(dir, out) }, workers: 1 });
  if ('refused' in s) throw new Error(s.message);
  try {
    expect((await s.run()).status).toBe('complete');
  } finally {
    await s.close();
  }
}

describe('trips.csv tripId', () => {
  it('is a column after departDelay, with the trip ids and the flow vehicles named <flow>.<n>', async () => {
    await runTo('named', scenario);
    const rows = readFileSync(join(dir, 'named', 'trips.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('id,type,depart,arrival,routeLength,travelTime,waitingTime,stops,departDelay,tripId,origin,destination,route,equipped,timeLoss,warnings');
    // (the 10th column: the rows' first nine cells hold no comma)
    const ids = rows.slice(1).map((r) => r.split(',').slice(9).join(',').replace(/,ab,ab,ab,0,[0-9.e-]+,0$/, ''));
    expect(ids).toEqual(['"veh,1"', '', 'f.0', 'f.1']);
    const events = readFileSync(join(dir, 'named', 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.kind === 'depart').map((e) => e.tripId)).toEqual(['veh,1', undefined, 'f.0', 'f.1']);
    expect(events.find((e) => e.kind === 'refuse')).toMatchObject({ tripId: 'blocked', reason: 'noLane', edge: 'ab' });
    const metrics = JSON.parse(readFileSync(join(dir, 'named', 'metrics.json'), 'utf8'));
    expect(metrics.vehicles).toMatchObject({ inserted: 4, arrived: 4, refused: 1 });
  });

  it('is absent when the scenario names no trip', async () => {
    await runTo('unnamed', scenario.replace("id: 'veh,1', ", '').replace('id: blocked, ', '').replace('id: f, ', ''));
    const rows = readFileSync(join(dir, 'unnamed', 'trips.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('id,type,depart,arrival,routeLength,travelTime,waitingTime,stops,departDelay,origin,destination,route,equipped,timeLoss,warnings');
    expect(rows.slice(1).every((r) => r.split(',').length === 15)).toBe(true);
  });
});

/** trips.csv as objects, one per row, by the header's names (quoted cells as CSV quotes them). */
function tripsOf(out: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(join(dir, out, 'trips.csv'), 'utf8').trim().split('\n');
  const cells = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]));
  const names = cells(head);
  return rows.map((r) => Object.fromEntries(cells(r).map((c, k) => [names[k], c])));
}

// A car of 5 m with the IDM's a = 2 m/s², v0 = 15 m/s (the limit; its top speed is 30), entering at
// 15 m/s with its front 5 m along the first lane (departPos base).
const car = 'car: { length: 5, maxSpeed: 30, accel: 2, decel: 3, headway: 1.2, minGap: 2 }';
const V0 = 15;
const A = 2;
/**
 * Time lost by a free IDM acceleration from standstill to v0: ∫(1 − v/v0) dt with
 * dv/dt = a (1 − (v/v0)⁴) is (v0/a) ∫₀¹ (1 − u)/(1 − u⁴) du = (v0/a) ∫₀¹ du / ((1 + u)(1 + u²))
 * = (v0/a) (ln 2 / 4 + π / 8) = 0.5660 v0/a.
 */
const IDM_START_LOSS = (V0 / A) * (Math.LN2 / 4 + Math.PI / 8);

/**
 * A stalled vehicle on the right lane of a 1.5 km two-lane road and an RSU announcing it (HLW),
 * half the cars equipped (engine/v2x/system.test.ts's hazard scenario): the equipped drivers that
 * pass it are warned.
 */
const HAZARD = `name: hlw
duration: 300
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 1500, y: 0 } ]
  edges: [ { id: ab, from: a, to: b, lanes: 2, speedLimit: 20 } ]
vehicleTypes: { car: { length: 5, maxSpeed: 30, accel: 1.5, decel: 2, headway: 1.2, minGap: 2 } }
demand: [ { flow: { type: car, route: [ab], rate: 600, begin: 0, end: 200 } } ]
roadEvents: [ { id: stall, kind: stalledVehicle, edge: ab, pos: 1000, length: 6, lanes: [0] } ]
v2x:
  penetration: 0.5
  rsus: [ { id: mid, x: 800, y: 20 } ]
  apps: { hlw: { distance: 300, speed: 10 } }
`;

describe('trips.csv origin, destination, route, equipped, timeLoss, warnings', () => {
  it('a one-edge trip on an empty road: origin = destination = route = that edge, no time lost', async () => {
    await runTo(
      'free',
      `name: free
duration: 120
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 1000, y: 0 } ]
  edges: [ { id: ab, from: a, to: b, lanes: 1, speedLimit: 15 } ]
vehicleTypes: { ${car} }
demand: [ { trips: [ { type: car, depart: 0, from: ab, to: ab, departSpeed: 15 } ] } ]
`,
    );
    const [t] = tripsOf('free');
    expect(t).toMatchObject({ type: 'car', origin: 'ab', destination: 'ab', route: 'ab', equipped: '0' });
    // at the limit from the start: the IDM's free acceleration at v = v0 is 0, so it stays there
    expect(Number(t.timeLoss)).toBeCloseTo(0, 6);
    expect(Number(t.travelTime)).toBeCloseTo(995 / V0, 0);
  });

  it('behind a red light until 40 s: the time lost is the wait up to the line plus the IDM start, and travel time minus the free-flow time', async () => {
    await runTo(
      'red',
      `name: red
duration: 150
network:
  nodes:
    - { id: a, x: 0, y: 0 }
    - { id: b, x: 500, y: 0, control: signal, signal: { program: [ { duration: 40, state: r }, { duration: 110, state: G } ], links: [0] } }
    - { id: c, x: 1000, y: 0 }
  edges:
    - { id: ab, from: a, to: b, lanes: 1, speedLimit: 15 }
    - { id: bc, from: b, to: c, lanes: 1, speedLimit: 15 }
  connections: [ { from: ab, fromLane: 0, to: bc, toLane: 0 } ]
vehicleTypes: { ${car} }
v2x: { penetration: 1 }
demand: [ { trips: [ { id: 'one,two', type: car, depart: 0, from: ab, to: bc, departSpeed: 15 } ] } ]
`,
    );
    const [t] = tripsOf('red');
    expect(t).toMatchObject({ tripId: 'one,two', origin: 'ab', destination: 'bc', route: 'ab bc', equipped: '1' });
    const loss = Number(t.timeLoss);
    const depart = Number(t.depart);
    // up to the green at 40 s, from its entry 5 m along ab to where it stands, within minGap (2 m) of
    // the stop line at 500 m: (40 − depart) − (500 − 1 − 5)/v0, ±1 m/v0; after it the IDM's start
    const expected = 40 - depart - (500 - 1 - 5) / V0 + IDM_START_LOSS;
    expect(IDM_START_LOSS).toBeCloseTo(4.245, 3);
    expect(Math.abs(loss - expected)).toBeLessThan(0.3);
    // with one limit on the whole route, the time lost is travel time minus the free-flow time
    // (SUMO's identity; the sum over ticks of dt (1 − v/v0) differs from it by dt/2 per speed change)
    expect(Math.abs(loss - (Number(t.travelTime) - Number(t.routeLength) / V0))).toBeLessThan(0.1);
  });

  it('is travel time minus free-flow time for every trip of a queued corridor, and 0/1 equipped as V2X says', async () => {
    // corridor.yaml: one 2 km lane at 33.3 m/s fed at 4000 veh/h, 10 minutes; half the cars equipped
    const yaml = readFileSync(join(fileURLToPath(new URL('../../../scenarios/corridor.yaml', import.meta.url))), 'utf8');
    await runTo('corridor', `${yaml.replace('duration: 3600', 'duration: 600')}\nv2x: { penetration: 0.5 }\n`);
    const trips = tripsOf('corridor');
    expect(trips.length).toBeGreaterThan(200);
    for (const t of trips) {
      expect(t).toMatchObject({ origin: 'AB', destination: 'AB', route: 'AB' });
      expect(Math.abs(Number(t.timeLoss) - (Number(t.travelTime) - Number(t.routeLength) / 33.3))).toBeLessThan(0.1);
    }
    const equipped = trips.filter((t) => t.equipped === '1').length / trips.length;
    expect(equipped).toBeGreaterThan(0.35);
    expect(equipped).toBeLessThan(0.65);
    expect(trips.every((t) => t.equipped === '0' || t.equipped === '1')).toBe(true);
  });

  it('counts the V2X warnings each vehicle received: those of events.ndjson to it, none when not equipped', async () => {
    await runTo('hazard', HAZARD);
    const trips = tripsOf('hazard');
    const warned = new Map<number, number>();
    for (const line of readFileSync(join(dir, 'hazard', 'events.ndjson'), 'utf8').trim().split('\n')) {
      const e = JSON.parse(line);
      if (e.kind === 'v2x.warning') warned.set(e.vehicle, (warned.get(e.vehicle) ?? 0) + 1);
    }
    expect(trips.length).toBeGreaterThan(20);
    for (const t of trips) expect(Number(t.warnings), `vehicle ${t.id}`).toBe(warned.get(Number(t.id)) ?? 0);
    expect(trips.filter((t) => t.equipped === '0').every((t) => t.warnings === '0')).toBe(true);
    // (the hazard warns the equipped drivers that pass it: not a column of zeros)
    const warnedTrips = trips.filter((t) => Number(t.warnings) > 0);
    expect(warnedTrips.length).toBeGreaterThan(5);
    expect(warnedTrips.every((t) => t.equipped === '1')).toBe(true);
    const metrics = JSON.parse(readFileSync(join(dir, 'hazard', 'metrics.json'), 'utf8'));
    expect(trips.reduce((n, t) => n + Number(t.warnings), 0)).toBeLessThanOrEqual(metrics.v2x.warnings.hlw);
  });

  it('carries the counts through a snapshot taken while warned drivers are on the road', () => {
    const scenario = parseScenario(HAZARD, 'hlw.yaml').scenario;
    const arrivalsOf = (w: World, out: [number, number][]) => w.events$.subscribe((e) => e.kind === 'arrive' && out.push([e.id, e.warnings]));
    const whole = new World(scenario);
    whole.start();
    whole.run(120);
    const sw = new SnapshotWriter();
    whole.snapshot(sw);
    const bytes = sw.toBuffer({ engineVersion: ENGINE_VERSION, scenarioHash: 'test', seed: whole.seed, tick: whole.tick, time: whole.time });
    const onRoad = [...whole.vehicles()].filter((i) => whole.state.warned[i] > 0).length;
    expect(onRoad).toBeGreaterThan(0);
    const after: [number, number][] = [];
    arrivalsOf(whole, after);
    whole.run();
    const resumed = new World(scenario);
    resumed.restore(new SnapshotReader(bytes));
    const again: [number, number][] = [];
    arrivalsOf(resumed, again);
    resumed.run();
    expect(again).toEqual(after);
    expect(after.filter(([, n]) => n > 0).length).toBeGreaterThanOrEqual(onRoad);
  });
});

describe('the route driven', () => {
  // a → b → c → d, and a branch c → e; the car's route is ab bc cd until, on bc, it is given bc ce
  const { scenario } = parseScenario(
    `name: branch
duration: 200
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 300, y: 0 }, { id: c, x: 600, y: 0 }, { id: d, x: 900, y: 0 }, { id: e, x: 600, y: 300 } ]
  edges:
    - { id: ab, from: a, to: b, lanes: 1, speedLimit: 15 }
    - { id: bc, from: b, to: c, lanes: 1, speedLimit: 15 }
    - { id: cd, from: c, to: d, lanes: 1, speedLimit: 15 }
    - { id: ce, from: c, to: e, lanes: 1, speedLimit: 15 }
vehicleTypes: { ${car} }
demand: [ { trips: [ { type: car, depart: 0, from: ab, to: cd, via: [bc] } ] } ]
`,
    'branch.yaml',
  );
  const snapshotOf = (w: World): Buffer => {
    const sw = new SnapshotWriter();
    w.snapshot(sw);
    return sw.toBuffer({ engineVersion: ENGINE_VERSION, scenarioHash: 'test', seed: w.seed, tick: w.tick, time: w.time });
  };

  it('keeps the edges before a replaced route, also through a checkpoint', () => {
    const w = new World(scenario);
    const arrivals: SimEvent[] = [];
    w.events$.subscribe((e) => e.kind === 'arrive' && arrivals.push(e));
    w.start();
    const bc = w.net.edgeIndex.get('bc')!;
    const onBc = () => [...w.vehicles()].some((i) => w.net.laneEdge[w.state.lane[i]] === bc);
    while (!onBc() && w.tick < w.ticksTotal) w.step();
    expect(onBc()).toBe(true);
    prepare({ world: w, holds: new SpeedHolds() }, { cmd: 'setRoute', env: 0, vehicle: 0, edges: ['bc', 'ce'] })();
    w.run(w.time + 1);
    const bytes = snapshotOf(w);
    w.run();
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]).toMatchObject({ kind: 'arrive', route: ['ab', 'bc', 'ce'], equipped: false });

    const resumed = new World(scenario);
    resumed.restore(new SnapshotReader(bytes));
    const after: SimEvent[] = [];
    resumed.events$.subscribe((e) => e.kind === 'arrive' && after.push(e));
    resumed.run();
    // the same arrival to the bit: route, timeLoss (a per-vehicle sum in the checkpoint) and all
    expect(after).toEqual(arrivals);
    expect(resumed.stateHash()).toBe(w.stateHash());
  });
});
