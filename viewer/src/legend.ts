/**
 * The map panel: the complete legend of what the map draws, with a checkbox for each layer
 * (layers.ts) beside its symbols, and the choice of edge measure. Always visible over the map,
 * apart from the charts. Only what the run has is listed. Plain HTML from palette.ts colours;
 * main.ts listens for the checkboxes' changes.
 */
import { classLook } from './classes.js';
import { silhouette } from './vehicle-shapes.js';
import { EDGE_SCALE, SPEED_SCALE, SPEED_SCALE_MAX, css, gradient } from './colour-scale.js';
import { BLIND_SPOT, DRONE_PATH, DRONE_PORT, HAZARD, HAZARD_STRIPE, HUB, INCIDENT, INCIDENT_RIM, NO_FLY, ORDER_FILL, ORDER_OUTLINE, PATROL_ROUTE, PLATFORM_DRONE, RSU, SELECTION, SENSOR_CAMERA, SENSOR_RADAR, SIGNAL, SIGNAL_NAMES, WARNING, DELIVERED_FADE_S } from './palette.js';
import { ENDED_FADE_S, INCIDENT_STAGES } from './perception-data.js';
import type { PerceptionDebug } from './perception-view.js';
import { LAYERS, type LayerId, type LayerState } from './layers.js';
import { COVERAGE_LEVELS } from './rsu-coverage.js';
import { HEAT_SCALE } from './warning-heat.js';
import { PDR_SCALE } from './delivery-ratio.js';

export interface LegendInput {
  classes: readonly string[];
  layers: LayerState;
  /** layers this run has something for */
  present: ReadonlySet<LayerId>;
  entities: Record<string, number> | null;
  /** what the perception layers hold (null: no perception in the run, or not loaded yet) */
  perception: Pick<PerceptionDebug, 'incidents' | 'cameras' | 'blindSpots' | 'patrolRoutes' | 'docks' | 'flights'> | null;
  /** measured coverage radii by level (null: no v2x.csv) */
  coverage: number[] | null;
  /** the warning heat map's top: the most warnings near one cell over the run, and the cell size (null: no warnings) */
  heat: { max: number; cell: number; pool: number } | null;
  /** whether the delivery-ratio rings are built (v2x.csv and RSUs) */
  deliveryRatio: boolean;
  /** edges.csv columns that can colour the roads (empty: no edges.csv) */
  edgeMeasures: readonly string[];
  edgeMeasure: string;
  /** the chosen measure's range over the file */
  edgeRange: [number, number] | null;
}

const ROAD_CLASSES = ['car', 'bus', 'truck', 'van', 'emergency'];
const sw = (colour: number, cls = 'swatch') => `<span class="${cls}" style="background:${css(colour)}"></span>`;
const diamond = (outline: number, fill = ORDER_FILL) =>
  `<svg class="icon" width="14" height="14" viewBox="0 0 14 14"><path d="M7 1.5L12.5 7L7 12.5L1.5 7Z" fill="${css(fill)}" stroke="${css(outline)}" stroke-width="2.2"/></svg>`;
const ring = (colour: number, dashed = false, w = 2) =>
  `<svg class="icon" width="14" height="14" viewBox="0 0 14 14"><circle cx="7" cy="7" r="5" fill="none" stroke="${css(colour)}" stroke-width="${w}"${dashed ? ' stroke-dasharray="3 2"' : ''}/></svg>`;
const rsuIcon = `<svg class="icon" width="14" height="14" viewBox="0 0 14 14"><circle cx="7" cy="7" r="5" fill="none" stroke="${css(RSU)}" stroke-width="2"/><circle cx="7" cy="7" r="2" fill="${css(RSU)}"/></svg>`;
const line = (colour: number, opacity = 1) => `<svg class="icon" width="18" height="14" viewBox="0 0 18 14"><path d="M1 11L17 3" stroke="${css(colour)}" stroke-width="2" stroke-opacity="${opacity}"/></svg>`;
const hexagon = (fill: number) =>
  `<svg class="icon" width="14" height="14" viewBox="0 0 14 14"><path d="M7 1L12.2 4L12.2 10L7 13L1.8 10L1.8 4Z" fill="${css(fill)}" stroke="${css(INCIDENT_RIM)}" stroke-width="1.6"/></svg>`;
const droneMark = `<svg class="icon" width="14" height="14" viewBox="0 0 14 14"><path d="M7 2L11 7L7 12L3 7Z" fill="${css(PLATFORM_DRONE)}"/></svg>`;
const hatch = `<span class="swatch" style="background:repeating-linear-gradient(90deg, ${css(HAZARD)} 0 3px, ${css(HAZARD_STRIPE)} 3px 6px)"></span>`;

function row(id: LayerId | null, s: LayerState, body: string): string {
  const label = id ? LAYERS.find((l) => l.id === id)!.label : '';
  const box = id ? `<label class="layer"><input type="checkbox" data-layer="${id}"${s[id] ? ' checked' : ''}/> ${label}</label>` : '';
  return `<div class="legend-row${id && !s[id] ? ' off' : ''}">${box}<span class="keys">${body}</span></div>`;
}

export function legendHtml(i: LegendInput): string {
  const rows: string[] = [];
  const has = (id: LayerId) => i.present.has(id);
  const c = (v: number) => css(v);
  if (has('traffic')) {
    const shapes = ROAD_CLASSES.filter((n) => i.classes.includes(n)).map((n) => `<span class="cls">${silhouette(classLook(n))}${n}</span>`);
    rows.push(row('traffic', i.layers, `<span class="ramp" style="background:${gradient(SPEED_SCALE)}"></span><span class="ramp-ends"><span>0</span><span>speed, m/s</span><span>${SPEED_SCALE_MAX}+</span></span>${shapes.join(' ')}`));
  }
  if (has('signals')) rows.push(row('signals', i.layers, SIGNAL.map((col, k) => `${sw(col, 'bar')}${SIGNAL_NAMES[k]}`).join(' ')));
  if (has('drones')) rows.push(row('drones', i.layers, `<span class="cls">${silhouette(classLook('drone'))}drone</span>`));
  if (has('robots')) rows.push(row('robots', i.layers, `<span class="cls">${silhouette(classLook('robot'))}robot</span>`));
  if (has('hazards')) rows.push(row('hazards', i.layers, `${hatch}blocked lane, ${i.entities?.hazards ?? 0}`));
  if (has('warnings')) rows.push(row('warnings', i.layers, `${ring(WARNING, false, 2.5)}ring where one was sent`));
  if (has('coverage')) {
    const r = i.coverage;
    const ringText = r
      ? COVERAGE_LEVELS.slice(0, 2)
          .map((lv, k) => `${ring(RSU, k > 0)}${Math.round(lv * 100)} %: ${r[k] > 0 ? `${r[k]} m` : 'none'}`)
          .join(' ')
      : 'not measured (no v2x.csv)';
    rows.push(row('coverage', i.layers, `${rsuIcon}RSU ${i.entities?.rsus ?? 0}, delivered ≥ ${ringText}`));
  }
  if (has('warningHeat') && i.heat)
    rows.push(row('warningHeat', i.layers, `<span class="ramp" style="background:${gradient(HEAT_SCALE)}"></span><span class="ramp-ends"><span>1</span><span>received by now, per ${i.heat.cell} m${i.heat.pool > 1 ? `, hottest per ${i.heat.cell * i.heat.pool} m` : ''}</span><span>${fmt(i.heat.max)}</span></span>`));
  if (has('deliveryRatio') && i.deliveryRatio)
    rows.push(row('deliveryRatio', i.layers, `<span class="ramp" style="background:${gradient(PDR_SCALE)}"></span><span class="ramp-ends"><span>0 %</span><span>RSU messages delivered by distance (v2x.csv, all RSUs pooled)</span><span>100 %</span></span>`));
  if (has('sensors')) rows.push(row('sensors', i.layers, `${sw(SENSOR_CAMERA)}camera ${sw(SENSOR_RADAR)}radar`));
  if (has('orders'))
    rows.push(row('orders', i.layers, `orders: ${diamond(ORDER_OUTLINE[1])}waiting ${diamond(ORDER_OUTLINE[2])}assigned ${diamond(ORDER_OUTLINE[3], 0xeeeeee)}delivered (fades, ${DELIVERED_FADE_S} s) ${diamond(ORDER_OUTLINE[4])}rejected`));
  if (has('dronePaths')) rows.push(row('dronePaths', i.layers, `${line(DRONE_PATH)}drones in the air`));
  const p = i.perception;
  if (has('incidents') && p) rows.push(row('incidents', i.layers, `${p.incidents}: ${INCIDENT_STAGES.map((name, k) => `${hexagon(INCIDENT[k])}${name}`).join(' ')} (the last two fade, ${ENDED_FADE_S} s)`));
  if (has('platformDrones') && p) rows.push(row('platformDrones', i.layers, `${droneMark}in the air, ${ring(PLATFORM_DRONE)}what it sees below, ${line(PLATFORM_DRONE, 0.5)}the rest of its flight; ${p.docks} docks, ${p.flights} flights`));
  if (has('cameras') && p) rows.push(row('cameras', i.layers, `${sw(SENSOR_CAMERA)}ground in view of a camera, ${p.cameras}`));
  if (has('blindSpots') && p) rows.push(row('blindSpots', i.layers, `${sw(BLIND_SPOT)}seen by no camera (coverage.json), ${p.blindSpots} areas`));
  if (has('patrolRoutes') && p) rows.push(row('patrolRoutes', i.layers, `${line(PATROL_ROUTE)}a dock's patrol over the blind spots, ${p.patrolRoutes}`));
  if (has('labels')) rows.push(row('labels', i.layers, ''));
  const e = i.entities;
  const sites = [
    e?.hubs ? `${sw(HUB)}hubs ${e.hubs}` : '',
    e?.dronePorts ? `<span class="swatch round" style="background:${c(DRONE_PORT)}"></span>drone ports ${e.dronePorts}` : '',
    e?.noFly ? `<span class="swatch" style="border:1.5px dashed ${c(NO_FLY)}"></span>no-fly zones ${e.noFly}` : '',
    e?.rsus && !has('coverage') ? `${rsuIcon}RSU ${e.rsus}` : '',
    `${ring(SELECTION)}selected, its route ${line(SELECTION, 0.45)}driven ${line(SELECTION)}ahead`,
  ].filter(Boolean);
  rows.push(row(null, i.layers, sites.join(' ')));
  if (i.edgeMeasures.length > 0) {
    const opts = ['none', ...i.edgeMeasures].map((m) => `<option value="${m}"${m === i.edgeMeasure ? ' selected' : ''}>${m}</option>`).join('');
    const range = i.edgeRange && i.edgeMeasure !== 'none' ? `<span class="ramp" style="background:${gradient(EDGE_SCALE)}"></span><span class="ramp-ends"><span>${fmt(i.edgeRange[0])}</span><span>edges.csv ${i.edgeMeasure}, now</span><span>${fmt(i.edgeRange[1])}</span></span>` : '';
    rows.push(`<div class="legend-row"><label class="layer">roads by <select id="edge-measure">${opts}</select></label><span class="keys">${range}</span></div>`);
  }
  return rows.join('');
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));
