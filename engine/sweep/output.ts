/**
 * The sweep's output directory:
 *
 *   scenario.yaml   the base scenario exactly as read when the sweep started (every run reads it)
 *   sweep.yaml      the sweep file, as a record
 *   plan.json       the expanded runs: key, varied values, seed
 *   runs/<key>/     one run directory per run (written under .tmp-… and renamed when complete)
 *   sweep.csv, summary.csv, charts/<metric>.svg   written when the sweep ends
 *
 * Run keys identify a run's inputs completely, so a directory that already holds this sweep (or
 * another sweep of the same base scenario) can be reused: finished runs are not run again.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/run/atomic.js';
import { ENGINE_VERSION } from '../core/version.js';
import { metricChartSvg } from './chart.js';
import { groupCombinations, summaryCsv, sweepCsv, type Combination, type RunResult } from './results.js';
import type { PlannedRun } from './expand.js';
import type { RunJob } from './execute-run.js';
import type { SweepSpec } from './load.js';

export interface SweepOutput {
  dir: string;
  runsDir: string;
  scenarioFile: string;
}

/** Creates (or reopens) the output directory; returns why it cannot, as one line, or its layout. */
export function prepareOutput(dir: string, spec: SweepSpec, runs: readonly PlannedRun[]): SweepOutput | string {
  const out: SweepOutput = { dir, runsDir: join(dir, 'runs'), scenarioFile: join(dir, 'scenario.yaml') };
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) return `--out ${dir}: exists and is not a directory`;
    const entries = readdirSync(dir);
    if (entries.length > 0) {
      if (!entries.includes('plan.json') || !existsSync(out.scenarioFile))
        return `--out ${dir}: directory is not empty and holds no sweep; choose a new one`;
      if (readFileSync(out.scenarioFile, 'utf8') !== spec.baseText)
        return `--out ${dir}: holds a sweep of another base scenario (its scenario.yaml differs); choose a new one`;
    }
  }
  try {
    mkdirSync(out.runsDir, { recursive: true });
    writeFileAtomic(out.scenarioFile, spec.baseText);
    writeFileAtomic(join(dir, 'sweep.yaml'), spec.text);
    const plan = {
      engineVersion: ENGINE_VERSION,
      sweepFile: spec.file,
      baseFile: spec.baseFile,
      varied: spec.vary.map((v) => v.path),
      seeds: spec.seeds,
      metrics: spec.metrics,
      runs: runs.map((r) => ({ key: r.key, params: Object.fromEntries(r.params.map((p) => [p.path, p.value])), seed: r.seed })),
    };
    writeFileAtomic(join(dir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  } catch (err) {
    return `--out ${dir}: cannot write: ${(err as Error).message}`;
  }
  return out;
}

/** The job of each run: what a local child process or a queue worker needs to execute it. */
export const runJobs = (runs: readonly PlannedRun[], out: SweepOutput): RunJob[] =>
  runs.map((r) => ({ key: r.key, scenarioFile: out.scenarioFile, runsDir: out.runsDir, seed: r.seed, overrides: r.overrides }));

/** Writes sweep.csv, summary.csv and a chart per metric; returns the combinations and the files written. */
export function writeResults(out: SweepOutput, spec: SweepSpec, runs: readonly PlannedRun[], results: ReadonlyMap<string, RunResult>): { combos: Combination[]; files: string[] } {
  const varied = spec.vary.map((v) => v.path);
  const combos = groupCombinations(runs, results, spec.metrics);
  const files: string[] = [];
  const write = (name: string, text: string) => {
    writeFileAtomic(join(out.dir, name), text);
    files.push(name);
  };
  write('sweep.csv', sweepCsv(varied, spec.metrics, runs, results));
  write('summary.csv', summaryCsv(varied, spec.metrics, combos));
  mkdirSync(join(out.dir, 'charts'), { recursive: true });
  for (const metric of spec.metrics) {
    const title = `${spec.name}: ${metric}${varied[0] ? ` against ${varied[0]}` : ''}`;
    write(join('charts', `${metric}.svg`), metricChartSvg({ title, metric, varied, combos }));
  }
  return { combos, files };
}
