/**
 * The Viewer's side of the page's debug object (debug.ts): the functions tests and benchmarks
 * call to find entities on screen and look at the scene, and the state published after each
 * picture; and showing or hiding a layer's objects as the layer state says (layers.ts). Kept
 * apart from viewer.ts, which runs the loop and the page.
 */
import * as THREE from 'three';
import { debug } from './debug-state.js';
import { ReplaySource } from './frame-source.js';
import type { Stage } from './scene.js';
import type { EntityView } from './interpolate.js';
import type { VehicleLayer } from './vehicles.js';
import type { EntityLayer } from './entities.js';
import type { ViewInput } from './view-input.js';
import type { SignalLayer } from './signals-view.js';
import type { LogisticsLayer } from './logistics-view.js';
import type { PerceptionLayer } from './perception-view.js';
import type { LabelLayer } from './labels.js';
import type { PulseLayer } from './pulses.js';
import type { Player } from './player.js';
import type { LayerId, LayerState } from './layers.js';
import type { WarningHeatLayer } from './warning-heat.js';
import type { DeliveryRatioLayer } from './delivery-ratio.js';

/** What of the Viewer the debug object reads (an interface, so this module does not import viewer.ts). */
export interface DebugHost {
  readonly view: EntityView;
  readonly stage: Stage;
  readonly vehicles: VehicleLayer;
  readonly input: ViewInput;
  readonly entities: EntityLayer | null;
  readonly signals: SignalLayer | null;
  readonly logistics: LogisticsLayer | null;
  readonly perception: PerceptionLayer | null;
  readonly labels: LabelLayer;
  readonly pulses: PulseLayer;
  readonly player: Player;
  readonly layers: LayerState;
  readonly heat: WarningHeatLayer | null;
  readonly pdr: DeliveryRatioLayer | null;
}

export function installDebugHooks(v: DebugHost): void {
  debug.screenOf = (id) => {
    const k = v.view.indexOf(id);
    // the middle of the body: boxes stand on their position, a drone's cross is centred on it
    return k < 0 ? null : v.stage.toScreen(v.view.x[k], v.view.y[k], v.view.z[k] + v.vehicles.centreHeight(v.view.cls[k]));
  };
  debug.positionOf = (id) => {
    const k = v.view.indexOf(id);
    return k < 0 ? null : { x: v.view.x[k], y: v.view.y[k], z: v.view.z[k], cls: v.input.classes[v.view.cls[k]] ?? String(v.view.cls[k]) };
  };
  debug.ids = () => Array.from(v.view.id.subarray(0, v.view.count));
  debug.sites = () => [...(v.entities?.sites.values() ?? [])].map((s) => ({ kind: s.kind, id: s.id, ...v.stage.toScreen(s.x, s.y, s.top) }));
  debug.project = (x, y) => v.stage.toScreen(x, y, 0);
  debug.target = () => ({ x: v.stage.controls.target.x + v.stage.cx, y: v.stage.cy - v.stage.controls.target.z });
  debug.scene = () => {
    let objects = 0;
    let meshes = 0;
    const instanced: { name: string; count: number; capacity: number }[] = [];
    v.stage.scene.traverse((o) => {
      objects++;
      if (o instanceof THREE.InstancedMesh) instanced.push({ name: o.name, count: o.count, capacity: o.instanceMatrix.count });
      else if (o instanceof THREE.Mesh) meshes++;
    });
    return { objects, meshes, instanced };
  };
}

/** The state after a picture of time t, with n frames known. */
export function publishFrameState(v: DebugHost, t: number, n: number, following: boolean): void {
  debug.time = t;
  debug.playing = v.player.playing;
  debug.speed = v.player.speed;
  debug.frames = n;
  debug.vehicles = v.vehicles.total();
  debug.perClass = v.vehicles.counts();
  debug.following = following;
  debug.signals = { heads: v.signals?.count ?? 0, states: v.signals?.stateCounts() ?? [0, 0, 0, 0] };
  debug.entities = v.entities ? { ...v.entities.counts } : {};
  debug.logistics = v.logistics ? JSON.parse(JSON.stringify(v.logistics.debug)) : null;
  debug.perception = v.perception ? JSON.parse(JSON.stringify(v.perception.debug)) : null;
  debug.labels = v.labels.shown.map((l) => `${l.kind}:${l.text}`);
  debug.drawCalls = v.stage.renderer.info.render.calls;
  debug.warnings = { count: v.pulses.count, fired: v.pulses.fired };
  if (v.input.source instanceof ReplaySource) {
    debug.bytesRead = v.input.source.bytesRead;
    debug.rangeRequests = v.input.source.requests;
  }
}

/** Shows or hides the objects of one layer as `v.layers` says. */
export function applyLayer(v: DebugHost, id: LayerId): void {
  const on = v.layers[id];
  const roadClasses = v.input.classes.filter((c) => c !== 'drone' && c !== 'robot');
  if (id === 'traffic') v.vehicles.setVisible(roadClasses, on);
  else if (id === 'drones') v.vehicles.setVisible(['drone'], on);
  else if (id === 'robots') v.vehicles.setVisible(['robot'], on);
  else if (id === 'signals' && v.signals) v.signals.mesh.visible = on;
  else if (id === 'coverage' && v.entities) v.entities.coverage.visible = on;
  else if (id === 'sensors' && v.entities) v.entities.sensors.visible = on;
  else if (id === 'hazards' && v.entities) v.entities.hazardGroup.visible = on;
  else if (id === 'warnings') v.pulses.enabled = on;
  else if (id === 'deliveryRatio' && v.pdr) v.pdr.mesh.visible = on;
  else if (id === 'warningHeat' && v.heat) {
    v.heat.setVisible(on);
    v.heat.update(v.player.time);
  } else if (id === 'labels') {
    v.labels.visible = on;
    v.labels.update(true);
  } else if ((id === 'orders' || id === 'dronePaths') && v.logistics) v.logistics.setVisible(v.layers.orders, v.layers.dronePaths);
  else if (id === 'incidents' && v.perception) v.perception.incidents.visible = on;
  else if (id === 'platformDrones' && v.perception) v.perception.drones.visible = on;
  else if (id === 'cameras' && v.perception) v.perception.cameras.visible = on;
  else if (id === 'blindSpots' && v.perception) v.perception.blindSpots.visible = on;
  else if (id === 'patrolRoutes' && v.perception) v.perception.patrols.visible = on;
  debug.layers = { ...v.layers };
}
