/**
 * The C-V2X application-layer messages (T/CSAE 53-2020 style; fields as in docs/v2x.md) as
 * typed records. The hot path never builds them: a message's content is the sender's state at
 * the time of sending, which the communicate phase reads straight from the arrays. These builders
 * produce the same content as records for events, the viewer's details panel, tests, and anyone
 * who wants to see exactly what was said.
 */
import type { MovementTiming } from './spat.js';
import type { onRoadKinds } from '../spec/schema-perception.js';

export type MessageKind = 'bsm' | 'spat' | 'map' | 'rsi' | 'rsm';

/** Position in the scenario's metric frame (x east, y north, m); the standard's WGS-84 is left to export. */
export interface Position {
  x: number;
  y: number;
}

/** Basic safety message, from a vehicle. */
export interface Bsm {
  kind: 'bsm';
  /** message counter, 0..127, wraps */
  msgCnt: number;
  id: number;
  /** milliseconds within the current minute, 0..59999 */
  secMark: number;
  position: Position;
  /** m/s */
  speed: number;
  /** radians counter-clockwise from east */
  heading: number;
  /** m/s² (longitudinal) */
  acceleration: number;
  /** brakes applied (deceleration beyond 1 m/s²) */
  brakes: boolean;
  size: { length: number; width: number };
  vehicleClass: string;
}

/** One signal group (here: one movement, a lane-to-lane connection) in a SPAT. */
export interface SpatPhase {
  movement: number;
  state: 'green' | 'permissive-green' | 'yellow' | 'red';
  /** times in seconds of simulated time */
  startTime: number;
  /** earliest, latest and likely end of the state (all equal under fixed-time control; latest null when unbounded) */
  minEndTime: number;
  maxEndTime: number | null;
  likelyEndTime: number;
  nextGreenStart: number;
}

export interface Spat {
  kind: 'spat';
  msgCnt: number;
  rsu: string;
  intersection: string;
  timestamp: number;
  phases: SpatPhase[];
}

export interface MapLane {
  lane: string;
  /** connections leaving this lane: target lane and the movement id its SPAT phase uses */
  connections: { toLane: string; movement: number; turn: string }[];
}

export interface MapMessage {
  kind: 'map';
  msgCnt: number;
  rsu: string;
  intersections: { id: string; position: Position; lanes: MapLane[] }[];
}

export interface Rsi {
  kind: 'rsi';
  msgCnt: number;
  rsu: string;
  /** a road event's kind, or a confirmed city event's (engine/v2x/hazards.ts) */
  alertType: 'stalledVehicle' | 'roadworks' | 'laneClosure' | 'speedLimit' | (typeof onRoadKinds)[number];
  description: string;
  position: Position;
  /** the edge and section the alert applies to */
  alertPath: { edge: string; from: number; to: number; lanes: number[] };
  /** m */
  alertRadius: number;
  /** 0 (low) .. 7 (high) */
  priority: number;
  /** m/s, speed limit alerts */
  speedLimit?: number;
}

export interface RsmParticipant {
  id: number;
  position: Position;
  speed: number;
  heading: number;
  vehicleClass: string;
  /** which sensor saw it */
  source: 'camera' | 'radar';
}

export interface Rsm {
  kind: 'rsm';
  msgCnt: number;
  rsu: string;
  /** at most RSM_MAX_PARTICIPANTS, nearest first */
  participants: RsmParticipant[];
}

export const RSM_MAX_PARTICIPANTS = 16;

export type V2xMessage = Bsm | Spat | MapMessage | Rsi | Rsm;

/** secMark: milliseconds within the minute of simulated time t. */
export const secMark = (t: number): number => Math.round(t * 1000) % 60000;

const stateName = ['green', 'permissive-green', 'yellow', 'red'] as const;

/** A SPAT phase record from a movement's timing at time t. */
export function spatPhase(movement: number, t: number, timing: MovementTiming, stateCode: number): SpatPhase {
  const end = t + timing.untilChange;
  return {
    movement,
    state: stateName[stateCode],
    startTime: t,
    minEndTime: end,
    maxEndTime: Number.isFinite(timing.untilChangeMax) ? t + timing.untilChangeMax : null,
    likelyEndTime: t + timing.untilChangeLikely,
    nextGreenStart: t + timing.untilGreen,
  };
}
