/**
 * Static and scheduled non-vehicle entities from the optional entities.json: roadside units (a
 * mast and a cyan symbol, rings of their measured coverage, sensor cones), hazards (the blocked
 * lane section during their time window), logistics hubs, drone ports and no-fly zones. There are few of them, so plain meshes are fine here. Each one a
 * user can click (a site) keeps its entities.json record, which the details panel shows.
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import type { NetworkJson } from './network.js';
import { dashes, ribbon, sectionOf } from './road-geometry.js';
import { flatMesh } from './road-scene.js';
import { DRONE_PORT, HAZARD, HAZARD_STRIPE, HUB, NO_FLY, RSU, SENSOR_CAMERA, SENSOR_RADAR } from './palette.js';

export interface EntitiesJson {
  rsus?: { id: string; x: number; y: number; range: number; height?: number; intersections?: string[]; sensors?: { kind: 'camera' | 'radar'; range: number; fov: number; heading: number }[] }[];
  hazards?: { id: string; kind: string; x: number; y: number; begin: number; end: number; edge?: string; lanes?: number[]; length?: number; speedLimit?: number }[];
  hubs?: { id: string; x: number; y: number; edge?: string; vans?: number; robots?: number }[];
  dronePorts?: { id: string; x: number; y: number; drones?: number; pads?: number; windLimit?: number; hub?: string }[];
  noFly?: { id: string; polygon: [number, number][] }[];
}

export type SiteKind = 'rsu' | 'hazard' | 'hub' | 'dronePort';

/** A clickable static entity: what it is and its entities.json record. */
export interface Site {
  kind: SiteKind;
  id: string;
  x: number;
  y: number;
  /** height of its top above the ground, m (where the selection marker and screen position go) */
  top: number;
  record: Record<string, unknown>;
}

/** Throws a readable message when entities.json has the wrong shape (it is optional, not free-form). */
export function checkEntities(e: unknown): EntitiesJson {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) throw new Error('entities.json: not an object');
  const ent = e as EntitiesJson;
  const pts = (list: unknown, name: string) => {
    if (list === undefined) return;
    if (!Array.isArray(list)) throw new Error(`entities.json: ${name} is not a list`);
    list.forEach((p: { x?: unknown; y?: unknown }, i) => {
      if (typeof p?.x !== 'number' || typeof p?.y !== 'number') throw new Error(`entities.json: ${name}[${i}] has no numeric x and y`);
    });
  };
  pts(ent.rsus, 'rsus');
  pts(ent.hazards, 'hazards');
  pts(ent.hubs, 'hubs');
  pts(ent.dronePorts, 'dronePorts');
  if (ent.noFly !== undefined) {
    if (!Array.isArray(ent.noFly)) throw new Error('entities.json: noFly is not a list');
    ent.noFly.forEach((z, i) => {
      if (!Array.isArray(z?.polygon) || z.polygon.length < 3 || !z.polygon.every((p) => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number'))
        throw new Error(`entities.json: noFly[${i}] has no polygon of at least three [x, y] points`);
    });
  }
  return ent;
}

const deg = Math.PI / 180;

const siteKey = (kind: SiteKind, id: string) => `${kind}:${id}`;

export class EntityLayer {
  private readonly hazards: { objs: THREE.Object3D[]; begin: number; end: number }[] = [];
  /** the meshes a click can hit, each with its Site in userData.site */
  private readonly clickable: THREE.Object3D[] = [];
  /** flat symbols kept at about the same size on screen: each with its size in metres and the pixels it should take */
  private readonly icons: { o: THREE.Object3D; metres: number; px: number }[] = [];
  readonly sites = new Map<string, Site>();
  readonly counts = { rsus: 0, sensors: 0, hazards: 0, hubs: 0, dronePorts: 0, noFly: 0, hazardsVisible: 0, coverageRings: 0 };
  /** layer groups the toggles show and hide */
  readonly coverage = new THREE.Group();
  readonly sensors = new THREE.Group();
  readonly hazardGroup = new THREE.Group();
  private iconScale = NaN;

  constructor(
    private readonly stage: Stage,
    private readonly ent: EntitiesJson,
    net: NetworkJson,
  ) {
    const group = new THREE.Group();
    group.name = 'entities';
    this.coverage.name = 'rsu coverage';
    this.sensors.name = 'sensors';
    this.hazardGroup.name = 'hazards';
    const at = (o: THREE.Object3D, x: number, y: number, h = 0, g: THREE.Object3D = group) => {
      o.position.set(stage.sx(x), h, stage.sz(y));
      g.add(o);
      return o;
    };
    const site = (o: THREE.Object3D, kind: SiteKind, rec: { id: string; x: number; y: number }, top: number) => {
      const s: Site = { kind, id: rec.id, x: rec.x, y: rec.y, top, record: rec as unknown as Record<string, unknown> };
      o.userData = { site: s };
      this.clickable.push(o);
      this.sites.set(siteKey(kind, rec.id), s);
    };
    const flat = (g: THREE.BufferGeometry) => g.rotateX(-Math.PI / 2);
    const mast = new THREE.CylinderGeometry(0.25, 0.3, 7, 8);
    mast.translate(0, 3.5, 0);
    const rsuMat = new THREE.MeshLambertMaterial({ color: RSU });
    const rsuFlat = new THREE.MeshBasicMaterial({ color: RSU, side: THREE.DoubleSide });
    // the RSU symbol: a ring around a dot, like a broadcast mark seen from above
    const rsuRing = flat(new THREE.RingGeometry(2.2, 3, 24));
    const rsuDot = flat(new THREE.CircleGeometry(1, 16));
    const camMat = new THREE.MeshBasicMaterial({ color: SENSOR_CAMERA, transparent: true, opacity: 0.18, depthWrite: false, side: THREE.DoubleSide, forceSinglePass: true });
    const radarMat = new THREE.MeshBasicMaterial({ color: SENSOR_RADAR, transparent: true, opacity: 0.18, depthWrite: false, side: THREE.DoubleSide, forceSinglePass: true });
    for (const r of ent.rsus ?? []) {
      const m = at(new THREE.Mesh(mast, rsuMat), r.x, r.y);
      site(m, 'rsu', r, 7);
      const icon = new THREE.Group();
      icon.add(new THREE.Mesh(rsuRing, rsuFlat), new THREE.Mesh(rsuDot, rsuFlat));
      this.icons.push({ o: at(icon, r.x, r.y, 0.2), metres: 3, px: 7 });
      for (const s of r.sensors ?? []) {
        // a sector of the sensor's field of view, centred on its heading (ccw from east)
        const fov = s.fov * deg;
        const cone = at(new THREE.Mesh(new THREE.CircleGeometry(s.range, 48, s.heading * deg - fov / 2, fov), s.kind === 'camera' ? camMat : radarMat), r.x, r.y, 0.08, this.sensors);
        cone.rotation.x = -Math.PI / 2;
        this.counts.sensors++;
      }
      this.counts.rsus++;
    }
    // hazards: the blocked lane section, hatched orange and black, and a cone on it
    const lanes = new Map(net.lanes.map((l) => [`${l.edge}#${l.index}`, l]));
    // drawn over the vehicles (the queue behind a stalled car would hide it)
    const over = { side: THREE.DoubleSide, depthTest: false } as const;
    const hatch = new THREE.MeshBasicMaterial({ color: HAZARD, ...over });
    const stripe = new THREE.MeshBasicMaterial({ color: HAZARD_STRIPE, ...over });
    // the symbol: a warning triangle, orange on a dark rim, flat
    const tri = (r: number) => new THREE.CircleGeometry(r, 3, Math.PI / 2).rotateX(-Math.PI / 2);
    for (const h of ent.hazards ?? []) {
      const objs: THREE.Object3D[] = [];
      const sign = new THREE.Group();
      const rim = new THREE.Mesh(tri(3.4), stripe);
      const face = new THREE.Mesh(tri(2.4), hatch);
      face.position.y = 0.01;
      rim.renderOrder = 7;
      face.renderOrder = 8;
      sign.add(rim, face);
      at(sign, h.x, h.y, 1, this.hazardGroup);
      site(sign, 'hazard', h, 0);
      this.icons.push({ o: sign, metres: 3.4, px: 11 });
      objs.push(sign);
      for (const k of h.lanes ?? [0]) {
        const lane = h.edge ? lanes.get(`${h.edge}#${k}`) : undefined;
        if (!lane) continue;
        const section = sectionOf(lane.shape, h.x, h.y, Math.max(1, h.length ?? 6));
        const band: number[] = [];
        ribbon(section, net.laneWidth / 2, net.laneWidth / 2, band);
        const bars: number[] = [];
        dashes(section, net.laneWidth * 0.9, 0.6, 0.6, bars);
        const a = flatMesh(stage, band, 0.07, hatch);
        const b = flatMesh(stage, bars, 0.08, stripe);
        a.renderOrder = 6;
        b.renderOrder = 7;
        this.hazardGroup.add(a, b);
        objs.push(a, b);
      }
      for (const o of objs) o.visible = false;
      this.hazards.push({ objs, begin: h.begin, end: h.end });
      this.counts.hazards++;
    }
    const hubGeom = new THREE.BoxGeometry(20, 8, 14);
    hubGeom.translate(0, 4, 0);
    const hubMat = new THREE.MeshLambertMaterial({ color: HUB });
    for (const h of ent.hubs ?? []) {
      site(at(new THREE.Mesh(hubGeom, hubMat), h.x, h.y), 'hub', h, 8);
      this.counts.hubs++;
    }
    const padGeom = new THREE.CylinderGeometry(4, 4, 0.6, 24);
    padGeom.translate(0, 0.3, 0);
    const padMat = new THREE.MeshLambertMaterial({ color: DRONE_PORT });
    const poleGeom = new THREE.CylinderGeometry(0.15, 0.15, 12, 6);
    poleGeom.translate(0, 6, 0);
    for (const p of ent.dronePorts ?? []) {
      const pad = at(new THREE.Mesh(padGeom, padMat), p.x, p.y);
      site(pad, 'dronePort', p, 0.6);
      this.icons.push({ o: pad, metres: 4, px: 6 });
      site(at(new THREE.Mesh(poleGeom, padMat), p.x, p.y), 'dronePort', p, 0.6);
      this.counts.dronePorts++;
    }
    // no-fly zones: a faint floor and outline where drones must not go
    const zoneMat = new THREE.MeshBasicMaterial({ color: NO_FLY, transparent: true, opacity: 0.06, depthWrite: false, side: THREE.DoubleSide, forceSinglePass: true });
    const edgeMat = new THREE.LineDashedMaterial({ color: NO_FLY, dashSize: 12, gapSize: 8 });
    for (const z of ent.noFly ?? []) {
      const shape = new THREE.Shape(z.polygon.map(([x, y]) => new THREE.Vector2(stage.sx(x), -stage.sz(y))));
      const floor = new THREE.Mesh(new THREE.ShapeGeometry(shape), zoneMat);
      floor.rotation.x = -Math.PI / 2;
      floor.position.y = 0.04;
      group.add(floor);
      const ring = z.polygon.map(([x, y]) => new THREE.Vector3(stage.sx(x), 0.1, stage.sz(y)));
      const line = new THREE.LineLoop(new THREE.BufferGeometry().setFromPoints(ring), edgeMat);
      line.computeLineDistances();
      group.add(line);
      this.counts.noFly++;
    }
    group.add(this.coverage, this.sensors, this.hazardGroup);
    stage.scene.add(group);
  }

  /**
   * Draws each RSU's measured coverage (rsu-coverage.ts): a solid ring where the delivery ratio
   * falls below 90 %, a dashed one where it falls below 50 %; a level never reached has no ring.
   */
  setCoverage(radii: { level: number; radius: number }[]): void {
    this.coverage.clear();
    this.counts.coverageRings = 0;
    const solid = new THREE.LineBasicMaterial({ color: RSU });
    const dashed = new THREE.LineDashedMaterial({ color: RSU, dashSize: 10, gapSize: 7 });
    for (const r of this.ent.rsus ?? [])
      for (const { level, radius } of radii) {
        if (!(radius > 0)) continue;
        const pts: THREE.Vector3[] = [];
        for (let k = 0; k < 96; k++) {
          const a = (k / 96) * Math.PI * 2;
          pts.push(new THREE.Vector3(this.stage.sx(r.x + Math.cos(a) * radius), 0.15, this.stage.sz(r.y + Math.sin(a) * radius)));
        }
        const line = new THREE.LineLoop(new THREE.BufferGeometry().setFromPoints(pts), level >= 0.9 ? solid : dashed);
        line.computeLineDistances();
        line.name = `coverage ${level}`;
        this.coverage.add(line);
        this.counts.coverageRings++;
      }
  }

  /** Keeps the flat symbols the same size on screen at `mpp` metres per pixel (never smaller than life). */
  setIconScale(mpp: number): void {
    const key = Math.round(mpp * 100);
    if (key === this.iconScale) return;
    this.iconScale = key;
    for (const { o, metres, px } of this.icons) {
      const s = Math.max(1, (mpp * px) / metres);
      o.scale.set(s, o instanceof THREE.Group ? 1 : Math.min(s, 3), s);
    }
  }

  /**
   * The site drawn nearest to a click at (px, py) CSS pixels, within `radius` pixels, or null. In
   * screen space, not by ray: a mast 0.5 m thick is under a pixel wide in an overview. Hazards
   * outside their time window are not drawn and cannot be picked.
   */
  pickNear(px: number, py: number, toScreen: (x: number, y: number, z: number) => { x: number; y: number }, radius = 12): Site | null {
    let best: Site | null = null;
    let bestD = radius;
    for (const o of this.clickable) {
      if (!o.visible || !o.parent?.visible) continue;
      const s = o.userData.site as Site;
      // the foot and the top of the site: either may be the part that is seen
      for (const z of [0, s.top]) {
        const p = toScreen(s.x, s.y, z);
        const d = Math.hypot(p.x - px, p.y - py);
        if (d < bestD) {
          bestD = d;
          best = s;
        }
      }
    }
    return best;
  }

  site(kind: SiteKind, id: string): Site | undefined {
    return this.sites.get(siteKey(kind, id));
  }

  /** Shows the hazards whose window contains t. */
  update(t: number): void {
    let n = 0;
    for (const h of this.hazards) {
      const on = t >= h.begin && t < h.end;
      for (const o of h.objs) o.visible = on;
      if (on) n++;
    }
    this.counts.hazardsVisible = n;
  }
}
