// Random flows (demand.ts): a `probability` flow (a chance of a departure each whole second, SUMO's
// probability flows: binomial arrivals) and exponential headways (Poisson arrivals, SUMO's
// period="exp(λ)"), against their distributions; each flow's draws are its own seeded stream, the
// same for the same seed, and a checkpoint goes on with the same departures.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import type { Departure } from './demand.js';

const yaml = (flows: string, seed = 7) => `
name: random-flows
duration: 7200
seed: ${seed}
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 1000, y: 0 } ]
  edges: [ { id: ab, from: a, to: b, lanes: 3, speedLimit: 15 } ]
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.2, minGap: 2 }
demand:
${flows}`;

const world = (flows: string, seed?: number) => new World(parseScenario(yaml(flows, seed), 'random-flows.yaml').scenario);

/** Every departure the demand schedules up to `until`, in order. */
function departures(w: World, until = 7200): Departure[] {
  const out: Departure[] = [];
  w.departures.demand.due(until, out);
  return out;
}

describe('random flows', () => {
  it('probability p: departures at whole seconds, their count binomial(n, p) (within 4 σ)', () => {
    const p = 0.1;
    const d = departures(world(`  - { flow: { id: f, type: car, route: [ ab ], probability: ${p}, begin: 100, end: 3700 } }`));
    for (const x of d) expect(Number.isInteger(x.time) && x.time >= 100 && x.time < 3700).toBe(true);
    const n = 3600;
    expect(Math.abs(d.length - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)));
    // at most one a second, and the gaps are not all alike (not an evenly spaced flow)
    expect(new Set(d.map((x) => x.time)).size).toBe(d.length);
    expect(new Set(d.slice(1).map((x, i) => x.time - d[i].time)).size).toBeGreaterThan(5);
    expect(d.map((x) => x.tripId)).toEqual(d.map((_, i) => `f.${i}`));
  });

  it('exponential headways: mean 3600/rate, coefficient of variation 1 (Poisson arrivals), within 4 σ of the estimates', () => {
    const d = departures(world('  - { flow: { id: f, type: car, route: [ ab ], rate: 720, headways: exponential, begin: 0, end: 7200 } }'));
    const gaps = d.slice(1).map((x, i) => x.time - d[i].time);
    const n = gaps.length;
    const mean = gaps.reduce((a, g) => a + g, 0) / n;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / (n - 1));
    // 1,440 expected; the mean's standard error is mean/√n, the CV's about 1/√n
    expect(Math.abs(d.length - 1440)).toBeLessThan(4 * Math.sqrt(1440));
    expect(Math.abs(mean - 5)).toBeLessThan((4 * 5) / Math.sqrt(n));
    expect(Math.abs(sd / mean - 1)).toBeLessThan(4 / Math.sqrt(n));
    // the evenly spaced flow of the same rate has no spread at all
    const even = departures(world('  - { flow: { type: car, route: [ ab ], rate: 720, begin: 0, end: 7200 } }'));
    expect(new Set(even.slice(1).map((x, i) => Math.round((x.time - even[i].time) * 1e6))).size).toBe(1);
  });

  it('each flow draws from its own stream: the same seed gives the same departures, another seed others, and adding a flow changes nothing of the first', () => {
    const f1 = '  - { flow: { type: car, route: [ ab ], probability: 0.05, begin: 0, end: 3600 } }';
    const f2 = '  - { flow: { type: car, route: [ ab ], rate: 300, headways: exponential, begin: 0, end: 3600 } }';
    const times = (flows: string, seed?: number, source = 0) => departures(world(flows, seed)).filter((x) => x.source === source).map((x) => x.time);
    expect(times(f1)).toEqual(times(f1));
    expect(times(f1, 8)).not.toEqual(times(f1));
    expect(times(`${f1}\n${f2}`)).toEqual(times(f1));
  });

  it('a checkpoint taken mid-flow goes on with the same departures', () => {
    const flows = '  - { flow: { type: car, route: [ ab ], probability: 0.2, begin: 0, end: 7200 } }\n  - { flow: { type: car, route: [ ab ], period: 9, headways: exponential, begin: 0, end: 7200 } }';
    const whole = world(flows);
    whole.run(1800);
    const sw = new SnapshotWriter();
    whole.snapshot(sw);
    const bytes = sw.toBuffer({ engineVersion: 'test', scenarioHash: 'test', seed: whole.seed, tick: whole.tick, time: whole.time });
    const resumed = world(flows);
    resumed.restore(new SnapshotReader(bytes));
    expect(departures(resumed).map((x) => [x.time, x.source])).toEqual(departures(whole).map((x) => [x.time, x.source]));
  });

  it('bad input: probability with headways, and two rates at once, name the field', () => {
    expect(() => world('  - { flow: { type: car, route: [ ab ], probability: 0.2, headways: exponential, begin: 0, end: 60 } }')).toThrow(/demand\.0\.flow\.headways: a probability flow draws its departures second by second/);
    expect(() => world('  - { flow: { type: car, route: [ ab ], probability: 0.2, rate: 60, begin: 0, end: 60 } }')).toThrow(/give exactly one of rate, period or probability/);
    expect(() => world('  - { flow: { type: car, route: [ ab ], probability: 1.5, begin: 0, end: 60 } }')).toThrow(/demand\.0\.flow\.probability/);
  });
});
