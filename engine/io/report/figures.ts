/**
 * The report's tables of figures from manifest.json and metrics.json: how the run was made, the
 * traffic figures, and the V2X, logistics and perception blocks when the run has them. Each row
 * is a label, a value and its unit; a figure the file lacks is left out, one it holds in an
 * unexpected form is shown as it is (escaped).
 */
import { esc, fmt } from './escape.js';
import type { Json } from './read-run.js';

export function lookup(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Json)[k];
  }
  return v;
}

type Row = [label: string, value: string, unit?: string];

/** A value as text: numbers with `digits` decimals, null as '–', lists joined, objects as JSON. */
export function show(v: unknown, digits = 0): string {
  if (v === null) return '–';
  if (typeof v === 'number') return fmt(v, digits);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => show(x, digits)).join(' ');
  return JSON.stringify(v);
}

function rowsTable(rows: Row[], cls = 'figures'): string {
  const body = rows.map(([l, v, u]) => `<tr><th scope="row">${esc(l)}</th><td class="num">${esc(v)}</td><td class="unit">${esc(u ?? '')}</td></tr>`).join('');
  return `<table class="${cls}"><tbody>${body}</tbody></table>`;
}

/** Rows for the metrics paths that are present: [label, path, unit, digits]. */
function present(m: Json, list: [string, string, string, number][]): Row[] {
  return list.filter(([, p]) => lookup(m, p) !== undefined).map(([label, p, unit, digits]) => [label, show(lookup(m, p), digits), unit]);
}

export function runTable(manifest: Json, metrics: Json): string {
  const complete = manifest.complete === true;
  const rows: Row[] = [];
  const add = (label: string, v: unknown, unit = '', digits = 0) => {
    if (v !== undefined) rows.push([label, show(v, digits), unit]);
  };
  add('scenario', manifest.name);
  add('scenario file', manifest.scenarioFile);
  // the manifest's command: { argv, line } (the line is the shell-quoted form), or older text
  const command = manifest.command as { line?: unknown } | string | undefined;
  add('command', command && typeof command === 'object' && typeof command.line === 'string' ? command.line : command);
  if (Array.isArray(manifest.overrides)) rows.push(['overrides', manifest.overrides.length === 0 ? 'none' : manifest.overrides.map((o) => (o && typeof o === 'object' && 'path' in o ? `${String((o as { path: unknown }).path)}=${show((o as { value: unknown }).value)}` : show(o))).join('; '), '']);
  else add('overrides', manifest.overrides);
  add('seed', manifest.seed);
  add('step', manifest.step, 's', 3);
  add('duration', manifest.duration, 's', 1);
  add('simulated time reached', manifest.simTime ?? metrics.simTime, 's', 1);
  add('ticks', manifest.ticks);
  if (manifest.workers !== undefined) rows.push(['worker threads used / requested', `${show(manifest.workers)} / ${show(manifest.workersRequested ?? '–')}`, '']);
  add('engine version', manifest.engineVersion);
  rows.push(['complete', complete ? 'yes' : `no${manifest.reason !== undefined ? `: ${show(manifest.reason)}` : ''}`, '']);
  add('state hash (SHA-256)', manifest.stateHash);
  add('scenario hash (SHA-256)', manifest.scenarioHash);
  add('started', manifest.startedAt);
  add('finished', manifest.finishedAt);
  add('wall time of the tick loop', metrics.wallSeconds, 's', 2);
  add('real-time factor', metrics.realTimeFactor, '×', 1);
  return rowsTable(rows, 'figures run');
}

export function trafficTable(m: Json): string {
  const rows = present(m, [
    ['vehicles inserted', 'vehicles.inserted', 'veh', 0],
    ['vehicles arrived', 'vehicles.arrived', 'veh', 0],
    ['vehicles on the road at the end', 'vehicles.active', 'veh', 0],
    ['departures still waiting at the end', 'vehicles.waiting', 'veh', 0],
    ['vehicles removed (gridlock)', 'vehicles.removed', 'veh', 0],
    ['departures refused', 'vehicles.refused', 'veh', 0],
    ['mean travel time', 'traffic.meanTravelTime', 's', 1],
    ['mean waiting time', 'traffic.meanWaitingTime', 's', 1],
    ['stops', 'traffic.stops', '', 0],
    ['mean speed', 'traffic.meanSpeed', 'm/s', 2],
    ['total distance', 'traffic.totalDistance', 'm', 0],
    ['collisions', 'traffic.collisions', '', 0],
    ['smallest gap to a leader', 'traffic.minGap', 'm', 2],
    ['emergency brakings', 'traffic.emergencyBrakes', 'vehicle-ticks', 0],
    ['red-light violations', 'traffic.redLightViolations', '', 0],
    ['unroutable trips', 'traffic.unroutableTrips', '', 0],
    ['fuel', 'traffic.fuelL', 'L', 1],
    ['CO₂', 'traffic.co2Kg', 'kg', 1],
  ]);
  const speed = lookup(m, 'traffic.meanSpeed');
  if (typeof speed === 'number') rows.splice(rows.findIndex((r) => r[0] === 'mean speed') + 1, 0, ['mean speed', fmt(speed * 3.6, 1), 'km/h']);
  return rowsTable(rows);
}

const keyed = (o: unknown, unit: string, digits = 0): Row[] =>
  o && typeof o === 'object' ? Object.entries(o as Json).map(([k, v]) => [k, show(v, digits), unit] as Row) : [];

export function v2xSection(m: Json): string {
  const v = m.v2x as Json;
  const rows = present(m, [
    ['roadside units', 'v2x.rsus', '', 0],
    ['equipped share of vehicles', 'v2x.equippedShare', '0–1', 3],
    ['packets received', 'v2x.received', '', 0],
    ['packet delivery ratio', 'v2x.packetDeliveryRatio', '0–1', 3],
    ['mean latency', 'v2x.meanLatencyMs', 'ms', 1],
    ['vehicles advised by GLOSA', 'v2x.glosaAdvised', 'veh', 0],
    ['channel model', 'v2x.channel', '', 0],
  ]);
  const sent = keyed(v.sent, 'packets').map(([k, val, u]): Row => [`sent: ${k}`, val, u]);
  const warned = keyed(v.warnings, 'warnings').map(([k, val, u]): Row => [`warnings: ${k}`, val, u]);
  return rowsTable([...rows, ...sent, ...warned]);
}

export function logisticsSection(m: Json): string {
  const lg = m.logistics as Json;
  const rows = present(m, [
    ['orders', 'logistics.orders', '', 0],
    ['delivered', 'logistics.delivered', '', 0],
    ['rejected', 'logistics.rejected', '', 0],
    ['open at the end', 'logistics.open', '', 0],
    ['on-time share of delivered', 'logistics.onTimeShare', '0–1', 3],
    ['mean delivery time', 'logistics.meanDeliveryTime', 's', 0],
    ['95th-percentile delivery time', 'logistics.p95DeliveryTime', 's', 0],
    ['robot waiting at crossings', 'logistics.robotWaitingAtCrossings', 's', 1],
  ]);
  rows.push(...keyed(lg.rejectedByReason, 'orders').map(([k, v, u]): Row => [`rejected: ${k}`, v, u]));
  let modes = '';
  if (lg.byMode && typeof lg.byMode === 'object') {
    const cols: [string, string, number][] = [
      ['orders', 'orders', 0],
      ['delivered', 'delivered', 0],
      ['km', 'distance (km)', 2],
      ['energyKWh', 'energy (kWh)', 3],
      ['fleet', 'fleet', 0],
      ['utilisation', 'utilisation (0–1)', 3],
    ];
    const head = `<tr><th>mode</th>${cols.map(([, h]) => `<th>${esc(h)}</th>`).join('')}</tr>`;
    const body = Object.entries(lg.byMode as Json)
      .map(([mode, o]) => `<tr><th scope="row">${esc(mode)}</th>${cols.map(([k, , d]) => `<td class="num">${esc(show(lookup(o, k) ?? null, d))}</td>`).join('')}</tr>`)
      .join('');
    modes = `<table class="places"><thead>${head}</thead><tbody>${body}</tbody></table>`;
  }
  return rowsTable(rows) + modes;
}

const p50p95 = (o: unknown): string => {
  const c = lookup(o, 'count');
  return c === undefined ? show(o ?? null) : `${show(lookup(o, 'p50') ?? null, 0)} / ${show(lookup(o, 'p95') ?? null, 0)} (${show(c)} events)`;
};

export function perceptionSection(m: Json): string {
  const p = m.perception as Json;
  const rows = present(m, [
    ['city events', 'perception.events', '', 0],
    ['handled', 'perception.handled', '', 0],
    ['dismissed', 'perception.dismissed', '', 0],
    ['open at the end', 'perception.open', '', 0],
    ['detected', 'perception.detected', '', 0],
    ['real events confirmed within 300 s', 'perception.confirmedWithin300s', '0–1', 3],
    ['drone fleet', 'perception.drones.fleet', 'drones', 0],
    ['drone flight', 'perception.drones.flightHours', 'h', 2],
    ['vehicle-hours lost to events', 'perception.vehicleHoursLost', 'veh·h', 2],
  ]);
  for (const [k, label] of [
    ['detection', 'time to detection, p50 / p95'],
    ['confirmation', 'time to confirmation, p50 / p95'],
    ['response', 'dispatch to arrival, p50 / p95'],
    ['clearance', 'occurrence to clearance, p50 / p95'],
  ] as const)
    if (p[k] !== undefined) rows.push([label, p50p95(p[k]), 's']);
  for (const [src, o] of Object.entries((p.bySource ?? {}) as Json)) rows.push([`first detections by ${src}`, `${show(lookup(o, 'first') ?? null)} (share ${show(lookup(o, 'share') ?? null, 3)})`, '']);
  for (const [kind, o] of Object.entries((p.byKind ?? {}) as Json))
    rows.push([`events: ${kind}`, `${show(lookup(o, 'events') ?? null)} (handled ${show(lookup(o, 'handled') ?? null)}, dismissed ${show(lookup(o, 'dismissed') ?? null)}, open ${show(lookup(o, 'open') ?? null)})`, '']);
  return rowsTable(rows);
}
