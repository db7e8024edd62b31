/**
 * `npm run bench:validation`: roadtwin against SUMO on real cities, at step 1 s and 0.1 s.
 *
 * For each scenario of cases.ts and each step: its files are copied to a work directory, SUMO
 * (Debian's `sumo`) runs its configuration with `--statistic-output` and `--tripinfo-output`;
 * `roadtwin import sumo --config` converts the same configuration and `roadtwin run` runs it with
 * `--workers 2`; both are timed under GNU time. One table per scenario, the project's targets
 * checked (targets.ts), everything written to bench/results/validation.json.
 *
 * Options: `--case NAME` (repeatable; default all), `--step S` (repeatable; default 1 and 0.1),
 * `--workers N` (default 2), `--check` (exit 1 when a target fails). Needs SUMO
 * (`apt-get install -y sumo sumo-tools`).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validationCases, type ValidationCase } from './cases.js';
import { roadtwinFigures, sumoFigures, type RunFigures } from './measure.js';
import { checkTargets, type TargetCheck } from './targets.js';
import { have, randomTrips, run, timed } from '../sumo/tools.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const roadtwin = join(root, 'bin', 'roadtwin.js');
const WHO = 'bench:validation';

interface Options {
  cases: string[];
  steps: number[];
  workers: number;
  check: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { cases: [], steps: [], workers: 2, check: false };
  const bad = (why: string): never => {
    process.stderr.write(`${WHO}: ${why}\n  options: --case NAME (${validationCases.map((c) => c.name).join(', ')}) --step S --workers N --check\n`);
    process.exit(1);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = argv[i + 1];
    if (a === '--check') o.check = true;
    else if (a === '--case') {
      if (!validationCases.some((c) => c.name === value)) bad(`unknown case '${value}'`);
      o.cases.push(value);
      i++;
    } else if (a === '--step') {
      const s = Number(value);
      if (!(s > 0 && s <= 1)) bad(`--step must be a number in (0, 1], not '${value}'`);
      o.steps.push(s);
      i++;
    } else if (a === '--workers') {
      const w = Number(value);
      if (!(Number.isInteger(w) && w >= 1)) bad(`--workers must be a whole number ≥ 1, not '${value}'`);
      o.workers = w;
      i++;
    } else bad(`unknown option '${a}'`);
  }
  if (o.steps.length === 0) o.steps = [1, 0.1];
  return o;
}

/** The case's files in a work directory of their own (SUMO writes its outputs beside its config). */
function prepare(c: ValidationCase, work: string): { dir: string; sumoInput: string[]; importInput: string[] } {
  const dir = join(work, c.name);
  mkdirSync(dir, { recursive: true });
  if (c.kind === 'config') {
    cpSync(c.dir, dir, { recursive: true });
    return { dir, sumoInput: ['-c', c.config], importInput: ['--config', join(dir, c.config)] };
  }
  run('netgenerate', c.netgenerate, dir, WHO);
  run('python3', [randomTrips, ...c.randomTrips], dir, WHO);
  return { dir, sumoInput: ['-n', 'grid.net.xml', '-r', 'grid.rou.xml'], importInput: ['--net', join(dir, 'grid.net.xml'), '--routes', join(dir, 'grid.rou.xml')] };
}

function runSumo(c: ValidationCase, dir: string, input: string[], step: number): RunFigures {
  const out = join(dir, `sumo-${step}`);
  mkdirSync(out, { recursive: true });
  const args = [
    ...input, ...c.sumoArgs,
    '--step-length', String(step), '--end', String(c.end),
    '--statistic-output', join(out, 'statistics.xml'), '--tripinfo-output', join(out, 'tripinfo.xml'),
    '--duration-log.statistics', 'true', '--no-step-log', 'true', '--no-warnings', 'true',
  ];
  const { output, wall, peakMB } = timed('sumo', args, dir, WHO);
  return sumoFigures(out, step, output, wall, peakMB);
}

function runRoadtwin(c: ValidationCase, dir: string, input: string[], step: number, workers: number): RunFigures {
  const scenario = join(dir, 'scenario.yaml');
  if (!existsSync(scenario)) run(process.execPath, [roadtwin, 'import', 'sumo', ...input, '--duration', String(c.end), '--out', scenario, '--quiet'], dir, WHO);
  const out = join(dir, `roadtwin-${step}`);
  const { peakMB } = timed(process.execPath, [roadtwin, 'run', scenario, '--step', String(step), '--workers', String(workers), '--quiet', '--out', out], dir, WHO);
  return roadtwinFigures(out, step, peakMB);
}

const fmt = (x: number | null, d = 0) => (x === null ? '–' : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));

/** One markdown table: a row per simulator and step. */
function table(rows: RunFigures[]): string {
  const lines = [
    '| run | step | inserted | arrived | last arrival | teleports / removed | collisions | mean trip | mean time loss | mean waiting | updates/s | peak memory |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.simulator} | ${r.step} s | ${fmt(r.inserted)} | ${fmt(r.arrived)} | ${fmt(r.lastArrival)} s | ${fmt(r.removed)} | ${fmt(r.collisions)} | ` +
        `${fmt(r.meanTripDuration, 1)} s | ${r.meanTimeLoss === null ? '–' : `${fmt(r.meanTimeLoss, 1)} s`} | ${fmt(r.meanWaitingTime, 1)} s | ${fmt(r.updatesPerSecond)} | ${r.peakMemoryMB === null ? '–' : `${fmt(r.peakMemoryMB)} MB`} |`,
    );
  return lines.join('\n');
}

function main(): void {
  const o = parseOptions(process.argv.slice(2));
  if (!have('sumo', ['--version']) || !existsSync(randomTrips)) {
    process.stderr.write(`${WHO} needs SUMO (sumo and ${randomTrips}).\nInstall it with: apt-get install -y sumo sumo-tools\n`);
    process.exit(1);
  }
  const cases = o.cases.length > 0 ? validationCases.filter((c) => o.cases.includes(c.name)) : validationCases;
  const work = mkdtempSync(join(tmpdir(), 'roadtwin-validation-'));
  process.stdout.write(`work directory: ${work}\n`);
  const results: { case: string; title: string; runs: RunFigures[]; checks: { step: number; checks: TargetCheck[] }[] }[] = [];
  let failed = 0;
  for (const c of cases) {
    const { dir, sumoInput, importInput } = prepare(c, work);
    const runs: RunFigures[] = [];
    const checks: { step: number; checks: TargetCheck[] }[] = [];
    for (const step of o.steps) {
      process.stdout.write(`${c.name}, step ${step} s: SUMO …`);
      const sumo = runSumo(c, dir, sumoInput, step);
      process.stdout.write(' roadtwin …\n');
      const rt = runRoadtwin(c, dir, importInput, step, o.workers);
      runs.push(sumo, rt);
      const cs = checkTargets(sumo, rt, c.targets);
      failed += cs.filter((x) => !x.ok).length;
      checks.push({ step, checks: cs });
    }
    process.stdout.write(`\n### ${c.title}\n\n${table(runs)}\n\n`);
    for (const { step, checks: cs } of checks)
      for (const x of cs) process.stdout.write(`  ${x.ok ? 'ok  ' : 'FAIL'} step ${step} s, ${x.what}: ${x.detail}\n`);
    process.stdout.write('\n');
    results.push({ case: c.name, title: c.title, runs, checks });
  }
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const file = join(root, 'bench', 'results', 'validation.json');
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), workers: o.workers, workDir: work, results }, null, 2)}\n`);
  process.stdout.write(`written: bench/results/validation.json; ${failed === 0 ? 'every target met' : `${failed} target(s) not met`}\n`);
  if (o.check && failed > 0) process.exit(1);
}

main();
