/**
 * Draws the logistics of a run over the scene: order destinations as one InstancedMesh of small
 * discs coloured by their status at the current time, the flight path of every drone in the air
 * (faint, one LineSegments buffer), and the route of the selected drone or van (bright, another
 * buffer) with a van's curb stops (one InstancedMesh). Counts can be in the thousands: nothing
 * here is an object per order or per vehicle; buffers grow by doubling and are rewritten in place.
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import type { EntityView } from './interpolate.js';
import { LogisticsData, ORDER_ASSIGNED, ORDER_DELIVERED, ORDER_HIDDEN, ORDER_PENDING, ORDER_REJECTED, kerbLanes, missionPolyline, tourPolyline, type DroneMission, type VanTour } from './logistics-data.js';
import type { Point } from './network.js';

/** Marker colours by status (ORDER_*), also used by the legend. */
export const ORDER_COLOURS: Record<number, number> = {
  [ORDER_PENDING]: 0xff8c00,
  [ORDER_ASSIGNED]: 0x2f6fd6,
  [ORDER_DELIVERED]: 0x1fbf4a,
  [ORDER_REJECTED]: 0x7a7a7a,
};

/** Height of a van's route above the road, m (above the lane markings, below the vehicles' roofs). */
const TOUR_HEIGHT = 0.6;

/** A LineSegments whose position buffer grows by doubling; `set` writes a polyline list as segments. */
class Lines {
  readonly obj: THREE.LineSegments;
  private buf = new Float32Array(0);

  constructor(name: string, colour: number, opacity: number, private readonly stage: Stage) {
    const mat = new THREE.LineBasicMaterial({ color: colour, transparent: opacity < 1, opacity, depthTest: opacity < 1 });
    this.obj = new THREE.LineSegments(new THREE.BufferGeometry(), mat);
    this.obj.name = name;
    this.obj.frustumCulled = false;
    this.obj.renderOrder = opacity < 1 ? 5 : 9;
    this.setPolylines([]);
    stage.scene.add(this.obj);
  }

  /** Each polyline is [x, y, z, x, y, z, …] in simulation coordinates. Returns the segments written. */
  setPolylines(lines: number[][]): number {
    let segs = 0;
    for (const l of lines) segs += Math.max(0, l.length / 3 - 1);
    const need = segs * 6;
    if (need > this.buf.length || this.buf.length === 0) {
      this.buf = new Float32Array(Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(1, need)))));
      this.obj.geometry.setAttribute('position', new THREE.BufferAttribute(this.buf, 3));
    }
    let o = 0;
    const s = this.stage;
    for (const l of lines)
      for (let i = 0; i + 5 < l.length; i += 3) {
        this.buf[o++] = s.sx(l[i]);
        this.buf[o++] = l[i + 2];
        this.buf[o++] = s.sz(l[i + 1]);
        this.buf[o++] = s.sx(l[i + 3]);
        this.buf[o++] = l[i + 5];
        this.buf[o++] = s.sz(l[i + 4]);
      }
    const attr = this.obj.geometry.getAttribute('position') as THREE.BufferAttribute;
    attr.needsUpdate = true;
    this.obj.geometry.setDrawRange(0, segs * 2);
    this.obj.visible = segs > 0;
    return segs;
  }
}

/** What the debug object reports of this layer (tests read it). */
export interface LogisticsDebug {
  orders: number;
  byStatus: { pending: number; assigned: number; delivered: number; rejected: number };
  /** drones whose flight path is drawn faintly */
  activeRoutes: number;
  /** the selected entity's route: its kind and its points (simulation metres), or null */
  route: { kind: 'drone' | 'van'; points: number[][] } | null;
  tourStops: number;
  /** the selection `route` was drawn for (the selected trace id, or null) */
  selected: number | null;
}

export class LogisticsLayer {
  private readonly markers: THREE.InstancedMesh;
  private readonly stops: THREE.InstancedMesh;
  private readonly active: Lines;
  private readonly selectedLine: Lines;
  private readonly kerb: Map<string, Point[]>;
  private readonly m = new THREE.Matrix4();
  private readonly c = new THREE.Color();
  private lastT = NaN;
  private lastScale = NaN;
  private lastSelected: number | null = null;
  private lastActiveKey = '';
  readonly debug: LogisticsDebug = { orders: 0, byStatus: { pending: 0, assigned: 0, delivered: 0, rejected: 0 }, activeRoutes: 0, route: null, tourStops: 0, selected: null };

  constructor(
    private readonly stage: Stage,
    readonly data: LogisticsData,
    lanes: { edge: string; index: number; shape: Point[] }[],
  ) {
    this.kerb = kerbLanes(lanes);
    const disc = new THREE.CylinderGeometry(2.2, 2.2, 0.4, 12);
    disc.translate(0, 0.25, 0);
    this.markers = new THREE.InstancedMesh(disc, new THREE.MeshBasicMaterial(), Math.max(1, data.count));
    this.markers.name = 'orders';
    this.markers.count = 0;
    this.markers.frustumCulled = false;
    stage.scene.add(this.markers);
    const pin = new THREE.CylinderGeometry(1.6, 0.4, 4, 8);
    pin.translate(0, 2 + TOUR_HEIGHT, 0);
    let maxStops = 1;
    for (const t of data.tours.values()) maxStops = Math.max(maxStops, t.stops.length);
    this.stops = new THREE.InstancedMesh(pin, new THREE.MeshBasicMaterial(), maxStops);
    this.stops.name = 'tour stops';
    this.stops.count = 0;
    this.stops.frustumCulled = false;
    stage.scene.add(this.stops);
    this.active = new Lines('drone routes', 0xb04fc0, 0.35, stage);
    this.selectedLine = new Lines('selected route', 0xff00aa, 1, stage);
  }

  /**
   * Brings the picture to time t: marker statuses (when t or the zoom changed), the faint paths
   * of the drones in `view` (when the set of them changed), the selected entity's route.
   */
  update(t: number, view: EntityView, selected: number | null, scale: number): void {
    if (t !== this.lastT || scale !== this.lastScale) this.updateMarkers(t, scale);
    this.updateActive(t, view);
    if (t !== this.lastT || selected !== this.lastSelected || scale !== this.lastScale) this.updateSelected(t, selected, scale);
    this.lastT = t;
    this.lastScale = scale;
    this.lastSelected = selected;
  }

  private updateMarkers(t: number, scale: number): void {
    const d = this.data;
    const by = { pending: 0, assigned: 0, delivered: 0, rejected: 0 };
    const names = ['', 'pending', 'assigned', 'delivered', 'rejected'] as const;
    // discs grow with the vehicles when zoomed out, so they stay visible over a district
    const s = Math.max(1, scale * 0.75);
    let n = 0;
    for (let i = 0; i < d.count; i++) {
      const st = d.statusAt(i, t);
      if (st === ORDER_HIDDEN) continue;
      by[names[st] as keyof typeof by]++;
      this.m.makeScale(s, 1, s);
      this.m.setPosition(this.stage.sx(d.x[i]), 0, this.stage.sz(d.y[i]));
      this.markers.setMatrixAt(n, this.m);
      this.markers.setColorAt(n, this.c.setHex(ORDER_COLOURS[st]));
      n++;
    }
    this.markers.count = n;
    this.markers.instanceMatrix.needsUpdate = true;
    if (this.markers.instanceColor) this.markers.instanceColor.needsUpdate = true;
    this.debug.orders = n;
    this.debug.byStatus = by;
  }

  /** Faint paths of the drones drawn now (each at its last launch), rebuilt only when that set changes. */
  private updateActive(t: number, view: EntityView): void {
    const missions: DroneMission[] = [];
    let key = '';
    for (let k = 0; k < view.count; k++) {
      if (!this.data.missions.has(view.id[k])) continue;
      const m = this.data.missionAt(view.id[k], t);
      if (!m) continue;
      missions.push(m);
      key += `${m.id}@${m.time};`;
    }
    if (key === this.lastActiveKey) return;
    this.lastActiveKey = key;
    this.active.setPolylines(missions.map(missionPolyline));
    this.debug.activeRoutes = missions.length;
  }

  private updateSelected(t: number, selected: number | null, scale: number): void {
    const mission = selected === null ? null : this.data.missionAt(selected, t);
    const tour = selected === null ? undefined : this.data.tours.get(selected);
    this.stops.count = 0;
    if (mission) {
      const pts = missionPolyline(mission);
      this.selectedLine.setPolylines([pts]);
      this.debug.route = { kind: 'drone', points: triples(pts) };
    } else if (tour && tour.time <= t) {
      const pts = tourPolyline(tour, this.kerb).flatMap(([x, y]) => [x, y, TOUR_HEIGHT]);
      this.selectedLine.setPolylines([pts]);
      this.debug.route = { kind: 'van', points: triples(pts) };
      this.placeStops(tour, t, scale);
    } else {
      this.selectedLine.setPolylines([]);
      this.debug.route = null;
    }
    this.debug.tourStops = this.stops.count;
    this.debug.selected = selected;
  }

  private placeStops(tour: VanTour, t: number, scale: number): void {
    const s = Math.max(1, scale * 0.75);
    tour.stops.forEach((st, i) => {
      this.m.makeScale(s, s, s);
      this.m.setPosition(this.stage.sx(st.x), 0, this.stage.sz(st.y));
      this.stops.setMatrixAt(i, this.m);
      const row = this.data.rowOf(st.order);
      const status = row < 0 ? ORDER_ASSIGNED : this.data.statusAt(row, t);
      this.stops.setColorAt(i, this.c.setHex(ORDER_COLOURS[status] ?? ORDER_COLOURS[ORDER_ASSIGNED]));
    });
    this.stops.count = tour.stops.length;
    this.stops.instanceMatrix.needsUpdate = true;
    if (this.stops.instanceColor) this.stops.instanceColor.needsUpdate = true;
  }
}

function triples(a: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i + 2 < a.length; i += 3) out.push([a[i], a[i + 1], a[i + 2]]);
  return out;
}
