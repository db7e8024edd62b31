/**
 * The road network as the hot loop sees it: nodes, edges, lanes and lane-to-lane connections in
 * flat typed arrays, immutable once built.
 *
 * Junctions have no internal lanes: a vehicle leaves the end of one lane and appears at the
 * start of the connected lane. Conflicts inside a junction (crossing or merging movements) are
 * handled by the junction logic (engine/traffic/junction.ts) using the foe lists built here.
 */
import type { ConnectionDef, ExpandedNetwork, JunctionControl, NodeDef } from './expand.js';
import { endHeading, normalizeAngle, offsetPolyline, polylineLength, startHeading, type Point } from './geometry.js';
import type { SignalPlanSpec, SignalProgramSpec } from '../spec/schema.js';
import { ALL_CLASSES, classMask } from './lane-classes.js';
import { turnSpeeds } from './turn-speed.js';

export const TURN_STRAIGHT = 0;
export const TURN_RIGHT = 1;
export const TURN_LEFT = 2;
export const TURN_UTURN = 3;
export const turnNames = ['straight', 'right', 'left', 'uturn'] as const;

export const CONTROL_PRIORITY = 0;
export const CONTROL_SIGNAL = 1;
export const CONTROL_UNREGULATED = 2;
export const CONTROL_PRIORITY_STOP = 3;
export const CONTROL_ALLWAY_STOP = 4;
const controlCode: Record<JunctionControl, number> = { priority: 0, signal: 1, unregulated: 2, priorityStop: 3, allwayStop: 4 };

export interface Network {
  laneWidth: number;
  nodeIds: string[];
  nodeX: Float64Array;
  nodeY: Float64Array;
  nodeControl: Uint8Array;
  nodeSignal: (SignalPlanSpec | undefined)[];
  /** explicit fixed-time programs (signal.program), which take the place of a generated plan */
  nodeProgram: (SignalProgramSpec | undefined)[];
  nodeIndex: Map<string, number>;

  edgeIds: string[];
  edgeNames: (string | undefined)[];
  edgeIndex: Map<string, number>;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeLanes: Int32Array;
  edgeFirstLane: Int32Array;
  edgeLength: Float64Array;
  edgeSpeed: Float64Array;
  edgeShape: Point[][];
  /** edges reachable from each edge through at least one lane connection */
  edgeSuccessors: number[][];

  laneCount: number;
  laneEdge: Int32Array;
  /** 0 = rightmost lane */
  laneIndex: Int32Array;
  laneLength: Float64Array;
  laneSpeed: Float64Array;
  /** the vehicle classes each lane admits, one bit per class (lane-classes.ts) */
  laneAllow: Uint8Array;
  /** whether any lane admits fewer than every class (else routing and driving skip the checks) */
  classRestricted: boolean;
  laneShape: Point[][];
  /**
   * How far each lane's start lies past its edge's from-node, along the lane, m: 0 where lanes
   * run from node to node (generated networks), the junction's half-size where the junction's
   * interior lies outside the lanes (imported SUMO networks, whose lanes end at the junction's
   * border)
   */
  laneSetback: Float64Array;
  /** CSR: connections leaving each lane */
  laneConnStart: Int32Array;
  laneConns: Int32Array;
  /** CSR: connections entering each lane */
  laneInStart: Int32Array;
  laneIns: Int32Array;

  connCount: number;
  connFromLane: Int32Array;
  connToLane: Int32Array;
  connFromEdge: Int32Array;
  connToEdge: Int32Array;
  connNode: Int32Array;
  connDir: Uint8Array;
  /** right-of-way rank: a movement yields to foes of lower rank; equal ranks go first come, first served */
  connRank: Uint8Array;
  /**
   * 1 where a driver must halt at the stop line before taking the movement (a stop sign): every
   * movement of an all-way stop, the yielding ones (rank > 0) of a priority-stop junction, as
   * SUMO's netconvert turns their links from minor ('m') into stop ('s')
   */
  connStop: Uint8Array;
  /** speed limit through each connection's curve, m/s (Infinity: none), and over how many metres past the stop line (on the lane turned into) it holds (turn-speed.ts) */
  connSpeed: Float64Array;
  connCurve: Float64Array;
  /** the length of each connection's path through its junction, m (turn-speed.ts): how long a driver taking it needs to clear it */
  connPath: Float64Array;
  /** CSR: conflicting connections (crossing paths or merging into the same lane) */
  connFoeStart: Int32Array;
  connFoes: Int32Array;
  /** 1 when the foe merges into the same lane (rather than crossing the path) */
  connFoeMerge: Uint8Array;
  /** connections of each node, in building order (signal plans index them) */
  nodeConns: number[][];
  /** the connection built for each entry of the scenario's network.connections (-1: none) */
  connOfSpec: Int32Array;
}

const dirCode: Record<NonNullable<ConnectionDef['dir']>, number> = { straight: TURN_STRAIGHT, right: TURN_RIGHT, left: TURN_LEFT, uturn: TURN_UTURN };

/** Direction of each arm around a node: the angle of the edge leaving the node (or arriving, reversed). */
function armAngle(shape: readonly Point[], atStart: boolean): number {
  return atStart ? startHeading(shape) : normalizeAngle(endHeading(shape) + Math.PI);
}

function classifyTurn(inShape: readonly Point[], outShape: readonly Point[], isReverse: boolean): number {
  if (isReverse) return TURN_UTURN;
  const d = normalizeAngle(startHeading(outShape) - endHeading(inShape));
  if (Math.abs(d) > (170 * Math.PI) / 180) return TURN_UTURN;
  if (Math.abs(d) <= (35 * Math.PI) / 180) return TURN_STRAIGHT;
  return d > 0 ? TURN_LEFT : TURN_RIGHT;
}

interface Movement {
  outEdge: number;
  dir: number;
  angle: number;
}

/**
 * Which lanes of an n-lane approach serve which movements (right-hand traffic, lane 0 rightmost):
 * right turns from the rightmost lane, left turns and U-turns from the leftmost, straight from the
 * rest; with 3+ lanes the leftmost lane is for left turns only.
 */
function lanesForMovement(n: number, dir: number, has: { right: boolean; straight: boolean; left: boolean }): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n === 1) return [0];
  const leftLike = dir === TURN_LEFT || dir === TURN_UTURN;
  if (!has.straight) {
    // only turns: the right half of the approach turns right, the left half turns left
    if (dir === TURN_RIGHT) return has.left ? all.slice(0, Math.ceil(n / 2)) : all;
    return has.right ? all.slice(Math.ceil(n / 2)) : all;
  }
  if (dir === TURN_RIGHT) return [0];
  if (leftLike) return [n - 1];
  // straight
  if (n === 2) return has.left || has.right ? [0, 1] : all;
  const last = has.left ? n - 2 : n - 1;
  return all.slice(0, last + 1);
}

export function buildNetwork(x: ExpandedNetwork): Network {
  const nodeIndex = new Map<string, number>();
  x.nodes.forEach((n, i) => nodeIndex.set(n.id, i));
  const nN = x.nodes.length;
  const nE = x.edges.length;
  const edgeIndex = new Map<string, number>();
  x.edges.forEach((e, i) => edgeIndex.set(e.id, i));

  const edgeFrom = new Int32Array(nE);
  const edgeTo = new Int32Array(nE);
  const edgeLanes = new Int32Array(nE);
  const edgeFirstLane = new Int32Array(nE);
  const edgeLength = new Float64Array(nE);
  const edgeSpeed = new Float64Array(nE);
  let laneCount = 0;
  x.edges.forEach((e, i) => {
    edgeFrom[i] = nodeIndex.get(e.from) ?? 0;
    edgeTo[i] = nodeIndex.get(e.to) ?? 0;
    edgeLanes[i] = e.lanes;
    edgeFirstLane[i] = laneCount;
    laneCount += e.lanes;
    edgeLength[i] = e.length ?? Math.max(0.1, polylineLength(e.shape));
    edgeSpeed[i] = e.speedLimit;
  });

  const laneEdge = new Int32Array(laneCount);
  const laneIndex = new Int32Array(laneCount);
  const laneLength = new Float64Array(laneCount);
  const laneSpeed = new Float64Array(laneCount);
  const laneAllow = new Uint8Array(laneCount);
  const laneShape: Point[][] = [];
  const laneSetback = new Float64Array(laneCount);
  x.edges.forEach((e, i) => {
    const setback = startSetback(e.shape, x.nodes[edgeFrom[i]].x, x.nodes[edgeFrom[i]].y);
    // Lanes sit to the right of the edge's centre line (two-way streets are two edges whose
    // centre lines coincide), lane 0 outermost on the right.
    for (let l = 0; l < e.lanes; l++) {
      const lane = edgeFirstLane[i] + l;
      laneEdge[lane] = i;
      laneIndex[lane] = l;
      laneLength[lane] = edgeLength[i];
      laneSpeed[lane] = e.laneSpeeds?.[l] ?? e.speedLimit;
      laneAllow[lane] = classMask(e.laneClasses?.[l]);
      laneShape.push(offsetPolyline(e.shape, (e.lanes - l - 0.5) * x.laneWidth));
      laneSetback[lane] = setback;
    }
  });

  // ---- connections, node by node
  const incoming: number[][] = Array.from({ length: nN }, () => []);
  const outgoing: number[][] = Array.from({ length: nN }, () => []);
  for (let i = 0; i < nE; i++) {
    incoming[edgeTo[i]].push(i);
    outgoing[edgeFrom[i]].push(i);
  }
  const cFrom: number[] = [];
  const cTo: number[] = [];
  const cDir: number[] = [];
  const cNode: number[] = [];
  const nodeConns: number[][] = Array.from({ length: nN }, () => []);
  // explicit connections, grouped by the node they cross (the end of their from edge); entries
  // that do not fit the network (unknown edge or lane, edges that do not meet) are left out here
  // and reported by the semantic checks
  const explicitAt: ConnectionDef[][] = Array.from({ length: nN }, () => []);
  const connOfSpec = new Int32Array(x.connections.length).fill(-1);
  for (const cd of x.connections) {
    const ein = edgeIndex.get(cd.from);
    const eout = edgeIndex.get(cd.to);
    if (ein === undefined || eout === undefined || edgeTo[ein] !== edgeFrom[eout]) continue;
    if (cd.fromLane >= edgeLanes[ein] || cd.toLane >= edgeLanes[eout]) continue;
    explicitAt[edgeTo[ein]].push(cd);
  }
  for (let n = 0; n < nN; n++) {
    if (explicitAt[n].length > 0) {
      for (const cd of explicitAt[n]) {
        const ein = edgeIndex.get(cd.from)!;
        const eout = edgeIndex.get(cd.to)!;
        const reverse = edgeFrom[ein] === edgeTo[eout] && edgeTo[ein] === edgeFrom[eout] && ein !== eout;
        const c = cFrom.length;
        connOfSpec[cd.specIndex] = c;
        cFrom.push(edgeFirstLane[ein] + cd.fromLane);
        cTo.push(edgeFirstLane[eout] + cd.toLane);
        cDir.push(cd.dir !== undefined ? dirCode[cd.dir] : classifyTurn(x.edges[ein].shape, x.edges[eout].shape, reverse));
        cNode.push(n);
        nodeConns[n].push(c);
      }
      continue;
    }
    for (const ein of incoming[n]) {
      const inShape = x.edges[ein].shape;
      let moves: Movement[] = outgoing[n].map((eout) => {
        const reverse = edgeFrom[ein] === edgeTo[eout] && edgeTo[ein] === edgeFrom[eout] && ein !== eout;
        return {
          outEdge: eout,
          dir: classifyTurn(inShape, x.edges[eout].shape, reverse),
          angle: normalizeAngle(startHeading(x.edges[eout].shape) - endHeading(inShape)),
        };
      });
      // U-turns only where nothing else leaves the junction (a dead end that is not an exit)
      const others = moves.filter((m) => m.dir !== TURN_UTURN);
      moves = others.length > 0 ? others : moves.filter((m) => incoming[n].length > 1 || outgoing[n].length > 1);
      if (moves.length === 0) continue;
      const has = {
        right: moves.some((m) => m.dir === TURN_RIGHT),
        straight: moves.some((m) => m.dir === TURN_STRAIGHT),
        left: moves.some((m) => m.dir === TURN_LEFT || m.dir === TURN_UTURN),
      };
      const nIn = edgeLanes[ein];
      // right to left, so that lane assignment is stable
      moves.sort((a, b) => a.angle - b.angle || a.outEdge - b.outEdge);
      for (const m of moves) {
        const nOut = edgeLanes[m.outEdge];
        const fromLanes = lanesForMovement(nIn, m.dir, has);
        for (let k = 0; k < fromLanes.length; k++) {
          const lIn = fromLanes[k];
          let lOut: number;
          if (m.dir === TURN_RIGHT) lOut = Math.min(k, nOut - 1);
          else if (m.dir === TURN_LEFT || m.dir === TURN_UTURN) lOut = Math.max(0, nOut - 1 - (fromLanes.length - 1 - k));
          else lOut = Math.min(nOut - 1, Math.max(0, k - Math.max(0, fromLanes.length - nOut)));
          const c = cFrom.length;
          cFrom.push(edgeFirstLane[ein] + lIn);
          cTo.push(edgeFirstLane[m.outEdge] + lOut);
          cDir.push(m.dir);
          cNode.push(n);
          nodeConns[n].push(c);
        }
      }
    }
  }
  const connCount = cFrom.length;
  const connFromLane = Int32Array.from(cFrom);
  const connToLane = Int32Array.from(cTo);
  const connDir = Uint8Array.from(cDir);
  const connNode = Int32Array.from(cNode);
  const connFromEdge = connFromLane.map((l) => laneEdge[l]);
  const connToEdge = connToLane.map((l) => laneEdge[l]);

  const csr = (count: number, key: (c: number) => number) => {
    const start = new Int32Array(count + 1);
    for (let c = 0; c < connCount; c++) start[key(c) + 1]++;
    for (let i = 0; i < count; i++) start[i + 1] += start[i];
    const fill = start.slice(0, count);
    const list = new Int32Array(connCount);
    for (let c = 0; c < connCount; c++) list[fill[key(c)]++] = c;
    return { start, list };
  };
  const out = csr(laneCount, (c) => connFromLane[c]);
  const ins = csr(laneCount, (c) => connToLane[c]);

  const edgeSuccessors: number[][] = Array.from({ length: nE }, () => []);
  for (let c = 0; c < connCount; c++) {
    const s = edgeSuccessors[connFromEdge[c]];
    if (!s.includes(connToEdge[c])) s.push(connToEdge[c]);
  }
  for (const s of edgeSuccessors) s.sort((a, b) => a - b);

  // ---- right of way and conflicts
  const connRank = new Uint8Array(connCount);
  const connStop = new Uint8Array(connCount);
  const foeLists: number[][] = Array.from({ length: connCount }, () => []);
  const foeMerge: number[][] = Array.from({ length: connCount }, () => []);
  const given = givenFoes(x.connections, connOfSpec, connCount);
  for (let n = 0; n < nN; n++) {
    const conns = nodeConns[n];
    if (conns.length === 0) continue;
    const node = x.nodes[n];
    const ranks = rankMovements(node, conns, { connFromEdge, connDir, edgeSpeed, edgeLanes, edgeFrom, edgeTo }, x);
    conns.forEach((c, k) => (connRank[c] = ranks[k]));
    if (node.control === 'allwayStop') for (const c of conns) connStop[c] = 1;
    if (node.control === 'priorityStop') for (const c of conns) connStop[c] = connRank[c] > 1 ? 1 : 0;
    // Each arm contributes an entry point (incoming side, just counter-clockwise of the arm in
    // right-hand traffic) and an exit point (just clockwise). Two movement paths cross when their
    // end points interleave around the node.
    const eps = 1e-3;
    const inPoint = (e: number) => normalizeAngle(armAngle(x.edges[e].shape, false) + eps);
    const outPoint = (e: number) => normalizeAngle(armAngle(x.edges[e].shape, true) - eps);
    const nodeGiven = conns.some((c) => given.has(c));
    for (let i = 0; i < conns.length; i++)
      for (let j = i + 1; j < conns.length; j++) {
        const a = conns[i];
        const b = conns[j];
        // lanes of one approach do not cross each other, but they do merge where lanes drop
        // (given foes say for themselves)
        if (!nodeGiven && connFromEdge[a] === connFromEdge[b] && connToLane[a] !== connToLane[b]) continue;
        if (connFromLane[a] === connFromLane[b]) continue; // one queue: its order decides
        let merge = false;
        let conflict = false;
        if (connToLane[a] === connToLane[b]) merge = conflict = true;
        else if (nodeGiven) conflict = given.get(a)?.has(b) === true || given.get(b)?.has(a) === true;
        else if (connToEdge[a] !== connToEdge[b]) {
          conflict = chordsCross(
            inPoint(connFromEdge[a]),
            outPoint(connToEdge[a]),
            inPoint(connFromEdge[b]),
            outPoint(connToEdge[b]),
          );
        }
        if (!conflict) continue;
        foeLists[a].push(b);
        foeLists[b].push(a);
        foeMerge[a].push(merge ? 1 : 0);
        foeMerge[b].push(merge ? 1 : 0);
      }
  }
  const connFoeStart = new Int32Array(connCount + 1);
  for (let c = 0; c < connCount; c++) connFoeStart[c + 1] = connFoeStart[c] + foeLists[c].length;
  const connFoes = new Int32Array(connFoeStart[connCount]);
  const specOf = new Int32Array(connCount).fill(-1);
  connOfSpec.forEach((c, k) => {
    if (c >= 0) specOf[c] = k;
  });
  const turns = turnSpeeds(x, { connCount, connFromLane, connToLane, connNode, laneEdge, laneSpeed, laneShape, specOf, edgeFrom, edgeTo, edgeLanes });
  const connFoeMerge = new Uint8Array(connFoeStart[connCount]);
  for (let c = 0; c < connCount; c++) {
    connFoes.set(foeLists[c], connFoeStart[c]);
    connFoeMerge.set(foeMerge[c], connFoeStart[c]);
  }

  return {
    laneWidth: x.laneWidth,
    nodeIds: x.nodes.map((n) => n.id),
    nodeX: Float64Array.from(x.nodes.map((n) => n.x)),
    nodeY: Float64Array.from(x.nodes.map((n) => n.y)),
    nodeControl: Uint8Array.from(x.nodes.map((n) => controlCode[n.control])),
    nodeSignal: x.nodes.map((n) => (n.control === 'signal' ? n.signal : undefined)),
    nodeProgram: x.nodes.map((n) => (n.control === 'signal' ? n.program : undefined)),
    nodeIndex,
    edgeIds: x.edges.map((e) => e.id),
    edgeNames: x.edges.map((e) => e.name),
    edgeIndex,
    edgeFrom,
    edgeTo,
    edgeLanes,
    edgeFirstLane,
    edgeLength,
    edgeSpeed,
    edgeShape: x.edges.map((e) => e.shape),
    edgeSuccessors,
    laneCount,
    laneEdge,
    laneIndex,
    laneLength,
    laneSpeed,
    laneAllow,
    classRestricted: laneAllow.some((m) => m !== ALL_CLASSES),
    laneShape,
    laneSetback,
    laneConnStart: out.start,
    laneConns: out.list,
    laneInStart: ins.start,
    laneIns: ins.list,
    connCount,
    connFromLane,
    connToLane,
    connFromEdge,
    connToEdge,
    connNode,
    connDir,
    connRank,
    connStop,
    connSpeed: turns.speed,
    connCurve: turns.curve,
    connPath: turns.path,
    connFoeStart,
    connFoes,
    connFoeMerge,
    nodeConns,
    connOfSpec,
  };
}

/**
 * The crossing foes the scenario gives (imported from SUMO's foe matrices), by connection: the
 * geometric test below cannot tell a near-collinear node's opposite through movements (which
 * SUMO, knowing the junction's shape, does not make foes) from crossing ones.
 */
function givenFoes(defs: readonly ConnectionDef[], connOfSpec: Int32Array, connCount: number): Map<number, Set<number>> {
  const given = new Map<number, Set<number>>();
  for (const cd of defs) {
    const c = connOfSpec[cd.specIndex];
    if (!cd.foes || c < 0) continue;
    const set = new Set<number>();
    for (const f of cd.foes) {
      const fc = f < connOfSpec.length ? connOfSpec[f] : -1;
      if (fc >= 0 && fc < connCount && fc !== c) set.add(fc);
    }
    given.set(c, set);
  }
  return given;
}

/** Whether chord (a1,a2) and chord (b1,b2) of a circle cross; angles in radians. */
function chordsCross(a1: number, a2: number, b1: number, b2: number): boolean {
  const between = (p: number, from: number, to: number) => {
    const span = (to - from + 4 * Math.PI) % (2 * Math.PI);
    const off = (p - from + 4 * Math.PI) % (2 * Math.PI);
    return off > 0 && off < span;
  };
  return between(b1, a1, a2) !== between(b2, a1, a2);
}

interface RankInputs {
  connFromEdge: Int32Array;
  connDir: Uint8Array;
  edgeSpeed: Float64Array;
  edgeLanes: Int32Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
}

/**
 * Right-of-way ranks of a node's movements (lower goes first):
 * - signal: through and right turns 0, left turns and U-turns 1 (a permitted left yields to the
 *   opposing through traffic; in a protected phase nothing conflicting is green anyway);
 * - priority: the main road is the pair of most important, roughly opposite arms (speed, then
 *   lanes); its through/right movements 0, its left turns 1, the minor road's through/right 2,
 *   minor left turns 3;
 * - unregulated and allwayStop: all 0, first come, first served (an all-way stop's drivers halt at
 *   the line first: connStop);
 * - priorityStop: as priority (its yielding movements halt at the line first: connStop).
 */
function rankMovements(node: NodeDef, conns: number[], r: RankInputs, x: ExpandedNetwork): number[] {
  const leftLike = (c: number) => r.connDir[c] === TURN_LEFT || r.connDir[c] === TURN_UTURN;
  if (node.control === 'unregulated' || node.control === 'allwayStop') return conns.map(() => 0);
  if (node.control === 'signal') return conns.map((c) => (leftLike(c) ? 1 : 0));
  const approaches = [...new Set(conns.map((c) => r.connFromEdge[c]))];
  const score = (e: number) => r.edgeSpeed[e] * 100 + r.edgeLanes[e];
  const angle = (e: number) => armAngle(x.edges[e].shape, false);
  const sorted = [...approaches].sort((a, b) => score(b) - score(a) || a - b);
  const major = new Set<number>();
  if (sorted.length > 0) {
    major.add(sorted[0]);
    // the best other approach that is roughly opposite the first
    const partner = sorted
      .slice(1)
      .find((e) => Math.abs(normalizeAngle(angle(e) - angle(sorted[0]))) > (120 * Math.PI) / 180);
    if (partner !== undefined && (sorted.length <= 2 || score(partner) >= score(sorted[sorted.length - 1]))) major.add(partner);
  }
  return conns.map((c) => (major.has(r.connFromEdge[c]) ? 0 : 2) + (leftLike(c) ? 1 : 0));
}

/** The connection from `lane` onto `toEdge`, or -1. */
export function connectionTo(net: Network, lane: number, toEdge: number): number {
  for (let k = net.laneConnStart[lane]; k < net.laneConnStart[lane + 1]; k++) {
    const c = net.laneConns[k];
    if (net.connToEdge[c] === toEdge) return c;
  }
  return -1;
}

/** The connection from `lane` onto `toEdge` into a lane that admits class bit `bit`, or -1 (lane classes). */
export function connectionToFor(net: Network, lane: number, toEdge: number, bit: number): number {
  for (let k = net.laneConnStart[lane]; k < net.laneConnStart[lane + 1]; k++) {
    const c = net.laneConns[k];
    if (net.connToEdge[c] === toEdge && (net.laneAllow[net.connToLane[c]] & bit) !== 0) return c;
  }
  return -1;
}

/** Bit mask of the lanes of `edge` that have a connection onto `toEdge` (all lanes if toEdge < 0). */
export function lanesToward(net: Network, edge: number, toEdge: number): number {
  const n = net.edgeLanes[edge];
  if (toEdge < 0) return n >= 31 ? 0x7fffffff : (1 << n) - 1;
  let mask = 0;
  for (let l = 0; l < n; l++) if (connectionTo(net, net.edgeFirstLane[edge] + l, toEdge) >= 0) mask |= 1 << l;
  return mask;
}

/** A lane's name as SUMO writes it: `<edge id>_<index from the right>`. */
export function laneName(net: Network, lane: number): string {
  return `${net.edgeIds[net.laneEdge[lane]]}_${net.laneIndex[lane]}`;
}

/** The distance from a node to the start of a shape leaving it, along the shape's first segment (never below 0), m. */
function startSetback(shape: Point[], nx: number, ny: number): number {
  if (shape.length < 2) return 0;
  const [x0, y0] = shape[0];
  const dx = shape[1][0] - x0;
  const dy = shape[1][1] - y0;
  const len = Math.hypot(dx, dy);
  if (len === 0) return 0;
  const along = ((x0 - nx) * dx + (y0 - ny) * dy) / len;
  return along > 0 ? along : 0;
}
