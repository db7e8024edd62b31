// Property (fast-check): on random chains of edges with random lane classes and random demand of
// cars and buses with random departLane, departPos and arrivalPos, after every tick
//  - every vehicle is on a lane its class may use;
//  - no vehicle overlaps its leader on the same lane (the insertion ahead of a lane's start and
//    every lane change keep the safety envelope);
//  - inserted = arrived + active + removed, and every due departure was inserted, is waiting or
//    was refused with an event.
// A fixed seed keeps CI reproducible; FC_SEED and FC_RUNS explore further.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20261202;
const RUNS = process.env.FC_RUNS !== undefined ? Number(process.env.FC_RUNS) : 40;

const laneClass = fc.constantFrom('null', 'null', 'null', '[bus, emergency]', '[car]', '[bus]');
const place = fc.record({
  lane: fc.constantFrom(undefined, 'best', 'first', 'free', 'random', 0, 1),
  pos: fc.constantFrom(undefined, 'base', 'random', 'free', 50, 180),
  arrival: fc.constantFrom(undefined, 'max', 'random', 100, -40),
});
const scenario = fc.record({
  edges: fc.array(fc.record({ lanes: fc.integer({ min: 1, max: 3 }), classes: fc.array(laneClass, { minLength: 3, maxLength: 3 }), length: fc.integer({ min: 150, max: 400 }) }), { minLength: 1, maxLength: 3 }),
  flows: fc.array(fc.record({ bus: fc.boolean(), period: fc.integer({ min: 2, max: 12 }), place }), { minLength: 1, maxLength: 4 }),
  step: fc.constantFrom(0.1, 0.2, 0.5),
});

const opt = (key: string, v: string | number | undefined) => (v === undefined ? '' : `, ${key}: ${v}`);

type Spec = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function yamlOf(s: Spec): string {
  let x = 0;
  const nodes = [`{ id: n0, x: 0, y: 0 }`];
  const edges: string[] = [];
  s.edges.forEach((e, k) => {
    x += e.length;
    nodes.push(`{ id: n${k + 1}, x: ${x}, y: 0 }`);
    edges.push(`    - { id: e${k}, from: n${k}, to: n${k + 1}, lanes: ${e.lanes}, speedLimit: 14, laneClasses: [ ${e.classes.slice(0, e.lanes).join(', ')} ] }`);
  });
  const route = s.edges.map((_, k) => `e${k}`).join(', ');
  const flows = s.flows.map((f, k) => {
    const lane = typeof f.place.lane === 'number' ? Math.min(f.place.lane, s.edges[0].lanes - 1) : f.place.lane;
    return `  - flow: { id: f${k}, type: ${f.bus ? 'bus' : 'car'}, route: [${route}], period: ${f.period}, begin: 0, end: 100${opt('departLane', lane)}${opt('departPos', f.place.pos)}${opt('arrivalPos', f.place.arrival)} }`;
  });
  return `
name: classes-property
duration: 120
step: ${s.step}
network:
  nodes: [ ${nodes.join(', ')} ]
  edges:
${edges.join('\n')}
vehicleTypes:
  car: { length: 4.5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.2, minGap: 2, speedDev: 0.1 }
  bus: { length: 12, maxSpeed: 20, accel: 1.0, decel: 2, headway: 1.5, minGap: 2.5 }
demand:
${flows.join('\n')}
`;
}

describe('lane classes, departLane, departPos and arrivalPos on random chains', () => {
  it('keep every vehicle on an admitted lane, never overlapping, and account for every departure', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(scenario, (spec) => {
        const yaml = yamlOf(spec);
        const w = new World(parseScenario(yaml, 'classes-property.yaml').scenario);
        let refusedEvents = 0;
        w.events$.subscribe((e) => {
          if (e.kind === 'refuse') refusedEvents++;
        });
        const net = w.net;
        const s = w.state;
        while (w.tick < w.ticksTotal) {
          w.step();
          for (let k = 0; k < w.order.count; k++) {
            const i = s.order[k];
            const lane = s.lane[i];
            if (!(net.laneAllow[lane] & (1 << w.types.classCode[s.type[i]]))) throw new Error(`vehicle ${s.id[i]} (${w.types.names[s.type[i]]}) on ${w.laneName(lane)} at t=${w.time}\n${yaml}`);
            const j = k + 1 < w.order.laneStart[lane + 1] ? s.order[k + 1] : -1;
            if (j >= 0 && s.pos[j] - w.types.length[s.type[j]] - s.pos[i] < -1e-9) throw new Error(`overlap on ${w.laneName(lane)} at t=${w.time}\n${yaml}`);
          }
        }
        const t = w.totals;
        expect(t.inserted).toBe(t.arrived + w.active + t.removed);
        expect(refusedEvents).toBe(w.refusedTrips);
        expect(t.collisions).toBe(0);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });
});
