/**
 * Loads what a replay needs before the first frame: the small files in parallel, the trace header
 * by a byte range and the whole index (16 bytes a frame). Frames are read later, on demand.
 * Every failure becomes an Error whose message names the file and what is wrong with it.
 */
import { HEADER_BYTES, decodeHeader, decodeIndex, type TraceHeader, type TraceIndex } from '../../engine/io/trace/format.js';
import { decodeSignalStream, type SignalStream } from '../../engine/io/trace/signal-stream.js';
import { checkNetwork, type NetworkJson } from './network.js';
import { checkEntities, type EntitiesJson } from './entities.js';
import { fetchRange } from './frame-source.js';

export interface TraceInfo {
  version: number;
  interval: number;
  frames: number;
  samples: number;
  bytes: number;
  bytesPerSample: number | null;
  classes: string[];
  lastTime: number;
}

export interface RunData {
  base: string;
  manifest: Record<string, unknown>;
  metrics: Record<string, unknown> | null;
  network: NetworkJson;
  traceInfo: TraceInfo;
  header: TraceHeader;
  index: TraceIndex;
  signals: SignalStream | null;
  timeseries: string | null;
  trips: string | null;
  entities: EntitiesJson | null;
}

async function get(url: string, optional: boolean): Promise<Response | null> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`${url}: the viewer's server does not answer (${(err as Error).message}); is \`roadtwin view\` still running?`);
  }
  if (res.status === 404 && optional) return null;
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}${res.status === 404 ? ' (missing from the run directory)' : ''}`);
  return res;
}

export async function fetchJson<T = Record<string, unknown>>(url: string, optional = false): Promise<T | null> {
  const res = await get(url, optional);
  if (!res) return null;
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${url}: not valid JSON (${(err as Error).message})`);
  }
}

export async function fetchText(url: string, optional = false): Promise<string | null> {
  const res = await get(url, optional);
  return res ? res.text() : null;
}

async function fetchBytes(url: string, optional = false): Promise<Uint8Array | null> {
  const res = await get(url, optional);
  return res ? new Uint8Array(await res.arrayBuffer()) : null;
}

const withFile = <T>(file: string, f: () => T): T => {
  try {
    return f();
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
};

/** `files`: the run files the server says are present (null: unknown, ask for each). */
export async function loadRun(base: string, files: string[] | null): Promise<RunData> {
  const has = (f: string) => files === null || files.includes(f);
  const optional = <T>(f: string, load: () => Promise<T | null>): Promise<T | null> => (has(f) ? load() : Promise.resolve(null));
  const [manifest, metrics, networkRaw, traceInfo, headBytes, idxBytes, sigBytes, timeseries, trips, entitiesRaw] = await Promise.all([
    fetchJson(`${base}manifest.json`),
    optional('metrics.json', () => fetchJson(`${base}metrics.json`, true)),
    fetchJson(`${base}network.json`),
    fetchJson<TraceInfo>(`${base}trace.json`),
    fetchRange(`${base}trace.bin`, 0, HEADER_BYTES - 1),
    fetchBytes(`${base}trace.idx`),
    optional('signals.bin', () => fetchBytes(`${base}signals.bin`, true)),
    optional('timeseries.csv', () => fetchText(`${base}timeseries.csv`, true)),
    optional('trips.csv', () => fetchText(`${base}trips.csv`, true)),
    optional('entities.json', () => fetchJson(`${base}entities.json`, true)),
  ]);
  const network = withFile('network.json', () => checkNetwork(networkRaw));
  const header = withFile('trace.bin', () => decodeHeader(headBytes));
  const index = withFile('trace.idx', () => decodeIndex(idxBytes!));
  if (index.times.length === 0) throw new Error('trace.idx: the trace has no frames');
  const info = traceInfo!;
  if (!Array.isArray(info.classes)) throw new Error('trace.json: has no list of classes');
  return {
    base,
    manifest: manifest!,
    metrics,
    network,
    traceInfo: info,
    header,
    index,
    signals: sigBytes ? withFile('signals.bin', () => decodeSignalStream(sigBytes)) : null,
    timeseries,
    trips,
    entities: entitiesRaw ? checkEntities(entitiesRaw) : null,
  };
}
