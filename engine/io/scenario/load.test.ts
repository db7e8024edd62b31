import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError, type LocatedProblem } from './index.js';
const contractDir = fileURLToPath(new URL('../../../scenarios', import.meta.url));

const here = fileURLToPath(new URL('.', import.meta.url));
const bad = join(here, 'fixtures', 'bad');
const good = join(here, 'fixtures', 'good');
const contract = contractDir;

/** The problems loading `file` reports (fails the test if it loads). */
function problemsOf(file: string, overrides: string[] = []): LocatedProblem[] {
  try {
    loadScenario(file, { overrides });
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
  throw new Error(`${file} was expected to fail validation`);
}

interface Expected {
  line: number;
  col: number;
  path: string;
  message: string;
  /** how many problems the file has in all (default 1) */
  count?: number;
}

// Every malformed fixture, where its (first) problem must be reported and what it must say.
const cases: Record<string, Expected> = {
  'invalid-yaml.yaml': { line: 3, col: 1, path: '', message: 'invalid YAML: Flow sequence' },
  'tab-indent.yaml': { line: 2, col: 1, path: '', message: 'tabs are not allowed' },
  'multiple-documents.yaml': { line: 7, col: 1, path: '', message: 'one YAML document' },
  'unresolved-alias.yaml': { line: 6, col: 8, path: '', message: 'invalid YAML: Unresolved alias' },
  'alias-bomb.yaml': { line: 5, col: 8, path: '', message: 'aliases that would expand to more than 1000 values (a resource exhaustion pattern)' },
  'empty.yaml': { line: 1, col: 1, path: '', message: 'the file is empty' },
  'not-a-mapping.yaml': { line: 2, col: 1, path: '', message: 'must be a mapping of fields' },
  'duplicate-key.yaml': { line: 7, col: 1, path: 'duration', message: "duplicate key 'duration' (first given on line 2)" },
  'unknown-field-top.yaml': { line: 3, col: 1, path: 'colour', message: "unknown field 'colour'" },
  'unknown-field-nested.yaml': {
    line: 9,
    col: 5,
    path: 'vehicleTypes.car.accell',
    message: "unknown field 'accell' (did you mean 'accel'?)",
    count: 2, // and accel is missing
  },
  'wrong-type.yaml': { line: 2, col: 11, path: 'duration', message: 'expected a number, got string "abc"' },
  'empty-value.yaml': { line: 2, col: 1, path: 'duration', message: 'expected a number, got an empty value' },
  'negative-duration.yaml': { line: 2, col: 11, path: 'duration', message: 'must be greater than 0, got -600' },
  'zero-duration.yaml': { line: 2, col: 11, path: 'duration', message: 'must be greater than 0, got 0' },
  'step-zero.yaml': { line: 3, col: 7, path: 'step', message: 'must be greater than 0, got 0' },
  'step-too-big.yaml': { line: 3, col: 7, path: 'step', message: 'must be at most 1, got 1.5' },
  'seed-fraction.yaml': { line: 2, col: 7, path: 'seed', message: 'expected an integer, got 1.5' },
  'lanes-not-integer.yaml': { line: 4, col: 31, path: 'network.ring.lanes', message: 'expected an integer, got 1.5' },
  'missing-name.yaml': { line: 2, col: 1, path: 'name', message: "missing required field 'name'" },
  'bad-name.yaml': { line: 1, col: 7, path: 'name', message: "must be lower-case letters (of any script), digits and dashes; got U+0052 'R' at character 1" },
  'missing-vehicle-types.yaml': { line: 1, col: 1, path: 'vehicleTypes', message: "missing required field 'vehicleTypes'" },
  'vehicle-type-name.yaml': {
    line: 6,
    col: 3,
    path: 'vehicleTypes.small car',
    message: "invalid name 'small car': a type name may hold only letters (of any script), digits, _ and -; got U+0020 at character 6",
  },
  'empty-network.yaml': { line: 3, col: 1, path: 'network', message: 'the network is empty' },
  'ring-and-grid.yaml': { line: 3, col: 1, path: 'network', message: 'not ring and grid' },
  'node-control.yaml': {
    line: 5,
    col: 37,
    path: 'network.nodes.0.control',
    message: `expected one of 'priority', 'signal', 'unregulated', 'priorityStop', 'allwayStop', got string "lights"`,
  },
  'demand-two-keys.yaml': {
    line: 9,
    col: 5,
    path: 'demand.1',
    message: 'each demand entry has exactly one key: place, flow, randomTrips, trips or tripsFile, not place and flow',
  },
  'demand-misspelt-key.yaml': {
    line: 8,
    col: 5,
    path: 'demand.0',
    message: 'each demand entry has exactly one key: place, flow, randomTrips, trips or tripsFile',
    count: 2, // and "unknown field 'plce' (did you mean 'place'?)"
  },
  'flow-no-rate.yaml': { line: 15, col: 5, path: 'demand.0.flow', message: 'give exactly one of rate, period or probability' },
  'flow-route-and-from.yaml': { line: 15, col: 42, path: 'demand.0.flow.route', message: 'give either a route or from/to, not both' },
  'flow-end-before-begin.yaml': { line: 15, col: 68, path: 'demand.0.flow.end', message: 'end is before begin' },
  'depart-speed.yaml': {
    line: 15,
    col: 84,
    path: 'demand.0.flow.departSpeed',
    message: `expected 'max' or a number, got string "fast"`,
  },
  // the semantic checks (semantics.ts) run once the schema passes
  'unknown-vehicle-type.yaml': { line: 15, col: 19, path: 'demand.0.flow.type', message: "unknown vehicle type 'bus'" },
  'unknown-route-edge.yaml': { line: 15, col: 36, path: 'demand.0.flow.route.1', message: "unknown edge 'X'" },
  'unknown-detector-edge.yaml': { line: 15, col: 21, path: 'detectors.0.edge', message: "unknown edge 'X'" },
  'disconnected-route.yaml': {
    line: 17,
    col: 19,
    path: 'demand.0.flow.route.1',
    message: "route is not connected: edge 'AB' does not lead to 'CB'",
  },
  'many-problems.yaml': { line: 1, col: 7, path: 'name', message: 'must be lower-case letters (of any script)', count: 5 },
};

describe('malformed scenarios', () => {
  it('has an expectation for every fixture, and at least 20 fixtures', () => {
    const files = readdirSync(bad).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(Object.keys(cases).sort());
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const [name, want] of Object.entries(cases)) {
    it(`${name}: ${want.line}:${want.col} ${want.path}`, () => {
      const file = join(bad, name);
      const problems = problemsOf(file);
      expect(problems).toHaveLength(want.count ?? 1);
      const hit = problems.find((p) => p.line === want.line && p.col === want.col && p.path === want.path);
      expect(hit, JSON.stringify(problems, null, 1)).toBeDefined();
      expect(hit!.message).toContain(want.message);
      expect(hit!.file).toBe(file);
    });
  }

  it('reports every problem of a file, sorted by line then column, as contract lines', () => {
    const file = join(bad, 'many-problems.yaml');
    let error: ScenarioError | undefined;
    try {
      loadScenario(file);
    } catch (err) {
      error = err as ScenarioError;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error!.format().split('\n')).toEqual([
      `${file}:1:7: name: must be lower-case letters (of any script), digits and dashes; got U+004D 'M' at character 1`,
      `${file}:2:11: duration: must be greater than 0, got -1`,
      `${file}:3:7: step: must be at most 1, got 2`,
      `${file}:7:86: vehicleTypes.car.colour: unknown field 'colour'`,
      `${file}:9:5: demand.0.flow: give exactly one of rate, period or probability`,
    ]);
  });
});

describe('unreadable files', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'roadtwin-load-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('a missing file', () => {
    const file = join(tmp, 'nope.yaml');
    expect(problemsOf(file)).toEqual([{ file, line: 1, col: 1, path: '', message: 'cannot read the scenario: no such file' }]);
  });

  it('a directory', () => {
    expect(problemsOf(bad)).toEqual([
      { file: bad, line: 1, col: 1, path: '', message: 'cannot read the scenario: this is a directory, not a scenario file' },
    ]);
  });

  // root reads any file whatever its mode, so the case cannot be staged as root
  it.skipIf(process.getuid?.() === 0)('a file without read permission', () => {
    const file = join(tmp, 'secret.yaml');
    writeFileSync(file, 'name: x\n');
    chmodSync(file, 0o000);
    expect(problemsOf(file)[0].message).toBe('cannot read the scenario: permission denied');
  });
});

describe('valid scenarios', () => {
  for (const name of ['ring', 'corridor', 'grid']) {
    it(`contract ${name}.yaml validates unchanged, with a stable hash`, () => {
      const a = loadScenario(join(contract, `${name}.yaml`));
      const b = loadScenario(join(contract, `${name}.yaml`));
      expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(b.hash).toBe(a.hash);
      expect(a.scenario).toEqual(b.scenario);
    });
  }

  it('applies the defaults', () => {
    const { scenario } = loadScenario(join(contract, 'grid.yaml'));
    expect(scenario.seed).toBe(1);
    expect(scenario.detectors).toEqual([]);
    expect(scenario.network.laneWidth).toBe(3.2);
    expect(scenario.vehicleTypes.car.politeness).toBe(0.3);
    expect(scenario.network.grid?.signals).toMatchObject({ cycle: 60, yellow: 3, allRed: 1, offset: 0 });
  });

  it('gives the same hash to the same scenario however it is written', () => {
    const original = loadScenario(join(contract, 'ring.yaml'));
    const rewritten = loadScenario(join(good, 'ring-rewritten.yaml'));
    expect(rewritten.scenario).toEqual(original.scenario);
    expect(rewritten.hash).toBe(original.hash);
  });

  it('gives different scenarios different hashes', () => {
    const hashes = ['ring', 'corridor', 'grid'].map((n) => loadScenario(join(contract, `${n}.yaml`)).hash);
    expect(new Set(hashes).size).toBe(3);
  });

  it('resolves YAML aliases', () => {
    const { scenario } = loadScenario(join(good, 'aliases.yaml'));
    expect(scenario.vehicleTypes.truck).toEqual(scenario.vehicleTypes.car);
  });

  it('the scenarios of the repository validate', () => {
    const dir = join(here, '..', '..', '..', 'scenarios');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) expect(() => loadScenario(join(dir, f))).not.toThrow();
  });
});
