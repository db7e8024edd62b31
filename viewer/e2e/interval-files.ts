/**
 * edges.csv and junctions.csv for a run directory that has none (the engine does not write them
 * yet): made-up but distinct values in the files' column contracts, one row per edge (junction)
 * and interval, so that a test can check the viewer shows exactly the row of the time shown.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeIntervalFiles(run: string, duration: number, interval = 300): { edges: string[][]; junctions: string[][] } {
  const net = JSON.parse(readFileSync(join(run, 'network.json'), 'utf8')) as { edges: { id: string; from: string; to: string; length: number }[]; nodes: { id: string; control: string }[] };
  const edges: string[][] = [['begin', 'end', 'edge', 'sampledSeconds', 'entered', 'left', 'flow', 'density', 'occupancy', 'meanSpeed', 'waitingTime', 'timeLoss', 'travelTime']];
  const junctions: string[][] = [['begin', 'end', 'junction', 'from', 'to', 'count', 'delay', 'los', 'meanQueue', 'maxQueue', 'maxQueueLength']];
  for (let b = 0, k = 0; b < duration; b += interval, k++) {
    const e = Math.min(duration, b + interval);
    net.edges.forEach((ed, i) => {
      const speed = ((i * 7 + k * 3) % 17) + 0.5;
      // every fifth edge had no vehicle in the first interval: empty speed, not a zero
      const empty = k === 0 && i % 5 === 0;
      edges.push([b, e, ed.id, 100 + i, 10 + i, 9 + i, 120 + k, (i % 9) * 2.5 + k, (i % 4) * 3.1, empty ? '' : speed.toFixed(2), i % 3, (i * 13 + k * 5) % 40, (ed.length / Math.max(0.5, speed)).toFixed(1)].map(String));
    });
    net.nodes.forEach((n, i) => {
      if (n.control !== 'signal') return;
      const into = net.edges.filter((x) => x.to === n.id);
      const out = net.edges.filter((x) => x.from === n.id);
      if (!into.length || !out.length) return;
      junctions.push([b, e, n.id, into[0].id, out[0].id, 30 + i + k, (5 + i + k * 2).toFixed(1), 'BCD'[i % 3], ((i % 5) * 0.7).toFixed(1), 3 + (i % 4), 20 + i].map(String));
    });
  }
  writeFileSync(join(run, 'edges.csv'), edges.map((r) => r.join(',')).join('\n') + '\n');
  writeFileSync(join(run, 'junctions.csv'), junctions.map((r) => r.join(',')).join('\n') + '\n');
  return { edges, junctions };
}
