/**
 * The viewer's debug object (window.__roadtwin): what the page shows, for tests and benchmarks.
 * main.ts fills it in, live-client.ts counts live frames in it, viewer/e2e/page.ts reads it.
 */
import type { RouteDebug } from './route-layer.js';
import type { MeterReading } from './fps-meter.js';
import type { LogisticsDebug } from './logistics-view.js';
import type { PerceptionDebug } from './perception-view.js';
import type { SiteKind } from './entities.js';

/** The read-only debug object tests and benchmarks read (window.__roadtwin). */
export interface DebugInfo {
  ready: boolean;
  mode: string;
  error: string | null;
  name: string;
  time: number;
  drawnTime: number;
  playing: boolean;
  speed: number;
  frames: number;
  vehicles: number;
  perClass: Record<string, number>;
  lanes: number;
  junctions: number;
  roadTriangles: number;
  signals: { heads: number; states: number[] };
  entities: Record<string, number>;
  /** orders, drone routes and van tours drawn (null: the run has none, or they are not loaded yet) */
  logistics: LogisticsDebug | null;
  /** city events, cameras, blind spots and the platform's drones drawn (null: the run has no perception, or it is not loaded yet) */
  perception: PerceptionDebug | null;
  /** the city event selected (its events.csv id), or null */
  selectedIncident: string | null;
  warnings: { count: number; fired: number };
  /** the selected moving entity (trace id), or null */
  selected: number | null;
  /** the selected static entity (an RSU, hub, drone port or hazard of entities.json), or null */
  selectedSite: { kind: SiteKind; id: string } | null;
  following: boolean;
  openMs: number | null;
  seekMs: number[];
  bytesRead: number;
  rangeRequests: number;
  liveFrames: number;
  ended: boolean;
  /** wall time of the last WebGL draw call sequence (SwiftShader in headless tests is slow) */
  renderMs: number;
  /** device pixels per CSS pixel the canvas is drawn at */
  pixelRatio: number;
  /** wall time of the last frame() call: interpolation, instance writes, draw calls */
  frameMs: number;
  /** pictures drawn so far (a frame-rate meter for benchmarks) */
  pictures: number;
  /** the scene graph: every Object3D in it, and each InstancedMesh with its instances drawn */
  scene(): { objects: number; meshes: number; instanced: { name: string; count: number; capacity: number }[] };
  /** screen position (CSS px in the canvas) of an entity as last drawn, or null */
  screenOf(id: number): { x: number; y: number } | null;
  /** ids drawn now (a copy) */
  ids(): number[];
  /** an entity's position as last drawn (simulation coordinates, m) and class name, or null */
  positionOf(id: number): { x: number; y: number; z: number; cls: string } | null;
  /** the static entities, with their screen position (CSS px in the canvas) as last drawn */
  sites(): { kind: SiteKind; id: string; x: number; y: number }[];
  /** where the camera looks (simulation coordinates, m) */
  target(): { x: number; y: number };
  /** the map layers and whether each is shown */
  layers: Record<string, boolean>;
  /** labels shown now, as `kind:text` */
  labels: string[];
  /** WebGL draw calls of the last picture */
  drawCalls: number;
  /** measured RSU coverage radii at 90, 50, 10 % (null: no v2x.csv read) */
  coverage: number[] | null;
  cameraMode: 'map' | 'orbit';
  /** the junction or edge selected by a click on the map, or null */
  selectedMap: { kind: 'junction' | 'edge'; id: string } | null;
  /** which of edges.csv, junctions.csv and signals.csv the page has read */
  tables: { edges: boolean; junctions: boolean; signals: boolean };
  /** the edges.csv column the roads are coloured by ('none') and how many edges got a value now */
  edgeColours: { measure: string; coloured: number };
  /** the last search: what was asked and the trace id found (null: none) */
  search: { query: string; found: number | null } | null;
  /** the last picture or video saved: what, its size in bytes, the canvas size in device pixels */
  lastExport: { kind: 'png' | 'webm'; bytes: number; width: number; height: number } | null;
  /** vehicles the search knows (trips.csv and depart events) */
  searchable: number;
  /** the selected road vehicle's path as drawn: points, and the times it spans */
  vehicleRoute: RouteDebug | null;
  /** the heat map of warnings received: shown, warnings applied, its scale's top, and the cells pooled per texel (warning-heat.ts) */
  warningHeat: { shown: boolean; applied: number; maxHeat: number; pool: number } | null;
  /** annuli of the delivery-ratio layer (RSUs × v2x.csv bins with a receiver; 0: none built) */
  deliveryRings: number;
  /** the frame meter (fps-meter.ts): whether shown, and its last reading (NaN before one) */
  meter: { shown: boolean } & MeterReading;
  /** screen position (CSS px in the canvas) of a ground point (simulation coordinates) */
  project(x: number, y: number): { x: number; y: number };
}

declare global {
  interface Window {
    __roadtwin: DebugInfo;
  }
}
