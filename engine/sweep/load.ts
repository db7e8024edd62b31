/**
 * Reading a sweep file: YAML with positions, the zod schema of spec.ts, the forms of `vary`
 * entries and `seeds`, and the syntax of every dotted path. Everything wrong is collected and
 * thrown together as one SweepError with file, line and column. What needs the base scenario
 * (does the path exist, is the value valid for it) is checked later, in check.ts.
 */
import { LIMITS, readTextBounded } from '../io/limits.js';
import { basename, dirname, extname, resolve } from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { canonicalJson, parseOverride, type LocatedProblem } from '../io/scenario/index.js';
import { describeValue } from '../io/scenario/issues.js';
import { SourceLocator, type Anchor, type PathKey } from '../io/scenario/locate.js';
import { SweepError } from './errors.js';
import { rangeSchema, seedCountSchema, seedListSchema, sweepFileSchema, valueListSchema, MAX_RUNS, type Range } from './spec.js';

/** One varied field: its dotted path and the values it takes, in the order written. */
export interface VariedField {
  path: string;
  values: unknown[];
  /** where each value was written in the sweep file: the list item, or the range as a whole */
  sources: PathKey[][];
}

export interface SweepSpec {
  /** the sweep file as the user named it */
  file: string;
  /** its base name without extension: names the default output directory and the charts */
  name: string;
  /** the base scenario, resolved against the sweep file's folder */
  baseFile: string;
  /** the base scenario's text as read now: every run uses exactly this text */
  baseText: string;
  vary: VariedField[];
  seeds: number[];
  metrics: string[];
  /** fixed overrides applied to every run, before the varied ones */
  set: { path: string; value: unknown }[];
  /** the sweep file's own text (copied into the output directory as a record) */
  text: string;
  /** a problem placed at `path` in the sweep file */
  problemAt(path: PathKey[], message: string, anchor?: Anchor): LocatedProblem;
}

export function loadSweep(file: string): SweepSpec {
  const whole = (message: string, line = 1, col = 1) => new SweepError([{ file, line, col, path: '', message }]);
  let text: string;
  try {
    text = readTextBounded(file, LIMITS.sweep);
  } catch (err) {
    throw whole(`cannot read the sweep file: ${readError(err)}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0)
    throw new SweepError(doc.errors.map((e) => ({ file, ...lines.linePos(e.pos[0]), path: '', message: `invalid YAML: ${e.message}` })));
  if (!isMap(doc.contents)) throw whole('a sweep file is a mapping: base, vary, seeds, metrics (and optionally set)');
  const locator = new SourceLocator(doc, lines);
  const problemAt = (path: PathKey[], message: string, anchor: Anchor = 'value'): LocatedProblem => ({
    file,
    ...locator.position(path, anchor),
    path: path.map(String).join('.'),
    message,
  });

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    throw whole(`invalid YAML: ${(err as Error).message}`);
  }
  const parsed = sweepFileSchema.safeParse(data);
  if (!parsed.success) throw new SweepError(describeIssues(parsed.error.issues, [], data, problemAt));
  const sweep = parsed.data;
  const problems: LocatedProblem[] = [];

  const vary: VariedField[] = [];
  for (const [path, entry] of Object.entries(sweep.vary)) {
    const at: PathKey[] = ['vary', path];
    problems.push(...pathProblems(path, at, problemAt));
    const field = variedField(path, entry, at, data, problemAt, problems);
    if (field) vary.push(field);
  }
  const set = Object.entries(sweep.set).map(([path, value]) => {
    problems.push(...pathProblems(path, ['set', path], problemAt));
    return { path, value };
  });
  sweep.metrics.forEach((m, i) => {
    if (!/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(m))
      problems.push(problemAt(['metrics', i], `'${m}' is not a dotted path into metrics.json (e.g. traffic.meanTravelTime)`));
  });
  const seen = new Set<string>();
  sweep.metrics.forEach((m, i) => {
    if (seen.has(m)) problems.push(problemAt(['metrics', i], `'${m}' is listed twice`));
    seen.add(m);
  });
  const seeds = seedList(sweep.seeds, data, problemAt, problems);

  const runs = vary.reduce((n, f) => n * f.values.length, seeds.length);
  if (problems.length === 0 && runs > MAX_RUNS)
    problems.push(problemAt(['vary'], `the sweep expands to ${runs} runs; at most ${MAX_RUNS} are allowed`, 'key'));
  if (problems.length > 0) throw new SweepError(problems);

  const baseFile = resolve(dirname(file), sweep.base);
  let baseText: string;
  try {
    baseText = readTextBounded(baseFile, LIMITS.scenario);
  } catch (err) {
    throw new SweepError([problemAt(['base'], `cannot read the base scenario ${baseFile}: ${readError(err)}`)]);
  }
  return { file, name: basename(file, extname(file)), baseFile, baseText, vary, seeds, metrics: sweep.metrics, set, text, problemAt };
}

/** A dotted path must parse as `--set` parses it, and `seed` is varied through `seeds`. */
function pathProblems(path: string, at: PathKey[], problemAt: SweepSpec['problemAt']): LocatedProblem[] {
  const parsed = parseOverride(`${path}=0`);
  if ('message' in parsed) return [problemAt(at, `'${path}' is not a dotted path: ${parsed.message}`, 'key')];
  if (path === 'seed') return [problemAt(at, "the seed is not varied here: use 'seeds: N' or 'seeds: [a, b, …]'", 'key')];
  return [];
}

function variedField(
  path: string,
  entry: unknown,
  at: PathKey[],
  root: unknown,
  problemAt: SweepSpec['problemAt'],
  problems: LocatedProblem[],
): VariedField | null {
  if (Array.isArray(entry)) {
    const r = valueListSchema.safeParse(entry);
    if (!r.success) {
      problems.push(...describeIssues(r.error.issues, at, root, problemAt));
      return null;
    }
    // two equal values would be two runs with the same key: one of them would never run
    const first = new Map<string, number>();
    entry.forEach((v, i) => {
      const k = canonicalJson(v);
      if (first.has(k)) problems.push(problemAt([...at, i], `the value ${describeValue(v)} is listed twice (also item ${first.get(k)})`));
      else first.set(k, i);
    });
    return { path, values: entry, sources: entry.map((_, i) => [...at, i]) };
  }
  if (entry !== null && typeof entry === 'object') {
    const r = rangeSchema.safeParse(entry);
    if (!r.success) {
      problems.push(...describeIssues(r.error.issues, at, root, problemAt));
      return null;
    }
    // counted before expanded: a range of 1e10 values must be a message, not an array
    const count = rangeCount(r.data);
    if (count > MAX_RUNS) {
      problems.push(problemAt(at, `the range has ${count > 1e15 ? count.toExponential(2) : count} values; at most ${MAX_RUNS} runs are allowed`));
      return null;
    }
    const values = expandRange(r.data);
    return { path, values, sources: values.map(() => at) };
  }
  problems.push(problemAt(at, `expected a list of values [a, b, …] or a range { from, to, step }, got ${describeValue(entry)}`));
  return null;
}

/**
 * from, from + step, … while ≤ to. Values are computed as from + i·step (no accumulated error)
 * and rounded to 12 significant digits, so 0.1 steps give 0.3 and not 0.30000000000000004; `to`
 * is included when (to − from) / step is a whole number up to rounding.
 */
export function expandRange(r: Range): number[] {
  const count = rangeCount(r);
  if (count > MAX_RUNS) throw new RangeError(`a range of ${count} values; at most ${MAX_RUNS} runs are allowed`);
  return Array.from({ length: count }, (_, i) => Number((r.from + i * r.step).toPrecision(12)));
}

/** How many values a range has (may be huge or infinite: check it before expanding). */
export function rangeCount(r: Range): number {
  const span = (r.to - r.from) / r.step;
  // the rounding allowance is relative, capped so that a huge span is not counted long
  return Math.floor(span + Math.min(1e-9 * Math.max(1, Math.abs(span)), 1e-3)) + 1;
}

function seedList(value: unknown, root: unknown, problemAt: SweepSpec['problemAt'], problems: LocatedProblem[]): number[] {
  if (typeof value === 'number') {
    const r = seedCountSchema.safeParse(value);
    if (!r.success) problems.push(...describeIssues(r.error.issues, ['seeds'], root, problemAt));
    return r.success ? Array.from({ length: r.data }, (_, i) => i + 1) : [];
  }
  if (Array.isArray(value)) {
    const r = seedListSchema.safeParse(value);
    if (!r.success) {
      problems.push(...describeIssues(r.error.issues, ['seeds'], root, problemAt));
      return [];
    }
    const first = new Map<number, number>();
    r.data.forEach((s, i) => {
      if (first.has(s)) problems.push(problemAt(['seeds', i], `seed ${s} is listed twice (also item ${first.get(s)})`));
      else first.set(s, i);
    });
    return r.data;
  }
  problems.push(problemAt(['seeds'], `expected a count of seeds (seeds 1..N) or a list of seeds, got ${describeValue(value)}`));
  return [];
}

/** zod issues as located problems; the messages are mostly written in spec.ts. */
function describeIssues(issues: readonly z.core.$ZodIssue[], base: PathKey[], root: unknown, problemAt: SweepSpec['problemAt']): LocatedProblem[] {
  return issues.flatMap((issue): LocatedProblem[] => {
    const path = [...base, ...(issue.path as PathKey[])];
    const value = valueAt(root, path);
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(valueAt(root, path) === undefined ? {} : knownFields(path));
      return issue.keys.map((key) => problemAt([...path, key], `unknown field '${key}'${known.length ? ` (expected ${known.join(', ')})` : ''}`, 'key'));
    }
    if (issue.code === 'invalid_type' && value === undefined) return [problemAt(path, `missing required field '${String(path[path.length - 1])}'`)];
    const got = value === undefined || (typeof value === 'object' && value !== null) ? '' : `, got ${describeValue(value)}`;
    return [problemAt(path, `${issue.message}${got}`)];
  });
}

/** The fields a mapping at `path` may have: the sweep file's top level, or a range. */
function knownFields(path: PathKey[]): Record<string, true> {
  if (path.length === 0) return { base: true, vary: true, seeds: true, metrics: true, set: true };
  if (path[0] === 'vary') return { from: true, to: true, step: true };
  return {};
}

function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(k)];
  }
  return v;
}

function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'this is a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (err as Error).message;
}
