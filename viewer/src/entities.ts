/**
 * Static and scheduled non-vehicle entities from the optional entities.json: roadside units with
 * their coverage disc and sensor cones, hazards (shown during their time window), logistics hubs,
 * drone ports and no-fly zones. There are few of them, so plain meshes are fine here. Each one a
 * user can click (a site) keeps its entities.json record, which the details panel shows.
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';

export interface EntitiesJson {
  rsus?: { id: string; x: number; y: number; range: number; height?: number; intersections?: string[]; sensors?: { kind: 'camera' | 'radar'; range: number; fov: number; heading: number }[] }[];
  hazards?: { id: string; kind: string; x: number; y: number; begin: number; end: number; edge?: string; length?: number; speedLimit?: number }[];
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
  private readonly hazards: { mesh: THREE.Object3D; begin: number; end: number }[] = [];
  /** the meshes a click can hit, each with its Site in userData.site */
  private readonly clickable: THREE.Object3D[] = [];
  readonly sites = new Map<string, Site>();
  readonly counts = { rsus: 0, sensors: 0, hazards: 0, hubs: 0, dronePorts: 0, noFly: 0, hazardsVisible: 0 };

  constructor(stage: Stage, ent: EntitiesJson) {
    const group = new THREE.Group();
    group.name = 'entities';
    const at = (o: THREE.Object3D, x: number, y: number, h = 0) => {
      o.position.set(stage.sx(x), h, stage.sz(y));
      group.add(o);
      return o;
    };
    const site = (o: THREE.Object3D, kind: SiteKind, rec: { id: string; x: number; y: number }, top: number) => {
      const s: Site = { kind, id: rec.id, x: rec.x, y: rec.y, top, record: rec as unknown as Record<string, unknown> };
      o.userData = { site: s };
      this.clickable.push(o);
      this.sites.set(siteKey(kind, rec.id), s);
    };
    const mast = new THREE.CylinderGeometry(0.25, 0.3, 7, 8);
    mast.translate(0, 3.5, 0);
    const rsuMat = new THREE.MeshLambertMaterial({ color: 0x2060d0 });
    const discMat = new THREE.MeshBasicMaterial({ color: 0x3a7bff, transparent: true, opacity: 0.12, depthWrite: false, side: THREE.DoubleSide });
    const camMat = new THREE.MeshBasicMaterial({ color: 0x00b3b3, transparent: true, opacity: 0.25, depthWrite: false, side: THREE.DoubleSide });
    const radarMat = new THREE.MeshBasicMaterial({ color: 0xb36bff, transparent: true, opacity: 0.25, depthWrite: false, side: THREE.DoubleSide });
    for (const r of ent.rsus ?? []) {
      const m = at(new THREE.Mesh(mast, rsuMat), r.x, r.y);
      site(m, 'rsu', r, 7);
      const disc = at(new THREE.Mesh(new THREE.CircleGeometry(r.range, 64), discMat), r.x, r.y, 0.06);
      disc.rotation.x = -Math.PI / 2;
      for (const s of r.sensors ?? []) {
        // a sector of the sensor's field of view, centred on its heading (ccw from east)
        const fov = s.fov * deg;
        const cone = at(new THREE.Mesh(new THREE.CircleGeometry(s.range, 32, s.heading * deg - fov / 2, fov), s.kind === 'camera' ? camMat : radarMat), r.x, r.y, 0.08);
        cone.rotation.x = -Math.PI / 2;
        this.counts.sensors++;
      }
      this.counts.rsus++;
    }
    const hazardGeom = new THREE.ConeGeometry(1.2, 3, 12);
    hazardGeom.translate(0, 1.5, 0);
    const hazardMat = new THREE.MeshLambertMaterial({ color: 0xff6a00, emissive: 0x552200 });
    for (const h of ent.hazards ?? []) {
      const m = at(new THREE.Mesh(hazardGeom, hazardMat), h.x, h.y);
      site(m, 'hazard', h, 3);
      m.visible = false;
      this.hazards.push({ mesh: m, begin: h.begin, end: h.end });
      this.counts.hazards++;
    }
    const hubGeom = new THREE.BoxGeometry(20, 8, 14);
    hubGeom.translate(0, 4, 0);
    const hubMat = new THREE.MeshLambertMaterial({ color: 0x7a7f87 });
    for (const h of ent.hubs ?? []) {
      site(at(new THREE.Mesh(hubGeom, hubMat), h.x, h.y), 'hub', h, 8);
      this.counts.hubs++;
    }
    const padGeom = new THREE.CylinderGeometry(4, 4, 0.6, 24);
    padGeom.translate(0, 0.3, 0);
    const padMat = new THREE.MeshLambertMaterial({ color: 0xd45ad6 });
    const poleGeom = new THREE.CylinderGeometry(0.15, 0.15, 12, 6);
    poleGeom.translate(0, 6, 0);
    for (const p of ent.dronePorts ?? []) {
      site(at(new THREE.Mesh(padGeom, padMat), p.x, p.y), 'dronePort', p, 0.6);
      site(at(new THREE.Mesh(poleGeom, padMat), p.x, p.y), 'dronePort', p, 0.6);
      this.counts.dronePorts++;
    }
    // no-fly zones: a translucent red floor and outline where drones must not go
    const zoneMat = new THREE.MeshBasicMaterial({ color: 0xe0261b, transparent: true, opacity: 0.1, depthWrite: false, side: THREE.DoubleSide });
    const edgeMat = new THREE.LineBasicMaterial({ color: 0xe0261b });
    for (const z of ent.noFly ?? []) {
      const shape = new THREE.Shape(z.polygon.map(([x, y]) => new THREE.Vector2(stage.sx(x), -stage.sz(y))));
      const floor = new THREE.Mesh(new THREE.ShapeGeometry(shape), zoneMat);
      floor.rotation.x = -Math.PI / 2;
      floor.position.y = 0.04;
      group.add(floor);
      const ring = z.polygon.map(([x, y]) => new THREE.Vector3(stage.sx(x), 0.1, stage.sz(y)));
      group.add(new THREE.LineLoop(new THREE.BufferGeometry().setFromPoints(ring), edgeMat));
      this.counts.noFly++;
    }
    stage.scene.add(group);
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
      if (!o.visible) continue;
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
      h.mesh.visible = t >= h.begin && t < h.end;
      if (h.mesh.visible) n++;
    }
    this.counts.hazardsVisible = n;
  }
}
