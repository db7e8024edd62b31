/**
 * `roadtwin import osm`: an OSM extract → a scenario. Two streaming passes over the file: the
 * first keeps the ways that are roads of the chosen classes (and the ids of their nodes), the
 * second keeps only those nodes' coordinates and their junction tags. So memory follows the
 * network kept, not the file (OSM files list every node before the ways).
 */
import { Warnings } from '../sumo/warnings.js';
import { convertOsm, type NodeInfo } from './convert.js';
import type { StopSign } from './stop-signs.js';
import { randomTrips } from './demand.js';
import { tripsFromFile } from './trip-file.js';
import { OsmImportError } from './errors.js';
import { transverseMercator } from './project.js';
import { readOsm, type OsmWay } from './read.js';
import { HIGHWAY_CLASSES, motorAccess } from './tags.js';
import type { NetworkOut } from '../sumo/convert-net.js';

export interface OsmImportOptions {
  file: string;
  /** minLon, minLat, maxLon, maxLat */
  bbox?: [number, number, number, number];
  types: readonly string[];
  name: string;
  duration: number;
  seed: number;
  /** random trips per hour between fringe edges */
  randomRate?: number;
  /** a CSV of trips between OSM node ids or coordinates (trip-file.ts) */
  tripFile?: string;
  /** an RSU at every signalised junction */
  rsusAtSignals?: boolean;
}

export interface OsmImported {
  scenario: Record<string, unknown>;
  network: NetworkOut;
  warnings: Warnings;
  counts: { ways: number; nodes: number; edges: number; signals: number; connections: number; trips: number; laneKm: number };
}

export async function importOsm(opts: OsmImportOptions): Promise<OsmImported> {
  const warnings = new Warnings();
  const keep = new Set(opts.types);
  const ways: OsmWay[] = [];
  const needed = new Set<number>();
  let seenWays = 0;
  await readOsm(opts.file, {
    way(w) {
      seenWays++;
      const h = w.tags.highway;
      if (h === undefined || !keep.has(h) || !HIGHWAY_CLASSES[h]) return;
      if (w.tags.area === 'yes') return;
      if (!motorAccess(w.tags)) {
        warnings.add('ways closed to motor traffic (access, motor_vehicle, motorcar) are left out', String(w.id), 'access');
        return;
      }
      if (w.refs.length < 2) return;
      ways.push(w);
      for (const r of w.refs) needed.add(r);
    },
  });
  const nodes = new Map<number, NodeInfo>();
  await readOsm(opts.file, {
    node(n) {
      if (!needed.has(n.id)) return;
      const h = n.tags?.highway;
      const signal = h === 'traffic_signals' || n.tags?.crossing === 'traffic_signals';
      const direction = n.tags?.direction;
      const stop: StopSign | undefined = h === 'stop' ? { all: n.tags?.stop === 'all', ...(direction === 'forward' || direction === 'backward' ? { direction } : {}) } : undefined;
      nodes.set(n.id, { lat: n.lat, lon: n.lon, ...(signal ? { signal } : {}), ...(stop ? { stop } : {}) });
    },
  });
  for (const w of ways)
    for (const r of w.refs) if (!nodes.has(r)) throw new OsmImportError(`${w.at}: way ${w.id} references node ${r}, which is not in the file`);
  if (seenWays === 0) throw new OsmImportError(`${opts.file}: the file holds no way (is it an OSM extract?)`);

  // the bounding box cuts ways into their runs of nodes inside it
  let kept = ways;
  if (opts.bbox) {
    const [x0, y0, x1, y1] = opts.bbox;
    const inside = (r: number) => {
      const n = nodes.get(r)!;
      return n.lon >= x0 && n.lon <= x1 && n.lat >= y0 && n.lat <= y1;
    };
    kept = [];
    for (const w of ways) {
      let run: number[] = [];
      let part = 0;
      const flush = () => {
        // a way the box cuts into several runs: the later runs are parts 1, 2, … (their edge ids say so)
        if (run.length >= 2) kept.push({ ...w, refs: run, ...(part > 0 ? { part } : {}) }), part++;
        run = [];
      };
      for (const r of w.refs) {
        if (inside(r)) run.push(r);
        else flush();
      }
      flush();
    }
  }
  if (kept.length === 0) throw new OsmImportError(`${opts.file}: no road of the kept classes (${opts.types.join(', ')}) ${opts.bbox ? `inside the bbox ${opts.bbox.join(',')}` : 'in the file'}`);
  const first = nodes.get(kept[0].refs[0])!;
  // centred on the middle of the kept nodes, so distortion is least where the roads are
  let lonSum = 0;
  let latSum = 0;
  let count = 0;
  for (const w of kept)
    for (const r of w.refs) {
      const n = nodes.get(r)!;
      lonSum += n.lon;
      latSum += n.lat;
      count++;
    }
  const project = transverseMercator(count > 0 ? lonSum / count : first.lon, count > 0 ? latSum / count : first.lat);
  let converted;
  try {
    converted = convertOsm({ ways: kept, nodes, project, warnings });
  } catch (err) {
    if (err instanceof OsmImportError && !err.message.startsWith(opts.file)) throw new OsmImportError(`${opts.file}: ${err.message}`);
    throw err;
  }
  const { network, signals } = converted;
  const nodeCoord = (id: number): [number, number] | undefined => {
    const n = nodes.get(id);
    return n ? project(n.lon, n.lat) : undefined;
  };
  const trips =
    opts.randomRate !== undefined
      ? randomTrips(network, opts.randomRate, opts.duration, opts.seed, 'car')
      : opts.tripFile !== undefined
        ? tripsFromFile(opts.tripFile, network, nodeCoord, project, 'car')
        : [];
  const scenario: Record<string, unknown> = {
    name: opts.name,
    description: `imported from OpenStreetMap (${opts.file}); map data © OpenStreetMap contributors, ODbL`,
    seed: opts.seed,
    duration: opts.duration,
    // (half a second: fine enough for the generated junctions of an OSM map, twice as cheap as
    // 0.25; `--set step=1` runs it at SUMO's default, the figures of docs/osm.md are at 0.5)
    step: 0.5,
    network: {
      nodes: network.nodes,
      edges: network.edges,
      ...(network.connections.length > 0 ? { connections: network.connections } : {}),
      laneWidth: network.laneWidth,
    },
    vehicleTypes: { car: { length: 5, maxSpeed: 50, accel: 2.6, decel: 4.5, headway: 1, minGap: 2.5 } },
    demand: trips.length > 0 ? [{ trips }] : [],
  };
  if (opts.rsusAtSignals) {
    const rsus = network.nodes.filter((n) => n.control === 'signal').map((n) => ({ id: `rsu-${n.id}`, node: n.id, intersections: [n.id] }));
    if (rsus.length > 0) scenario.v2x = { rsus };
  }
  let laneM = 0;
  for (const e of network.edges) laneM += e.lanes * e.length;
  return {
    scenario,
    network,
    warnings,
    counts: { ways: kept.length, nodes: network.nodes.length, edges: network.edges.length, signals, connections: network.connections.length, trips: trips.length, laneKm: laneM / 1000 },
  };
}
