/**
 * The selected city event: its panel (details.ts renderIncident), drawn again whenever the time
 * shown changes, and the selection marker on it.
 */
import type * as THREE from 'three';
import { renderIncident } from './details.js';
import { debug } from './debug-state.js';
import type { PerceptionLayer } from './perception-view.js';
import type { Stage } from './scene.js';

export class IncidentSelection {
  /** index into the layer's data.incidents, or -1 */
  index = -1;
  private shownAt = NaN;

  select(layer: PerceptionLayer, k: number, panel: HTMLElement, t: number, marker: THREE.Object3D, stage: Stage): void {
    const e = layer.data.incidents[k];
    this.index = k;
    debug.selectedIncident = e.id;
    panel.hidden = false;
    this.show(layer, panel, t);
    marker.position.set(stage.sx(e.x), 1.3, stage.sz(e.y));
    marker.visible = true;
  }

  clear(): void {
    this.index = -1;
    debug.selectedIncident = null;
  }

  /** Redraws the panel when the time shown moved. */
  follow(layer: PerceptionLayer, panel: HTMLElement, t: number): void {
    if (this.index >= 0 && t !== this.shownAt) this.show(layer, panel, t);
  }

  private show(layer: PerceptionLayer, panel: HTMLElement, t: number): void {
    this.shownAt = t;
    renderIncident(panel, layer.data.incidents[this.index], t);
  }
}
