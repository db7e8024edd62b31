/**
 * Demand for an imported map, so that it runs at once. `random:RATE`: RATE trips an hour, evenly
 * spaced, each from an edge that enters the network at its fringe (its start node has no other
 * road than its own reverse, the edges SUMO's randomTrips.py `--fringe-factor` favours) to a
 * fringe edge that leaves it. Reachability is the engine's own (the network as the run will
 * build it, and its router), so every trip drawn can be driven. Drawn from a seeded stream: the
 * same map and seed give the same trips.
 */
import seedrandom from 'seedrandom';
import { networkSchema } from '../../spec/schema.js';
import { expandNetwork } from '../../road/expand.js';
import { buildNetwork, type Network } from '../../road/network.js';
import { fringeEdges, Router } from '../../road/routing.js';
import type { NetworkOut } from '../sumo/convert-net.js';

export interface Trip {
  type: string;
  depart: number;
  from: string;
  to: string;
}

/** The network exactly as a run builds it. */
export function engineNetwork(net: NetworkOut): Network {
  const spec = networkSchema.parse({ nodes: net.nodes, edges: net.edges, ...(net.connections.length > 0 ? { connections: net.connections } : {}), laneWidth: net.laneWidth });
  return buildNetwork(expandNetwork(spec));
}

export function randomTrips(net: NetworkOut, rate: number, duration: number, seed: number, type: string): Trip[] {
  const network = engineNetwork(net);
  const router = new Router(network);
  const { sources, sinks } = fringeEdges(network);
  const sinksFrom = new Map<number, number[]>();
  const reachableSinks = (from: number) => {
    let l = sinksFrom.get(from);
    if (!l) sinksFrom.set(from, (l = sinks.filter((s) => s !== from && network.edgeTo[s] !== network.edgeFrom[from] && router.route(from, s) !== null)));
    return l;
  };
  const usable = sources.filter((s) => reachableSinks(s).length > 0);
  const trips: Trip[] = [];
  if (usable.length === 0) return trips;
  const rng = seedrandom(`osm-random-trips:${seed}`);
  const period = 3600 / rate;
  for (let k = 0; k * period < duration; k++) {
    const from = usable[Math.floor(rng() * usable.length)];
    const to = reachableSinks(from);
    trips.push({ type, depart: Math.round(k * period * 100) / 100, from: network.edgeIds[from], to: network.edgeIds[to[Math.floor(rng() * to.length)]] });
  }
  return trips;
}
