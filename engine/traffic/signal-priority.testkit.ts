/**
 * The priority tests' and measurement's junction: the four-arm test junction (cross.testkit.ts)
 * with a 60 s fixed plan (26 s greens, 3 s yellow, 1 s all red: W–E green 0–26 s, S–N 30–56 s),
 * bus, emergency and car types, and an RSU at C on a loss-free 500 m unit-disk channel that hears
 * every bus and emergency vehicle (penetrationByType 1) and no car.
 */
import { crossYaml } from './cross.testkit.js';

export const PLAN = '{ cycle: 60, yellow: 3, allRed: 1 }';
export const PRIORITY = '{ bus: { extension: 10, earlyGreen: 10, maxPerCycle: 1 }, emergency: { preempt: true }, detectAt: 150 }';
export const withPriority = (priority = PRIORITY) => `{ cycle: 60, yellow: 3, allRed: 1, priority: ${priority} }`;

export const RSU = `
v2x:
  penetration: 0
  penetrationByType: { bus: 1, ev: 1 }
  channel: { model: unitDisk, range: 500, loss: 0, delayMin: 2, delayExpected: 10 }
  rsus: [ { id: rsu, node: C, intersections: [C] } ]
`;

const TYPES = `  bus: { class: bus, length: 12, maxSpeed: 20, accel: 1.2, decel: 4, headway: 1.5, minGap: 2.5 }
  ev: { class: emergency, length: 6, maxSpeed: 30, accel: 2.5, decel: 5, headway: 1, minGap: 2 }
`;

/** The junction as scenario YAML: C's signal, the demand items, extra top-level YAML (default: the RSU). */
export function priorityYaml(signal: string, demand: string, duration: number, extra = RSU, seed = 5): string {
  return crossYaml(signal, demand, extra, duration).replace('vehicleTypes:\n', `vehicleTypes:\n${TYPES}`).replace('seed: 5', `seed: ${seed}`);
}
