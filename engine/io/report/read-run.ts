/**
 * Reads a run directory for the report (docs/run-directory.md): manifest.json and metrics.json
 * (required), and whichever of timeseries.csv, network.json, edges.csv, junctions.csv,
 * signals.csv, v2x.csv and v2x-channel.csv it has. Every file is checked as it is read; the first
 * problem is one ReportInputError naming the file (and the line and column of a CSV, the field
 * of a JSON file). A missing optional file is a note saying what the report leaves out.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputLimitError, LIMITS, readTextBounded } from '../limits.js';
import { ReportInputError, readTable, type ColumnSpec } from './csv.js';
import {
  EDGE_COLUMNS,
  EdgeAccumulator,
  JUNCTION_COLUMNS,
  MovementAccumulator,
  SIGNAL_COLUMNS,
  SignalAccumulator,
  junctionStats,
  type EdgeStat,
  type JunctionStat,
  type MovementStat,
  type SignalSummary,
} from './aggregate.js';

export type Json = Record<string, unknown>;

export interface NetNode {
  id: string;
  x: number;
  y: number;
  control: string;
}

export interface NetEdge {
  id: string;
  name: string | null;
  from: string;
  to: string;
  lanes: number;
  speedLimit: number;
  length: number;
  shape: [number, number][];
}

export interface NetGeometry {
  laneWidth: number;
  nodes: NetNode[];
  edges: NetEdge[];
}

/** timeseries.csv by column (the columns the file has of those the report charts) */
export interface Series {
  columns: string[];
  data: Record<string, number[]>;
}

export interface RunData {
  dir: string;
  manifest: Json;
  metrics: Json;
  network: NetGeometry | null;
  series: Series | null;
  edges: EdgeStat[] | null;
  movements: MovementStat[] | null;
  junctions: JunctionStat[] | null;
  signals: SignalSummary | null;
  /** v2x.csv rows: type, distanceFrom, distanceTo, sent, received, pdr */
  v2xBins: { type: string; from: number; to: number; sent: number; received: number }[] | null;
  /** v2x-channel.csv by column */
  v2xChannel: { second: number[]; busyRatio: number[] } | null;
  /** files the report looked for and did not find, keyed by file name: what is left out */
  missing: Record<string, string>;
}

export const SERIES_COLUMNS: ColumnSpec[] = [
  { name: 'time', kind: 'num' },
  { name: 'active', kind: 'num' },
  { name: 'inserted', kind: 'num' },
  { name: 'arrived', kind: 'num' },
  { name: 'meanSpeed', kind: 'num?' },
  { name: 'stopped', kind: 'num' },
  ...['ordersDelivered', 'ordersRejected', 'ordersOpen', 'dronesOut', 'robotsOut', 'vansOut'].map((name) => ({ name, kind: 'num' as const, optional: true })),
];

function readText(file: string): string {
  try {
    return readTextBounded(file, LIMITS.runFile);
  } catch (err) {
    const why = err instanceof InputLimitError ? err.message : ((err as NodeJS.ErrnoException).code ?? (err as Error).message);
    throw new ReportInputError(`${file}: cannot read: ${why}`);
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : null;
    throw new ReportInputError(`${file}${line ? `:${line}` : ''}: not valid JSON (${msg.split('\n')[0]})`);
  }
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Reads and checks the run directory `dir`; throws ReportInputError for the first problem. */
export function readRun(dir: string): RunData {
  if (!existsSync(dir)) throw new ReportInputError(`${dir}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new ReportInputError(`${dir}: not a directory`);
  const at = (f: string) => join(dir, f);
  const present = (f: string) => existsSync(at(f));
  if (!present('manifest.json')) throw new ReportInputError(`${dir}: not a roadtwin run directory (no manifest.json)`);
  const manifest = readJson(at('manifest.json'));
  if (!isObject(manifest)) throw new ReportInputError(`${at('manifest.json')}: expected a JSON object`);
  if (!present('metrics.json')) throw new ReportInputError(`${at('metrics.json')}: missing (the run wrote none: it is still running or its process died)`);
  const metrics = readJson(at('metrics.json'));
  if (!isObject(metrics)) throw new ReportInputError(`${at('metrics.json')}: expected a JSON object`);
  for (const block of ['vehicles', 'traffic']) if (!isObject(metrics[block])) throw new ReportInputError(`${at('metrics.json')}: ${block}: missing (not a roadtwin metrics file)`);

  const missing: Record<string, string> = {};
  const network = present('network.json') ? readNetwork(at('network.json')) : null;
  if (!network) missing['network.json'] = 'no map';
  let series: Series | null = null;
  if (present('timeseries.csv')) series = readSeries(at('timeseries.csv'));
  else missing['timeseries.csv'] = 'no time-series charts';

  let edges: EdgeStat[] | null = null;
  if (present('edges.csv')) {
    const acc = new EdgeAccumulator(at('edges.csv'));
    readTable(readText(at('edges.csv')), at('edges.csv'), EDGE_COLUMNS, (r, line) => acc.add(r, line));
    edges = acc.result();
  } else missing['edges.csv'] = 'no speed or delay per edge on the map and no worst edges (a run from before per-place outputs)';

  let movements: MovementStat[] | null = null;
  let junctions: JunctionStat[] | null = null;
  if (present('junctions.csv')) {
    const acc = new MovementAccumulator(at('junctions.csv'));
    readTable(readText(at('junctions.csv')), at('junctions.csv'), JUNCTION_COLUMNS, (r, line) => acc.add(r, line));
    const control = new Map(network?.nodes.map((n) => [n.id, n.control === 'signal']));
    const signalised = (j: string) => control.get(j);
    movements = acc.result(signalised);
    junctions = junctionStats(movements, signalised);
  } else missing['junctions.csv'] = 'no junction delays, levels of service or queues (a run from before per-place outputs)';

  let signals: SignalSummary | null = null;
  if (present('signals.csv')) {
    const acc = new SignalAccumulator();
    readTable(readText(at('signals.csv')), at('signals.csv'), SIGNAL_COLUMNS, (r) => acc.add(r));
    signals = acc.result();
  }

  let v2xBins: RunData['v2xBins'] = null;
  let v2xChannel: RunData['v2xChannel'] = null;
  if (metrics.v2x !== undefined) {
    if (present('v2x.csv')) {
      const rows: NonNullable<RunData['v2xBins']> = [];
      const spec: ColumnSpec[] = [
        { name: 'type', kind: 'str' },
        { name: 'distanceFrom', kind: 'num' },
        { name: 'distanceTo', kind: 'inf' },
        { name: 'sent', kind: 'num' },
        { name: 'received', kind: 'num' },
      ];
      readTable(readText(at('v2x.csv')), at('v2x.csv'), spec, (r) =>
        rows.push({ type: r.type as string, from: r.distanceFrom as number, to: r.distanceTo as number, sent: r.sent as number, received: r.received as number }),
      );
      v2xBins = rows;
    } else missing['v2x.csv'] = 'no delivery ratio by distance';
    if (present('v2x-channel.csv')) {
      const ch = { second: [] as number[], busyRatio: [] as number[] };
      const spec: ColumnSpec[] = [
        { name: 'second', kind: 'num' },
        { name: 'busyRatio', kind: 'num' },
      ];
      readTable(readText(at('v2x-channel.csv')), at('v2x-channel.csv'), spec, (r) => {
        ch.second.push(r.second as number);
        ch.busyRatio.push(r.busyRatio as number);
      });
      v2xChannel = ch;
    } else missing['v2x-channel.csv'] = 'no channel load chart';
  }
  return { dir, manifest, metrics, network, series, edges, movements, junctions, signals, v2xBins, v2xChannel, missing };
}

function readSeries(file: string): Series {
  const data: Record<string, number[]> = {};
  const header = readTable(readText(file), file, SERIES_COLUMNS, (r) => {
    for (const [k, v] of Object.entries(r)) if (v !== undefined) (data[k] ??= []).push(v === null ? NaN : (v as number));
  });
  const columns = SERIES_COLUMNS.map((c) => c.name).filter((c) => header.includes(c));
  for (const c of columns) data[c] ??= [];
  return { columns, data };
}

/** network.json's nodes and edges, checked field by field. */
export function readNetwork(file: string): NetGeometry {
  const net = readJson(file);
  const bad = (where: string, what: string) => new ReportInputError(`${file}: ${where}: ${what}`);
  if (!isObject(net)) throw bad('the file', 'expected a JSON object');
  if (!isNum(net.laneWidth) || net.laneWidth <= 0) throw bad('laneWidth', 'expected a positive number');
  if (!Array.isArray(net.nodes)) throw bad('nodes', 'expected a list');
  if (!Array.isArray(net.edges)) throw bad('edges', 'expected a list');
  const nodes: NetNode[] = net.nodes.map((n: unknown, i: number) => {
    if (!isObject(n) || typeof n.id !== 'string' || !isNum(n.x) || !isNum(n.y)) throw bad(`nodes[${i}]`, 'expected {id, x, y, control}');
    return { id: n.id, x: n.x, y: n.y, control: typeof n.control === 'string' ? n.control : '' };
  });
  const edges: NetEdge[] = net.edges.map((e: unknown, i: number) => {
    if (!isObject(e) || typeof e.id !== 'string') throw bad(`edges[${i}].id`, 'expected a string');
    for (const k of ['lanes', 'speedLimit', 'length']) if (!isNum(e[k])) throw bad(`edges[${i}].${k}`, 'expected a number');
    const shape = e.shape;
    if (!Array.isArray(shape) || shape.length < 2 || !shape.every((p) => Array.isArray(p) && p.length === 2 && isNum(p[0]) && isNum(p[1])))
      throw bad(`edges[${i}].shape`, 'expected a list of at least two [x, y] points');
    return {
      id: e.id,
      name: typeof e.name === 'string' ? e.name : null,
      from: String(e.from ?? ''),
      to: String(e.to ?? ''),
      lanes: e.lanes as number,
      speedLimit: e.speedLimit as number,
      length: e.length as number,
      shape: shape as [number, number][],
    };
  });
  return { laneWidth: net.laneWidth, nodes, edges };
}
