/**
 * The delivery ratio of the RSUs' messages by distance, from v2x.csv (rsu-coverage.ts pools the
 * RSU message types per 25 m bin over the whole run): around every RSU an annulus per bin that
 * had a receiver, coloured from pale (nothing delivered) to deep cyan (all delivered), the RSUs'
 * colour family (palette.ts). v2x.csv pools all RSUs, so every RSU gets the same rings: the layer
 * shows how far the measured ratio carries around each of them, not a per-RSU measurement. One
 * mesh with a colour per vertex: one draw call.
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import type { CoverageBin } from './rsu-coverage.js';
import { sample, type Scale } from './colour-scale.js';

/** 0 % delivered (pale) to 100 % (deep cyan) */
export const PDR_SCALE: Scale = [0xe0f7fa, 0x80deea, 0x26c6da, 0x00acc1, 0x00838f, 0x005662];
const SEGMENTS = 48;

/** The bins drawn: those with any (packet, receiver) pair decided. */
export const drawnBins = (bins: readonly CoverageBin[]): CoverageBin[] => bins.filter((b) => b.sent > 0);

export class DeliveryRatioLayer {
  readonly mesh: THREE.Mesh;
  /** annuli drawn (RSUs × bins with a receiver) */
  readonly rings: number;

  constructor(stage: Stage, rsus: readonly { x: number; y: number }[], bins: readonly CoverageBin[]) {
    const shown = drawnBins(bins);
    const pos: number[] = [];
    const col: number[] = [];
    const c = { r: 0, g: 0, b: 0 };
    const lin = new THREE.Color();
    for (const r of rsus)
      for (const b of shown) {
        sample(PDR_SCALE, b.received / b.sent, c);
        lin.setRGB(c.r, c.g, c.b, THREE.SRGBColorSpace); // the scale is sRGB; vertex colours are linear
        for (let k = 0; k < SEGMENTS; k++) {
          const a0 = (k / SEGMENTS) * Math.PI * 2;
          const a1 = ((k + 1) / SEGMENTS) * Math.PI * 2;
          const p = (rad: number, a: number) => [stage.sx(r.x + Math.cos(a) * rad), 0.04, stage.sz(r.y + Math.sin(a) * rad)];
          const quad = [p(b.from, a0), p(b.to, a0), p(b.to, a1), p(b.from, a0), p(b.to, a1), p(b.from, a1)];
          for (const v of quad) {
            pos.push(...v);
            col.push(lin.r, lin.g, lin.b);
          }
        }
      }
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.Float32BufferAttribute(pos, 3));
    const colours = new THREE.Float32BufferAttribute(col, 3);
    g.setAttribute('color', colours);
    const m = new THREE.MeshBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.55, depthWrite: false, side: THREE.DoubleSide, forceSinglePass: true });
    this.mesh = new THREE.Mesh(g, m);
    this.mesh.name = 'delivery ratio';
    this.mesh.renderOrder = 1;
    this.mesh.visible = false;
    this.rings = rsus.length * shown.length;
    stage.scene.add(this.mesh);
  }
}
