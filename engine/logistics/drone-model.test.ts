// Drone energy and flight time against values computed by hand, and a simulated mission that
// takes exactly its planned time and energy.
import { describe, expect, it } from 'vitest';
import { logisticsSchema } from '../spec/schema-logistics.js';
import { DroneModel } from './drone-model.js';
import { D_IDLE, DroneFleet } from './drones.js';
import { groundSpeed } from './wind.js';

const spec = logisticsSchema.parse({ hubs: [{ id: 'h', edge: 'e' }], dronePorts: [{ id: 'p', x: 0, y: 0, hub: 'h', drones: 1, pads: 1, swapTime: 60 }] });

describe('drone power and mission plan', () => {
  const m = new DroneModel(spec.drone);
  it('cruise and hover power by hand (defaults: 7 kg, L/D 3, η 0.5, 100 W avionics, 0.8 m² rotors)', () => {
    // cruise with 2.5 kg: 9.5 · 9.81 · 20 / (0.5 · 3) + 100 = 1242.6 + 100 = 1342.6 W
    expect(m.cruisePower(2.5)).toBeCloseTo(1342.6, 1);
    // empty: 7 · 9.81 · 20 / 1.5 + 100 = 915.6 + 100 = 1015.6 W
    expect(m.cruisePower(0)).toBeCloseTo(1015.6, 1);
    // hover with 2.5 kg: (9.5 · 9.81)^1.5 / sqrt(2 · 1.225 · 0.8) / 0.5 + 100
    //   = 93.195^1.5 = 899.67; sqrt(1.96) = 1.4; 899.67 / 1.4 / 0.5 = 1285.24; + 100 = 1385.24 W
    expect(m.hoverPower(2.5)).toBeCloseTo(1385.24, 1);
  });

  it('a 4 km mission with 2 kg in calm air', () => {
    const p = m.plan(4000, 2, 0)!;
    // times: pad 15, climb 100/5 = 20, cruise 4000/20 = 200, descend 90/3 = 30, drop 30 → 295 s
    expect(p.toDelivery).toBeCloseTo(295, 9);
    // back: climb 90/5 = 18, cruise 200, land 100/3 = 33.33, pad 15 → total 561.33 s
    expect(p.total).toBeCloseTo(295 + 18 + 200 + 100 / 3 + 15, 9);
    // energy: loaded hover (20 + 30 + 30 s) + loaded cruise 200 s + empty hover (18 + 33.33 s) + empty cruise 200 s
    const byHand = (m.hoverPower(2) * 80 + m.cruisePower(2) * 200 + m.hoverPower(0) * (18 + 100 / 3) + m.cruisePower(0) * 200) / 3600;
    expect(p.energyWh).toBeCloseTo(byHand, 9);
    // in numbers: 9 kg → cruise 1277.2 W, hover 88.29^1.5 / 0.7 + 100 = 1285.2 W; 7 kg → cruise 1015.6 W,
    // hover 68.67^1.5 / 0.7 + 100 = 912.9 W; 1285.2·80 + 1277.2·200 + 912.9·51.33 + 1015.6·200 = 608,240 J = 168.96 Wh
    expect(p.energyWh).toBeCloseTo(168.95, 1);
  });

  it('a head wind slows the cruise and costs energy; no headway at all is no plan', () => {
    const calm = m.plan(4000, 2, 0)!;
    const windy = m.plan(4000, 2, 10)!;
    expect(windy.toDelivery - calm.toDelivery).toBeCloseTo(4000 / 10 - 4000 / 20, 9);
    expect(windy.energyWh).toBeGreaterThan(calm.energyWh);
    expect(m.plan(4000, 2, 20)).toBeNull();
  });

  it('ground speed with cross and tail winds', () => {
    expect(groundSpeed(20, 1, 0, 5, 0)).toBeCloseTo(25, 12); // tail
    expect(groundSpeed(20, 1, 0, -5, 0)).toBeCloseTo(15, 12); // head
    expect(groundSpeed(20, 1, 0, 0, 12)).toBeCloseTo(16, 12); // cross: sqrt(400 − 144)
    expect(groundSpeed(20, 1, 0, 0, 25)).toBe(0);
  });
});

describe('a simulated mission', () => {
  it('takes its planned time to the drop and back, and uses its planned energy (calm air, any step)', () => {
    for (const dt of [0.1, 0.25, 1]) {
      const fleet = new DroneFleet(spec, new Map([['h', 0]]));
      let deliveredAt = NaN;
      const landed: { order: number; flown: number; wh: number }[] = [];
      const listener = {
        delivered: (_k: number, _o: number, t: number) => (deliveredAt = t),
        released: () => {},
        landed: (_k: number, order: number, flown: number, wh: number) => landed.push({ order, flown, wh }),
      };
      fleet.launch(0, 7, 2, [0, 0, 3000, 4000], 0); // a 5 km straight path
      const plan = fleet.model.plan(5000, 2, 0)!;
      let t = 0;
      while (fleet.phase[0] !== D_IDLE && t < 5000) {
        fleet.step(t, dt, 0, 0, listener);
        t += dt;
        expect(fleet.z[0]).toBeLessThanOrEqual(spec.drone.cruiseAltitude + 1e-9);
      }
      expect(deliveredAt).toBeCloseTo(plan.toDelivery, 6);
      // back in the dock after the mission and the battery swap
      expect(t).toBeGreaterThanOrEqual(plan.total + 60 - 1e-6);
      expect(t).toBeLessThan(plan.total + 60 + dt + 1e-6);
      expect(fleet.energyUsed[0]).toBeCloseTo(plan.energyWh, 6);
      expect(fleet.flown[0]).toBeCloseTo(10000, 6);
      expect(fleet.battery[0]).toBe(spec.drone.battery); // swapped
      // the landing reports the mission's own figures, for its order
      expect(landed).toHaveLength(1);
      expect(landed[0].order).toBe(7);
      expect(landed[0].flown).toBeCloseTo(10000, 6);
      expect(landed[0].wh).toBeCloseTo(plan.energyWh, 6);
    }
  });

  it('in a wind it arrives no later and uses no more than planned for that wind speed head-on', () => {
    const fleet = new DroneFleet(spec, new Map([['h', 0]]));
    let deliveredAt = NaN;
    fleet.launch(0, 1, 2.5, [0, 0, 4000, 0], 0);
    const plan = fleet.model.plan(4000, 2.5, 8)!;
    let t = 0;
    let lowest = Infinity;
    while (fleet.phase[0] !== D_IDLE && t < 5000) {
      // 8 m/s from the north-west
      fleet.step(t, 0.1, 8 * Math.SQRT1_2, -8 * Math.SQRT1_2, { delivered: (_k, _o, at) => (deliveredAt = at), released: () => {}, landed: () => {} });
      lowest = Math.min(lowest, fleet.battery[0]);
      t += 0.1;
    }
    expect(deliveredAt).toBeLessThanOrEqual(plan.toDelivery + 1e-9);
    expect(spec.drone.battery - lowest).toBeLessThanOrEqual(plan.energyWh + 1e-9);
  });
});
