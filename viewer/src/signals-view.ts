/**
 * Signal heads: one small bar per controlled connection just past its stop line, across its
 * side of the lane (left, straight, right side by side), in the signal colours of palette.ts,
 * which nothing else uses. Zoomed out the bars get longer along the lane, not wider, so each
 * lane end stays a readable band of its movements' colours.
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import type { SignalHead } from './road-geometry.js';
import type { SignalTimeline } from './signal-timeline.js';
import { SIGNAL } from './palette.js';

const stateColours = SIGNAL.map((c) => new THREE.Color(c));

export class SignalLayer {
  readonly mesh: THREE.InstancedMesh;
  private drawnVersion = -1;
  private drawnScale = NaN;

  constructor(
    private readonly stage: Stage,
    private readonly heads: SignalHead[],
    private readonly timeline: SignalTimeline,
    /** width of one bar across the lane, m */
    private readonly width = 0.85,
  ) {
    // 0.6 m along the lane, starting at the head's position, a little above the markings
    const g = new THREE.BoxGeometry(0.6, 0.12, 1);
    g.translate(0.3, 0.1, 0);
    // drawn over everything else on the ground: a car at the stop line never hides its signal
    this.mesh = new THREE.InstancedMesh(g, new THREE.MeshBasicMaterial({ color: 0xffffff, depthTest: false }), Math.max(1, heads.length));
    this.mesh.renderOrder = 8;
    this.mesh.name = 'signals';
    this.mesh.frustumCulled = false;
    heads.forEach((_, i) => this.mesh.setColorAt(i, stateColours[3]));
    this.mesh.count = heads.length;
    this.place(1);
    stage.scene.add(this.mesh);
  }

  private place(scale: number): void {
    const m = new THREE.Matrix4();
    const s = new THREE.Matrix4();
    const along = Math.min(scale, 8);
    this.heads.forEach((h, i) => {
      m.makeRotationY(h.heading);
      m.multiply(s.makeScale(along, 1, this.width));
      m.setPosition(this.stage.sx(h.x), 0.05, this.stage.sz(h.y));
      this.mesh.setMatrixAt(i, m);
    });
    this.mesh.instanceMatrix.needsUpdate = true;
    this.mesh.boundingSphere = null;
    this.drawnScale = scale;
  }

  get count(): number {
    return this.heads.length;
  }

  /** Recolours the heads when the timeline's state changed since the last draw; lengthens them with the zoom. */
  update(scale = 1): void {
    if (scale !== this.drawnScale) this.place(scale);
    if (this.timeline.version === this.drawnVersion) return;
    this.drawnVersion = this.timeline.version;
    const st = this.timeline.state;
    this.heads.forEach((h, i) => this.mesh.setColorAt(i, stateColours[st[h.slot]] ?? stateColours[3]));
    if (this.mesh.instanceColor) this.mesh.instanceColor.needsUpdate = true;
  }

  /** how many heads show each state now (G, g, y, r) */
  stateCounts(): number[] {
    const n = [0, 0, 0, 0];
    for (const h of this.heads) n[this.timeline.state[h.slot]]++;
    return n;
  }
}
