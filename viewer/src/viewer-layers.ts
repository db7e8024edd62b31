/**
 * Which of the map's layers (layers.ts) a run has something for: only those are listed in the
 * map panel (legend.ts), each with its checkbox.
 */
import type { LayerId } from './layers.js';
import type { EntityLayer } from './entities.js';
import type { SignalLayer } from './signals-view.js';
import type { PulseLayer } from './pulses.js';
import type { WarningHeatLayer } from './warning-heat.js';
import type { DeliveryRatioLayer } from './delivery-ratio.js';
import type { LogisticsLayer } from './logistics-view.js';
import type { PerceptionLayer } from './perception-view.js';

/** What of the Viewer this looks at (an interface, so this module does not import viewer.ts). */
export interface LayerSources {
  readonly input: { readonly classes: readonly string[] };
  readonly entities: EntityLayer | null;
  readonly signals: SignalLayer | null;
  readonly pulses: PulseLayer;
  readonly heat: WarningHeatLayer | null;
  readonly pdr: DeliveryRatioLayer | null;
  readonly logistics: LogisticsLayer | null;
  readonly perception: PerceptionLayer | null;
}

export function presentLayers(v: LayerSources): Set<LayerId> {
  const p = new Set<LayerId>(['traffic', 'labels']);
  const c = v.entities?.counts;
  if (v.signals) p.add('signals');
  if (v.input.classes.includes('drone')) p.add('drones');
  if (v.input.classes.includes('robot')) p.add('robots');
  if (c?.hazards) p.add('hazards');
  if (c?.rsus) p.add('coverage');
  if (c?.sensors) p.add('sensors');
  if (v.pulses.count > 0 || c?.rsus) p.add('warnings');
  if (v.heat) p.add('warningHeat');
  if (v.pdr) p.add('deliveryRatio');
  if (v.logistics) p.add('orders');
  if (v.logistics?.data.missions.size) p.add('dronePaths');
  const q = v.perception?.data;
  if (q?.incidents.length) p.add('incidents');
  if (q && (q.flights.length > 0 || q.docks.length > 0)) p.add('platformDrones');
  if (q?.cameras.length) p.add('cameras');
  if (q?.blindSpots.length) p.add('blindSpots');
  if (q?.patrolRoutes.length) p.add('patrolRoutes');
  return p;
}
