// Mutation fuzzing of real scenarios (issue 9). fuzz.test.ts throws arbitrary text and single
// replaced values at the loader; this file starts from the contract scenarios, the GLOSA corridor
// and a short Laoshan, and breaks them the ways people and tools do: wrong types, missing fields,
// huge and non-finite numbers, negative values, control characters in ids, references to things
// that do not exist, enormous counts, deep nesting, duplicate keys, alias bombs, binary garbage
// and cut-off files. Every case must end in a scenario or in a ScenarioError whose every problem
// is one `FILE:LINE:COL: path: message` line; a sample of the scenarios that load is run for a
// few ticks (through the run writer) and must keep every vehicle's position and speed finite.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Document, parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, parseScenario, ScenarioError, type LoadedScenario } from './index.js';
import { checkLimits, LIMITS } from './limits.js';
import { World } from '../../sim/world.js';
import { RunWriter } from '../run/writer.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const contractDir = join(root, 'scenarios');
const read = (file: string) => parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

type Obj = Record<string, unknown>;

const laoshan = read(join(root, 'scenarios', 'laoshan.yaml'));
laoshan.duration = 20;
const bases: { name: string; data: Obj }[] = [
  ...['ring', 'corridor', 'grid'].map((n) => ({ name: n, data: read(join(contractDir, `${n}.yaml`)) })),
  { name: 'glosa-corridor', data: read(join(root, 'scenarios', 'glosa-corridor.yaml')) },
  { name: 'laoshan-short', data: laoshan },
];

const FILE = 'fuzz.yaml';
/** ROADTWIN_FUZZ_SCALE=10 runs ten times the cases (a deeper search than CI's) */
const SCALE = Math.max(1, Number(process.env.ROADTWIN_FUZZ_SCALE ?? 1) || 1);
const runs = (n: number) => Math.round(n * SCALE);
const LINE = /^(fuzz\.yaml|--set [^\n]*):\d+:\d+: [^\n\r\u2028\u2029]+$/;
// C0 and C1 control characters, line and paragraph separators, lone surrogates
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const tally = { cases: 0, ok: 0, refused: 0, ran: 0 };
afterAll(() => {
  // visible with --reporter=verbose; a fuzzer that refuses everything tests little
  console.log(`fuzz-mutations: ${tally.cases} cases, ${tally.ok} loaded, ${tally.refused} refused, ${tally.ran} run`);
});

/** Loads `text`; a ScenarioError must be well formed, anything else thrown fails the case. */
function load(text: string): LoadedScenario | ScenarioError {
  tally.cases++;
  try {
    const loaded = parseScenario(text, FILE);
    tally.ok++;
    return loaded;
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    tally.refused++;
    expect(err.problems.length).toBeGreaterThan(0);
    for (const p of err.problems) {
      const line = formatProblem(p);
      expect(line, JSON.stringify(line)).toMatch(LINE);
      expect(UNPRINTABLE.test(line), JSON.stringify(line)).toBe(false);
      expect(line.length).toBeLessThan(2000);
    }
    expect(err.message.includes('\n')).toBe(false);
    return err;
  }
}

const runDirs: string[] = [];
afterAll(() => {
  for (const d of runDirs) rmSync(d, { recursive: true, force: true });
});

/** Small enough to step a few ticks quickly: the limits keep the rest from being built at all. */
function smallEnough(s: LoadedScenario['scenario']): boolean {
  let placed = 0;
  for (const d of s.demand) if ('place' in d) placed += d.place.count;
  const g = s.network.grid;
  const lanes = g ? g.rows * g.cols * 4 * g.lanes : (s.network.edges?.reduce((a, e) => a + e.lanes, 0) ?? 16);
  return placed <= 5000 && lanes <= 20_000;
}

/** A few ticks of a scenario that loaded, with every output file written. */
function runBriefly(loaded: LoadedScenario, ticks: number): void {
  const s = loaded.scenario;
  if (!smallEnough(s)) return;
  tally.ran++;
  const world = new World(s);
  const dir = mkdtempSync(join(tmpdir(), 'roadtwin-fuzz-'));
  runDirs.push(dir);
  const writer = new RunWriter(join(dir, 'run'), world, { scenarioHash: loaded.hash, workers: 1, workersRequested: 1, startedAt: new Date(0), scenarioFile: FILE });
  world.run(Math.min(s.duration, ticks * s.step));
  for (const i of world.vehicles()) {
    expect(Number.isFinite(world.state.pos[i]), `pos of vehicle ${world.state.id[i]}`).toBe(true);
    expect(Number.isFinite(world.state.speed[i]), `speed of vehicle ${world.state.id[i]}`).toBe(true);
  }
  expect(world.stateHash()).toMatch(/^[0-9a-f]{64}$/);
  writer.finish({ complete: false, wallSeconds: 0 });
}

// ---------------------------------------------------------------------------- mutations

type Key = string | number;

/** Every path inside `v` (containers included), the root excepted. */
function paths(v: unknown, prefix: Key[] = []): Key[][] {
  const out: Key[][] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function getIn(v: unknown, path: Key[]): unknown {
  let cur = v;
  for (const k of path) cur = cur && typeof cur === 'object' ? (cur as Obj)[k as string] : undefined;
  return cur;
}

function setIn(v: Obj, path: Key[], value: unknown): void {
  let cur: unknown = v;
  for (const k of path.slice(0, -1)) cur = (cur as Obj)[k as string];
  if (cur && typeof cur === 'object') (cur as Obj)[path[path.length - 1] as string] = value;
}

function deleteIn(v: Obj, path: Key[]): void {
  const parent = getIn(v, path.slice(0, -1));
  const k = path[path.length - 1];
  if (Array.isArray(parent) && typeof k === 'number') parent.splice(k, 1);
  else if (parent && typeof parent === 'object') delete (parent as Obj)[k as string];
}

const nested = (depth: number, inList: boolean): unknown => {
  let v: unknown = 1;
  for (let d = 0; d < depth; d++) v = inList ? [v] : { a: v };
  return v;
};

const strangeStrings = [
  '', ' ', 'abc', 'max', 'null', '1e3', '0x10', '.nan', '-.inf', '~', 'ring', 'car',
  '\u0000', 'nul\u0000in', 'a\nb', 'cr\rlf', 'tab\tbed', '\u0007bell', '\u001b[31mred', '\u202eevil', '\u2028sep',
  '\ufeffbom', '💥', '合肥路', 'é', 'x'.repeat(5000), '\ud800', "quote'd", 'dq"x', '#hash', '*alias', '&anchor', '- dash', ': colon',
];
const strangeNumbers = [
  1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 31, 2 ** 32, 1e-300, 1e-9,
  NaN, Infinity, -Infinity, -1, -0.5, -1e9, 0, -0, 0.5, 1.5, 1e5, 1e6, 1e9, 1e12,
];

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...strangeNumbers) },
  { weight: 3, arbitrary: fc.constantFrom(...strangeStrings) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(true, false, null, [], {}, [1, 2], { x: 1 }, [[]], [{}]) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 400 }), fc.boolean()).map(([d, l]) => nested(d, l)) },
);

/** Fields that name another part of the scenario. */
const REFERENCE_KEYS = new Set(['edge', 'from', 'to', 'type', 'node', 'route', 'via', 'intersections']);
function referencePaths(data: Obj): Key[][] {
  return paths(data).filter((p) => {
    const last = p[p.length - 1];
    const parent = p[p.length - 2];
    return (typeof last === 'string' && REFERENCE_KEYS.has(last)) || (typeof last === 'number' && typeof parent === 'string' && REFERENCE_KEYS.has(parent));
  });
}

/** Ids defined in a scenario: any of them is a plausible wrong reference. */
function ids(data: Obj): string[] {
  const out = new Set<string>(Object.keys((data.vehicleTypes as Obj) ?? {}));
  for (const p of paths(data)) if (p[p.length - 1] === 'id') out.add(String(getIn(data, p)));
  return [...out];
}

type Mutation = (data: Obj, pick: number, value: unknown) => void;

const mutations: Record<string, Mutation> = {
  replace: (data, pick, value) => {
    const all = paths(data);
    // a copy: the constant values are shared between cases, and a case that set one inside itself made it cyclic
    setIn(data, all[pick % all.length], structuredClone(value));
  },
  remove: (data, pick) => {
    const all = paths(data);
    deleteIn(data, all[pick % all.length]);
  },
  wrongReference: (data, pick, value) => {
    const refs = referencePaths(data);
    if (refs.length === 0) return;
    const known = ids(data);
    const choice = pick % 3 === 0 ? structuredClone(value) : pick % 3 === 1 ? `${known[pick % known.length]}-missing` : known[pick % known.length];
    setIn(data, refs[pick % refs.length], choice);
  },
  enormous: (data, pick) => {
    const types = Object.keys((data.vehicleTypes as Obj) ?? { car: 1 });
    const t = types[0] ?? 'car';
    const demand = Array.isArray(data.demand) ? data.demand : (data.demand = []);
    const dur = typeof data.duration === 'number' ? data.duration : 600;
    const net = (data.network ?? {}) as Obj;
    const cases: (() => void)[] = [
      () => demand.push({ place: { type: t, count: 1e9 } }),
      () => demand.push({ place: { type: t, count: 9_000_000 } }),
      () => (data.network = { grid: { rows: 1e5, cols: 1e5, spacing: 100, lanes: 2, speedLimit: 13.9 } }),
      () => (data.network = { grid: { rows: 200, cols: 200, spacing: 100, lanes: 16, speedLimit: 13.9 } }),
      () => (data.network = { grid: { rows: 5, cols: 5, spacing: 1e300, lanes: 1, speedLimit: 13.9 } }),
      () => (data.network = { ring: { length: 1e308, lanes: 1, speedLimit: 13.9 } }),
      () => {
        if (net.ring) (net.ring as Obj).lanes = 1e6;
        else if (Array.isArray(net.edges) && net.edges.length > 0) (net.edges[pick % net.edges.length] as Obj).lanes = 1e6;
        else if (net.grid) (net.grid as Obj).lanes = 1e6;
      },
      () => demand.push({ flow: { type: t, from: 'x', to: 'y', rate: 1e12, begin: 0, end: dur } }),
      () => demand.push({ randomTrips: { type: t, rate: 1e12, begin: 0, end: dur } }),
      () => demand.push({ randomTrips: { type: t, period: 1e-9, begin: 0, end: dur } }),
      () => demand.push({ randomTrips: { type: t, rate: 99_000, begin: 0, end: 1e308 } }),
      () => (data.step = 1e-9),
      () => (data.duration = 1e12),
      () => (data.duration = 2 ** 53),
      () => (data.output = { traceInterval: 1e-9 }),
      () => {
        const e = Array.isArray(net.edges) ? String((net.edges[0] as Obj).id) : net.ring ? 'ring' : 'r0c0-r0c1';
        data.detectors = [{ id: 'fz', edge: e, pos: 0, period: 1e-9 }];
      },
      () => (data.vehicleTypes = Object.fromEntries(Array.from({ length: 300 }, (_, k) => [`t${k}`, { length: 5, maxSpeed: 30, accel: 1, decel: 1.5, headway: 1.5, minGap: 2 }]))),
      () => {
        const vt = (data.vehicleTypes as Obj)[t] as Obj | undefined;
        if (vt) Object.assign(vt, { maxSpeed: 1e308, accel: 1e308, decel: 1e-300, length: 1e-300, minGap: 0, headway: 0 });
      },
    ];
    try {
      cases[pick % cases.length]();
    } catch (err) {
      // an earlier mutation turned the part this one changes into a scalar: nothing to change
      if (!(err instanceof TypeError)) throw err;
    }
  },
};

const mutationNames = Object.keys(mutations);

/** Breakage of the text itself, after the mutations. */
const textMutations: ((text: string, pick: number, bytes: string) => string)[] = [
  (t) => t,
  (t, pick) => {
    const lines = t.split('\n');
    const k = pick % lines.length;
    lines.splice(k, 0, lines[k]); // duplicate keys (or list items)
    return lines.join('\n');
  },
  (t, pick) => {
    const lines = t.split('\n');
    lines.splice(pick % lines.length, 1);
    return lines.join('\n');
  },
  (t, pick) => t.slice(0, pick % (t.length + 1)), // cut off
  (t, pick, bytes) => {
    const at = pick % (t.length + 1);
    return t.slice(0, at) + bytes + t.slice(at);
  },
  (t, pick) => {
    // an alias bomb under a known key (description) and as an unknown one
    const levels = 3 + (pick % 8);
    const lines = ['description: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let l = 1; l < levels; l++) lines.push(`x-l${l}: &l${l} [${Array(10).fill(`*l${l - 1}`).join(', ')}]`);
    return `${t.replace(/^description:.*$/m, '')}\n${lines.join('\n')}\n`;
  },
  (t, pick) => {
    const depth = 50 + (pick % 20_000);
    return `${t}\nx-deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
  },
  (t, pick) => {
    const depth = 20 + (pick % 3000);
    return `${t}\nx-deep:\n${Array.from({ length: depth }, (_, d) => `${' '.repeat(d + 1)}a${d}:`).join('\n')} 1\n`;
  },
];

const toYaml = (data: Obj): string => new Document(data).toString({ lineWidth: 0 });

describe('mutated scenarios load or are refused with one located line each', () => {
  it.each(bases.map((b) => [b.name, b.data] as const))('%s as written loads and runs', (_name, data) => {
    const r = load(toYaml(structuredClone(data)));
    expect(r).not.toBeInstanceOf(ScenarioError);
    runBriefly(r as LoadedScenario, 20);
  });

  it('value and structure mutations, then text breakage', () => {
    let sample = 0;
    fc.assert(
      fc.property(
        fc.nat(bases.length - 1),
        fc.array(fc.tuple(fc.constantFrom(...mutationNames), fc.nat(), anyValue), { minLength: 1, maxLength: 3 }),
        fc.nat(textMutations.length * 4 - 1),
        fc.nat(),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
        (which, muts, textMut, pick, bytes) => {
          const data = structuredClone(bases[which].data);
          for (const [name, p, value] of muts) mutations[name](data, p, value);
          // mostly intact text (the mutations above are the point), a quarter broken as text
          const tm = textMut < textMutations.length * 3 ? 0 : textMut - textMutations.length * 3;
          const text = textMutations[tm](toYaml(data), pick, bytes);
          const r = load(text);
          if (!(r instanceof ScenarioError) && sample++ % 3 === 0) runBriefly(r, 15);
        },
      ),
      { numRuns: runs(1500) },
    );
  }, 60_000 * SCALE);

  it('numbers scaled far within their valid ranges load and run with finite states', () => {
    const factors = [0, 1e-6, 1e-3, 0.01, 0.5, 2, 10, 100, 1e3, 1e5];
    fc.assert(
      fc.property(fc.nat(bases.length - 1), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...factors)), { minLength: 1, maxLength: 4 }), (which, scalings) => {
        const data = structuredClone(bases[which].data);
        const numeric = paths(data).filter((p) => typeof getIn(data, p) === 'number');
        for (const [pick, factor] of scalings) {
          const p = numeric[pick % numeric.length];
          setIn(data, p, (getIn(data, p) as number) * factor);
        }
        const r = load(toYaml(data));
        if (!(r instanceof ScenarioError)) runBriefly(r, 15);
      }),
      { numRuns: runs(400) },
    );
  }, 60_000 * SCALE);

  it('whole files of garbage, empty files and lone values', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('utf8')),
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
          fc.constantFrom('', ' ', '\n\n', '\ufeff', '---', '--- \n...', '~', 'null', '[]', '{}', '0', '.nan', '*a', '&a', '%YAML 1.2\n---\n', '\u0000\u0000'),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
        ),
        (text) => {
          expect(load(text)).toBeInstanceOf(ScenarioError);
        },
      ),
      { numRuns: runs(600) },
    );
  });

  it('each limit is reported on the field to change', () => {
    const ring = structuredClone(bases[0].data);
    const cases: [(d: Obj) => void, string, RegExp][] = [
      [(d) => (d.demand = [{ place: { type: 'car', count: 3_000_000 } }]), 'demand', /^the number of vehicles placed \(all place entries\) is 3,000,000, over the limit of 2,000,000$/],
      [(d) => (d.demand = [{ randomTrips: { type: 'car', rate: 1e12, begin: 0, end: 600 } }]), 'demand.0.randomTrips.rate', /^the rate is 1,000,000,000,000 veh\/h, over the limit of 100,000 veh\/h; one entry departs at most every 0\.036 s$/],
      [
        (d) => {
          d.duration = 86_400;
          d.demand = Array.from({ length: 10 }, () => ({ randomTrips: { type: 'car', rate: 99_999, begin: 0, end: 86_400 } }));
        },
        'demand',
        /^the number of departures over the run .* is 23,999,760, over the limit of 20,000,000$/,
      ],
      [(d) => (d.step = 1e-7), 'step', /ticks/],
      [(d) => (d.duration = 1e12), 'duration', /31 days/],
      [(d) => (d.network = { grid: { rows: 200, cols: 200, spacing: 100, lanes: 16, speedLimit: 13.9 } }), 'network.grid', /lanes/],
      [(d) => (d.network = { ring: { length: 1e12, lanes: 1, speedLimit: 13.9 } }), 'network.ring.length', /over the limit/],
      [(d) => (d.output = { traceInterval: 1e-3 }), 'output.traceInterval', /trace could reach/],
      [
        (d) => {
          // a detector reports at most once per tick: 4 × 26,784,000 ticks
          d.duration = 31 * 86_400;
          d.detectors = Array.from({ length: 4 }, (_, k) => ({ id: `d${k}`, edge: 'ring', pos: 1, period: 1e-6 }));
        },
        'detectors',
        /^the number of detector rows over the run \(duration \/ period of each\) is 107,136,000, over the limit of 100,000,000; use longer periods$/,
      ],
      [(d) => ((d.vehicleTypes as Obj).car = { ...((d.vehicleTypes as Obj).car as Obj), maxSpeed: 1e308 }), 'vehicleTypes.car.maxSpeed', /speed/],
    ];
    for (const [mutate, path, message] of cases) {
      const d = structuredClone(ring);
      if (path === 'output.traceInterval') {
        d.duration = 31 * 86_400;
        (d.network as Obj).ring = { length: 1e6, lanes: 16, speedLimit: 30 };
      }
      mutate(d);
      const r = load(toYaml(d));
      expect(r, path).toBeInstanceOf(ScenarioError);
      const problem = (r as ScenarioError).problems.find((p) => p.path === path);
      expect(problem, `${path}: ${(r as ScenarioError).format()}`).toBeDefined();
      expect(problem!.message).toMatch(message);
    }
  });

  it('list-size limits are checked before anything is built', () => {
    // built as values: a YAML file this large would only test the parser's speed
    const base = parse(toYaml(bases[1].data)) as Obj;
    const nodes = Array.from({ length: LIMITS.nodes + 1 }, (_, k) => ({ id: `n${k}`, x: k, y: 0 }));
    const r = parseScenario(toYaml(base), FILE).scenario;
    const problems = checkLimits({ ...r, network: { ...r.network, nodes }, detectors: Array.from({ length: LIMITS.detectors + 1 }, (_, k) => ({ id: `d${k}`, edge: 'x', pos: 0, period: 60 })) });
    expect(problems.map((p) => p.path.join('.'))).toEqual(['network.nodes', 'detectors']);
    expect(problems[0].message).toBe(`the number of nodes is ${(LIMITS.nodes + 1).toLocaleString('en')}, over the limit of ${LIMITS.nodes.toLocaleString('en')}`);
  });

  it('an alias bomb is refused at its first nested alias with a message saying what to do', () => {
    const text = `name: bomb\nduration: 10\nnetwork: { ring: { length: 100, lanes: 1, speedLimit: 10 } }\nvehicleTypes: { car: { length: 5, maxSpeed: 30, accel: 1, decel: 1.5, headway: 1.5, minGap: 2 } }\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    const r = load(text) as ScenarioError;
    expect(r).toBeInstanceOf(ScenarioError);
    expect(r.format()).toMatch(/^fuzz\.yaml:7:8: invalid YAML: aliases that would expand to more than 1000 values \(a resource exhaustion pattern\); write the repeated values out or use fewer aliases$/);
  });
});
