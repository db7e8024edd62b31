/**
 * A LineSegments whose position buffer grows by doubling and is rewritten in place: `setPolylines`
 * writes a list of polylines as segments. The buffer always holds whole vertices (a multiple of
 * 3 floats, in fact of 6: whole segments); a length that is not would give the attribute a
 * fractional count and three.js would read past the end (NaN bounding spheres).
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';

export class LineBuffer {
  readonly obj: THREE.LineSegments;
  private buf = new Float32Array(0);

  constructor(name: string, colour: number, opacity: number, private readonly stage: Stage, renderOrder?: number) {
    const mat = new THREE.LineBasicMaterial({ color: colour, transparent: opacity < 1, opacity, depthTest: opacity < 1 });
    this.obj = new THREE.LineSegments(new THREE.BufferGeometry(), mat);
    this.obj.name = name;
    this.obj.frustumCulled = false;
    this.obj.renderOrder = renderOrder ?? (opacity < 1 ? 5 : 9);
    this.setPolylines([]);
    stage.scene.add(this.obj);
  }

  /** Each polyline is [x, y, z, x, y, z, …] in simulation coordinates. Returns the segments written. */
  setPolylines(lines: number[][]): number {
    let segs = 0;
    for (const l of lines) segs += Math.max(0, Math.floor(l.length / 3) - 1);
    if (segs * 6 > this.buf.length || this.buf.length === 0) {
      this.buf = new Float32Array(bufferFloats(segs));
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
    this.buf.fill(0, o);
    const attr = this.obj.geometry.getAttribute('position') as THREE.BufferAttribute;
    attr.needsUpdate = true;
    this.obj.geometry.boundingSphere = null; // recomputed from the new points when needed
    this.obj.geometry.setDrawRange(0, segs * 2);
    this.obj.visible = segs > 0;
    return segs;
  }
}

/** Floats of a buffer for `segs` segments: a power of two of segments (at least 16), 6 floats each. */
export function bufferFloats(segs: number): number {
  return 6 * Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(1, segs))));
}
