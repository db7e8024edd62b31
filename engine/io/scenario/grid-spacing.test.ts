// A generated grid whose blocks cannot hold one vehicle is refused with the length it needs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from './index.js';

const grid = readFileSync('scenarios/grid.yaml', 'utf8');

function problems(text: string, overrides: string[]): string[] {
  try {
    parseScenario(text, 'grid.yaml', { overrides });
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.format().split('\n');
  }
}

describe('grid spacing', () => {
  it('refuses blocks shorter than the longest vehicle with its minimum gap', () => {
    expect(problems(grid, ['network.grid.spacing=1e-9'])).toEqual(["--set network.grid.spacing=1e-9:1:1: network.grid.spacing: 1e-9 m is under 10 m: give at least 10 m"]);
    const bus = grid.replace('vehicleTypes:\n', 'vehicleTypes:\n  bus: { length: 18, maxSpeed: 20, accel: 1.2, decel: 4, headway: 1.5, minGap: 2.5 }\n');
    expect(problems(bus, ['network.grid.spacing=15'])[0]).toMatch(/network\.grid\.spacing: 15 m is shorter than the longest vehicle type \('bus', 20\.5 m with its minimum gap\): give at least 20\.5 m$/);
    expect(problems(bus, ['network.grid.fringe=12'])[0]).toMatch(/network\.grid\.fringe: 12 m is shorter .*give at least 20\.5 m$/);
  });

  it('accepts the grid as it is', () => {
    expect(problems(grid, [])).toEqual([]);
  });
});
