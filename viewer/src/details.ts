/**
 * The details panel of a selected entity: what the trace says now (class, speed, position,
 * flags) and what the run's files say about its trip (trips.csv when it finished, its departure
 * from events.ndjson).
 */
import { TF_BRAKING, TF_EQUIPPED, TF_STOPPED } from '../../engine/io/trace/format.js';
import type { EntityView } from './interpolate.js';
import type { CsvTable } from './csv.js';
import type { Site } from './entities.js';
import { INC_HIDDEN, INCIDENT_STAGES, incidentStage, type Incident } from './perception-data.js';
import { ORDER_DELIVERED, ORDER_STATUS_NAMES, ROBOT_ID_BASE, type LogisticsData } from './logistics-data.js';

export interface Departure {
  time: number;
  lane: string;
  type: string;
}

export class TripInfo {
  private readonly trips = new Map<number, Record<string, string>>();
  readonly departures = new Map<number, Departure>();

  addTrips(t: CsvTable): void {
    const idCol = t.header.indexOf('id');
    if (idCol < 0) return;
    for (const row of t.rows) {
      const rec: Record<string, string> = {};
      t.header.forEach((h, c) => (rec[h] = row[c]));
      this.trips.set(Number(row[idCol]), rec);
    }
  }

  /** Departure events of events.ndjson (where and when each vehicle entered). */
  addDepartures(ndjson: string): void {
    for (const line of ndjson.split('\n')) {
      if (!line.includes('"depart"')) continue;
      try {
        const e = JSON.parse(line) as { kind?: string; id?: number; time?: number; lane?: string; type?: string };
        if (e.kind === 'depart' && typeof e.id === 'number') this.departures.set(e.id, { time: e.time ?? NaN, lane: e.lane ?? '', type: e.type ?? '' });
      } catch {
        // skip a damaged line
      }
    }
  }

  trip(id: number): Record<string, string> | undefined {
    return this.trips.get(id);
  }
}

const row = (k: string, v: string) => `<tr><th>${k}</th><td>${v}</td></tr>`;
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (s: string | undefined, digits = 1) => (s === undefined || s === '' ? '–' : Number(s).toFixed(digits));

/** `logistics`: the run's orders, missions and tours (null: none, or not loaded yet); t: the time shown. */
export function renderDetails(el: HTMLElement, id: number, view: EntityView, classes: readonly string[], info: TripInfo, logistics: LogisticsData | null = null, t = view.time): void {
  const k = view.indexOf(id);
  const trip = info.trip(id);
  const dep = info.departures.get(id);
  const rows: string[] = [];
  if (k >= 0) {
    const cls = classes[view.cls[k]] ?? `class ${view.cls[k]}`;
    const v = view.speed[k];
    const f = view.flags[k];
    const flags = [f & TF_STOPPED ? 'stopped' : '', f & TF_BRAKING ? 'braking' : '', f & TF_EQUIPPED ? 'V2X-equipped' : ''].filter(Boolean).join(', ') || 'moving';
    rows.push(row('class', esc(cls)), row('speed', `${v.toFixed(1)} m/s (${(v * 3.6).toFixed(0)} km/h)`), row('state', flags));
    rows.push(row('position', `${view.x[k].toFixed(1)}, ${view.y[k].toFixed(1)} m`));
    if (view.z[k] > 0) rows.push(row('altitude', `${view.z[k].toFixed(1)} m`));
    rows.push(row('heading', `${((view.heading[k] * 180) / Math.PI).toFixed(0)}° ccw from east`));
  } else rows.push(row('state', 'not on the network at this time'));
  if (dep) rows.push(row('type', esc(dep.type)), row('departed', `${dep.time.toFixed(1)} s on ${esc(dep.lane)}`));
  if (trip) {
    rows.push(
      row('arrived', `${num(trip.arrival)} s`),
      row('route length', `${num(trip.routeLength, 0)} m`),
      row('travel time', `${num(trip.travelTime)} s`),
      row('waiting time', `${num(trip.waitingTime)} s`),
      row('stops', trip.stops ?? '–'),
    );
  } else if (!logistics?.missions.has(id) && !(id >= ROBOT_ID_BASE && id < ROBOT_ID_BASE + 0x10000000)) rows.push(row('trip', 'not finished in this run'));
  const extra = logistics ? logisticsDetails(logistics, id, t) : '';
  el.innerHTML = `<h3>entity <span id="details-id">${id}</span><button id="details-close" title="close (Esc)">×</button></h3><table>${rows.join('')}</table>${extra}`;
}

/** An order's status at t, with its delivery time once delivered. */
function orderStatus(d: LogisticsData, order: number, t: number): string {
  const r = d.rowOf(order);
  if (r < 0) return '–';
  const st = d.statusAt(r, t);
  return st === ORDER_DELIVERED ? `delivered at ${d.delivered[r].toFixed(0)} s` : ORDER_STATUS_NAMES[st];
}

/** At most this many orders listed for a drone or robot (the most recent). */
const LIST_MAX = 12;

/**
 * What the logistics files say of a drone (its mission at t: port, order, altitude, path; the
 * orders it carried), a van tour's vehicle (its stops in visiting order with each order's status)
 * or a robot (the orders it was given). Empty for anything else.
 */
export function logisticsDetails(d: LogisticsData, id: number, t: number): string {
  const mission = d.missionAt(id, t);
  if (mission) {
    let len = 0;
    for (let i = 1; i < mission.path.length; i++) len += Math.hypot(mission.path[i][0] - mission.path[i - 1][0], mission.path[i][1] - mission.path[i - 1][1]);
    const rows = [
      row('drone', esc(mission.drone)),
      row('port', esc(mission.port)),
      row('mission', `order ${mission.order} (${orderStatus(d, mission.order, t)}), launched at ${mission.time.toFixed(0)} s`),
      row('route', `<span id="route-points">${mission.path.length}</span> waypoints, ${len.toFixed(0)} m each way at <span id="route-altitude">${mission.altitude}</span> m`),
    ];
    return `<table>${rows.join('')}</table>${orderList(d, mission.drone, t)}`;
  }
  const tour = d.tours.get(id);
  if (tour && tour.time <= t) {
    const stops = tour.stops
      .map((s, i) => `<tr data-order="${s.order}"><td>${i + 1}</td><td>${s.order}</td><td>${esc(s.edge)}</td><td>${orderStatus(d, s.order, t)}</td></tr>`)
      .join('');
    const head = `<table>${row('van', esc(tour.van))}${row('hub', esc(tour.hub))}${row('tour', `left at ${tour.time.toFixed(0)} s, ${tour.stops.length} stops, ${tour.route.length} edges`)}</table>`;
    return `${head}<h4>stops</h4><table id="tour-stops"><tr><th>#</th><th>order</th><th>edge</th><th>status</th></tr>${stops}</table>`;
  }
  if (id >= ROBOT_ID_BASE && id < ROBOT_ID_BASE + 0x10000000) {
    const name = `robot-${id - ROBOT_ID_BASE}`;
    return `<table>${row('robot', name)}</table>${orderList(d, name, t)}`;
  }
  return '';
}

function orderList(d: LogisticsData, vehicle: string, t: number): string {
  const given = d.assignedTo(vehicle, t);
  if (given.length === 0) return '';
  const shown = given.slice(-LIST_MAX).reverse();
  const items = shown.map((a) => `<tr data-order="${a.order}"><td>${a.order}</td><td>${a.time.toFixed(0)} s</td><td>${orderStatus(d, a.order, t)}</td></tr>`).join('');
  const more = given.length > shown.length ? `<p>and ${given.length - shown.length} earlier</p>` : '';
  return `<h4>orders (${given.length})</h4><table id="vehicle-orders"><tr><th>order</th><th>given</th><th>status</th></tr>${items}</table>${more}`;
}

/**
 * A city event's panel (events.csv): what it is, the stage of its loop at t, and the loop's times
 * from its occurrence (discovery by each source, confirmation, dispatch, arrival, clearance); the
 * steps still ahead at t are greyed.
 */
export function renderIncident(el: HTMLElement, e: Incident, t: number): void {
  const since = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} s (+${(v - e.occurred).toFixed(0)} s)` : '–');
  const step = (name: string, v: number) => `<tr${Number.isFinite(v) && v <= t ? ' class="done"' : ''}><th>${name}</th><td>${since(v)}</td></tr>`;
  const sources = Object.entries(e.bySource)
    .filter(([, v]) => Number.isFinite(v))
    .map(([s, v]) => `${esc(s)} ${(v - e.occurred).toFixed(0)} s`)
    .join(', ');
  const stage = incidentStage(e, t);
  const head = [row('kind', esc(e.kind)), row('real', e.real ? 'yes' : 'no: a report of nothing there'), row('now', stage === INC_HIDDEN ? 'not yet happened' : INCIDENT_STAGES[stage]), row('outcome', esc(e.outcome))];
  if (e.edge) head.push(row('edge', esc(e.edge)));
  head.push(row('place', `${e.x.toFixed(0)}, ${e.y.toFixed(0)} m`));
  if (Number.isFinite(e.vehicleHoursLost) && e.vehicleHoursLost > 0) head.push(row('vehicle-hours lost', e.vehicleHoursLost.toFixed(2)));
  // the unit's vehicle: a click selects it (viewer.ts, the panel's click handler)
  if (Number.isFinite(e.unitVehicle)) head.push(row('response unit', `<a href="#" class="go-vehicle" data-vehicle="${e.unitVehicle}">vehicle ${e.unitVehicle}</a>`));
  const loop = [
    step('occurred', e.occurred),
    step(`detected${e.source ? ` (${esc(e.source)})` : ''}`, e.detected),
    step('confirmed', e.confirmed),
    ...(Number.isFinite(e.dismissed) ? [step('dismissed', e.dismissed)] : []),
    step('unit dispatched', e.dispatched),
    step('unit on scene', e.arrived),
    step('cleared', e.cleared),
  ];
  el.innerHTML =
    `<h3>city event <span id="details-id">${esc(e.id)}</span><button id="details-close" title="close (Esc)">×</button></h3><table>${head.join('')}</table>` +
    `<h4>the loop</h4><table id="incident-loop" class="grid">${loop.join('')}</table>` +
    (sources ? `<p>seen by: ${sources}</p>` : '');
}

const siteNames: Record<Site['kind'], string> = { rsu: 'roadside unit', hazard: 'hazard', hub: 'logistics hub', dronePort: 'drone port' };

/** What entities.json says of a static entity, one row per field (lists joined, records as JSON). */
export function renderSiteDetails(el: HTMLElement, site: Site): void {
  const rows = [row('type', siteNames[site.kind])];
  for (const [k, v] of Object.entries(site.record)) {
    if (k === 'id') continue;
    let text: string;
    if (k === 'x' || k === 'y' || typeof v !== 'object' || v === null) text = esc(String(v));
    else if (k === 'sensors' && Array.isArray(v))
      text = (v as { kind: string; range: number; fov: number }[]).map((s) => esc(`${s.kind} ${s.range} m, ${s.fov}°`)).join('<br>');
    else if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) text = esc(v.join(', '));
    else text = esc(JSON.stringify(v));
    rows.push(row(esc(k), text));
  }
  el.innerHTML = `<h3>${siteNames[site.kind]} <span id="details-id">${esc(site.id)}</span><button id="details-close" title="close (Esc)">×</button></h3><table>${rows.join('')}</table>`;
}

/**
 * A vehicle's reroutes (stuck at a lane end, it turned onto another edge and took a new route):
 * the ones up to t made the route drawn ahead; the route ahead ends at the next one, past which
 * its plan at t is not recorded (route-layer.ts).
 */
export function rerouteHtml(reroutes: readonly { time: number; lane: string; via: string }[], t: number): string {
  const rows = reroutes.map((r) => `<tr${r.time <= t ? ' class="done"' : ''}><td>${r.time}</td><td>${esc(r.lane)}</td><td>${esc(r.via)}</td></tr>`).join('');
  return `<h4>rerouted ${reroutes.filter((r) => r.time <= t).length} of ${reroutes.length} times by now</h4><table id="vehicle-reroutes" class="grid"><tr><th>time</th><th>stuck on</th><th>via</th></tr>${rows}</table>`;
}
