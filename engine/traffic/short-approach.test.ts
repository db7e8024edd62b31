// A major road reaches a priority junction through a connector shorter than two steps' travel
// (netconvert leaves such stubs between clustered junctions): at step 1 a major-road driver
// crosses the connector and the junction in one tick, so it is never seen standing on the
// connector itself. A minor-road driver must give way to it all the same (right-of-way.ts,
// shortLaneFoeFirst); before that check, Hamburg's centre had merging collisions of this kind.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';

const yaml = (step: number) => `
name: short-approach
duration: 1800
step: ${step}
seed: 7
network:
  nodes:
    - { id: w, x: 0, y: 0 }
    - { id: s, x: 300, y: 0, control: priority }
    - { id: m, x: 308, y: 0, control: priority }
    - { id: e, x: 700, y: 0 }
    - { id: n, x: 308, y: 250 }
  edges:
    - { id: ws, from: w, to: s, lanes: 1, speedLimit: 16 }
    - { id: sm, from: s, to: m, lanes: 1, speedLimit: 16 }
    - { id: me, from: m, to: e, lanes: 1, speedLimit: 16 }
    - { id: nm, from: n, to: m, lanes: 1, speedLimit: 8 }
vehicleTypes:
  car: { length: 5, maxSpeed: 20, accel: 2.6, decel: 4.5, headway: 1, minGap: 2.5 }
demand:
  - { flow: { id: major, type: car, route: [ ws, sm, me ], probability: 0.25, begin: 0, end: 1500 } }
  - { flow: { id: minor, type: car, route: [ nm, me ], probability: 0.15, begin: 0, end: 1500 } }
`;

/** Runs the scenario: its 25 minutes of flows all get in and through, nobody collides or is removed. */
function runsClean(text: string, file: string): void {
  const w = new World(parseScenario(text, file).scenario);
  w.run();
  expect(w.totals.inserted).toBeGreaterThan(400);
  expect(w.totals.collisions).toBe(0);
  expect(w.totals.minGap).toBeGreaterThan(0);
  expect(w.totals.removed).toBe(0);
}

describe('a minor road merging with a major one that comes through a very short connector', () => {
  for (const step of [1, 0.5]) {
    it(`gives way to drivers crossing the connector in one tick, with no collision (step ${step})`, () => {
      runsClean(yaml(step), 'short-approach.yaml');
    });
  }
});

// The minor road reaches the junction over two lanes each shorter than a tick's travel (as on
// Hamburg's clustered junctions): a minor-road driver first judges its right of way on the last
// of them, already too near the line to stop. It must come on slowly enough to stop at that
// line while a foe is coming (look-ahead.ts with right-of-way.ts mayYieldFurtherOn).
const minorThroughStubs = (step: number) => `
name: minor-through-stubs
duration: 1800
step: ${step}
seed: 11
network:
  nodes:
    - { id: w, x: 0, y: 0 }
    - { id: s, x: 300, y: 0, control: priority }
    - { id: m, x: 308, y: 0, control: priority }
    - { id: e, x: 700, y: 0 }
    - { id: n, x: 308, y: 300 }
    - { id: p, x: 308, y: 28, control: priority }
    - { id: q, x: 308, y: 14, control: priority }
  edges:
    - { id: ws, from: w, to: s, lanes: 1, speedLimit: 16 }
    - { id: sm, from: s, to: m, lanes: 1, speedLimit: 16 }
    - { id: me, from: m, to: e, lanes: 1, speedLimit: 16 }
    - { id: np, from: n, to: p, lanes: 1, speedLimit: 14 }
    - { id: pq, from: p, to: q, lanes: 1, speedLimit: 14 }
    - { id: qm, from: q, to: m, lanes: 1, speedLimit: 14 }
vehicleTypes:
  car: { length: 5, maxSpeed: 20, accel: 2.6, decel: 4.5, headway: 1, minGap: 2.5 }
demand:
  - { flow: { id: major, type: car, route: [ ws, sm, me ], probability: 0.25, begin: 0, end: 1500 } }
  - { flow: { id: minor, type: car, route: [ np, pq, qm, me ], probability: 0.15, begin: 0, end: 1500 } }
`;

describe('a minor road that reaches a priority junction over lanes shorter than a tick', () => {
  for (const step of [1, 0.5]) {
    it(`comes on able to stop at the line and gives way, with no collision (step ${step})`, () => {
      runsClean(minorThroughStubs(step), 'minor-through-stubs.yaml');
    });
  }
});
