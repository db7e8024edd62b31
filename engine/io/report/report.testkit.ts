/**
 * Test fixtures for the report: edges.csv and junctions.csv in the column contract of
 * docs/run-directory.md, made up for a real run's network.json (two intervals per edge and per
 * connected movement), with figures chosen so that the ranking is known: edge k of n loses
 * (k + 1) · 10 veh·s per interval, so the last edge of network.json is the worst.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvLine } from '../../sweep/csv.js';

export const EDGES_HEADER = 'begin,end,edge,sampledSeconds,entered,left,flow,density,occupancy,meanSpeed,waitingTime,timeLoss,travelTime';
export const JUNCTIONS_HEADER = 'begin,end,junction,from,to,count,delay,los,meanQueue,maxQueue,maxQueueLength';

interface Net {
  edges: { id: string; speedLimit: number; length: number }[];
  lanes: { id: string; edge: string }[];
  connections: { from: string; to: string; node: string }[];
}

/** Writes edges.csv and junctions.csv into the run directory `dir`; returns the ids it ranked first. */
export function writePlaceFixtures(dir: string, end: number): { worstEdge: string; movements: number } {
  const net = JSON.parse(readFileSync(join(dir, 'network.json'), 'utf8')) as Net;
  const half = end / 2;
  const edges = [EDGES_HEADER];
  net.edges.forEach((e, k) => {
    for (const [b, t] of [
      [0, half],
      [half, end],
    ]) {
      // every third edge unused in the first interval
      const used = !(b === 0 && k % 3 === 0);
      const sampled = used ? 100 : 0;
      const speed = used ? e.speedLimit * (0.3 + (0.7 * (k % 10)) / 10) : null;
      edges.push(csvLine([b, t, e.id, sampled, used ? 4 : 0, used ? 4 : 0, used ? 120 : 0, used ? 5 : 0, used ? 2.5 : 0, speed, 0, used ? (k + 1) * 10 : 0, used ? e.length / speed! : null]));
    }
  });
  writeFileSync(join(dir, 'edges.csv'), `${edges.join('\n')}\n`);
  const laneEdge = new Map(net.lanes.map((l) => [l.id, l.edge]));
  const seen = new Set<string>();
  const rows = [JUNCTIONS_HEADER];
  for (const c of net.connections) {
    const from = laneEdge.get(c.from)!;
    const to = laneEdge.get(c.to)!;
    const key = `${c.node}|${from}|${to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const k = seen.size;
    rows.push(csvLine([0, half, c.node, from, to, 2, k % 40, 'B', 0.5, 2, 14]));
    rows.push(csvLine([half, end, c.node, from, to, 0, null, '', 0, 0, 0]));
  }
  writeFileSync(join(dir, 'junctions.csv'), `${rows.join('\n')}\n`);
  return { worstEdge: net.edges[net.edges.length - 1].id, movements: seen.size };
}
