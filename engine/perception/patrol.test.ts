// Drones on patrol (docs/perception.md, "Patrols"): a dock's route over the blind-spot cells nearest
// it within the battery, flown on a schedule with a free drone (calls first), finding what comes
// within its footprint; reproducible and resumed bit for bit.
import { describe, expect, it } from 'vitest';
import { World } from '../sim/world.js';
import { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { ENGINE_VERSION } from '../core/version.js';
import { perceptionMetrics } from '../io/run/perception-report.js';
import { cameraSees } from './cameras.js';
import { corridor } from './corridor.testkit.js';
import { patrolSummaries } from './patrol.js';

const depots = `  responders:
    depots: [ { id: p, kind: police, edge: ab }, { id: t, kind: tow, edge: ab }, { id: f, kind: fire, edge: ab }, { id: w, kind: works, edge: ab } ]`;

// the perception drone: 15 m/s, inspection at 60 m, a camera of 80°: footprint r = 60·tan 40°,
// patrol cells of 2r; the raster starts 200 m below the network's lowest node (y = 0), so the
// row of cells holding the corridor's lanes (just south of y = 0) has its centres at y = −200 + 1.5·2r
const r = 60 * Math.tan((40 * Math.PI) / 180);
const yRow = -200 + 1.5 * 2 * r;

const patrolScenario = (extra: string, perception = '', opts: { duration?: number; citizens?: boolean } = {}) =>
  corridor(
    `events:
  kinds: { fire: { falseShare: 0 }, complaint: { falseShare: 0, reportShare: 1, reportMedian: 20, reportSigma: 0 } }
${extra}
perception:
  citizens: { enabled: ${opts.citizens ?? false}, positionError: 0 }
  docks: [ { id: d1, x: 0, y: ${yRow} } ]
${perception}
${depots}`,
    { duration: opts.duration ?? 600, rate: 300 },
  );

describe('patrol routes', () => {
  it('cover blind-spot cells (none a camera sees) and return to the dock within the battery', () => {
    const sc = patrolScenario(`  list: [ { kind: fire, at: 5000, x: 0, y: 0 } ]`, `  patrol: { every: 600 }\n  cameras: [ { id: c1, x: 1000, y: 0, height: 10, range: 150 } ]`);
    const w = new World(sc);
    const p = w.perception!;
    const route = p.patrolRoutes[0]!;
    expect(route).not.toBeNull();
    expect(route.path.slice(0, 2)).toEqual([0, yRow]);
    expect(route.path.slice(-2)).toEqual([0, yRow]);
    expect(route.cells.length).toBeGreaterThan(10);
    for (const [x, y] of route.cells) expect(p.cameras.some((c) => cameraSees(c, x, y))).toBe(false);
    // the cells near the camera are not targets: the route skips x ≈ 1000 along the corridor row
    expect(route.cells.some(([x]) => Math.abs(x - 1000) < 100)).toBe(false);
    expect(route.energyWh).toBeLessThanOrEqual(p.fleet.model.usableWh);
    // the whole corridor row (to x ≈ 2000) and back is 4 km: the 400 Wh drone flies it all
    expect(Math.max(...route.cells.map(([x]) => x))).toBeGreaterThan(1900);
    // a small battery: the greedy tour stops where the way home would not fit, and still returns
    const small = new World(patrolScenario(`  list: [ { kind: fire, at: 5000, x: 0, y: 0 } ]`, `  patrol: { every: 600 }\n  drone: { battery: 40 }`));
    const s = small.perception!.patrolRoutes[0]!;
    expect(s.energyWh).toBeLessThanOrEqual(small.perception!.fleet.model.usableWh);
    expect(s.length).toBeLessThan(route.length);
    expect(s.path.slice(-2)).toEqual([0, yRow]);
  });

  it('are summarised for coverage.json and roadtwin coverage: the route from the dock and back, its length, flight time, energy and cells', () => {
    const sc = patrolScenario(`  list: [ { kind: fire, at: 5000, x: 0, y: 0 } ]`, `  patrol: { every: 600 }\n  cameras: [ { id: c1, x: 1000, y: 0, height: 10, range: 150 } ]`);
    const w = new World(sc);
    const p = w.perception!;
    const route = p.patrolRoutes[0]!;
    const [summary, ...rest] = patrolSummaries(p.fleet.docks.map((d) => d.id), p.patrolRoutes);
    expect(rest).toEqual([]);
    expect(summary.dock).toBe('d1');
    expect(summary.path[0]).toEqual([0, Math.round(yRow * 10) / 10]);
    expect(summary.path.at(-1)).toEqual(summary.path[0]);
    expect(summary.path).toHaveLength(route.path.length / 2);
    // its length is the polyline's (to the rounding of its points)
    let along = 0;
    for (let k = 1; k < summary.path.length; k++) along += Math.hypot(summary.path[k][0] - summary.path[k - 1][0], summary.path[k][1] - summary.path[k - 1][1]);
    expect(Math.abs(along - summary.lengthM)).toBeLessThan(1);
    expect(summary).toMatchObject({ cells: route.cells.length, energyWh: Math.round(route.energyWh * 10) / 10, flightS: Math.round(route.flight * 10) / 10 });
    // a platform without patrols lists none
    const still = new World(patrolScenario(`  list: [ { kind: fire, at: 5000, x: 0, y: 0 } ]`));
    expect(patrolSummaries(still.perception!.fleet.docks.map((d) => d.id), still.perception!.patrolRoutes)).toEqual([]);
  });
});

describe('patrols', () => {
  it('find an event under the route at the time its speed and distance give', () => {
    // a fire at t = 50 on the corridor row, 650 m east of the dock; the patrol takes off at 100:
    // pad 15 s + climb 60 m at 5 m/s = 12 s, then east at 15 m/s; the fire is in the footprint
    // from 650 − r m along: 100 + 15 + 12 + (650 − 50.35)/15 = 166.98 s, seen in second 167
    const w = new World(patrolScenario(`  list: [ { id: f1, kind: fire, at: 50, x: 650, y: ${yRow} } ]`, `  patrol: { every: 100000, start: 100 }`));
    w.run();
    const p = w.perception!;
    const e = p.events[0];
    expect(100 + 15 + 12 + (650 - r) / 15).toBeCloseTo(166.98, 2);
    expect(e.source).toBe('patrol');
    expect(e.detected).toBe(167);
    expect(e.confirmed).toBe(167);
    expect(e.dispatched).toBe(167);
    expect(p.patrols).toHaveLength(1);
    expect(p.patrols[0].found).toBe(1);
    const m = perceptionMetrics(p) as { bySource: Record<string, { first: number }>; drones: { missions: { verify: number; patrol: number }; flightHoursByPurpose: { patrol: number; verify: number } } };
    expect(m.bySource.patrol.first).toBe(1);
    expect(m.drones.missions).toEqual({ verify: 0, patrol: 1 });
    expect(m.drones.flightHoursByPurpose.patrol).toBe(Math.round((p.patrolRoutes[0]!.flight / 3600) * 1000) / 1000);
    expect(m.drones.flightHoursByPurpose.patrol).toBeGreaterThan(0);
    // a fire that starts after the patrol passed it on the way out is seen on the way home, which
    // comes back along the row: from L − 650 − r m along the route of length L
    const late = new World(patrolScenario(`  list: [ { kind: fire, at: 190, x: 650, y: ${yRow} } ]`, `  patrol: { every: 100000, start: 100 }`));
    late.run();
    const L = late.perception!.patrolRoutes[0]!.length;
    expect(late.perception!.events[0].source).toBe('patrol');
    expect(late.perception!.events[0].detected).toBe(Math.ceil(100 + 27 + (L - 650 - r) / 15));
    // and one that starts after the patrol has flown over it twice is not seen at all
    const after = new World(patrolScenario(`  list: [ { kind: fire, at: ${Math.ceil(127 + (L - 650 + r) / 15) + 1}, x: 650, y: ${yRow} } ]`, `  patrol: { every: 100000, start: 100 }`));
    after.run();
    expect(after.perception!.events[0].detected).toBe(-1);
  });

  it('calls first: no patrol when the dock has no free drone', () => {
    // a complaint at 10, reported at 30: the only drone flies to verify it in second 30, the
    // patrol due in that second finds none free and is skipped
    const w = new World(patrolScenario(`  list: [ { kind: complaint, at: 10, x: 300, y: 200 } ]`, `  patrol: { every: 100000, start: 30 }`, { citizens: true }));
    w.run();
    const p = w.perception!;
    expect(p.fleet.missions).toHaveLength(1);
    expect(p.fleet.missions[0].launched).toBe(30);
    expect(p.patrols).toHaveLength(0);
    expect(p.patrolsSkipped).toBe(1);
    // with two drones the patrol flies too
    const two = new World(patrolScenario(`  list: [ { kind: complaint, at: 10, x: 300, y: 200 } ]`, `  dronesPerDock: 2\n  patrol: { every: 100000, start: 30 }`, { citizens: true }));
    two.run();
    expect(two.perception!.patrols).toHaveLength(1);
    expect(two.perception!.patrolsSkipped).toBe(0);
    // a dock may opt out
    const none = new World(corridor(`events:\n  list: [ { kind: fire, at: 50, x: 650, y: 0 } ]\nperception:\n  patrol: { every: 100 }\n  docks: [ { id: d1, x: 0, y: 0, patrol: false } ]\n${depots}`, { duration: 300, rate: 300 }));
    none.run();
    expect(none.perception!.patrols).toHaveLength(0);
  });

  it('are reproducible, and a checkpoint taken during a patrol resumes bit for bit', () => {
    const sc = patrolScenario(
      `  onRoad: [ { kind: breakdown, rate: 100000 } ]
  areas: [ { kind: complaint, x: 1000, y: 0, radius: 600, rate: 20 } ]`,
      `  dronesPerDock: 5\n  chargePower: 5000\n  patrol: { every: 300, start: 20 }`,
      { duration: 1200, citizens: true },
    );
    const a = new World(sc);
    a.run();
    const pa = a.perception!;
    expect(pa.patrols.length).toBeGreaterThan(2);
    expect(pa.events.some((e) => e.source === 'patrol')).toBe(true);
    const b = new World(sc);
    // mid-flight: the third patrol takes off at 620
    b.run(700);
    const total = b.perception!.patrolRoutes[0]!.total;
    expect(b.perception!.patrols.some((q) => q.launched < 700 && q.launched + total > 700)).toBe(true);
    const w = new SnapshotWriter();
    b.snapshot(w);
    const c = new World(sc);
    const reader = new SnapshotReader(w.toBuffer({ engineVersion: ENGINE_VERSION, scenarioHash: 'test', seed: b.seed, tick: b.tick, time: b.time }));
    c.restore(reader);
    expect(reader.done).toBe(true);
    c.run();
    expect(c.stateHash()).toBe(a.stateHash());
    expect(JSON.stringify(c.perception!.events)).toBe(JSON.stringify(pa.events));
    expect(JSON.stringify(c.perception!.patrols)).toBe(JSON.stringify(pa.patrols));
  });
});
