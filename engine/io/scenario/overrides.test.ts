import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseOverride, parseScenario, ScenarioError, type LocatedProblem } from './index.js';
const contractDir = fileURLToPath(new URL('../../../scenarios', import.meta.url));

const contract = contractDir;
const corridor = join(contract, 'corridor.yaml');
const ring = join(contract, 'ring.yaml');
const bad = fileURLToPath(new URL('./fixtures/bad/', import.meta.url));

function problemsOf(file: string, overrides: string[]): LocatedProblem[] {
  try {
    loadScenario(file, { overrides });
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
  throw new Error('expected problems');
}

describe('parseOverride', () => {
  it('reads the value as YAML', () => {
    expect(parseOverride('demand.0.flow.rate=1200')).toMatchObject({ path: ['demand', 0, 'flow', 'rate'], value: 1200 });
    expect(parseOverride('a.route=[AB, BC]')).toMatchObject({ value: ['AB', 'BC'] });
    expect(parseOverride('a.departSpeed=max')).toMatchObject({ value: 'max' });
    expect(parseOverride('a.b="12"')).toMatchObject({ value: '12' });
    expect(parseOverride('a.b=x=y')).toMatchObject({ path: ['a', 'b'], value: 'x=y' });
    expect(parseOverride('description=')).toMatchObject({ value: null });
  });

  it('rejects malformed arguments', () => {
    expect(parseOverride('duration')).toMatchObject({ file: '--set duration', line: 1, col: 1, message: expect.stringContaining("no '='") });
    expect(parseOverride('=5')).toMatchObject({ message: 'the path before = is empty' });
    expect(parseOverride('a..b=5')).toMatchObject({ message: "the path 'a..b' has an empty part" });
    expect(parseOverride('a=[1, 2')).toMatchObject({ path: 'a', message: expect.stringContaining('the value is not valid YAML') });
    // an alias is valid syntax, but there is no anchor for it to name (found by fuzz.test.ts)
    expect(parseOverride('a=*x')).toMatchObject({ path: 'a', message: expect.stringContaining('Unresolved alias') });
  });
});

describe('--set on a scenario', () => {
  it('changes the parsed values and the hash', () => {
    const plain = loadScenario(corridor);
    const changed = loadScenario(corridor, { overrides: ['demand.0.flow.rate=1200', 'vehicleTypes.car.headway=1.2'] });
    const flow = changed.scenario.demand[0];
    expect('flow' in flow && flow.flow.rate).toBe(1200);
    expect(changed.scenario.vehicleTypes.car.headway).toBe(1.2);
    expect(changed.hash).not.toBe(plain.hash);
    // setting a field to the value it already has is the same scenario
    expect(loadScenario(corridor, { overrides: ['duration=3600'] }).hash).toBe(plain.hash);
  });

  it('sets lists, strings and new fields, creating missing maps', () => {
    const { scenario } = loadScenario(ring, {
      overrides: ['traffic.lookahead=250', 'demand.0.place.edge=ring', 'demand.1={ place: { type: car, count: 1 } }', 'name=ring-x'],
    });
    expect(scenario.traffic).toEqual({ gridlockTimeout: 300, laneChangeInterval: 1, lookahead: 250, hazardSight: 100 });
    expect(scenario.demand).toHaveLength(2);
    expect(scenario.demand[0]).toEqual({ place: { type: 'car', count: 22, speed: 0, edge: 'ring' } });
    expect(scenario.name).toBe('ring-x');
  });

  it('lets a later override win', () => {
    expect(loadScenario(ring, { overrides: ['duration=10', 'duration=20'] }).scenario.duration).toBe(20);
  });

  it('can repair a broken field', () => {
    expect(loadScenario(join(bad, 'negative-duration.yaml'), { overrides: ['duration=60'] }).scenario.duration).toBe(60);
  });

  it('reports a bad value against the override, not the file', () => {
    expect(problemsOf(ring, ['duration=abc'])).toEqual([
      { file: '--set duration=abc', line: 1, col: 1, path: 'duration', message: 'expected a number, got string "abc"' },
    ]);
    const e = new ScenarioError(problemsOf(ring, ['vehicleTypes.car.accel=-1']));
    expect(e.format()).toBe('--set vehicleTypes.car.accel=-1:1:1: vehicleTypes.car.accel: must be greater than 0, got -1');
  });

  it('reports what an override left missing against the override', () => {
    const problems = problemsOf(ring, ['network.grid.rows=2']);
    expect(problems.every((p) => p.file === '--set network.grid.rows=2')).toBe(true);
    expect(problems.map((p) => p.message)).toContain("missing required field 'cols'");
  });

  it('keeps the positions of the fields it did not touch', () => {
    const problems = problemsOf(join(bad, 'step-zero.yaml'), ['duration=120']);
    expect(problems).toEqual([
      { file: join(bad, 'step-zero.yaml'), line: 3, col: 7, path: 'step', message: 'must be greater than 0, got 0' },
    ]);
  });

  it('reports malformed overrides together with the file problems, after them', () => {
    const problems = problemsOf(join(bad, 'zero-duration.yaml'), ['nope', 'demand.5.place.count=1', 'duration.x=1']);
    expect(problems.map((p) => [p.file, p.line, p.col, p.path])).toEqual([
      [join(bad, 'zero-duration.yaml'), 2, 11, 'duration'],
      ['--set nope', 1, 1, ''],
      ['--set demand.5.place.count=1', 1, 1, 'demand.5.place.count'],
      ['--set duration.x=1', 1, 1, 'duration.x'],
    ]);
    expect(problems[2].message).toBe('demand has 0 entries; index 5 is past the end');
    expect(problems[3].message).toBe("cannot set 'x' inside duration: it is the value 0");
  });

  it('needs an index to step into a list', () => {
    const problems = problemsOf(ring, ['demand.first.place.count=1']);
    expect(problems[0].message).toBe("demand is a list: use an index (0, 1, …), not 'first'");
  });

  it('applies to source text too', () => {
    const text = 'name: t\nduration: 1\nnetwork: { ring: { length: 100, lanes: 1, speedLimit: 10 } }\nvehicleTypes: { car: { length: 5, maxSpeed: 30, accel: 1, decel: 1.5, headway: 1.5, minGap: 2 } }\n';
    expect(parseScenario(text, 'inline.yaml', { overrides: ['seed=9'] }).scenario.seed).toBe(9);
  });
});
