/**
 * Whether a vehicle class can drive a route of edges (lane classes): a lane that admits it on
 * every edge, and between each edge and the next a connection whose both lanes admit it. Routes
 * the router finds for the class always can; routes the scenario gives may not.
 */
import type { Network } from '../road/network.js';
import { edgeAdmits } from '../road/lane-classes.js';

export function classRouteOk(net: Network, edges: ArrayLike<number>, loop: boolean, bit: number): boolean {
  const n = edges.length;
  for (let k = 0; k < n; k++) {
    const e = edges[k];
    if (!edgeAdmits(net, e, bit)) return false;
    const next = k + 1 < n ? edges[k + 1] : loop ? edges[0] : -1;
    if (next >= 0 && !linked(net, e, next, bit)) return false;
  }
  return true;
}

function linked(net: Network, from: number, to: number, bit: number): boolean {
  const first = net.edgeFirstLane[from];
  for (let lane = first; lane < first + net.edgeLanes[from]; lane++) {
    if (!(net.laneAllow[lane] & bit)) continue;
    for (let q = net.laneConnStart[lane]; q < net.laneConnStart[lane + 1]; q++) {
      const c = net.laneConns[q];
      if (net.connToEdge[c] === to && net.laneAllow[net.connToLane[c]] & bit) return true;
    }
  }
  return false;
}
