/**
 * Moving entities as one InstancedMesh per class: the render path writes instance matrices and
 * colours (speed, colour-scale.ts) straight into their typed arrays, with no object per vehicle;
 * the class is the shape (vehicle-shapes.ts). Each class keeps the
 * entity id of every instance so that a click (a raycast hit on an instance) names the entity.
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import type { EntityView } from './interpolate.js';
import { classLook, type ClassLook } from './classes.js';
import { speedColour } from './colour-scale.js';
import { vehicleGeometry } from './vehicle-shapes.js';

class ClassLayer {
  mesh: THREE.InstancedMesh;
  ids: Uint32Array;
  used = 0;

  constructor(
    private readonly stage: Stage,
    readonly look: ClassLook,
    private readonly geometry: THREE.BufferGeometry,
    private readonly material: THREE.Material,
    capacity: number,
  ) {
    this.mesh = this.make(capacity);
    this.ids = new Uint32Array(capacity);
  }

  private make(capacity: number): THREE.InstancedMesh {
    const m = new THREE.InstancedMesh(this.geometry, this.material, capacity);
    m.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
    m.instanceColor = new THREE.InstancedBufferAttribute(new Float32Array(capacity * 3), 3);
    m.instanceColor.setUsage(THREE.DynamicDrawUsage);
    m.count = 0;
    m.frustumCulled = false; // instances spread over the whole network
    m.name = this.look.name;
    this.stage.scene.add(m);
    return m;
  }

  /** Makes room for n instances (doubling; the old mesh is replaced). */
  reserve(n: number): void {
    if (n <= this.ids.length) return;
    let c = this.ids.length;
    while (c < n) c *= 2;
    this.stage.scene.remove(this.mesh);
    this.mesh.dispose();
    this.mesh = this.make(c);
    this.ids = new Uint32Array(c);
  }
}

export class VehicleLayer {
  private readonly layers: ClassLayer[] = [];
  private readonly material = new THREE.MeshLambertMaterial({ color: 0xffffff, vertexColors: true });
  private readonly colour = { r: 0, g: 0, b: 0 };
  private perClass: Int32Array;
  /** classes hidden by the layer toggles (by name) */
  private readonly hidden = new Set<string>();
  private lastScale = 1;

  constructor(
    private readonly stage: Stage,
    readonly classNames: readonly string[],
  ) {
    for (const name of classNames) {
      const look = classLook(name);
      this.layers.push(new ClassLayer(stage, look, vehicleGeometry(look), this.material, 256));
    }
    this.perClass = new Int32Array(classNames.length);
  }

  /** the class layer for a code, adding a generic one for codes beyond trace.json's list */
  private layer(cls: number): ClassLayer {
    while (cls >= this.layers.length) {
      const look = classLook(`class-${this.layers.length}`);
      this.layers.push(new ClassLayer(this.stage, look, vehicleGeometry(look), this.material, 64));
    }
    return this.layers[cls];
  }

  /**
   * Writes every entity of `v` into its class's instances, enlarged by `scale` (zoomed far out a
   * 4.5 m car is under a pixel; the viewer draws it bigger so traffic stays visible).
   */
  update(v: EntityView, scale = 1): void {
    this.lastScale = scale;
    for (let k = 0; k < v.count; k++) if (v.cls[k] >= this.layers.length) this.layer(v.cls[k]);
    if (this.perClass.length < this.layers.length) this.perClass = new Int32Array(this.layers.length);
    const perClass = this.perClass;
    perClass.fill(0);
    for (let k = 0; k < v.count; k++) perClass[v.cls[k]]++;
    for (let c = 0; c < this.layers.length; c++) {
      this.layers[c].reserve(perClass[c]);
      this.layers[c].used = 0;
    }
    const cx = this.stage.cx;
    const cy = this.stage.cy;
    const col = this.colour;
    for (let k = 0; k < v.count; k++) {
      const layer = this.layers[v.cls[k]];
      const j = layer.used++;
      layer.ids[j] = v.id[k];
      const m = layer.mesh.instanceMatrix.array as Float32Array;
      const h = v.heading[k];
      const c = Math.cos(h) * scale;
      const s = Math.sin(h) * scale;
      // rotation about the vertical by the heading (ccw from east = ccw seen from above), then the position
      const o = j * 16;
      m[o] = c;
      m[o + 1] = 0;
      m[o + 2] = -s;
      m[o + 3] = 0;
      m[o + 4] = 0;
      m[o + 5] = scale;
      m[o + 6] = 0;
      m[o + 7] = 0;
      m[o + 8] = s;
      m[o + 9] = 0;
      m[o + 10] = c;
      m[o + 11] = 0;
      m[o + 12] = v.x[k] - cx;
      m[o + 13] = v.z[k];
      m[o + 14] = -(v.y[k] - cy);
      m[o + 15] = 1;
      const cArr = layer.mesh.instanceColor!.array as Float32Array;
      speedColour(v.speed[k], col);
      cArr[j * 3] = col.r;
      cArr[j * 3 + 1] = col.g;
      cArr[j * 3 + 2] = col.b;
    }
    for (const layer of this.layers) {
      layer.mesh.visible = !this.hidden.has(layer.look.name);
      layer.mesh.count = layer.used;
      layer.mesh.instanceMatrix.needsUpdate = true;
      layer.mesh.instanceColor!.needsUpdate = true;
    }
  }

  /** Shows or hides the classes named (a layer toggle); applied at once and at every update. */
  setVisible(names: readonly string[], on: boolean): void {
    for (const n of names) on ? this.hidden.delete(n) : this.hidden.add(n);
    for (const l of this.layers) l.mesh.visible = !this.hidden.has(l.look.name);
  }

  /** instances drawn per class name */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const l of this.layers) out[l.look.name] = l.mesh.count;
    return out;
  }

  total(): number {
    let n = 0;
    for (const l of this.layers) n += l.mesh.count;
    return n;
  }

  /** The entity under a ray and how far along the ray it was hit, or null. */
  pick(ray: THREE.Raycaster): { id: number; distance: number } | null {
    const meshes = this.layers.filter((l) => l.mesh.count > 0 && l.mesh.visible).map((l) => l.mesh);
    // instance bounds move every frame: recompute them for this one query
    for (const m of meshes) m.computeBoundingSphere();
    const hit = ray.intersectObjects(meshes, false)[0];
    if (!hit || hit.instanceId === undefined) return null;
    const layer = this.layers.find((l) => l.mesh === hit.object);
    return layer ? { id: layer.ids[hit.instanceId], distance: hit.distance } : null;
  }

  /** Height above its position of the middle of a class's body, m (as drawn, with the last scale). */
  centreHeight(cls: number): number {
    const look = cls < this.layers.length ? this.layers[cls].look : classLook(`class-${cls}`);
    const h = look.shape === 'drone' ? 0 : look.shape === 'generic' ? look.length / 2 : look.height / 2;
    return h * this.lastScale;
  }

  looks(): ClassLook[] {
    return this.layers.map((l) => l.look);
  }
}
