/** What the logistics publishes on `world.events$` (and so in events.ndjson). */
import type { ModeName, RejectReason } from './orders.js';

/** An order was given to a vehicle (a drone, a robot, or a van's tour). */
export interface OrderAssignedEvent {
  kind: 'order.assigned';
  time: number;
  order: number;
  hub: string;
  mode: ModeName;
  /** e.g. drone-12, van-3, robot-0 */
  vehicle: string;
}

export interface OrderDeliveredEvent {
  kind: 'order.delivered';
  time: number;
  order: number;
  mode: ModeName;
  vehicle: string;
  /** from the order to the hand-over, s */
  deliveryTime: number;
  onTime: boolean;
}

/**
 * An assigned order went back to the dispatcher, its parcel back in stock: a van missed its stop,
 * or a drone waiting to take off was grounded by wind. It may be assigned again later.
 */
export interface OrderReturnedEvent {
  kind: 'order.returned';
  time: number;
  order: number;
  /** the vehicle that gave it back, e.g. van-3 */
  vehicle: string;
  reason: 'missedStop' | 'grounded';
}

/** An order no mode can serve (in time); every rejection has one. */
export interface OrderRejectedEvent {
  kind: 'order.rejected';
  time: number;
  order: number;
  hub: string;
  reason: RejectReason;
}

/** A drone port stops launching (wind above its limit) or starts again. */
export interface DronePortWindEvent {
  kind: 'dronePort.wind';
  time: number;
  port: string;
  phase: 'grounded' | 'open';
  /** m/s */
  wind: number;
}

/**
 * A drone set out on a mission (written for the viewer, which cannot plan around no-fly zones
 * itself): its flight path over ground, port first and destination last (the way back is the
 * same path reversed), flown at `altitude`.
 */
export interface DroneLaunchEvent {
  kind: 'drone.launch';
  time: number;
  /** e.g. drone-12 (as in orders.csv and order events) */
  drone: string;
  /** its trace id */
  id: number;
  order: number;
  port: string;
  /** cruise altitude, m */
  altitude: number;
  /** waypoints [x, y], m: the port, corners of no-fly detours, the destination */
  path: [number, number][];
}

/**
 * A van tour's vehicle entered the road (written for the viewer, which knows the vehicle only by
 * its trace id): its curb stops in visiting order, each with the order handed over there, and
 * its road route, hub edge to hub edge.
 */
export interface VanTourEvent {
  kind: 'van.tour';
  time: number;
  /** e.g. van-3 */
  van: string;
  /** the tour's vehicle id (trace id, as in depart/arrive events) */
  id: number;
  hub: string;
  /** where it stops, in visiting order: the order, the edge and position along it, the point (kerb lane), m */
  stops: { order: number; edge: string; pos: number; x: number; y: number }[];
  /** edge ids */
  route: string[];
}

export type LogisticsEvent = OrderAssignedEvent | OrderDeliveredEvent | OrderReturnedEvent | OrderRejectedEvent | DronePortWindEvent | DroneLaunchEvent | VanTourEvent;

/** Times, positions and distances in events are rounded to the mm, coordinates of points to the cm. */
export const r3 = (x: number) => Math.round(x * 1000) / 1000;
export const r2 = (x: number) => Math.round(x * 100) / 100;
