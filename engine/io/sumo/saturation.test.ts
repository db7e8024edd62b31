// Queue discharge at a signal against SUMO 1.15 on the same files: one signalised junction of
// netconvert's default fixed-time program (42 s green, 3 s yellow, 90 s cycle) fed with more
// than its greens carry, so that every green starts a standing queue
// (bench/sumo/fixtures/satx.*, README there, with SUMO's figures). Krauss drivers without
// dawdling, as Hamburg's automated types, cars alone and with one truck in five.
//
// What a green carries is the saturation flow, which sets the delay at every signalised
// approach of a city. At step 1 a leaving platoon was held ~1.5 m/s below its leader
// (kinematics.ts, eulerStopSpeed): 24 cars a green where SUMO passes 27, and Hamburg's signalised
// centre jammed at step 1 but not at 0.1. Asserted: the cars a green carries in ten saturated
// cycles, exactly SUMO's for cars alone and within one for the mix (the trucks' start differs by
// a step); with dawdling (random draws of each simulator's own) the mean over the ten within
// half a vehicle and each within two; the mean trip within 2 % (cars), 3 % (dawdling) and 5 %
// (mix) of SUMO's; no collision.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importSumo } from './import.js';
import { scenarioYaml } from './yaml.js';
import { parseScenario } from '../scenario/index.js';
import { World } from '../../sim/world.js';

const fixtures = join(fileURLToPath(new URL('../../../', import.meta.url)), 'bench', 'sumo', 'fixtures');
const CYCLE = 90;

interface Discharge {
  perCycle: number[];
  meanTrip: number;
  arrived: number;
  collisions: number;
}

/** The approach's trips (flows c and t, A → C) arriving per cycle 5 … 14, and their mean trip. */
function run(routes: string, step: number): Discharge {
  const imported = importSumo({ net: join(fixtures, 'satx.net.xml'), routes: [join(fixtures, routes)], duration: 3600 });
  const text = scenarioYaml(imported.scenario, ['test']);
  const w = new World(parseScenario(text, `${routes}.yaml`, { overrides: [`step=${step}`] }).scenario);
  const arrivals: number[] = [];
  let total = 0;
  w.events$.subscribe((e) => {
    if (e.kind !== 'arrive' || !/^[ct]\./.test(String(e.tripId))) return;
    arrivals.push(e.time);
    total += e.time - e.depart;
  });
  while (w.tick < w.ticksTotal) w.step();
  const perCycle = Array.from({ length: 10 }, (_, k) => arrivals.filter((t) => Math.floor(t / CYCLE) === k + 5).length);
  return { perCycle, meanTrip: total / arrivals.length, arrived: arrivals.length, collisions: w.totals.collisions };
}

// SUMO 1.15 on the same files (README): vehicles of the approach arriving per cycle, mean trip (s);
// the tolerances: each cycle's count, the ten cycles' mean count, the mean trip (share)
interface Want {
  perCycle: number;
  meanTrip: number;
  each: number;
  mean: number;
  tolerance: number;
}
const exact = { each: 0, mean: 0, tolerance: 0.02 };
const sumo: Record<string, Record<number, Want>> = {
  'satx-cars.rou.xml': { 1: { perCycle: 27, meanTrip: 136.17, ...exact }, 0.1: { perCycle: 28, meanTrip: 135.76, ...exact } },
  'satx-mixed.rou.xml': { 1: { perCycle: 24, meanTrip: 150.38, each: 1, mean: 1, tolerance: 0.05 }, 0.1: { perCycle: 25, meanTrip: 148.29, each: 1, mean: 1, tolerance: 0.05 } },
  'satx-dawdle.rou.xml': { 1: { perCycle: 22, meanTrip: 163.01, each: 2, mean: 0.5, tolerance: 0.03 }, 0.1: { perCycle: 27, meanTrip: 140.68, each: 2, mean: 0.5, tolerance: 0.03 } },
};

describe("a saturated signal's discharge against SUMO on the same files", () => {
  for (const [routes, bySteps] of Object.entries(sumo)) {
    for (const step of [1, 0.1]) {
      it(`${routes}, step ${step}`, () => {
        const want = bySteps[step];
        const got = run(routes, step);
        expect(got.arrived).toBe(750);
        expect(got.collisions).toBe(0);
        const why = `per cycle: roadtwin ${got.perCycle.join(' ')}, SUMO ${want.perCycle}`;
        for (const n of got.perCycle) expect(Math.abs(n - want.perCycle), why).toBeLessThanOrEqual(want.each);
        const mean = got.perCycle.reduce((a, b) => a + b, 0) / got.perCycle.length;
        expect(Math.abs(mean - want.perCycle), why).toBeLessThanOrEqual(want.mean);
        expect(Math.abs(got.meanTrip / want.meanTrip - 1), `mean trip: roadtwin ${got.meanTrip.toFixed(2)} s, SUMO ${want.meanTrip} s`).toBeLessThanOrEqual(want.tolerance);
      });
    }
  }
});
