// Vehicle type distributions: each vehicle draws its type counter-based from (seed, demand
// entry, its number in the entry), so the shares follow the weights and a vehicle has the same
// type whatever the number of threads.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario, type Scenario } from '../io/scenario/index.js';
import { ScenarioError } from '../io/scenario/errors.js';
import { World } from '../sim/world.js';
import { InlineRunner, type PhaseRunner } from '../core/runner.js';
import { ParallelRunner } from '../parallel/parallel.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist', 'engine', 'parallel', 'worker.js'));

const yaml = (extra = '') => `
name: mix
duration: 2100
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 400, y: 0 } ]
  edges: [ { id: ab, from: a, to: b, lanes: 3, speedLimit: 20, laneClasses: [ null, null, [car, van] ] } ]
vehicleTypes:
  car: { length: 4.5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.0, minGap: 2, speedDev: 0.1 }
  van: { length: 6, maxSpeed: 25, accel: 1.5, decel: 3, headway: 1.2, minGap: 2, class: van }
  truck: { length: 12, maxSpeed: 22, accel: 1.0, decel: 2.5, headway: 1.5, minGap: 2.5 }
vehicleTypeDistributions:
  mix: { car: 6, van: 3, truck: 1 }
demand:
  - flow: { id: f, type: mix, route: [ab], period: 1, begin: 0, end: 2000 }
  - flow: { id: s, type: truck, route: [ab], period: 120, begin: 0, end: 2000, stops: [ { edge: ab, pos: 200, duration: 5, until: 30, lane: 1 } ] }
${extra}`;

async function departTypes(scenario: Scenario, threads: number): Promise<{ types: string[]; hash: string }> {
  const runner: PhaseRunner<World> = threads > 1 ? await ParallelRunner.start(threads, { inlineBelow: 0 }) : new InlineRunner(1);
  try {
    const w = new World(scenario, { runner });
    const types: string[] = [];
    w.events$.subscribe((e) => {
      if (e.kind === 'depart') types.push(`${e.tripId}:${e.type}`);
    });
    w.run();
    return { types, hash: w.stateHash() };
  } finally {
    await runner.close();
  }
}

describe('vehicle type distributions', () => {
  it('draw shares that match the weights (binomial bound over 2,000 vehicles)', async () => {
    const types = (await departTypes(parseScenario(yaml(), 'mix.yaml').scenario, 1)).types.filter((t) => t.startsWith('f.'));
    expect(types).toHaveLength(2000);
    const n = types.length;
    for (const [name, p] of [['car', 0.6], ['van', 0.3], ['truck', 0.1]] as const) {
      const k = types.filter((t) => t.endsWith(`:${name}`)).length;
      // within 4 standard deviations of n·p
      expect(Math.abs(k - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)));
    }
    // flow vehicles are named as SUMO names them
    expect(types[0].startsWith('f.0:')).toBe(true);
    expect(types[1999].startsWith('f.1999:')).toBe(true);
  });

  // (with a lane for cars and vans only, and a truck stopping on a lane of its own, so that the
  // worker threads read the lane permissions and the stops' lanes and until times)
  it('give every vehicle the same type for another seed only by chance, for any number of threads exactly', { timeout: 60_000 }, async () => {
    const s = parseScenario(yaml(), 'mix.yaml').scenario;
    const one = await departTypes(s, 1);
    const other = await departTypes({ ...s, seed: s.seed + 1 }, 1);
    expect(other.types).not.toEqual(one.types);
    if (!built) return;
    const three = await departTypes(s, 3);
    expect(three.types).toEqual(one.types);
    expect(three.hash).toBe(one.hash);
  });

  it('are checked: members exist, names do not clash with types, only trips and flows draw from them', () => {
    const bad = yaml(`  - place: { type: mix, count: 2, edge: ab }
`).replace('mix: { car: 6, van: 3, truck: 1 }', 'mix: { car: 6, lorry: 1 }\n  van: { car: 1 }');
    let messages: string[] = [];
    try {
      parseScenario(bad, 'bad.yaml');
    } catch (err) {
      messages = (err as ScenarioError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    expect(messages).toContain("vehicleTypeDistributions.mix.lorry: unknown vehicle type 'lorry'");
    expect(messages).toContain("vehicleTypeDistributions.van: 'van' is a vehicle type too; a distribution needs a name of its own");
    expect(messages).toContain("demand.2.place.type: 'mix' is a vehicle type distribution; only a trip or a flow may draw from one");
  });
});
