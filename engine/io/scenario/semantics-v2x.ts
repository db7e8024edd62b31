/**
 * Reference checks of the V2X and road-event keys (schema-v2x.ts) against the built network:
 * RSUs at nodes that exist and serving signalised nodes, penetration by types that exist, road
 * events on edges and lanes that exist, and no two events on one lane at once.
 */
import type { Problem } from './problem.js';
import type { Scenario } from '../../spec/schema.js';
import type { Network } from '../../road/network.js';

type Path = (string | number)[];

export function checkV2xSemantics(s: Scenario, network: Network, signalNodes: ReadonlySet<number>): Problem[] {
  const problems: Problem[] = [];
  const add = (path: Path, message: string) => problems.push({ path, message });
  const round = (x: number) => Math.round(x * 10) / 10;

  const v2x = s.v2x;
  if (v2x) {
    const ch = v2x.channel;
    // the delay is min + Gamma(2,2)·0.25·(expected − min): a mean below the minimum has no such draw (found by fuzz-mutations.test.ts)
    if (ch.model === 'unitDisk' && ch.delayExpected < ch.delayMin)
      add(['v2x', 'channel', 'delayExpected'], `must be at least delayMin (${ch.delayMin} ms), got ${ch.delayExpected} ms`);
    for (const t of Object.keys(v2x.penetrationByType))
      if (!(t in s.vehicleTypes)) add(['v2x', 'penetrationByType', t], `unknown vehicle type '${t}'`);
    const seen = new Map<string, number>();
    v2x.rsus.forEach((r, i) => {
      if (seen.has(r.id)) add(['v2x', 'rsus', i, 'id'], `duplicate RSU id '${r.id}'`);
      seen.set(r.id, i);
      if (r.node !== undefined && !network.nodeIndex.has(r.node)) add(['v2x', 'rsus', i, 'node'], `unknown node '${r.node}'`);
      r.intersections.forEach((id, k) => {
        const n = network.nodeIndex.get(id);
        if (n === undefined) add(['v2x', 'rsus', i, 'intersections', k], `unknown node '${id}'`);
        else if (!signalNodes.has(n)) add(['v2x', 'rsus', i, 'intersections', k], `node '${id}' has no traffic signal, so there is no SPAT to send`);
      });
    });
  }

  const ids = new Map<string, number>();
  // per lane, the time windows of the events on it so far
  const onLane = new Map<number, { begin: number; end: number; id: string }[]>();
  s.roadEvents.forEach((e, i) => {
    if (ids.has(e.id)) add(['roadEvents', i, 'id'], `duplicate road event id '${e.id}'`);
    ids.set(e.id, i);
    const edge = network.edgeIndex.get(e.edge);
    if (edge === undefined) {
      add(['roadEvents', i, 'edge'], `unknown edge '${e.edge}'`);
      return;
    }
    const length = network.edgeLength[edge];
    if (e.pos >= length) add(['roadEvents', i, 'pos'], `position ${e.pos} m is beyond the end of edge '${e.edge}' (${round(length)} m)`);
    const lanes = network.edgeLanes[edge];
    const given = e.lanes ?? (e.kind === 'speedLimit' ? Array.from({ length: lanes }, (_, l) => l) : [0]);
    given.forEach((l, k) => {
      if (l >= lanes) add(['roadEvents', i, 'lanes', k], `edge '${e.edge}' has ${lanes} lane(s); lanes are numbered from 0`);
    });
    const window = { begin: e.begin, end: e.end ?? s.duration, id: e.id };
    for (const l of given) {
      const lane = network.edgeFirstLane[edge] + l;
      const list = onLane.get(lane) ?? [];
      const clash = list.find((o) => o.begin < window.end && window.begin < o.end);
      if (clash) add(['roadEvents', i], `overlaps road event '${clash.id}' on lane ${l} of edge '${e.edge}' in time; one event per lane at a time`);
      list.push(window);
      onLane.set(lane, list);
    }
  });
  return problems;
}
