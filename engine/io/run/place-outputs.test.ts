// edges.csv, junctions.csv and signals.csv against hand-computed values on small scenarios:
// a fixed-time signal on a single-lane approach fed at a uniform rate (the deterministic D/D/1
// queue), an empty corridor in free flow, an edge's flow against a loop detector on it, the
// signal rows against the program's switch times; and the same bytes for one and two worker
// threads and after a snapshot taken in the middle of an interval.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../scenario/index.js';
import { World } from '../../sim/world.js';
import { SnapshotReader, SnapshotWriter } from '../../core/snapshot.js';
import { ENGINE_VERSION } from '../../core/version.js';
import { RunSession } from './session.js';
import { edgeRows, laneRows } from './edges-csv.js';
import { junctionRows, levelOfService } from './junctions-csv.js';

const dir = mkdtempSync(join(tmpdir(), 'rt-places-'));
const grid = fileURLToPath(new URL('../../../scenarios/grid.yaml', import.meta.url));

type Row = Record<string, string>;
const csv = (file: string): Row[] => {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, k) => [cols[k], v])));
};
const num = (r: Row, k: string) => Number(r[k]);

async function runTo(out: string, yaml: string, workers = 1, overrides: string[] = []): Promise<string> {
  const file = join(dir, `${out}.yaml`);
  writeFileSync(file, yaml);
  const runDir = join(dir, out);
  const s = await RunSession.start({ source: { scenarioFile: file, overrides, out: runDir }, workers });
  if ('refused' in s) throw new Error(s.message);
  try {
    expect((await s.run()).status).toBe('complete');
  } finally {
    await s.close();
  }
  return runDir;
}

// ---------------------------------------------------------------- (a) a signalised approach

/**
 * A 300 m lead-in, then a 1,000 m single-lane approach at 13.9 m/s to a fixed-time signal at s:
 * red 40 s, green 55 s, yellow 5 s, cycle C = 100 s, starting (red) at 0.42 s + 100 n. A car every
 * 5 s from t = 0 (q = 720 veh/h), all drivers alike (no speed deviation). Following at 5 s, a car
 * cruises at the IDM's equilibrium speed for that headway (below 13.9 m/s: the interaction term
 * never vanishes) and reaches the stop line at 5k + 95.9 s: 0.5 s after a red starts, 0.5 s after
 * a yellow starts (too close to stop: it goes on). So each cycle's red catches the 8 cars of its
 * 40 s (q·r = 8). Intervals of 100 s hold one red each.
 */
const SIGNAL = `
name: dd1
duration: 400
step: 0.1
network:
  nodes:
    - { id: a, x: 0, y: 0 }
    - { id: b, x: 300, y: 0 }
    - id: s
      x: 1300
      y: 0
      control: signal
      signal: { offset: 0.42, program: [ { duration: 40, state: r }, { duration: 55, state: G }, { duration: 5, state: y } ], links: [0] }
    - { id: c, x: 1600, y: 0 }
  edges:
    - { id: in, from: a, to: b, lanes: 1, speedLimit: 13.9 }
    - { id: ap, from: b, to: s, lanes: 1, speedLimit: 13.9 }
    - { id: out, from: s, to: c, lanes: 1, speedLimit: 13.9 }
  connections:
    - { from: ap, fromLane: 0, to: out, toLane: 0 }
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.2, minGap: 2, speedDev: 0 }
demand:
  - flow: { type: car, route: [in, ap, out], period: 5, begin: 0, end: 400 }
output: { intervals: 100 }
`;

/** The IDM's equilibrium speed at a time headway of `h` s: v = v0·(1 − ((s0 + vT)/(h·v − l))²)^¼. */
function idmEquilibrium(v0: number, h: number, s0: number, T: number, l: number): number {
  let v = v0;
  for (let k = 0; k < 200; k++) v = v0 * Math.pow(1 - ((s0 + v * T) / (h * v - l)) ** 2, 0.25);
  return v;
}

describe('a fixed-time signal on a uniformly fed approach (D/D/1)', async () => {
  const runDir = await runTo('signal', SIGNAL);
  const junctions = csv(join(runDir, 'junctions.csv')).filter((r) => r.junction === 's');
  const edges = csv(join(runDir, 'edges.csv'));
  const L = 1000;
  const vmax = 13.9;
  const cruise = idmEquilibrium(vmax, 5, 2, 1.2, 5);

  // when each car entered the approach and crossed its stop line, watched independently of the
  // run's files: the same scenario stepped tick by tick, the instants within the tick from the
  // distance driven beyond the line
  const cars: { k: number; entered: number; crossed: number }[] = [];
  /** the cars that came to a halt on the approach */
  const stopped: number[] = [];
  {
    const w = new World(parseScenario(SIGNAL, 'dd1.yaml').scenario);
    const [ap, out] = ['ap', 'out'].map((e) => w.net.edgeIndex.get(e)!);
    const entered = new Map<number, number>();
    const halted = new Set<number>();
    w.start();
    while (w.tick < w.ticksTotal) {
      w.step();
      for (const i of w.vehicles()) {
        const id = w.state.id[i];
        const edge = w.net.laneEdge[w.state.lane[i]];
        const at = w.time - (w.state.pos[i] / w.state.lastDx[i]) * w.dt;
        if (edge === ap && !entered.has(id)) entered.set(id, at);
        if (edge === ap && w.state.speed[i] < 0.1) halted.add(id);
        if (edge === out && !cars.some((c) => c.k === id)) cars.push({ k: id, entered: entered.get(id)!, crossed: at });
      }
    }
    stopped.push(...halted);
  }
  // the free-flow arrival at the stop line: at the cruising speed (the first car, alone, at 13.9 m/s)
  const arrival = (c: { k: number; entered: number }) => c.entered + L / (c.k === 0 ? vmax : cruise);
  const inInterval = (b: number) => cars.filter((c) => c.crossed >= b && c.crossed < b + 100);

  it('has per 100 s interval the movements in → ap at b and ap → out at s, graded as unsignalised and signalised', () => {
    const all = csv(join(runDir, 'junctions.csv'));
    expect(all.map((r) => `${r.begin}-${r.end} ${r.junction} ${r.from}→${r.to}`)).toEqual(
      [0, 100, 200, 300].flatMap((b) => [`${b}-${b + 100} b in→ap`, `${b}-${b + 100} s ap→out`]),
    );
    expect(cruise).toBeGreaterThan(13.5);
    expect(cruise).toBeLessThan(13.7);
  });

  it('first interval: the one car that reached the line (94 s, in the green) was not delayed', () => {
    const r = junctions[0];
    expect(inInterval(0).map((c) => c.k)).toEqual([0]);
    expect(num(r, 'count')).toBe(1);
    expect(num(r, 'delay')).toBeLessThan(0.05);
    expect(r.los).toBe('A');
    expect(num(r, 'maxQueue')).toBe(0);
    expect(num(r, 'meanQueue')).toBe(0);
  });

  it('second interval: the queue at the end of the red holds the q·r = 720/3600 · 40 = 8 cars that arrived in it', () => {
    const r = junctions[1];
    const inRed = cars.filter((c) => arrival(c) >= 100.42 && arrival(c) < 140.42).map((c) => c.k);
    expect(inRed).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(num(r, 'maxQueue')).toBe(8);
    // its length is the back of the queue: 8 cars of 5 m and 7 standing gaps of s0 = 2 m (the
    // IDM's jam distance), plus the half metre before the line where the first stops, 54.5 m, at
    // the end of the red; and it grows on after it, while cars still join the queue's tail before
    // the start wave reaches them (shockwave theory; D/D/1 counts q·r/(1 − y) cars that stop):
    // up to the span of the cars that came to a halt in this cycle
    const jam = (n: number) => n * 5 + (n - 1) * 2 + 0.5;
    const halted = stopped.filter((k) => k >= 1 && k <= 20).length;
    expect(halted).toBeGreaterThan(8);
    expect(num(r, 'maxQueueLength')).toBeGreaterThan(jam(8) - 0.5);
    expect(num(r, 'maxQueueLength')).toBeLessThan(jam(halted) + 0.5);
  });

  it('second interval: the mean delay is the mean of (crossing − entering − L/vmax) of the cars that crossed, within 0.1 s', () => {
    const r = junctions[1];
    const crossed = inInterval(100);
    // q·C = 20 cars: 1 … 20
    expect(crossed.map((c) => c.k)).toEqual(Array.from({ length: 20 }, (_, k) => k + 1));
    expect(num(r, 'count')).toBe(20);
    // control delay: time on the approach minus its free-flow time (1,000 m at the limit)
    const byHand = crossed.reduce((s, c) => s + (c.crossed - c.entered - L / vmax), 0) / crossed.length;
    expect(Math.abs(num(r, 'delay') - byHand)).toBeLessThan(0.1);
    // HCM 6th ed., Exhibit 19-8: the letter of that delay at a signalised junction
    expect(r.los).toBe(levelOfService(byHand, true));
  });

  it('second interval: the mean delay is D/D/1’s for the exact arrival times, plus the car-following loss, within 10 %', () => {
    const r = junctions[1];
    const crossed = inInterval(100);
    // the discharge headway h of the queue (saturation flow s = 3600/h), from its crossings
    const h = (crossed[7].crossed - crossed[0].crossed) / 7;
    expect(h).toBeGreaterThan(1.5);
    expect(h).toBeLessThan(2.5);
    // D/D/1: a car leaves at its arrival, or at the green start (140.42 s) if it arrived in the
    // red, or h after the car before, whichever is last
    let last = -Infinity;
    let dd1 = 0;
    for (const c of crossed) {
      const a = arrival(c);
      const d = Math.max(a, a >= 100.42 && a < 140.42 ? 140.42 : a, last + h);
      dd1 += d - a;
      last = d;
    }
    dd1 /= crossed.length;
    // the time a car following at 5 s loses on 1,000 m anyway, against the limit
    const following = L / cruise - L / vmax;
    const expected = dd1 + following;
    // (D/D/1 has no slowing down and speeding up, and the queue starts up faster than h)
    expect(Math.abs(num(r, 'delay') - expected) / expected).toBeLessThan(0.1);
    // and the textbook form, r²/(2C(1 − y)) with y = q/s, over the q·C cars of the cycle
    const y = 720 / (3600 / h);
    const textbook = (40 * 40) / (2 * 100 * (1 - y)) + following;
    expect(Math.abs(num(r, 'delay') - textbook) / textbook).toBeLessThan(0.15);
  });

  it('second interval: the mean queue is the D/D/1 queue area during the red over the cycle, Σ(140.42 − aₖ)/C, within 15 %', () => {
    const r = junctions[1];
    const area = cars.filter((c) => c.k >= 1 && c.k <= 8).reduce((s, c) => s + (140.42 - arrival(c)), 0);
    expect(area / 100).toBeCloseTo(1.76, 1);
    expect(Math.abs(num(r, 'meanQueue') - area / 100) / (area / 100)).toBeLessThan(0.15);
    // the queued cars are halting ones on the approach: the queue's area is within its waiting time
    const ap = edges.find((e) => e.begin === '100' && e.edge === 'ap')!;
    expect(num(r, 'meanQueue') * 100).toBeLessThanOrEqual(num(ap, 'waitingTime') + 1e-6);
  });

  it('every interval from the second on alike: 20 cars, the same delay and queue', () => {
    for (const r of junctions.slice(2)) {
      expect(num(r, 'count')).toBe(20);
      expect(Math.abs(num(r, 'delay') - num(junctions[1], 'delay'))).toBeLessThan(0.1);
      expect(num(r, 'maxQueue')).toBe(8);
      expect(Math.abs(num(r, 'meanQueue') - num(junctions[1], 'meanQueue'))).toBeLessThan(0.05);
    }
  });

  it('the approach’s time loss over the run is the movement’s delay plus what the cars still on it lost', () => {
    const apLoss = edges.filter((e) => e.edge === 'ap').reduce((s, e) => s + num(e, 'timeLoss'), 0);
    const delayed = junctions.reduce((s, r) => s + num(r, 'count') * (r.delay === '' ? 0 : num(r, 'delay')), 0);
    // at 400 s the cars of 303–398 s of free-flow arrival are on ap (19 cars: k = 61 … 79, those
    // entered), each having lost about the car-following loss in proportion to its way so far;
    // the one queued since the red at 400.42 s is not yet
    expect(apLoss).toBeGreaterThan(delayed);
    expect(apLoss - delayed).toBeLessThan(19 * (L / cruise - L / vmax));
  });

  it('signals.csv: one row per switch, at the program’s switch times 0.42, 40.42, 95.42, 100.42, … (to the tick)', () => {
    const rows = readFileSync(join(runDir, 'signals.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('time,junction,program,phase,state');
    // at 0 s the cycle that starts at 0.42 s is 99.58 s old: in its yellow, phase 2
    const expected = ['0,s,0,2,y'];
    // a switch takes effect at the first tick that starts at or after it: 0.5, 40.5, 95.5 s, …
    const tick = (t: number) => Math.ceil(Math.round(t * 1e6) / 1e5) / 10;
    for (let cycle = 0; cycle < 4; cycle++) {
      const t0 = cycle * 100 + 0.42;
      expected.push(`${tick(t0)},s,0,0,r`, `${tick(t0 + 40)},s,0,1,G`, `${tick(t0 + 95)},s,0,2,y`);
    }
    expect(rows.slice(1)).toEqual(expected);
  });
});

// ---------------------------------------------------------------- (b, c) free flow, a detector

/**
 * An empty corridor at 15 m/s: a 300 m lead-in (the cars enter at the IDM's capacity speed and
 * reach the limit on it), the 1,000 m edge under test, a 500 m exit. One car every 20 s for
 * 200 s, then one every 25 s from 300 to 500 s: at 300 m and more apart, each drives at its
 * desired speed, the limit (no speed deviation), up to what the IDM's interaction term takes. A
 * loop at 500 m on the edge, period 300 s as the intervals. Every car drives the edge within the
 * interval it entered the corridor in.
 */
const CORRIDOR = `
name: free
duration: 700
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
  - flow: { type: car, route: [lead, bc, exit], period: 20, begin: 0, end: 200 }
  - flow: { type: car, route: [lead, bc, exit], period: 25, begin: 300, end: 500 }
detectors:
  - { id: mid, edge: bc, pos: 500, period: 300 }
`;

describe('free flow on an empty corridor, and a loop detector on it', async () => {
  const runDir = await runTo('free', CORRIDOR);
  const edges = csv(join(runDir, 'edges.csv'));
  const detectors = csv(join(runDir, 'detectors.csv'));
  const bc = edges.filter((e) => e.edge === 'bc');
  // cars entering in each interval: 0, 20, …, 180 s; 300, 325, …, 475 s; none
  const cars = [10, 8, 0];

  it('has a row per edge per interval, in edge order, the last interval closed by the end of the run', () => {
    expect(edges.map((e) => `${e.begin}-${e.end} ${e.edge}`)).toEqual(
      ['0-300', '300-600', '600-700'].flatMap((i) => ['lead', 'bc', 'exit'].map((e) => `${i} ${e}`)),
    );
  });

  it('(b) the edge’s flow equals the loop’s count and flow in each period', () => {
    expect(detectors.map((d) => num(d, 'count'))).toEqual(cars);
    bc.forEach((e, k) => {
      expect(num(e, 'left')).toBe(num(detectors[k], 'count'));
      expect(num(e, 'flow')).toBe(num(detectors[k], 'flow'));
      expect(num(e, 'entered')).toBe(cars[k]);
    });
    // 10 cars in 300 s: 120 veh/h; 8: 96 veh/h
    expect(bc.map((e) => num(e, 'flow'))).toEqual([120, 96, 0]);
    // the cars inserted at 0 … 180 s and 300 … 475 s entered the lead-in in those intervals
    expect(edges.filter((e) => e.edge === 'lead').map((e) => num(e, 'entered'))).toEqual(cars);
  });

  it('(c) mean speed is the limit, time loss what the IDM’s interaction costs, travel time length/speed, vehicle-seconds n·L/v', () => {
    // a car 20 s (25 s) behind another cruises at the IDM's equilibrium speed for that headway,
    // a few hundredths below the limit, and so loses L/v − L/v0 on the edge; the first car of
    // each flow has nobody ahead
    const v0 = 15;
    bc.slice(0, 2).forEach((e, k) => {
      const n = cars[k];
      const ve = idmEquilibrium(v0, [20, 25][k], 2, 1.5, 5);
      expect(v0 - ve).toBeGreaterThan(0.01);
      expect(v0 - ve).toBeLessThan(0.05);
      const time = 1000 / v0 + ((n - 1) * 1000) / ve;
      expect(Math.abs(num(e, 'meanSpeed') - v0)).toBeLessThan(0.03);
      expect(Math.abs(num(e, 'meanSpeed') - (n * 1000) / time)).toBeLessThan(0.002);
      const loss = (n - 1) * (1000 / ve - 1000 / v0);
      expect(Math.abs(num(e, 'timeLoss') - loss)).toBeLessThan(0.1 * loss);
      expect(num(e, 'waitingTime')).toBe(0);
      expect(Math.abs(num(e, 'travelTime') - 1000 / v0)).toBeLessThan(0.15);
      expect(Math.abs(num(e, 'travelTime') - time / n)).toBeLessThan(0.01);
      expect(Math.abs(num(e, 'sampledSeconds') - time)).toBeLessThan(0.01 * n);
      // density: cars on the edge per km, on average
      expect(Math.abs(num(e, 'density') - time / 300)).toBeLessThan(1e-3);
      // occupancy: 5 m of the 1,000 m lane per car on it, in %
      const occupancy = (100 * (5 / 1000) * time) / 300;
      expect(Math.abs(num(e, 'occupancy') - occupancy) / occupancy).toBeLessThan(0.01);
    });
    // the last interval: nobody there, no speed
    expect(num(bc[2], 'sampledSeconds')).toBe(0);
    expect(bc[2].meanSpeed).toBe('');
    expect(bc[2].travelTime).toBe('');
  });

  it('conserves vehicles: entered − left over the run is what is on an edge at the end (none)', () => {
    for (const e of ['lead', 'bc', 'exit']) expect(edges.filter((r) => r.edge === e).reduce((s, r) => s + num(r, 'entered') - num(r, 'left'), 0)).toBe(0);
    // the arrivals leave the exit
    expect(edges.filter((r) => r.edge === 'exit').reduce((s, r) => s + num(r, 'left'), 0)).toBe(18);
  });

  it('an unsignalised movement is graded on the HCM’s two-way-stop scale', () => {
    const junctions = csv(join(runDir, 'junctions.csv')).filter((r) => r.junction === 'c');
    expect(junctions.map((r) => [r.from, r.to, r.count])).toEqual([
      ['bc', 'exit', '10'],
      ['bc', 'exit', '8'],
      ['bc', 'exit', '0'],
    ]);
    expect(junctions[0].los).toBe('A');
    expect(junctions[2].delay).toBe('');
    expect(junctions[2].los).toBe('');
    expect([9.9, 10, 12, 20, 30, 45, 60].map((d) => levelOfService(d, false)).join('')).toBe('AABCDEF');
    expect([9.9, 10, 15, 25, 50, 70, 81].map((d) => levelOfService(d, true)).join('')).toBe('AABCDEF');
  });

  it('a scenario whose edges.csv and junctions.csv would be too long is refused, naming output.intervals', () => {
    // 31 days in 0.1 s intervals: 26,784,000 intervals × (3 edges + 2 movements)
    const long = CORRIDOR.replace('duration: 700', `duration: ${31 * 86_400}`);
    const refused = (yaml: string) => {
      try {
        parseScenario(yaml, 'long.yaml');
        return '';
      } catch (err) {
        return (err as ScenarioError).format();
      }
    };
    const message = refused(`${long}output: { intervals: 0.1 }\n`);
    expect(message).toMatch(/output\.intervals.*133,920,000 rows \(26,784,000 intervals of 3 edges and 2 movements\), over the limit of 100,000,000/);
    expect(message.trim().split('\n')).toHaveLength(1);
    // without junctions.csv: 80,352,000 rows
    expect(refused(`${long}output: { intervals: 0.1, junctions: false }\n`)).toBe('');
  });

  it('the files can be turned off one by one', async () => {
    const off = await runTo('free-off', `${CORRIDOR}output: { edges: false, signals: false }\n`);
    const manifest = JSON.parse(readFileSync(join(off, 'manifest.json'), 'utf8'));
    expect(manifest.files.junctions).toBe('junctions.csv');
    expect(manifest.files.edges).toBeUndefined();
    expect(manifest.files.signals).toBeUndefined();
    expect(existsSync(join(off, 'edges.csv'))).toBe(false);
    expect(readFileSync(join(off, 'junctions.csv'), 'utf8')).toBe(readFileSync(join(runDir, 'junctions.csv'), 'utf8'));
  });
});

// ---------------------------------------------------------------- (e) threads and snapshots

describe('the same bytes whatever the threads, and across a snapshot', () => {
  it('edges.csv, lanes.csv, junctions.csv and signals.csv of the grid are byte-identical for 1 and 2 worker threads', async () => {
    const yaml = readFileSync(grid, 'utf8');
    const set = ['duration=200', 'output.intervals=60', 'output.lanes=true'];
    const one = await runTo('grid-1', yaml, 1, set);
    // (the threads take even a small fleet)
    const inline = process.env.ROADTWIN_INLINE_BELOW;
    process.env.ROADTWIN_INLINE_BELOW = '0';
    let two: string;
    try {
      two = await runTo('grid-2', yaml, 2, set);
    } finally {
      if (inline === undefined) delete process.env.ROADTWIN_INLINE_BELOW;
      else process.env.ROADTWIN_INLINE_BELOW = inline;
    }
    expect(JSON.parse(readFileSync(join(two, 'manifest.json'), 'utf8')).workers).toBe(2);
    for (const f of ['edges.csv', 'lanes.csv', 'junctions.csv', 'signals.csv']) expect(readFileSync(join(two, f)).equals(readFileSync(join(one, f))), f).toBe(true);
    const rows = csv(join(one, 'junctions.csv'));
    expect(rows.filter((r) => num(r, 'count') > 0).length).toBeGreaterThan(100);
    expect(rows.some((r) => num(r, 'maxQueue') > 0)).toBe(true);
  }, 300_000);

  it('a world restored from a snapshot taken in the middle of an interval writes the same rows', () => {
    const scenario = parseScenario(SIGNAL, 'dd1.yaml').scenario;
    const rowsOf = (w: World, out: string[]) => {
      const signalised = Uint8Array.from(w.net.nodeIds, () => 1);
      w.intervals$.subscribe(({ begin, end }) => {
        edgeRows(w.net, w.places!, begin, end, (l) => out.push(l));
        laneRows(w.net, w.places!, begin, end, (l) => out.push(l));
        junctionRows(w.net, w.places!, signalised, begin, end, (l) => out.push(l));
      });
    };
    const whole = new World(scenario);
    whole.start();
    whole.run(150);
    const sw = new SnapshotWriter();
    whole.snapshot(sw);
    const bytes = sw.toBuffer({ engineVersion: ENGINE_VERSION, scenarioHash: 'test', seed: whole.seed, tick: whole.tick, time: whole.time });
    const after: string[] = [];
    rowsOf(whole, after);
    whole.run();
    whole.finish();

    const resumed = new World(scenario);
    const reader = new SnapshotReader(bytes);
    resumed.restore(reader);
    expect(reader.done).toBe(true);
    const again: string[] = [];
    rowsOf(resumed, again);
    resumed.run();
    resumed.finish();
    // from 150 s: the intervals 100–200, 200–300, 300–400 s, three edges, their three lanes and two movements each
    expect(after.length).toBe(3 * 8);
    expect(again).toEqual(after);
  });
});
