/**
 * `--demand FILE`: trips given by places on the map rather than edge ids. A CSV with the header
 * `depart,from,to`; `from` and `to` are an OSM node id of a kept road (`25418732`) or a
 * coordinate `lon lat` (`9.7192 50.8536`). Each place goes to its nearest junction; the trip
 * runs from an edge leaving that junction to an edge arriving at the other that the engine's
 * router connects (the first such pair in edge order, so the choice is reproducible).
 */
import { LIMITS, readTextBounded, InputLimitError } from '../limits.js';
import { Router } from '../../road/routing.js';
import type { NetworkOut } from '../sumo/convert-net.js';
import { engineNetwork, type Trip } from './demand.js';
import { OsmImportError } from './errors.js';
import type { Projection } from './project.js';

export function tripsFromFile(file: string, net: NetworkOut, nodeCoord: (id: number) => [number, number] | undefined, project: Projection, type: string): Trip[] {
  let text: string;
  try {
    text = readTextBounded(file, LIMITS.csv);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OsmImportError(`${file}: ${err instanceof InputLimitError ? err.message : code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const lines = text.split(/\r?\n/);
  if (lines[0].trim() !== 'depart,from,to') throw new OsmImportError(`${file}:1: the header must be 'depart,from,to', got '${lines[0].trim()}'`);
  const network = engineNetwork(net);
  const router = new Router(network);
  const nodeIndex = new Map(network.nodeIds.map((id, i) => [id, i]));
  const nearest = (x: number, y: number) => {
    let best = -1;
    let bd = Infinity;
    for (const n of net.nodes) {
      const d = Math.hypot(n.x - x, n.y - y);
      if (d < bd) (bd = d), (best = nodeIndex.get(n.id)!);
    }
    return best;
  };
  const trips: Trip[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    const at = `${file}:${i + 1}`;
    if (cells.length !== 3) throw new OsmImportError(`${at}: expected depart,from,to, got ${cells.length} field(s)`);
    const depart = Number(cells[0]);
    if (cells[0] === '' || !Number.isFinite(depart) || depart < 0) throw new OsmImportError(`${at}: depart: expected seconds from 0 up, got '${cells[0]}'`);
    const place = (v: string, field: string): number => {
      if (/^[0-9]+$/.test(v)) {
        const c = nodeCoord(Number(v));
        if (!c) throw new OsmImportError(`${at}: ${field}: OSM node ${v} is not on a kept road`);
        return nearest(...c);
      }
      const m = /^(-?[0-9.]+)\s+(-?[0-9.]+)$/.exec(v);
      if (!m) throw new OsmImportError(`${at}: ${field}: expected an OSM node id or 'lon lat', got '${v}'`);
      return nearest(...project(Number(m[1]), Number(m[2])));
    };
    const a = place(cells[1], 'from');
    const b = place(cells[2], 'to');
    let found: [number, number] | undefined;
    for (let e = 0; e < network.edgeIds.length && !found; e++) {
      if (network.edgeFrom[e] !== a) continue;
      for (let f = 0; f < network.edgeIds.length; f++)
        if (network.edgeTo[f] === b && f !== e && router.route(e, f) !== null) {
          found = [e, f];
          break;
        }
    }
    if (!found) throw new OsmImportError(`${at}: no route from junction ${network.nodeIds[a]} to junction ${network.nodeIds[b]}`);
    trips.push({ type, depart, from: network.edgeIds[found[0]], to: network.edgeIds[found[1]] });
  }
  return trips.sort((p, q) => p.depart - q.depart);
}
