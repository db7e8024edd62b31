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
 * starts vehicles as SUMO does. departLane, departPos and arrivalPos keep SUMO's values (lane
 * indices renumbered over the kept lanes). SUMO vehicle ids are kept. Times are moved so that
 * the config's begin is scenario time 0; vehicles SUMO would not load (departing before begin,
 * or after the last step) are skipped and counted. Vehicles whose route the imported network
 * does not connect are skipped with a warning rather than failing the whole import.
 */
import type { XmlElement } from './xml.js';
import { splitList, type SumoDemand } from './routes.js';
import { convertStops, type Place, type PlaceContext, type StopOut } from './convert-stops.js';
import type { TypeTable } from './type-table.js';
import type { Warnings } from './warnings.js';

type DepartSpeed = number | 'max';
type DepartLane = 'best' | 'first' | 'free' | 'random' | 'allowed' | number;
type DepartPos = 'base' | 'random' | 'free' | number;
type ArrivalPos = 'max' | 'random' | number;
interface Placement {
  departLane?: DepartLane;
  departPos?: DepartPos;
  arrivalPos?: ArrivalPos;
}
export interface TripOut extends Placement {
  id: string;
  type: string;
  depart: number;
  from: string;
  to: string;
  via?: string[];
  departSpeed: DepartSpeed;
  stops?: StopOut[];
}
export interface FlowOut extends Placement {
  id: string;
  type: string;
  route?: string[];
  from?: string;
  to?: string;
  rate?: number;
  period?: number;
  probability?: number;
  headways?: 'exponential';
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

/** The SUMO time window of the run: what SUMO loads, and the shift to scenario time. */
export interface TimeWindow {
  /** SUMO time of scenario time 0, s */
  begin: number;
  /** SUMO loads no vehicle departing at or after this time (end + one step), s */
  loadUntil?: number;
}

export interface DemandContext {
  check: RouteCheck;
  types: TypeTable;
  busStops: ReadonlyMap<string, Place>;
  places: PlaceContext;
  window: TimeWindow;
}

export interface ConvertedDemand {
  trips: TripOut[];
  flows: FlowOut[];
  /** SUMO type ids used by the demand (SUMO's default type when a vehicle names none) */
  typesUsed: Set<string>;
  /** latest departure or flow end, scenario s (0 when there is none) */
  lastTime: number;
}

/** Attributes that change nothing a roadtwin run reports. */
const COSMETIC = new Set(['id', 'color', 'line', 'personNumber', 'containerNumber', 'reroute', 'departEdge', 'arrivalEdge', 'insertionChecks', 'fromXY', 'toXY']);
const HANDLED = new Set(['type', 'depart', 'route', 'from', 'to', 'via', 'departSpeed', 'departLane', 'departPos', 'arrivalPos', 'begin', 'end', 'vehsPerHour', 'period', 'probability', 'number', 'edges']);

export function convertDemand(d: SumoDemand, ctx: DemandContext, warnings: Warnings): ConvertedDemand {
  const { check, window } = ctx;
  const out: ConvertedDemand = { trips: [], flows: [], typesUsed: new Set(), lastTime: 0 };
  for (const el of d.vehicles) {
    const id = el.attrs.id ?? `${el.name}${out.trips.length + out.flows.length}`;
    const skip = (why: string, key = why) => warnings.add(`${el.name}s ${why}; skipped`, id, `${el.name}:${key}`);

    // ---- SUMO's loading window first: a vehicle SUMO never loads is not a problem of its own
    if (el.name !== 'flow') {
      const depart = Number(el.attrs.depart);
      if (el.attrs.depart === undefined || !Number.isFinite(depart) || depart < 0) {
        skip(`with a depart time other than seconds (e.g. triggered)`, 'depart');
        continue;
      }
      if (depart < window.begin) {
        warnings.add(`vehicles departing before the config's begin (${window.begin} s) are skipped, as SUMO does`, id, 'before-begin');
        continue;
      }
      if (window.loadUntil !== undefined && depart >= window.loadUntil) {
        warnings.add(`vehicles departing after the config's end are not loaded, as in SUMO (it loads up to ${window.loadUntil} s)`, id, 'after-end');
        continue;
      }
    }
    for (const k of Object.keys(el.attrs))
      if (!HANDLED.has(k) && !COSMETIC.has(k)) warnings.add(`${el.name} attribute '${k}' is not supported; ignored`, id, `${el.name}attr:${k}`);
    const type = ctx.types.resolve(el.attrs.type);
    if ('skip' in type) {
      skip(type.skip, `type:${type.skip}`);
      continue;
    }
    const departSpeed = convertDepartSpeed(el, id, warnings);

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
    let path: string[];
    if (edges) {
      if (edges.length === 0 || !edges.every((e) => check.hasEdge(e))) {
        skip('with a route over edges the imported network does not have', 'edges');
        continue;
      }
      if (!edges.every((e, k) => k === 0 || check.connected(edges![k - 1], e))) {
        skip('whose route the imported connections do not join', 'conn');
        continue;
      }
      path = edges;
    } else {
      if (![from!, ...via, to!].every((e) => check.hasEdge(e))) {
        skip('from, to or via an edge the imported network does not have', 'edges');
        continue;
      }
      const found = check.route([from!, ...via, to!]);
      if (!found) {
        skip('with no route in the imported network', 'noway');
        continue;
      }
      path = found;
    }
    const placement = convertPlacement(el, id, path, ctx, warnings);
    const stops = convertStops(el, id, ctx.busStops, ctx.places, warnings).filter((st) => {
      if (path.includes(st.edge)) return true;
      warnings.add('stops on an edge that is not on the vehicle\'s route are skipped', `${id}@${st.edge}`);
      return false;
    });
    const extras = { ...placement, ...(stops.length > 0 ? { stops } : {}) };

    if (el.name === 'flow') {
      const f = flowTiming(el, id, window.begin, warnings);
      if (f === 'before') {
        warnings.add(`flows ending before the config's begin (${window.begin} s) are skipped, as SUMO does`, id, 'flow-before-begin');
        continue;
      }
      if (!f) {
        skip('without vehsPerHour, period, probability or number', 'rate');
        continue;
      }
      if (window.loadUntil !== undefined && f.begin + window.begin >= window.loadUntil) {
        warnings.add(`flows beginning after the config's end are not loaded, as in SUMO`, id, 'flow-after-end');
        continue;
      }
      let route = edges ?? undefined;
      if (!route && via.length > 0) route = path; // flows take a route or from/to, not via
      out.flows.push({ id, type: type.name, ...(route ? { route } : { from: from!, to: to! }), ...f, departSpeed, ...extras });
      out.typesUsed.add(el.attrs.type ?? type.name);
      out.lastTime = Math.max(out.lastTime, f.end < 86_400 ? f.end : f.begin);
      continue;
    }
    const depart = round6(Number(el.attrs.depart) - window.begin);
    const trip: TripOut = edges
      ? { id, type: type.name, depart, from: edges[0], to: edges[edges.length - 1], ...(edges.length > 2 ? { via: edges.slice(1, -1) } : {}), departSpeed, ...extras }
      : { id, type: type.name, depart, from: from!, to: to!, ...(via.length > 0 ? { via } : {}), departSpeed, ...extras };
    out.trips.push(trip);
    out.typesUsed.add(el.attrs.type ?? type.name);
    out.lastTime = Math.max(out.lastTime, depart);
  }
  return out;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function convertDepartSpeed(el: XmlElement, id: string, warnings: Warnings): DepartSpeed {
  const v = el.attrs.departSpeed;
  if (v === undefined) return 0; // SUMO's default
  if (v === 'max') return 'max';
  const x = Number(v);
  if (Number.isFinite(x) && x >= 0) return x;
  warnings.add(`departSpeed '${v}' is not supported; 'max' (the highest safe speed) is used`, id, `ds:${v}`);
  return 'max';
}

const LANE_WORDS = new Set(['best', 'first', 'free', 'random', 'allowed']);
const DEPART_POS_WORDS = new Set(['base', 'random', 'free']);
const ARRIVAL_POS_WORDS = new Set(['max', 'random']);

/**
 * departLane, departPos, arrivalPos: SUMO's words as they are, numbers as numbers. A lane index
 * is SUMO's and is renumbered over the kept lanes of the first edge; a negative position
 * (from the lane's end) becomes one from the start, measured on SUMO's lane (convert-stops.ts).
 */
function convertPlacement(el: XmlElement, id: string, path: string[], ctx: DemandContext, warnings: Warnings): Placement {
  const out: Placement = {};
  const first = path[0];
  const last = path[path.length - 1];
  const unknown = (attr: string, v: string) =>
    warnings.add(`${attr} '${v}' is not supported; roadtwin's default is used`, id, `${attr}:${v}`);
  const lane = el.attrs.departLane;
  if (lane !== undefined) {
    if (LANE_WORDS.has(lane)) out.departLane = lane as DepartLane;
    else if (/^\d+$/.test(lane)) {
      const ref = ctx.places.lanes.get(`${first}_${lane}`);
      if (ref && ref.index >= 0) out.departLane = ref.index;
      else {
        warnings.add(`departLane on a lane that was left out or does not exist: 'best' is used`, id);
        out.departLane = 'best';
      }
    } else unknown('departLane', lane);
  }
  const pos = el.attrs.departPos;
  if (pos !== undefined) {
    if (DEPART_POS_WORDS.has(pos)) out.departPos = pos as DepartPos;
    else if (Number.isFinite(Number(pos)) && pos.trim() !== '') out.departPos = fromStart(Number(pos), first, ctx);
    else unknown('departPos', pos);
  }
  const arrival = el.attrs.arrivalPos;
  if (arrival !== undefined) {
    if (ARRIVAL_POS_WORDS.has(arrival)) out.arrivalPos = arrival as ArrivalPos;
    else if (Number.isFinite(Number(arrival)) && arrival.trim() !== '') out.arrivalPos = fromStart(Number(arrival), last, ctx);
    else unknown('arrivalPos', arrival);
  }
  return out;
}

/** A SUMO position on an edge's lanes → metres from the start of the roadtwin edge. */
function fromStart(pos: number, edge: string, ctx: DemandContext): number {
  const max = ctx.places.edgeLength.get(edge) ?? pos;
  if (pos >= 0) return Math.min(pos, max);
  const len = ctx.places.laneLength.get(edge) ?? max;
  return Math.max(0, Math.round((len + pos) * 1000) / 1000);
}

/** A flow's timing in scenario time ('before': it ends before the window begins). */
function flowTiming(
  el: XmlElement,
  id: string,
  windowBegin: number,
  warnings: Warnings,
): { rate?: number; period?: number; probability?: number; headways?: 'exponential'; begin: number; end: number } | null | 'before' {
  const begin = Number(el.attrs.begin ?? 0);
  const number = el.attrs.number !== undefined ? Number(el.attrs.number) : undefined;
  let end = el.attrs.end !== undefined ? Number(el.attrs.end) : undefined;
  let period: number | undefined;
  // SUMO's random flows: period="exp(λ)" (Poisson arrivals) and probability (a chance each second)
  let exponential = false;
  let probability: number | undefined;
  if (el.attrs.vehsPerHour !== undefined) period = 3600 / Number(el.attrs.vehsPerHour);
  else if (el.attrs.period !== undefined) {
    const exp = /^exp\(\s*([-\d.eE+]+)\s*\)$/.exec(el.attrs.period.trim());
    if (exp) {
      period = 1 / Number(exp[1]);
      exponential = true;
    } else period = Number(el.attrs.period);
  } else if (el.attrs.probability !== undefined) {
    const p = Number(el.attrs.probability);
    period = p > 0 ? 1 / p : undefined;
    if (p > 0 && p <= 1) probability = p;
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
  const timing =
    probability !== undefined
      ? { probability }
      : el.attrs.vehsPerHour !== undefined
        ? { rate: Number(el.attrs.vehsPerHour) }
        : { period: Math.round(period * 1e6) / 1e6, ...(exponential ? { headways: 'exponential' as const } : {}) };
  // SUMO drops a flow's departures before begin; the rest keep their times
  if (windowBegin > 0 && end <= windowBegin) return 'before';
  // the departures keep their phase: the first one left is the first at or after begin
  // (a probability flow draws at whole seconds from its begin; exponential headways have no phase)
  const phase = probability !== undefined ? 1 : exponential ? 0 : period;
  const from = begin >= windowBegin ? begin : phase > 0 ? begin + Math.ceil((windowBegin - begin) / phase - 1e-9) * phase : windowBegin;
  if (from > begin) warnings.add(`flows starting before the config's begin lose their departures before it, as in SUMO`, id);
  return { ...timing, begin: round6(from - windowBegin), end: round6(Math.max(from, end) - windowBegin) };
}
