/** Signal heads: one small instanced block per controlled connection, coloured by its state. */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import type { SignalHead } from './road-geometry.js';
import type { SignalTimeline } from './signal-timeline.js';

// G green, g green-but-yield (lighter), y yellow, r red
const stateColours = [new THREE.Color(0x1fbf4a), new THREE.Color(0x9be07a), new THREE.Color(0xf5c400), new THREE.Color(0xe0261b)];

export class SignalLayer {
  private readonly mesh: THREE.InstancedMesh;
  private drawnVersion = -1;

  constructor(
    stage: Stage,
    private readonly heads: SignalHead[],
    private readonly timeline: SignalTimeline,
  ) {
    const g = new THREE.BoxGeometry(0.9, 0.5, 0.9);
    g.translate(0, 0.25, 0);
    this.mesh = new THREE.InstancedMesh(g, new THREE.MeshBasicMaterial({ color: 0xffffff }), Math.max(1, heads.length));
    this.mesh.name = 'signals';
    const m = new THREE.Matrix4();
    heads.forEach((h, i) => {
      m.makeRotationY(h.heading);
      m.setPosition(stage.sx(h.x), 0.05, stage.sz(h.y));
      this.mesh.setMatrixAt(i, m);
      this.mesh.setColorAt(i, stateColours[3]);
    });
    this.mesh.count = heads.length;
    stage.scene.add(this.mesh);
  }

  get count(): number {
    return this.heads.length;
  }

  /** Recolours the heads when the timeline's state changed since the last draw. */
  update(): void {
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
