/**
 * The regression gate: compares a benchmark report with the committed baseline case by case, on
 * calibrated throughput (updates/s ÷ the calibration kernel's updates/s in the same process), so
 * that a slower or busier machine does not read as a slower engine. A case fails when it lost
 * more than `tolerance` (a share, 0.15 = 15 %) of its baseline figure.
 */
import { caseKey, type BenchReport } from './report.js';

export interface GateRow {
  key: string;
  baseline: number;
  current: number | null;
  /** current ÷ baseline − 1; null when the case is missing */
  change: number | null;
  status: 'ok' | 'faster' | 'regression' | 'missing';
}

export interface GateResult {
  rows: GateRow[];
  /** reasons the comparison itself is invalid (another profile or calibration kernel) */
  problems: string[];
  passed: boolean;
}

export function compareWithBaseline(current: BenchReport, baseline: BenchReport, tolerance: number): GateResult {
  const problems: string[] = [];
  if (baseline.calibrationVersion !== current.calibrationVersion)
    problems.push(
      `the baseline was measured with calibration kernel v${baseline.calibrationVersion}, this run with v${current.calibrationVersion}: record a new baseline (npm run bench:baseline)`,
    );
  if (baseline.profile !== current.profile)
    problems.push(`the baseline is of profile '${baseline.profile}', this run of '${current.profile}'`);
  const byKey = new Map(current.results.map((r) => [caseKey(r), r]));
  const rows: GateRow[] = baseline.results.map((b) => {
    const key = caseKey(b);
    const c = byKey.get(key);
    if (!c) return { key, baseline: b.calibrated, current: null, change: null, status: 'missing' };
    if (c.simSeconds !== b.simSeconds)
      problems.push(`${key}: the baseline timed ${b.simSeconds} simulated s, this run ${c.simSeconds} s (another profile or scenario)`);
    const change = c.calibrated / b.calibrated - 1;
    const status = change < -tolerance ? 'regression' : change > tolerance ? 'faster' : 'ok';
    return { key, baseline: b.calibrated, current: c.calibrated, change, status };
  });
  const passed = problems.length === 0 && rows.every((r) => r.status === 'ok' || r.status === 'faster');
  return { rows, problems, passed };
}

export function formatGate(g: GateResult, tolerance: number): string {
  const lines = [`case            baseline   current   change  (calibrated throughput; fails below −${Math.round(tolerance * 100)} %)`];
  for (const r of g.rows) {
    const change = r.change === null ? '-' : `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)} %`;
    lines.push(
      `${r.key.padEnd(15)} ${r.baseline.toFixed(4).padStart(8)} ${(r.current === null ? '-' : r.current.toFixed(4)).padStart(9)} ${change.padStart(8)}  ${r.status === 'ok' ? '' : r.status.toUpperCase()}`,
    );
  }
  for (const p of g.problems) lines.push(`problem: ${p}`);
  lines.push(g.passed ? 'bench check: passed' : 'bench check: FAILED');
  return `${lines.join('\n')}\n`;
}

/** One case of the race (bench/race.ts): this build's throughput ÷ the reference build's. */
export interface RaceRow {
  key: string;
  /** the median of the slices' ratios, of the best of the races run */
  ratio: number;
  quartiles: [number, number];
  /** races run (more than one: the first lost more than the tolerance) */
  races: number;
  referenceUpdatesPerSecond: number;
}

export interface RaceGateResult {
  rows: (RaceRow & { status: 'ok' | 'faster' | 'regression' })[];
  passed: boolean;
}

/** A case fails when even its best race left it more than `tolerance` slower than the reference. */
export function raceGate(rows: RaceRow[], tolerance: number): RaceGateResult {
  const out = rows.map((r) => ({ ...r, status: r.ratio < 1 - tolerance ? ('regression' as const) : r.ratio > 1 + tolerance ? ('faster' as const) : ('ok' as const) }));
  return { rows: out, passed: out.length > 0 && out.every((r) => r.status !== 'regression') };
}

export function formatRaceGate(g: RaceGateResult, tolerance: number): string {
  const lines = [`case            this build ÷ reference (median of slices, quartiles)  races  (fails below ${(1 - tolerance).toFixed(2)})`];
  for (const r of g.rows)
    lines.push(
      `${r.key.padEnd(15)} ${r.ratio.toFixed(3).padStart(6)}  (${r.quartiles[0].toFixed(3)}–${r.quartiles[1].toFixed(3)})${' '.repeat(34)}${String(r.races).padStart(2)}  ${r.status === 'ok' ? '' : r.status.toUpperCase()}`,
    );
  lines.push(g.passed ? 'bench check: passed' : 'bench check: FAILED');
  return `${lines.join('\n')}\n`;
}
