/**
 * SUMO vehicles, trips and flows → roadtwin demand entries.
 *
 * - `<vehicle>` with a route (named or inline) → a trip whose `via` lists the route's inner
 *   edges, so roadtwin drives exactly SUMO's route;
 * - `<trip from to [via]>` → a trip (roadtwin finds the fastest route, as SUMO does on insertion);
 * - `<flow>` → a flow with evenly spaced departures: vehsPerHour → rate, period → period,
 *   begin/end/number → period; `probability` (random departures, p per second) and
 *   `period="exp(λ)"` become the same mean rate, evenly spaced, with a warning.
 * SUMO's departSpeed defaults to 0; it is written out so that roadtwin, whose default is `max`,
 * starts vehicles as SUMO does. Vehicles whose route the imported network does not connect are
 * skipped with a warning rather than failing the whole import.
 */
import type { XmlElement } from './xml.js';
import { splitList, type SumoDemand } from './routes.js';
import { SUMO_DEFAULT_TYPE_ID, typeName } from './convert-types.js';
import type { Warnings } from './warnings.js';

type DepartSpeed = number | 'max';
interface StopOut {
  edge: string;
  pos: number;
  duration: number;
}
export interface TripOut {
  id: string;
  type: string;
  depart: number;
  from: string;
  to: string;
  via?: string[];
  departSpeed: DepartSpeed;
  stops?: StopOut[];
}
export interface FlowOut {
  id: string;
  type: string;
  route?: string[];
  from?: string;
  to?: string;
  rate?: number;
  period?: number;
  begin: number;
  end: number;
  departSpeed: DepartSpeed;
  stops?: StopOut[];
}

export interface RouteCheck {
  /** the edge exists in the imported network */
  hasEdge(id: string): boolean;
  /** consecutive edges are joined by an imported connection */
  connected(a: string, b: string): boolean;
  /** roadtwin's router finds a way from → via… → to (full edge list), or null */
  route(edges: string[]): string[] | null;
}

export interface ConvertedDemand {
  trips: TripOut[];
  flows: FlowOut[];
  /** type ids used by the demand (SUMO's default type when a vehicle names none) */
  typesUsed: Set<string>;
  /** latest departure or flow end, s (0 when there is none) */
  lastTime: number;
}

/** Attributes that change nothing a roadtwin run reports. */
const COSMETIC = new Set(['id', 'color', 'line', 'personNumber', 'containerNumber', 'reroute', 'departEdge', 'arrivalEdge', 'insertionChecks', 'fromXY', 'toXY']);
const HANDLED = new Set(['type', 'depart', 'route', 'from', 'to', 'via', 'departSpeed', 'departLane', 'departPos', 'begin', 'end', 'vehsPerHour', 'period', 'probability', 'number', 'edges']);

export function convertDemand(d: SumoDemand, check: RouteCheck, typeIds: Set<string>, warnings: Warnings): ConvertedDemand {
  const out: ConvertedDemand = { trips: [], flows: [], typesUsed: new Set(), lastTime: 0 };
  for (const el of d.vehicles) {
    const id = el.attrs.id ?? `${el.name}${out.trips.length + out.flows.length}`;
    const skip = (why: string, key = why) => warnings.add(`${el.name}s ${why}; skipped`, id, `${el.name}:${key}`);
    for (const k of Object.keys(el.attrs))
      if (!HANDLED.has(k) && !COSMETIC.has(k)) warnings.add(`${el.name} attribute '${k}' is not supported; ignored`, id, `${el.name}attr:${k}`);
    const sumoType = el.attrs.type ?? SUMO_DEFAULT_TYPE_ID;
    if (!typeIds.has(sumoType) && sumoType !== SUMO_DEFAULT_TYPE_ID) {
      skip(`with an unknown vType`, 'type');
      continue;
    }
    const type = typeName(sumoType);
    const departSpeed = convertDepartSpeed(el, id, warnings);
    departLaneAndPos(el, id, warnings);

    // ---- the path: a route (named, inline) or from/to/via
    let edges: string[] | null = null;
    let from: string | undefined;
    let to: string | undefined;
    let via: string[] = [];
    const inline = el.children.find((c) => c.name === 'route');
    if (el.attrs.route !== undefined) {
      edges = d.routes.get(el.attrs.route) ?? null;
      if (!edges) {
        skip('naming an unknown route', 'route');
        continue;
      }
    } else if (inline) edges = splitList(inline.attrs.edges);
    else if (el.attrs.from !== undefined && el.attrs.to !== undefined) {
      from = el.attrs.from;
      to = el.attrs.to;
      via = splitList(el.attrs.via);
    } else {
      skip('without a route or from/to edges (TAZ and junction origins are not supported)', 'noroute');
      continue;
    }
    if (edges) {
      if (edges.length === 0 || !edges.every((e) => check.hasEdge(e))) {
        skip('with a route over edges the imported network does not have', 'edges');
        continue;
      }
      if (!edges.every((e, k) => k === 0 || check.connected(edges![k - 1], e))) {
        skip('whose route the imported connections do not join', 'conn');
        continue;
      }
    } else {
      if (![from!, ...via, to!].every((e) => check.hasEdge(e))) {
        skip('from, to or via an edge the imported network does not have', 'edges');
        continue;
      }
      if (!check.route([from!, ...via, to!])) {
        skip('with no route in the imported network', 'noway');
        continue;
      }
    }
    const stops = convertStops(el, id, warnings);

    if (el.name === 'flow') {
      const f = flowTiming(el, id, warnings);
      if (!f) {
        skip('without vehsPerHour, period, probability or number', 'rate');
        continue;
      }
      let route = edges ?? undefined;
      if (!route && via.length > 0) route = check.route([from!, ...via, to!])!; // flows take a route or from/to, not via
      out.flows.push({
        id,
        type,
        ...(route ? { route } : { from: from!, to: to! }),
        ...f,
        departSpeed,
        ...(stops.length > 0 ? { stops } : {}),
      });
      out.typesUsed.add(sumoType);
      out.lastTime = Math.max(out.lastTime, f.end < 86_400 ? f.end : f.begin);
      continue;
    }
    const depart = Number(el.attrs.depart);
    if (el.attrs.depart === undefined || !Number.isFinite(depart) || depart < 0) {
      skip(`with a depart time other than seconds (e.g. triggered)`, 'depart');
      continue;
    }
    const trip: TripOut = edges
      ? { id, type, depart, from: edges[0], to: edges[edges.length - 1], ...(edges.length > 2 ? { via: edges.slice(1, -1) } : {}), departSpeed }
      : { id, type, depart, from: from!, to: to!, ...(via.length > 0 ? { via } : {}), departSpeed };
    if (stops.length > 0) trip.stops = stops;
    out.trips.push(trip);
    out.typesUsed.add(sumoType);
    out.lastTime = Math.max(out.lastTime, depart);
  }
  return out;
}

function convertDepartSpeed(el: XmlElement, id: string, warnings: Warnings): DepartSpeed {
  const v = el.attrs.departSpeed;
  if (v === undefined) return 0; // SUMO's default
  if (v === 'max') return 'max';
  const x = Number(v);
  if (Number.isFinite(x) && x >= 0) return x;
  warnings.add(`departSpeed '${v}' is not supported; 'max' (the highest safe speed) is used`, id, `ds:${v}`);
  return 'max';
}

function departLaneAndPos(el: XmlElement, id: string, warnings: Warnings): void {
  const lane = el.attrs.departLane;
  if (lane !== undefined && lane !== 'first' && lane !== '0')
    warnings.add(`departLane '${lane}' is not supported: roadtwin enters on the lane that leads on along the route at the highest speed`, id, `dl:${lane}`);
  const pos = el.attrs.departPos;
  if (pos !== undefined && pos !== 'base' && pos !== '0')
    warnings.add(`departPos '${pos}' is not supported: vehicles enter at the start of the edge`, id, `dp:${pos}`);
}

function flowTiming(el: XmlElement, id: string, warnings: Warnings): { rate?: number; period?: number; begin: number; end: number } | null {
  const begin = Number(el.attrs.begin ?? 0);
  const number = el.attrs.number !== undefined ? Number(el.attrs.number) : undefined;
  let end = el.attrs.end !== undefined ? Number(el.attrs.end) : undefined;
  let period: number | undefined;
  if (el.attrs.vehsPerHour !== undefined) period = 3600 / Number(el.attrs.vehsPerHour);
  else if (el.attrs.period !== undefined) {
    const exp = /^exp\(\s*([-\d.eE+]+)\s*\)$/.exec(el.attrs.period.trim());
    if (exp) {
      period = 1 / Number(exp[1]);
      warnings.add('random (exponential) flow periods become evenly spaced departures at the same mean rate', id);
    } else period = Number(el.attrs.period);
  } else if (el.attrs.probability !== undefined) {
    const p = Number(el.attrs.probability);
    period = p > 0 ? 1 / p : undefined;
    warnings.add('random (probability) flows become evenly spaced departures at the same mean rate', id);
  } else if (number !== undefined && end !== undefined && number > 0) period = (end - begin) / number;
  if (period === undefined || !Number.isFinite(period) || period <= 0 || !Number.isFinite(begin)) return null;
  if (number !== undefined && Number.isFinite(number)) {
    // number caps the count: the flow ends after that many departures
    const byNumber = begin + number * period;
    end = end === undefined ? byNumber : Math.min(end, byNumber);
  }
  if (end === undefined || !Number.isFinite(end)) {
    warnings.add('flows without an end run to the end of the simulation', id);
    end = 86_400;
  }
  const timing = el.attrs.vehsPerHour !== undefined ? { rate: Number(el.attrs.vehsPerHour) } : { period: Math.round(period * 1e6) / 1e6 };
  return { ...timing, begin, end: Math.max(begin, end) };
}

function convertStops(el: XmlElement, id: string, warnings: Warnings): StopOut[] {
  const stops: StopOut[] = [];
  for (const c of el.children) {
    if (c.name === 'route' || c.name === 'param') continue;
    if (c.name !== 'stop') {
      warnings.add(`vehicle child <${c.name}> is not supported; skipped`, id, `vchild:${c.name}`);
      continue;
    }
    const lane = c.attrs.lane;
    const duration = Number(c.attrs.duration);
    if (!lane || !Number.isFinite(duration)) {
      warnings.add('stops other than on a lane with a duration (bus stops, parking areas, until, triggered) are not supported; skipped', id);
      continue;
    }
    const edge = lane.replace(/_\d+$/, '');
    const pos = Number(c.attrs.endPos ?? c.attrs.startPos ?? 0);
    stops.push({ edge, pos: Math.max(0, pos), duration });
  }
  return stops;
}
