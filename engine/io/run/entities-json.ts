/**
 * entities.json: the entities of a run that are not road vehicles, for the viewer — roadside
 * units with their radio range and sensors, road events with their place and time window (and,
 * with logistics, hubs and drone ports). Written only when the run has any.
 */
import type { World } from '../../sim/world.js';
import { LaneGeometry } from '../../road/lanegeom.js';

const r2 = (x: number) => Math.round(x * 100) / 100;

export function entitiesJson(w: World): object | null {
  const rsus = w.v2x?.rsus ?? [];
  const lg = w.logistics;
  if (rsus.length === 0 && w.roadEvents.length === 0 && !lg) return null;
  const geom = new LaneGeometry(w.net);
  const p = new Float64Array(3);
  const range = w.v2x ? r2(w.v2x.channel.decodeRangeM) : 0;
  return {
    rsus: rsus.map((r) => ({
      id: r.id,
      x: r2(r.x),
      y: r2(r.y),
      height: r.height,
      range,
      intersections: r.nodes.map((n) => w.net.nodeIds[n]),
      sensors: r.sensors.map((s) => ({ kind: s.kind, range: s.range, fov: r2((s.halfFov * 360) / Math.PI), heading: r2((s.heading * 180) / Math.PI) })),
    })),
    hazards: w.roadEvents.map((e) => {
      geom.point(e.lanes[0], e.start, p);
      return {
        id: e.id,
        kind: e.kind,
        edge: w.net.edgeIds[e.edge],
        lanes: e.lanes.map((l) => w.net.laneIndex[l]),
        x: r2(p[0]),
        y: r2(p[1]),
        length: r2(e.end - e.start),
        begin: e.begin,
        end: e.until,
        ...(e.limit !== Infinity ? { speedLimit: e.limit } : {}),
      };
    }),
    ...(lg
      ? {
          hubs: lg.hubs.map((h) => ({ id: h.id, x: r2(h.x), y: r2(h.y), edge: w.net.edgeIds[h.edge], vans: h.vans, robots: h.robots })),
          dronePorts: lg.drones.ports.map((p) => ({ id: p.id, x: r2(p.x), y: r2(p.y), drones: p.drones, pads: p.pads, windLimit: p.windLimit, hub: lg.hubs[p.hub].id })),
          noFly: lg.airspace.polygons.map((z) => ({ id: z.id, polygon: Array.from(z.xs, (x, i) => [r2(x), r2(z.ys[i])]) })),
        }
      : {}),
  };
}
