// The ring road of Sugiyama et al. (2008, New J. Phys. 10:033001): 22 cars on a 230 m
// single-lane ring (contract/ring.yaml). With stable IDM parameters the homogeneous state is an
// attractor and every car settles to the equilibrium speed of the mean gap; with unstable ones
// (small A, large B) a stop-and-go wave forms and travels upstream (docs/models.md: about
// −15 to −20 km/h in the experiment).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { equilibriumSpeed, type IdmParams } from './idm.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// the contract scenario, as copied into the repository (contract-copies.test.ts keeps them equal)
const ringYaml = join(root, 'scenarios', 'ring.yaml');

const RING = 230;
const CARS = 22;
const LEN = 5;

/** contract ring.yaml, with overrides (`--set` syntax) */
function ringWorld(overrides: string[] = []): World {
  return new World(loadScenario(ringYaml, { overrides }).scenario);
}

/** Bumper-to-bumper gaps around the ring, from the lane order (the last car follows the first). */
function ringGaps(w: World): number[] {
  const s = w.state;
  const a = w.order.laneStart[0];
  const b = w.order.laneStart[1];
  const gaps: number[] = [];
  for (let k = a; k < b; k++) {
    const i = s.order[k];
    const L = s.order[k + 1 < b ? k + 1 : a];
    const lead = k + 1 < b ? s.pos[L] : s.pos[L] + RING;
    gaps.push(lead - w.types.length[s.type[L]] - s.pos[i]);
  }
  return gaps;
}

const speeds = (w: World) => [...w.vehicles()].map((i) => w.state.speed[i]);
const mean = (xs: number[]) => xs.reduce((p, q) => p + q, 0) / xs.length;

/** Periodic distance on the ring, in (−RING/2, RING/2]. */
const wrap = (d: number) => d - RING * Math.round(d / RING);

/**
 * Where the traffic is slowest near `around`: the speed field interpolated between the cars
 * (Gaussian kernel, σ = 8 m, on the cars' centres) and its minimum within ±30 m of `around`
 * (or anywhere when `around` is null). A smooth field gives the position of the slowest car
 * without jumping between cars that all stand still in the same jam.
 */
function slowestPoint(w: World, around: number | null): number {
  const s = w.state;
  const xs: number[] = [];
  const vs: number[] = [];
  for (const i of w.vehicles()) {
    xs.push(s.pos[i] - LEN / 2);
    vs.push(s.speed[i]);
  }
  const sigma = 8;
  let best = Infinity;
  let at = 0;
  for (let g = 0; g < RING * 4; g++) {
    const x = g / 4;
    if (around !== null && Math.abs(wrap(x - around)) > 30) continue;
    let num = 0;
    let den = 0;
    for (let k = 0; k < xs.length; k++) {
      const d = wrap(x - xs[k]);
      const kw = Math.exp(-(d * d) / (2 * sigma * sigma));
      num += kw * vs[k];
      den += kw;
    }
    const v = num / den;
    if (v < best) {
      best = v;
      at = x;
    }
  }
  return at;
}

describe('ring road, stable parameters (contract ring.yaml as written: A = 1.0, B = 1.5)', () => {
  it('after 600 s every car drives at the equilibrium speed of the mean gap, all at the same speed', () => {
    const w = ringWorld();
    expect(w.scenario.duration).toBe(600);
    expect(w.scenario.network.ring).toEqual({ length: RING, lanes: 1, speedLimit: 30 });
    expect(w.scenario.vehicleTypes.car).toMatchObject({ length: LEN, maxSpeed: 30, accel: 1.0, decel: 1.5, headway: 1.5, minGap: 2.0 });
    w.run();
    expect(w.time).toBeCloseTo(600, 9);
    const p: IdmParams = { accel: 1.0, decel: 1.5, headway: 1.5, minGap: 2, length: LEN };
    const gap = RING / CARS - LEN;
    const ve = equilibriumSpeed(p, gap, 30);
    expect(ve).toBeGreaterThan(2.2); // (gap − s0)/T ≈ 2.30 m/s
    expect(ve).toBeLessThan(2.4);
    const v = speeds(w);
    expect(v).toHaveLength(CARS);
    for (const x of v) expect(Math.abs(x - ve) / ve).toBeLessThan(0.005);
    expect(Math.max(...v) - Math.min(...v)).toBeLessThan(1e-6);
    // evenly spaced: every gap is the mean gap
    for (const g of ringGaps(w)) expect(g).toBeCloseTo(gap, 3);
    expect(w.totals.collisions).toBe(0);
    expect(w.totals.minGap).toBeGreaterThanOrEqual(0);
    expect(w.totals).toMatchObject({ inserted: CARS, arrived: 0, removed: 0 });
  });
});

describe('ring road, unstable parameters (A = 0.5, B = 3.0, jitter 1 m)', () => {
  it('forms stop-and-go waves that travel upstream at −5 to −30 km/h, without collisions', () => {
    const w = ringWorld(['vehicleTypes.car.accel=0.5', 'vehicleTypes.car.decel=3.0', 'demand.0.place.jitter=1', 'duration=1300']);
    let minGap = Infinity;
    const checkGaps = () => {
      const g = Math.min(...ringGaps(w));
      if (g < minGap) minGap = g;
    };
    w.start();
    while (w.time < 1200 - 1e-9) {
      w.step();
      checkGaps();
    }

    // stop-and-go: some cars (nearly) stand while others drive at more than twice the mean speed
    const v = speeds(w);
    const vMean = mean(v);
    expect(vMean).toBeGreaterThan(0.3);
    expect(Math.min(...v)).toBeLessThan(0.5);
    expect(Math.max(...v)).toBeGreaterThan(2 * vMean);

    // the wave: follow the slowest point of the traffic for 60 s (unwrapped around the ring)
    let at = slowestPoint(w, null);
    const start = at;
    let unwrapped = at;
    let carsForward = 0;
    for (let k = 0; k < 600; k++) {
      const before = new Map<number, number>();
      for (const i of w.vehicles()) before.set(w.state.id[i], w.state.pos[i]);
      w.step();
      checkGaps();
      for (const i of w.vehicles()) if (wrap(w.state.pos[i] - before.get(w.state.id[i])!) >= 0) carsForward++;
      if ((k + 1) % 5 === 0) {
        const next = slowestPoint(w, at);
        unwrapped += wrap(next - at);
        at = next;
      }
    }
    const waveSpeedKmh = ((unwrapped - start) / 60) * 3.6;
    expect(waveSpeedKmh).toBeLessThan(-5);
    expect(waveSpeedKmh).toBeGreaterThan(-30);
    // while the cars themselves only ever move forward
    expect(carsForward).toBe(600 * CARS);

    expect(minGap).toBeGreaterThanOrEqual(0);
    expect(w.totals.collisions).toBe(0);
    expect(w.totals.minGap).toBeGreaterThanOrEqual(0);
    expect(w.totals).toMatchObject({ inserted: CARS, arrived: 0, removed: 0 });
  });
});
