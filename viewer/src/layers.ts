/**
 * The map's layers a user can switch on and off, their defaults, and their state as a short
 * string for the URL. Traffic, signals, the small overlays (drones, robots, hazards, warnings,
 * city events and the perception platform's drones) and labels start on; the heavy overlays that
 * cover the map (RSU coverage, the heat map of warnings received, sensor fields, thousands of
 * orders, every drone's path, camera views, blind spots, patrol routes) start off.
 */

export const LAYERS = [
  { id: 'traffic', label: 'traffic', on: true },
  { id: 'signals', label: 'signals', on: true },
  { id: 'drones', label: 'drones', on: true },
  { id: 'robots', label: 'robots', on: true },
  { id: 'hazards', label: 'hazards', on: true },
  { id: 'warnings', label: 'V2X warnings', on: true },
  { id: 'incidents', label: 'city events', on: true },
  { id: 'platformDrones', label: 'drones on call and patrol', on: true },
  { id: 'labels', label: 'labels', on: true },
  { id: 'coverage', label: 'RSU coverage', on: false },
  { id: 'warningHeat', label: 'warnings received', on: false },
  { id: 'deliveryRatio', label: 'delivery ratio', on: false },
  { id: 'sensors', label: 'sensors, cameras', on: false },
  { id: 'orders', label: 'orders', on: false },
  { id: 'dronePaths', label: 'drone paths', on: false },
  { id: 'cameras', label: 'camera views', on: false },
  { id: 'blindSpots', label: 'blind spots', on: false },
  { id: 'patrolRoutes', label: 'patrol routes', on: false },
] as const;

export type LayerId = (typeof LAYERS)[number]['id'];

export type LayerState = Record<LayerId, boolean>;

export const defaultLayers = (): LayerState => Object.fromEntries(LAYERS.map((l) => [l.id, l.on])) as LayerState;

export const isLayer = (id: string): id is LayerId => LAYERS.some((l) => l.id === id);

/** The layers that differ from their default, as `+orders,-labels` (empty when all are default). */
export function encodeLayers(s: LayerState): string {
  return LAYERS.filter((l) => s[l.id] !== l.on)
    .map((l) => `${s[l.id] ? '+' : '-'}${l.id}`)
    .join(',');
}

/** The inverse of encodeLayers; unknown names and malformed items are ignored (an old or hand-edited URL). */
export function decodeLayers(text: string): LayerState {
  const s = defaultLayers();
  for (const item of text.split(',')) {
    const m = /^([+-])(\w+)$/.exec(item.trim());
    if (m && isLayer(m[2])) s[m[2]] = m[1] === '+';
  }
  return s;
}
