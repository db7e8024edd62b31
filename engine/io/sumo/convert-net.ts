/**
 * SUMO network → the `network` of a roadtwin scenario (nodes + edges + explicit connections,
 * signal programs from tlLogic).
 *
 * Differences in representation, and how they are bridged:
 * - SUMO lanes carry their own shapes; roadtwin draws lanes of one width to the right of an edge
 *   centre line. The centre line is the leftmost car lane's shape moved half a lane to the left,
 *   so imported lanes lie where SUMO has them (lanes of another width are warned about).
 * - SUMO junctions have internal lanes; roadtwin's do not (a vehicle passes from the end of one
 *   lane to the start of the next). So that route lengths, and with them travel times, match,
 *   the passage through the downstream junction — the internal lane(s) of the edge's straight
 *   connection, or the mean over its turns when it has none — is added to the edge's length.
 * - Lane permissions (allow/disallow) become `laneClasses` (classes.ts). Lanes that admit no
 *   roadtwin class (sidewalks, bike lanes, rail, tram) are left out, and with them their
 *   connections; lane indices are renumbered over the lanes kept. Bus lanes are kept.
 * - A traffic light runs the last program loaded for it (the net's, then the additional files'
 *   in order), as in SUMO.
 * - Junction types map to roadtwin's three controls; the ones without an equivalent take the
 *   closest with a warning.
 * - Which movements cross inside a junction is SUMO's foe matrix (each connection's `foes`);
 *   who goes first among them is roadtwin's ranking of the movements.
 */
import { offsetPolyline } from '../../road/geometry.js';
import { vehicleClasses, type VehicleClass } from '../../spec/schema.js';
import { laneClassesOf } from './classes.js';
import type { SumoConnection, SumoEdge, SumoJunction, SumoLane, SumoNet, SumoPhase, SumoTlLogic } from './net.js';
import type { Warnings } from './warnings.js';

type Control = 'priority' | 'signal' | 'unregulated' | 'priorityStop' | 'allwayStop';

export interface NodeOut {
  id: string;
  x: number;
  y: number;
  control?: Control;
  signal?: {
    offset?: number;
    program: { duration: number; state: string; minDur?: number; maxDur?: number }[];
    links: (number | number[])[];
    controller?: { type: 'actuated'; maxGap?: number; detectorGap?: number; passingTime?: number };
  };
  name?: string;
}
export interface EdgeOut {
  id: string;
  from: string;
  to: string;
  lanes: number;
  speedLimit: number;
  laneSpeeds?: number[];
  laneClasses?: (VehicleClass[] | null)[];
  length: number;
  shape: [number, number][];
  name?: string;
}
export interface ConnectionOut {
  from: string;
  fromLane: number;
  to: string;
  toLane: number;
  dir?: 'straight' | 'right' | 'left' | 'uturn';
  /** the internal lanes': the lowest speed along them and their length (turn speeds, road/turn-speed.ts) */
  speed?: number;
  length?: number;
  /** the connections (indices into the list written) whose paths cross this one: SUMO's foe matrix */
  foes?: number[];
}
export interface NetworkOut {
  nodes: NodeOut[];
  edges: EdgeOut[];
  connections: ConnectionOut[];
  laneWidth: number;
  /** SUMO's 0: the turn speeds are the internal lanes' (ConnectionOut.speed), none from the geometry */
  turnLateralAccel?: number;
}

/** Where a SUMO lane went: its edge, its index among the kept lanes (-1: left out), its length. */
export interface LaneRef {
  edge: string;
  index: number;
  length: number;
}

export interface ConvertedNet {
  network: NetworkOut;
  /** edges reachable from each edge through an imported connection */
  successors: Map<string, Set<string>>;
  /** every lane of an imported edge, by SUMO lane id */
  lanes: Map<string, LaneRef>;
  /** the mean SUMO length of an imported edge's kept lanes (its length without the junction passage) */
  laneLength: Map<string, number>;
  signals: number;
}

export interface NetOptions {
  /** programs of additional files, in load order; they replace the net's for the same traffic light */
  tlLogics?: readonly SumoTlLogic[];
  /** SUMO time of scenario time 0 (the config's begin), s: signal offsets are moved by it */
  begin?: number;
}

const controlOf: Record<string, { control: Control; note?: string }> = {
  traffic_light: { control: 'signal' },
  traffic_light_unregulated: { control: 'signal', note: 'conflicting movements that are green together give way by rank' },
  traffic_light_right_on_red: { control: 'signal', note: 'right turns on red are not modelled' },
  priority: { control: 'priority' },
  priority_stop: { control: 'priorityStop' },
  dead_end: { control: 'priority' },
  unregulated: { control: 'unregulated' },
  right_before_left: { control: 'unregulated', note: 'first come, first served (ties by id) instead of right before left' },
  left_before_right: { control: 'unregulated', note: 'first come, first served (ties by id) instead of left before right' },
  allway_stop: { control: 'allwayStop' },
  zipper: { control: 'unregulated', note: 'first come, first served instead of zipper merging' },
};

const dirOf: Record<string, ConnectionOut['dir']> = { s: 'straight', r: 'right', R: 'right', l: 'left', L: 'left', t: 'uturn' };

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The lane's own permissions, else its edge's. */
function classesOf(l: SumoLane, e: SumoEdge): VehicleClass[] {
  return laneClassesOf(l.allow || l.disallow ? l : e);
}

export function convertNet(net: SumoNet, warnings: Warnings, opts: NetOptions = {}): ConvertedNet {
  const junctions = new Map(net.junctions.map((j) => [j.id, j]));
  // ---- internal lanes: their lengths and how they chain (via → via) through a junction
  const internalLength = new Map<string, number>();
  const internalSpeed = new Map<string, number>();
  for (const e of net.edges)
    if (e.func === 'internal')
      for (const l of e.lanes) {
        internalLength.set(l.id, l.length);
        internalSpeed.set(l.id, l.speed);
      }
  const internalNext = new Map<string, string>();
  for (const c of net.connections) if (c.from.startsWith(':') && c.via) internalNext.set(`${c.from}_${c.fromLane}`, c.via);
  const passageLength = (c: SumoConnection): number => {
    let len = 0;
    for (let lane = c.via, hops = 0; lane && hops < 8; lane = internalNext.get(lane), hops++) len += internalLength.get(lane) ?? 0;
    return len;
  };
  // the slowest of them: the speed the connection's curve allows (netconvert's limit-turn-speed)
  const passageSpeed = (c: SumoConnection): number => {
    let v = Infinity;
    for (let lane = c.via, hops = 0; lane && hops < 8; lane = internalNext.get(lane), hops++) v = Math.min(v, internalSpeed.get(lane) ?? Infinity);
    return v;
  };

  // ---- edges and the lanes kept
  const kept = new Map<string, { edge: SumoEdge; lanes: SumoLane[] }>();
  for (const e of net.edges) {
    if (e.func === 'internal') continue;
    if (e.func !== 'normal') {
      warnings.add(`edges of function '${e.func}' are not supported; skipped`, e.id, `func:${e.func}`);
      continue;
    }
    if (!junctions.has(e.from) || !junctions.has(e.to)) {
      warnings.add('edges whose junction is missing from the net are skipped', e.id);
      continue;
    }
    const lanes = e.lanes.filter((l) => classesOf(l, e).length > 0);
    if (lanes.length < e.lanes.length)
      warnings.add('lanes that admit no roadtwin vehicle class (sidewalks, bike lanes, rail, tram) are left out', e.lanes.find((l) => classesOf(l, e).length === 0)!.id);
    if (lanes.length === 0) {
      warnings.add('edges without a lane for a roadtwin vehicle class (footpaths, cycle paths, rail) are skipped', e.id);
      continue;
    }
    if (lanes.some((l) => l.shape.length < 2)) {
      warnings.add('edges with a lane without a shape are skipped', e.id);
      continue;
    }
    kept.set(e.id, { edge: e, lanes });
  }
  const widths = new Map<number, number>();
  for (const { lanes } of kept.values()) for (const l of lanes) widths.set(l.width, (widths.get(l.width) ?? 0) + 1);
  const laneWidth = [...widths.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 3.2;
  for (const { lanes } of kept.values())
    for (const l of lanes) if (Math.abs(l.width - laneWidth) > 0.05) warnings.add(`lanes are drawn ${laneWidth} m wide (one width for the network)`, l.id);

  // ---- connections between kept lanes
  const keptIndex = (edge: string, sumoLane: number) => kept.get(edge)?.lanes.findIndex((l) => l.index === sumoLane) ?? -1;
  interface Kept {
    sumo: SumoConnection;
    out: ConnectionOut;
    node: string;
  }
  const conns: Kept[] = [];
  for (const c of net.connections) {
    if (c.from.startsWith(':')) continue; // the inside of a junction, folded into passage lengths
    if (!kept.has(c.from) || !kept.has(c.to)) continue; // an edge that was skipped (warned there)
    const fromLane = keptIndex(c.from, c.fromLane);
    const toLane = keptIndex(c.to, c.toLane);
    if (fromLane < 0 || toLane < 0) continue; // a lane left out (warned there)
    const dir = c.dir !== undefined ? dirOf[c.dir] : undefined;
    const out: ConnectionOut = { from: c.from, fromLane, to: c.to, toLane, ...(dir ? { dir } : {}) };
    // the curve through the junction, where the internal lanes are slower than the lane arriving
    const vPass = passageSpeed(c);
    const lPass = passageLength(c);
    if (vPass < kept.get(c.from)!.lanes[fromLane].speed && lPass > 0) {
      out.speed = round2(vPass);
      out.length = round2(lPass);
    }
    conns.push({ sumo: c, out, node: kept.get(c.from)!.edge.to });
  }
  // grouped by node, in SUMO's order within a node (signal links refer to positions in this list)
  const nodeOrder = new Map<string, number>();
  net.junctions.forEach((j, i) => nodeOrder.set(j.id, i));
  conns.sort((a, b) => nodeOrder.get(a.node)! - nodeOrder.get(b.node)!);
  const successors = new Map<string, Set<string>>();
  for (const k of conns) {
    let s = successors.get(k.out.from);
    if (!s) successors.set(k.out.from, (s = new Set()));
    s.add(k.out.to);
  }

  // ---- edges out
  const edges: EdgeOut[] = [];
  const laneLength = new Map<string, number>();
  const laneRefs = new Map<string, LaneRef>();
  for (const { edge, lanes } of kept.values())
    for (const l of edge.lanes) laneRefs.set(l.id, { edge: edge.id, index: lanes.indexOf(l), length: l.length });
  for (const { edge, lanes } of kept.values()) {
    const left = lanes[lanes.length - 1];
    const shape = offsetPolyline(left.shape, -left.width / 2).map(([x, y]) => [round2(x), round2(y)] as [number, number]);
    const mine = conns.filter((k) => k.sumo.from === edge.id);
    const straight = mine.find((k) => k.sumo.dir === 's');
    const turns = mine.filter((k) => k.sumo.dir !== 't');
    const passage = straight ? passageLength(straight.sumo) : turns.length > 0 ? turns.reduce((s, k) => s + passageLength(k.sumo), 0) / turns.length : 0;
    const laneLength_ = lanes.reduce((s, l) => s + l.length, 0) / lanes.length;
    const speeds = lanes.map((l) => l.speed);
    const top = Math.max(...speeds);
    const classes = lanes.map((l) => {
      const c = classesOf(l, edge);
      return c.length === vehicleClasses.length ? null : c;
    });
    laneLength.set(edge.id, laneLength_);
    edges.push({
      id: edge.id,
      from: edge.from,
      to: edge.to,
      lanes: lanes.length,
      speedLimit: top,
      ...(speeds.some((v) => v !== top) ? { laneSpeeds: speeds } : {}),
      ...(classes.some((c) => c !== null) ? { laneClasses: classes } : {}),
      length: round2(Math.max(0.1, laneLength_ + passage)),
      shape,
      ...(edge.name ? { name: edge.name } : {}),
    });
  }

  // ---- nodes, their control and signal programs
  const used = new Set<string>();
  for (const { edge } of kept.values()) used.add(edge.from).add(edge.to);
  const connIndexAt = new Map<string, number[]>(); // node → indices into conns
  conns.forEach((k, i) => {
    const l = connIndexAt.get(k.node) ?? [];
    l.push(i);
    connIndexAt.set(k.node, l);
  });
  // as in SUMO, the program loaded last is the one that runs
  const logics = new Map<string, SumoTlLogic>();
  for (const t of [...net.tlLogics, ...(opts.tlLogics ?? [])]) {
    if (t.phases.length === 0) continue;
    const before = logics.get(t.id);
    if (before) warnings.add('traffic-light programs replaced by one loaded later (as in SUMO, the last loaded runs)', `${t.id}/${before.programID}→${t.programID}`);
    logics.set(t.id, t);
  }
  let signals = 0;
  const sumoConns = conns.map((k) => k.sumo);
  const nodes: NodeOut[] = [];
  for (const j of net.junctions) {
    if (!used.has(j.id)) continue;
    const mapping = controlOf[j.type] ?? { control: 'priority' as Control, note: 'not supported; treated as a priority junction' };
    if (mapping.note) warnings.add(`junction type '${j.type}': ${mapping.note}`, j.id, `type:${j.type}`);
    const node: NodeOut = { id: j.id, x: round2(j.x), y: round2(j.y) };
    if (mapping.control !== 'priority') node.control = mapping.control;
    if (j.name) node.name = j.name;
    const mine = connIndexAt.get(j.id) ?? [];
    if (mapping.control === 'signal' && mine.length > 0 && !mine.some((i) => sumoConns[i].tl !== undefined)) {
      // SUMO: a traffic_light junction none of whose links names a light has nothing that stops anyone
      warnings.add('traffic-light junctions whose connections no traffic light controls run as priority junctions, as in SUMO', j.id);
      delete node.control;
    } else if (mapping.control === 'signal') {
      const program = signalProgram(j.id, mine, sumoConns, logics, opts.begin ?? 0, warnings);
      if (program) {
        node.signal = program;
        signals++;
      } else warnings.add('traffic lights without a usable tlLogic get a generated fixed-time plan', j.id);
    }
    if (!connIndexAt.has(j.id) && kept.size > 0) {
      const arms = [...kept.values()].filter(({ edge }) => edge.to === j.id || edge.from === j.id).length;
      if (arms > 2) warnings.add('junctions without connections in SUMO get generated ones', j.id);
    }
    nodes.push(node);
  }

  addFoes(net.junctions, conns, connIndexAt, internalNext, warnings);

  // The turn speeds are the internal lanes' (each connection's speed and length above), not the
  // geometric rule's: where SUMO has no slower internal lane, or no internal lanes at all
  // (netconvert --no-internal-links), nothing limits a turn.
  return { network: { nodes, edges, connections: conns.map((k) => k.out), laneWidth, turnLateralAccel: 0 }, successors, lanes: laneRefs, laneLength, signals };
}

/**
 * The program of one signalised node: the tlLogic its connections name, cut down to the link
 * indices used at this node (a SUMO traffic light may control several joined junctions).
 */
function signalProgram(
  node: string,
  mine: number[],
  conns: SumoConnection[],
  logics: Map<string, SumoTlLogic>,
  begin: number,
  warnings: Warnings,
): NodeOut['signal'] | undefined {
  const controlled = mine.filter((i) => conns[i].tl !== undefined && conns[i].linkIndex !== undefined);
  if (controlled.length === 0) return undefined;
  const tl = conns[controlled[0]].tl!;
  const logic = logics.get(tl);
  if (!logic) return undefined;
  if (controlled.some((i) => conns[i].tl !== tl)) warnings.add('junctions controlled by several traffic lights use the first one', node);
  const actuated = logic.type === 'actuated';
  if (logic.type !== 'static' && !actuated)
    warnings.add(`'${logic.type}' traffic lights run as fixed-time programs with the phase durations of the file`, tl, `tltype:${logic.type}`);
  const width = Math.min(...logic.phases.map((p) => p.state.length));
  const byLink = new Map<number, number[]>();
  for (const i of controlled) {
    const li = conns[i].linkIndex!;
    if (conns[i].tl !== tl) continue;
    if (li >= width) {
      warnings.add('connections whose linkIndex is beyond the program state are left uncontrolled', `${conns[i].from}→${conns[i].to}`);
      continue;
    }
    byLink.set(li, [...(byLink.get(li) ?? []), i]);
  }
  const linkIndices = [...byLink.keys()].sort((a, b) => a - b);
  if (linkIndices.length === 0) return undefined;
  const phases = logic.phases.filter((p) => p.duration > 0);
  if (phases.length < logic.phases.length) warnings.add('signal phases of zero duration are left out', tl);
  if (phases.length === 0) return undefined;
  // SUMO allows any offset; roadtwin's lies within the cycle (the same program position). The
  // cycle starts at SUMO time offset, which is scenario time offset − begin.
  const cycle = phases.reduce((s, p) => s + p.duration, 0);
  const offset = (((logic.offset - begin) % cycle) + cycle) % cycle;
  return {
    ...(offset !== 0 ? { offset } : {}),
    program: phases.map((p) => ({ duration: p.duration, state: linkIndices.map((li) => p.state[li]).join(''), ...(actuated ? actuatedDurations(p, tl, warnings) : {}) })),
    links: linkIndices.map((li) => {
      const l = byLink.get(li)!;
      return l.length === 1 ? l[0] : l;
    }),
    ...(actuated ? { controller: actuatedController(logic, warnings) } : {}),
  };
}

/** SUMO's actuated phase: minDur/maxDur (absent: the duration), at least 1 s (SUMO never switches sooner). */
function actuatedDurations(p: SumoPhase, tl: string, warnings: Warnings): { minDur?: number; maxDur?: number } {
  if (p.minDur === undefined && p.maxDur === undefined) return {};
  let minDur = Math.max(1, p.minDur ?? p.duration);
  const maxDur = Math.max(1, p.maxDur ?? p.duration);
  if (minDur > maxDur) {
    warnings.add('actuated phases with minDur above maxDur run at maxDur', tl);
    minDur = maxDur;
  }
  return minDur === maxDur && minDur === p.duration ? {} : { minDur, maxDur };
}

/** The actuated controller's parameters from the tlLogic's <param>s (SUMO's defaults otherwise). */
function actuatedController(logic: SumoTlLogic, warnings: Warnings): NonNullable<NodeOut['signal']>['controller'] {
  const out: NonNullable<NodeOut['signal']>['controller'] = { type: 'actuated' };
  const keys = { 'max-gap': 'maxGap', 'detector-gap': 'detectorGap', 'passing-time': 'passingTime' } as const;
  for (const [key, value] of Object.entries(logic.params)) {
    const field = keys[key as keyof typeof keys];
    const v = Number(value);
    if (field && Number.isFinite(v) && v > 0) out[field] = v;
    else if (!['show-detectors', 'file', 'freq', 'vTypes'].includes(key))
      warnings.add(`actuated traffic-light parameter '${key}' is not supported; ignored`, logic.id, `tlparam:${key}`);
  }
  return out;
}

/**
 * Each connection's crossing foes from its junction's <request foes> (which paths cross inside
 * the junction, as netconvert computed them from the junction's shape). A link is found by its
 * internal lanes: the junction's intLanes names, at the link's request index, the lane of the
 * link's path past any internal junction (a left turn's second part, after its waiting
 * position), so every lane of a connection's chain (via → via) is looked up. Links to lanes left
 * out (sidewalks, crossings) drop out. A junction where a kept connection matches no link keeps
 * its conflicts from the geometry: a foe list that missed a path would let movements through
 * each other. Who goes first among foes stays roadtwin's ranking (road/network.ts).
 */
function addFoes(
  junctions: readonly SumoJunction[],
  conns: readonly { sumo: SumoConnection; out: ConnectionOut; node: string }[],
  connIndexAt: ReadonlyMap<string, readonly number[]>,
  internalNext: ReadonlyMap<string, string>,
  warnings: Warnings,
): void {
  const connOfLane = new Map<string, number>();
  conns.forEach((k, i) => {
    for (let lane = k.sumo.via, hops = 0; lane && hops < 8; lane = internalNext.get(lane), hops++) connOfLane.set(lane, i);
  });
  for (const j of junctions) {
    const mine = connIndexAt.get(j.id);
    if (!mine) continue;
    const n = j.foes.length;
    const linkConn = n === j.intLanes.length ? j.intLanes.map((lane) => connOfLane.get(lane) ?? -1) : [];
    const matched = new Set(linkConn.filter((c) => c >= 0));
    if (n === 0 || mine.some((c) => !matched.has(c)) || matched.size !== linkConn.filter((c) => c >= 0).length) {
      // netconvert --no-internal-links writes no intLanes, so its links cannot be matched to requests
      warnings.add('junctions whose connections cannot all be matched to their foe matrix (<request>) take their conflicts from the geometry', j.id);
      continue;
    }
    linkConn.forEach((c, i) => {
      if (c < 0) return;
      const foes: number[] = [];
      for (let k = 0; k < n; k++) if (k !== i && linkConn[k] >= 0 && j.foes[i][n - 1 - k] === '1') foes.push(linkConn[k]);
      conns[c].out.foes = foes.sort((a, b) => a - b);
    });
  }
}
