// Long runs keep flat memory (issue 9): the tables and caches that used to grow with simulated
// time (one copy of a flow's stops per departure, a capacity-speed memo entry per vehicle with a
// speed spread, router caches towards every origin-destination pair) stay bounded, and bounding
// them never changes a result. Counts only: no wall time, no RSS.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { expandNetwork } from '../road/expand.js';
import { buildNetwork } from '../road/network.js';
import { Router, fringeEdges } from '../road/routing.js';
import { buildTypeTable, CAPACITY_MEMO_MAX } from './types.js';

// a 3 × 3 signalised grid with random trips, a bus flow with two stops and a speed spread
const scenario = (duration: number) => `
name: bounded
seed: 5
duration: ${duration}
step: 0.2
network:
  grid: { rows: 3, cols: 3, spacing: 150, lanes: 1, speedLimit: 13.9, signals: { cycle: 40, yellow: 3 } }
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 1.5, decel: 2, headway: 1.2, minGap: 2, speedDev: 0.2 }
  bus: { length: 12, maxSpeed: 20, accel: 1, decel: 1.5, headway: 1.5, minGap: 2.5 }
demand:
  - randomTrips: { type: car, period: 6, begin: 0, end: ${duration} }
  - flow:
      type: bus
      route: [w1-r1c0, r1c0-r1c1, r1c1-r1c2, r1c2-e1]
      period: 60
      begin: 0
      end: ${duration}
      stops: [ { edge: r1c0-r1c1, pos: 60, duration: 10 }, { edge: r1c1-r1c2, pos: 60, duration: 10 } ]
`;

function runFor(duration: number) {
  const w = new World(parseScenario(scenario(duration), 'bounded.yaml').scenario);
  w.run();
  return {
    inserted: w.totals.inserted,
    stops: w.routes.stopCount,
    routes: w.routes.count,
    routeEdges: w.routes.edgesUsed,
    routerPaths: w.router.cachedPaths,
    memo: w.types.capacityMemoSize,
    fringePairs: fringeEdges(w.net).sources.length * fringeEdges(w.net).sinks.length,
  };
}

describe('structures that could grow with simulated time', () => {
  it('a run twice as long inserts twice the vehicles but keeps one copy of each flow stop list, and routes bounded by the pairs', () => {
    const short = runFor(1200);
    const long = runFor(2400);
    expect(long.inserted).toBeGreaterThan(1.8 * short.inserted);
    // the bus flow's two stops, once (one per departure before: 20, then 40)
    expect(short.stops).toBe(2);
    expect(long.stops).toBe(2);
    // routes are shared by their origin-destination pair (plus reroutes): never one per vehicle
    expect(long.routes).toBeLessThanOrEqual(short.fringePairs + 8);
    expect(long.routerPaths).toBeLessThanOrEqual(long.fringePairs + 8);
    expect(long.memo).toBeLessThanOrEqual(CAPACITY_MEMO_MAX);
  });

  it('the capacity-speed memo is emptied when full and gives the same values as a fresh one', () => {
    const specs = parseScenario(scenario(60), 'bounded.yaml').scenario.vehicleTypes;
    const memoised = buildTypeTable(specs);
    let maxSize = 0;
    const speeds = Array.from({ length: 3 * CAPACITY_MEMO_MAX }, (_, k) => 5 + k * 0.003);
    const first = speeds.map((v) => memoised.capacitySpeed(0, v));
    for (const v of speeds) {
      memoised.capacitySpeed(0, v);
      maxSize = Math.max(maxSize, memoised.capacityMemoSize);
    }
    expect(maxSize).toBe(CAPACITY_MEMO_MAX);
    const fresh = buildTypeTable(specs);
    speeds.forEach((v, k) => expect(Object.is(first[k], fresh.capacitySpeed(0, v))).toBe(true));
  });

  it('router caches stay within their budgets and give the same paths as an unbounded router', () => {
    const net = buildNetwork(expandNetwork(parseScenario(scenario(60), 'bounded.yaml').scenario.network));
    const edges = net.edgeIds.length;
    const bounded = new Router(net, { cacheEdges: 200, reachBytes: 5 * edges });
    const unbounded = new Router(net, { cacheEdges: Infinity, reachBytes: Infinity });
    let maxEdges = 0;
    let maxReach = 0;
    for (let round = 0; round < 2; round++)
      for (let a = 0; a < edges; a++)
        for (let b = 0; b < edges; b++) {
          const p = bounded.route(a, b);
          const q = unbounded.route(a, b);
          expect(p === null ? null : Array.from(p)).toEqual(q === null ? null : Array.from(q));
          maxEdges = Math.max(maxEdges, bounded.cachedPathEdges);
          expect(Array.from(bounded.reachable(a))).toEqual(Array.from(unbounded.reachable(a)));
          maxReach = Math.max(maxReach, bounded.cachedReach);
        }
    expect(maxEdges).toBeLessThanOrEqual(200);
    expect(maxReach).toBeLessThanOrEqual(5);
    // the unbounded one holds every pair: the budget did bite
    expect(unbounded.cachedPaths).toBe(edges * edges);
    expect(unbounded.cachedPathEdges).toBeGreaterThan(200);
  });
});
