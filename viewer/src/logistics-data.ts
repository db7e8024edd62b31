/**
 * What the run directory says about unmanned logistics, for the viewer: the orders of orders.csv
 * (destination, creation) with the times events.ndjson gives them (first assigned, delivered,
 * rejected), drone missions (`drone.launch`: the flight path and cruise altitude) and van tours
 * (`van.tour`: the vehicle id, curb stops and road route). Pure parsing and lookups, no WebGL.
 */
import { parseCsv } from './csv.js';
import type { Point } from './network.js';

/** Trace ids of robots start here (engine/logistics/system.ts ROBOT_ID_BASE; a unit test holds it). */
export const ROBOT_ID_BASE = 0x30000000;

export const ORDER_HIDDEN = 0;
export const ORDER_PENDING = 1;
/** assigned to a vehicle, on its way */
export const ORDER_ASSIGNED = 2;
export const ORDER_DELIVERED = 3;
export const ORDER_REJECTED = 4;
export const ORDER_STATUS_NAMES = ['not yet ordered', 'waiting', 'assigned', 'delivered', 'rejected'];

export interface DroneMission {
  time: number;
  /** trace id */
  id: number;
  drone: string;
  order: number;
  port: string;
  altitude: number;
  path: Point[];
}

export interface VanTour {
  time: number;
  /** vehicle (trace) id */
  id: number;
  van: string;
  hub: string;
  stops: { order: number; edge: string; pos: number; x: number; y: number }[];
  route: string[];
}

export interface Assignment {
  time: number;
  order: number;
}

export class LogisticsData {
  /** orders by row of orders.csv */
  readonly count: number;
  readonly orderId: Int32Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly created: Float64Array;
  /** first assignment (NaN: never) */
  readonly assigned: Float64Array;
  readonly delivered: Float64Array;
  readonly rejected: Float64Array;
  readonly hub: string[];
  readonly weight: Float64Array;
  private readonly row = new Map<number, number>();
  /** drone missions by trace id, in time order */
  readonly missions = new Map<number, DroneMission[]>();
  /** van tours by vehicle id (one tour per vehicle: each tour is a new vehicle) */
  readonly tours = new Map<number, VanTour>();
  /** assignments by vehicle name (drone-12, van-3, robot-0), in time order */
  readonly assignments = new Map<string, Assignment[]>();
  /**
   * Orders given back to the dispatcher at some point (order.returned): per row, every change
   * in time order, true for an assignment, false for a return (few orders have any)
   */
  private readonly changes = new Map<number, { time: number; assigned: boolean }[]>();

  constructor(ordersCsv: string | null, events: string | null) {
    const t = ordersCsv ? parseCsv(ordersCsv) : { header: [], rows: [] };
    const col = (name: string) => t.header.indexOf(name);
    const [cId, cCreated, cX, cY, cAssigned, cDelivered, cHub, cWeight] = ['id', 'created', 'x', 'y', 'assigned', 'delivered', 'hub', 'weight'].map(col);
    // rows without a destination (an older orders.csv) cannot be drawn: none are kept
    const rows = cX < 0 || cY < 0 || cId < 0 || cCreated < 0 ? [] : t.rows.filter((r) => r.length === t.header.length);
    const n = (this.count = rows.length);
    this.orderId = new Int32Array(n);
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    this.created = new Float64Array(n);
    this.assigned = new Float64Array(n).fill(NaN);
    this.delivered = new Float64Array(n).fill(NaN);
    this.rejected = new Float64Array(n).fill(NaN);
    this.weight = new Float64Array(n).fill(NaN);
    this.hub = [];
    const num = (s: string | undefined) => (s === undefined || s === '' ? NaN : Number(s));
    rows.forEach((r, i) => {
      this.orderId[i] = Number(r[cId]);
      this.row.set(this.orderId[i], i);
      this.x[i] = num(r[cX]);
      this.y[i] = num(r[cY]);
      this.created[i] = num(r[cCreated]);
      // orders.csv has the last assignment; the events (below) give the first
      if (cAssigned >= 0) this.assigned[i] = num(r[cAssigned]);
      if (cDelivered >= 0) this.delivered[i] = num(r[cDelivered]);
      if (cWeight >= 0) this.weight[i] = num(r[cWeight]);
      this.hub.push(cHub >= 0 ? r[cHub] : '');
    });
    if (events) this.addEvents(events);
  }

  private addEvents(ndjson: string): void {
    const firstAssigned = new Map<number, number>();
    const assignedAt = new Map<number, number[]>();
    const returnedAt = new Map<number, number[]>();
    for (const line of ndjson.split('\n')) {
      // cheap filter before parsing: only logistics events interest us here
      if (!line.includes('"order.') && !line.includes('"drone.launch"') && !line.includes('"van.tour"')) continue;
      let e: Record<string, unknown>;
      try {
        e = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // a damaged line: the rest still shows
      }
      const time = e.time;
      if (typeof time !== 'number') continue;
      if (e.kind === 'order.assigned' && typeof e.order === 'number' && typeof e.vehicle === 'string') {
        if (!firstAssigned.has(e.order)) firstAssigned.set(e.order, time);
        push(this.assignments, e.vehicle, { time, order: e.order });
        push(assignedAt, e.order, time);
      } else if (e.kind === 'order.returned' && typeof e.order === 'number') {
        push(returnedAt, e.order, time);
      } else if (e.kind === 'order.delivered' && typeof e.order === 'number') {
        const i = this.row.get(e.order);
        if (i !== undefined) this.delivered[i] = time;
      } else if (e.kind === 'order.rejected' && typeof e.order === 'number') {
        const i = this.row.get(e.order);
        if (i !== undefined) this.rejected[i] = time;
      } else if (e.kind === 'drone.launch' && typeof e.id === 'number' && Array.isArray(e.path) && e.path.length >= 2) {
        push(this.missions, e.id, {
          time,
          id: e.id,
          drone: String(e.drone ?? ''),
          order: Number(e.order),
          port: String(e.port ?? ''),
          altitude: Number(e.altitude ?? 0),
          path: (e.path as unknown[]).filter(isPoint),
        });
      } else if (e.kind === 'van.tour' && typeof e.id === 'number' && Array.isArray(e.stops) && Array.isArray(e.route)) {
        this.tours.set(e.id, { time, id: e.id, van: String(e.van ?? ''), hub: String(e.hub ?? ''), stops: e.stops as VanTour['stops'], route: (e.route as unknown[]).map(String) });
      }
    }
    for (const [order, time] of firstAssigned) {
      const i = this.row.get(order);
      if (i !== undefined) this.assigned[i] = time;
    }
    for (const [order, returns] of returnedAt) {
      const i = this.row.get(order);
      if (i === undefined) continue;
      const list = [...(assignedAt.get(order) ?? []).map((time) => ({ time, assigned: true })), ...returns.map((time) => ({ time, assigned: false }))];
      // (an order is given back after the assignment it ends, so at one time the return comes first)
      list.sort((a, b) => a.time - b.time || Number(a.assigned) - Number(b.assigned));
      this.changes.set(i, list);
    }
  }

  /** The status of row i at time t (ORDER_*). */
  statusAt(i: number, t: number): number {
    if (!(this.created[i] <= t)) return ORDER_HIDDEN;
    if (this.delivered[i] <= t) return ORDER_DELIVERED;
    if (this.rejected[i] <= t) return ORDER_REJECTED;
    const changes = this.changes.get(i);
    if (changes) {
      // given back at some point: assigned when its last change by t was an assignment
      let assigned = false;
      for (const ch of changes) if (ch.time <= t) assigned = ch.assigned;
      return assigned ? ORDER_ASSIGNED : ORDER_PENDING;
    }
    if (this.assigned[i] <= t) return ORDER_ASSIGNED;
    return ORDER_PENDING;
  }

  /** The row of an order id, or −1. */
  rowOf(order: number): number {
    return this.row.get(order) ?? -1;
  }

  /** How many orders exist at t (created at or before it). */
  createdBy(t: number): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (this.created[i] <= t) n++;
    return n;
  }

  /** The drone's mission at t: its last launch at or before t (null: none yet). */
  missionAt(id: number, t: number): DroneMission | null {
    const list = this.missions.get(id);
    if (!list) return null;
    let best: DroneMission | null = null;
    for (const m of list) if (m.time <= t) best = m;
    return best;
  }

  /** The orders a vehicle (by name) was given up to t, oldest first. */
  assignedTo(vehicle: string, t: number): Assignment[] {
    return (this.assignments.get(vehicle) ?? []).filter((a) => a.time <= t);
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

const isPoint = (p: unknown): p is Point => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number';

/**
 * A drone mission's flight as 3D points (x, y, z; simulation metres): up from the port to the
 * cruise altitude, along the path at that altitude, down to the ground at the destination (where
 * the parcel is lowered). The way back is the same path reversed, so it is not drawn twice.
 */
export function missionPolyline(m: DroneMission): number[] {
  const out: number[] = [];
  const [x0, y0] = m.path[0];
  out.push(x0, y0, 0);
  for (const [x, y] of m.path) out.push(x, y, m.altitude);
  const [x1, y1] = m.path[m.path.length - 1];
  out.push(x1, y1, 0);
  return out;
}

/**
 * A van tour's road route as a 2D polyline along the kerb lane (index 0) of each edge of its
 * route, consecutive edges joined straight across the junction between them. Edges missing from
 * the network are skipped.
 */
export function tourPolyline(tour: VanTour, kerbLane: Map<string, Point[]>): Point[] {
  const out: Point[] = [];
  for (const e of tour.route) {
    const shape = kerbLane.get(e);
    if (!shape) continue;
    for (const p of shape) {
      const last = out[out.length - 1];
      if (last && Math.abs(last[0] - p[0]) < 1e-6 && Math.abs(last[1] - p[1]) < 1e-6) continue;
      out.push(p);
    }
  }
  return out;
}

/** The kerb lane (index 0) shape of every edge of network.json. */
export function kerbLanes(lanes: { edge: string; index: number; shape: Point[] }[]): Map<string, Point[]> {
  const m = new Map<string, Point[]>();
  for (const l of lanes) if (l.index === 0) m.set(l.edge, l.shape);
  return m;
}
