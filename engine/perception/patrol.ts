/**
 * Drones on patrol (docs/perception.md, "Patrols"): routes over the cameras' blind spots, flown
 * from the docks on a schedule, seeing what is within the drone camera's footprint.
 *
 * The targets are the cells of a raster of side 2r (r = h·tan(φ/2), the footprint's radius at the
 * inspection height h: the swath of one pass) over the district, whose centre no camera sees and
 * that hold a lane or lie in an area where off-road events happen (`events.areas`); cells in a
 * no-fly zone are left out. Each cell belongs to the patrolling dock nearest it (so two docks do
 * not fly over the same cells). A dock's route is a greedy tour: from the dock, to the nearest of
 * its cells not yet under the route, as long as the flight there and back home fits the drone's
 * usable battery, and home (each leg the airspace's path around no-fly zones). A cell is under the
 * route when its centre is within r of it.
 *
 * The flight: on the pad (padTime), climb to the inspection height, fly the route at the airspeed
 * less the planned head wind (the missions' convention, drones.ts: the wind assumed head-on on
 * every leg), descend, on the pad; hover power climbing and descending, cruise power along the
 * route (engine/logistics/drone-model.ts). It looks only along the route at the inspection height.
 * Routes depend on the scenario only (the cameras, docks and no-fly zones are fixed), so they are
 * built once and never checkpointed.
 */
import type { Network } from '../road/network.js';
import { LaneGeometry } from '../road/lanegeom.js';
import { pathLength, type Airspace } from '../logistics/airspace.js';
import type { DroneModel } from '../logistics/drone-model.js';
import type { DroneSpec } from '../spec/schema-logistics.js';
import { cameraSees, type Camera } from './cameras.js';
import { MARGIN } from './coverage.js';

/**
 * At most this many cells over the district (coarser cells on a large one): a greedy tour is
 * quadratic in its dock's cells, and a scenario with a node far off must not hang the build.
 */
export const MAX_PATROL_CELLS = 10_000;

export interface PatrolRoute {
  dock: number;
  /** the route at the inspection height, [x0, y0, x1, y1, …], from the dock back to it */
  path: number[];
  /** distance along the route at each point, m */
  along: number[];
  length: number;
  /** from leaving the pad queue to starting along the route (pad and climb), s */
  offset: number;
  /** ground speed along the route, m/s */
  speed: number;
  /** airborne, s; pad to pad, s; energy, Wh */
  flight: number;
  total: number;
  energyWh: number;
  /** the target cells under it (centres, m) */
  cells: [number, number][];
}

/** A patrol flight: a dock's route flown from `launched`. */
export interface Patrol {
  index: number;
  dock: number;
  drone: number;
  launched: number;
  /** events it found (confirmed) */
  found: number;
}

export interface PatrolTargets {
  /** the cell side, m */
  cell: number;
  x: number[];
  y: number[];
}

/**
 * The blind-spot cells a patrol flies over: centres of cells of side `cell` over the network's
 * bounding box plus MARGIN that no camera sees, hold a lane point (sampled every cell/4) or lie in
 * one of `areas`, and are outside every no-fly zone. Coarser cells on a large district (at most
 * MAX_PATROL_CELLS).
 */
export function patrolTargets(net: Network, cameras: readonly Camera[], areas: readonly { x: number; y: number; radius: number }[], cell: number, airspace: Airspace): PatrolTargets {
  if (net.nodeX.length === 0) return { cell, x: [], y: [] };
  const x0 = Math.min(...net.nodeX) - MARGIN;
  const y0 = Math.min(...net.nodeY) - MARGIN;
  const w = Math.max(...net.nodeX) + MARGIN - x0;
  const h = Math.max(...net.nodeY) + MARGIN - y0;
  const side = Math.max(cell, Math.sqrt((w * h) / MAX_PATROL_CELLS));
  const nx = Math.max(1, Math.ceil(w / side));
  const ny = Math.max(1, Math.ceil(h / side));
  const road = new Uint8Array(nx * ny);
  const geom = new LaneGeometry(net);
  const p = new Float64Array(3);
  const step = side / 4;
  for (let l = 0; l < net.laneCount; l++) {
    for (let s = 0; s <= net.laneLength[l]; s += step) {
      geom.point(l, s, p);
      const i = Math.floor((p[0] - x0) / side);
      const j = Math.floor((p[1] - y0) / side);
      if (i >= 0 && i < nx && j >= 0 && j < ny) road[j * nx + i] = 1;
    }
  }
  const out: PatrolTargets = { cell: side, x: [], y: [] };
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const cx = x0 + (i + 0.5) * side;
      const cy = y0 + (j + 0.5) * side;
      if (!road[j * nx + i] && !areas.some((a) => Math.hypot(cx - a.x, cy - a.y) <= a.radius)) continue;
      if (cameras.some((c) => cameraSees(c, cx, cy)) || airspace.inside(cx, cy)) continue;
      out.x.push(cx);
      out.y.push(cy);
    }
  }
  return out;
}

/** Distance from (px, py) to the segment a–b. */
export function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  const u = l2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l2)) : 0;
  return Math.hypot(px - ax - u * dx, py - ay - u * dy);
}

export interface PatrolPlanner {
  model: DroneModel;
  drone: DroneSpec;
  wind: number;
  airspace: Airspace;
  /** the footprint's radius at the inspection height, m */
  footprint: number;
}

/**
 * The routes of the patrolling docks `docks` (indices with their positions) over `targets`: each
 * cell to its nearest dock, then each dock's greedy tour within the usable battery. A dock that
 * cannot fly (no headway in the planned wind, no cell within reach) gets no route (null).
 */
export function planPatrols(docks: readonly { index: number; x: number; y: number }[], targets: PatrolTargets, pl: PatrolPlanner): Map<number, PatrolRoute | null> {
  const owner = targets.x.map((x, k) => {
    let best = -1;
    let bestD = Infinity;
    for (let q = 0; q < docks.length; q++) {
      const d = Math.hypot(x - docks[q].x, targets.y[k] - docks[q].y);
      if (d < bestD) {
        bestD = d;
        best = q;
      }
    }
    return best;
  });
  const routes = new Map<number, PatrolRoute | null>();
  docks.forEach((d, q) => {
    const cells: number[] = [];
    owner.forEach((o, k) => o === q && cells.push(k));
    routes.set(d.index, tour(d.index, d.x, d.y, cells.map((k) => targets.x[k]), cells.map((k) => targets.y[k]), pl));
  });
  return routes;
}

function tour(dock: number, x0: number, y0: number, cx: number[], cy: number[], pl: PatrolPlanner): PatrolRoute | null {
  const s = pl.drone;
  const vg = s.cruiseSpeed - pl.wind;
  if (vg <= 0 || cx.length === 0) return null;
  const h = s.dropAltitude;
  const climb = h / s.climbRate;
  const descend = h / s.descentRate;
  const hoverWh = (pl.model.hoverPower(0) * (climb + descend)) / 3600;
  const cruiseWhPerM = pl.model.cruisePower(0) / vg / 3600;
  const budget = pl.model.usableWh;
  const r = pl.footprint;
  const under = new Uint8Array(cx.length);
  const path = [x0, y0];
  let length = 0;
  let x = x0;
  let y = y0;
  const cover = (leg: number[]) => {
    for (let k = 0; k < cx.length; k++) {
      if (under[k]) continue;
      for (let p = 0; p + 3 < leg.length; p += 2) {
        if (segmentDistance(cx[k], cy[k], leg[p], leg[p + 1], leg[p + 2], leg[p + 3]) <= r) {
          under[k] = 1;
          break;
        }
      }
    }
  };
  cover([x0, y0, x0, y0]);
  for (;;) {
    let next = -1;
    let nextD = Infinity;
    for (let k = 0; k < cx.length; k++) {
      if (under[k]) continue;
      const d = Math.hypot(cx[k] - x, cy[k] - y);
      if (d < nextD) {
        nextD = d;
        next = k;
      }
    }
    if (next < 0) break;
    const leg = pl.airspace.path(x, y, cx[next], cy[next]);
    const home = leg && pl.airspace.path(cx[next], cy[next], x0, y0);
    if (!leg || !home) {
      // no way there (or back): leave it out of this tour
      under[next] = 2;
      continue;
    }
    const legLength = pathLength(leg);
    if (hoverWh + cruiseWhPerM * (length + legLength + pathLength(home)) > budget) break;
    for (let p = 2; p < leg.length; p++) path.push(leg[p]);
    length += legLength;
    cover(leg);
    x = cx[next];
    y = cy[next];
  }
  if (length === 0) return null;
  const home = pl.airspace.path(x, y, x0, y0)!;
  for (let p = 2; p < home.length; p++) path.push(home[p]);
  length += pathLength(home);
  const along = [0];
  for (let p = 2; p < path.length; p += 2) along.push(along[along.length - 1] + Math.hypot(path[p] - path[p - 2], path[p + 1] - path[p - 1]));
  const flight = climb + length / vg + descend;
  const cells: [number, number][] = [];
  for (let k = 0; k < cx.length; k++) if (under[k] === 1) cells.push([cx[k], cy[k]]);
  return { dock, path, along, length, offset: s.padTime + climb, speed: vg, flight, total: flight + 2 * s.padTime, energyWh: hoverWh + cruiseWhPerM * length, cells };
}

/**
 * Whether a patrol on `route` launched at `launched` has (x, y) within its footprint `r` at some
 * moment in (t − 1, t]: the part of the route flown in that second, against the place.
 */
export function patrolSees(route: PatrolRoute, launched: number, t: number, x: number, y: number, r: number): boolean {
  const s1 = Math.min(route.length, (t - launched - route.offset) * route.speed);
  const s0 = Math.max(0, (t - 1 - launched - route.offset) * route.speed);
  if (s1 < 0 || s0 > route.length || s1 < s0) return false;
  const a = route.along;
  const p = route.path;
  for (let k = 0; k + 1 < a.length; k++) {
    if (a[k + 1] < s0) continue;
    if (a[k] > s1) break;
    const seg = a[k + 1] - a[k];
    const u0 = seg > 0 ? Math.max(0, (s0 - a[k]) / seg) : 0;
    const u1 = seg > 0 ? Math.min(1, (s1 - a[k]) / seg) : 0;
    const dx = p[2 * k + 2] - p[2 * k];
    const dy = p[2 * k + 3] - p[2 * k + 1];
    if (segmentDistance(x, y, p[2 * k] + u0 * dx, p[2 * k + 1] + u0 * dy, p[2 * k] + u1 * dx, p[2 * k + 1] + u1 * dy) <= r) return true;
  }
  return false;
}

/** A dock's patrol route: where it flies (from the dock back to it, m), how far, how long airborne (s), its energy, the blind-spot cells under it. */
export interface PatrolSummary {
  dock: string;
  path: [number, number][];
  lengthM: number;
  flightS: number;
  energyWh: number;
  cells: number;
}

/** The routes of the docks that patrol (null: the dock does not patrol; `dockIds` by dock index), for coverage.json and `roadtwin coverage`. */
export function patrolSummaries(dockIds: readonly string[], routes: readonly (PatrolRoute | null)[]): PatrolSummary[] {
  const r1 = (v: number) => Math.round(v * 10) / 10;
  const out: PatrolSummary[] = [];
  routes.forEach((route, d) => {
    if (!route) return;
    const path: [number, number][] = [];
    for (let k = 0; k + 1 < route.path.length; k += 2) path.push([r1(route.path[k]), r1(route.path[k + 1])]);
    out.push({ dock: dockIds[d], path, lengthM: r1(route.length), flightS: r1(route.flight), energyWh: r1(route.energyWh), cells: route.cells.length });
  });
  return out;
}
