// The viewer's reading of a run's perception platform: events.csv with the stage of each event's
// loop over time, and perception.json's flights placed where the engine's drones were. The flights
// come from real engine runs (a patrol and a verification on the perception corridor), so where the
// viewer draws a drone is checked against what the engine's drone saw, not against itself.
import { describe, expect, it } from 'vitest';
import { World } from '../engine/sim/world.js';
import { corridor } from '../engine/perception/corridor.testkit.js';
import { eventsCsv } from '../engine/io/run/perception-report.js';
import { perceptionJson } from '../engine/io/run/perception-json.js';
import { INC_CLEARED, INC_CONFIRMED, INC_DISMISSED, INC_DISPATCHED, INC_HIDDEN, INC_ON_SCENE, INC_REPORTED, INC_UNSEEN, ENDED_FADE_S, PerceptionData, incidentStage, pointAlong } from './src/perception-data.js';

const depots = `  responders:
    depots: [ { id: p, kind: police, edge: ab }, { id: t, kind: tow, edge: ab }, { id: f, kind: fire, edge: ab }, { id: w, kind: works, edge: ab } ]`;
// the perception drone's footprint at 60 m with an 80° camera, and the patrol row of patrol.test.ts
const r = 60 * Math.tan((40 * Math.PI) / 180);
const yRow = -200 + 1.5 * 2 * r;

function run(events: string, perception: string, duration = 600): PerceptionData {
  const w = new World(
    corridor(
      `events:
  kinds: { fire: { falseShare: 0 }, complaint: { falseShare: 0, reportShare: 1, reportMedian: 20, reportSigma: 0 } }
${events}
perception:
  citizens: { enabled: true, positionError: 0 }
  docks: [ { id: d1, x: 0, y: ${yRow} } ]
${perception}
${depots}`,
      { duration, rate: 300 },
    ),
  );
  w.run();
  const p = w.perception!;
  // through JSON text, as the viewer reads the file
  return new PerceptionData(eventsCsv(p, w.net.edgeIds), JSON.parse(JSON.stringify(perceptionJson(p))) as Record<string, unknown>, null);
}

describe('PerceptionData from an engine run', () => {
  it("puts a patrolling drone within its footprint of an event in the second the engine's patrol saw it, and not before", () => {
    // patrol.test.ts: a fire at 650 m on the patrol row, the patrol off at 100, seen in second 167
    const d = run(`  list: [ { id: f1, kind: fire, at: 50, x: 650, y: ${yRow} } ]`, `  patrol: { every: 100000, start: 100 }`);
    expect(d.flights).toHaveLength(1);
    const f = d.flights[0];
    expect(f.purpose).toBe('patrol');
    const e = d.incidents[0];
    expect(e.detected).toBe(167);
    const dist = (t: number) => {
      const p = d.droneAt(f, t)!;
      return Math.hypot(p[0] - e.x, p[1] - e.y);
    };
    expect(dist(167)).toBeLessThanOrEqual(r);
    expect(dist(166)).toBeGreaterThan(r);
    // on the pad until the pad time is over, then climbing over the dock to the inspection height
    expect(d.droneAt(f, 100 + 14.9)).toBeNull();
    const up = d.droneAt(f, 100 + 15 + 6)!;
    expect(up[0]).toBeCloseTo(0, 1);
    expect(up[2]).toBeCloseTo(30, 1);
    expect(d.droneAt(f, 150)![2]).toBe(60);
    expect(d.airborne(150)).toEqual([0]);
    expect(d.airborne(99)).toEqual([]);
    // back over the dock at the end, then down and on the pad
    const last = f.track[f.track.length - 1][0];
    expect(d.droneAt(f, last)![2]).toBeCloseTo(0, 6);
    expect(d.droneAt(f, last + 0.1)).toBeNull();
    expect(Math.hypot(d.droneAt(f, last)![0], d.droneAt(f, last)![1] - yRow)).toBeLessThan(0.2);
  });

  it('flies a verification out to the reported place, holds it over the place while it looks, and brings it back the same way', () => {
    // a complaint 650 m east of the dock, reported by a citizen 20 s later with no position error
    const d = run(`  list: [ { id: c1, kind: complaint, at: 30, x: 650, y: ${yRow} } ]`, '', 3000);
    expect(Number.isFinite(d.incidents[0].cleared)).toBe(true);
    const e = d.incidents[0];
    expect(e.source).toBe('citizen');
    expect(e.detected).toBe(50);
    // the police unit sent after the confirmation: its vehicle's trace id
    expect(Number.isInteger(e.unitVehicle) && e.unitVehicle >= 0).toBe(true);
    const f = d.flights.find((x) => x.purpose === 'verify')!;
    expect(f.event).toBe('c1');
    expect(f.outcome).toBe('confirm');
    expect(f.launched).toBe(50);
    // the engine's drone confirmed it when its look was over: the viewer has it over the place then
    const [, , , over, decided] = f.track.map((k) => k[0]);
    expect(e.confirmed).toBe(Math.ceil(decided - 1e-9));
    for (const t of [over, (over + decided) / 2, decided]) {
      const p = d.droneAt(f, t)!;
      expect(Math.hypot(p[0] - e.x, p[1] - e.y)).toBeLessThan(0.2);
      expect(p[2]).toBe(60);
    }
    // at cruise altitude halfway out, on the straight path (no no-fly zone here)
    const mid = (f.track[1][0] + f.track[2][0]) / 2;
    const p = d.droneAt(f, mid)!;
    expect(p[2]).toBe(100);
    expect(p[0]).toBeCloseTo(325, 0);
    expect(p[1]).toBeCloseTo(yRow, 1);
    expect(d.headingAlong(f, mid)[1]).toBeCloseTo(650, 0);
    // on the way back it heads home
    const home = (f.track[5][0] + f.track[6][0]) / 2;
    expect(d.headingAlong(f, home)[1]).toBe(0);
    expect(d.droneAt(f, home)![0]).toBeCloseTo(325, 0);
    // the event's loop as the viewer shows it over time
    expect(d.stageAt(0, 29)).toBe(INC_HIDDEN);
    expect(d.stageAt(0, 30)).toBe(INC_UNSEEN);
    expect(d.stageAt(0, 50)).toBe(INC_REPORTED);
    expect(d.stageAt(0, e.confirmed)).toBe(e.dispatched === e.confirmed ? INC_DISPATCHED : INC_CONFIRMED);
    expect(d.stageAt(0, e.arrived)).toBe(INC_ON_SCENE);
    expect(d.stageAt(0, e.cleared)).toBe(INC_CLEARED);
    expect(d.stageAt(0, e.cleared + ENDED_FADE_S)).toBe(INC_HIDDEN);
    expect(incidentStage(e, e.cleared + ENDED_FADE_S)).toBe(INC_CLEARED);
  }, 30_000);
});

describe('PerceptionData reading files', () => {
  const HEADER = 'id,kind,real,outcome,edge,x,y,occurred,detected,source,camera,vehicle,citizen,drone,unit,patrol,confirmed,dismissed,dispatched,arrived,cleared,vehicleHoursLost,unitVehicle';

  it('keeps the rows and records it can read and leaves out the rest', () => {
    const csv = `${HEADER}\nc-0,complaint,0,dismissed,,10,20,5,9,citizen,,,9,,,,,40,,,,0,\nbad,row\nx-1,crash,1,open,ab,,,7,,,,,,,,,,,,,,0,\n`;
    const d = new PerceptionData(
      csv,
      {
        cameras: [{ id: 'k', x: 1, y: 2, height: 30, range: 250, groundRange: 248.2, heading: 0, fov: 360 }, { id: 'no place' }],
        docks: [{ id: 'd', x: 0, y: 0, drones: 2 }],
        flights: [
          { purpose: 'patrol', dock: 'd', drone: 0, launched: 0, landed: 10, path: [[0, 0], [10, 0]], track: [[1, 0, 0], [2, 0, 60], [8, 10, 60], [9, 10, 0]] },
          { purpose: 'patrol', dock: 'd', drone: 0, launched: 0, landed: 10, path: [[0, 0], [10, 0]], track: [[5, 0, 0], [2, 0, 60]] },
          { purpose: 'verify', dock: 'd', launched: 0, landed: 10, path: 'nowhere', track: [] },
        ],
      },
      { blindSpots: [[[0, 0], [25, 0], [25, 25], [0, 25]], [[0, 0]]], patrols: [{ dock: 'd', path: [[0, 0], [5, 5]] }] },
    );
    expect(d.incidents.map((e) => e.id)).toEqual(['c-0']);
    expect(d.incidents[0].real).toBe(false);
    expect(d.stageAt(0, 9)).toBe(INC_REPORTED);
    expect(d.stageAt(0, 40)).toBe(INC_DISMISSED);
    expect(d.cameras.map((c) => c.id)).toEqual(['k']);
    expect(d.flights).toHaveLength(1);
    expect(d.blindSpots).toHaveLength(1);
    expect(d.patrolRoutes).toHaveLength(1);
    expect(d.droneAt(d.flights[0], 5)).toEqual([5, 0, 60]);
    expect(d.empty).toBe(false);
  });

  it('is empty without files', () => {
    expect(new PerceptionData(null, null, null).empty).toBe(true);
    expect(new PerceptionData(`${HEADER}\n`, {}, {}).empty).toBe(true);
  });

  it('finds points along a path by distance', () => {
    const path: [number, number][] = [[0, 0], [3, 4], [3, 10]];
    expect(pointAlong(path, [0, 5, 11], 2.5)).toEqual([1.5, 2]);
    expect(pointAlong(path, [0, 5, 11], 8)).toEqual([3, 7]);
    expect(pointAlong(path, [0, 5, 11], 99)).toEqual([3, 10]);
    expect(pointAlong(path, [0, 5, 11], -1)).toEqual([0, 0]);
  });
});
