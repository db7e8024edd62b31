/**
 * What the traffic layer reports between ticks: vehicles entering, leaving, rerouting, road
 * events starting and ending, and the per-second sample. The world publishes them on its event
 * streams (engine/sim/events.ts gathers every layer's events into one union).
 */

export interface DepartEvent {
  kind: 'depart';
  time: number;
  id: number;
  type: string;
  lane: string;
  speed: number;
  /** seconds between the scheduled departure and the actual insertion */
  delay: number;
  /** the scenario's id of the trip (a flow's vehicles: `<flow id>.<n>`), when it gives one */
  tripId?: string;
}

export interface ArriveEvent {
  kind: 'arrive';
  time: number;
  id: number;
  type: string;
  depart: number;
  routeLength: number;
  waitingTime: number;
  stops: number;
  departDelay: number;
  tripId?: string;
  /** s lost against driving at the top speed on each lane (SUMO's timeLoss) */
  timeLoss: number;
  /** has a V2X on-board unit */
  equipped: boolean;
  /** V2X warnings it received (the `v2x.warning` events to it) */
  warnings: number;
  /** the route driven, edge ids from the first edge (origin) to the last (destination) */
  route: string[];
}

export interface RemoveEvent {
  kind: 'remove';
  time: number;
  id: number;
  type: string;
  lane: string;
  pos: number;
  reason: 'gridlock';
  /** how long the vehicle had been stopped */
  stuckFor: number;
  tripId?: string;
}

/**
 * A departure that was due but never entered: its vehicle class has no lane on its route
 * (noLane) or none on the lane it asked for (departLane). Counted in metrics as `refused`.
 */
export interface RefuseEvent {
  kind: 'refuse';
  time: number;
  type: string;
  /** the demand entry */
  source: number;
  /** the first edge of its route, or its origin when there is no route */
  edge: string;
  reason: 'noLane' | 'departLane';
  tripId?: string;
}

/** A vehicle that could not reach the lane its route needs took another way. */
export interface RerouteEvent {
  kind: 'reroute';
  time: number;
  id: number;
  lane: string;
  /** the edge it turned onto instead */
  via: string;
}

/** A road event (roadEvents in the scenario) comes into force or ends. */
export interface RoadEventEvent {
  kind: 'roadEvent';
  time: number;
  id: string;
  event: 'stalledVehicle' | 'roadworks' | 'laneClosure' | 'speedLimit';
  edge: string;
  phase: 'start' | 'end';
}

/** One row per simulated second (timeseries.csv). `inserted` and `arrived` are cumulative. */
export interface SecondSample {
  time: number;
  active: number;
  inserted: number;
  arrived: number;
  meanSpeed: number;
  minSpeed: number;
  maxSpeed: number;
  stopped: number;
}

export interface TickInfo {
  tick: number;
  time: number;
  active: number;
}
