/**
 * Drones and robots advance on the world's phase runner, split across threads like the road
 * vehicles: each part advances a contiguous range of the fleet in place (the fleets' arrays are in
 * shared memory) and records what it would have told the listener (a delivery, a landing, a robot
 * back at its hub) in its own call log. The main thread replays the logs in part order, which is
 * fleet order, so the listener hears exactly what one thread going through the fleet would have
 * told it, in the same order; the parts' extremes combine by max and min.
 *
 * Pads (grant) and dispatch stay serial in the main thread: a port's drones compete for its pads,
 * and orders compete for vehicles.
 */
import type { LogisticsSpec } from '../spec/schema-logistics.js';
import type { Network } from '../road/network.js';
import { DroneFleet, type DroneListener } from './drones.js';
import { RobotFleet, type RobotListener } from './robots.js';

const C_DELIVERED = 0;
const C_LANDED = 1;
const C_RETURNED = 2;
/** numbers per call: kind, vehicle, order, time, and two figures (flown m, energy Wh) */
const CALL = 6;

/** One part's calls of one tick, in the order they were made. */
export class CallLog {
  readonly head: Int32Array;
  readonly calls: Float64Array;

  constructor(capacity: number, buffers?: CallLogBuffers) {
    this.head = new Int32Array(buffers ? buffers.head : new SharedArrayBuffer(4));
    this.calls = new Float64Array(buffers ? buffers.calls : new SharedArrayBuffer(Math.max(1, capacity) * CALL * 8));
  }

  push(kind: number, vehicle: number, order: number, time: number, a: number, b: number): void {
    const n = this.head[0];
    const at = n * CALL;
    // the capacity is a bound of what one tick can call (see LogisticsParts); more is a bug
    if (at + CALL > this.calls.length) throw new Error(`logistics call log full (${n} calls in one tick)`);
    const c = this.calls;
    c[at] = kind;
    c[at + 1] = vehicle;
    c[at + 2] = order;
    c[at + 3] = time;
    c[at + 4] = a;
    c[at + 5] = b;
    this.head[0] = n + 1;
  }

  buffers(): CallLogBuffers {
    return { head: this.head.buffer as SharedArrayBuffer, calls: this.calls.buffer as SharedArrayBuffer };
  }
}

export interface CallLogBuffers {
  head: SharedArrayBuffer;
  calls: SharedArrayBuffer;
}

/** A part's listeners: they record, the main thread replays. */
class DroneRecorder implements DroneListener {
  constructor(private readonly log: CallLog) {}
  delivered(drone: number, order: number, time: number): void {
    this.log.push(C_DELIVERED, drone, order, time, 0, 0);
  }
  released(): void {
    // only grant() releases, and it runs in the main thread with the real listener
    throw new Error('a drone released its order while advancing');
  }
  landed(drone: number, order: number, flown: number, energyWh: number): void {
    this.log.push(C_LANDED, drone, order, 0, flown, energyWh);
  }
}

class RobotRecorder implements RobotListener {
  constructor(private readonly log: CallLog) {}
  delivered(robot: number, order: number, time: number): void {
    this.log.push(C_DELIVERED, robot, order, time, 0, 0);
  }
  returned(robot: number, time: number): void {
    this.log.push(C_RETURNED, robot, -1, time, 0, 0);
  }
}

export interface LogisticsPart {
  droneLog: CallLog;
  robotLog: CallLog;
  drones: DroneRecorder;
  robots: RobotRecorder;
  /** [highest altitude, lowest battery] the part's drones reached this tick */
  extremes: Float64Array;
}

/** What a worker thread builds its view of the fleets from (structured-cloned once). */
export interface LogisticsWorkerInput {
  spec: LogisticsSpec;
  hubIndex: [string, number][];
  robotHubs: { x: number; y: number; robots: number }[];
  net: Network;
  drones: Record<string, SharedArrayBuffer>;
  robots: Record<string, SharedArrayBuffer>;
  params: SharedArrayBuffer;
  parts: { droneLog: CallLogBuffers; robotLog: CallLogBuffers; extremes: SharedArrayBuffer }[];
}

/** The tick's parameters the parts read: start time, step, wind x and y. */
export const P_TIME = 0;
export const P_DT = 1;
export const P_WX = 2;
export const P_WY = 3;

/** The parts' logs and extremes, and the tick's parameters, in shared memory (made by the main thread). */
export class LogisticsParts {
  readonly parts: LogisticsPart[];
  readonly params: Float64Array;

  constructor(parts: number, drones: DroneFleet, robots: RobotFleet, robotParcels: number, buffers?: LogisticsWorkerInput) {
    this.params = new Float64Array(buffers ? buffers.params : new SharedArrayBuffer(4 * 8));
    // a drone makes at most one call a tick (it cannot drop and land in one: landing waits for a
    // pad, granted between ticks); a robot at most one per parcel it carries, and one on return
    const droneCap = drones.count;
    const robotCap = robots.count * (robotParcels + 1);
    this.parts = Array.from({ length: buffers ? buffers.parts.length : parts }, (_, p) => {
      const b = buffers?.parts[p];
      const droneLog = new CallLog(droneCap, b?.droneLog);
      const robotLog = new CallLog(robotCap, b?.robotLog);
      const extremes = new Float64Array(b ? b.extremes : new SharedArrayBuffer(16));
      if (!b) extremes.set([-Infinity, Infinity]);
      return { droneLog, robotLog, drones: new DroneRecorder(droneLog), robots: new RobotRecorder(robotLog), extremes };
    });
  }

  buffers(): Pick<LogisticsWorkerInput, 'params' | 'parts'> {
    return {
      params: this.params.buffer as SharedArrayBuffer,
      parts: this.parts.map((p) => ({ droneLog: p.droneLog.buffers(), robotLog: p.robotLog.buffers(), extremes: p.extremes.buffer as SharedArrayBuffer })),
    };
  }

  /** Replays the parts' drone calls in part order, and folds their extremes into the fleet's. */
  replayDrones(fleet: DroneFleet, listener: DroneListener): void {
    for (const p of this.parts) {
      const { head, calls } = p.droneLog;
      for (let q = 0; q < head[0]; q++) {
        const at = q * CALL;
        if (calls[at] === C_DELIVERED) listener.delivered(calls[at + 1], calls[at + 2], calls[at + 3]);
        else listener.landed(calls[at + 1], calls[at + 2], calls[at + 4], calls[at + 5]);
      }
      head[0] = 0;
      fleet.takeExtremes(p.extremes);
    }
  }

  /** Advances drones k0..k1 − 1 of `fleet` as part `part`, with the tick's parameters; its calls go to the part's log. */
  advanceDrones(fleet: DroneFleet, k0: number, k1: number, part: number): void {
    const p = this.params;
    const own = this.parts[part];
    fleet.advanceRange(k0, k1, p[P_TIME], p[P_DT], p[P_WX], p[P_WY], own.drones, own.extremes);
  }

  /** Advances robots k0..k1 − 1 of `fleet` as part `part` (signals from `connState`); its calls go to the part's log. */
  advanceRobots(fleet: RobotFleet, k0: number, k1: number, part: number, connState: Uint8Array): void {
    const p = this.params;
    fleet.advanceRange(k0, k1, p[P_TIME], p[P_DT], connState, this.parts[part].robots);
  }

  replayRobots(listener: RobotListener): void {
    for (const p of this.parts) {
      const { head, calls } = p.robotLog;
      for (let q = 0; q < head[0]; q++) {
        const at = q * CALL;
        if (calls[at] === C_DELIVERED) listener.delivered(calls[at + 1], calls[at + 2], calls[at + 3]);
        else listener.returned(calls[at + 1], calls[at + 3]);
      }
      head[0] = 0;
    }
  }
}

/** A worker thread's view of the fleets, with which it advances its ranges. */
export class LogisticsWorkerSide {
  private readonly drones: DroneFleet;
  private readonly robots: RobotFleet;
  private readonly parts: LogisticsParts;

  constructor(input: LogisticsWorkerInput) {
    this.drones = new DroneFleet(input.spec, new Map(input.hubIndex), input.drones);
    const r = input.spec.robot;
    this.robots = new RobotFleet(input.net, input.robotHubs, r.speed, r.handover, r.range, input.robots);
    this.parts = new LogisticsParts(0, this.drones, this.robots, r.parcels, input);
  }

  advanceDrones(k0: number, k1: number, part: number): void {
    this.parts.advanceDrones(this.drones, k0, k1, part);
  }

  advanceRobots(k0: number, k1: number, part: number, connState: Uint8Array): void {
    this.parts.advanceRobots(this.robots, k0, k1, part, connState);
  }
}
