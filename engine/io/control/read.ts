/**
 * What a client reads of a simulation, encoded compactly: vehicles as one flat array of numbers
 * (`fields` × vehicles, row by row, in lane order) rather than an object per vehicle, so that
 * reading a thousand positions is one array in one message (the per-call and per-object costs
 * that TraCI's users complain of: docs/control-api.md); signals, junction queues, detectors and
 * metrics as small objects (there are few of them).
 */
import { LaneGeometry } from '../../road/lanegeom.js';
import { signalStateNames } from '../../road/signals.js';
import { HALT_SPEED } from '../../traffic/kinematics.js';
import type { DetectorReport } from '../../traffic/detectors.js';
import type { World } from '../../sim/world.js';
import { currentInterval, programOfNode } from './commands.js';
import { RequestError, type VehicleField, type VehicleQuery } from './protocol.js';

/** The compact vehicle table: `data[k * fields.length + f]` is field f of the k-th vehicle. */
export interface VehicleTable {
  fields: VehicleField[];
  count: number;
  encoding: 'json' | 'f64';
  /** numbers (json) or base64 of little-endian float64s (f64) */
  data: number[] | string;
}

/** Reads vehicles; keeps its geometry and buffer between calls (one per simulation). */
export class VehicleReader {
  private readonly geom: LaneGeometry;
  private buf = new Float64Array(4096);
  private readonly xyh = new Float64Array(3);

  constructor(private readonly world: World) {
    this.geom = new LaneGeometry(world.net);
  }

  read(q: VehicleQuery): VehicleTable {
    const w = this.world;
    const s = w.state;
    const net = w.net;
    let k0 = 0;
    let k1 = w.order.count;
    let lanes: [number, number] | null = null;
    if (q.lane !== undefined && q.edge !== undefined) throw new RequestError('edge', 'give lane or edge, not both');
    if (q.lane !== undefined) {
      const l = laneIndexOf(w, q.lane);
      lanes = [l, l + 1];
    } else if (q.edge !== undefined) {
      const e = net.edgeIndex.get(q.edge);
      if (e === undefined) throw new RequestError('edge', `no edge '${q.edge.slice(0, 200)}' in the network`);
      lanes = [net.edgeFirstLane[e], net.edgeFirstLane[e] + net.edgeLanes[e]];
    }
    if (lanes) {
      // lanes are contiguous segments of the lane order, and an edge's lanes are consecutive
      k0 = w.order.laneStart[lanes[0]];
      k1 = w.order.laneStart[lanes[1]];
    }
    const fields = q.fields;
    const nf = fields.length;
    const codes = fields.map((f) => FIELD_CODE[f]);
    if (this.buf.length < (k1 - k0) * nf) this.buf = new Float64Array(Math.max((k1 - k0) * nf, this.buf.length * 2));
    const buf = this.buf;
    const area = q.area;
    const xyh = this.xyh;
    const needXy = area !== undefined || codes.some((c) => c <= 3);
    let n = 0;
    for (let k = k0; k < k1; k++) {
      const i = s.order[k];
      const lane = s.lane[i];
      if (needXy) {
        this.geom.point(lane, s.pos[i], xyh);
        if (area && (xyh[0] < area[0] || xyh[1] < area[1] || xyh[0] > area[2] || xyh[1] > area[3])) continue;
      }
      const o = n * nf;
      for (let f = 0; f < nf; f++) {
        let v: number;
        switch (codes[f]) {
          case 0: v = s.id[i]; break;
          case 1: v = xyh[0]; break;
          case 2: v = xyh[1]; break;
          case 3: v = xyh[2]; break;
          case 4: v = s.speed[i]; break;
          case 5: v = s.accel[i]; break;
          case 6: v = lane; break;
          case 7: v = net.laneEdge[lane]; break;
          case 8: v = s.pos[i]; break;
          case 9: v = s.type[i]; break;
          case 10: v = s.waiting[i]; break;
          case 11: v = s.dist[i]; break;
          default: v = s.routeIdx[i]; break;
        }
        buf[o + f] = v;
      }
      n++;
    }
    const used = buf.subarray(0, n * nf);
    if (q.encoding === 'f64') {
      // (the machine's byte order is little-endian on every platform Node supports for this)
      return { fields, count: n, encoding: 'f64', data: Buffer.from(used.buffer, used.byteOffset, used.byteLength).toString('base64') };
    }
    return { fields, count: n, encoding: 'json', data: Array.from(used) };
  }
}

const FIELD_CODE: Record<VehicleField, number> = { id: 0, x: 1, y: 2, heading: 3, speed: 4, accel: 5, lane: 6, edge: 7, pos: 8, type: 9, waiting: 10, dist: 11, routeIndex: 12 };

/** The index of lane `name` (`<edge>_<index>`), or a RequestError naming `lane`. */
export function laneIndexOf(w: World, name: string): number {
  const cut = name.lastIndexOf('_');
  const e = cut > 0 ? w.net.edgeIndex.get(name.slice(0, cut)) : undefined;
  const idx = cut > 0 ? Number(name.slice(cut + 1)) : NaN;
  if (e === undefined || !Number.isInteger(idx) || idx < 0 || idx >= w.net.edgeLanes[e]) throw new RequestError('lane', `no lane '${name.slice(0, 200)}' in the network (lanes are named <edge>_<index>)`);
  return w.net.edgeFirstLane[e] + idx;
}

/** One signal-controlled node as read: its program's interval in force, the states, any override. */
export interface SignalReading {
  node: string;
  /** the interval of the node's own program in force now (what it would show without an override) */
  phase: number;
  phases: number;
  /** the states in force, one character per controlled connection */
  state: string;
  /** 'state' | 'phase' | 'program' while an override holds, else null */
  override: string | null;
  /** with `node`: the program (state string and duration of each interval) and each connection's approach and exit edge */
  program?: { state: string; duration: number }[];
  conns?: { from: string; to: string }[];
}

export function readSignals(w: World, node: string | undefined): SignalReading[] {
  const ps = node === undefined ? w.programs.map((_, p) => p) : [programOfNode(w, node)];
  return ps.map((p) => {
    const prog = w.programs[p];
    let state = '';
    for (let k = 0; k < prog.conns.length; k++) state += signalStateNames[w.connState[prog.conns[k]]];
    const r: SignalReading = { node: w.net.nodeIds[prog.node], phase: currentInterval(w, p), phases: prog.starts.length, state, override: w.signalOverrides.get(p)?.kind ?? null };
    if (node !== undefined) {
      const n = prog.conns.length;
      r.program = Array.from(prog.starts, (start, i) => {
        let st = '';
        for (let k = 0; k < n; k++) st += signalStateNames[prog.states[i * n + k]];
        const end = i + 1 < prog.starts.length ? prog.starts[i + 1] : prog.cycle;
        return { state: st, duration: round6(end - start) };
      });
      r.conns = Array.from(prog.conns, (c) => ({ from: w.net.edgeIds[w.net.connFromEdge[c]], to: w.net.edgeIds[w.net.connToEdge[c]] }));
    }
    return r;
  });
}

/** Halting vehicles (speed under 0.1 m/s) on each edge into a node. */
export interface QueueReading {
  node: string;
  edges: string[];
  halting: number[];
}

/** The queues at the signal-controlled nodes, or at one node (signalised or not). */
export function readQueues(w: World, node: string | undefined): QueueReading[] {
  const net = w.net;
  let nodes: number[];
  if (node === undefined) nodes = w.programs.map((p) => p.node);
  else {
    const n = net.nodeIndex.get(node);
    if (n === undefined) throw new RequestError('node', `no node '${node.slice(0, 200)}' in the network`);
    nodes = [n];
  }
  const s = w.state;
  const start = w.order.laneStart;
  return nodes.map((n) => {
    const edges: string[] = [];
    const halting: number[] = [];
    for (let e = 0; e < net.edgeIds.length; e++) {
      if (net.edgeTo[e] !== n) continue;
      let h = 0;
      const l0 = net.edgeFirstLane[e];
      for (let k = start[l0]; k < start[l0 + net.edgeLanes[e]]; k++) if (s.speed[s.order[k]] < HALT_SPEED) h++;
      edges.push(net.edgeIds[e]);
      halting.push(h);
    }
    return { node: net.nodeIds[n], edges, halting };
  });
}

/** The figures of the simulation now: the second's sample and the running totals. */
export function readMetrics(w: World): Record<string, number> {
  const t = w.totals;
  return {
    ...w.sample(),
    tick: w.tick,
    waitingToEnter: w.waiting,
    removed: t.removed,
    travelTimeSum: t.travelTimeSum,
    meanTravelTime: t.arrived > 0 ? round6(t.travelTimeSum / t.arrived) : 0,
    emergencyBrakes: t.emergencyBrakes,
    collisions: t.collisions,
    vehicleUpdates: t.vehicleUpdates,
  };
}

/** The last complete period of each detector (null before its first period ends). */
export function readDetectors(w: World, last: ReadonlyMap<string, DetectorReport>): { id: string; report: Omit<DetectorReport, 'id'> | null }[] {
  return w.detectors.ids.map((id) => {
    const r = last.get(id);
    if (!r) return { id, report: null };
    const { id: _id, ...rest } = r;
    return { id, report: rest };
  });
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
