import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { World } from '../sim/world.js';
import { corridor, corridorYaml } from './corridor.testkit.js';
import { coverage, suggestCamerasForAreas } from './coverage.js';

const platform = (docks: string) => `events:
  list: [ { kind: debris, at: 10, edge: ab, pos: 100 } ]
perception:
  cameras: [ { id: c1, x: 500, y: 0, height: 10, range: 150 } ]
  docks: [ ${docks} ]
  responders:
    depots: [ { id: p, kind: police, edge: ab }, { id: t, kind: tow, edge: ab }, { id: f, kind: fire, edge: ab }, { id: w, kind: works, edge: ab } ]`;

const reach = (docks: string, minutes: number) => {
  const w = new World(corridor(platform(docks)));
  return coverage(w.net, w.perception!.cameras, w.perception!.fleet, minutes, 0, 1);
};

describe('the next docks', () => {
  it('go where a drone reaches most of what no dock reaches, and add what they promise', () => {
    // two minutes after take-off (take-off and climb included) a drone is over a disc of a few
    // hundred metres: one dock at the west end leaves the corridor's east end out of reach
    const one = reach('{ id: d1, x: 0, y: 0 }', 2);
    expect(one.areaShareDroneReach).toBeGreaterThan(0);
    expect(one.areaShareDroneReach).toBeLessThan(0.6);
    const [pick] = one.suggestedDocks;
    expect(pick.addsAreaShare).toBeGreaterThan(0.05);
    // to the east of the existing dock, away from what it reaches already
    expect(pick.x).toBeGreaterThan(500);
    // with the suggested dock built, the reached share grows by what it promised (judged on a
    // coarser raster: within a few cells)
    const two = reach(`{ id: d1, x: 0, y: 0 }, { id: d2, x: ${pick.x}, y: ${pick.y} }`, 2);
    expect(Math.abs(two.areaShareDroneReach - one.areaShareDroneReach - pick.addsAreaShare)).toBeLessThan(0.03);
    // and the next pick after it adds less
    expect(two.suggestedDocks[0]?.addsAreaShare ?? 0).toBeLessThan(pick.addsAreaShare);
  });

  it('none when every cell is reached already', () => {
    expect(reach('{ id: d1, x: 1000, y: 0 }', 60).suggestedDocks).toEqual([]);
  });
});

describe('cameras and docks added where coverage suggests them (addCameras, addDocks)', () => {
  it('places the cameras roadtwin coverage suggests, before the run, and they see what was promised', () => {
    const base = new World(corridor(platform('{ id: d1, x: 0, y: 0 }')));
    const before = coverage(base.net, base.perception!.cameras, base.perception!.fleet, 5, 2, 0);
    const w = new World(corridor(platform('{ id: d1, x: 0, y: 0 }').replace('  docks:', '  addCameras: 2\n  docks:')));
    const cams = w.perception!.cameras;
    expect(cams.map((c) => c.id)).toEqual(['c1', 'added-camera-1', 'added-camera-2']);
    expect(cams.slice(1).map((c) => ({ x: c.x, y: c.y }))).toEqual(before.suggestedCameras.map((c) => ({ x: c.x, y: c.y })));
    // copies of the first camera
    expect(cams[1]).toMatchObject({ height: cams[0].height, range: cams[0].range, halfFov: cams[0].halfFov });
    const after = coverage(w.net, cams, w.perception!.fleet, 5, 0, 0);
    const promised = before.suggestedCameras.reduce((s, c) => s + c.addsLaneKm, 0);
    expect(promised).toBeGreaterThan(0.5);
    expect(after.laneKmSeen - before.laneKmSeen).toBeCloseTo(promised, 1);
  });

  it('places the docks roadtwin coverage --docks suggests, each with its drones, and they fly the missions', () => {
    const base = new World(corridor(platform('')));
    const picks = coverage(base.net, base.perception!.cameras, base.perception!.fleet, 2, 0, 2).suggestedDocks;
    expect(picks).toHaveLength(2);
    const sc = corridor(
      `events:
  kinds: { complaint: { falseShare: 0, reportShare: 1, reportMedian: 20, reportSigma: 0 } }
  list: [ { kind: complaint, at: 10, x: 1500, y: 0 } ]
perception:
  cameras: [ { id: c1, x: 500, y: 0, height: 10, range: 150 } ]
  citizens: { positionError: 0 }
  addDocks: 2
  addDocksMinutes: 2
  dronesPerDock: 3
  responders:
    depots: [ { id: p, kind: police, edge: ab }, { id: t, kind: tow, edge: ab }, { id: f, kind: fire, edge: ab }, { id: w, kind: works, edge: ab } ]`,
      { duration: 600 },
    );
    const w = new World(sc);
    const docks = w.perception!.fleet.docks;
    expect(docks.map((d) => ({ id: d.id, x: d.x, y: d.y, drones: d.freeAt.length }))).toEqual(picks.map((p, k) => ({ id: `added-dock-${k + 1}`, x: p.x, y: p.y, drones: 3 })));
    w.run();
    const e = w.perception!.events[0];
    expect(e.source).toBe('citizen');
    expect(e.bySource[3]).toBeGreaterThan(0); // DETECTION_SOURCES[3] = 'drone': an added dock's drone confirmed it
    expect(w.perception!.fleet.missions).toHaveLength(1);
  });

  it('for the event areas (addCamerasFor: areas): cameras over the unseen ground of the areas, seeing what they promise', () => {
    const sc = (extra: string) =>
      corridor(`events:
  areas: [ { kind: complaint, x: 300, y: 140, radius: 50, rate: 1 }, { kind: complaint, x: 1600, y: 140, radius: 50, rate: 1 } ]
perception:
  cameras: [ { id: c1, x: 500, y: 0, height: 10, range: 150 } ]
${extra}
  responders:
    depots: [ { id: p, kind: police, edge: ab }, { id: t, kind: tow, edge: ab }, { id: f, kind: fire, edge: ab }, { id: w, kind: works, edge: ab } ]`);
    const base = new World(sc(''));
    // two small areas off the road (the district reaches 200 m either side of it), one camera each
    const areas = [{ x: 300, y: 140, radius: 50 }, { x: 1600, y: 140, radius: 50 }];
    const picks = suggestCamerasForAreas(base.net, base.perception!.cameras, areas, 3);
    // each area is π·50² ≈ 0.008 km² (in 25 m cells), wholly in the reach of one camera (149.7 m); the first
    // camera, at (500, 0), sees none of it: two picks, then nothing is left to see
    expect(picks).toHaveLength(2);
    for (const p of picks) expect(p.addsKm2).toBeGreaterThan(0.005);
    const w = new World(sc('  addCameras: 2\n  addCamerasFor: areas'));
    const added = w.perception!.cameras.slice(1);
    expect(added.map((c) => ({ x: c.x, y: c.y }))).toEqual(picks.map((p) => ({ x: p.x, y: p.y })));
    for (const c of added) expect(Math.min(...areas.map((a) => Math.hypot(c.x - a.x, c.y - a.y)))).toBeLessThanOrEqual(50);
    // the ground seen grows by at least what was promised (cells outside the area count too)
    const seen = (cams: typeof added) => {
      const c = coverage(w.net, cams, w.perception!.fleet, 5, 0, 0);
      return c.areaShareSeen * c.areaKm2;
    };
    const promised = picks.reduce((a, p) => a + p.addsKm2, 0);
    expect(seen(w.perception!.cameras) - seen(w.perception!.cameras.slice(0, 1))).toBeGreaterThanOrEqual(promised - 0.01);
    // placed for the lanes instead, they go on the road
    const onRoad = new World(sc('  addCameras: 2')).perception!.cameras.slice(1);
    for (const c of onRoad) expect(Math.abs(c.y)).toBeLessThan(10);
  });

  it('refuses more than 50 of either, naming the field', () => {
    expect(() => corridor(platform('').replace('  docks:', '  addDocks: 51\n  docks:'))).toThrow(/addDocks/);
    expect(() => corridor(platform('').replace('  docks:', '  addCameras: -1\n  docks:'))).toThrow(/addCameras/);
  });
});

describe('coverage on a large district', () => {
  it('samples more coarsely instead of without bound (a node 400 km off, as a typo puts it)', async () => {
    const { MAX_CELLS, MAX_LANE_POINTS } = await import('./coverage.js');
    const sc = corridor(platform('{ id: d1, x: 0, y: 0 }'));
    sc.network.nodes!.push({ id: 'far', x: 400_000, y: 300_000 } as never);
    const w = new World(sc);
    const c = coverage(w.net, w.perception!.cameras, w.perception!.fleet, 5, 1, 1);
    expect(c.cell).toBeGreaterThan(25);
    expect(Math.round((c.areaKm2 * 1e6) / (c.cell * c.cell))).toBeLessThanOrEqual(MAX_CELLS * 1.02);
    expect(c.laneStep).toBe(10);
    expect((c.laneKm * 1000) / c.laneStep).toBeLessThanOrEqual(MAX_LANE_POINTS);
  });
});

describe('roadtwin coverage', () => {
  const cli = join(__dirname, '..', '..', 'bin', 'roadtwin.js');
  const run = (args: string[]) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, [cli, 'coverage', ...args], { encoding: 'utf8', stdio: 'pipe' }), err: '' };
    } catch (e) {
      const x = e as { status: number; stdout: string; stderr: string };
      return { code: x.status, out: x.stdout, err: x.stderr };
    }
  };
  const dir = mkdtempSync(join(tmpdir(), 'rt-coverage-'));
  const scenarioText = (extra: string) => corridorYaml(extra, { duration: 600 });

  it('prints the figures and suggestions, and writes them as JSON', () => {
    const file = join(dir, 'platform.yaml');
    writeFileSync(file, scenarioText(platform('{ id: d1, x: 0, y: 0 }')));
    const out = join(dir, 'coverage.json');
    const r = run([file, '--minutes', '2', '--cameras', '1', '--docks', '2', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 cameras, 1 docks/);
    expect(r.out).toMatch(/lane-km seen by cameras +0\.6\d of 4\.00 km/);
    expect(r.out).toMatch(/next dock 1 .* adds \d+\.\d % of the area within 2 min/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.suggestedCameras).toHaveLength(1);
    expect(json.suggestedDocks.length).toBeGreaterThanOrEqual(1);
    expect(json.droneMinutes).toBe(2);
  });

  it('refuses a scenario without a platform, bad options and bad files in one line, exit 1', () => {
    const plain = join(dir, 'plain.yaml');
    writeFileSync(plain, scenarioText(''));
    const none = run([plain]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^roadtwin coverage: .*plain\.yaml has no perception platform/);
    expect(run([plain, '--minutes', '0']).err).toMatch(/^roadtwin coverage: --minutes must be/);
    expect(run([plain, '--docks', 'two']).err).toMatch(/^roadtwin coverage: --docks must be a whole number/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, scenarioText('perception:\n  cameras: [ { id: c1, x: 500, y: 0, height: -3, range: 150 } ]\n'));
    const b = run([bad]);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/bad\.yaml:\d+:\d+: .*height/);
    expect(b.err).not.toMatch(/at .*\.js:\d+/);
  });
});
