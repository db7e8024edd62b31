/**
 * What the tags of an OSM way say about its road: class defaults where tags are missing, the
 * speed limit (km/h, mph, `none`, `walk`, country zones such as `DE:urban`), the lanes each way
 * and their classes (bus lanes), one-way, access. Defaults follow netconvert's osm typemap
 * (lanes, speed, priority per highway class) so that imports of both tools are comparable.
 */
import type { VehicleClass } from '../../spec/schema.js';
import type { Tags } from './read.js';

export interface HighwayClass {
  lanes: number;
  /** km/h */
  speed: number;
  /** higher wins at a priority junction */
  priority: number;
  oneway?: boolean;
}

/** netconvert's defaults (data/typemap/osmNetconvert.typ.xml): lanes per direction, km/h, priority. */
export const HIGHWAY_CLASSES: Record<string, HighwayClass> = {
  motorway: { lanes: 2, speed: 140, priority: 13, oneway: true },
  motorway_link: { lanes: 1, speed: 80, priority: 12, oneway: true },
  trunk: { lanes: 2, speed: 100, priority: 11 },
  trunk_link: { lanes: 1, speed: 80, priority: 10 },
  primary: { lanes: 2, speed: 100, priority: 9 },
  primary_link: { lanes: 1, speed: 80, priority: 8 },
  secondary: { lanes: 1, speed: 100, priority: 7 },
  secondary_link: { lanes: 1, speed: 80, priority: 6 },
  tertiary: { lanes: 1, speed: 80, priority: 6 },
  tertiary_link: { lanes: 1, speed: 80, priority: 5 },
  // 50 km/h as in netconvert's typemap (highway.unclassified 13.89 m/s); 80 was a slip that made
  // the minor roads between villages faster than netconvert's
  unclassified: { lanes: 1, speed: 50, priority: 5 },
  residential: { lanes: 1, speed: 50, priority: 4 },
  living_street: { lanes: 1, speed: 10, priority: 3 },
  service: { lanes: 1, speed: 20, priority: 2 },
};

/** The classes kept without --types: motorway down to residential (service roads on request). */
export const DEFAULT_TYPES = Object.keys(HIGHWAY_CLASSES).filter((k) => k !== 'service');

/** Country speed zones (maxspeed=CC:zone), km/h. */
export const COUNTRY_SPEEDS: Record<string, number> = {
  'DE:urban': 50, 'DE:rural': 100, 'DE:motorway': 130, 'DE:living_street': 7, 'DE:bicycle_road': 30, 'DE:zone30': 30, 'DE:zone:30': 30,
  'AT:urban': 50, 'AT:rural': 100, 'AT:motorway': 130, 'CH:urban': 50, 'CH:rural': 80, 'CH:motorway': 120,
  'FR:urban': 50, 'FR:rural': 80, 'FR:motorway': 130, 'IT:urban': 50, 'IT:rural': 90, 'IT:motorway': 130,
  'GB:nsl_single': 96.56, 'GB:nsl_dual': 112.65, 'GB:motorway': 112.65,
  'CN:urban': 50, 'CN:rural': 70, 'CN:motorway': 120, 'CN:expressway': 100,
  'RU:urban': 60, 'RU:rural': 90, 'RU:motorway': 110, 'NL:urban': 50, 'NL:rural': 80, 'NL:motorway': 130,
};

/** A `maxspeed` value in km/h; undefined when it says nothing usable (the class default applies). */
export function parseMaxspeed(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const s = v.trim();
  if (s === 'none') return 140; // no limit: what netconvert assumes for an unlimited motorway
  if (s === 'walk') return 7;
  if (COUNTRY_SPEEDS[s] !== undefined) return COUNTRY_SPEEDS[s];
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*(mph|km\/h|kmh|knots)?$/.exec(s);
  if (!m) return undefined;
  const x = Number(m[1]);
  if (!(x > 0)) return undefined;
  return m[2] === 'mph' ? x * 1.609344 : m[2] === 'knots' ? x * 1.852 : x;
}

/** Direction of travel: 1 forward only, -1 backward only (`oneway=-1`), 0 both ways. */
export function onewayOf(t: Tags, cls: HighwayClass): 1 | -1 | 0 {
  const o = t.oneway;
  if (o === 'yes' || o === 'true' || o === '1') return 1;
  if (o === '-1' || o === 'reverse') return -1;
  if (o === 'no' || o === 'false' || o === '0') return 0;
  if (t.junction === 'roundabout' || t.junction === 'circular') return 1;
  return cls.oneway ? 1 : 0;
}

const int = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const x = Number(v.split(';')[0]);
  return Number.isInteger(x) && x >= 1 && x <= 16 ? x : undefined;
};

/**
 * Lanes forward and backward. `lanes:forward`/`lanes:backward` win; else `lanes` is split (a
 * one-way takes them all; a two-way street halves them, the odd lane going forward); else the
 * class default per direction.
 */
export function lanesOf(t: Tags, cls: HighwayClass, oneway: 1 | -1 | 0): { forward: number; backward: number } {
  const total = int(t.lanes);
  const fw = int(t['lanes:forward']);
  const bw = int(t['lanes:backward']);
  if (oneway === 1) return { forward: fw ?? total ?? cls.lanes, backward: 0 };
  if (oneway === -1) return { forward: 0, backward: bw ?? total ?? cls.lanes };
  if (fw !== undefined || bw !== undefined) {
    const f = fw ?? (total !== undefined && bw !== undefined ? Math.max(1, total - bw) : cls.lanes);
    const b = bw ?? (total !== undefined && fw !== undefined ? Math.max(1, total - fw) : cls.lanes);
    return { forward: f, backward: b };
  }
  if (total !== undefined) return { forward: Math.max(1, Math.ceil(total / 2)), backward: Math.max(1, Math.floor(total / 2)) };
  return { forward: cls.lanes, backward: cls.lanes };
}

const closed = new Set(['no', 'private', 'agricultural', 'forestry', 'delivery', 'customers', 'destination_only_never']);

/** Whether motor traffic may use the way (`access`, `motor_vehicle`, `motorcar`, `vehicle`). */
export function motorAccess(t: Tags): boolean {
  for (const k of ['motorcar', 'motor_vehicle', 'vehicle', 'access']) {
    const v = t[k];
    if (v === undefined) continue;
    return !closed.has(v);
  }
  return true;
}

const BUS_LANE: VehicleClass[] = ['bus', 'emergency'];

/**
 * The classes of each lane of one direction, from the rightmost: `bus:lanes`/`psv:lanes`
 * (`designated` marks a bus lane), else `busway=lane` or `lanes:bus`/`lanes:psv` counts of
 * rightmost lanes. null: every class. `suffix` is `''`, `:forward` or `:backward`.
 */
export function laneClassesOf(t: Tags, lanes: number, suffix: string): (VehicleClass[] | null)[] | undefined {
  const perLane = t[`bus:lanes${suffix}`] ?? t[`psv:lanes${suffix}`];
  let out: (VehicleClass[] | null)[] | undefined;
  if (perLane !== undefined) {
    // OSM lists lanes from the left in the direction of travel; roadtwin counts from the right
    const cells = perLane.split('|').reverse();
    if (cells.length === lanes) out = cells.map((c) => (c === 'designated' || c === 'only' ? BUS_LANE : null));
  } else {
    const side = suffix === ':backward' ? 'left' : 'right';
    const busway = t[`busway${suffix}`] ?? t[`busway:${side}`] ?? t.busway;
    const count = int(t[`lanes:bus${suffix}`]) ?? int(t[`lanes:psv${suffix}`]) ?? (busway === 'lane' ? 1 : undefined);
    if (count !== undefined && count < lanes) out = Array.from({ length: lanes }, (_, i) => (i < count ? BUS_LANE : null));
  }
  return out?.some((c) => c !== null) ? out : undefined;
}

export type Turn = 'left' | 'straight' | 'right' | 'uturn';

/**
 * `turn:lanes` of one direction: for each lane from the rightmost, the turns it may take.
 * undefined when absent or when its lane count disagrees with the way's (then geometry decides).
 */
export function turnLanesOf(t: Tags, lanes: number, suffix: string): Turn[][] | undefined {
  const v = t[`turn:lanes${suffix}`];
  if (v === undefined) return undefined;
  const cells = v.split('|');
  if (cells.length !== lanes) return undefined;
  const parsed = cells.map((c) => {
    const out = new Set<Turn>();
    for (const a of c.split(';')) {
      if (a === 'left' || a === 'sharp_left' || a === 'slight_left') out.add('left');
      else if (a === 'right' || a === 'sharp_right' || a === 'slight_right') out.add('right');
      else if (a === 'through' || a === 'merge_to_left' || a === 'merge_to_right') out.add('straight');
      else if (a === 'reverse') out.add('uturn');
    }
    return [...out];
  });
  if (parsed.every((p) => p.length === 0)) return undefined;
  return parsed.reverse();
}
