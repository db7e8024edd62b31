/**
 * network.json: what the viewer needs to draw the network and the signal states, in plain JSON
 * (ids, shapes in metres, lanes, connections, signal programs).
 */
import type { World } from '../../sim/world.js';
import { turnNames } from '../../road/network.js';
import { signalStateNames } from '../../road/signals.js';
import type { BBox } from '../trace/format.js';

const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The box the trace quantises positions over: the roads' (network.json `bbox`) grown to what
 * drones reach with logistics.
 */
export function networkBox(w: World): BBox {
  return roadBox(w, true);
}

/** The roads' bounding box, padded by 10 m; with `flights`, also order destinations, drone ports and no-fly zones. */
function roadBox(w: World, flights: boolean): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const shape of w.net.laneShape)
    for (const [x, y] of shape) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  // with logistics, drones fly beyond the roads: to destinations (all drawn when the run
  // starts), from ports, around no-fly zones (a 25 m margin); the trace quantises positions over
  // this box and would pin them to its edge
  const lg = w.logistics;
  if (lg && flights) {
    const add = (x: number, y: number, r = 0) => {
      minX = Math.min(minX, x - r);
      minY = Math.min(minY, y - r);
      maxX = Math.max(maxX, x + r);
      maxY = Math.max(maxY, y + r);
    };
    for (let i = 0; i < lg.orders.count; i++) add(lg.orders.x[i], lg.orders.y[i]);
    for (const p of lg.drones.ports) add(p.x, p.y);
    for (const z of lg.airspace.polygons) z.xs.forEach((x, i) => add(x, z.ys[i], 30));
  }
  if (!Number.isFinite(minX)) return { minX: 0, minY: 0, maxX: 1, maxY: 1 };
  const m = 10;
  return { minX: minX - m, minY: minY - m, maxX: maxX + m, maxY: maxY + m };
}

export function networkJson(w: World): object {
  const n = w.net;
  const controls = ['priority', 'signal', 'unregulated', 'priorityStop', 'allwayStop'];
  return {
    version: 1,
    // the roads' box: the viewer frames the view on it (the trace's may be larger, see networkBox)
    bbox: roadBox(w, false),
    laneWidth: n.laneWidth,
    nodes: n.nodeIds.map((id, i) => ({ id, x: r2(n.nodeX[i]), y: r2(n.nodeY[i]), control: controls[n.nodeControl[i]] })),
    edges: n.edgeIds.map((id, e) => ({
      id,
      name: n.edgeNames[e] ?? null,
      from: n.nodeIds[n.edgeFrom[e]],
      to: n.nodeIds[n.edgeTo[e]],
      lanes: n.edgeLanes[e],
      speedLimit: n.edgeSpeed[e],
      length: r2(n.edgeLength[e]),
      shape: n.edgeShape[e].map(([x, y]) => [r2(x), r2(y)]),
    })),
    lanes: Array.from({ length: n.laneCount }, (_, l) => ({
      id: w.laneName(l),
      edge: n.edgeIds[n.laneEdge[l]],
      index: n.laneIndex[l],
      length: r2(n.laneLength[l]),
      shape: n.laneShape[l].map(([x, y]) => [r2(x), r2(y)]),
    })),
    connections: Array.from({ length: n.connCount }, (_, c) => ({
      from: w.laneName(n.connFromLane[c]),
      to: w.laneName(n.connToLane[c]),
      node: n.nodeIds[n.connNode[c]],
      dir: turnNames[n.connDir[c]],
      rank: n.connRank[c],
    })),
    signals: w.programs.map((p) => ({
      node: n.nodeIds[p.node],
      cycle: p.cycle,
      offset: p.offset,
      // fixed, actuated or max-pressure: with a controller the intervals run by its rule (docs/signals.md), not the cycle
      controller: p.controller.type,
      // bus priority / emergency pre-emption on a fixed-time plan (docs/signals.md, Priority)
      ...(p.priority ? { priority: p.priority } : {}),
      minDur: Array.from(p.minDur, r2),
      maxDur: Array.from(p.maxDur, (x) => (Number.isFinite(x) ? r2(x) : null)),
      phases: p.phases,
      connections: Array.from(p.conns),
      starts: Array.from(p.starts, r2),
      // one string per interval, one letter per connection: G green, g yield, y yellow, r red
      states: Array.from(p.starts, (_, k) =>
        Array.from(p.conns, (_c, q) => signalStateNames[p.states[k * p.conns.length + q]]).join(''),
      ),
    })),
  };
}
