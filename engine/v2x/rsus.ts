/**
 * The roadside units of a scenario, resolved against the network: where each stands, which
 * signalised nodes it sends SPAT and MAP for, its sensors, and the road events within its radio
 * range (which it announces by RSI).
 */
import type { RsuSpec } from '../spec/schema-v2x.js';
import type { Network } from '../road/network.js';
import type { RoadEvent } from '../traffic/roadevents.js';
import { LaneGeometry } from '../road/lanegeom.js';

/** RSU radio ids live above every vehicle id, so the two never share a random-number key. */
export const RSU_ID_BASE = 0x40000000;

export interface RsuSensor {
  kind: 'camera' | 'radar';
  range: number;
  /** half the field of view, radians */
  halfFov: number;
  /** centre of the view, radians counter-clockwise from east */
  heading: number;
}

export interface Rsu {
  index: number;
  id: string;
  radioId: number;
  x: number;
  y: number;
  height: number;
  /** transmit power relative to the channel's, dB (3gpp) */
  txPowerOffset: number;
  /** radio range, m (unitDisk), Infinity for the channel's */
  range: number;
  /** signalised nodes it serves */
  nodes: number[];
  sensors: RsuSensor[];
  /** road events within its radio range */
  events: number[];
}

export function buildRsus(specs: RsuSpec[], net: Network, events: RoadEvent[], radioRange: number): Rsu[] {
  const geom = new LaneGeometry(net);
  const p = new Float64Array(3);
  return specs.map((r, index) => {
    const node = r.node !== undefined ? net.nodeIndex.get(r.node)! : -1;
    const x = node >= 0 ? net.nodeX[node] : r.x!;
    const y = node >= 0 ? net.nodeY[node] : r.y!;
    const near = events
      .filter((e) => {
        geom.point(e.lanes[0], e.start, p);
        return Math.hypot(p[0] - x, p[1] - y) <= radioRange;
      })
      .map((e) => e.index);
    return {
      index,
      id: r.id,
      radioId: RSU_ID_BASE + index,
      x,
      y,
      height: r.height,
      txPowerOffset: r.txPowerOffset,
      range: r.range ?? Infinity,
      nodes: r.intersections.map((id) => net.nodeIndex.get(id)!),
      sensors: r.sensors.map((s) => ({ kind: s.kind, range: s.range, halfFov: (s.fov * Math.PI) / 360, heading: (s.heading * Math.PI) / 180 })),
      events: near,
    };
  });
}

/** Whether a point at (dx, dy) from the RSU is inside the sensor's range and field of view. */
export function sensorSees(s: RsuSensor, dx: number, dy: number): boolean {
  const d2 = dx * dx + dy * dy;
  if (d2 > s.range * s.range) return false;
  if (s.halfFov >= Math.PI) return true;
  let a = Math.atan2(dy, dx) - s.heading;
  a -= 2 * Math.PI * Math.round(a / (2 * Math.PI));
  return Math.abs(a) <= s.halfFov;
}
