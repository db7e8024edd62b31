/**
 * A sweep as a list of runs: every combination of the varied values (the cartesian product, the
 * last field varying fastest) times every seed. Each run has a key that is a function of what it
 * computes (engine version, base scenario, parameters, seed) and of nothing else, so the same
 * run has the same key in every sweep, on every machine, however often it is enqueued.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../io/scenario/index.js';
import { ENGINE_VERSION } from '../core/version.js';
import type { SweepSpec } from './load.js';
import type { PathKey } from '../io/scenario/locate.js';

export interface ParamValue {
  path: string;
  value: unknown;
}

export interface PlannedRun {
  /** position in expansion order: results are reported in this order, whatever order runs finish in */
  index: number;
  /** stable identity: a readable part and a hash; names the run directory and the queue job */
  key: string;
  /** the varied values of this run, in the sweep file's order */
  params: ParamValue[];
  seed: number;
  /** `path=value` texts for `roadtwin run --set`: the sweep's fixed `set` first, then `params` */
  overrides: string[];
  /** where in the sweep file each of `params` was written (for problems found in its scenario) */
  sources: PathKey[][];
}

/** A value as `--set` text: JSON is YAML, and quoting keeps a string such as "1.5" a string. */
export const overrideText = (path: string, value: unknown) => `${path}=${JSON.stringify(value)}`;

/**
 * @param baseHash the scenario hash of the base with the fixed `set` applied: a different base
 * gives different keys, so a queue never hands back a result computed from another scenario.
 */
export function expandSweep(spec: SweepSpec, baseHash: string): PlannedRun[] {
  const fixed = spec.set.map((s) => overrideText(s.path, s.value));
  const runs: PlannedRun[] = [];
  for (const combo of combinations(spec)) {
    for (const seed of spec.seeds) {
      const params = combo.map((c) => c.param);
      runs.push({
        index: runs.length,
        key: runKey(baseHash, params, seed),
        params,
        seed,
        overrides: [...fixed, ...params.map((p) => overrideText(p.path, p.value))],
        sources: combo.map((c) => c.source),
      });
    }
  }
  return runs;
}

/** Every combination of the varied values, the last field varying fastest; one empty one if nothing varies. */
export function combinations(spec: Pick<SweepSpec, 'vary'>): { param: ParamValue; source: PathKey[] }[][] {
  let combos: { param: ParamValue; source: PathKey[] }[][] = [[]];
  for (const field of spec.vary) {
    combos = combos.flatMap((combo) => field.values.map((value, i) => [...combo, { param: { path: field.path, value }, source: field.sources[i] }]));
  }
  return combos;
}

/** `penetration-0.3_headway-1.5_seed-2_3f9a1c2b7d`: readable in a directory listing, unique by its hash. */
export function runKey(baseHash: string, params: ParamValue[], seed: number): string {
  // the order fields are written in does not change what a run computes, so it does not change the key
  const byPath = [...params].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const sorted = Object.fromEntries(byPath.map((p) => [p.path, p.value]));
  const hash = createHash('sha256').update(canonicalJson({ engine: ENGINE_VERSION, base: baseHash, params: sorted, seed })).digest('hex').slice(0, 10);
  const readable = byPath
    .filter((p) => ['number', 'string', 'boolean'].includes(typeof p.value))
    .map((p) => `${p.path.split('.').pop()}-${String(p.value)}`)
    .join('_')
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 80);
  return `${readable ? `${readable}_` : ''}seed-${seed}_${hash}`;
}
