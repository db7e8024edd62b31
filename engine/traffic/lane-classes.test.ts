// Lane classes (an edge's laneClasses): buses keep to a bus lane and cars never enter it; a car
// routes round an edge whose only lane is a bus lane, a bus takes it; a car given a route over it
// is refused, counted and logged.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { Router } from '../road/routing.js';
import { classBit } from '../road/lane-classes.js';
import type { SimEvent } from '../sim/events.js';

const BUS = 1; // vehicleClasses.indexOf('bus')
const CAR = 0;

const TYPES = `
vehicleTypes:
  car: { length: 4.5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.2, minGap: 2, speedDev: 0.1 }
  bus: { length: 12, maxSpeed: 20, accel: 1.0, decel: 2, headway: 1.5, minGap: 2.5 }
`;

// three 2-lane edges in a row; the right lane of the middle and last edge is a bus lane
const corridor = parseScenario(
  `
name: bus-lane
duration: 600
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 600, y: 0 }, { id: c, x: 1400, y: 0 }, { id: d, x: 2000, y: 0 } ]
  edges:
    - { id: ab, from: a, to: b, lanes: 2, speedLimit: 16 }
    - { id: bc, from: b, to: c, lanes: 2, speedLimit: 16, laneClasses: [ [bus, emergency], null ] }
    - { id: cd, from: c, to: d, lanes: 2, speedLimit: 16, laneClasses: [ [bus, emergency], null ] }
${TYPES}
demand:
  - flow: { id: cars, type: car, route: [ab, bc, cd], rate: 1500, begin: 0, end: 500 }
  - flow: { id: buses, type: bus, route: [ab, bc, cd], rate: 120, begin: 0, end: 500 }
`,
  'bus-lane.yaml',
).scenario;

describe('a bus lane', () => {
  it('carries the buses, and no car ever enters it (checked every tick)', () => {
    const w = new World(corridor);
    const net = w.net;
    const busLanes = new Set(['bc', 'cd'].map((e) => net.edgeFirstLane[net.edgeIndex.get(e)!]));
    const bus = w.types.index.get('bus')!;
    let carTicksOnBusLane = 0;
    let busTicksRestricted = 0;
    let busTicksOnBusLane = 0;
    let carTicksRestricted = 0;
    while (w.tick < w.ticksTotal) {
      w.step();
      const s = w.state;
      for (let k = 0; k < w.order.count; k++) {
        const i = s.order[k];
        const edge = net.edgeIds[net.laneEdge[s.lane[i]]];
        if (edge === 'ab') continue;
        const onBusLane = busLanes.has(s.lane[i]);
        if (s.type[i] === bus) {
          busTicksRestricted++;
          if (onBusLane) busTicksOnBusLane++;
        } else {
          carTicksRestricted++;
          if (onBusLane) carTicksOnBusLane++;
        }
      }
    }
    expect(carTicksRestricted).toBeGreaterThan(10_000);
    expect(carTicksOnBusLane).toBe(0);
    // the buses keep right, onto their own lane, and stay on it
    expect(busTicksRestricted).toBeGreaterThan(1_000);
    expect(busTicksOnBusLane / busTicksRestricted).toBeGreaterThan(0.95);
    expect(w.totals.collisions).toBe(0);
    expect(w.totals.removed).toBe(0);
    expect(w.refusedTrips).toBe(0);
    expect(w.totals.arrived).toBeGreaterThan(180);
  });

  it('is no lane for cars on an edge without one of theirs: routing goes round, a given route is refused', () => {
    // a → b directly over a 1-lane bus-only edge, or round through c on ordinary edges
    const scenario = parseScenario(
      `
name: bus-gate
duration: 300
network:
  nodes: [ { id: o, x: -300, y: 0 }, { id: a, x: 0, y: 0 }, { id: b, x: 500, y: 0 }, { id: c, x: 250, y: 400 }, { id: z, x: 800, y: 0 } ]
  edges:
    - { id: oa, from: o, to: a, lanes: 1, speedLimit: 14 }
    - { id: ab, from: a, to: b, lanes: 1, speedLimit: 14, laneClasses: [ [bus] ] }
    - { id: ac, from: a, to: c, lanes: 1, speedLimit: 14 }
    - { id: cb, from: c, to: b, lanes: 1, speedLimit: 14 }
    - { id: bz, from: b, to: z, lanes: 1, speedLimit: 14 }
${TYPES}
demand:
  - flow: { id: cars, type: car, from: oa, to: bz, period: 20, begin: 0, end: 100 }
  - flow: { id: buses, type: bus, from: oa, to: bz, period: 25, begin: 0, end: 100 }
  - trips: [ { id: wrong-way, type: car, depart: 5, from: oa, to: bz, via: [ab] } ]
`,
      'bus-gate.yaml',
    ).scenario;
    const w = new World(scenario);
    const net = w.net;
    const e = (id: string) => net.edgeIndex.get(id)!;
    const ids = (r: Int32Array | null) => (r ? Array.from(r, (x) => net.edgeIds[x]) : null);
    // the routers: unrestricted, per class
    expect(ids(new Router(net).route(e('oa'), e('bz')))).toEqual(['oa', 'ab', 'bz']);
    expect(ids(new Router(net, { classBit: classBit(BUS) }).route(e('oa'), e('bz')))).toEqual(['oa', 'ab', 'bz']);
    expect(ids(w.routers.for(classBit(CAR)).route(e('oa'), e('bz')))).toEqual(['oa', 'ac', 'cb', 'bz']);
    expect(w.routers.for(classBit(CAR)).route(e('ab'), e('bz'))).toBeNull();
    expect(w.routers.for(classBit(CAR))).toBe(w.routers.for(classBit(CAR))); // built once, kept

    const events: SimEvent[] = [];
    w.events$.subscribe((ev) => events.push(ev));
    const edgesOf = new Map<number, Set<string>>();
    const bus = w.types.index.get('bus')!;
    while (w.tick < w.ticksTotal) {
      w.step();
      for (let k = 0; k < w.order.count; k++) {
        const i = w.state.order[k];
        const key = w.state.type[i] === bus ? 1 : 0;
        if (!edgesOf.has(key)) edgesOf.set(key, new Set());
        edgesOf.get(key)!.add(net.edgeIds[net.laneEdge[w.state.lane[i]]]);
      }
    }
    expect([...edgesOf.get(0)!].sort()).toEqual(['ac', 'bz', 'cb', 'oa']);
    expect([...edgesOf.get(1)!].sort()).toEqual(['ab', 'bz', 'oa']);
    // the car told to drive over the bus lane never enters: refused, counted and logged
    const refused = events.filter((ev) => ev.kind === 'refuse');
    expect(refused).toEqual([{ kind: 'refuse', time: 5, type: 'car', source: 2, edge: 'oa', reason: 'noLane', tripId: 'wrong-way' }]);
    expect(w.refusedTrips).toBe(1);
    expect(w.totals.inserted).toBe(5 + 4);
  });

  it('a type that ignores lane classes (SUMO\'s vClass ignoring) drives where the lanes would refuse its class', () => {
    const scenario = parseScenario(
      `
name: ignoring
duration: 200
network:
  nodes: [ { id: o, x: -300, y: 0 }, { id: a, x: 0, y: 0 }, { id: b, x: 500, y: 0 }, { id: z, x: 800, y: 0 } ]
  edges:
    - { id: oa, from: o, to: a, lanes: 1, speedLimit: 14 }
    - { id: ab, from: a, to: b, lanes: 1, speedLimit: 14, laneClasses: [ [bus] ] }
    - { id: bz, from: b, to: z, lanes: 1, speedLimit: 14 }
vehicleTypes:
  car: { length: 4.5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.2, minGap: 2 }
  anyLane: { length: 4.5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.2, minGap: 2, ignoresLaneClasses: true }
demand:
  - trips: [ { id: plain, type: car, depart: 0, from: oa, to: bz }, { id: ignoring, type: anyLane, depart: 5, from: oa, to: bz } ]
`,
      'ignoring.yaml',
    ).scenario;
    const w = new World(scenario);
    while (w.tick < w.ticksTotal) w.step();
    expect(w.refusedTrips).toBe(1);
    expect(w.totals.arrived).toBe(1);
    expect(w.totals.removed).toBe(0);
  });
});
