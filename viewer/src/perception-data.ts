/**
 * What the run directory says about the perception platform, for the viewer: the city events of
 * events.csv with the stage of the loop each is in at any time (discover → dispatch → handle),
 * the cameras, docks and drone flights of perception.json with where each drone is at any time,
 * and the blind spots and patrol routes of coverage.json. Pure parsing and lookups, no WebGL.
 */
import { parseCsv } from './csv.js';
import type { Point } from './network.js';

/** The stages of an event's loop, in order; INCIDENT_STAGES names them (the legend, the panel). */
export const INC_HIDDEN = -1;
/** it has happened and nothing has seen it */
export const INC_UNSEEN = 0;
/** a camera, a vehicle or a citizen reported it; not yet confirmed */
export const INC_REPORTED = 1;
export const INC_CONFIRMED = 2;
/** a response unit is on its way */
export const INC_DISPATCHED = 3;
/** the unit is there, handling it */
export const INC_ON_SCENE = 4;
/** cleared, or dismissed (nothing there): shown fading for ENDED_FADE_S */
export const INC_CLEARED = 5;
export const INC_DISMISSED = 6;
export const INCIDENT_STAGES = ['not yet seen', 'reported', 'confirmed', 'unit on its way', 'unit on scene', 'cleared', 'dismissed'];
/** How long an ended event stays on the map, s. */
export const ENDED_FADE_S = 60;

export interface Incident {
  id: string;
  kind: string;
  real: boolean;
  outcome: string;
  edge: string;
  x: number;
  y: number;
  /** s; NaN: it did not happen */
  occurred: number;
  detected: number;
  source: string;
  confirmed: number;
  dismissed: number;
  dispatched: number;
  arrived: number;
  cleared: number;
  vehicleHoursLost: number;
  /** the response unit's vehicle (its trace id; NaN: none went, or an older events.csv) */
  unitVehicle: number;
  /** each source's first detection (camera, vehicle, citizen, drone, unit, patrol), NaN: none */
  bySource: Record<string, number>;
}

export interface Camera {
  id: string;
  x: number;
  y: number;
  height: number;
  groundRange: number;
  /** degrees from east counter-clockwise, and the field of view in degrees */
  heading: number;
  fov: number;
}

export interface Flight {
  purpose: 'verify' | 'patrol';
  dock: string;
  drone: number;
  /** verify: the event's id and what the look found */
  event: string;
  outcome: string;
  path: Point[];
  /** distance along path at each point, m */
  along: number[];
  launched: number;
  landed: number;
  /** [time s, distance along the path m, height m]: the drone moves linearly between them, on the pad before and after */
  track: [number, number, number][];
}

const SOURCES = ['camera', 'vehicle', 'citizen', 'drone', 'unit', 'patrol'];

const num = (s: string | undefined) => (s === undefined || s === '' ? NaN : Number(s));
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const points = (v: unknown): Point[] | null =>
  Array.isArray(v) && v.length >= 2 && v.every((p) => Array.isArray(p) && p.length >= 2 && finite(p[0]) && finite(p[1])) ? (v as Point[]).map(([x, y]) => [x, y] as Point) : null;

function cumulative(path: Point[]): number[] {
  const a = [0];
  for (let k = 1; k < path.length; k++) a.push(a[k - 1] + Math.hypot(path[k][0] - path[k - 1][0], path[k][1] - path[k - 1][1]));
  return a;
}

/** The point at distance s along a path with cumulative distances `along` (clamped to its ends). */
export function pointAlong(path: readonly Point[], along: readonly number[], s: number): Point {
  const n = path.length;
  if (s <= 0 || n === 1) return path[0];
  if (s >= along[n - 1]) return path[n - 1];
  let k = 1;
  while (along[k] < s) k++;
  const seg = along[k] - along[k - 1];
  const u = seg > 0 ? (s - along[k - 1]) / seg : 0;
  return [path[k - 1][0] + u * (path[k][0] - path[k - 1][0]), path[k - 1][1] + u * (path[k][1] - path[k - 1][1])];
}

/** The stage of an event's loop at time t (INC_*; INC_HIDDEN before it occurs), however long ago it ended. */
export function incidentStage(e: Incident, t: number): number {
  if (!(t >= e.occurred)) return INC_HIDDEN;
  if (e.cleared <= t) return INC_CLEARED;
  if (e.dismissed <= t) return INC_DISMISSED;
  if (e.arrived <= t) return INC_ON_SCENE;
  if (e.dispatched <= t) return INC_DISPATCHED;
  if (e.confirmed <= t) return INC_CONFIRMED;
  if (e.detected <= t) return INC_REPORTED;
  return INC_UNSEEN;
}

export class PerceptionData {
  readonly incidents: Incident[] = [];
  readonly cameras: Camera[] = [];
  readonly docks: { id: string; x: number; y: number; drones: number }[] = [];
  readonly flights: Flight[] = [];
  /** unseen cells of the cameras (coverage.json), polygons in m */
  readonly blindSpots: Point[][] = [];
  /** each patrolling dock's route (coverage.json) */
  readonly patrolRoutes: { dock: string; path: Point[] }[] = [];
  readonly footprint: number;
  readonly inspectionHeight: number;
  readonly cruiseAltitude: number;

  /**
   * From the run's events.csv, perception.json and coverage.json (any may be missing: null). A
   * row or record that cannot be read is left out, the rest still shows (an older or damaged run).
   */
  constructor(eventsCsv: string | null, perception: Record<string, unknown> | null, coverage: Record<string, unknown> | null) {
    if (eventsCsv) {
      const t = parseCsv(eventsCsv);
      const col = (name: string) => t.header.indexOf(name);
      const c = Object.fromEntries(['id', 'kind', 'real', 'outcome', 'edge', 'x', 'y', 'occurred', 'detected', 'source', 'confirmed', 'dismissed', 'dispatched', 'arrived', 'cleared', 'vehicleHoursLost', 'unitVehicle', ...SOURCES].map((n) => [n, col(n)]));
      if (c.id >= 0 && c.x >= 0 && c.y >= 0 && c.occurred >= 0)
        for (const r of t.rows) {
          if (r.length !== t.header.length) continue;
          const get = (n: string) => (c[n] >= 0 ? r[c[n]] : '');
          const inc: Incident = {
            id: get('id'),
            kind: get('kind'),
            real: get('real') !== '0',
            outcome: get('outcome'),
            edge: get('edge'),
            x: num(get('x')),
            y: num(get('y')),
            occurred: num(get('occurred')),
            detected: num(get('detected')),
            source: get('source'),
            confirmed: num(get('confirmed')),
            dismissed: num(get('dismissed')),
            dispatched: num(get('dispatched')),
            arrived: num(get('arrived')),
            cleared: num(get('cleared')),
            vehicleHoursLost: num(get('vehicleHoursLost')),
            unitVehicle: num(get('unitVehicle')),
            bySource: Object.fromEntries(SOURCES.map((s) => [s, num(get(s))])),
          };
          if (Number.isFinite(inc.x) && Number.isFinite(inc.y) && Number.isFinite(inc.occurred)) this.incidents.push(inc);
        }
    }
    const p = perception ?? {};
    this.footprint = finite(p.footprint) ? p.footprint : 0;
    this.inspectionHeight = finite(p.inspectionHeight) ? p.inspectionHeight : 60;
    this.cruiseAltitude = finite(p.cruiseAltitude) ? p.cruiseAltitude : 100;
    for (const c of Array.isArray(p.cameras) ? (p.cameras as Record<string, unknown>[]) : [])
      if (typeof c.id === 'string' && finite(c.x) && finite(c.y) && finite(c.groundRange))
        this.cameras.push({ id: c.id, x: c.x, y: c.y, height: finite(c.height) ? c.height : 0, groundRange: c.groundRange, heading: finite(c.heading) ? c.heading : 0, fov: finite(c.fov) ? c.fov : 360 });
    for (const d of Array.isArray(p.docks) ? (p.docks as Record<string, unknown>[]) : [])
      if (typeof d.id === 'string' && finite(d.x) && finite(d.y)) this.docks.push({ id: d.id, x: d.x, y: d.y, drones: finite(d.drones) ? d.drones : 0 });
    for (const f of Array.isArray(p.flights) ? (p.flights as Record<string, unknown>[]) : []) {
      const path = points(f.path);
      const track = Array.isArray(f.track) && f.track.length >= 2 && f.track.every((k) => Array.isArray(k) && k.length === 3 && k.every(finite)) ? (f.track as [number, number, number][]) : null;
      if (!path || !track || typeof f.dock !== 'string' || !finite(f.launched) || !finite(f.landed) || (f.purpose !== 'verify' && f.purpose !== 'patrol')) continue;
      if (track.some((k, i) => i > 0 && k[0] < track[i - 1][0])) continue; // time must not run backwards
      this.flights.push({ purpose: f.purpose, dock: f.dock, drone: finite(f.drone) ? f.drone : 0, event: String(f.event ?? ''), outcome: String(f.outcome ?? ''), path, along: cumulative(path), launched: f.launched, landed: f.landed, track });
    }
    this.flights.sort((a, b) => a.launched - b.launched);
    const cv = coverage ?? {};
    for (const poly of Array.isArray(cv.blindSpots) ? cv.blindSpots : []) {
      const pts = points(poly);
      if (pts && pts.length >= 3) this.blindSpots.push(pts);
    }
    for (const r of Array.isArray(cv.patrols) ? (cv.patrols as Record<string, unknown>[]) : []) {
      const pts = points(r.path);
      if (pts && typeof r.dock === 'string') this.patrolRoutes.push({ dock: r.dock, path: pts });
    }
  }

  get empty(): boolean {
    return this.incidents.length === 0 && this.cameras.length === 0 && this.flights.length === 0 && this.blindSpots.length === 0;
  }

  /** The stage of event k's loop at time t (INC_*): INC_HIDDEN before it occurs and ENDED_FADE_S after it ended. */
  stageAt(k: number, t: number): number {
    const e = this.incidents[k];
    const stage = incidentStage(e, t);
    if (stage === INC_CLEARED && t - e.cleared >= ENDED_FADE_S) return INC_HIDDEN;
    if (stage === INC_DISMISSED && t - e.dismissed >= ENDED_FADE_S) return INC_HIDDEN;
    return stage;
  }

  /** Whether flight f's drone is off its pad at t (within its track). */
  private inAir(f: Flight, t: number): boolean {
    return t >= f.track[0][0] && t <= f.track[f.track.length - 1][0];
  }

  /** The point of f's track ending the leg that holds t, and how far along that leg t is (0 to 1). */
  private legAt(f: Flight, t: number): { j: number; u: number } {
    const k = f.track;
    let j = 1;
    while (j < k.length - 1 && k[j][0] < t) j++;
    const t0 = k[j - 1][0];
    const t1 = k[j][0];
    return { j, u: t1 > t0 ? Math.min(1, Math.max(0, (t - t0) / (t1 - t0))) : 1 };
  }

  /** Where flight f's drone is at t: [x, y, height above ground m], or null when it is on the pad (or not yet out, or back). */
  droneAt(f: Flight, t: number): [number, number, number] | null {
    if (!this.inAir(f, t)) return null;
    const { j, u } = this.legAt(f, t);
    const [, s0, h0] = f.track[j - 1];
    const [, s1, h1] = f.track[j];
    const [x, y] = pointAlong(f.path, f.along, s0 + u * (s1 - s0));
    return [x, y, h0 + u * (h1 - h0)];
  }

  /**
   * Where flight f's drone is going next along its path from t: the distance along the path it
   * is at now and the one it is heading to (equal while it climbs, looks or descends).
   */
  headingAlong(f: Flight, t: number): [number, number] {
    const k = f.track;
    const { j, u } = this.legAt(f, t);
    const now = k[j][0] > k[j - 1][0] ? k[j - 1][1] + u * (k[j][1] - k[j - 1][1]) : k[j][1];
    for (let i = j; i < k.length; i++) if (k[i][1] !== now) return [now, k[i][1]];
    return [now, now];
  }

  /** The flights with a drone in the air at t (indices into `flights`). */
  airborne(t: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.flights.length; k++) {
      const f = this.flights[k];
      if (f.launched > t) break;
      if (this.inAir(f, t)) out.push(k);
    }
    return out;
  }
}
