/**
 * SUMO vehicle classes against roadtwin's five (car, bus, truck, van, emergency): which class a
 * vType becomes, which vTypes cannot be simulated at all, and which roadtwin classes a lane's
 * allow/disallow lists admit.
 *
 * Class list: https://sumo.dlr.de/docs/Definition_of_Vehicles%2C_Vehicle_Types%2C_and_Routes.html#abstract_vehicle_class
 */
import { vehicleClasses, type VehicleClass } from '../../spec/schema.js';

/** The roadtwin class of each SUMO class that has one. */
export const CLASS_OF: Readonly<Record<string, VehicleClass>> = {
  passenger: 'car',
  private: 'car',
  taxi: 'car',
  evehicle: 'car',
  custom1: 'car',
  custom2: 'car',
  bus: 'bus',
  coach: 'bus',
  truck: 'truck',
  trailer: 'truck',
  delivery: 'van',
  emergency: 'emergency',
  authority: 'emergency',
};

/**
 * Classes that do not drive on roads as cars do: their vTypes, and the vehicles of those types,
 * are skipped rather than simulated as something they are not.
 */
export const UNSIMULATED_CLASSES: ReadonlySet<string> = new Set([
  'pedestrian',
  'bicycle',
  'wheelchair',
  'tram',
  'rail_urban',
  'rail',
  'rail_electric',
  'rail_fast',
  'subway',
  'cable_car',
  'ship',
  'aircraft',
  'drone',
  'container',
]);

/**
 * The SUMO class that stands for each roadtwin class on a lane. A lane admits roadtwin cars when
 * it admits SUMO's passenger class, not merely taxis: a bus-and-taxi lane must not open to every
 * private car.
 */
const LANE_PROXY: Readonly<Record<VehicleClass, string>> = {
  car: 'passenger',
  bus: 'bus',
  truck: 'truck',
  van: 'delivery',
  emergency: 'emergency',
};

export interface Permissions {
  allow?: readonly string[];
  disallow?: readonly string[];
}

/** SUMO's rule: allow lists what may pass ('all' = everything); else disallow what may not; else all. */
function admits(p: Permissions, sumoClass: string): boolean {
  if (p.allow) return p.allow.includes('all') || p.allow.includes(sumoClass);
  if (p.disallow) return !(p.disallow.includes('all') || p.disallow.includes(sumoClass));
  return true;
}

/** The roadtwin classes a lane admits, in schema order (empty: none, e.g. a sidewalk or a rail track). */
export function laneClassesOf(p: Permissions): VehicleClass[] {
  return vehicleClasses.filter((c) => admits(p, LANE_PROXY[c]));
}
