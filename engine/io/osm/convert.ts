/**
 * Kept OSM ways and their nodes → the `network` of a scenario: ways split at junctions into
 * edges (one per direction, ids `WAY#k` forward and `-WAY#k` backward, so each keeps its OSM way
 * id), shapes in metres, lanes and speeds from the tags (tags.ts), junction nodes clustered
 * (cluster.ts), loop roads split in two (loops.ts), signalised junctions where a signal stands on
 * the junction or on every road arriving within SIGNAL_REACH before it, the corners of one
 * signalised intersection joined (signals.ts). Connections come from `turn:lanes` where a
 * junction's arriving ways have them (turns.ts), else the engine makes them from geometry, with
 * U-turns only at dead ends.
 */
import type { NodeOut, EdgeOut, ConnectionOut, NetworkOut } from '../sumo/convert-net.js';
import type { Warnings } from '../sumo/warnings.js';
import { clusterJunctions } from './cluster.js';
import { OsmImportError } from './errors.js';
import type { Projection } from './project.js';
import type { OsmWay, Tags } from './read.js';
import { HIGHWAY_CLASSES, laneClassesOf, lanesOf, onewayOf, parseMaxspeed, turnLanesOf } from './tags.js';
import { turnConnections, type EdgeMeta } from './turns.js';
import { loopSplitNodes } from './loops.js';
import { piecesOf } from './pieces.js';
import { signalise, SIGNAL_REACH } from './signals.js';
import { stopControls, type StopSign } from './stop-signs.js';

export interface NodeInfo {
  lat: number;
  lon: number;
  /** a traffic signal: highway=traffic_signals, or crossing=traffic_signals (a signalised crossing) */
  signal?: boolean;
  /** highway=stop on the node (stop-signs.ts) */
  stop?: StopSign;
}

/** Which ways of a way are driven (its one-way and its lanes each way). */
function directionsOf(t: Tags): { forward: boolean; backward: boolean } {
  const cls = HIGHWAY_CLASSES[t.highway];
  const { forward, backward } = lanesOf(t, cls, onewayOf(t, cls));
  return { forward: forward > 0, backward: backward > 0 };
}

export interface ConvertInput {
  ways: OsmWay[];
  nodes: Map<number, NodeInfo>;
  project: Projection;
  warnings: Warnings;
}

export interface ConvertedOsm {
  network: NetworkOut;
  /** per edge id: extra facts the demand and the tests use */
  meta: Map<string, EdgeMeta>;
  signals: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function convertOsm(input: ConvertInput): ConvertedOsm {
  const { ways, nodes, project, warnings } = input;
  const xy = new Map<number, [number, number]>();
  const xyOf = (id: number): [number, number] => {
    let p = xy.get(id);
    if (!p) {
      const n = nodes.get(id)!;
      p = project(n.lon, n.lat);
      xy.set(id, p);
    }
    return p;
  };
  // ---- junction nodes: used by two ways (or twice), or a way's end
  const uses = new Map<number, number>();
  for (const w of ways) {
    w.refs.forEach((r, i) => uses.set(r, (uses.get(r) ?? 0) + (i === 0 || i === w.refs.length - 1 ? 2 : 1)));
  }
  const junctionIds = [...uses.entries()].filter(([, n]) => n >= 2).map(([id]) => id);
  let clusters = clusterJunctions(junctionIds, xyOf);
  // loop roads are split at their middle node (loops.ts); a split can make a new loop of a
  // loop's half only if that half comes back too, so a few rounds settle it
  for (let round = 0; round < 4; round++) {
    const splits = loopSplitNodes(ways, (id) => clusters.of.get(id), xyOf).filter((id) => !clusters.of.has(id));
    if (splits.length === 0) break;
    junctionIds.push(...splits);
    clusters = clusterJunctions(junctionIds, xyOf);
  }

  // ---- signals (signals.ts); the corners of one signalised intersection become one junction
  const signalledBy = signalise(
    { ways, isSignal: (id) => nodes.get(id)!.signal === true, directions: (w) => directionsOf(w.tags), xyOf },
    clusters,
    (c, k) => centre(c.members[k], xyOf),
  );
  clusters = signalledBy.clustering;
  const signalled = signalledBy.signalled;
  const stopControlled = stopControls({ ways, signOf: (id) => nodes.get(id)!.stop, directions: (w) => directionsOf(w.tags), xyOf }, clusters);
  const isJunction = (id: number) => clusters.of.has(id);
  if (signalledBy.strayed > 0)
    warnings.add(`traffic signals that signalise no junction (pedestrian crossings mid-block, or near a junction whose other roads have none within ${SIGNAL_REACH} m) are not imported`, undefined, 'stray-signals');

  // ---- edges
  const edges: EdgeOut[] = [];
  const meta = new Map<string, EdgeMeta>();
  const usedClusters = new Set<number>();
  for (const w of ways) {
    const cls = HIGHWAY_CLASSES[w.tags.highway];
    const oneway = onewayOf(w.tags, cls);
    const { forward, backward } = lanesOf(w.tags, cls, oneway);
    const speedKmh = parseMaxspeed(w.tags.maxspeed) ?? cls.speed;
    const fwSpeed = parseMaxspeed(w.tags['maxspeed:forward']) ?? speedKmh;
    const bwSpeed = parseMaxspeed(w.tags['maxspeed:backward']) ?? speedKmh;
    if (w.tags.maxspeed !== undefined && parseMaxspeed(w.tags.maxspeed) === undefined)
      warnings.add('maxspeed values that are not km/h, mph, none, walk or a known country zone: the class default applies', `${w.id}: ${w.tags.maxspeed}`, 'maxspeed');
    const twoWay = forward > 0 && backward > 0;
    // pieces between junction nodes
    let piece = 0;
    const pieces = piecesOf(w, isJunction);
    for (const [first, i] of pieces) {
      const refs = w.refs.slice(first, i + 1);
      const a = clusters.of.get(refs[0])!;
      const b = clusters.of.get(refs[refs.length - 1])!;
      const k = w.part ? `${w.part}.${piece++}` : String(piece++);
      if (a === b) {
        // the inside of one junction (a link between the corners of a crossing, or a loop too
        // short or too bare to split, loops.ts): folded into the junction
        continue;
      }
      const shape = refs.map((r) => xyOf(r));
      // the ends at the junction's centre, so that the pieces of one junction meet
      shape[0] = centre(clusters.members[a], xyOf);
      shape[shape.length - 1] = centre(clusters.members[b], xyOf);
      const clean = dedupe(shape);
      if (clean.length < 2) continue;
      usedClusters.add(a).add(b);
      const name = w.tags.name;
      const make = (id: string, from: number, to: number, lanes: number, kmh: number, pts: [number, number][], suffix: string) => {
        const laneClasses = laneClassesOf(w.tags, lanes, twoWay ? suffix : '') ?? (twoWay ? undefined : laneClassesOf(w.tags, lanes, suffix));
        const turns = turnLanesOf(w.tags, lanes, twoWay ? suffix : '') ?? (twoWay ? undefined : turnLanesOf(w.tags, lanes, suffix === '' ? ':forward' : suffix));
        // turn:lanes describe the approach to the way's last junction only
        const last = suffix === ':backward' ? piece === 1 : i === w.refs.length - 1;
        edges.push({
          id,
          from: nodeId(clusters.members[from]),
          to: nodeId(clusters.members[to]),
          lanes,
          speedLimit: round2(kmh / 3.6),
          ...(laneClasses ? { laneClasses } : {}),
          length: round2(Math.max(0.1, lengthOf(pts))),
          shape: pts.map(([x, y]) => [round2(x), round2(y)] as [number, number]),
          ...(name ? { name } : {}),
        });
        meta.set(id, turns && last ? { turns } : {});
      };
      if (forward > 0) make(`${w.id}#${k}`, a, b, forward, fwSpeed, clean, twoWay ? ':forward' : '');
      if (backward > 0) make(`-${w.id}#${k}`, b, a, backward, bwSpeed, [...clean].reverse(), ':backward');
    }
  }
  if (edges.length === 0) throw new OsmImportError('no road is left to import (check --bbox and --types)');

  // ---- nodes
  const nodesOut: NodeOut[] = [];
  let signals = 0;
  for (let c = 0; c < clusters.members.length; c++) {
    if (!usedClusters.has(c)) continue;
    const [x, y] = centre(clusters.members[c], xyOf);
    const node: NodeOut = { id: nodeId(clusters.members[c]), x: round2(x), y: round2(y) };
    if (signalled.has(c)) {
      node.control = 'signal';
      signals++;
    } else {
      const stop = stopControlled.get(c);
      if (stop) node.control = stop;
    }
    nodesOut.push(node);
  }
  const connections: ConnectionOut[] = turnConnections(edges, meta, warnings);
  return { network: { nodes: nodesOut, edges, connections, laneWidth: 3.2 }, meta, signals };
}

/** A junction's id: its smallest OSM node id, so that trips by OSM node id find it. */
export const nodeId = (members: readonly number[]) => `n${members[0]}`;

function centre(members: readonly number[], xyOf: (id: number) => [number, number]): [number, number] {
  let sx = 0;
  let sy = 0;
  for (const m of members) {
    const [x, y] = xyOf(m);
    sx += x;
    sy += y;
  }
  return [sx / members.length, sy / members.length];
}

function dedupe(pts: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of pts) {
    const q = out[out.length - 1];
    if (!q || Math.hypot(p[0] - q[0], p[1] - q[1]) > 0.05) out.push(p);
  }
  return out;
}

export function lengthOf(pts: readonly [number, number][]): number {
  let s = 0;
  for (let i = 1; i < pts.length; i++) s += Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]);
  return s;
}

export type { Tags };
