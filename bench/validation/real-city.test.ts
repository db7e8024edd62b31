/**
 * A real city in the test suite: the first 15 minutes of Bologna Pasubio's demand (its own SUMO
 * files, bench/validation/scenarios/bologna-pasubio, imported from their .sumocfg), run to the
 * end at step 1 s and 0.1 s: no collision, no vehicle lost, and the mean trip against SUMO's for
 * the same vehicles.
 *
 * SUMO's figure: `sumo -c run.sumocfg --step-length S --tripinfo-output ti.xml` (SUMO 1.15.0),
 * the mean `duration` of the tripinfos whose `depart` is before 900 s (2,195 vehicles): 240.2 s at
 * step 1 (the last arriving at 1,695 s), 202.1 s at step 0.1 (the last at 1,556 s). In the full run those vehicles share the road with the
 * later ones only at the end of their trips, so the figure of the part is the one to compare with.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importSumo } from '../../engine/io/sumo/import.js';
import { scenarioYaml } from '../../engine/io/sumo/yaml.js';
import { parseScenario } from '../../engine/io/scenario/index.js';
import { World } from '../../engine/sim/world.js';

const config = fileURLToPath(new URL('./scenarios/bologna-pasubio/run.sumocfg', import.meta.url));
const DEPART_BEFORE = 900;
const END = 2700;
const SUMO_MEAN_TRIP: Record<number, number> = { 1: 240.2, 0.1: 202.1 };

function pasubioPart(step: number) {
  const imported = importSumo({ config, duration: END });
  const sc = imported.scenario as unknown as { demand: { trips?: { depart: number }[] }[]; step?: number };
  sc.demand = sc.demand.map((d) => (d.trips ? { trips: d.trips.filter((t) => t.depart < DEPART_BEFORE) } : d)).filter((d) => !d.trips || d.trips.length > 0);
  sc.step = step;
  const trips = sc.demand.reduce((n, d) => n + (d.trips?.length ?? 0), 0);
  const { scenario } = parseScenario(scenarioYaml(imported.scenario, []), 'pasubio-part.yaml');
  return { scenario, trips };
}

function run(step: number) {
  const { scenario, trips } = pasubioPart(step);
  const w = new World(scenario);
  let travel = 0;
  w.events$.subscribe((e) => {
    if (e.kind === 'arrive') travel += e.time - e.depart;
  });
  while (w.tick < w.ticksTotal) w.step();
  return { w, trips, mean: travel / w.totals.arrived };
}

describe('a real city: Bologna Pasubio, the first 15 minutes of its demand', () => {
  it('at step 1 s every vehicle arrives, none is removed or collides, the mean trip within 15 % of SUMO\'s', () => {
    const { w, trips, mean } = run(1);
    expect(trips).toBeGreaterThan(2000);
    expect(w.totals.collisions).toBe(0);
    expect(w.totals.minGap).toBeGreaterThanOrEqual(0);
    expect(w.totals.removed).toBe(0);
    expect(w.totals.inserted).toBe(trips);
    expect(w.totals.arrived).toBe(trips);
    expect(Math.abs(mean - SUMO_MEAN_TRIP[1]) / SUMO_MEAN_TRIP[1]).toBeLessThanOrEqual(0.15);
  }, 300_000);

  // Pasubio's types are SUMO's Krauss drivers (sigma 0.5), imported as roadtwin's Krauss drivers,
  // which dawdle once per step and move by the Euler update as SUMO's do; so roadtwin's mean trip
  // falls from step 1 to 0.1 as SUMO's does (240 → 202 s). When this was written: 250.4 s at step 1
  // (+4.2 %), 203.5 s at 0.1 (+0.7 %); with them run as IDM drivers, 240.4 and 234.8 s (+16 % at 0.1).
  it('at step 0.1 s every vehicle arrives, none is removed or collides, the mean trip within 15 % of SUMO\'s', () => {
    const { w, trips, mean } = run(0.1);
    expect(w.totals.collisions).toBe(0);
    expect(w.totals.minGap).toBeGreaterThanOrEqual(0);
    expect(w.totals.removed).toBe(0);
    expect(w.totals.inserted).toBe(trips);
    expect(w.totals.arrived).toBe(trips);
    expect(Math.abs(mean - SUMO_MEAN_TRIP[0.1]) / SUMO_MEAN_TRIP[0.1]).toBeLessThanOrEqual(0.15);
  }, 300_000);
});
