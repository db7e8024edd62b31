/**
 * Everything that can be known before the first run starts: the base scenario with the fixed
 * overrides is valid, every varied path is a field the scenario has, the scenario of every
 * combination of values is valid, and every metric names a number in this scenario's
 * metrics.json. A sweep that would fail after an hour of runs is refused in a second instead.
 */
import { isAbsolute, relative } from 'node:path';
import { OVERRIDE_FILE_PREFIX, parseScenario, ScenarioError, type LoadedScenario, type LocatedProblem } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { metricsJson } from '../io/run/metrics.js';
import { SweepError } from './errors.js';
import { expandSweep, overrideText, type PlannedRun } from './expand.js';
import { lookupMetric } from './metric-path.js';
import type { SweepSpec } from './load.js';
import type { PathKey } from '../io/scenario/locate.js';

export interface CheckedSweep {
  /** scenario hash of the base with the fixed overrides: part of every run key */
  baseHash: string;
  runs: PlannedRun[];
}

export function checkSweep(spec: SweepSpec): CheckedSweep {
  const shown = displayName(spec.baseFile);
  const fixed = spec.set.map((s) => overrideText(s.path, s.value));
  const fixedSource = spec.set.map((s): PathKey[] => ['set', s.path]);

  // the base alone: a problem here is in every run, so report it once and stop
  const base = tryLoad(spec.baseText, shown, fixed);
  if (base.problems.length > 0) throw new SweepError(base.problems.map((p) => placeProblem(p, spec, fixed, fixedSource, shown, '')));
  const problems: LocatedProblem[] = [];
  for (const field of spec.vary) {
    const missing = missingField(base.loaded!.scenario, field.path);
    if (missing) problems.push(spec.problemAt(['vary', field.path], `${shown} has no field '${field.path}'${missing}`, 'key'));
  }
  if (problems.length > 0) throw new SweepError(problems);

  const runs = expandSweep(spec, base.loaded!.hash);
  // the seed is a whole number checked by the sweep schema; validity otherwise depends only on the values
  const firstOfEach = runs.filter((r) => r.seed === spec.seeds[0]);
  let first: LoadedScenario | undefined;
  for (const run of firstOfEach) {
    const combo = tryLoad(spec.baseText, shown, run.overrides);
    first ??= combo.loaded;
    const sources = [...fixedSource, ...run.sources];
    const context = run.params.map((p) => overrideText(p.path, p.value)).join(', ');
    problems.push(...combo.problems.map((p) => placeProblem(p, spec, run.overrides, sources, shown, context)));
  }
  if (problems.length > 0) throw new SweepError(problems);

  problems.push(...metricProblems(spec, first!));
  if (problems.length > 0) throw new SweepError(problems);
  return { baseHash: base.loaded!.hash, runs };
}

function tryLoad(text: string, file: string, overrides: string[]): { loaded?: LoadedScenario; problems: LocatedProblem[] } {
  try {
    return { loaded: parseScenario(text, file, { overrides }), problems: [] };
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    return { problems: err.problems };
  }
}

/**
 * A problem the scenario loader reported against an override is moved to where that value was
 * written in the sweep file; one in the base file itself stays there, naming the combination.
 */
function placeProblem(p: LocatedProblem, spec: SweepSpec, overrides: string[], sources: PathKey[][], shown: string, context: string): LocatedProblem {
  if (p.file.startsWith(OVERRIDE_FILE_PREFIX)) {
    const i = overrides.indexOf(p.file.slice(OVERRIDE_FILE_PREFIX.length));
    if (i >= 0) return spec.problemAt(sources[i], `invalid for ${p.path || 'the scenario'} in ${shown}: ${p.message}`);
  }
  return context ? { ...p, message: `${p.message} (in the runs with ${context})` } : p;
}

/** Why `path` is not a field of the validated scenario (defaults included), or '' if it is. */
function missingField(scenario: unknown, path: string): string {
  let here: unknown = scenario;
  const keys = path.split('.');
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const where = keys.slice(0, i).join('.') || 'the top level';
    if (Array.isArray(here)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key) || Number(key) >= here.length) return ` (${where} is a list of ${here.length}; use an index 0..${here.length - 1})`;
      here = here[Number(key)];
    } else if (here !== null && typeof here === 'object') {
      if (!(key in here)) return ` (fields at ${where}: ${Object.keys(here).slice(0, 15).join(', ')})`;
      here = (here as Record<string, unknown>)[key];
    } else return ` (${where} is a single value)`;
  }
  return '';
}

/** Each metric must name a number (or null) in the metrics.json this scenario's runs will write. */
function metricProblems(spec: SweepSpec, loaded: LoadedScenario): LocatedProblem[] {
  // metrics.json's shape depends on the scenario (v2x, emissions), not on the run: a world that
  // has not stepped yet gives the same fields
  // (every vehicle type as if it had finished a trip: traffic.byType.<type>.… are metrics a sweep may name)
  const byType = Object.fromEntries(Object.keys(loaded.scenario.vehicleTypes).map((k) => [k, { trips: 1, travelSum: 0, timeLossSum: 0, waitingSum: 0, stops: 0 }]));
  const shape = metricsJson(new World(loaded.scenario), { wallSeconds: 0 }, { count: 0, waitingSum: 0, haltsSum: 0, byType });
  return spec.metrics.flatMap((m, i) => {
    const found = lookupMetric(shape, m);
    if (found.kind === 'value') return [];
    const message =
      found.kind === 'group'
        ? `'${m}' is a group of metrics; name one of its fields: ${found.fields.join(', ')}`
        : `metrics.json of this scenario has no '${m}'${found.known.length ? ` (there: ${found.known.join(', ')})` : ''}`;
    return [spec.problemAt(['metrics', i], message)];
  });
}

function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
