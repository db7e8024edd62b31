// The contract corridor (contract/corridor.yaml): a 2 km single-lane road fed at 4,000 veh/h,
// more than a lane can carry. The detector at 1,500 m must then measure the lane's capacity,
// which the IDM fixes through its equilibrium relation (docs/models.md: Q = v/(s_e(v) + l)
// maximised over v, about 1,840 veh/h for this vehicle type), and the surplus demand must wait
// in the insertion queue, never be dropped.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import type { DetectorEvent } from '../sim/events.js';
import { laneCapacity } from './idm.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// the contract scenarios, as copied into the repository (contract-copies.test.ts keeps them equal)
const contract = join(root, 'scenarios');

describe('corridor at capacity (contract corridor.yaml, run unchanged: 3600 s)', () => {
  const { scenario } = loadScenario(join(contract, 'corridor.yaml'));
  const car = scenario.vehicleTypes.car;
  const flow = (scenario.demand[0] as { flow: { rate: number; begin: number; end: number } }).flow;

  it('is the scenario the contract describes', () => {
    expect(scenario.duration).toBe(3600);
    expect(flow.rate).toBe(4000);
    expect(scenario.detectors).toEqual([{ id: 'q1500', edge: 'AB', pos: 1500, period: 300 }]);
    expect(car).toMatchObject({ length: 5, maxSpeed: 33.3, accel: 1, decel: 2, headway: 1.5, minGap: 2 });
  });

  it('measures the lane capacity at the detector and queues the surplus demand', () => {
    const w = new World(scenario);
    const cap = laneCapacity({ accel: car.accel, decel: car.decel, headway: car.headway, minGap: car.minGap, length: car.length }, 33.3);
    const capPerHour = cap.flow * 3600;
    expect(Math.abs(capPerHour - 1840) / 1840).toBeLessThan(0.01);

    const reports: DetectorEvent[] = [];
    let departs = 0;
    let arrives = 0;
    let removes = 0;
    let lastDepartId = -1;
    w.events$.subscribe((e) => {
      if (e.kind === 'detector') reports.push(e);
      else if (e.kind === 'depart') {
        expect(e.id).toBe(lastDepartId + 1); // ids in insertion order, none skipped
        lastDepartId = e.id;
        departs++;
      } else if (e.kind === 'arrive') arrives++;
      else if (e.kind === 'remove') removes++;
    });

    // departures scheduled up to time t: begin + k·3600/rate <= t (as a flow defines them)
    const period = 3600 / flow.rate;
    const scheduled = (t: number) => {
      let n = 0;
      while (flow.begin + n * period <= t + 1e-9 && flow.begin + n * period < flow.end) n++;
      return n;
    };

    let maxWaiting = 0;
    w.start();
    while (w.tick < w.ticksTotal) {
      w.step();
      if (w.tick % 100 === 0) {
        // nothing dropped: every departure due so far has entered or is waiting to
        expect(w.totals.inserted + w.waiting).toBe(scheduled(w.time));
        expect(w.totals.inserted).toBe(w.totals.arrived + w.active + w.totals.removed);
        maxWaiting = Math.max(maxWaiting, w.waiting);
      }
    }
    w.finish();

    // the demand exceeds capacity: a queue that grows through the run
    expect(w.waiting).toBeGreaterThan(0);
    expect(maxWaiting).toBe(w.waiting);
    // 4000 due, about 1840 entered: the rest waits
    expect(w.totals.inserted + w.waiting).toBe(4000);
    expect(w.waiting).toBeGreaterThan(4000 - 1.05 * capPerHour);
    expect(w.waiting).toBeLessThan(4000 - 0.95 * capPerHour);
    expect(departs).toBe(w.totals.inserted);
    expect(arrives).toBe(w.totals.arrived);
    expect(removes).toBe(0);
    expect(w.totals.collisions).toBe(0);
    expect(w.totals.minGap).toBeGreaterThanOrEqual(0);

    // the detector: 12 periods of 300 s; steady state after the first two
    expect(reports.map((r) => [r.begin, r.end])).toEqual(Array.from({ length: 12 }, (_, k) => [300 * k, 300 * (k + 1)]));
    const steady = reports.slice(2);
    for (const r of steady) {
      expect(r.flow).toBeCloseTo((r.count * 3600) / 300, 6);
      expect(Math.abs(r.flow - capPerHour) / capPerHour).toBeLessThan(0.05);
      expect(r.meanSpeed).not.toBeNull();
      // a platoon at capacity drives near the capacity speed, well below the 33.3 m/s limit
      expect(r.meanSpeed!).toBeGreaterThan(0.9 * cap.speed);
      expect(r.meanSpeed!).toBeLessThan(33.3 * 0.8);
      expect(r.occupancy).toBeGreaterThan(0);
      expect(r.occupancy).toBeLessThan(1);
    }
    const steadyFlow = steady.reduce((p, r) => p + r.count, 0) / (steady.length * 300) * 3600;
    expect(Math.abs(steadyFlow - capPerHour) / capPerHour).toBeLessThan(0.02);
  });
});
