/**
 * Static and scheduled non-vehicle entities from the optional entities.json: roadside units with
 * their coverage disc and sensor cones, hazards (shown during their time window), logistics hubs
 * and drone ports. There are few of them, so plain meshes are fine here.
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';

export interface EntitiesJson {
  rsus?: { id: string; x: number; y: number; range: number; sensors?: { kind: 'camera' | 'radar'; range: number; fov: number; heading: number }[] }[];
  hazards?: { id: string; kind: string; x: number; y: number; begin: number; end: number }[];
  hubs?: { id: string; x: number; y: number }[];
  dronePorts?: { id: string; x: number; y: number; drones?: number }[];
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
  return ent;
}

const deg = Math.PI / 180;

export class EntityLayer {
  private readonly hazards: { mesh: THREE.Object3D; begin: number; end: number }[] = [];
  readonly counts = { rsus: 0, sensors: 0, hazards: 0, hubs: 0, dronePorts: 0, hazardsVisible: 0 };

  constructor(stage: Stage, ent: EntitiesJson) {
    const group = new THREE.Group();
    group.name = 'entities';
    const at = (o: THREE.Object3D, x: number, y: number, h = 0) => {
      o.position.set(stage.sx(x), h, stage.sz(y));
      group.add(o);
      return o;
    };
    const mast = new THREE.CylinderGeometry(0.25, 0.3, 7, 8);
    mast.translate(0, 3.5, 0);
    const rsuMat = new THREE.MeshLambertMaterial({ color: 0x2060d0 });
    const discMat = new THREE.MeshBasicMaterial({ color: 0x3a7bff, transparent: true, opacity: 0.12, depthWrite: false, side: THREE.DoubleSide });
    const camMat = new THREE.MeshBasicMaterial({ color: 0x00b3b3, transparent: true, opacity: 0.25, depthWrite: false, side: THREE.DoubleSide });
    const radarMat = new THREE.MeshBasicMaterial({ color: 0xb36bff, transparent: true, opacity: 0.25, depthWrite: false, side: THREE.DoubleSide });
    for (const r of ent.rsus ?? []) {
      const m = at(new THREE.Mesh(mast, rsuMat), r.x, r.y);
      m.userData = { kind: 'rsu', id: r.id };
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
      m.userData = { kind: 'hazard', id: h.id, hazard: h.kind };
      m.visible = false;
      this.hazards.push({ mesh: m, begin: h.begin, end: h.end });
      this.counts.hazards++;
    }
    const hubGeom = new THREE.BoxGeometry(20, 8, 14);
    hubGeom.translate(0, 4, 0);
    const hubMat = new THREE.MeshLambertMaterial({ color: 0x7a7f87 });
    for (const h of ent.hubs ?? []) {
      at(new THREE.Mesh(hubGeom, hubMat), h.x, h.y).userData = { kind: 'hub', id: h.id };
      this.counts.hubs++;
    }
    const padGeom = new THREE.CylinderGeometry(4, 4, 0.6, 24);
    padGeom.translate(0, 0.3, 0);
    const padMat = new THREE.MeshLambertMaterial({ color: 0xd45ad6 });
    const poleGeom = new THREE.CylinderGeometry(0.15, 0.15, 12, 6);
    poleGeom.translate(0, 6, 0);
    for (const p of ent.dronePorts ?? []) {
      at(new THREE.Mesh(padGeom, padMat), p.x, p.y).userData = { kind: 'dronePort', id: p.id };
      at(new THREE.Mesh(poleGeom, padMat), p.x, p.y);
      this.counts.dronePorts++;
    }
    stage.scene.add(group);
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
