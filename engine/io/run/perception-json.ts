/**
 * perception.json (docs/run-directory.md#perceptionjson): what the viewer needs to draw the
 * perception platform of a run: the cameras with their fields of view, the docks, and every
 * flight of its drones (verification missions and patrols) with the path and the times that
 * place the drone along it. events.csv holds the city events themselves and coverage.json the
 * blind spots; this file adds what neither has: where a drone was at any time.
 */
import { groundReach, type PerceptionSystem } from '../../perception/index.js';
import { pathLength } from '../../logistics/airspace.js';

const r1 = (x: number) => Math.round(x * 10) / 10;
const pairs = (flat: readonly number[]): [number, number][] => {
  const out: [number, number][] = [];
  for (let k = 0; k + 1 < flat.length; k += 2) out.push([r1(flat[k]), r1(flat[k + 1])]);
  return out;
};

export interface CameraRecord {
  id: string;
  x: number;
  y: number;
  /** m above the ground */
  height: number;
  /** the analytics' slant range, m, and the radius it covers on the ground, m */
  range: number;
  groundRange: number;
  /** degrees counter-clockwise from east, and the field of view, degrees (360: all round) */
  heading: number;
  fov: number;
}

/**
 * One flight from a dock: out along `path` and back the same way (verify), or round `path`
 * (patrol). `track` says where the drone is at any time: [time s, distance along the path m,
 * height m] points, between which it moves linearly (climbs and descents are vertical, cruise at
 * a constant ground speed); before the first and after the last it is on the dock's pad.
 */
export interface FlightRecord {
  purpose: 'verify' | 'patrol';
  dock: string;
  drone: number;
  /** verify: the city event's id (events.csv) and what the look found */
  event?: string;
  outcome?: 'confirm' | 'dismiss' | 'handOver';
  /** patrol: the events it confirmed */
  found?: number;
  /** [x, y] m: from the dock to the place it was sent to (verify), the route from the dock back to it (patrol) */
  path: [number, number][];
  /** s: take-off (the pad queue) and back on the pad */
  launched: number;
  landed: number;
  /** verify, s: over the place at the inspection height, and done looking (and searching) */
  over?: number;
  decided?: number;
  track: [number, number, number][];
}

export interface PerceptionJson {
  cameras: CameraRecord[];
  docks: { id: string; x: number; y: number; drones: number }[];
  /** what a drone sees at the inspection height: the radius of its camera footprint, m */
  footprint: number;
  /** m: the inspection height (patrols fly at it) and the cruise altitude of verification flights */
  inspectionHeight: number;
  cruiseAltitude: number;
  flights: FlightRecord[];
}

export function perceptionJson(p: PerceptionSystem): PerceptionJson {
  const docks = p.fleet.docks;
  const drone = p.spec.drone;
  const pad = drone.padTime;
  const cruise = drone.cruiseAltitude;
  const look = drone.dropAltitude;
  const legs = p.fleet.model.legs;
  const key = (t: number, s: number, h: number): [number, number, number] => [r1(t), r1(s), r1(h)];
  const flights: FlightRecord[] = [];
  for (const m of p.fleet.missions) {
    const d = docks[m.dock];
    // the same path DockFleet.send planned the flight on (the airspace is fixed for the run)
    const path = p.fleet.airspace.path(d.x, d.y, m.x, m.y) ?? [d.x, d.y, m.x, m.y];
    const length = pathLength(path);
    // the legs of DroneModel.plan: pad, climb to cruise, cruise, descend to look, look (and
    // search), climb, cruise back, descend, pad
    const outAt = m.launched + pad + legs.climb;
    const outEnd = m.overAt - legs.toDrop;
    const backAt = m.decideAt + legs.fromDrop;
    const backEnd = m.backAt - pad - legs.land;
    flights.push({
      purpose: 'verify',
      dock: d.id,
      drone: m.drone,
      event: p.events[m.event].id,
      outcome: m.outcome,
      path: pairs(path),
      launched: m.launched,
      landed: r1(m.backAt),
      over: r1(m.overAt),
      decided: r1(m.decideAt),
      track: [
        key(m.launched + pad, 0, 0),
        key(outAt, 0, cruise),
        key(outEnd, length, cruise),
        key(m.overAt, length, look),
        key(m.decideAt, length, look),
        key(backAt, length, cruise),
        key(backEnd, 0, cruise),
        key(m.backAt - pad, 0, 0),
      ],
    });
  }
  for (const q of p.patrols) {
    const route = p.patrolRoutes[q.dock]!;
    const start = q.launched + route.offset;
    const end = start + route.length / route.speed;
    flights.push({
      purpose: 'patrol',
      dock: docks[q.dock].id,
      drone: q.drone,
      found: q.found,
      path: pairs(route.path),
      launched: q.launched,
      landed: r1(q.launched + route.total),
      // patrols fly at the inspection height: climb to it, the route, descend
      track: [key(q.launched + pad, 0, 0), key(start, 0, look), key(end, route.length, look), key(q.launched + route.total - pad, route.length, 0)],
    });
  }
  flights.sort((a, b) => a.launched - b.launched || (a.purpose < b.purpose ? -1 : a.purpose > b.purpose ? 1 : 0));
  return {
    cameras: p.cameras.map((c) => ({
      id: c.id,
      x: c.x,
      y: c.y,
      height: c.height,
      range: c.range,
      groundRange: r1(groundReach(c)),
      heading: r1((c.heading * 180) / Math.PI),
      fov: r1((c.halfFov * 360) / Math.PI),
    })),
    docks: docks.map((d) => ({ id: d.id, x: d.x, y: d.y, drones: d.freeAt.length })),
    footprint: r1(p.fleet.footprint),
    inspectionHeight: look,
    cruiseAltitude: cruise,
    flights,
  };
}
