// departLane, departPos and arrivalPos: where a trip enters and leaves; stops with a lane and an
// until; trip ids on the events.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { F_DWELL } from '../core/state.js';
import type { SimEvent } from '../sim/events.js';

const base = (demand: string, ab = '') => `
name: place-test
duration: 200
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 1000, y: 0 }, { id: c, x: 1600, y: 0 } ]
  edges:
    - { id: ab, from: a, to: b, lanes: 3, speedLimit: 15${ab} }
    - { id: bc, from: b, to: c, lanes: 2, speedLimit: 15 }
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.2, minGap: 2 }
  bus: { length: 12, maxSpeed: 20, accel: 1.0, decel: 2, headway: 1.5, minGap: 2.5 }
demand:
${demand}`;

/** Runs the scenario; per trip id: its depart event, its last lane and position, and its arrive event. */
function run(yaml: string) {
  const w = new World(parseScenario(yaml, 'place-test.yaml').scenario);
  const events: SimEvent[] = [];
  w.events$.subscribe((e) => events.push(e));
  const last = new Map<number, { edge: string; pos: number; time: number }>();
  const first = new Map<number, number>();
  const dwell = new Map<number, { lane: string; from: number; to: number }>();
  while (w.tick < w.ticksTotal) {
    w.step();
    for (let k = 0; k < w.order.count; k++) {
      const i = w.state.order[k];
      const id = w.state.id[i];
      if (!first.has(id)) first.set(id, w.state.pos[i]);
      last.set(id, { edge: w.net.edgeIds[w.net.laneEdge[w.state.lane[i]]], pos: w.state.pos[i], time: w.time });
      if (w.state.flags[i] & F_DWELL) {
        const d = dwell.get(id) ?? { lane: w.laneName(w.state.lane[i]), from: w.time, to: w.time };
        d.to = w.time;
        dwell.set(id, d);
      }
    }
  }
  const byTrip = (kind: string) => new Map(events.filter((e) => e.kind === kind).map((e) => [(e as { tripId: string }).tripId, e as unknown as Record<string, unknown>]));
  return { w, departs: byTrip('depart'), arrives: byTrip('arrive'), first, last, dwell, events };
}

describe('departLane, departPos, arrivalPos', () => {
  it('enter on the lane and at the position asked for, and arrive where asked', () => {
    const { w, departs, arrives, first, last } = run(
      base(`  - trips:
      - { id: idx, type: car, depart: 0, from: ab, to: bc, departLane: 2, departPos: 300, arrivalPos: 200 }
      - { id: neg, type: car, depart: 0, from: ab, to: bc, departLane: first, arrivalPos: -150 }
      - { id: plain, type: car, depart: 1, from: ab, to: bc }
`),
    );
    expect(departs.get('idx')).toMatchObject({ lane: 'ab_2' });
    expect(departs.get('neg')).toMatchObject({ lane: 'ab_0' });
    // the front bumper at 300 m, at once (the vehicle's first recorded position is just beyond)
    const idx = departs.get('idx')!.id as number;
    const neg = departs.get('neg')!.id as number;
    const plain = departs.get('plain')!.id as number;
    expect(first.get(idx)!).toBeGreaterThanOrEqual(300);
    expect(first.get(idx)!).toBeLessThan(300 + 15 * w.dt + 1e-6);
    expect(first.get(plain)!).toBeLessThan(5 + 15 * w.dt + 1e-6);
    expect(arrives.size).toBe(3);
    // each arrived where asked: its last position on bc is within one step of it
    const step = 15 * w.dt + 1e-6;
    expect(last.get(idx)!.edge).toBe('bc');
    expect(last.get(idx)!.pos).toBeLessThan(200);
    expect(last.get(idx)!.pos).toBeGreaterThan(200 - step);
    expect(last.get(neg)!.pos).toBeLessThan(450);
    expect(last.get(neg)!.pos).toBeGreaterThan(450 - step);
    // without arrivalPos: to the end of bc
    expect(last.get(plain)!.pos).toBeGreaterThan(600 - step);
    // distance driven: 1000 − 300 + 200 for idx
    expect(arrives.get('idx')!.routeLength as number).toBeCloseTo(900, -1);
    expect(w.totals.collisions).toBe(0);
  });

  it('departPos random and free, departLane random and free: inside the edge, on admitted lanes, the same every run', () => {
    const yaml = base(
      `  - flow: { id: r, type: car, route: [ab, bc], period: 4, begin: 0, end: 120, departLane: random, departPos: random }
  - flow: { id: f, type: car, route: [ab, bc], period: 6, begin: 2, end: 120, departLane: free, departPos: free }
`,
      ', laneClasses: [ [bus], null, null ]',
    );
    const a = run(yaml);
    const b = run(yaml);
    expect(a.w.stateHash()).toBe(b.w.stateHash());
    const lanes = [...a.departs.values()].map((d) => d.lane as string);
    expect(lanes.length).toBeGreaterThan(40);
    expect(lanes).not.toContain('ab_0'); // the bus lane
    expect(new Set(lanes)).toEqual(new Set(['ab_1', 'ab_2']));
    // random positions spread over the edge
    const starts = [...a.departs.values()].filter((d) => (d.tripId as string).startsWith('r.')).map((d) => a.first.get(d.id as number)!);
    expect(Math.min(...starts)).toBeLessThan(250);
    expect(Math.max(...starts)).toBeGreaterThan(750);
    expect(a.w.totals.collisions).toBe(0);
    expect(a.w.totals.removed).toBe(0);
  });
});

describe('stops with lane and until', () => {
  it('serve the stop from its lane and leave no earlier than until, nor before the dwell is over', () => {
    const { dwell, departs } = run(
      base(`  - trips:
      - { id: early, type: bus, depart: 0, from: ab, to: bc, stops: [ { edge: ab, pos: 300, duration: 5, until: 80, lane: 1, name: Stop A } ] }
      - { id: long, type: bus, depart: 0, from: bc, to: bc, stops: [ { edge: bc, pos: 300, duration: 40, until: 10 } ] }
`),
    );
    const early = dwell.get(departs.get('early')!.id as number)!;
    expect(early.lane).toBe('ab_1');
    expect(early.from).toBeLessThan(75); // arrived well before until
    expect(early.to).toBeGreaterThanOrEqual(80 - 0.1 - 1e-9);
    expect(early.to).toBeLessThan(80 + 0.5);
    const long = dwell.get(departs.get('long')!.id as number)!;
    expect(long.lane).toBe('bc_0');
    expect(long.to - long.from).toBeGreaterThan(40 - 0.3);
    expect(long.to - long.from).toBeLessThan(40 + 0.5);
  });
});
