/**
 * Turns zod issues into problems a person can act on: "missing required field 'duration'",
 * "unknown field 'accell' (did you mean 'accel'?)", "expected a number, got string \"abc\"".
 * zod's own texts ("Invalid input", "Too small: expected number to be >0") say too little,
 * so every built-in message is rewritten here; messages written in schema.ts are kept.
 */
import type { z } from 'zod';
import { demandEntrySchema, scenarioSchema, type Scenario } from '../../spec/schema.js';
import type { Anchor, PathKey } from './locate.js';

type Issue = z.core.$ZodIssue;

/** A problem before it is given a place in the source. */
export interface RawProblem {
  path: PathKey[];
  message: string;
  anchor: Anchor;
}

// Passed as the per-parse error map: it has a lower priority than messages written in the
// schema, so an issue carrying this text is one whose message we should write ourselves.
const BUILT_IN = '\u0000built-in';
const parseOptions = { error: () => BUILT_IN };

const demandKinds = ['place', 'flow', 'randomTrips', 'trips', 'tripsFile'];
const ONE_DEMAND_KEY = 'each demand entry has exactly one key: place, flow, randomTrips, trips or tripsFile';

export function validateValue(data: unknown): { scenario?: Scenario; problems: RawProblem[] } {
  const result = scenarioSchema.safeParse(data, parseOptions);
  const demand = demandProblems(data);
  const problems = result.success
    ? []
    : describeIssues(result.error.issues, [], data, scenarioSchema).filter((p) => !demand.owns(p.path));
  problems.push(...demand.problems);
  if (result.success && problems.length === 0) return { scenario: result.data, problems };
  return { problems };
}

/**
 * Demand entries are a union, and a union's error lists every branch's complaint. The key of
 * the entry says which branch the user meant, so validate against that branch alone; an entry
 * with no such key or several cannot be repaired field by field, so say what shape it needs.
 */
function demandProblems(data: unknown): { problems: RawProblem[]; owns: (path: PathKey[]) => boolean } {
  const problems: RawProblem[] = [];
  const owned = new Set<number>();
  const demand = isPlainObject(data) ? data.demand : undefined;
  if (Array.isArray(demand)) {
    demand.forEach((entry, i) => {
      owned.add(i);
      const base: PathKey[] = ['demand', i];
      if (!isPlainObject(entry)) {
        problems.push({ path: base, anchor: 'value', message: `${ONE_DEMAND_KEY}, got ${describeValue(entry)}` });
        return;
      }
      const kinds = Object.keys(entry).filter((k) => demandKinds.includes(k));
      if (kinds.length === 1) {
        const branch = demandEntrySchema.options.find((o) => kinds[0] in o.shape)!;
        const result = branch.safeParse(entry, parseOptions);
        if (!result.success) problems.push(...describeIssues(result.error.issues, base, data, scenarioSchema));
        return;
      }
      const note = kinds.length === 0 ? 'this one has none' : `not ${kinds.join(' and ')}`;
      problems.push({ path: base, anchor: 'value', message: `${ONE_DEMAND_KEY}, ${note}` });
      if (kinds.length === 0)
        for (const key of Object.keys(entry)) problems.push(unknownField([...base, key], demandKinds));
    });
  }
  return {
    problems,
    owns: (path) => path[0] === 'demand' && path.length >= 2 && owned.has(path[1] as number),
  };
}

/** `issues` have paths relative to `base`; `root` and `schema` are the whole document's. */
function describeIssues(issues: readonly Issue[], base: PathKey[], root: unknown, schema: z.ZodType): RawProblem[] {
  return issues.flatMap((issue) => describeIssue(issue, [...base, ...(issue.path as PathKey[])], root, schema));
}

function describeIssue(issue: Issue, path: PathKey[], root: unknown, schema: z.ZodType): RawProblem[] {
  const value = valueAt(root, path);
  const own = issue.message === BUILT_IN ? null : issue.message;
  const got = `, got ${describeValue(value)}`;
  const at = (message: string, anchor: Anchor = 'value'): RawProblem[] => [{ path, message, anchor }];
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined && !hasKey(valueAt(root, path.slice(0, -1)), path[path.length - 1]))
        return at(own ?? `missing required field '${String(path[path.length - 1])}'`);
      // YAML's .inf and .nan are numbers to zod's type check but not what a field can hold
      if (typeof value === 'number' && !Number.isFinite(value)) return at(own ?? `expected a finite number${got}`);
      return at(own ?? `expected ${expectedName(issue.expected)}${got}`);
    case 'too_small':
    case 'too_big':
      return at((own ?? boundMessage(issue, value)) + (isPrimitive(value) ? got : ''));
    case 'invalid_format':
      return at((own ?? (issue.format === 'regex' ? `must match ${issue.pattern}` : `must be a valid ${issue.format}`)) + got);
    case 'not_multiple_of':
      return at((own ?? `must be a multiple of ${issue.divisor}`) + got);
    case 'invalid_value':
      return at(own ?? `expected ${alternatives(issue.values.map(quote))}${got}`);
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownField([...path, key], fieldNames(schema, path)));
    case 'invalid_key': {
      // the key's own schema says what a name may look like (see the record in schema.ts)
      const rule = issue.issues.find((i) => i.message !== BUILT_IN)?.message ?? 'this name is not allowed';
      return at(own ?? `invalid name ${quote(path[path.length - 1])}: ${rule}`, 'key');
    }
    case 'invalid_element':
      return describeIssues(issue.issues, path, root, schema);
    case 'invalid_union':
      return unionProblems(issue, path, root, schema, value);
    default:
      return at(own ?? issue.message);
  }
}

/**
 * The branch "closest" to the value is the one that got past the type check; report its issues.
 * If every branch rejected the type outright, list what would have been accepted.
 */
function unionProblems(
  issue: z.core.$ZodIssueInvalidUnion,
  path: PathKey[],
  root: unknown,
  schema: z.ZodType,
  value: unknown,
): RawProblem[] {
  const rejectsType = (branch: readonly Issue[]) =>
    branch.every((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'));
  const closer = issue.errors.find((branch) => branch.length > 0 && !rejectsType(branch));
  if (closer) return describeIssues(closer, path, root, schema);
  const accepted = issue.errors.flat().flatMap((i) => {
    if (i.code === 'invalid_value') return i.values.map(quote);
    if (i.code === 'invalid_type') return [expectedName(i.expected)];
    return [];
  });
  const message = issue.message === BUILT_IN ? `expected ${alternatives([...new Set(accepted)])}` : issue.message;
  return [{ path, anchor: 'value', message: `${message}, got ${describeValue(value)}` }];
}

function boundMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'array' || issue.origin === 'set') {
    const n = Array.isArray(value) ? value.length : 0;
    const items = (k: number) => `${k} item${k === 1 ? '' : 's'}`;
    return small ? `needs at least ${items(limit)}, has ${n}` : `allows at most ${items(limit)}, has ${n}`;
  }
  if (issue.origin === 'string') {
    if (small && limit === 1) return 'must not be empty';
    return `must be ${small ? 'at least' : 'at most'} ${limit} characters long`;
  }
  if (small) {
    if (!inclusive) return `must be greater than ${limit}`;
    return limit === 0 ? 'must not be negative' : `must be at least ${limit}`;
  }
  return inclusive ? `must be at most ${limit}` : `must be less than ${limit}`;
}

function unknownField(path: PathKey[], known: string[]): RawProblem {
  const name = String(path[path.length - 1]);
  const guess = closest(name, known);
  return { path, anchor: 'key', message: `unknown field '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}` };
}

/** The field names the schema allows at `path`, for "did you mean" hints. */
function fieldNames(schema: z.ZodType, path: PathKey[]): string[] {
  let current: unknown[] = [schema];
  for (const segment of path) current = current.flatMap(unwrap).flatMap((s) => child(s, segment));
  const names = current.flatMap(unwrap).flatMap((s) => {
    const def = defOf(s);
    return def.type === 'object' ? Object.keys(def.shape as object) : [];
  });
  return [...new Set(names)];
}

// zod 4 keeps a schema's structure in `_zod.def`; only the wrappers the scenario schema uses
// are unwrapped here, anything else simply yields no hint.
type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

function unwrap(s: unknown): unknown[] {
  const def = defOf(s);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return unwrap(def.innerType);
    case 'pipe':
      return unwrap(def.in);
    case 'union':
      return (def.options as unknown[]).flatMap(unwrap);
    default:
      return [s];
  }
}

function child(s: unknown, segment: PathKey): unknown[] {
  const def = defOf(s);
  if (def.type === 'object') {
    const field = (def.shape as Record<string, unknown>)[String(segment)];
    return field ? [field] : [];
  }
  if (def.type === 'array') return [def.element];
  if (def.type === 'record') return [def.valueType];
  if (def.type === 'tuple') {
    const item = (def.items as unknown[])[Number(segment)] ?? def.rest;
    return item ? [item] : [];
  }
  return [];
}

/** The nearest known name within a small edit distance, or none. */
function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

const expectedNames: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  tuple: 'a list',
  null: 'an empty value',
};

function expectedName(expected: string): string {
  return expectedNames[expected] ?? `a value of type ${expected}`;
}

/** How a YAML value reads to its author: `string "abc"`, `-5`, `a list`, `.inf`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  return 'a mapping';
}

function alternatives(options: string[]): string {
  if (options.length <= 1) return options[0] ?? 'nothing';
  if (options.length === 2) return `${options[0]} or ${options[1]}`;
  return `one of ${options.join(', ')}`;
}

function quote(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

function isPrimitive(v: unknown): boolean {
  return v === null || (typeof v !== 'object' && v !== undefined);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function hasKey(container: unknown, key: PathKey | undefined): boolean {
  if (key === undefined) return false;
  if (Array.isArray(container)) return Number(key) < container.length;
  return isPlainObject(container) && Object.prototype.hasOwnProperty.call(container, String(key));
}

function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let v = root;
  for (const segment of path) {
    if (Array.isArray(v)) v = v[Number(segment)];
    else if (isPlainObject(v) && Object.prototype.hasOwnProperty.call(v, String(segment))) v = v[String(segment)];
    else return undefined;
  }
  return v;
}
