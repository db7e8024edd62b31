// A snapshot taken while vehicles carry trip ids, arrival positions, stops with lane and until,
// types drawn from a distribution and a refusal behind them: the restored world goes on bit for
// bit, with the same events (trip ids included) and the same refusal count.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { ENGINE_VERSION } from '../core/version.js';
import type { SimEvent } from '../sim/events.js';

const scenario = parseScenario(
  `
name: new-fields
duration: 300
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 800, y: 0 }, { id: c, x: 1400, y: 0 }, { id: x, x: 800, y: 500 } ]
  edges:
    - { id: ab, from: a, to: b, lanes: 2, speedLimit: 15, laneClasses: [ [bus, emergency], null ] }
    - { id: bc, from: b, to: c, lanes: 2, speedLimit: 15 }
    - { id: bx, from: b, to: x, lanes: 1, speedLimit: 15, laneClasses: [ [bus] ] }
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.2, minGap: 2, speedDev: 0.1 }
  bus: { length: 12, maxSpeed: 20, accel: 1.0, decel: 2, headway: 1.5, minGap: 2.5 }
vehicleTypeDistributions:
  mix: { car: 4, bus: 1 }
demand:
  - flow: { id: m, type: mix, route: [ab, bc], period: 6, begin: 0, end: 280, arrivalPos: random, departPos: random, stops: [ { edge: bc, pos: 200, duration: 4, until: 150 } ] }
  - trips: [ { id: nope, type: car, depart: 100, from: ab, to: bx } ]
`,
  'new-fields.yaml',
).scenario;

const snapshotOf = (w: World): Buffer => {
  const sw = new SnapshotWriter();
  w.snapshot(sw);
  return sw.toBuffer({ engineVersion: ENGINE_VERSION, scenarioHash: 'test', seed: w.seed, tick: w.tick, time: w.time });
};

describe('a snapshot of a world using the SUMO scenario fields', () => {
  it('restores into a world that goes on bit for bit', () => {
    const whole = new World(scenario);
    whole.start();
    whole.run(160);
    const bytes = snapshotOf(whole);
    const after: SimEvent[] = [];
    whole.events$.subscribe((e) => after.push(e));
    whole.run();
    expect(whole.refusedTrips).toBe(1);
    expect(after.some((e) => e.kind === 'arrive' && e.tripId?.startsWith('m.'))).toBe(true);

    const resumed = new World(scenario);
    const reader = new SnapshotReader(bytes);
    resumed.restore(reader);
    expect(reader.done).toBe(true);
    const events: SimEvent[] = [];
    resumed.events$.subscribe((e) => events.push(e));
    resumed.run();
    expect(resumed.stateHash()).toBe(whole.stateHash());
    expect(events).toEqual(after);
    expect(resumed.refusedTrips).toBe(1);
  });
});
