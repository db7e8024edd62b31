/**
 * `roadtwin compare RUN_A RUN_B …`: the key metrics of several run directories side by side,
 * each later run with its difference from the first in %, so a planner sees at a glance what a
 * change (a penetration rate, a signal plan, a fleet size) did; and before that what the change
 * was: the fields in which each later run's scenario differs from the first's (scenario-diff.ts),
 * with one warning line when two runs are of different scenarios rather than variants of one.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { differenceLines, differentScenario } from './scenario-diff.js';

interface Row {
  label: string;
  /** dotted path into metrics.json */
  path: string;
  /** how to print the value */
  digits: number;
}

/** The rows, in the order a planner reads them; a row shows only when some run has it. */
const ROWS: Row[] = [
  { label: 'vehicles arrived', path: 'vehicles.arrived', digits: 0 },
  { label: 'mean travel time, s', path: 'traffic.meanTravelTime', digits: 1 },
  { label: 'mean waiting time, s', path: 'traffic.meanWaitingTime', digits: 1 },
  { label: 'stops', path: 'traffic.stops', digits: 0 },
  { label: 'mean speed, m/s', path: 'traffic.meanSpeed', digits: 2 },
  { label: 'fuel, L', path: 'traffic.fuelL', digits: 1 },
  { label: 'CO₂, kg', path: 'traffic.co2Kg', digits: 1 },
  { label: 'red-light violations', path: 'traffic.redLightViolations', digits: 0 },
  { label: 'emergency brakings', path: 'traffic.emergencyBrakes', digits: 0 },
  { label: 'equipped share', path: 'v2x.equippedShare', digits: 3 },
  { label: 'packet delivery ratio', path: 'v2x.packetDeliveryRatio', digits: 3 },
  { label: 'mean latency, ms', path: 'v2x.meanLatencyMs', digits: 1 },
  { label: 'GLOSA advised vehicles', path: 'v2x.glosaAdvised', digits: 0 },
  { label: 'FCW warnings', path: 'v2x.warnings.fcw', digits: 0 },
  { label: 'RLVW warnings', path: 'v2x.warnings.rlvw', digits: 0 },
  { label: 'HLW warnings', path: 'v2x.warnings.hlw', digits: 0 },
  { label: 'SLW warnings', path: 'v2x.warnings.slw', digits: 0 },
  { label: 'EVW warnings', path: 'v2x.warnings.evw', digits: 0 },
  { label: 'orders', path: 'logistics.orders', digits: 0 },
  { label: 'orders delivered', path: 'logistics.delivered', digits: 0 },
  { label: 'orders rejected', path: 'logistics.rejected', digits: 0 },
  { label: 'on-time share', path: 'logistics.onTimeShare', digits: 3 },
  { label: 'mean delivery time, s', path: 'logistics.meanDeliveryTime', digits: 0 },
  { label: 'p95 delivery time, s', path: 'logistics.p95DeliveryTime', digits: 0 },
];

export interface CompareOptions {
  format?: string;
}

interface RunFigures {
  name: string;
  metrics: Record<string, unknown>;
  /** the run's scenario.yaml, or null for directories of versions before it */
  scenario?: Record<string, unknown> | null;
  manifest?: Record<string, unknown> | null;
}

/** What the manifest of a run without scenario.yaml says of its scenario. */
const MANIFEST_FIELDS = ['name', 'seed', 'step', 'duration'] as const;

function lookup(o: unknown, path: string): number | null {
  let v: unknown = o;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[k];
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function readRun(dir: string): RunFigures | string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return `${dir}: not a directory`;
  const file = join(dir, 'metrics.json');
  if (!existsSync(file)) return `${dir}: no metrics.json (not a roadtwin run directory, or a run that has not finished)`;
  let metrics: unknown;
  try {
    metrics = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return `${file}: not valid JSON (${(e as Error).message})`;
  }
  if (!metrics || typeof metrics !== 'object' || !('traffic' in metrics)) return `${file}: not a roadtwin metrics file (no traffic block)`;
  let name = basename(dir);
  let manifest: Record<string, unknown> | null = null;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    if (manifest.complete === false) name += ' (incomplete)';
  } catch {
    // the manifest only adds the completeness mark and, without scenario.yaml, the scenario's basics
  }
  let scenario: Record<string, unknown> | null = null;
  const copy = join(dir, 'scenario.yaml');
  if (existsSync(copy)) {
    try {
      const parsed: unknown = parse(readFileSync(copy, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) scenario = parsed as Record<string, unknown>;
      else return `${copy}: not a scenario (a mapping of fields)`;
    } catch (e) {
      return `${copy}: not valid YAML (${(e as Error).message.split('\n')[0]})`;
    }
  }
  return { name, metrics: metrics as Record<string, unknown>, scenario, manifest };
}

/**
 * The scenario comparison: for each later run against the first, the lines naming what differs,
 * and the warnings (different scenarios, runs without a scenario copy), one line each.
 */
export function compareScenarios(runs: RunFigures[]): { warnings: string[]; blocks: { name: string; lines: string[] }[] } {
  const warnings: string[] = [];
  for (const r of runs) {
    if (!r.scenario) warnings.push(`${r.name} has no scenario.yaml (a run directory of an older version): only what its manifest records (${MANIFEST_FIELDS.join(', ')}) is compared`);
  }
  const basics = (r: RunFigures) => Object.fromEntries(MANIFEST_FIELDS.filter((k) => r.manifest?.[k] !== undefined).map((k) => [k, r.manifest![k]]));
  const [first, ...rest] = runs;
  const blocks = rest.map((r) => {
    // with a copy missing on either side, only the manifest's fields compare alike
    const both = first.scenario && r.scenario;
    const a = both ? first.scenario! : basics(first);
    const b = both ? r.scenario! : basics(r);
    const other = differentScenario(a, b);
    if (other) warnings.push(`${r.name} is a different scenario from ${first.name} (${other}), not a variant of it: its figures compare different roads or demand`);
    const lines = differenceLines(a, b);
    const ha = first.manifest?.scenarioHash;
    const hb = r.manifest?.scenarioHash;
    if (lines.length === 0 && !both && typeof ha === 'string' && typeof hb === 'string' && ha !== hb) lines.push('scenarioHash differs: the scenarios differ in fields the manifest does not record');
    if (lines.length === 0) lines.push('none: the same scenario');
    return { name: r.name, lines };
  });
  return { warnings, blocks };
}

/** The comparison as rows of cells: label, then per run its value and, after the first, its change. */
export function compareRuns(runs: RunFigures[]): { header: string[]; rows: string[][] } {
  const header = ['metric', runs[0].name, ...runs.slice(1).flatMap((r) => [r.name, 'Δ %'])];
  const rows: string[][] = [];
  for (const row of ROWS) {
    const values = runs.map((r) => lookup(r.metrics, row.path));
    if (values.every((v) => v === null)) continue;
    const fmt = (v: number | null) => (v === null ? '–' : v.toFixed(row.digits));
    const base = values[0];
    const cells = [row.label, fmt(base)];
    for (const v of values.slice(1)) {
      cells.push(fmt(v));
      cells.push(base === null || v === null ? '–' : base === 0 ? (v === 0 ? '0.0' : '–') : `${v >= base ? '+' : ''}${(((v - base) / Math.abs(base)) * 100).toFixed(1)}`);
    }
    rows.push(cells);
  }
  return { header, rows };
}

function render(header: string[], rows: string[][], format: string): string {
  if (format === 'markdown') {
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n') + '\n';
  }
  if (format === 'csv') return [header, ...rows].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n';
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => [...(r[i] ?? '')].length)));
  const pad = (c: string, i: number) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]));
  return [header, ...rows].map((r) => r.map(pad).join('  ')).join('\n') + '\n';
}

export function runCompare(dirs: string[], opts: CompareOptions): number {
  const format = opts.format ?? 'table';
  if (!['table', 'markdown', 'csv'].includes(format)) {
    process.stderr.write(`roadtwin compare: --format must be table, markdown or csv, not '${format}'\n`);
    return 1;
  }
  if (dirs.length < 2) {
    process.stderr.write('roadtwin compare: give at least two run directories\n');
    return 1;
  }
  const runs: RunFigures[] = [];
  for (const d of dirs) {
    const r = readRun(d);
    if (typeof r === 'string') {
      process.stderr.write(`roadtwin compare: ${r}\n`);
      return 1;
    }
    runs.push(r);
  }
  const { warnings, blocks } = compareScenarios(runs);
  for (const w of warnings) process.stderr.write(`roadtwin compare: warning: ${w}\n`);
  const { header, rows } = compareRuns(runs);
  const table = render(header, rows, format);
  const against = (name: string) => `scenario of ${name} against ${runs[0].name}:`;
  if (format === 'table') {
    // what changed, then what it did
    process.stdout.write(blocks.map((b) => `${against(b.name)}\n${b.lines.map((l) => `  ${l}\n`).join('')}`).join('') + '\n' + table);
  } else if (format === 'markdown') {
    // the table first, as reports have it; the differences after it as lists
    process.stdout.write(table + blocks.map((b) => `\n${against(b.name)}\n\n${b.lines.map((l) => `- \`${l}\`\n`).join('')}`).join(''));
  } else {
    // CSV stays one table on stdout: the differences go to stderr
    process.stdout.write(table);
    for (const b of blocks) process.stderr.write(`${against(b.name)}\n${b.lines.map((l) => `  ${l}\n`).join('')}`);
  }
  return 0;
}
