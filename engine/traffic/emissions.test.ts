// Fuel and CO₂ against the published formulas, worked here by hand, and against sanity bounds.
import { describe, expect, it } from 'vitest';
import { vehicleClasses } from '../spec/schema.js';
import { parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import {
  CLASS_BUS,
  CLASS_CAR,
  CLASS_EMERGENCY,
  CLASS_TRUCK,
  CLASS_VAN,
  CO2_G_PER_L_DIESEL,
  CO2_G_PER_L_PETROL,
  co2GPerMl,
  fuelRateMlPerS,
  heavyFuelMlPerS,
  vtMicroFuelMlPerS,
} from './emissions.js';

/**
 * VT-Micro fuel, written out as Ahn et al. (2002) group it: ln F = Σ_j a^j · (c_j0 + c_j1·s + c_j2·s² + c_j3·s³),
 * s km/h, a km/h/s, F in L/s — coefficients re-typed here by acceleration power.
 */
function vtMicroByHand(s: number, a: number): number {
  const pos = [
    [-7.73452, 0.02799, -0.0002228, 1.09e-6],
    [0.22946, 0.0068, -0.00004402, 4.8e-8],
    [-0.00561, -0.00077221, 7.9e-7, 3.27e-8],
    [0.00009773, 0.00000838, 8.17e-7, -7.79e-9],
  ];
  const neg = [
    [-7.73452, 0.02804, -0.00021988, 1.08e-6],
    [-0.01799, 0.00772, -0.00005219, 2.47e-7],
    [-0.00427, 0.00083744, -7.44e-6, 4.87e-8],
    [0.00018829, -0.00003387, 2.77e-7, 3.79e-10],
  ];
  const c = a >= 0 ? pos : neg;
  let lnF = 0;
  for (let j = 0; j < 4; j++) lnF += a ** j * (c[j][0] + c[j][1] * s + c[j][2] * s ** 2 + c[j][3] * s ** 3);
  return Math.exp(lnF) * 1000; // mL/s
}

describe('VT-Micro light-duty fuel', () => {
  it('matches the published polynomial at hand-picked states', () => {
    // idling: exp(−7.73452) L/s
    expect(vtMicroFuelMlPerS(0, 0)).toBeCloseTo(Math.exp(-7.73452) * 1000, 10);
    expect(vtMicroFuelMlPerS(0, 0)).toBeCloseTo(0.4375, 3);
    // 50 km/h steady: exp(−7.73452 + 0.02799·50 − 0.0002228·50² + 1.09e−6·50³) L/s
    expect(vtMicroFuelMlPerS(50 / 3.6, 0)).toBeCloseTo(Math.exp(-7.73452 + 0.02799 * 50 - 0.0002228 * 2500 + 1.09e-6 * 125000) * 1000, 10);
    // accelerating and decelerating (inside the envelope, below the monotonicity cap)
    for (const [v, a] of [
      [10, 1],
      [5, 2],
      [20, 0.5],
      [15, -1],
      [25, -0.4],
      [2, -1.5],
    ]) {
      expect(vtMicroFuelMlPerS(v, a)).toBeCloseTo(vtMicroByHand(v * 3.6, a * 3.6), 10);
    }
  });

  it('idles above zero, burns more the harder it accelerates, less when coasting', () => {
    expect(vtMicroFuelMlPerS(0, 0)).toBeGreaterThan(0);
    for (let kmh = 0; kmh <= 120; kmh += 10) {
      let last = vtMicroFuelMlPerS(kmh / 3.6, 0);
      // coasting while moving (at standstill a deceleration is not a state the data hold)
      if (kmh > 0) expect(vtMicroFuelMlPerS(kmh / 3.6, -0.5)).toBeLessThanOrEqual(last);
      for (let a = 0.25; a <= 3.7; a += 0.25) {
        const f = vtMicroFuelMlPerS(kmh / 3.6, a);
        expect(f).toBeGreaterThanOrEqual(last); // never falls (capped where the fit would turn down)
        last = f;
      }
      expect(last).toBeGreaterThan(vtMicroFuelMlPerS(kmh / 3.6, 0));
    }
  });

  it('a car at a steady 50 km/h uses 5–9 L/100 km (8.4 with these coefficients)', () => {
    const v = 50 / 3.6;
    const lPer100km = (vtMicroFuelMlPerS(v, 0) / 1000 / v) * 100_000;
    expect(lPer100km).toBeGreaterThan(5);
    expect(lPer100km).toBeLessThan(9);
    expect(lPer100km).toBeCloseTo(8.38, 1);
  });

  it('clamps outside the measured envelope: hard braking as −1.5 m/s², speed at 121 km/h', () => {
    expect(vtMicroFuelMlPerS(12, -6)).toBe(vtMicroFuelMlPerS(12, -1.5));
    expect(vtMicroFuelMlPerS(200 / 3.6, 0)).toBeCloseTo(vtMicroFuelMlPerS(121 / 3.6, 0), 10);
    expect(vtMicroFuelMlPerS(200 / 3.6, 0)).toBe(vtMicroFuelMlPerS(150 / 3.6, 0));
    expect(vtMicroFuelMlPerS(-3, 0)).toBe(vtMicroFuelMlPerS(0, 0));
    expect(Number.isFinite(vtMicroFuelMlPerS(10, NaN))).toBe(true);
  });
});

describe('heavy vehicles and classes', () => {
  it('the power model by hand: α + (M·a + M·g·Cr + ½ρ·CdA·v²)·v / (η·E_v)', () => {
    const v = 12;
    const a = 0.4;
    const power = (11000 * a + 11000 * 9.81 * 0.007 + 0.5 * 1.2 * 6 * v * v) * v; // W
    const expected = 2000 / 3600 + power / (0.3 * 43 * 0.835 * 1e6) * 1000; // mL/s
    expect(heavyFuelMlPerS(v, a)).toBeCloseTo(expected, 12);
    // braking: idle only
    expect(heavyFuelMlPerS(v, -2)).toBeCloseTo(2000 / 3600, 12);
    expect(heavyFuelMlPerS(0, 0)).toBeCloseTo(2000 / 3600, 12);
  });

  it('class codes follow the scenario schema; buses and trucks burn more than cars; the van is electric', () => {
    expect(vehicleClasses[CLASS_CAR]).toBe('car');
    expect(vehicleClasses[CLASS_BUS]).toBe('bus');
    expect(vehicleClasses[CLASS_TRUCK]).toBe('truck');
    expect(vehicleClasses[CLASS_VAN]).toBe('van');
    expect(vehicleClasses[CLASS_EMERGENCY]).toBe('emergency');
    for (const [v, a] of [
      [0, 0],
      [10, 0],
      [14, 1],
    ]) {
      expect(fuelRateMlPerS(CLASS_BUS, v, a)).toBeGreaterThan(fuelRateMlPerS(CLASS_CAR, v, a));
      expect(fuelRateMlPerS(CLASS_TRUCK, v, a)).toBe(fuelRateMlPerS(CLASS_BUS, v, a));
      expect(fuelRateMlPerS(CLASS_EMERGENCY, v, a)).toBe(fuelRateMlPerS(CLASS_CAR, v, a));
      expect(fuelRateMlPerS(CLASS_VAN, v, a)).toBe(0);
    }
  });

  it('CO₂ factors are the EPA figures per litre', () => {
    expect(CO2_G_PER_L_PETROL).toBeCloseTo(2347.7, 1);
    expect(CO2_G_PER_L_DIESEL).toBeCloseTo(2689.3, 1);
  });
});

describe('fuel and CO₂ in the engine (the move phase samples each vehicle once a simulated second)', () => {
  it('a minute at a steady 50 km/h adds up to the per-second rate × 60, and CO₂ follows the fuel', () => {
    const v = 50 / 3.6;
    const { scenario } = parseScenario(
      `
name: steady
duration: 60
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 5000, y: 0 } ]
  edges: [ { id: ab, from: a, to: b, lanes: 1, speedLimit: ${v} } ]
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 1.5, decel: 2, headway: 1.2, minGap: 2 }
demand:
  - place: { type: car, count: 1, edge: ab, speed: ${v} }
`,
      'steady.yaml',
    );
    const w = new World(scenario);
    w.run(60);
    const s = w.state;
    const i = s.order[0];
    expect(s.speed[i]).toBeCloseTo(v, 9);
    expect(s.fuel[i]).toBeCloseTo(vtMicroFuelMlPerS(v, 0) * 60, 6);
    expect(s.co2[i]).toBeCloseTo(s.fuel[i] * co2GPerMl(CLASS_CAR), 9);
    // ≈ 833 m driven at 8.4 L/100 km ≈ 70 mL, ≈ 164 g CO₂
    expect(s.fuel[i]).toBeGreaterThan(60);
    expect(s.fuel[i]).toBeLessThan(80);
  });
});
