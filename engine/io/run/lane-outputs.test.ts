// lanes.csv (output.lanes): one vehicle on lanes of known length at a known speed against
// hand-computed figures; a lane's count against a loop detector on that lane; the lanes of every
// edge of the signalised two-lane grid summing to the edge's row of edges.csv (lane changes and
// halts included), and each lane's vehicles conserved over a run.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunSession } from './session.js';
import { parseScenario, ScenarioError } from '../scenario/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rt-lanes-'));
const grid = fileURLToPath(new URL('../../../scenarios/grid.yaml', import.meta.url));

type Row = Record<string, string>;
const csv = (file: string): Row[] => {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, k) => [cols[k], v])));
};
const num = (r: Row, k: string) => Number(r[k]);

async function runTo(out: string, yaml: string, overrides: string[] = []): Promise<string> {
  const file = join(dir, `${out}.yaml`);
  writeFileSync(file, yaml);
  const runDir = join(dir, out);
  const s = await RunSession.start({ source: { scenarioFile: file, overrides, out: runDir }, workers: 1 });
  if ('refused' in s) throw new Error(s.message);
  try {
    expect((await s.run()).status).toBe('complete');
  } finally {
    await s.close();
  }
  return runDir;
}

// ---------------------------------------------------------------- one vehicle, by hand

/**
 * One car, 5 m long, inserted standing (departSpeed 0) at the start of a 300 m lead-in, then a
 * 1,000 m edge and a 500 m exit, all one lane at 15 m/s, the car's top speed 30 m/s and no speed
 * deviation: it speeds up to 15 m/s on the lead-in (2 m/s², in about 10 s and 60 m) and drives the
 * rest at the limit, alone. One 300 s interval holds the whole trip.
 */
const ONE = `
name: one
duration: 300
step: 0.1
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 300, y: 0 }, { id: c, x: 1300, y: 0 }, { id: d, x: 1800, y: 0 } ]
  edges:
    - { id: lead, from: a, to: b, lanes: 1, speedLimit: 15 }
    - { id: bc, from: b, to: c, lanes: 1, speedLimit: 15 }
    - { id: exit, from: c, to: d, lanes: 1, speedLimit: 15 }
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.5, minGap: 2, speedDev: 0 }
demand:
  - trips:
      - { type: car, from: lead, to: exit, depart: 0, departSpeed: 0 }
output: { lanes: true }
`;

describe('one vehicle on lanes of known length at a known speed', async () => {
  const runDir = await runTo('one', ONE);
  const lanes = csv(join(runDir, 'lanes.csv'));
  const edges = csv(join(runDir, 'edges.csv'));
  const [trip] = csv(join(runDir, 'trips.csv'));
  const lane = (id: string) => lanes.find((r) => r.lane === id)!;

  it('has a row per lane it drove, named as SUMO names lanes, with its edge and index', () => {
    expect(readFileSync(join(runDir, 'lanes.csv'), 'utf8').split('\n')[0]).toBe(
      'begin,end,lane,edge,index,sampledSeconds,entered,left,flow,density,occupancy,meanSpeed,waitingTime,timeLoss,travelTime,halts,laneChangedFrom,laneChangedTo',
    );
    expect(lanes.map((r) => [r.begin, r.end, r.lane, r.edge, r.index])).toEqual([
      ['0', '300', 'lead_0', 'lead', '0'],
      ['0', '300', 'bc_0', 'bc', '0'],
      ['0', '300', 'exit_0', 'exit', '0'],
    ]);
    for (const r of lanes) expect([num(r, 'entered'), num(r, 'left'), num(r, 'laneChangedFrom'), num(r, 'laneChangedTo')]).toEqual([1, 1, 0, 0]);
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    expect(manifest.files.lanes).toBe('lanes.csv');
  });

  it('on the 1,000 m lane at 15 m/s: 66.67 s, 0.2222 veh/km, 15 m/s, no time lost, 0.1111 % occupied', () => {
    const r = lane('bc_0');
    const t = 1000 / 15;
    expect(Math.abs(num(r, 'sampledSeconds') - t)).toBeLessThan(0.01);
    // one vehicle for 66.67 s of 300 s on 1 km: 0.2222 vehicles per km on average
    expect(Math.abs(num(r, 'density') - t / 300)).toBeLessThan(1e-4);
    expect(Math.abs(num(r, 'meanSpeed') - 15)).toBeLessThan(1e-3);
    expect(num(r, 'timeLoss')).toBeLessThan(0.01);
    expect(num(r, 'waitingTime')).toBe(0);
    expect(num(r, 'halts')).toBe(0);
    // 5 m of the 1,000 m for 66.67 s of 300 s
    expect(Math.abs(num(r, 'occupancy') - (100 * 5 * t) / 1000 / 300)).toBeLessThan(1e-3);
    expect(Math.abs(num(r, 'travelTime') - t)).toBeLessThan(0.01);
    // one vehicle left it in 300 s: 12 veh/h
    expect(num(r, 'flow')).toBe(12);
  });

  it('on the lead-in it lost the time it took beyond its length at 15 m/s, and the lanes’ time loss is its trip’s', () => {
    const r = lane('lead_0');
    // inserted with its rear at the lane's start (SUMO's departPos base), it drives 300 − 5 m on it
    expect(Math.abs(num(r, 'meanSpeed') * num(r, 'sampledSeconds') - 295)).toBeLessThan(1e-3);
    // Σ dt (1 − v/vmax) = time on the lane − Σ v dt / vmax, v the speed at each tick's end: with a
    // constant acceleration in each tick, Σ v dt is the distance plus dt/2 times the speed gained
    // (0 to 15 m/s: 0.75 m)
    const byHand = num(r, 'sampledSeconds') - (295 + (0.1 / 2) * 15) / 15;
    // speeding up from 0 to 15 m/s costs a few seconds
    expect(byHand).toBeGreaterThan(2);
    expect(Math.abs(num(r, 'timeLoss') - byHand)).toBeLessThan(0.01);
    // inserted standing, it is at 0.2 m/s after its first tick: never below 0.1 m/s at a tick's end
    expect(num(r, 'halts')).toBe(0);
    expect(num(r, 'waitingTime')).toBe(0);
    // (the trip's own sum, kept in the vehicle's state; to the cells' rounding)
    const lost = lanes.reduce((s, x) => s + num(x, 'timeLoss'), 0);
    expect(Math.abs(lost - num(trip, 'timeLoss'))).toBeLessThan(1e-4);
    // its time on the lanes is its travel time but for the part of its last tick beyond its
    // arrival point (which trips.csv counts: it arrives at the tick's end)
    const time = lanes.reduce((s, x) => s + num(x, 'sampledSeconds'), 0);
    expect(num(trip, 'travelTime') - time).toBeGreaterThanOrEqual(0);
    expect(num(trip, 'travelTime') - time).toBeLessThan(0.1);
  });

  it('a scenario whose lanes.csv would be too long is refused, naming output.intervals and output.lanes', () => {
    // 31 days in 0.1 s intervals: 26,784,000 intervals × (3 edges + 3 lanes + 2 movements)
    const long = ONE.replace('duration: 300', `duration: ${31 * 86_400}`).replace('output: { lanes: true }', '');
    const refused = (output: string) => {
      try {
        parseScenario(`${long}output: ${output}\n`, 'long.yaml');
        return '';
      } catch (err) {
        return (err as ScenarioError).format();
      }
    };
    expect(refused('{ intervals: 0.1, lanes: true }')).toMatch(
      /output\.intervals.*edges\.csv, lanes\.csv and junctions\.csv would have 214,272,000 rows \(26,784,000 intervals of 3 edges, 3 lanes and 2 movements\).*or output\.lanes: false/,
    );
    // lanes.csv alone with edges.csv: 160,704,000 rows, over; without it 80,352,000, within
    expect(refused('{ intervals: 0.1, lanes: true, junctions: false }')).toMatch(/160,704,000 rows/);
    expect(refused('{ intervals: 0.1, junctions: false }')).toBe('');
  });

  it('a one-lane edge’s row is its lane’s', () => {
    for (const e of edges) {
      const r = lane(`${e.edge}_0`);
      for (const k of ['sampledSeconds', 'entered', 'left', 'flow', 'density', 'occupancy', 'meanSpeed', 'waitingTime', 'timeLoss', 'travelTime', 'halts']) expect(r[k], `${e.edge} ${k}`).toBe(e[k]);
    }
  });
});

// ---------------------------------------------------------------- a loop on a lane

/**
 * Two lanes each way from the lead-in to the exit; one flow keeps to the right lane, one to the
 * left, both at the limit with 300 m and more between cars (nobody to overtake, no lane that ends:
 * no reason to change lanes). A loop on each lane of bc 5 m before its end (a car leaves the lane a
 * third of a second after it passes the loop, and none passes it that close to an interval's end),
 * period 200 s as the intervals.
 */
const TWO = `
name: two
duration: 600
step: 0.1
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 300, y: 0 }, { id: c, x: 1300, y: 0 }, { id: d, x: 1800, y: 0 } ]
  edges:
    - { id: lead, from: a, to: b, lanes: 2, speedLimit: 15 }
    - { id: bc, from: b, to: c, lanes: 2, speedLimit: 15 }
    - { id: exit, from: c, to: d, lanes: 2, speedLimit: 15 }
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.5, minGap: 2, speedDev: 0 }
demand:
  - flow: { type: car, route: [lead, bc, exit], period: 20, begin: 0, end: 400, departLane: 0 }
  - flow: { type: car, route: [lead, bc, exit], period: 25, begin: 10, end: 400, departLane: 1 }
detectors:
  - { id: right, edge: bc, pos: 995, lane: 0, period: 200 }
  - { id: left, edge: bc, pos: 995, lane: 1, period: 200 }
output: { intervals: 200, lanes: true }
`;

describe('a loop detector on each lane', async () => {
  const runDir = await runTo('two', TWO);
  const lanes = csv(join(runDir, 'lanes.csv'));
  const detectors = csv(join(runDir, 'detectors.csv'));

  it('each lane’s left and flow per interval are its loop’s count and flow', () => {
    for (const [id, laneId] of [
      ['right', 'bc_0'],
      ['left', 'bc_1'],
    ]) {
      const loop = detectors.filter((d) => d.id === id);
      const rows = lanes.filter((r) => r.lane === laneId);
      expect(rows.map((r) => r.begin)).toEqual(['0', '200', '400']);
      expect(rows.every((r) => num(r, 'laneChangedFrom') === 0 && num(r, 'laneChangedTo') === 0)).toBe(true);
      expect(rows.map((r) => num(r, 'left'))).toEqual(loop.map((d) => num(d, 'count')));
      expect(rows.map((r) => num(r, 'flow'))).toEqual(loop.map((d) => num(d, 'flow')));
    }
    // 20 (16) cars in 400 s on the right (left) lane: some in every interval
    expect(detectors.filter((d) => d.id === 'right').reduce((s, d) => s + num(d, 'count'), 0)).toBe(20);
    expect(detectors.filter((d) => d.id === 'left').reduce((s, d) => s + num(d, 'count'), 0)).toBe(16);
  });

  it('a lane with nobody on it in an interval has no row', () => {
    // nothing after 400 s reaches the exit later than 400 + 1800/15 = 520 s: no exit rows after…
    expect(lanes.filter((r) => r.begin === '400').map((r) => r.lane)).toEqual(['lead_0', 'lead_1', 'bc_0', 'bc_1', 'exit_0', 'exit_1']);
    const quiet = csv(join(runDir, 'edges.csv')).filter((e) => num(e, 'sampledSeconds') === 0);
    for (const e of quiet) expect(lanes.some((r) => r.begin === e.begin && r.edge === e.edge)).toBe(false);
  });
});

// ---------------------------------------------------------------- the grid: lanes sum to edges

describe('the lanes of every edge sum to its row (the 8 × 8 signalised grid, two lanes each way)', async () => {
  const runDir = await runTo('grid', readFileSync(grid, 'utf8'), ['duration=400', 'output.intervals=120', 'output.lanes=true']);
  const edges = csv(join(runDir, 'edges.csv'));
  const lanes = csv(join(runDir, 'lanes.csv'));
  const network = JSON.parse(readFileSync(join(runDir, 'network.json'), 'utf8'));
  const laneLength = new Map<string, number>(network.lanes.map((l: { id: string; length: number }) => [l.id, l.length]));
  const edgeLength = new Map<string, number>(network.edges.map((e: { id: string; length: number }) => [e.id, e.length]));
  const key = (r: Row) => `${r.begin} ${r.edge}`;
  const byEdge = new Map<string, Row[]>();
  for (const r of lanes) byEdge.set(key(r), [...(byEdge.get(key(r)) ?? []), r]);

  it('the grid has lane changes, halts and waiting in it (what is summed is not all zero)', () => {
    const total = (k: string) => lanes.reduce((s, r) => s + num(r, k), 0);
    expect(total('laneChangedFrom')).toBeGreaterThan(100);
    expect(total('laneChangedTo')).toBe(total('laneChangedFrom'));
    expect(total('halts')).toBeGreaterThan(100);
    expect(total('waitingTime')).toBeGreaterThan(1000);
  });

  it('counts, halts and times add up exactly (to the rounding of the cells); densities by length, flows, speeds by vehicle-seconds', () => {
    let checked = 0;
    for (const e of edges) {
      const rows = byEdge.get(key(e)) ?? [];
      if (num(e, 'sampledSeconds') === 0 && num(e, 'entered') === 0 && num(e, 'left') === 0) {
        expect(rows).toEqual([]);
        continue;
      }
      checked++;
      const sum = (k: string) => rows.reduce((s, r) => s + num(r, k), 0);
      for (const k of ['entered', 'left', 'halts', 'laneChangedFrom', 'laneChangedTo']) expect(sum(k), `${key(e)} ${k}`).toBe(num(e, k));
      for (const k of ['sampledSeconds', 'waitingTime', 'timeLoss', 'flow']) expect(Math.abs(sum(k) - num(e, k)), `${key(e)} ${k}`).toBeLessThan(1e-5 * rows.length + 1e-9);
      // vehicles per km: the lanes' vehicles together over the edge's length
      const density = rows.reduce((s, r) => s + num(r, 'density') * laneLength.get(r.lane)!, 0) / edgeLength.get(e.edge)!;
      // (network.json's lengths are to the centimetre)
      expect(Math.abs(density - num(e, 'density')), `${key(e)} density`).toBeLessThan(1e-4 * num(e, 'density') + 1e-6);
      // the mean over the edge's lanes (a lane without a row had nothing on it)
      const lanesOfEdge = network.lanes.filter((l: { edge: string }) => l.edge === e.edge).length;
      expect(Math.abs(sum('occupancy') / lanesOfEdge - num(e, 'occupancy')), `${key(e)} occupancy`).toBeLessThan(1e-5);
      if (e.meanSpeed !== '') {
        const speed = rows.reduce((s, r) => s + (r.meanSpeed === '' ? 0 : num(r, 'meanSpeed') * num(r, 'sampledSeconds')), 0) / num(e, 'sampledSeconds');
        expect(Math.abs(speed - num(e, 'meanSpeed')), `${key(e)} meanSpeed`).toBeLessThan(1e-4);
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('every lane conserves its vehicles: entered + changed onto it − left − changed off it is what is on it at the end', () => {
    // summed over the intervals, per lane, against the trace's vehicles on the lane at 400 s
    const net = new Map<string, number>();
    for (const r of lanes) net.set(r.lane, (net.get(r.lane) ?? 0) + num(r, 'entered') + num(r, 'laneChangedTo') - num(r, 'left') - num(r, 'laneChangedFrom'));
    const onLanes = [...net.values()].reduce((s, n) => s + n, 0);
    for (const n of net.values()) expect(n).toBeGreaterThanOrEqual(0);
    const metrics = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    expect(onLanes).toBe(metrics.vehicles.active);
  });
});
