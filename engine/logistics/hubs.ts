/**
 * The hubs of a scenario as the logistics works with them: placed on their edge (their point on
 * its first lane), with their opening hours, the stock they have left and the fleets they own.
 */
import type { LogisticsSpec } from '../spec/schema-logistics.js';
import type { Network } from '../road/network.js';
import type { LaneGeometry } from '../road/lanegeom.js';

export interface Hub {
  id: string;
  index: number;
  edge: number;
  pos: number;
  x: number;
  y: number;
  open: number;
  close: number;
  /** parcels left; changes during the run (checkpointed) */
  stock: number;
  vans: number;
  robots: number;
  /** indices of the drone ports of this hub */
  ports: number[];
}

export function buildHubs(spec: LogisticsSpec, net: Network, geom: LaneGeometry): Hub[] {
  const p = new Float64Array(3);
  return spec.hubs.map((h, index) => {
    const edge = net.edgeIndex.get(h.edge)!;
    const pos = Math.min(h.pos, net.edgeLength[edge]);
    geom.point(net.edgeFirstLane[edge], pos, p);
    return {
      id: h.id,
      index,
      edge,
      pos,
      x: p[0],
      y: p[1],
      open: h.open,
      close: h.close ?? Infinity,
      stock: h.stock ?? Infinity,
      vans: h.vans,
      robots: h.robots,
      ports: spec.dronePorts.flatMap((d, k) => (d.hub === h.id ? [k] : [])),
    };
  });
}
