/**
 * `roadtwin compare RUN_A RUN_B …`: the key metrics of several run directories side by side,
 * each later run with its difference from the first in %, so a planner sees at a glance what a
 * change (a penetration rate, a signal plan, a fleet size) did.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

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
}

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
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { complete?: boolean };
    if (manifest.complete === false) name += ' (incomplete)';
  } catch {
    // the manifest only adds the completeness mark
  }
  return { name, metrics: metrics as Record<string, unknown> };
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
  const { header, rows } = compareRuns(runs);
  process.stdout.write(render(header, rows, format));
  return 0;
}
