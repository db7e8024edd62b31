/**
 * `roadtwin sweep SWEEP.yaml [--out DIR] [--parallel N] [--queue redis://HOST:PORT] [--dry-run]
 * [--quiet]`: expands a sweep file into runs, checks every run's scenario, executes the runs on
 * this machine (N child processes) or on a BullMQ queue served by `roadtwin worker`s, and writes
 * sweep.csv, summary.csv and a chart per metric.
 *
 * Exit codes: 0 all runs done; 1 bad input (sweep file, scenario, --out, Redis unreachable);
 * 2 some runs failed; 130 Ctrl-C (finished runs are kept; the same command resumes).
 */
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import {
  checkSweep,
  loadSweep,
  maskRedisUrl,
  parseRedisUrl,
  prepareOutput,
  probeRedis,
  removeTempRuns,
  runJobs,
  runLocally,
  runOnQueue,
  SweepError,
  writeResults,
  type Combination,
  type RunCallbacks,
  type RunResult,
} from '../sweep/index.js';

export interface SweepOptions {
  out?: string;
  parallel?: string;
  queue?: string;
  dryRun?: boolean;
  quiet?: boolean;
}

const fail = (msg: string): number => {
  process.stderr.write(`roadtwin sweep: ${msg}\n`);
  return 1;
};

export async function runSweep(file: string, opts: SweepOptions): Promise<number> {
  let parallel = availableParallelism();
  if (opts.parallel !== undefined) {
    if (!/^[1-9][0-9]*$/.test(opts.parallel) || Number(opts.parallel) > 256) return fail(`--parallel: expected a whole number from 1 to 256, got '${opts.parallel}'`);
    if (opts.queue) return fail('--parallel and --queue do not go together: with a queue, each worker has --concurrency');
    parallel = Number(opts.parallel);
  }
  const connection = opts.queue === undefined ? undefined : parseRedisUrl(opts.queue);
  if (typeof connection === 'string') return fail(connection);

  let spec, checked;
  try {
    spec = loadSweep(file);
    checked = checkSweep(spec);
  } catch (err) {
    if (!(err instanceof SweepError)) throw err;
    process.stderr.write(`${err.format()}\n`);
    return 1;
  }
  const { runs } = checked;
  if (opts.dryRun) {
    for (const r of runs) process.stdout.write(`${r.key}\t${[...r.params.map((p) => `${p.path}=${JSON.stringify(p.value)}`), `seed=${r.seed}`].join(' ')}\n`);
    process.stdout.write(`${runs.length} runs\n`);
    return 0;
  }
  if (connection) {
    const unreachable = await probeRedis(connection, opts.queue!);
    if (unreachable) return fail(unreachable);
  }

  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const out = prepareOutput(resolve(opts.out ?? join('runs', `${spec.name}-${stamp}`)), spec, runs);
  if (typeof out === 'string') return fail(out);

  const results = new Map<string, RunResult>();
  const failures: string[] = [];
  const bar =
    !opts.quiet && process.stdout.isTTY === true
      ? new cliProgress.SingleBar({ format: ' {bar} {value}/{total} runs | {eta_formatted} left | {failed} failed', hideCursor: true, etaBuffer: 20 }, cliProgress.Presets.shades_classic)
      : null;
  bar?.start(runs.length, 0, { failed: 0 });
  const callbacks: RunCallbacks = {
    onDone: (o) => {
      results.set(o.key, { status: 'done', metrics: o.metrics });
      bar?.increment(1, { failed: failures.length });
    },
    onFailed: (key, message) => {
      results.set(key, { status: 'failed', error: message });
      failures.push(message);
      bar?.increment(1, { failed: failures.length });
    },
  };

  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.on('SIGINT', onSigint);
  const t0 = performance.now();
  try {
    const jobs = runJobs(runs, out);
    if (connection) await runOnQueue(jobs, connection, { signal: stop.signal, ...callbacks });
    else await runLocally(jobs, { parallel, signal: stop.signal, ...callbacks });
  } finally {
    process.off('SIGINT', onSigint);
    bar?.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  // on a queue, an unfinished attempt may still be running on a worker after Ctrl-C
  if (!stop.signal.aborted || !connection) removeTempRuns(out.runsDir);
  const { combos, files } = writeResults(out, spec, runs, results);

  const rel = shown(out.dir);
  if (!opts.quiet) {
    const done = [...results.values()].filter((r) => r.status === 'done').length;
    process.stdout.write(
      [
        `${stop.signal.aborted ? 'INTERRUPTED' : 'finished'} sweep ${spec.name}: ${done} of ${runs.length} runs done in ${seconds.toFixed(1)} s${failures.length ? `, ${failures.length} failed` : ''}${connection ? ` (queue ${maskRedisUrl(opts.queue!)})` : ` (${parallel} in parallel)`}`,
        summaryTable(spec.vary.map((v) => v.path), spec.metrics, combos),
        `  output: ${rel}/ (${files.filter((f) => !f.startsWith('charts')).join(', ')}, charts/*.svg, runs/<key>/)`,
        '',
      ].join('\n'),
    );
  }
  for (const f of failures) process.stderr.write(`roadtwin sweep: ${f}\n`);
  if (stop.signal.aborted) {
    process.stderr.write(`roadtwin sweep: interrupted; finished runs are kept in ${rel}/runs; the same command with --out ${rel} runs the rest\n`);
    return 130;
  }
  return failures.length > 0 ? 2 : 0;
}

/** A path relative to the working directory when it is inside it, else absolute. */
function shown(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? dir : rel;
}

/** Mean ± half the 95 % interval of each metric per combination, aligned in columns. */
function summaryTable(varied: readonly string[], metrics: readonly string[], combos: readonly Combination[]): string {
  const num = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));
  const rows = [[...varied, 'runs', ...metrics]];
  for (const c of combos) {
    const cells = metrics.map((m) => {
      const s = c.summaries.get(m)!;
      if (s.mean === null) return '-';
      return s.ciHigh === null ? num(s.mean) : `${num(s.mean)} ± ${num(s.ciHigh - s.mean)}`;
    });
    rows.push([...c.params.map((p) => JSON.stringify(p.value)), String(c.runs.length), ...cells]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((cell, i) => cell.padEnd(widths[i])).join('  ')}`.trimEnd()).join('\n');
}
