/**
 * V2X warnings (events of type v2x.warning*) as expanding rings where they happened, shown when
 * playback passes their time. Rings come from a fixed pool: no allocation while playing.
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import { WARNING } from './palette.js';

export interface WarningEvent {
  time: number;
  x: number;
  y: number;
  type: string;
  vehicle?: number;
}

/** Picks the warnings with a place out of events.ndjson lines, sorted by time. */
export function parseWarnings(ndjson: string): WarningEvent[] {
  const out: WarningEvent[] = [];
  for (const line of ndjson.split('\n')) {
    if (!line.includes('v2x.warning')) continue; // cheap filter before parsing
    try {
      const e = JSON.parse(line) as Record<string, unknown>;
      // the event's name is in `type` (as the V2X part writes it) or `kind` (as engine events do)
      const type = typeof e.type === 'string' ? e.type : typeof e.kind === 'string' ? e.kind : '';
      if (type.startsWith('v2x.warning') && typeof e.time === 'number' && typeof e.x === 'number' && typeof e.y === 'number')
        out.push({ time: e.time, x: e.x, y: e.y, type, ...(typeof e.vehicle === 'number' ? { vehicle: e.vehicle } : {}) });
    } catch {
      // a damaged line is skipped; the rest of the run still shows
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

const LIFE_MS = 1200;

export class PulseLayer {
  private readonly pool: { mesh: THREE.Mesh; born: number }[] = [];
  private next = 0;
  /** pulses started so far (for the debug object) */
  fired = 0;
  /** the warnings layer: when off, passing a warning starts no ring */
  enabled = true;

  constructor(
    private readonly stage: Stage,
    private readonly warnings: WarningEvent[],
    size = 48,
  ) {
    const g = new THREE.RingGeometry(0.8, 1, 32);
    g.rotateX(-Math.PI / 2);
    for (let i = 0; i < size; i++) {
      const mesh = new THREE.Mesh(g, new THREE.MeshBasicMaterial({ color: WARNING, transparent: true, depthWrite: false }));
      mesh.visible = false;
      stage.scene.add(mesh);
      this.pool.push({ mesh, born: -Infinity });
    }
  }

  get count(): number {
    return this.warnings.length;
  }

  /** Adds a warning that arrived live. */
  push(w: WarningEvent): void {
    this.warnings.push(w);
  }

  /** Fires the warnings with from < time <= to (playback moved forward over them). */
  passed(from: number, to: number, now: number): void {
    if (to <= from || this.warnings.length === 0 || !this.enabled) return;
    // binary search the first warning after `from`
    let lo = 0;
    let hi = this.warnings.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.warnings[mid].time <= from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.warnings.length && this.warnings[i].time <= to; i++) {
      const p = this.pool[this.next];
      this.next = (this.next + 1) % this.pool.length;
      p.born = now;
      p.mesh.position.set(this.stage.sx(this.warnings[i].x), 0.3, this.stage.sz(this.warnings[i].y));
      p.mesh.visible = true;
      this.fired++;
    }
  }

  /** whether a ring is still growing (the picture changes without new data) */
  get animating(): boolean {
    return this.pool.some((p) => p.mesh.visible);
  }

  /** Grows and fades the live rings. */
  animate(now: number): void {
    for (const p of this.pool) {
      if (!p.mesh.visible) continue;
      const age = (now - p.born) / LIFE_MS;
      if (age >= 1) {
        p.mesh.visible = false;
        continue;
      }
      const r = 3 + age * 25;
      p.mesh.scale.set(r, 1, r);
      (p.mesh.material as THREE.MeshBasicMaterial).opacity = 1 - age;
    }
  }
}
