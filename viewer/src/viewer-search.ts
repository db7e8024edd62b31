/**
 * The viewer's vehicle search and the selected road vehicle's path: find by trip or trace id
 * (vehicle-index.ts), go to a time the vehicle is on the road, select it when drawn, draw the
 * path it drives from the trace (vehicle-route.ts).
 */
import type { VehicleEntry } from './vehicle-index.js';
import { vehiclePath } from './vehicle-route.js';
import { ReplaySource } from './frame-source.js';
import { debug } from './debug-state.js';
import type { VehicleIndex } from './vehicle-index.js';
import type { Player } from './player.js';
import type { EntityView } from './interpolate.js';
import type { ViewInput } from './view-input.js';
import type { RouteLayer } from './route-layer.js';
import type { LogisticsLayer } from './logistics-view.js';

/** What of the Viewer the search uses (an interface, so this module does not import viewer.ts). */
export interface SearchHost {
  readonly index: VehicleIndex;
  readonly player: Player;
  readonly view: EntityView;
  readonly input: ViewInput;
  readonly route: RouteLayer;
  readonly logistics: LogisticsLayer | null;
  pendingSelect: number | null;
  centreOnSelect: boolean;
  routeFor: number | null;
  seek(t: number): void;
  redraw(): void;
}

export function searchVehicle(v: SearchHost, query: string): VehicleEntry | null {
  const e = v.index.find(query);
  const msg = document.getElementById('search-result')!;
  if (!e) {
    msg.textContent = query.trim() ? `no vehicle ${query.trim()}` : '';
    debug.search = { query, found: null };
    return null;
  }
  msg.textContent = e.tripId ? `trip ${e.tripId} = vehicle ${e.id}` : `vehicle ${e.id}`;
  debug.search = { query, found: e.id };
  goToVehicle(v, e.id, e.depart, e.arrival, true);
  return e;
}

/** Seeks to a time the vehicle is drawn if it is not now (its departure, or its last moment when gone), and selects it when drawn. */
export function goToVehicle(v: SearchHost, id: number, depart: number, arrival: number, centre: boolean): void {
  const t = v.player.time;
  const onRoad = v.view.indexOf(id) >= 0;
  if (!onRoad && Number.isFinite(depart)) {
    const step = v.input.header.interval;
    const at = Number.isFinite(arrival) && t > arrival ? Math.max(depart, arrival - step) : depart + step;
    v.seek(Math.min(v.player.end, at));
  }
  v.pendingSelect = id;
  v.centreOnSelect = centre;
  v.redraw();
}

/** The selected road vehicle's path from its departure to its arrival, from the trace (vehicle-route.ts), drawn driven and ahead (route-layer.ts). */
export function showRoute(v: SearchHost, id: number | null): void {
  v.routeFor = id;
  v.route.clear();
  debug.vehicleRoute = null;
  if (id === null || !(v.input.source instanceof ReplaySource)) return;
  const k = v.view.indexOf(id);
  const cls = k >= 0 ? v.input.classes[v.view.cls[k]] : undefined;
  // drones and tour vans have their mission's route (logistics-view.ts); robots go off-road
  if (cls === 'drone' || cls === 'robot' || v.logistics?.data.tours.has(id)) return;
  const e = v.index.find(`#${id}`);
  const from = e && Number.isFinite(e.depart) ? e.depart : v.player.start;
  const to = e && Number.isFinite(e.arrival) ? e.arrival : v.player.end;
  const reroutes = (e?.reroutes ?? []).map((r) => r.time);
  void vehiclePath(v.input.source, id, from, to).then((path) => {
    if (v.routeFor !== id) return;
    // cut where the vehicle is at the next picture (route-layer.ts), which publishes debug.vehicleRoute
    v.route.set(id, path, from, to, reroutes);
    v.redraw();
  });
}
