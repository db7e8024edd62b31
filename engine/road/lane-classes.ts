/**
 * Which vehicle classes each lane admits (an edge's `laneClasses`), as one bit per class
 * (bit k for vehicleClasses[k]) in a byte per lane, so the hot loop tests a permission with one
 * AND. A lane without a restriction admits every class.
 */
import { vehicleClasses, type VehicleClass } from '../spec/schema.js';

/** Every class admitted. */
export const ALL_CLASSES = (1 << vehicleClasses.length) - 1;

/** The bit of class code `code` (its index in vehicleClasses). */
export function classBit(code: number): number {
  return 1 << code;
}

/** The mask of a lane's admitted classes; null or absent: every class. */
export function classMask(classes: readonly VehicleClass[] | null | undefined): number {
  if (!classes) return ALL_CLASSES;
  let m = 0;
  for (const c of classes) m |= 1 << vehicleClasses.indexOf(c);
  return m;
}

/** The part of the network the permission helpers read. */
export interface LanePermissions {
  laneAllow: Uint8Array;
  edgeLanes: Int32Array;
  edgeFirstLane: Int32Array;
}

/** Whether class bit `bit` has a lane on `edge`. */
export function edgeAdmits(net: LanePermissions, edge: number, bit: number): boolean {
  const first = net.edgeFirstLane[edge];
  for (let l = 0; l < net.edgeLanes[edge]; l++) if (net.laneAllow[first + l] & bit) return true;
  return false;
}

/** The rightmost lane of `edge` that admits class bit `bit`, or −1. */
export function rightmostAdmitted(net: LanePermissions, edge: number, bit: number): number {
  const first = net.edgeFirstLane[edge];
  for (let l = 0; l < net.edgeLanes[edge]; l++) if (net.laneAllow[first + l] & bit) return first + l;
  return -1;
}
