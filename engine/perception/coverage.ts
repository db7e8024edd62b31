/**
 * What the perception platform covers (docs/perception.md, "Coverage"), on a raster: the lanes
 * sampled every LANE_STEP m, the district (the network's bounding box plus MARGIN) in cells of
 * CELL m. Share of lane-km and of area the cameras see; blind spots as polygons (the unseen cells
 * of each raster row merged into rectangles); the area a drone reaches within T minutes of take-off
 * (its mission plan's time over the place) from any dock; and a greedy suggestion of the next N
 * cameras (dome cameras like the scenario's first, or 360°/150 m/10 m) on the unseen lane points
 * that see the most unseen lane length; and of the next docks, on a coarser raster (every
 * DOCK_SITE m, judged on cells of DOCK_CELL m), each adding the most area a drone reaches in time,
 * with the same mission plan (no-fly detours, wind, battery) the docks' drones fly.
 */
import type { Network } from '../road/network.js';
import { LaneGeometry } from '../road/lanegeom.js';
import { cameraSees, groundReach, type Camera } from './cameras.js';
import type { DockFleet } from './drones.js';

export const LANE_STEP = 10;
export const CELL = 25;
export const MARGIN = 200;
/** spacing of the sites weighed for a new dock, m */
export const DOCK_SITE = 200;
/** cells on which a new dock's gain is judged, m (coarser than CELL: a search over sites × cells) */
export const DOCK_CELL = 100;
/**
 * Bounds on the work, whatever the network's size: lane points, raster cells, candidate sites for
 * a camera, sites and cells for a dock. A larger network is sampled more coarsely (the figures
 * say which step they used): a city of 100 km across at 25 m cells would take hours, and a
 * scenario with a node far off (a typo) must not hang the run that writes coverage.json.
 */
export const MAX_LANE_POINTS = 20_000;
export const MAX_CELLS = 40_000;
const MAX_CAMERA_SITES = 400;
const MAX_DOCK_SITES = 400;
const MAX_DOCK_CELLS = 4_000;

export interface Coverage {
  /** the step the lanes were sampled at, m (LANE_STEP, or coarser on a large network) */
  laneStep: number;
  /** the raster's cell, m (CELL, or coarser on a large district) */
  cell: number;
  laneKm: number;
  laneKmSeen: number;
  laneShareSeen: number;
  areaKm2: number;
  areaShareSeen: number;
  blindSpots: [number, number][][];
  droneMinutes: number;
  areaShareDroneReach: number;
  suggestedCameras: { x: number; y: number; addsLaneKm: number }[];
  /** where the next docks add the most area a drone is over within `droneMinutes` (greedy) */
  suggestedDocks: { x: number; y: number; addsAreaShare: number }[];
}

/** The lanes sampled every laneStep m (LANE_STEP, coarser on a large network), and which points a camera sees. */
function sampleLanes(net: Network, cameras: readonly Camera[]): { laneStep: number; px: number[]; py: number[]; seen: boolean[] } {
  const geom = new LaneGeometry(net);
  let totalLength = 0;
  for (let l = 0; l < net.laneCount; l++) totalLength += net.laneLength[l];
  const laneStep = Math.max(LANE_STEP, totalLength / MAX_LANE_POINTS);
  const p = new Float64Array(3);
  const px: number[] = [];
  const py: number[] = [];
  const seen: boolean[] = [];
  for (let l = 0; l < net.laneCount; l++) {
    for (let s = laneStep / 2; s < net.laneLength[l]; s += laneStep) {
      geom.point(l, s, p);
      px.push(p[0]);
      py.push(p[1]);
      seen.push(cameras.some((c) => cameraSees(c, p[0], p[1])));
    }
  }
  return { laneStep, px, py, seen };
}

/**
 * The district (the network's bounding box plus MARGIN, m, from (x0, y0)) and its raster: nx × ny
 * cells of `cell` m (CELL, coarser on a large district, at most MAX_CELLS).
 */
function district(net: Network): { x0: number; y0: number; cell: number; nx: number; ny: number } {
  const x0 = Math.min(...net.nodeX) - MARGIN;
  const y0 = Math.min(...net.nodeY) - MARGIN;
  const w = Math.max(...net.nodeX) + MARGIN - x0;
  const h = Math.max(...net.nodeY) + MARGIN - y0;
  const cell = Math.max(CELL, Math.sqrt((w * h) / MAX_CELLS));
  return { x0, y0, cell, nx: Math.max(1, Math.ceil(w / cell)), ny: Math.max(1, Math.ceil(h / cell)) };
}

/** The camera the suggestions copy: the scenario's first, or a 360° dome of 150 m at 10 m. */
export const cameraTemplate = (cameras: readonly Camera[]): Camera => cameras[0] ?? { id: 'new', x: 0, y: 0, height: 10, range: 150, halfFov: Math.PI, heading: 0 };

/** Greedy picks of `count` more cameras like the first (coverage's suggestedCameras), without the rest of coverage(). */
export function suggestCameras(net: Network, cameras: readonly Camera[], count: number): Coverage['suggestedCameras'] {
  const l = sampleLanes(net, cameras);
  return nextCameras(l.px, l.py, l.seen, cameraTemplate(cameras), count, l.laneStep);
}

/**
 * Greedy picks of `count` more cameras like the first for the places off the road: the district's
 * CELL cells inside the event areas (`areas`; none given: every cell) that no camera sees are the
 * targets, every few of them a candidate site (at most MAX_CAMERA_SITES), and each pick is the
 * candidate that sees the most targets still unseen (judged within its ground reach only); stops
 * early when none adds any. `addsKm2` is the area it adds. Depends on the network, the cameras
 * and the areas only.
 */
export function suggestCamerasForAreas(net: Network, cameras: readonly Camera[], areas: readonly { x: number; y: number; radius: number }[], count: number): { x: number; y: number; addsKm2: number }[] {
  if (count <= 0 || net.nodeX.length === 0) return [];
  const { x0, y0, cell, nx, ny } = district(net);
  // per cell: 0 not a target, 1 a target no camera sees yet, 2 seen
  const state = new Uint8Array(nx * ny);
  const targets: number[] = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const cx = x0 + (i + 0.5) * cell;
      const cy = y0 + (j + 0.5) * cell;
      if (areas.length > 0 && !areas.some((a) => Math.hypot(cx - a.x, cy - a.y) <= a.radius)) continue;
      if (cameras.some((c) => cameraSees(c, cx, cy))) continue;
      state[j * nx + i] = 1;
      targets.push(j * nx + i);
    }
  const template = cameraTemplate(cameras);
  const span = Math.ceil(groundReach(template) / cell);
  const gainAt = (c: number, mark: boolean): number => {
    const ci = c % nx;
    const cj = (c - ci) / nx;
    const cam = { ...template, x: x0 + (ci + 0.5) * cell, y: y0 + (cj + 0.5) * cell };
    let gain = 0;
    for (let j = Math.max(0, cj - span); j <= Math.min(ny - 1, cj + span); j++)
      for (let i = Math.max(0, ci - span); i <= Math.min(nx - 1, ci + span); i++) {
        const k = j * nx + i;
        if (state[k] !== 1 || !cameraSees(cam, x0 + (i + 0.5) * cell, y0 + (j + 0.5) * cell)) continue;
        gain++;
        if (mark) state[k] = 2;
      }
    return gain;
  };
  const every = Math.max(1, Math.ceil(targets.length / MAX_CAMERA_SITES));
  const picks: { x: number; y: number; addsKm2: number }[] = [];
  for (let p = 0; p < count; p++) {
    let best = -1;
    let bestGain = 0;
    for (let q = 0; q < targets.length; q += every) {
      if (state[targets[q]] !== 1) continue;
      const g = gainAt(targets[q], false);
      if (g > bestGain) {
        bestGain = g;
        best = targets[q];
      }
    }
    if (best < 0) break;
    gainAt(best, true);
    const bi = best % nx;
    picks.push({ x: Math.round(x0 + (bi + 0.5) * cell), y: Math.round(y0 + ((best - bi) / nx + 0.5) * cell), addsKm2: Math.round(((bestGain * cell * cell) / 1e6) * 1000) / 1000 });
  }
  return picks;
}

/** Greedy picks of `count` more docks for `minutes` (coverage's suggestedDocks), without the rest of coverage(). */
export function suggestDocks(net: Network, fleet: DockFleet, minutes: number, count: number): Coverage['suggestedDocks'] {
  const { x0, y0, cell, nx, ny } = district(net);
  return nextDocks(fleet, x0, y0, nx * cell, ny * cell, minutes * 60, count);
}

export function coverage(net: Network, cameras: readonly Camera[], fleet: DockFleet, minutes: number, suggest: number, suggestDocks = 0): Coverage {
  const { laneStep, px, py, seen } = sampleLanes(net, cameras);
  const km = (n: number) => (n * laneStep) / 1000;
  const { x0, y0, cell, nx, ny } = district(net);
  let seenCells = 0;
  let reachCells = 0;
  const blind: [number, number][][] = [];
  const limit = minutes * 60;
  for (let j = 0; j < ny; j++) {
    const cy = y0 + (j + 0.5) * cell;
    let runStart = -1;
    for (let i = 0; i <= nx; i++) {
      const cx = x0 + (i + 0.5) * cell;
      const sees = i < nx && cameras.some((c) => cameraSees(c, cx, cy));
      if (i < nx && sees) seenCells++;
      if (i < nx && fleet.docks.some((_, d) => (fleet.plan(d, cx, cy)?.toScene ?? Infinity) <= limit)) reachCells++;
      if (i < nx && !sees && runStart < 0) runStart = i;
      if ((i === nx || sees) && runStart >= 0) {
        const ax = x0 + runStart * cell;
        const bx = x0 + i * cell;
        const ay = y0 + j * cell;
        blind.push([[ax, ay], [bx, ay], [bx, ay + cell], [ax, ay + cell]]);
        runStart = -1;
      }
    }
  }
  const suggested = nextCameras(px, py, seen, cameraTemplate(cameras), suggest, laneStep);
  const suggestedDocks = nextDocks(fleet, x0, y0, nx * cell, ny * cell, limit, suggestDocks);
  const n = seen.filter(Boolean).length;
  const cells = nx * ny;
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  return {
    laneStep: r3(laneStep),
    cell: r3(cell),
    laneKm: r3(km(px.length)),
    laneKmSeen: r3(km(n)),
    laneShareSeen: px.length > 0 ? r3(n / px.length) : 0,
    areaKm2: r3((cells * cell * cell) / 1e6),
    areaShareSeen: r3(seenCells / cells),
    blindSpots: blind,
    droneMinutes: minutes,
    areaShareDroneReach: r3(reachCells / cells),
    suggestedCameras: suggested,
    suggestedDocks,
  };
}

/**
 * Greedy picks of `suggest` new cameras like `template` on the lane points (px, py) no camera
 * sees yet (`seen`), each seeing the most of those; stops early when none adds any.
 */
function nextCameras(px: number[], py: number[], seen: boolean[], template: Camera, suggest: number, laneStep: number): Coverage['suggestedCameras'] {
  const km = (n: number) => (n * laneStep) / 1000;
  const suggested: Coverage['suggestedCameras'] = [];
  const now = [...seen];
  for (let k = 0; k < suggest; k++) {
    let best = -1;
    let bestGain = 0;
    // (candidates: the unseen points, every few of them on a large network)
    let unseen = 0;
    for (let q = 0; q < px.length; q++) if (!now[q]) unseen++;
    const every = Math.max(1, Math.ceil(unseen / MAX_CAMERA_SITES));
    for (let q = 0, u = 0; q < px.length; q++) {
      if (now[q] || u++ % every !== 0) continue;
      const cam = { ...template, x: px[q], y: py[q] };
      let gain = 0;
      for (let r = 0; r < px.length; r++) if (!now[r] && cameraSees(cam, px[r], py[r])) gain++;
      if (gain > bestGain) {
        bestGain = gain;
        best = q;
      }
    }
    if (best < 0) break;
    const cam = { ...template, x: px[best], y: py[best] };
    for (let r = 0; r < px.length; r++) if (!now[r] && cameraSees(cam, px[r], py[r])) now[r] = true;
    suggested.push({ x: Math.round(px[best]), y: Math.round(py[best]), addsLaneKm: Math.round(km(bestGain) * 100) / 100 });
  }
  return suggested;
}

/**
 * Greedy picks of `count` new docks over the district (x0, y0, w × h): each the site, on a
 * DOCK_SITE raster, whose drone reaches within `limit` s the most DOCK_CELL cells no dock reaches
 * yet; stops early when no site adds any.
 */
function nextDocks(fleet: DockFleet, x0: number, y0: number, w: number, h: number, limit: number, count: number): Coverage['suggestedDocks'] {
  if (count <= 0) return [];
  const site = Math.max(DOCK_SITE, Math.sqrt((w * h) / MAX_DOCK_SITES));
  const dcell = Math.max(DOCK_CELL, Math.sqrt((w * h) / MAX_DOCK_CELLS));
  const cx: number[] = [];
  const cy: number[] = [];
  for (let y = y0 + dcell / 2; y < y0 + h; y += dcell) for (let x = x0 + dcell / 2; x < x0 + w; x += dcell) (cx.push(x), cy.push(y));
  const reached = cx.map((x, k) => fleet.docks.some((_, d) => (fleet.plan(d, x, cy[k])?.toScene ?? Infinity) <= limit));
  const picks: Coverage['suggestedDocks'] = [];
  for (let p = 0; p < count; p++) {
    let best: { x: number; y: number; gain: number } | null = null;
    for (let y = y0 + site / 2; y < y0 + h; y += site)
      for (let x = x0 + site / 2; x < x0 + w; x += site) {
        let gain = 0;
        for (let k = 0; k < cx.length; k++) if (!reached[k] && (fleet.planFrom(x, y, cx[k], cy[k])?.toScene ?? Infinity) <= limit) gain++;
        if (gain > (best?.gain ?? 0)) best = { x, y, gain };
      }
    if (!best) break;
    const b = best;
    for (let k = 0; k < cx.length; k++) if (!reached[k] && (fleet.planFrom(b.x, b.y, cx[k], cy[k])?.toScene ?? Infinity) <= limit) reached[k] = true;
    picks.push({ x: Math.round(b.x), y: Math.round(b.y), addsAreaShare: Math.round((b.gain / cx.length) * 1000) / 1000 });
  }
  return picks;
}
