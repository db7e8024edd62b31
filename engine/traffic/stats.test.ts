import { describe, expect, it } from 'vitest';
import { VehicleState } from '../core/state.js';
import type { LaneOrder } from '../core/order.js';
import { IdOrder } from './stats.js';

/** A small deterministic generator (the test draws its own sequences of entries and exits). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('IdOrder', () => {
  it('lists the vehicles on the road by id through entries, exits, reused slots, reshuffled lane orders and growth', () => {
    for (const seed of [1, 2, 3, 4]) {
      const rnd = lcg(seed);
      const s = new VehicleState(8);
      const order = { count: 0, version: 0 };
      const ids = new IdOrder();
      const onRoad: number[] = [];
      let nextId = 0;
      for (let tick = 0; tick < 400; tick++) {
        // vehicles leave (their slots are handed out again, lowest first) and enter; ids mostly
        // rise with entry, but a delayed departure may enter with an older id
        let exits = 0;
        for (let q = onRoad.length - 1; q >= 0; q--)
          if (rnd() < 0.08) {
            exits++;
            s.release(onRoad[q]);
            onRoad.splice(q, 1);
          }
        const entering = rnd() < 0.05 ? 40 : Math.floor(rnd() * 4);
        for (let q = 0; q < entering; q++) {
          const slot = s.allocate();
          s.id[slot] = rnd() < 0.1 ? nextId + 1000 : nextId++;
          if (onRoad.some((o) => s.id[o] === s.id[slot])) s.id[slot] = 100000 + tick * 100 + q;
          onRoad.push(slot);
        }
        // the lane order is some permutation of them
        const perm = onRoad.slice().sort(() => rnd() - 0.5);
        for (let k = 0; k < perm.length; k++) s.order[k] = perm[k];
        order.count = perm.length;
        // (LaneOrder bumps its version whenever it changes; a tick with the same vehicles may not)
        if (entering > 0 || exits > 0 || rnd() < 0.5) order.version++;
        const want = onRoad.slice().sort((a, b) => s.id[a] - s.id[b]);
        expect(Array.from(ids.of(s, order as unknown as LaneOrder)), `seed ${seed}, tick ${tick}`).toEqual(want);
      }
    }
  });
});
