/**
 * A small scenario for the perception tests: a two-edge corridor of 2 km with a steady flow, an
 * emergency vehicle type, and whatever `events` / `perception` / `v2x` YAML the test adds. Its
 * YAML text is exported too, for the tests that load a scenario from a file (the CLI, files the
 * scenario names beside it), so that the corridor is written once.
 */
import { parseScenario } from '../io/scenario/index.js';
import type { Scenario } from '../spec/schema.js';

export interface CorridorOptions {
  duration?: number;
  rate?: number;
  step?: number;
}

/** The corridor scenario as YAML text, `extra` appended at the top level. */
export function corridorYaml(extra: string, opts: CorridorOptions = {}): string {
  return `
name: perception
duration: ${opts.duration ?? 1200}
step: ${opts.step ?? 0.5}
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 1000, y: 0 }, { id: c, x: 2000, y: 0 } ]
  edges: [ { id: ab, from: a, to: b, lanes: 2, speedLimit: 15 }, { id: bc, from: b, to: c, lanes: 2, speedLimit: 15 } ]
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 1.5, decel: 2, headway: 1.2, minGap: 2 }
  emergency: { length: 6, maxSpeed: 30, accel: 2, decel: 3, headway: 1, minGap: 2, class: emergency }
demand:
  - flow: { type: car, route: [ab, bc], rate: ${opts.rate ?? 900}, begin: 0, end: ${opts.duration ?? 1200} }
${extra}
`;
}

/** The corridor scenario, parsed. */
export function corridor(extra: string, opts: CorridorOptions = {}): Scenario {
  return parseScenario(corridorYaml(extra, opts), 'perception.yaml').scenario;
}
