// The checks of the fields SUMO scenarios bring (lane classes, departLane, stop lanes), each
// naming the field to blame.
import { describe, expect, it } from 'vitest';
import { parseScenario } from './index.js';
import type { ScenarioError } from './errors.js';

const problems = (yaml: string): string[] => {
  try {
    parseScenario(yaml, 's.yaml');
    return [];
  } catch (err) {
    return (err as ScenarioError).problems.map((p) => `${p.path}: ${p.message}`);
  }
};

const scenario = (edge: string, trip: string) => `
name: sumo-fields
duration: 60
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 300, y: 0 } ]
  edges: [ ${edge} ]
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 2, decel: 3, headway: 1.2, minGap: 2 }
demand:
  - trips: [ ${trip} ]
`;

describe('checks of lane classes, departLane and stop lanes', () => {
  it('laneClasses must give one entry per lane', () => {
    expect(problems(scenario('{ id: ab, from: a, to: b, lanes: 2, speedLimit: 10, laneClasses: [ [bus] ] }', '{ type: car, depart: 0, from: ab, to: ab }'))).toEqual([
      'network.edges.0.laneClasses: gives 1 entry for 2 lane(s); give one per lane, from the rightmost (null: every class)',
    ]);
    expect(problems(scenario('{ id: ab, from: a, to: b, lanes: 2, speedLimit: 10, laneClasses: [ [bus], null ] }', '{ type: car, depart: 0, from: ab, to: ab }'))).toEqual([]);
    expect(problems(scenario('{ id: ab, from: a, to: b, lanes: 1, speedLimit: 10, laneClasses: [ [tram] ] }', '{ type: car, depart: 0, from: ab, to: ab }'))[0]).toMatch(/^network\.edges\.0\.laneClasses\.0\.0: /);
  });

  it('departLane and a stop lane must exist on their edge', () => {
    const edge = '{ id: ab, from: a, to: b, lanes: 2, speedLimit: 10 }';
    expect(problems(scenario(edge, '{ type: car, depart: 0, from: ab, to: ab, departLane: 2, stops: [ { edge: ab, pos: 100, lane: 5 } ] }'))).toEqual([
      "demand.0.trips.0.departLane: edge 'ab' has 2 lane(s); lanes are numbered from 0",
      "demand.0.trips.0.stops.0.lane: edge 'ab' has 2 lane(s); lanes are numbered from 0",
    ]);
  });
});
