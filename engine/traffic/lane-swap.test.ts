// Two drivers standing side by side at the end of an edge, each in the lane the other needs:
// neither lane change can be made, and without the swap (lane-swap.ts) both would wait until
// removed as gridlocked. They trade places after SWAP_AFTER and both go on, with no collision.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import type { SimEvent } from '../sim/events.js';
import { SWAP_AFTER } from './lane-swap.js';

// Two one-lane roads join into the two lanes of a short edge ab, each onto its own lane; at b
// lane 0 goes only straight on (to c), lane 1 only left (to d). Two drivers entering ab side by
// side, each onto the lane the other needs, block each other's change all the way to the line.
const scenario = (step: number, more: string) => `
name: swap-test
duration: 150
step: ${step}
network:
  nodes:
    - { id: p, x: -100, y: -20 }
    - { id: q, x: -100, y: 20 }
    - { id: a, x: 0, y: 0, control: unregulated }
    - { id: b, x: 40, y: 0, control: priority }
    - { id: c, x: 240, y: 0 }
    - { id: d, x: 40, y: 200 }
  edges:
    - { id: pa, from: p, to: a, lanes: 1, speedLimit: 14 }
    - { id: qa, from: q, to: a, lanes: 1, speedLimit: 14 }
    - { id: ab, from: a, to: b, lanes: 2, speedLimit: 14 }
    - { id: bc, from: b, to: c, lanes: 1, speedLimit: 14 }
    - { id: bd, from: b, to: d, lanes: 1, speedLimit: 14 }
  connections:
    - { from: pa, fromLane: 0, to: ab, toLane: 0 }
    - { from: qa, fromLane: 0, to: ab, toLane: 1 }
    - { from: ab, fromLane: 0, to: bc, toLane: 0 }
    - { from: ab, fromLane: 1, to: bd, toLane: 0 }
vehicleTypes:
  car: { length: 5, maxSpeed: 20, accel: 2.0, decel: 4.5, headway: 1, minGap: 2.5 }
  van: { length: 7, maxSpeed: 20, accel: 2.0, decel: 4.5, headway: 1, minGap: 2.5 }
demand:
  - trips:
      - { id: wantsLeft, type: car, depart: 0, from: pa, to: bd }
      - { id: wantsStraight, type: car, depart: 0, from: qa, to: bc }
${more}`;

function run(yaml: string) {
  const w = new World(parseScenario(yaml, 'swap-test.yaml').scenario);
  const events: SimEvent[] = [];
  w.events$.subscribe((e) => events.push(e));
  let swapTime = -1;
  while (w.tick < w.ticksTotal) {
    w.step();
    if (swapTime < 0 && w.totals.laneSwaps > 0) swapTime = w.time;
  }
  const arrived = events.filter((e) => e.kind === 'arrive').map((e) => (e as { tripId: string }).tripId).sort();
  const removed = events.filter((e) => e.kind === 'remove').length;
  return { w, arrived, removed, swapTime };
}

describe('a deadlocked pair of lane changes', () => {
  for (const step of [1, 0.1]) {
    it(`swaps after standing ${SWAP_AFTER} s and both go on (step ${step})`, () => {
      const { w, arrived, removed, swapTime } = run(scenario(step, ''));
      expect(w.totals.laneSwaps).toBe(1);
      expect(arrived).toEqual(['wantsLeft', 'wantsStraight']);
      expect(removed).toBe(0);
      expect(w.totals.collisions).toBe(0);
      // not before both have stood SWAP_AFTER (they stop within a few seconds of departing)
      expect(swapTime).toBeGreaterThanOrEqual(SWAP_AFTER);
      expect(swapTime).toBeLessThan(SWAP_AFTER + 20);
    });
  }

  it('swaps with queues behind both places, and a longer vehicle, without a collision', () => {
    const { w, arrived, removed } = run(
      scenario(
        1,
        `      - { id: behind0, type: car, depart: 2, from: pa, to: bc }
      - { id: behind1, type: car, depart: 2, from: qa, to: bd }
      - { id: behind2, type: car, depart: 4, from: qa, to: bc }`,
      ).replace('{ id: wantsStraight, type: car', '{ id: wantsStraight, type: van'),
    );
    expect(w.totals.laneSwaps).toBeGreaterThanOrEqual(1);
    expect(arrived.length).toBe(5);
    expect(removed).toBe(0);
    expect(w.totals.collisions).toBe(0);
    expect(w.totals.minGap).toBeGreaterThan(0);
  });
});
