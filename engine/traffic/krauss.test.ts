// Krauss drivers (kinematics.ts, kraussSafeSpeed and kraussAccel; step.ts, eulerAdvance) against
// the model's own equations (Krauß 1998), on the contract ring (scenarios/ring.yaml):
//  - a lone driver accelerates at a per step and moves by the Euler update, x += v'·dt;
//  - in a homogeneous platoon the safe speed is the speed whose gap is s0 + v·τ;
//  - dawdling σ takes σ·a·dt·η (η uniform in [0, 1)) off the cruising speed: on average
//    σ·a·dt/2 below the desired speed, ten times less at step 0.1 than at step 1;
//  - no two drivers ever overlap, at step 1 and 0.1, IDM and Krauss drivers mixed.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ringYaml = join(root, 'scenarios', 'ring.yaml');
const RING = 230;

function ring(overrides: string[]): World {
  return new World(loadScenario(ringYaml, { overrides: ['vehicleTypes.car.carFollowing=krauss', ...overrides] }).scenario);
}

const mean = (xs: number[]) => xs.reduce((p, q) => p + q, 0) / xs.length;

describe('Krauss drivers', () => {
  it('a lone driver: speed a·k·dt and position by the Euler update after k steps, capped at the desired speed', () => {
    const w = ring(['demand.0.place.count=1', 'step=1', 'vehicleTypes.car.accel=2', 'vehicleTypes.car.maxSpeed=9', 'duration=10']);
    w.step(); // placed at rest, then the first step: v = a·dt
    const i = [...w.vehicles()][0];
    expect(w.state.speed[i]).toBeCloseTo(2, 9);
    let travelled = 0;
    let expected = 0;
    for (let k = 2; k <= 8; k++) {
      const before = w.state.pos[i];
      w.step();
      const after = w.state.pos[i];
      travelled += after >= before ? after - before : after + RING - before;
      const v = Math.min(2 * k, 9);
      expected += v; // x += v'·dt, dt = 1 (the ballistic update would give 2·k − 1 per step)
      expect(w.state.speed[i]).toBeCloseTo(v, 9);
    }
    expect(travelled).toBeCloseTo(expected, 9);
  });

  it('a homogeneous platoon settles at the speed whose gap is s0 + v·τ (the safe speed of an equal leader)', () => {
    // 22 cars on 230 m: 10.45 m each, 5.45 m of gap; s0 = 2, τ = 1.5: v = (5.45 − 2)/1.5 = 2.3 m/s
    const w = ring(['vehicleTypes.car.accel=1.0', 'vehicleTypes.car.decel=4.5', 'duration=600']);
    while (w.time < 600) w.step();
    const gap = RING / 22 - 5;
    const vTheory = (gap - 2) / 1.5;
    const vs = [...w.vehicles()].map((i) => w.state.speed[i]);
    expect(Math.min(...vs)).toBeGreaterThan(vTheory - 0.02);
    expect(Math.max(...vs)).toBeLessThan(vTheory + 0.02);
  });

  for (const dt of [1, 0.1]) {
    it(`dawdling at step ${dt}: the cruising speed is on average σ·a·dt/2 below the desired speed`, () => {
      const sigma = 0.5;
      const A = 2.6;
      const w = ring(['demand.0.place.count=1', `step=${dt}`, `vehicleTypes.car.accel=${A}`, 'vehicleTypes.car.maxSpeed=15', `vehicleTypes.car.sigma=${sigma}`, 'duration=2000']);
      while (w.time < 100) w.step();
      const i = [...w.vehicles()][0];
      const samples: number[] = [];
      while (w.time < 2000) {
        w.step();
        samples.push(w.state.speed[i]);
      }
      // (a dawdle never exceeds a·dt, so the driver is back at v0 − dawdle after each step)
      const expected = 15 - (sigma * A * dt) / 2;
      expect(Math.abs(mean(samples) - expected)).toBeLessThan(0.05 * sigma * A * dt + 0.002);
      expect(Math.max(...samples)).toBeLessThanOrEqual(15 + 1e-9);
    });
  }

  for (const dt of [1, 0.1]) {
    it(`no overlap at step ${dt}: Krauss and IDM drivers mixed on a jammed ring`, () => {
      const w = new World(
        loadScenario(ringYaml, {
          overrides: [
            `step=${dt}`,
            'duration=300',
            'vehicleTypes.k.length=5',
            'vehicleTypes.k.maxSpeed=30',
            'vehicleTypes.k.accel=2.6',
            'vehicleTypes.k.decel=4.5',
            'vehicleTypes.k.headway=1',
            'vehicleTypes.k.minGap=2.5',
            'vehicleTypes.k.carFollowing=krauss',
            'vehicleTypes.k.sigma=0.5',
            'demand.1.place.type=k',
            'demand.1.place.count=10',
            'demand.1.place.speed=0',
            'demand.0.place.count=12',
          ],
        }).scenario,
      );
      while (w.time < 300) w.step();
      expect(w.totals.collisions).toBe(0);
      expect(w.totals.minGap).toBeGreaterThanOrEqual(0);
      expect(w.totals.inserted).toBe(22);
    });
  }
});
