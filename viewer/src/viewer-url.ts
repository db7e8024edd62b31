/** The viewer's state in the URL (url-state.ts): read from the viewer, and brought back on load. */
import type { Site } from './entities.js';
import { decodeLayers, encodeLayers, type LayerId } from './layers.js';
import type { UrlState } from './url-state.js';
import { goToVehicle, type SearchHost } from './viewer-search.js';
import type { Stage } from './scene.js';
import type { LayerState } from './layers.js';
import type { MapHit } from './map-pick.js';
import type { EntityLayer } from './entities.js';

/** What of the Viewer the URL state reads and sets (an interface, so this module does not import viewer.ts). */
export interface UrlHost extends SearchHost {
  readonly stage: Stage;
  readonly layers: LayerState;
  readonly edgeMeasure: string;
  readonly selected: number | null;
  readonly selectedSite: Site | null;
  readonly selectedMap: MapHit | null;
  readonly entities: EntityLayer | null;
  setLayer(id: LayerId, on: boolean): void;
  setCameraMode(mode: 'map' | 'orbit'): void;
  selectSite(site: Site): void;
  selectMap(hit: MapHit): void;
  setEdgeMeasureWhenLoaded(measure: string): void;
}

export function urlStateOf(v: UrlHost): UrlState {
  const s: UrlState = { t: v.player.time, cam: v.stage.view(), layers: encodeLayers(v.layers), roads: v.edgeMeasure };
  if (v.selected !== null) s.sel = { kind: 'vehicle', id: v.selected };
  else if (v.selectedSite) s.sel = { kind: 'site', site: v.selectedSite.kind, id: v.selectedSite.id };
  else if (v.selectedMap) s.sel = { kind: v.selectedMap.kind, id: v.selectedMap.id };
  return s;
}

/** Layers, camera and time now; the selection when it is drawn; the edge measure when edges.csv is read. */
export function restoreUrlState(v: UrlHost, s: UrlState): void {
  if (s.layers !== undefined) {
    const l = decodeLayers(s.layers);
    for (const id of Object.keys(l) as LayerId[]) if (l[id] !== v.layers[id]) v.setLayer(id, l[id]);
  }
  if (s.cam) {
    v.stage.setView(s.cam);
    v.setCameraMode(s.cam.mode);
  }
  if (s.t !== undefined) v.seek(s.t);
  const sel = s.sel;
  const net = v.input.network;
  if (sel?.kind === 'vehicle') goToVehicle(v, sel.id, NaN, NaN, false);
  else if (sel?.kind === 'site') {
    const site = v.entities?.site(sel.site as Site['kind'], sel.id);
    if (site) v.selectSite(site);
  } else if (sel?.kind === 'junction') {
    if (net.nodes.some((n) => n.id === sel.id)) v.selectMap({ kind: 'junction', id: sel.id });
  } else if (sel?.kind === 'edge') {
    const lane = net.lanes.find((l) => l.edge === sel.id);
    if (lane) v.selectMap({ kind: 'edge', id: sel.id, lane: lane.id });
  }
  if (s.roads) v.setEdgeMeasureWhenLoaded(s.roads);
}
