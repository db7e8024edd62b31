/**
 * Draws the perception platform of a run (perception-data.ts) over the scene, as five layers:
 *   - incidents: each city event where it happened, a hexagon filled by the stage of its loop at
 *     the current time (not yet seen, reported, confirmed, unit on its way, on scene; cleared and
 *     dismissed ones fade out), one InstancedMesh for the faces and one for their dark rims;
 *   - platform drones: every drone of the docks in the air now, a small diamond at its height with
 *     the circle its camera sees on the ground below it, and what is left of its flight (the way
 *     to the place it checks, or the rest of its patrol) as a faint line; the docks as rings;
 *   - cameras: the ground each camera covers (its field of view out to its ground range), faint;
 *   - blind spots: the cells no camera sees (coverage.json), shaded;
 *   - patrol routes: each patrolling dock's route (coverage.json).
 * Counts can reach the hundreds: instanced meshes and merged buffers, rewritten in place.
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import { flatMesh } from './road-scene.js';
import { LineBuffer } from './line-buffer.js';
import { ENDED_FADE_S, INC_CLEARED, INC_DISMISSED, INC_HIDDEN, INCIDENT_STAGES, pointAlong, type PerceptionData } from './perception-data.js';
import { BLIND_SPOT, GROUND, INCIDENT, INCIDENT_RIM, PATROL_ROUTE, PLATFORM_DRONE, SENSOR_CAMERA } from './palette.js';

/** What the debug object reports of these layers (tests read it). */
export interface PerceptionDebug {
  incidents: number;
  /** incident markers drawn now, and how many are in each stage (INCIDENT_STAGES) */
  drawn: number;
  byStage: Record<string, number>;
  cameras: number;
  blindSpots: number;
  patrolRoutes: number;
  docks: number;
  flights: number;
  /** drones of the platform in the air now, and the places of the first few ([x, y, height] m) */
  airborne: number;
  dronesAt: number[][];
}

const ground = new THREE.Color(GROUND);

export class PerceptionLayer {
  readonly incidents: THREE.Group = new THREE.Group();
  readonly drones: THREE.Group = new THREE.Group();
  readonly cameras: THREE.Group = new THREE.Group();
  readonly blindSpots: THREE.Group = new THREE.Group();
  readonly patrols: THREE.Group = new THREE.Group();
  private readonly faces: THREE.InstancedMesh;
  private readonly rims: THREE.InstancedMesh;
  private readonly droneMarks: THREE.InstancedMesh;
  private readonly footprints: THREE.InstancedMesh;
  private readonly flightLines: LineBuffer;
  private readonly dockMarks: THREE.Mesh[] = [];
  private readonly m = new THREE.Matrix4();
  private readonly c = new THREE.Color();
  private lastT = NaN;
  private lastScale = NaN;
  /** metres per pixel now: the symbols keep about the same size on screen */
  private mpp = 1;
  readonly debug: PerceptionDebug;

  constructor(
    private readonly stage: Stage,
    readonly data: PerceptionData,
  ) {
    const n = Math.max(1, data.incidents.length);
    const hex = (r: number, y: number) => new THREE.CircleGeometry(r, 6).rotateX(-Math.PI / 2).translate(0, y, 0);
    const over = { side: THREE.DoubleSide, depthTest: false } as const;
    this.rims = new THREE.InstancedMesh(hex(1, 1.2), new THREE.MeshBasicMaterial({ color: INCIDENT_RIM, ...over }), n);
    this.faces = new THREE.InstancedMesh(hex(0.72, 1.21), new THREE.MeshBasicMaterial(over), n);
    this.rims.renderOrder = 7;
    this.faces.renderOrder = 8;
    for (const o of [this.rims, this.faces]) {
      o.count = 0;
      o.frustumCulled = false;
      this.incidents.add(o);
    }
    this.rims.name = 'incident rims';
    this.faces.name = 'incidents';
    this.incidents.name = 'incidents';

    // the platform's drones: never more in the air at once than there are flights
    const fleet = Math.max(1, data.flights.length);
    const diamond = new THREE.OctahedronGeometry(1, 0);
    this.droneMarks = new THREE.InstancedMesh(diamond, new THREE.MeshBasicMaterial({ color: PLATFORM_DRONE }), fleet);
    this.footprints = new THREE.InstancedMesh(
      new THREE.RingGeometry(0.96, 1, 48).rotateX(-Math.PI / 2).translate(0, 0.3, 0),
      new THREE.MeshBasicMaterial({ color: PLATFORM_DRONE, transparent: true, opacity: 0.7, side: THREE.DoubleSide, depthWrite: false }),
      fleet,
    );
    for (const o of [this.droneMarks, this.footprints]) {
      o.count = 0;
      o.frustumCulled = false;
      this.drones.add(o);
    }
    this.flightLines = new LineBuffer('platform flights', PLATFORM_DRONE, 0.5, stage);
    this.drones.add(this.flightLines.obj);
    const dockRing = new THREE.RingGeometry(5, 6.5, 32).rotateX(-Math.PI / 2).translate(0, 0.25, 0);
    const dockMat = new THREE.MeshBasicMaterial({ color: PLATFORM_DRONE, side: THREE.DoubleSide });
    for (const d of data.docks) {
      const o = new THREE.Mesh(dockRing, dockMat);
      o.position.set(stage.sx(d.x), 0, stage.sz(d.y));
      o.name = `dock ${d.id}`;
      this.drones.add(o);
      this.dockMarks.push(o);
    }
    this.drones.name = 'platform drones';

    // cameras: a fan of the field of view out to the ground range, all in one mesh
    const fan: number[] = [];
    for (const c of data.cameras) {
      const full = c.fov >= 360;
      const steps = Math.max(8, Math.ceil((c.fov / 360) * 48));
      const a0 = ((full ? 0 : c.heading - c.fov / 2) * Math.PI) / 180;
      const da = ((full ? 360 : c.fov) * Math.PI) / 180 / steps;
      for (let k = 0; k < steps; k++) {
        const a = a0 + k * da;
        fan.push(c.x, c.y, c.x + c.groundRange * Math.cos(a), c.y + c.groundRange * Math.sin(a), c.x + c.groundRange * Math.cos(a + da), c.y + c.groundRange * Math.sin(a + da));
      }
    }
    if (fan.length > 0) {
      const mat = new THREE.MeshBasicMaterial({ color: SENSOR_CAMERA, transparent: true, opacity: 0.16, depthWrite: false, side: THREE.DoubleSide, forceSinglePass: true });
      const mesh = flatMesh(stage, fan, 0.09, mat);
      mesh.name = 'camera views';
      this.cameras.add(mesh);
      const dot = new THREE.CircleGeometry(3, 12).rotateX(-Math.PI / 2).translate(0, 0.3, 0);
      const dotMat = new THREE.MeshBasicMaterial({ color: SENSOR_CAMERA, side: THREE.DoubleSide });
      for (const c of data.cameras) {
        const o = new THREE.Mesh(dot, dotMat);
        o.position.set(stage.sx(c.x), 0, stage.sz(c.y));
        this.cameras.add(o);
      }
    }
    this.cameras.name = 'cameras';

    // blind spots: the unseen cells' polygons, triangulated into one mesh
    const tris: number[] = [];
    for (const poly of data.blindSpots) {
      const contour = poly.map(([x, y]) => new THREE.Vector2(x, y));
      for (const [a, b, c] of THREE.ShapeUtils.triangulateShape(contour, [])) tris.push(poly[a][0], poly[a][1], poly[b][0], poly[b][1], poly[c][0], poly[c][1]);
    }
    if (tris.length > 0) {
      const mat = new THREE.MeshBasicMaterial({ color: BLIND_SPOT, transparent: true, opacity: 0.22, depthWrite: false, side: THREE.DoubleSide, forceSinglePass: true });
      const mesh = flatMesh(stage, tris, 0.05, mat);
      mesh.name = 'blind spots';
      this.blindSpots.add(mesh);
    }
    this.blindSpots.name = 'blind spots';

    const routes = new LineBuffer('patrol routes', PATROL_ROUTE, 1, stage);
    routes.setPolylines(data.patrolRoutes.map((r) => r.path.flatMap(([x, y]) => [x, y, 0.5])));
    this.patrols.add(routes.obj);
    this.patrols.name = 'patrol routes';

    for (const g of [this.incidents, this.drones, this.cameras, this.blindSpots, this.patrols]) stage.scene.add(g);
    this.debug = {
      incidents: data.incidents.length,
      drawn: 0,
      byStage: {},
      cameras: data.cameras.length,
      blindSpots: data.blindSpots.length,
      patrolRoutes: data.patrolRoutes.length,
      docks: data.docks.length,
      flights: data.flights.length,
      airborne: 0,
      dronesAt: [],
    };
  }

  /** Places the incidents and drones of time t, symbols sized for `mpp` metres per pixel. */
  update(t: number, mpp: number): void {
    this.mpp = mpp;
    const scale = Math.max(1, Math.round(mpp * 20) / 20);
    if (t === this.lastT && scale === this.lastScale) return;
    this.lastT = t;
    this.lastScale = scale;
    this.updateIncidents(t);
    this.updateDrones(t);
    // a dock's ring about 14 pixels across at any zoom
    const dock = Math.max(1, (this.mpp * 7) / 6.5);
    for (const o of this.dockMarks) o.scale.set(dock, 1, dock);
  }

  private updateIncidents(t: number): void {
    const d = this.data;
    const s = this.stage;
    // a hexagon about 16 pixels across, never smaller than 8 m
    const r = Math.max(8, this.mpp * 8);
    const byStage: Record<string, number> = {};
    let k = 0;
    for (let i = 0; i < d.incidents.length; i++) {
      const stage = d.stageAt(i, t);
      if (stage === INC_HIDDEN) continue;
      const e = d.incidents[i];
      this.m.makeScale(r, 1, r).setPosition(s.sx(e.x), 0, s.sz(e.y));
      this.faces.setMatrixAt(k, this.m);
      this.rims.setMatrixAt(k, this.m);
      this.c.setHex(INCIDENT[stage]);
      if (stage === INC_CLEARED || stage === INC_DISMISSED) {
        // fading into the ground over ENDED_FADE_S
        const ended = stage === INC_CLEARED ? e.cleared : e.dismissed;
        this.c.lerp(ground, Math.min(1, (t - ended) / ENDED_FADE_S));
      }
      this.faces.setColorAt(k, this.c);
      byStage[INCIDENT_STAGES[stage]] = (byStage[INCIDENT_STAGES[stage]] ?? 0) + 1;
      k++;
    }
    this.faces.count = k;
    this.rims.count = k;
    this.faces.instanceMatrix.needsUpdate = true;
    this.rims.instanceMatrix.needsUpdate = true;
    if (this.faces.instanceColor) this.faces.instanceColor.needsUpdate = true;
    this.debug.drawn = k;
    this.debug.byStage = byStage;
  }

  private updateDrones(t: number): void {
    const d = this.data;
    const s = this.stage;
    const size = Math.max(2.5, this.mpp * 5);
    const lines: number[][] = [];
    const at: number[][] = [];
    let k = 0;
    for (const f of d.airborne(t)) {
      const p = d.droneAt(d.flights[f], t);
      if (!p) continue;
      this.m.makeScale(size, size, size).setPosition(s.sx(p[0]), p[2], s.sz(p[1]));
      this.droneMarks.setMatrixAt(k, this.m);
      const fp = Math.max(1, d.footprint);
      this.m.makeScale(fp, 1, fp).setPosition(s.sx(p[0]), 0, s.sz(p[1]));
      this.footprints.setMatrixAt(k, this.m);
      if (at.length < 8) at.push(p.map((v) => Math.round(v * 10) / 10));
      lines.push(this.restOfFlight(f, t, p));
      k++;
    }
    this.droneMarks.count = k;
    this.footprints.count = k;
    this.droneMarks.instanceMatrix.needsUpdate = true;
    this.footprints.instanceMatrix.needsUpdate = true;
    this.flightLines.setPolylines(lines);
    this.debug.airborne = k;
    this.debug.dronesAt = at;
  }

  /**
   * What is left of flight f's current leg from the drone at p: along the path to where it is
   * heading (the place it checks, home, the end of its patrol), or straight down while it looks.
   */
  private restOfFlight(f: number, t: number, p: [number, number, number]): number[] {
    const fl = this.data.flights[f];
    const [now, to] = this.data.headingAlong(fl, t);
    const out = [p[0], p[1], p[2]];
    if (to === now) {
      out.push(p[0], p[1], 0);
      return out;
    }
    const a = fl.along;
    if (to > now) {
      for (let k = 0; k < fl.path.length; k++) if (a[k] > now && a[k] <= to) out.push(fl.path[k][0], fl.path[k][1], p[2]);
    } else {
      for (let k = fl.path.length - 1; k >= 0; k--) if (a[k] < now && a[k] >= to) out.push(fl.path[k][0], fl.path[k][1], p[2]);
    }
    const [x, y] = pointAlong(fl.path, a, to);
    out.push(x, y, p[2]);
    return out;
  }

  /** The incident drawn nearest a click at (px, py) CSS pixels, within `radius` pixels (index into data.incidents), or -1. */
  pickNear(px: number, py: number, toScreen: (x: number, y: number, z: number) => { x: number; y: number }, radius = 12): number {
    if (!this.incidents.visible) return -1;
    let best = -1;
    let bestD = radius;
    for (let i = 0; i < this.data.incidents.length; i++) {
      if (this.data.stageAt(i, this.lastT) === INC_HIDDEN) continue;
      const e = this.data.incidents[i];
      const q = toScreen(e.x, e.y, 1.2);
      const dist = Math.hypot(q.x - px, q.y - py);
      if (dist < bestD) {
        bestD = dist;
        best = i;
      }
    }
    return best;
  }
}
