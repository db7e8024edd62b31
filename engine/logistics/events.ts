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

export type LogisticsEvent = OrderAssignedEvent | OrderDeliveredEvent | OrderRejectedEvent | DronePortWindEvent;
