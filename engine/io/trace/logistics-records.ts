/**
 * The drones and robots in trace frames: the ones away from their dock or hub, after the road
 * vehicles (their trace ids are above any vehicle's), drones first, each fleet in id order.
 */
import type { LogisticsSystem } from '../../logistics/index.js';
import { DRONE_ID_BASE, ROBOT_ID_BASE } from '../../logistics/ids.js';
import { D_IDLE } from '../../logistics/drones.js';
import { R_CHARGING, R_IDLE } from '../../logistics/robots.js';

/** One record: trace id, position (m, z above ground), heading, speed, whether it is a robot, whether it stands. */
export type LogisticsRecordWriter = (id: number, x: number, y: number, z: number, heading: number, speed: number, robot: boolean, stopped: boolean) => void;

/** How many records logisticsRecords writes now (a frame is sized before it is filled). */
export function logisticsRecordCount(lg: LogisticsSystem): number {
  return lg.drones.out + lg.robots.out;
}

/** Writes the records of drones and robots away from base through `write`; returns how many. */
export function logisticsRecords(lg: LogisticsSystem, write: LogisticsRecordWriter): number {
  const d = lg.drones;
  let n = 0;
  for (let k = 0; k < d.count; k++) {
    if (d.phase[k] === D_IDLE) continue;
    write(DRONE_ID_BASE + k, d.x[k], d.y[k], d.z[k], d.heading[k], d.speed[k], false, d.speed[k] === 0);
    n++;
  }
  const r = lg.robots;
  for (let k = 0; k < r.count; k++) {
    if (r.state[k] === R_IDLE || r.state[k] === R_CHARGING) continue;
    write(ROBOT_ID_BASE + k, r.x[k], r.y[k], 0, r.heading[k], r.moving[k] ? r.speed : 0, true, !r.moving[k]);
    n++;
  }
  return n;
}
