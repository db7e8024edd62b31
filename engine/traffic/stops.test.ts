import { describe, expect, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { connectionTo } from '../road/network.js';
import { F_DWELL } from '../core/state.js';

// ab has two lanes; only its left lane turns left into be. The vehicles stop on ab first.
const scenario = parseScenario(
  `
name: kerb-stop
duration: 240
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 800, y: 0 }, { id: c, x: 1600, y: 0 }, { id: e, x: 800, y: 800 }, { id: d, x: 800, y: -800 } ]
  edges:
    - { id: ab, from: a, to: b, lanes: 2, speedLimit: 15 }
    - { id: bc, from: b, to: c, lanes: 2, speedLimit: 15 }
    - { id: be, from: b, to: e, lanes: 1, speedLimit: 15 }
    - { id: bd, from: b, to: d, lanes: 1, speedLimit: 15 }
vehicleTypes:
  bus: { class: bus, length: 12, maxSpeed: 20, accel: 1.0, decel: 2, headway: 1.5, minGap: 2 }
demand:
  - flow: { type: bus, route: [ab, be], period: 30, begin: 0, end: 120, stops: [ { edge: ab, pos: 400, duration: 20 } ] }
`,
  'kerb-stop.yaml',
).scenario;

describe('stops of a route', () => {
  it('are served from the kerb lane; the lane of the next turn is taken after the stop', () => {
    const w = new World(scenario);
    const net = w.net;
    const ab0 = net.edgeFirstLane[net.edgeIds.indexOf('ab')];
    const be = net.edgeIds.indexOf('be');
    const turnsLeft = (lane: number) => connectionTo(net, lane, be) >= 0;
    expect([turnsLeft(ab0), turnsLeft(ab0 + 1)]).toEqual([false, true]);
    const dwellLanes = new Map<number, number>();
    let arrived = 0;
    w.events$.subscribe((e) => {
      if (e.kind === 'arrive') arrived++;
    });
    while (w.tick < w.ticksTotal) {
      w.step();
      const s = w.state;
      for (let k = 0; k < w.order.count; k++) {
        const i = s.order[k];
        if (s.flags[i] & F_DWELL) dwellLanes.set(s.lane[i], (dwellLanes.get(s.lane[i]) ?? 0) + 1);
      }
    }
    // every bus dwelt, on the kerb lane only, and then made its left turn
    expect([...dwellLanes.keys()]).toEqual([ab0]);
    expect(dwellLanes.get(ab0)!).toBeGreaterThan(4 * 20 * 10 * 0.9);
    expect(arrived).toBe(w.totals.inserted);
    expect(w.totals.removed).toBe(0);
    expect(w.totals.collisions).toBe(0);
  });
});
