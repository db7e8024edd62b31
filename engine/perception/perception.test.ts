import { describe, expect, it } from 'vitest';
import { World } from '../sim/world.js';
import { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { corridor } from './corridor.testkit.js';
import { cameraDetectProbability, cameraSees, isNight, buildCameras } from './cameras.js';
import { drawReport } from './citizens.js';
import { perceptionMetrics } from '../io/run/perception-report.js';
import { parseScenario, type ScenarioError } from '../io/scenario/index.js';
import { searchTime } from './drones.js';
import { ENGINE_VERSION } from '../core/version.js';

const depots = `  responders:
    depots: [ { id: p, kind: police, edge: ab }, { id: t, kind: tow, edge: ab }, { id: f, kind: fire, edge: ab }, { id: w, kind: works, edge: ab } ]`;

describe('cameras', () => {
  it('see by slant range and field of view', () => {
    const [c] = buildCameras([{ id: 'c', x: 0, y: 0, height: 30, range: 50, fov: 90, heading: 0 }]);
    expect(cameraSees(c, 39, 0)).toBe(true); // √(39² + 30²) = 49.2
    expect(cameraSees(c, 41, 0)).toBe(false); // 50.6
    expect(cameraSees(c, 20, 21)).toBe(false); // 46° off the heading, outside ±45°
    expect(cameraSees(c, 20, 19)).toBe(true);
  });

  it('night wraps midnight', () => {
    expect(isNight(23 * 3600, 68400, 21600)).toBe(true);
    expect(isNight(3 * 3600, 68400, 21600)).toBe(true);
    expect(isNight(12 * 3600, 68400, 21600)).toBe(false);
  });

  it('the detection delay is geometric with mean (1 − q)/q (q = 1 − (1 − p)ⁿ, first look in the second it occurs)', () => {
    // 400 crashes in view of two cameras; p = 0.02 per camera-second → q = 0.0396, mean 25.3 s
    const list = Array.from({ length: 400 }, (_, i) => `    - { kind: crash, at: ${1 + (i % 20)}, edge: ${i % 2 ? 'ab' : 'bc'}, pos: 500 }`).join('\n');
    const sc = corridor(
      `events:
  kinds: { crash: { cameraDay: 0.02, reportShare: 0, lanes: 1, onScene: 100000 } }
  list:
${list}
perception:
  clock: 43200
  citizens: { enabled: false }
  cameras: [ { id: c1, x: 500, y: 0, height: 5, range: 60 }, { id: c2, x: 520, y: 0, height: 5, range: 60 }, { id: c3, x: 1500, y: 0, height: 5, range: 60 }, { id: c4, x: 1520, y: 0, height: 5, range: 60 } ]
${depots}`,
      { duration: 400, rate: 10, step: 1 },
    );
    const w = new World(sc);
    w.run();
    const ev = w.perception!.events;
    expect(ev.length).toBe(400);
    expect(ev.every((e) => e.cameras.length === 2)).toBe(true);
    const q = cameraDetectProbability(0.02, 2);
    const delays = ev.filter((e) => e.source === 'camera').map((e) => e.detected - e.occurred);
    // P(not detected within 399 s) is ~1e-7 per event: all detected by the cameras
    expect(delays.length).toBe(400);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    // standard error of the mean of a geometric: √(1 − q)/q / √n ≈ 1.24 s
    expect(Math.abs(mean - (1 - q) / q)).toBeLessThan(4 * 1.25);
    // P(delay ≤ 10 s) = 1 − (1 − q)^11
    const within10 = delays.filter((d) => d <= 10).length / delays.length;
    expect(Math.abs(within10 - (1 - Math.pow(1 - q, 11)))).toBeLessThan(0.07);
    // camera detections are confirmed at once
    expect(ev.every((e) => e.confirmed === e.detected)).toBe(true);
  });
});

describe('citizens', () => {
  it('the report delay is log-normal around the median; shares and errors as drawn', () => {
    const n = 4000;
    const reps = Array.from({ length: n }, (_, i) => drawReport(7, i, true, 0.6, 300, 0.8, 0, 0, 50));
    const made = reps.filter((r) => r.delay >= 0);
    expect(Math.abs(made.length / n - 0.6)).toBeLessThan(0.03);
    const logs = made.map((r) => Math.log(r.delay / 300));
    const m = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / logs.length);
    expect(Math.abs(m)).toBeLessThan(0.05);
    expect(Math.abs(sd - 0.8)).toBeLessThan(0.05);
    const ex = Math.sqrt(made.reduce((a, r) => a + r.x * r.x, 0) / made.length);
    expect(Math.abs(ex - 50)).toBeLessThan(3);
    // a report of nothing is always made
    expect(drawReport(7, 1, false, 0, 300, 0.8, 0, 0, 50).delay).toBeGreaterThan(0);
  });
});

describe('the incident loop', () => {
  const loop = (extra = '') =>
    corridor(
      `events:
  kinds: { crash: { lanes: 1, onScene: 300 }, fire: { falseShare: 0.5 } }
  list:
    - { id: c1, kind: crash, at: 60, edge: ab, pos: 600 }
    - { kind: breakdown, at: 100, edge: bc, pos: 300 }
    - { kind: fire, at: 30, x: 1500, y: 300 }
    - { kind: fire, at: 40, x: 500, y: -300 }
    - { kind: complaint, at: 200, x: 900, y: 200 }
  areas:
    - { kind: complaint, x: 1000, y: 100, radius: 500, rate: 20 }
perception:
  docks: [ { id: d1, x: 1000, y: 100 } ]
  dronesPerDock: 2
${depots}
${extra}`,
      { duration: 1500 },
    );

  it('reports are verified by drones, confirmed events get units, lanes reopen; events = handled + dismissed + open', () => {
    const w = new World(loop());
    w.run();
    const p = w.perception!;
    const c = p.counts();
    expect(c.events).toBe(c.handled + c.dismissed + c.open);
    expect(c.events).toBeGreaterThan(5);
    expect(p.fleet.missions.length).toBeGreaterThan(0);
    for (const e of p.events) {
      if (e.dismissed >= 0) expect(e.real).toBe(false);
      if (e.cleared >= 0) {
        // the order of the loop: occurred ≤ detected ≤ confirmed ≤ dispatched ≤ arrived ≤ cleared
        expect(e.detected).toBeGreaterThanOrEqual(e.occurred);
        expect(e.confirmed).toBeGreaterThanOrEqual(e.detected);
        expect(e.dispatched).toBeGreaterThanOrEqual(e.confirmed);
        expect(e.arrived).toBeGreaterThanOrEqual(e.dispatched);
        expect(e.cleared - e.arrived).toBe(p.kinds[e.kind].onScene);
      }
    }
    const crash = p.events.find((e) => e.id === 'c1')!;
    expect(crash.cleared).toBeGreaterThan(0);
    expect(crash.delay).toBeGreaterThan(0);
    // after the crash is cleared its lane is open again
    const lane = crash.lanes[0];
    expect(w.laneEvents[lane * 5]).toBe(Infinity);
    const m = perceptionMetrics(p) as { events: number; drones: { missions: { verify: number } } };
    expect(m.events).toBe(c.events);
    expect(m.drones.missions.verify).toBe(p.fleet.missions.length);
    expect(w.totals.collisions).toBe(0);
  });

  it('a drone search covers the disc in π(ρ² − r²)/(2rv)', () => {
    expect(searchTime(50, 50, 10)).toBe(0);
    expect(searchTime(50, 150, 10)).toBeCloseTo((Math.PI * (150 ** 2 - 50 ** 2)) / 1000, 9);
  });

  it('is reproducible, and a checkpoint resumes it bit for bit', () => {
    const sc = loop();
    const a = new World(sc);
    a.run();
    const b = new World(sc);
    b.run(700);
    const w = new SnapshotWriter();
    b.snapshot(w);
    const c = new World(sc);
    const reader = new SnapshotReader(w.toBuffer({ engineVersion: ENGINE_VERSION, scenarioHash: 'test', seed: b.seed, tick: b.tick, time: b.time }));
    c.restore(reader);
    expect(reader.done).toBe(true);
    c.run();
    expect(c.stateHash()).toBe(a.stateHash());
    expect(JSON.stringify(c.perception!.events)).toBe(JSON.stringify(a.perception!.events));
    const d = new World(sc, { seed: 99 });
    d.run();
    expect(d.stateHash()).not.toBe(a.stateHash());
  });

  it('bad input: one clear message naming the field', () => {
    const bad = (extra: string) => {
      try {
        corridor(extra);
        return '';
      } catch (e) {
        return (e as ScenarioError).message;
      }
    };
    expect(bad(`events:\n  list: [ { kind: crash, at: 10, edge: nowhere, pos: 5 } ]`)).toMatch(/events\.0?\.?list.*unknown edge 'nowhere'|unknown edge 'nowhere'/);
    expect(bad(`events:\n  list: [ { kind: crash, at: 10, pos: 5 } ]`)).toMatch(/edge/);
    expect(bad(`events:\n  list: [ { kind: crash, at: 10, edge: ab, pos: 5 } ]\nperception:\n  responders: { depots: [ { id: f, kind: fire, edge: ab } ] }`)).toMatch(/no depot of kind 'police'/);
    void parseScenario;
  });
});

describe('connected vehicles', () => {
  const cv = (rsuX: number, penetration: number) =>
    corridor(
      `v2x:
  penetration: ${penetration}
  channel: { model: unitDisk, range: 400, loss: 0 }
  rsus:
    - { id: r1, x: ${rsuX}, y: 0, intersections: [] }
events:
  kinds: { breakdown: { reportShare: 0, onScene: 120 } }
  list: [ { kind: breakdown, at: 200, edge: ab, pos: 600 } ]
perception:
  citizens: { enabled: false }
${depots}`,
      { duration: 600 },
    );

  it('an equipped vehicle near the event reports it through an RSU in range; a unit verifies and clears it', () => {
    const w = new World(cv(600, 1));
    w.run();
    const [e] = w.perception!.events;
    expect(e.source).toBe('vehicle');
    // a steady flow reaches the block within a few seconds
    expect(e.detected - e.occurred).toBeLessThan(30);
    // no dock: the unit confirms the report on arrival and clears it
    expect(e.confirmed).toBe(e.arrived);
    expect(e.cleared).toBe(e.arrived + 120);
  });

  it('no report without an RSU in range, nor without equipped vehicles', () => {
    for (const w of [new World(cv(1900, 1)), new World(cv(600, 0))]) {
      w.run();
      expect(w.perception!.events[0].detected).toBe(-1);
    }
  });
});

describe('coverage', () => {
  it('lane-km seen by a camera, and the next camera that adds the most', async () => {
    const { coverage } = await import('./coverage.js');
    const sc = corridor(`events:
  list: [ { kind: debris, at: 10, edge: ab, pos: 100 } ]
perception:
  cameras: [ { id: c1, x: 500, y: 0, height: 10, range: 150 } ]
  docks: [ { id: d1, x: 1000, y: 0 } ]
${depots}`);
    const w = new World(sc);
    const c = coverage(w.net, w.perception!.cameras, w.perception!.fleet, 5, 1);
    // 4 lanes of 1 km; the camera sees 2·√(150² − 10²) = 299.3 m of each of ab's two lanes
    expect(c.laneKm).toBeCloseTo(4, 1);
    expect(Math.abs(c.laneShareSeen - (2 * 2 * Math.sqrt(150 ** 2 - 10 ** 2)) / 4000)).toBeLessThan(0.01);
    // a second camera of the same kind on unseen road sees as much again
    expect(Math.abs(c.suggestedCameras[0].addsLaneKm - 0.6)).toBeLessThan(0.03);
    expect(c.areaShareSeen).toBeGreaterThan(0);
    expect(c.areaShareDroneReach).toBeGreaterThan(c.areaShareSeen);
    expect(c.blindSpots.length).toBeGreaterThan(0);
  });
});
