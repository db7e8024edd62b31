/**
 * The requests that change a simulation: hold a signal state, phase or program; hold a
 * vehicle's speed; give a vehicle a new route; add a vehicle. Both `roadtwin serve` and a
 * replayed command log (`roadtwin run --replay-commands`) go through `prepare`, so a command does
 * the same thing live and replayed.
 *
 * `prepare` checks everything first and returns the change as a function that cannot fail; the
 * server writes the command to its log between the two, so that nothing happens to a simulation
 * that its log does not hold, and nothing is logged that did not happen. Commands take effect
 * between ticks: a signal override from the next tick's signal phase, a speed hold before each
 * tick (holds.ts), a route or a queued vehicle at once.
 */
import { connectionToFor } from '../../road/network.js';
import { parseStateString, programInterval } from '../../road/signal-overrides.js';
import type { World } from '../../sim/world.js';
import { SpeedHolds, slotOf } from './holds.js';
import { RequestError, type MutatingRequest, type Request } from './protocol.js';

/** What a command acts on: a world and the speeds held in it. */
export interface ControlTarget {
  readonly world: World;
  readonly holds: SpeedHolds;
}

/** A checked command, ready to apply; it returns the response's fields. */
export type PreparedCommand = () => Record<string, unknown>;

const STATE_CHARS = /^[GgyYrRuoOs]+$/;

export function prepare(t: ControlTarget, req: MutatingRequest): PreparedCommand {
  switch (req.cmd) {
    case 'setSignal':
      return prepareSignal(t, req);
    case 'setSpeed':
      return prepareSpeed(t, req);
    case 'setRoute':
      return prepareRoute(t, req);
    case 'addVehicle':
      return prepareAdd(t, req);
  }
}

/** The index in the world's program list of the signal-controlled node `node`. */
export function programOfNode(world: World, node: string, field = 'node'): number {
  const n = world.net.nodeIndex.get(node);
  if (n === undefined) throw new RequestError(field, `no node '${node.slice(0, 200)}' in the network`);
  const p = world.programs.findIndex((prog) => prog.node === n);
  if (p < 0) throw new RequestError(field, `node '${node.slice(0, 200)}' has no signal program`);
  return p;
}

function prepareSignal(t: ControlTarget, req: Request<'setSignal'>): PreparedCommand {
  const { world } = t;
  const p = programOfNode(world, req.node);
  const given = (['state', 'phase', 'program', 'release'] as const).filter((k) => req[k] !== undefined);
  if (given.length !== 1) throw new RequestError(given.length === 0 ? 'state' : given[1], 'give exactly one of state, phase, program or release');
  const prog = world.programs[p];
  const n = prog.conns.length;
  const overrides = world.signalOverrides;
  const row = (state: string, field: string): Uint8Array => {
    if (state.length !== n) throw new RequestError(field, `expected ${n} characters (one per controlled connection of node '${req.node}'), got ${state.length}`);
    if (!STATE_CHARS.test(state)) throw new RequestError(field, `expected only the signal characters G g y Y r R u o O s, got '${state.slice(0, 200)}'`);
    return parseStateString(state);
  };
  if (req.release) return () => ({ released: overrides.release(p) });
  if (req.state !== undefined) {
    const states = row(req.state, 'state');
    return () => (overrides.hold(p, states, world.time, 'state'), {});
  }
  if (req.phase !== undefined) {
    const intervals = prog.starts.length;
    if (req.phase >= intervals) throw new RequestError('phase', `node '${req.node}' has ${intervals} intervals (0 to ${intervals - 1}), got ${req.phase}`);
    const states = prog.states.slice(req.phase * n, (req.phase + 1) * n);
    return () => (overrides.hold(p, states, world.time, 'phase'), {});
  }
  const rows = req.program!.map((r, i) => row(r.state, `program.${i}.state`));
  const durations = req.program!.map((r) => r.duration);
  return () => (overrides.holdProgram(p, rows, durations, world.time), {});
}

/** The slot of vehicle `id` on the road, or a RequestError naming `vehicle`. */
function vehicleSlot(world: World, id: number): number {
  const slot = slotOf(world, id);
  if (slot < 0) throw new RequestError('vehicle', `no vehicle ${id} on the road (not yet inserted, or already arrived)`);
  return slot;
}

function prepareSpeed(t: ControlTarget, req: Request<'setSpeed'>): PreparedCommand {
  const { world, holds } = t;
  const slot = vehicleSlot(world, req.vehicle);
  if (req.speed === null) return () => ({ released: holds.release(world, slot) });
  const speed = req.speed;
  return () => (holds.hold(world, slot, speed), {});
}

/** Edge ids as indices, each following the one before it for a vehicle of class bit `bit`. */
function routeEdges(world: World, ids: readonly string[], bit: number, field: string): Int32Array {
  const net = world.net;
  const edges = new Int32Array(ids.length);
  ids.forEach((e, i) => {
    const k = net.edgeIndex.get(e);
    if (k === undefined) throw new RequestError(`${field}.${i}`, `no edge '${e.slice(0, 200)}' in the network`);
    edges[i] = k;
  });
  for (let i = 1; i < edges.length; i++) {
    const from = edges[i - 1];
    let joined = false;
    for (let l = 0; l < net.edgeLanes[from] && !joined; l++) joined = connectionToFor(net, net.edgeFirstLane[from] + l, edges[i], bit) >= 0;
    if (!joined) throw new RequestError(`${field}.${i}`, `edge '${ids[i].slice(0, 200)}' does not follow '${ids[i - 1].slice(0, 200)}' (no connection between them for this vehicle's class)`);
  }
  return edges;
}

function prepareRoute(t: ControlTarget, req: Request<'setRoute'>): PreparedCommand {
  const { world } = t;
  const s = world.state;
  const net = world.net;
  const slot = vehicleSlot(world, req.vehicle);
  // a van's stops are positions on its old route
  if (s.stopIdx[slot] < s.stopEnd[slot]) throw new RequestError('vehicle', `vehicle ${req.vehicle} has stops left to serve; its route cannot be replaced`);
  const bit = world.types.laneBits[s.type[slot]];
  const edges = routeEdges(world, req.edges, bit, 'edges');
  const lane = s.lane[slot];
  const here = net.laneEdge[lane];
  if (edges[0] !== here) throw new RequestError('edges.0', `a new route starts on the edge the vehicle is on ('${net.edgeIds[here]}'), got '${req.edges[0].slice(0, 200)}'`);
  return () => {
    // (trips.csv's route is the route driven: the old one's edges before this one, then the new)
    world.trips.routeReplaced(s.id[slot], world.routes.edgesOf(s.route[slot]), s.routeIdx[slot]);
    s.route[slot] = world.routes.add(edges);
    s.routeIdx[slot] = 0;
    // as a departure: the connection on from this lane, or −1 while it must change lanes to find one
    s.nextConn[slot] = edges.length > 1 ? connectionToFor(net, lane, edges[1], bit) : -1;
    return {};
  };
}

function prepareAdd(t: ControlTarget, req: Request<'addVehicle'>): PreparedCommand {
  const { world } = t;
  const type = world.types.index.get(req.type);
  if (type === undefined) throw new RequestError('type', `no vehicle type '${req.type.slice(0, 200)}' (one of ${world.types.names.join(', ')})`);
  const bit = world.types.laneBits[type];
  let edges: Int32Array;
  if (req.edges !== undefined) {
    if (req.from !== undefined || req.to !== undefined) throw new RequestError(req.from !== undefined ? 'from' : 'to', 'give either edges or from and to');
    edges = routeEdges(world, req.edges, bit, 'edges');
  } else {
    if (req.from === undefined) throw new RequestError('from', 'give edges, or from and to');
    if (req.to === undefined) throw new RequestError('to', 'give edges, or from and to');
    const from = world.net.edgeIndex.get(req.from);
    if (from === undefined) throw new RequestError('from', `no edge '${req.from.slice(0, 200)}' in the network`);
    const to = world.net.edgeIndex.get(req.to);
    if (to === undefined) throw new RequestError('to', `no edge '${req.to.slice(0, 200)}' in the network`);
    const path = world.routers.for(bit).route(from, to);
    if (!path) throw new RequestError('to', `no route from '${req.from}' to '${req.to}' for a vehicle of type '${req.type}'`);
    edges = path;
  }
  // a source beyond the scenario's demand entries: no system hears of its insertion
  const source = world.scenario.demand.length;
  return () => {
    world.enqueueTrip(type, edges, [], source);
    return { queued: true, nextId: world.nextId };
  };
}

/** The current interval of each program, for reading (overrides shown separately). */
export function currentInterval(world: World, p: number): number {
  return programInterval(world.programs[p], world.time);
}
