/**
 * The viewer's entry: asks the server what to show (a run directory or a live run), loads it,
 * builds the Viewer (viewer.ts) and runs it. Everything that can fail ends in a message in the page.
 */
import { Viewer } from './viewer.js';
import { ReplaySource } from './frame-source.js';
import { fetchJson, fetchText, loadRun, type RunData } from './run-data.js';
import { parseCsv } from './csv.js';
import { installGlobalErrorHandlers, showError } from './errors.js';
import { connectLive } from './live-client.js';
import { LogisticsData } from './logistics-data.js';
import { PerceptionData } from './perception-data.js';
import { parseWarnings } from './pulses.js';
import { decodeState } from './url-state.js';
import { debug } from './debug-state.js';
import type { ViewInput } from './view-input.js';

interface Session {
  mode: 'replay' | 'live';
  run: string | null;
  live: string | null;
  files?: string[];
}

function replayInput(run: RunData, onError: (e: Error) => void): ViewInput {
  const source = new ReplaySource(`${run.base}trace.bin`, run.header, run.index.times, run.index.offsets, onError);
  const times = run.index.times;
  return {
    name: String(run.manifest.name ?? '(unnamed run)'),
    live: false,
    network: run.network,
    header: run.header,
    classes: run.traceInfo.classes,
    source,
    start: times[0],
    end: times[times.length - 1],
    signals: run.signals,
    entities: run.entities,
    manifest: run.manifest,
    metrics: run.metrics,
    timeseries: run.timeseries,
  };
}

/**
 * Loads what is not needed for the first picture after it: warnings and departures from
 * events.ndjson, trips, with logistics orders.csv with the events' missions and tours, and the
 * optional v2x.csv, edges.csv, junctions.csv and signals.csv for the layers and panels, and the
 * perception platform's events.csv, perception.json and coverage.json.
 */
async function loadLater(viewer: Viewer, run: RunData, files: string[] | null): Promise<void> {
  if (run.trips) {
    const trips = parseCsv(run.trips);
    viewer.trips.addTrips(trips);
    viewer.index.addTrips(trips);
  }
  const [events, orders] = await Promise.all([
    fetchText(`${run.base}events.ndjson`, true),
    files === null || files.includes('orders.csv') ? fetchText(`${run.base}orders.csv`, true) : Promise.resolve(null),
  ]);
  if (orders !== null) viewer.setLogistics(new LogisticsData(orders, events));
  const optional = (f: string) => (files === null || files.includes(f) ? fetchText(`${run.base}${f}`, true) : Promise.resolve(null));
  const [v2x, edges, junctions, signals] = await Promise.all([optional('v2x.csv'), optional('edges.csv'), optional('junctions.csv'), optional('signals.csv')]);
  if (v2x !== null) viewer.setCoverage(v2x);
  // a damaged perception file costs its layers only, not the warnings and searches after it
  await loadPerception(viewer, run, optional).catch((e: Error) => console.warn(`roadtwin viewer: ${e.message}`));
  viewer.setTables(edges, junctions);
  if (signals !== null) viewer.setSignalLog(signals);
  if (events === null) return;
  const warnings = parseWarnings(events);
  for (const w of warnings) viewer.pulses.push(w);
  viewer.setWarningHeat(warnings);
  viewer.trips.addDepartures(events);
  viewer.index.addEvents(events);
  debug.searchable = viewer.index.size;
}

async function loadPerception(viewer: Viewer, run: RunData, optional: (f: string) => Promise<string | null>): Promise<void> {
  const [cityEvents, perception, coverage] = await Promise.all([optional('events.csv'), optional('perception.json'), optional('coverage.json')]);
  if (cityEvents === null && perception === null) return;
  const json = (name: string, text: string | null) => {
    if (text === null) return null;
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${run.base}${name}: not valid JSON (${(err as Error).message})`);
    }
  };
  viewer.setPerception(new PerceptionData(cityEvents, json('perception.json', perception), json('coverage.json', coverage)));
}

async function main(): Promise<void> {
  installGlobalErrorHandlers();
  const session = (await fetchJson<Session>('/api/session').catch(() => null)) ?? { mode: 'replay', run: '/run/', live: null };
  debug.mode = session.mode;
  if (session.mode === 'live' && session.live) {
    await connectLive(session.live, (input) => new Viewer(input), debug);
    return;
  }
  const run = await loadRun(session.run ?? '/run/', session.files ?? null);
  const viewer = new Viewer(replayInput(run, (e) => showError(`trace.bin: ${e.message}`)));
  if (location.hash.length > 1) viewer.restore(decodeState(location.hash));
  viewer.run();
  void loadLater(viewer, run, session.files ?? null).catch((e: Error) => console.warn(`roadtwin viewer: ${e.message}`));
}

main().catch((err: Error) => showError(err.message));
