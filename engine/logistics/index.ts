/** Unmanned logistics (issue 6): orders, hubs, drone ports and drones, sidewalk robots, delivery vans, dispatch. */
export { LogisticsSystem } from './system.js';
export type { LogisticsHost, LogisticsEmit, TripStop } from './host.js';
export { DRONE_ID_BASE, ROBOT_ID_BASE } from './ids.js';
export type { Hub } from './hubs.js';
export { OrderBook, REJECT_REASONS, modeNames, orderStatusNames, type ModeName, type RejectReason } from './orders.js';
export { DroneModel, type MissionPlan } from './drone-model.js';
export { DroneFleet, dronePhaseNames, holdsPad } from './drones.js';
export { RobotFleet } from './robots.js';
export { VanFleet } from './vans.js';
export { Airspace, pathLength, pointInPolygon, segmentsCross, NO_FLY_MARGIN } from './airspace.js';
export { Sidewalks, type Walk } from './sidewalks.js';
export { WindSchedule, groundSpeed } from './wind.js';
export type { LogisticsEvent, OrderAssignedEvent, OrderDeliveredEvent, OrderRejectedEvent, DronePortWindEvent, DroneLaunchEvent, VanTourEvent } from './events.js';
