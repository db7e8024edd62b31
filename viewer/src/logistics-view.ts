/**
 * Draws the logistics of a run over the scene: order destinations as white diamonds outlined by
 * their status at the current time (two InstancedMeshes, fill and outline; a delivered order
 * fades into the ground over DELIVERED_FADE_S and is then no longer drawn), the flight path of every drone in the air
 * (faint, one LineSegments buffer), and the route of the selected drone or van (bright, another
 * buffer) with a van's curb stops (one InstancedMesh). Counts can be in the thousands: nothing
 * here is an object per order or per vehicle; buffers grow by doubling and are rewritten in place.
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import type { EntityView } from './interpolate.js';
import { LogisticsData, ORDER_ASSIGNED, ORDER_DELIVERED, ORDER_HIDDEN, ORDER_PENDING, ORDER_REJECTED, kerbLanes, missionPolyline, tourPolyline, type DroneMission, type VanTour } from './logistics-data.js';
import type { Point } from './network.js';
import { LineBuffer } from './line-buffer.js';
import { DELIVERED_FADE_S, DRONE_PATH, GROUND, ORDER_FILL, ORDER_OUTLINE, SELECTION } from './palette.js';

/** Outline colours by status (ORDER_*), as the legend shows them. */
export const ORDER_COLOURS: Record<number, number> = {
  [ORDER_PENDING]: ORDER_OUTLINE[ORDER_PENDING],
  [ORDER_ASSIGNED]: ORDER_OUTLINE[ORDER_ASSIGNED],
  [ORDER_DELIVERED]: ORDER_OUTLINE[ORDER_DELIVERED],
  [ORDER_REJECTED]: ORDER_OUTLINE[ORDER_REJECTED],
};
const ground = new THREE.Color(GROUND);
const fill = new THREE.Color(ORDER_FILL);

/** Height of a van's route above the road, m (above the lane markings, below the vehicles' roofs). */
const TOUR_HEIGHT = 0.6;

/** What the debug object reports of this layer (tests read it). */
export interface LogisticsDebug {
  /** orders created by now */
  orders: number;
  /** order markers drawn (delivered ones leave after DELIVERED_FADE_S) */
  drawn: number;
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
  private readonly outlines: THREE.InstancedMesh;
  private readonly stops: THREE.InstancedMesh;
  private readonly active: LineBuffer;
  private readonly selectedLine: LineBuffer;
  private readonly kerb: Map<string, Point[]>;
  private readonly m = new THREE.Matrix4();
  private readonly c = new THREE.Color();
  private lastT = NaN;
  private lastScale = NaN;
  private lastSelected: number | null = null;
  private lastActiveKey = '';
  readonly debug: LogisticsDebug = { orders: 0, drawn: 0, byStatus: { pending: 0, assigned: 0, delivered: 0, rejected: 0 }, activeRoutes: 0, route: null, tourStops: 0, selected: null };

  constructor(
    private readonly stage: Stage,
    readonly data: LogisticsData,
    lanes: { edge: string; index: number; shape: Point[] }[],
  ) {
    this.kerb = kerbLanes(lanes);
    // a diamond (a four-sided circle) and its outline, flat on the ground above the roads
    const diamond = new THREE.CircleGeometry(2.2, 4).rotateX(-Math.PI / 2).translate(0, 0.25, 0);
    const outline = new THREE.RingGeometry(2.2, 3.2, 4).rotateX(-Math.PI / 2).translate(0, 0.26, 0);
    const mk = (g: THREE.BufferGeometry, name: string) => {
      const m = new THREE.InstancedMesh(g, new THREE.MeshBasicMaterial({ side: THREE.DoubleSide }), Math.max(1, data.count));
      m.name = name;
      m.count = 0;
      m.frustumCulled = false;
      stage.scene.add(m);
      return m;
    };
    this.markers = mk(diamond, 'orders');
    this.outlines = mk(outline, 'order outlines');
    const pin = new THREE.CylinderGeometry(1.6, 0.4, 4, 8);
    pin.translate(0, 2 + TOUR_HEIGHT, 0);
    let maxStops = 1;
    for (const t of data.tours.values()) maxStops = Math.max(maxStops, t.stops.length);
    this.stops = new THREE.InstancedMesh(pin, new THREE.MeshBasicMaterial(), maxStops);
    this.stops.name = 'tour stops';
    this.stops.count = 0;
    this.stops.frustumCulled = false;
    stage.scene.add(this.stops);
    this.active = new LineBuffer('drone routes', DRONE_PATH, 0.5, stage);
    this.selectedLine = new LineBuffer('selected route', SELECTION, 1, stage);
  }

  /**
   * Brings the picture to time t: marker statuses (when t or the zoom changed), the faint paths
   * of the drones in `view` (when the set of them changed), the selected entity's route.
   */
  /** Layer toggles: the order markers, and the faint paths of the drones in the air. */
  setVisible(orders: boolean, paths: boolean): void {
    this.markers.visible = this.outlines.visible = orders;
    this.active.obj.visible = paths && this.debug.activeRoutes > 0;
    this.pathsOn = paths;
  }

  private pathsOn = true;

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
    let made = 0;
    for (let i = 0; i < d.count; i++) {
      const st = d.statusAt(i, t);
      if (st === ORDER_HIDDEN) continue;
      by[names[st] as keyof typeof by]++;
      made++;
      // a delivered order fades into the ground and shrinks, then is gone
      const age = st === ORDER_DELIVERED ? (t - d.delivered[i]) / DELIVERED_FADE_S : 0;
      if (age >= 1) continue;
      const k = s * (1 - 0.5 * age);
      this.m.makeScale(k, 1, k);
      this.m.setPosition(this.stage.sx(d.x[i]), 0, this.stage.sz(d.y[i]));
      this.markers.setMatrixAt(n, this.m);
      this.outlines.setMatrixAt(n, this.m);
      this.markers.setColorAt(n, this.c.copy(fill).lerp(ground, age));
      this.outlines.setColorAt(n, this.c.setHex(ORDER_COLOURS[st]).lerp(ground, age));
      n++;
    }
    for (const m of [this.markers, this.outlines]) {
      m.count = n;
      m.instanceMatrix.needsUpdate = true;
      if (m.instanceColor) m.instanceColor.needsUpdate = true;
    }
    this.debug.orders = made;
    this.debug.drawn = n;
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
    this.active.obj.visible &&= this.pathsOn;
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
