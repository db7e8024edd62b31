/**
 * Where things sit on the imported network: SUMO lane positions (stops, bus stops, induction
 * loops) → an edge, a position on it and a lane index among the kept lanes.
 *
 * A SUMO position is measured along its lane; roadtwin's along the edge, whose length adds the
 * passage through the downstream junction (convert-net.ts) — so a position from the start is
 * the same number, and a negative one (from the lane's end, as SUMO allows) is taken from the
 * lane's end, not the longer edge's.
 */
import type { SumoBusStop, SumoInductionLoop } from './additional.js';
import type { LaneRef } from './convert-net.js';
import type { XmlElement } from './xml.js';
import type { Warnings } from './warnings.js';

export interface StopOut {
  edge: string;
  pos: number;
  lane?: number;
  duration: number;
  until?: number;
  name?: string;
}

export interface DetectorOut {
  id: string;
  edge: string;
  pos: number;
  period: number;
  lane?: number;
}

/** A place on the imported network; lane undefined when SUMO's lane was left out. */
export interface Place {
  edge: string;
  pos: number;
  lane?: number;
  name?: string;
}

export interface PlaceContext {
  lanes: ReadonlyMap<string, LaneRef>;
  /** imported edge lengths, m */
  edgeLength: ReadonlyMap<string, number>;
  /** mean SUMO length of each imported edge's kept lanes (without the junction passage), m */
  laneLength: ReadonlyMap<string, number>;
  /** SUMO time of scenario time 0, s */
  begin: number;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** A position on a SUMO lane (absent: its end; negative: from its end) → a place, or null when the lane is not imported. */
export function placeOnLane(laneId: string, pos: number | undefined, ctx: PlaceContext): Place | null {
  const ref = ctx.lanes.get(laneId);
  if (!ref) return null;
  const p = pos === undefined ? ref.length : pos < 0 ? ref.length + pos : pos;
  const max = ctx.edgeLength.get(ref.edge) ?? ref.length;
  return { edge: ref.edge, pos: round3(Math.min(max, Math.max(0, p))), ...(ref.index >= 0 ? { lane: ref.index } : {}) };
}

/** Bus stops by id, placed at their end position (where SUMO's vehicles stop). */
export function placeBusStops(busStops: ReadonlyMap<string, SumoBusStop>, ctx: PlaceContext, warnings: Warnings): Map<string, Place> {
  const out = new Map<string, Place>();
  for (const b of busStops.values()) {
    const place = placeOnLane(b.lane, b.endPos, ctx);
    if (!place) {
      warnings.add('bus stops on a lane the imported network does not have are skipped (and stops there)', b.id);
      continue;
    }
    if (place.lane === undefined) warnings.add('bus stops on a lane that was left out are kept on their edge, without a lane', b.id);
    out.set(b.id, { ...place, name: b.name ?? b.id });
  }
  return out;
}

export function convertDetectors(loops: readonly SumoInductionLoop[], ctx: PlaceContext, warnings: Warnings): DetectorOut[] {
  const out: DetectorOut[] = [];
  const seen = new Set<string>();
  for (const d of loops) {
    const place = placeOnLane(d.lane, d.pos, ctx);
    if (!place || place.lane === undefined) {
      warnings.add('induction loops on a lane the imported network does not have are skipped', d.id);
      continue;
    }
    if (seen.has(d.id)) {
      warnings.add('induction loops with a repeated id are skipped (the first is kept)', d.id);
      continue;
    }
    seen.add(d.id);
    out.push({ id: d.id, edge: place.edge, pos: place.pos, period: d.period, lane: place.lane });
  }
  return out;
}

/** Stop attributes that change nothing roadtwin simulates. */
const STOP_COSMETIC = new Set(['friendlyPos', 'actType', 'line', 'tripId', 'index', 'permitted', 'expected', 'expectedContainers', 'started', 'ended', 'arrival']);
const STOP_HANDLED = new Set(['busStop', 'trainStop', 'lane', 'edge', 'startPos', 'endPos', 'duration', 'until', 'parking']);
const STOP_ELSEWHERE = ['parkingArea', 'containerStop', 'chargingStation', 'triggered', 'containerTriggered', 'speed'];

/** The `<stop>` children of a vehicle or flow. */
export function convertStops(el: XmlElement, id: string, busStops: ReadonlyMap<string, Place>, ctx: PlaceContext, warnings: Warnings): StopOut[] {
  const stops: StopOut[] = [];
  for (const c of el.children) {
    if (c.name === 'route' || c.name === 'param') continue;
    if (c.name !== 'stop') {
      warnings.add(`vehicle child <${c.name}> is not supported; skipped`, id, `vchild:${c.name}`);
      continue;
    }
    const a = c.attrs;
    const elsewhere = STOP_ELSEWHERE.find((k) => a[k] !== undefined && a[k] !== 'false' && a[k] !== '0');
    if (elsewhere) {
      warnings.add(`stops with ${elsewhere} (parking areas, triggered stops, waypoints…) are not supported; skipped`, id, `stop:${elsewhere}`);
      continue;
    }
    for (const k of Object.keys(a))
      if (!STOP_HANDLED.has(k) && !STOP_COSMETIC.has(k) && !STOP_ELSEWHERE.includes(k))
        warnings.add(`stop attribute '${k}' is not supported; ignored`, id, `stopattr:${k}`);
    let place: Place | null | undefined;
    const named = a.busStop ?? a.trainStop;
    if (named !== undefined) {
      place = busStops.get(named);
      if (!place) {
        warnings.add('stops at a bus stop that is not defined or not imported are skipped', `${id}@${named}`);
        continue;
      }
    } else if (a.lane !== undefined) {
      place = placeOnLane(a.lane, a.endPos !== undefined ? Number(a.endPos) : undefined, ctx);
    } else if (a.edge !== undefined) {
      place = placeOnLane(`${a.edge}_0`, a.endPos !== undefined ? Number(a.endPos) : undefined, ctx);
      if (place) place = { edge: place.edge, pos: place.pos }; // any lane of the edge
    }
    if (!place || !Number.isFinite(place.pos)) {
      warnings.add('stops without a place on the imported network (lane, edge or bus stop) are skipped', id);
      continue;
    }
    const duration = a.duration !== undefined ? Number(a.duration) : 0;
    const until = a.until !== undefined ? Number(a.until) - ctx.begin : undefined;
    if (!Number.isFinite(duration) || duration < 0 || (until !== undefined && !Number.isFinite(until))) {
      warnings.add('stops whose duration or until is not a number of seconds are skipped', id);
      continue;
    }
    if (a.parking !== undefined && a.parking !== 'false' && a.parking !== '0')
      warnings.add('parking stops stop on the lane (roadtwin has no parking off the lane)', id);
    const stop: StopOut = { edge: place.edge, pos: place.pos, ...(place.lane !== undefined ? { lane: place.lane } : {}), duration };
    if (until !== undefined && until >= 0) stop.until = until;
    if (place.name !== undefined) stop.name = place.name;
    stops.push(stop);
  }
  return stops;
}
