/**
 * How fast a vehicle may take each connection through its junction, and over how many metres
 * before the stop line that limit holds: the speed its curve allows.
 *
 * roadtwin's junctions have no internal lanes (network.ts), but a turning driver still slows for
 * the curve. The curve of a connection is taken as the circular arc that leaves the incoming
 * lane at the junction's border and joins the outgoing lane at the border on the other side,
 * tangent to both (the border lies `junctionHalfSize` from the node, as where netconvert ends the
 * lanes of a junction it builds). Its speed follows netconvert's `--junctions.limit-turn-speed`
 * rule (SUMO 1.15, after A. Odhams and D. Cole, "Models of driver speed choice in curves",
 * AVEC 2004): with L the curve's length, θ the change of heading and w the lane width,
 *
 *   r = L / (θ − 15°) + w / 4,     v = √(a_lat · r),     a_lat = 5.5 m/s² (the default),
 *
 * and no limit for a change of heading under 15° or where v is not below the incoming lane's
 * limit. On netgenerate's grid (2 lanes of 3.2 m each way) this gives 6.4 m/s for a right turn,
 * 9.1 m/s for a left turn and 3.7 m/s for a U-turn, against the 6.51, 9.26 and 3.65 m/s of
 * netconvert's own internal lanes (turn-speed.test.ts).
 *
 * A connection may carry its own speed and length instead (network.connections: the SUMO
 * importer writes those of the internal lanes). A driver is down to the limit at the stop line
 * and keeps to it over the curve's length on the lane it turned into: those first metres stand
 * for the path through the junction, as a SUMO internal lane does. So a driver going straight
 * on behind a turning one is held by it only until it crosses the line, as in SUMO, where the
 * two take different internal lanes.
 */
import type { ExpandedNetwork } from './expand.js';
import { endHeading, normalizeAngle, startHeading, type Point } from './geometry.js';

/** Angular changes below this are not limited (netconvert's `limit-turn-speed.min-angle`), rad. */
const MIN_ANGLE = (15 * Math.PI) / 180;
/** The corner radius netconvert gives a junction's border beyond the crossing roads (`default.junctions.radius`), m. */
const JUNCTION_RADIUS = 4;

export interface TurnSpeeds {
  /** the speed limit through each connection, m/s; Infinity where the lanes' own limits hold */
  speed: Float64Array;
  /** over how many metres past the stop line, on the lane turned into, that limit holds (the curve's length), m; 0 without a limit */
  curve: Float64Array;
  /** the length of each connection's path through its junction, m: the imported internal lane's, else the arc's (its chord when straight on) */
  path: Float64Array;
}

/** What the rule reads of the network being built (network.ts). */
export interface TurnInputs {
  connCount: number;
  connFromLane: Int32Array;
  connToLane: Int32Array;
  connNode: Int32Array;
  laneEdge: Int32Array;
  laneSpeed: Float64Array;
  laneShape: Point[][];
  /** the explicit connection behind each connection, as an index into x.connections (−1: generated) */
  specOf: Int32Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeLanes: Int32Array;
}

export function turnSpeeds(x: ExpandedNetwork, n: TurnInputs): TurnSpeeds {
  const speed = new Float64Array(n.connCount).fill(Infinity);
  const curve = new Float64Array(n.connCount);
  const path = new Float64Array(n.connCount);
  const half = junctionHalfSizes(x, n);
  const aLat = x.turnLateralAccel;
  for (let c = 0; c < n.connCount; c++) {
    const from = n.connFromLane[c];
    const spec = n.specOf[c] >= 0 ? x.connections[n.specOf[c]] : undefined;
    const arc = spec?.speed !== undefined && spec.length !== undefined ? null : curveOf(n.laneShape[from], n.laneShape[n.connToLane[c]], x.nodes[n.connNode[c]], half[n.connNode[c]]);
    let v = spec?.speed;
    const length = spec?.length ?? arc?.length ?? 0;
    path[c] = length;
    if (v === undefined && arc && aLat > 0 && arc.angle > MIN_ANGLE) v = Math.sqrt(aLat * (arc.length / (arc.angle - MIN_ANGLE) + x.laneWidth / 4));
    if (v === undefined || v >= n.laneSpeed[from]) continue;
    speed[c] = v;
    curve[c] = length;
  }
  return { speed, curve, path };
}

/**
 * Each node's border distance: half the widest road meeting there (both directions of it) plus
 * the corner radius.
 */
function junctionHalfSizes(x: ExpandedNetwork, n: TurnInputs): Float64Array {
  const half = new Float64Array(x.nodes.length);
  const lanesBetween = new Map<string, number>();
  const key = (a: number, b: number) => (a < b ? `${a} ${b}` : `${b} ${a}`);
  for (let e = 0; e < n.edgeLanes.length; e++) {
    const k = key(n.edgeFrom[e], n.edgeTo[e]);
    lanesBetween.set(k, (lanesBetween.get(k) ?? 0) + n.edgeLanes[e]);
  }
  for (let e = 0; e < n.edgeLanes.length; e++) {
    const w = ((lanesBetween.get(key(n.edgeFrom[e], n.edgeTo[e])) ?? 0) * x.laneWidth) / 2 + JUNCTION_RADIUS;
    for (const node of [n.edgeFrom[e], n.edgeTo[e]]) if (w > half[node]) half[node] = w;
  }
  return half;
}

/**
 * The arc from the incoming lane's border point to the outgoing lane's, tangent to both: from
 * its chord c and the change of heading θ, radius c / (2 sin(θ/2)) and length radius · θ. Lanes
 * that already stop short of the node (imported ones end at the junction's border) are not cut
 * back further.
 */
function curveOf(inShape: Point[], outShape: Point[], node: { x: number; y: number }, half: number): { length: number; angle: number } | null {
  if (inShape.length < 2 || outShape.length < 2) return null;
  const hin = endHeading(inShape);
  const hout = startHeading(outShape);
  const angle = Math.abs(normalizeAngle(hout - hin));
  const [ex, ey] = inShape[inShape.length - 1];
  const [sx, sy] = outShape[0];
  // how far the lane end lies before the node, and the lane start after it, along the lanes
  const endBefore = (node.x - ex) * Math.cos(hin) + (node.y - ey) * Math.sin(hin);
  const startAfter = (sx - node.x) * Math.cos(hout) + (sy - node.y) * Math.sin(hout);
  const back = Math.max(0, half - Math.max(0, endBefore));
  const ahead = Math.max(0, half - Math.max(0, startAfter));
  const bx = ex - back * Math.cos(hin);
  const by = ey - back * Math.sin(hin);
  const ox = sx + ahead * Math.cos(hout);
  const oy = sy + ahead * Math.sin(hout);
  const chord = Math.hypot(ox - bx, oy - by);
  const s = Math.sin(angle / 2);
  const length = s < 1e-9 ? chord : (chord * angle) / (2 * s);
  return { length, angle };
}
