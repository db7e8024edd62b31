/**
 * The sweep's tables. sweep.csv: one row per run in expansion order (key, varied values, seed,
 * collected metrics, status). summary.csv: one row per combination of varied values with, per
 * metric, the number of runs with a value, the mean, the sample standard deviation and the 95 %
 * confidence interval over the seeds. Both depend only on the runs' metrics, never on the order
 * runs finished in or where they ran, so a local and a queued sweep write the same bytes.
 */
import { canonicalJson } from '../io/scenario/index.js';
import { csvLine } from './csv.js';
import { metricValue } from './metric-path.js';
import { summarize, type Summary } from './stats.js';
import type { ParamValue, PlannedRun } from './expand.js';

/** What became of a run: its metrics.json, or why it has none. */
export type RunResult = { status: 'done'; metrics: Record<string, unknown> } | { status: 'failed'; error: string };

/** The runs of one combination of varied values, with the summary of each metric over their seeds. */
export interface Combination {
  params: ParamValue[];
  runs: PlannedRun[];
  /** per metric: the value of each run with a result, in seed order */
  values: Map<string, (number | null)[]>;
  summaries: Map<string, Summary>;
}

export function groupCombinations(runs: readonly PlannedRun[], results: ReadonlyMap<string, RunResult>, metrics: readonly string[]): Combination[] {
  const byParams = new Map<string, Combination>();
  for (const run of runs) {
    const id = canonicalJson(run.params);
    let combo = byParams.get(id);
    if (!combo) {
      combo = { params: run.params, runs: [], values: new Map(metrics.map((m) => [m, []])), summaries: new Map() };
      byParams.set(id, combo);
    }
    combo.runs.push(run);
    const result = results.get(run.key);
    if (result?.status === 'done') for (const m of metrics) combo.values.get(m)!.push(metricValue(result.metrics, m));
  }
  const combos = [...byParams.values()];
  for (const combo of combos) for (const m of metrics) combo.summaries.set(m, summarize(combo.values.get(m)!));
  return combos;
}

export function sweepCsv(varied: readonly string[], metrics: readonly string[], runs: readonly PlannedRun[], results: ReadonlyMap<string, RunResult>): string {
  const lines = [csvLine(['key', ...varied, 'seed', ...metrics, 'status'])];
  for (const run of runs) {
    const result = results.get(run.key);
    const values = metrics.map((m) => (result?.status === 'done' ? metricValue(result.metrics, m) : null));
    lines.push(csvLine([run.key, ...run.params.map((p) => p.value), run.seed, ...values, result?.status ?? 'missing']));
  }
  return `${lines.join('\n')}\n`;
}

export function summaryCsv(varied: readonly string[], metrics: readonly string[], combos: readonly Combination[]): string {
  const stats = ['n', 'mean', 'sd', 'ci95Low', 'ci95High'] as const;
  const header = [...varied, 'runs', ...metrics.flatMap((m) => stats.map((s) => `${m}.${s}`))];
  const lines = [csvLine(header)];
  for (const combo of combos) {
    const cells = metrics.flatMap((m) => {
      const s = combo.summaries.get(m)!;
      return [s.n, s.mean, s.sd, s.ciLow, s.ciHigh];
    });
    lines.push(csvLine([...combo.params.map((p) => p.value), combo.runs.length, ...cells]));
  }
  return `${lines.join('\n')}\n`;
}
