/**
 * `roadtwin bench`: runs the macro benchmarks (bench/macro.ts), each repetition in its own
 * process so that one's heap does not slow the next and peak memory is its own, prints a table,
 * writes the results as JSON, and optionally gates them against a baseline or records them as
 * one. Comparisons (two workers against one) are measured in the same run, one case right after
 * the other, because this machine is shared and noisy; repetitions are interleaved (all cases,
 * then all cases again) so that a passing burst of load hits one repetition of each case rather
 * than every repetition of one.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../io/run/atomic.js';
import { ENGINE_VERSION } from '../core/version.js';
import type { MacroResult } from '../../bench/macro.js';
import { CALIBRATION_VERSION } from '../../bench/calibrate.js';
import { bestOf, caseKey, formatTable, speedUp, type BenchReport } from '../../bench/report.js';
import { compareWithBaseline, formatGate, formatRaceGate, raceGate, type RaceRow } from '../../bench/gate.js';
import { race, type RaceResult } from '../../bench/race.js';
import { prepareReference } from '../../bench/reference.js';
import { historySvg, phaseSplitSvg, type HistoryEntry } from '../../bench/charts.js';

/** extra runs of a case that seems to have regressed, before the gate believes it */
const CONFIRM_TRIES = 5;
/** extra races of a case that seems to have regressed (each race is already 24 paired slices) */
const CONFIRM_RACES = 2;

/** the package's root (this file is dist/engine/cli/bench.js) */
const packageRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface Case {
  name: string;
  /** simulated seconds (default: the scenario's) */
  duration?: number;
  workers: number;
}

/** `short` is the CI gate's profile (under 3 minutes with 3 repetitions); `full` the README's. */
const profiles: Record<string, { cases: Case[]; repeat: number }> = {
  short: {
    repeat: 3,
    cases: [
      { name: 'ring-100k', duration: 10, workers: 1 },
      { name: 'ring-100k', duration: 10, workers: 2 },
      { name: 'grid-16', duration: 60, workers: 1 },
      { name: 'grid-16', duration: 60, workers: 2 },
      // (Laoshan's few hundred vehicles run in-line whatever --workers says: one case is enough here)
      { name: 'laoshan', duration: 1800, workers: 1 },
    ],
  },
  full: {
    repeat: 1,
    cases: [
      { name: 'ring-100k', workers: 1 },
      { name: 'ring-100k', workers: 2 },
      { name: 'grid-16', workers: 1 },
      { name: 'grid-16', workers: 2 },
      { name: 'grid-16-v2x', workers: 1 },
      { name: 'grid-16-v2x', workers: 2 },
      { name: 'laoshan', workers: 1 },
      { name: 'laoshan', workers: 2 },
      { name: 'laoshan-v2x-off', workers: 1 },
      { name: 'laoshan-v2x-100', workers: 1 },
    ],
  },
};

export interface BenchOptions {
  profile: string;
  out: string;
  repeat?: string;
  check?: string;
  tolerance: string;
  saveBaseline?: string;
  history?: string;
  /** race against this build (a directory holding a built roadtwin, or a commit) instead of the baseline's reference */
  against?: string;
}

export async function runBench(opts: BenchOptions): Promise<number> {
  const profile = profiles[opts.profile];
  if (!profile) return fail(`unknown profile '${opts.profile}' (short | full)`);
  const repeat = opts.repeat !== undefined ? Number(opts.repeat) : profile.repeat;
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 50) return fail(`--repeat must be a whole number from 1 to 50, not '${opts.repeat}'`);
  const tolerance = Number(opts.tolerance);
  if (!(tolerance > 0 && tolerance < 1)) return fail(`--tolerance must be a share between 0 and 1 (0.15 = 15 %), not '${opts.tolerance}'`);
  const report = (results: MacroResult[], comparisons: Record<string, number | null> = {}): BenchReport => ({
    engineVersion: ENGINE_VERSION,
    date: new Date().toISOString(),
    commit: gitCommit('short'),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    profile: opts.profile,
    calibrationVersion: CALIBRATION_VERSION,
    repetitions: repeat,
    results,
    spread,
    comparisons,
  });
  // Read the baseline first: a missing or broken one should fail before minutes of benchmarking.
  let baseline: BenchReport | undefined;
  if (opts.check) {
    const read = readReport(opts.check);
    if (typeof read === 'string') return fail(read);
    baseline = read;
  }

  // With a baseline, the gate races this build against the reference build the baseline names
  // (or --against), case by case (bench/race.ts); without one it can only compare calibrated
  // figures with the baseline's, which this shared machine's noise can fail.
  let referenceRoot: string | undefined;
  const against = opts.against ?? baseline?.reference;
  if (against) {
    if (existsSync(join(against, 'dist/bench/macro.js'))) referenceRoot = resolve(against);
    else {
      const ref = prepareReference(packageRoot, against, (line) => process.stdout.write(`${line}\n`));
      if ('root' in ref) referenceRoot = ref.root;
      else if (opts.against) return fail(`cannot race against '${opts.against}': ${ref.unavailable}`);
      else process.stdout.write(`the baseline's reference build is not available (${ref.unavailable}); comparing calibrated figures instead\n`);
    }
  }

  const child = fileURLToPath(new URL('./bench-child.js', import.meta.url));
  const runs: MacroResult[] = [];
  const spread: Record<string, number[]> = {};
  const runCase = (c: Case, label: string) => {
    const args = [child, c.name, c.duration !== undefined ? String(c.duration) : '-', String(c.workers)];
    const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    const r = JSON.parse(out.trim().split('\n').pop()!) as MacroResult;
    runs.push(r);
    (spread[caseKey(r)] ??= []).push(r.calibrated);
    process.stdout.write(`  ${caseKey(r).padEnd(15)} ${label}: ${(r.updatesPerSecond / 1e6).toFixed(2)} M upd/s, calibrated ${r.calibrated.toFixed(4)}\n`);
  };
  const raceRows: RaceRow[] = [];
  if (referenceRoot) {
    process.stdout.write(`racing against the reference build in ${referenceRoot}\n`);
    for (const c of profile.cases) {
      const key = caseKey(c);
      let best: RaceResult | undefined;
      let races = 0;
      // A regression must persist: a case that lost more than the tolerance races again, and
      // only if it loses in every race does the gate fail (the best race counts).
      while (races <= CONFIRM_RACES && (!best || best.ratio < 1 - tolerance)) {
        races++;
        const r = await race(c, packageRoot, referenceRoot);
        runs.push(r.current);
        (spread[key] ??= []).push(r.current.calibrated);
        process.stdout.write(
          `  ${key.padEnd(15)} ${races === 1 ? 'race' : `race ${races} (confirming)`}: ${(r.current.updatesPerSecond / 1e6).toFixed(2)} M upd/s against the reference's ${(r.reference.updatesPerSecond / 1e6).toFixed(2)}; slices ${r.ratio.toFixed(3)} (quartiles ${r.quartiles[0].toFixed(3)}–${r.quartiles[1].toFixed(3)})\n`,
        );
        if (!best || r.ratio > best.ratio) best = r;
      }
      raceRows.push({ key, ratio: best!.ratio, quartiles: best!.quartiles, races, referenceUpdatesPerSecond: best!.reference.updatesPerSecond });
    }
  } else {
    for (let rep = 0; rep < repeat; rep++) for (const c of profile.cases) runCase(c, `repetition ${rep + 1}/${repeat}`);
    if (baseline) {
      // A regression must be confirmed: on a shared machine one burst of load can cost a case all
      // its repetitions. Failing cases get more tries; only a loss that persists fails the gate.
      const first = compareWithBaseline(report(bestOf(runs)), baseline, tolerance);
      for (const row of first.rows.filter((r) => r.status === 'regression')) {
        const c = profile.cases.find((x) => caseKey(x) === row.key)!;
        for (let t = 0; t < CONFIRM_TRIES; t++) runCase(c, `confirming a regression, try ${t + 1}/${CONFIRM_TRIES}`);
      }
    }
  }
  const results = bestOf(runs);
  process.stdout.write(formatTable(results));
  const comparisons: Record<string, number | null> = {};
  for (const name of [...new Set(results.map((r) => r.name))]) {
    const s = speedUp(results, name, 2, 1);
    if (s !== null) comparisons[`${name} workers 2 / workers 1`] = s;
  }
  // what V2X at 100 % penetration costs: wall time per simulated second, on against off
  const off = results.find((r) => r.name === 'laoshan-v2x-off');
  const on = results.find((r) => r.name === 'laoshan-v2x-100');
  if (off && on) comparisons['laoshan V2X 100 % / V2X off, wall time'] = Math.round((off.realTimeFactor / on.realTimeFactor) * 1000) / 1000;
  for (const [k, v] of Object.entries(comparisons)) process.stdout.write(`${k}: ${v ?? '-'}\n`);

  const final: BenchReport = {
    ...report(results, comparisons),
    ...(raceRows.length ? { race: Object.fromEntries(raceRows.map(({ key, ...r }) => [key, r])) } : {}),
  };
  writeJson(opts.out, final);
  process.stdout.write(`results: ${opts.out}\n`);

  const historyFile = opts.history ?? (opts.profile === 'full' ? 'bench/history.ndjson' : undefined);
  if (historyFile) recordHistory(historyFile, final);
  if (opts.saveBaseline) {
    writeJson(opts.saveBaseline, asBaseline(final));
    process.stdout.write(`baseline written: ${opts.saveBaseline}\n`);
  }
  if (baseline && raceRows.length) {
    const gate = raceGate(raceRows, tolerance);
    process.stdout.write(formatRaceGate(gate, tolerance));
    return gate.passed ? 0 : 1;
  }
  if (baseline) {
    const gate = compareWithBaseline(final, baseline, tolerance);
    process.stdout.write(formatGate(gate, tolerance));
    return gate.passed ? 0 : 1;
  }
  return 0;
}

/**
 * A report as a baseline: each case's calibrated figure is the median of its repetitions, not the
 * best. The check takes the best of its own repetitions against it, so one lucky repetition in
 * the baseline (the calibration kernel itself runs in one of two speeds, process by process) does
 * not turn an unchanged engine into a regression.
 */
export function asBaseline(report: BenchReport): BenchReport {
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const { race: _race, ...rest } = report;
  return {
    ...rest,
    // the build the gate races against from now on: the one just measured
    ...(report.commit ? { reference: gitCommit('full') ?? report.commit } : {}),
    results: report.results.map((r) => ({ ...r, calibrated: Math.round(median(report.spread[caseKey(r)] ?? [r.calibrated]) * 1e4) / 1e4 })),
  };
}

/** Appends this run to the history and redraws the charts beside it (bench/charts/). */
function recordHistory(file: string, report: BenchReport): void {
  const entry: HistoryEntry = {
    date: report.date,
    commit: report.commit,
    profile: report.profile,
    cases: Object.fromEntries(report.results.map((r) => [caseKey(r), { updatesPerSecond: r.updatesPerSecond, calibrated: r.calibrated }])),
  };
  mkdirSync(dirname(resolve(file)), { recursive: true });
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as HistoryEntry)
    .filter((e) => e.profile === report.profile);
  const charts = join(dirname(resolve(file)), 'charts');
  mkdirSync(charts, { recursive: true });
  writeFileAtomic(join(charts, 'history.svg'), historySvg(entries, `roadtwin throughput, profile ${report.profile} (${report.cpu}, ${report.cores} cores)`));
  writeFileAtomic(join(charts, 'phases.svg'), phaseSplitSvg(report.results, `Where a tick's time goes (${report.date.slice(0, 10)}, ${report.commit ?? 'uncommitted'})`));
  process.stdout.write(`history: ${file}; charts: ${charts}/history.svg, phases.svg\n`);
}

function readReport(file: string): BenchReport | string {
  if (!existsSync(file)) return `baseline ${file} does not exist; record one with npm run bench:baseline`;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return `baseline ${file} is not valid JSON: ${(e as Error).message}`;
  }
  const r = data as Partial<BenchReport>;
  if (!r || !Array.isArray(r.results) || typeof r.calibrationVersion !== 'number' || typeof r.profile !== 'string')
    return `baseline ${file} is not a roadtwin benchmark report (results, profile and calibrationVersion are required)`;
  for (const [i, x] of r.results.entries())
    if (typeof x?.name !== 'string' || typeof x?.workers !== 'number' || typeof x?.calibrated !== 'number' || typeof x?.simSeconds !== 'number')
      return `baseline ${file}: results.${i} lacks name, workers, simSeconds or calibrated`;
  return r as BenchReport;
}

function writeJson(file: string, data: unknown): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileAtomic(resolve(file), `${JSON.stringify(data, null, 2)}\n`);
}

/**
 * The commit checked out, or null outside a git work tree: 'short' to name it in a report, 'full'
 * for a baseline's reference, which the gate later builds again (a short hash can grow ambiguous).
 */
function gitCommit(form: 'short' | 'full'): string | null {
  try {
    const args = form === 'short' ? ['rev-parse', '--short', 'HEAD'] : ['rev-parse', 'HEAD'];
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

function fail(message: string): number {
  process.stderr.write(`roadtwin bench: ${message}\n`);
  return 1;
}
