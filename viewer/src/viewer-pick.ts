/**
 * What a click on the map hits, in order: a vehicle, drone or robot exactly under it; else the
 * static entity drawn nearest it (within a few pixels); else a city event drawn near it; else the
 * junction or road under it (map-pick.ts); else nothing.
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import type { VehicleLayer } from './vehicles.js';
import type { EntityLayer, Site } from './entities.js';
import type { PerceptionLayer } from './perception-view.js';
import type { MapHit, MapPicker } from './map-pick.js';

export type Hit = { kind: 'vehicle'; id: number } | { kind: 'site'; site: Site } | { kind: 'incident'; index: number } | { kind: 'map'; hit: MapHit } | { kind: 'none' };

export interface Pickable {
  readonly stage: Stage;
  readonly vehicles: VehicleLayer;
  readonly entities: EntityLayer | null;
  readonly perception: PerceptionLayer | null;
}

export function hitAt(v: Pickable, picker: MapPicker, clientX: number, clientY: number): Hit {
  const r = v.stage.canvas.getBoundingClientRect();
  const ndc = new THREE.Vector2(((clientX - r.left) / r.width) * 2 - 1, -((clientY - r.top) / r.height) * 2 + 1);
  const ray = new THREE.Raycaster();
  ray.setFromCamera(ndc, v.stage.camera);
  const moving = v.vehicles.pick(ray);
  if (moving) return { kind: 'vehicle', id: moving.id };
  const px = clientX - r.left;
  const py = clientY - r.top;
  const toScreen = (x: number, y: number, z: number) => v.stage.toScreen(x, y, z);
  const site = v.entities?.pickNear(px, py, toScreen) ?? null;
  if (site) return { kind: 'site', site };
  const incident = v.perception ? v.perception.pickNear(px, py, toScreen) : -1;
  if (incident >= 0) return { kind: 'incident', index: incident };
  const ground = v.stage.groundAt(px, py);
  const road = ground ? picker.at(ground.x, ground.y, v.stage.metresPerPixel()) : null;
  return road ? { kind: 'map', hit: road } : { kind: 'none' };
}
