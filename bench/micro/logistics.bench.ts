/**
 * Micro benchmarks of unmanned logistics on the Laoshan scenario after 20 minutes (drones in the
 * air, robots on the sidewalks, vans on tours, orders waiting): one logistics step (drones,
 * robots, vans, and a dispatch round every dispatchInterval), and the whole tick around it.
 * `npm run bench:micro`.
 */
import { bench, describe } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../engine/io/scenario/index.js';
import { World } from '../../engine/sim/world.js';

const file = fileURLToPath(new URL('../../scenarios/laoshan.yaml', import.meta.url));
const { scenario } = loadScenario(file, { overrides: ['duration=3600'] });
const world = new World(scenario);
world.run(1200);
const logistics = world.logistics!;

describe(`unmanned logistics on Laoshan at 20 min (${logistics.orders.count} orders in the hour)`, () => {
  bench('logistics step: drones, robots, vans (and dispatch when due)', () => {
    logistics.step();
  });

  bench('whole tick with traffic, V2X and logistics (advances the simulation)', () => {
    world.step();
  });
});
