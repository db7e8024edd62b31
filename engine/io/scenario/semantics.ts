/**
 * Checks that need more than the schema: references between parts of the scenario (types,
 * edges, nodes), duplicate ids, routes that are connected, places that exist on their edges,
 * signal plans that fit their cycle. Each problem carries the path of the field to blame.
 */
import type { Problem } from './problem.js';
import type { Scenario, StopSpec } from '../../spec/schema.js';
import { expandNetwork } from '../../road/expand.js';
import { buildNetwork, type Network } from '../../road/network.js';
import { buildSignalPrograms } from '../../road/signals.js';
import { Router, fringeEdges } from '../../road/routing.js';
import { planPlacement } from '../../traffic/placement.js';
import { buildTypeTable } from '../../traffic/types.js';
import { checkV2xSemantics } from './semantics-v2x.js';
import { checkLimits, checkOutputLimits } from './limits.js';
import { checkLogisticsSemantics } from './semantics-logistics.js';
import { checkPerceptionSemantics } from './semantics-perception.js';

type Path = (string | number)[];

/** `built`, when given, receives the network the checks built (the trips files are checked against it). */
export function checkSemantics(s: Scenario, built?: (network: Network) => void): Problem[] {
  // sizes first: nothing below may allocate for a scenario beyond the limits
  const limits = checkLimits(s);
  if (limits.length > 0) return limits;
  const problems: Problem[] = [];
  const add = (path: Path, message: string) => problems.push({ path, message });
  const net = s.network;

  // ---- explicit network: ids and references
  if (net.nodes && net.edges) {
    duplicates(net.nodes.map((n) => n.id), (i, id) => add(['network', 'nodes', i, 'id'], `duplicate node id '${id}'`));
    duplicates(net.edges.map((e) => e.id), (i, id) => add(['network', 'edges', i, 'id'], `duplicate edge id '${id}'`));
    const nodeIds = new Set(net.nodes.map((n) => n.id));
    net.edges.forEach((e, i) => {
      if (!nodeIds.has(e.from)) add(['network', 'edges', i, 'from'], `unknown node '${e.from}'`);
      if (!nodeIds.has(e.to)) add(['network', 'edges', i, 'to'], `unknown node '${e.to}'`);
      if (e.laneSpeeds && e.laneSpeeds.length !== e.lanes)
        add(['network', 'edges', i, 'laneSpeeds'], `gives ${e.laneSpeeds.length} speed(s) for ${e.lanes} lane(s); give one per lane`);
      if (e.laneClasses && e.laneClasses.length !== e.lanes)
        add(['network', 'edges', i, 'laneClasses'], `gives ${e.laneClasses.length} entr${e.laneClasses.length === 1 ? 'y' : 'ies'} for ${e.lanes} lane(s); give one per lane, from the rightmost (null: every class)`);
    });
    checkConnections(net, add);
    if (problems.length > 0) return problems; // the network cannot be built
  }
  if (s.network.grid && s.network.grid.rows * s.network.grid.cols > 40_000)
    return [{ path: ['network', 'grid'], message: 'a grid of more than 40,000 junctions is beyond this engine version' }];
  if (s.network.grid) {
    // a grid block shorter than the longest vehicle with its standstill gap holds no vehicle
    // between two junctions: every insertion fails and every junction blocks (1e-9 m was accepted)
    const g = s.network.grid;
    const [longest, type] = Object.entries(s.vehicleTypes).reduce<[number, string]>((best, [name, t]) => (t.length + t.minGap > best[0] ? [t.length + t.minGap, name] : best), [0, '']);
    const need = Math.max(10, longest);
    const why = `shorter than the longest vehicle type ('${type}', ${longest} m with its minimum gap)`;
    if (g.spacing < need) add(['network', 'grid', 'spacing'], `${g.spacing} m is ${need > longest ? 'under 10 m' : why}: give at least ${need} m`);
    if (g.fringe !== undefined && g.fringe < need) add(['network', 'grid', 'fringe'], `${g.fringe} m is ${need > longest ? 'under 10 m' : why}: give at least ${need} m`);
    if (problems.length > 0) return problems;
  }

  const expanded = expandNetwork(s.network);
  const network = buildNetwork(expanded);
  built?.(network);
  problems.push(...checkOutputLimits(s, network));
  const nodeSpec = (n: number) => expanded.nodes[n].specIndex;
  for (const p of buildSignalPrograms(network).problems) {
    const i = nodeSpec(p.node);
    const path: Path = s.network.grid
      ? ['network', 'grid', 'signals', 'cycle']
      : net.nodes?.[i]?.signal
        ? ['network', 'nodes', i, 'signal', 'cycle']
        : ['network', 'signals', 'cycle'];
    add(path, `node '${network.nodeIds[p.node]}': ${p.message}`);
  }

  const types = new Set(Object.keys(s.vehicleTypes));
  const dists = new Set(Object.keys(s.vehicleTypeDistributions ?? {}));
  for (const [name, members] of Object.entries(s.vehicleTypeDistributions ?? {})) {
    if (types.has(name)) add(['vehicleTypeDistributions', name], `'${name}' is a vehicle type too; a distribution needs a name of its own`);
    for (const m of Object.keys(members))
      if (!types.has(m)) add(['vehicleTypeDistributions', name, m], `unknown vehicle type '${m}'${dists.has(m) ? ' (a distribution cannot hold another distribution)' : ''}`);
  }
  const edge = (id: string, path: Path): number => {
    const e = network.edgeIndex.get(id);
    if (e === undefined) {
      add(path, `unknown edge '${id}'`);
      return -1;
    }
    return e;
  };
  const type = (id: string, path: Path) => {
    if (!types.has(id)) add(path, dists.has(id) ? `'${id}' is a vehicle type distribution; only a trip or a flow may draw from one` : `unknown vehicle type '${id}'`);
  };
  // a trip's or flow's type: a vehicle type or a distribution of them
  const typeOrDist = (id: string, path: Path) => {
    if (!types.has(id) && !dists.has(id)) add(path, `unknown vehicle type '${id}' (nor a vehicle type distribution)`);
  };
  // departLane as an index: the first edge must have that lane
  const departLane = (lane: unknown, firstEdge: string | undefined, path: Path) => {
    if (typeof lane !== 'number' || firstEdge === undefined) return;
    const e = network.edgeIndex.get(firstEdge);
    if (e !== undefined && lane >= network.edgeLanes[e]) add([...path, 'departLane'], `edge '${firstEdge}' has ${network.edgeLanes[e]} lane(s); lanes are numbered from 0`);
  };
  const router = new Router(network);
  const connected = (ids: string[], path: Path): number[] | null => {
    const es = ids.map((id, k) => edge(id, [...path, k]));
    if (es.some((e) => e < 0)) return null;
    for (let k = 1; k < es.length; k++) {
      if (!network.edgeSuccessors[es[k - 1]].includes(es[k])) {
        add([...path, k], `route is not connected: edge '${ids[k - 1]}' does not lead to '${ids[k]}'`);
        return null;
      }
    }
    return es;
  };
  const reachable = (from: string, to: string, path: Path): number[] | null => {
    const a = edge(from, [...path, 'from']);
    const b = edge(to, [...path, 'to']);
    if (a < 0 || b < 0) return null;
    const r = router.route(a, b);
    if (!r) {
      add([...path, 'to'], `no route from edge '${from}' to edge '${to}': the network does not connect them`);
      return null;
    }
    return Array.from(r);
  };
  const checkStops = (stops: StopSpec[] | undefined, route: number[] | null, path: Path) => {
    stops?.forEach((st, k) => {
      const e = edge(st.edge, [...path, 'stops', k, 'edge']);
      if (e < 0) return;
      if (st.pos > network.edgeLength[e])
        add([...path, 'stops', k, 'pos'], `stop position ${st.pos} m is beyond the end of edge '${st.edge}' (${round(network.edgeLength[e])} m)`);
      if (route && !route.includes(e)) add([...path, 'stops', k, 'edge'], `edge '${st.edge}' is not on the route`);
      if (st.lane !== undefined && st.lane >= network.edgeLanes[e])
        add([...path, 'stops', k, 'lane'], `edge '${st.edge}' has ${network.edgeLanes[e]} lane(s); lanes are numbered from 0`);
    });
  };

  s.demand.forEach((entry, i) => {
    const base: Path = ['demand', i];
    if ('place' in entry) {
      const p = entry.place;
      type(p.type, [...base, 'place', 'type']);
      if (p.edge !== undefined) edge(p.edge, [...base, 'place', 'edge']);
    } else if ('flow' in entry) {
      const f = entry.flow;
      const path: Path = [...base, 'flow'];
      typeOrDist(f.type, [...path, 'type']);
      departLane(f.departLane, f.route?.[0] ?? f.from, path);
      const route = f.route ? connected(f.route, [...path, 'route']) : f.from !== undefined && f.to !== undefined ? reachable(f.from, f.to, path) : null;
      checkStops(f.stops, route, path);
    } else if ('randomTrips' in entry) {
      type(entry.randomTrips.type, [...base, 'randomTrips', 'type']);
      if (network.edgeIds.length === 0) add([...base, 'randomTrips'], 'the network has no edges for random trips');
      const { sources, sinks } = fringeEdges(network);
      const pool = sources.length > 0 && sinks.length > 0;
      if (!pool && network.edgeIds.length < 1) add([...base, 'randomTrips'], 'no edges to start or end random trips on');
    } else if ('trips' in entry) {
      entry.trips.forEach((t, k) => {
        const path: Path = [...base, 'trips', k];
        typeOrDist(t.type, [...path, 'type']);
        departLane(t.departLane, t.from, path);
        let route: number[] | null;
        if (t.via && t.via.length > 0) {
          const ids = [t.from, ...t.via, t.to];
          const es = ids.map((id, j) => edge(id, j === 0 ? [...path, 'from'] : j === ids.length - 1 ? [...path, 'to'] : [...path, 'via', j - 1]));
          route = es.every((e) => e >= 0) ? (router.routeVia(es) ? Array.from(router.routeVia(es)!) : null) : null;
          if (es.every((e) => e >= 0) && !route) add([...path, 'via'], `no route from '${t.from}' through ${t.via.map((v) => `'${v}'`).join(', ')} to '${t.to}'`);
        } else route = reachable(t.from, t.to, path);
        checkStops(t.stops, route, path);
      });
    }
  });

  // every place entry's vehicles must fit on their lanes, all entries together (placement.ts)
  if (problems.length === 0 && s.demand.some((d) => 'place' in d)) {
    const plan = planPlacement(s, network, buildTypeTable(s.vehicleTypes), s.seed, () => 1);
    const seen = new Set<number>();
    for (const p of plan.problems) {
      if (seen.has(p.entry)) continue;
      seen.add(p.entry);
      add(['demand', p.entry, 'place', 'count'], p.message);
    }
  }

  duplicates(s.detectors.map((d) => d.id), (i, id) => add(['detectors', i, 'id'], `duplicate detector id '${id}'`));
  s.detectors.forEach((d, i) => {
    const e = edge(d.edge, ['detectors', i, 'edge']);
    if (e < 0) return;
    if (d.pos > network.edgeLength[e])
      add(['detectors', i, 'pos'], `position ${d.pos} m is beyond the end of edge '${d.edge}' (${round(network.edgeLength[e])} m)`);
    if (d.lane !== undefined && d.lane >= network.edgeLanes[e])
      add(['detectors', i, 'lane'], `edge '${d.edge}' has ${network.edgeLanes[e]} lane(s); lanes are numbered from 0`);
  });
  const signalNodes = new Set(buildSignalPrograms(network).programs.map((p) => p.node));
  problems.push(...checkV2xSemantics(s, network, signalNodes));
  problems.push(...checkLogisticsSemantics(s, network));
  problems.push(...checkPerceptionSemantics(s, network));
  return problems;
}

type Add = (path: Path, message: string) => void;

/**
 * Explicit connections and the signal programs that refer to them: edges and lanes that exist,
 * edges that meet at a node, no connection given twice, links that name a connection of their
 * own node.
 */
function checkConnections(net: Scenario['network'], add: Add): void {
  const edges = new Map((net.edges ?? []).map((e) => [e.id, e]));
  const conns = net.connections ?? [];
  const seen = new Map<string, number>();
  conns.forEach((c, i) => {
    const path: Path = ['network', 'connections', i];
    const from = edges.get(c.from);
    const to = edges.get(c.to);
    if (!from) add([...path, 'from'], `unknown edge '${c.from}'`);
    if (!to) add([...path, 'to'], `unknown edge '${c.to}'`);
    if (from && c.fromLane >= from.lanes) add([...path, 'fromLane'], `edge '${c.from}' has ${from.lanes} lane(s); lanes are numbered from 0`);
    if (to && c.toLane >= to.lanes) add([...path, 'toLane'], `edge '${c.to}' has ${to.lanes} lane(s); lanes are numbered from 0`);
    if (from && to && from.to !== to.from)
      add([...path, 'to'], `edge '${c.from}' ends at node '${from.to}' but edge '${c.to}' starts at node '${to.from}'`);
    c.foes?.forEach((f, k) => {
      const foe = conns[f];
      if (!foe) add([...path, 'foes', k], `there is no connection ${f} (network.connections has ${conns.length})`);
      else if (f === i) add([...path, 'foes', k], 'a connection is not its own foe');
      else if (from && edges.get(foe.from) && edges.get(foe.from)!.to !== from.to)
        add([...path, 'foes', k], `connection ${f} (${foe.from} → ${foe.to}) does not cross node '${from.to}'`);
    });
    const key = `${c.from}\u0000${c.fromLane}\u0000${c.to}\u0000${c.toLane}`;
    const first = seen.get(key);
    if (first !== undefined) add(path, `the same connection as network.connections.${first}`);
    else seen.set(key, i);
  });
  (net.nodes ?? []).forEach((n, i) => {
    const sig = n.signal;
    if (!sig?.program) return;
    const path: Path = ['network', 'nodes', i, 'signal'];
    if (n.control !== 'signal') add([...path, 'program'], `a signal program needs control: signal (node '${n.id}' is ${n.control ?? 'priority'})`);
    sig.links?.forEach((link, k) => {
      const refs = typeof link === 'number' ? [link] : link;
      refs.forEach((ref, j) => {
        const at: Path = typeof link === 'number' ? [...path, 'links', k] : [...path, 'links', k, j];
        const c = conns[ref];
        if (!c) add(at, `there is no connection ${ref} (network.connections has ${conns.length})`);
        else if (edges.get(c.from) && edges.get(c.from)!.to !== n.id)
          add(at, `connection ${ref} (${c.from} → ${c.to}) does not cross node '${n.id}'`);
      });
    });
  });
}

function duplicates(ids: string[], report: (index: number, id: string) => void): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) report(i, id);
    seen.add(id);
  });
}

const round = (x: number) => Math.round(x * 10) / 10;

export type { Network };
