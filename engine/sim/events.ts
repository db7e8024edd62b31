/**
 * What happens between ticks, as typed records published on the world's rxjs streams. Run-file
 * writers, the progress bar, tests and (later) the live viewer subscribe; the engine knows none
 * of them.
 */

import type { DetectorReport } from '../traffic/detectors.js';
import type { LogisticsEvent } from '../logistics/events.js';

export interface DepartEvent {
  kind: 'depart';
  time: number;
  id: number;
  type: string;
  lane: string;
  speed: number;
  /** seconds between the scheduled departure and the actual insertion */
  delay: number;
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

/** A V2X application warned a driver (counted once per episode: while the condition lasts, no repeat). */
export interface V2xWarningEvent {
  kind: 'v2x.warning';
  time: number;
  app: 'fcw' | 'rlvw' | 'hlw' | 'slw' | 'evw';
  /** vehicle id */
  vehicle: number;
  x: number;
  y: number;
  /** what it is about: the signalised node (rlvw), the road event (hlw, slw), the emergency vehicle (evw) */
  subject: string;
}

/** A detector's figures for one period (see traffic/detectors.ts). */
export type DetectorEvent = { kind: 'detector' } & DetectorReport;

export type SimEvent = DepartEvent | ArriveEvent | RemoveEvent | RerouteEvent | DetectorEvent | RoadEventEvent | V2xWarningEvent | LogisticsEvent;

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
