/**
 * The scenario keys of unmanned logistics (`logistics`): hubs with their van and robot fleets,
 * drone ports, the drone, van and robot models, the orders, the wind and the no-fly zones.
 * Defaults are the published figures of docs/logistics.md (Vans, Robots, Drones); where it gives
 * none (masses, power), the comment says where the number comes from.
 */
import { z } from 'zod';
import { identifier } from './ids.js';

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();
const share = z.number().finite().min(0).max(1);
const point = z.tuple([z.number().finite(), z.number().finite()]);

const hub = z
  .strictObject({
    id: identifier,
    edge: identifier.describe('the road edge the hub sits on: vans start their tours at its start and end them at its end'),
    pos: nonNegative.default(0).describe('where along the edge the hub is, m (its position for robots and distances)'),
    open: nonNegative.default(0).describe('opening time, s'),
    close: positive.optional().describe('closing time, s (default: open all run); no tour starts after it'),
    stock: z.number().int().nonnegative().optional().describe('parcels on hand (default: unlimited); an order from an empty hub is rejected (noStock)'),
    vans: z.number().int().nonnegative().default(0),
    robots: z.number().int().nonnegative().default(0),
    name: z.string().optional(),
  })
  .superRefine((h, ctx) => {
    if (h.close !== undefined && h.close <= h.open) ctx.addIssue({ code: 'custom', path: ['close'], message: 'close is not after open' });
  });
export type HubSpec = z.infer<typeof hub>;

const dronePort = z.strictObject({
  id: identifier,
  x: z.number().finite(),
  y: z.number().finite(),
  hub: identifier.describe('the hub whose orders this port flies (its parcels are stocked here ahead of time)'),
  drones: z.number().int().nonnegative().optional().describe('default: dronePortDefaults.drones'),
  pads: z.number().int().positive().optional().describe('take-off and landing pads (default: dronePortDefaults.pads)'),
  swapTime: nonNegative.optional().describe('battery swap after landing, s (default: dronePortDefaults.swapTime)'),
  windLimit: positive.optional().describe('no take-off in wind above this, m/s (default: dronePortDefaults.windLimit)'),
  name: z.string().optional(),
});
export type DronePortSpec = z.infer<typeof dronePort>;

const dronePortDefaults = z.strictObject({
  drones: z.number().int().nonnegative().default(2),
  pads: z.number().int().positive().default(1),
  // a battery swap by the dock's robot arm takes a few minutes (illustrative)
  swapTime: nonNegative.default(120).describe('s'),
  // docs/logistics.md, Drones: automated drone airports stop operating in wind above about 8–12 m/s
  windLimit: positive.default(10).describe('m/s'),
});

const drone = z.strictObject({
  // docs/logistics.md, Drones (Meituan-class): 2.5 kg payload, ~5 km service radius loaded, 10 km max, ~20 m/s, below 120 m
  payload: positive.default(2.5).describe('kg'),
  serviceRadius: positive.default(5000).describe('m, port to destination'),
  cruiseSpeed: positive.default(20).describe('airspeed, m/s'),
  cruiseAltitude: positive.max(120).default(100).describe('m above ground (at most 120 m)'),
  climbRate: positive.default(5).describe('m/s'),
  descentRate: positive.default(3).describe('m/s'),
  dropAltitude: nonNegative.default(10).describe('height it hovers at to lower the parcel, m'),
  dropTime: nonNegative.default(30).describe('hover time to lower and release the parcel, s'),
  padTime: nonNegative.default(15).describe('pad occupation on the ground before lift-off and after touch-down, s'),
  // power model of D'Andrea (2014), "Guest editorial: Can drones deliver?": P = (m_v + m_p)·g·v / (η·L/D) + P_avionics
  mass: positive.default(7).describe('empty mass with battery, kg'),
  liftToDrag: positive.default(3).describe('effective lift-to-drag ratio in cruise (D’Andrea 2014: 3)'),
  efficiency: share.refine((x) => x > 0, 'must be above 0').default(0.5).describe('power transfer efficiency η (D’Andrea 2014: 0.5)'),
  avionicsPower: nonNegative.default(100).describe('W (D’Andrea 2014: 0.1 kW)'),
  rotorArea: positive.default(0.8).describe('total rotor disc area, m² (hover power by momentum theory)'),
  battery: positive.default(400).describe('Wh'),
  reserve: share.default(0.2).describe('share of the battery never planned for'),
});
export type DroneSpec = z.infer<typeof drone>;
/** the drone's figures, also flown by the perception platform's drones (schema-perception.ts) */
export const droneSchema = drone;

const van = z.strictObject({
  type: identifier.default('van').describe('the vehicle type (vehicleTypes) the vans drive as'),
  // docs/logistics.md, Vans (Neolix-class): ~500 kg payload, ~100 km range
  payload: positive.default(500).describe('kg'),
  maxStops: z.number().int().positive().default(12).describe('hand-overs per tour'),
  // illustrative: half an hour out, so a van is back at its hub twice an hour for the orders
  // that came in meanwhile
  maxTourTime: positive.default(1800).describe('s: the longest tour the dispatcher plans (estimated at 60 % of the van’s top speed, a dwell per stop, back at the hub)'),
  range: positive.default(100000).describe('m on a full battery'),
  energyPerKm: positive.default(0.15).describe('kWh per km (illustrative, a light electric van: a 15 kWh battery for the 100 km)'),
  // a single-phase AC charging point, 220 V × 32 A ≈ 7 kW (GB/T 18487.1 / IEC 61851-1 mode 3)
  chargePower: positive
    .default(7)
    .describe('kW at the hub: a van whose next tour does not fit the range left charges what it used, (range − left) × energyPerKm / chargePower'),
  dwell: nonNegative.default(60).describe('curb stop per hand-over, s'),
  batchWindow: nonNegative.default(300).describe('a van waits up to this long after its oldest order for more orders to fill a tour, s'),
});
export type VanSpec = z.infer<typeof van>;

const robot = z.strictObject({
  // docs/logistics.md, Robots: ~15 km/h, ~30 parcels, ~5 km service radius
  speed: positive.default(4.17).describe('m/s on the sidewalk'),
  parcels: z.number().int().positive().default(4).describe('parcels per trip (the reference robot carries up to ~30)'),
  payload: positive.default(30).describe('kg'),
  serviceRadius: positive.default(5000).describe('m, hub to destination, straight line'),
  handover: nonNegative.default(30).describe('stop per hand-over, s'),
  // Alibaba DAMO Academy's Xiaomanlv last-mile robot (launched at the Apsara conference, Sept.
  // 2020: 50 parcels, ~100 km on a single charge of about 4 kWh)
  range: positive.default(100000).describe('m on a full battery (Xiaomanlv: ~100 km); no trip longer than the range left starts, and an order farther than half of it is not a robot’s'),
  energyPerKm: positive.default(0.04).describe('kWh per km (Xiaomanlv: ~4 kWh per 100 km)'),
  // the 4 kWh pack from a household socket in about four hours (illustrative)
  chargePower: positive.default(1).describe('kW at the hub: a robot whose next trip does not fit the range left charges what it used, (range − left) × energyPerKm / chargePower'),
});
export type RobotSpec = z.infer<typeof robot>;

const profilePoint = z.strictObject({ at: nonNegative.describe('s'), factor: nonNegative });

const area = z
  .strictObject({
    id: identifier.optional(),
    x: z.number().finite(),
    y: z.number().finite(),
    radius: positive.describe('destinations are uniform over this disc, m'),
    rate: positive.describe('orders per hour (at factor 1)'),
    begin: nonNegative.default(0),
    end: positive.optional().describe('default: the end of the run'),
    profile: z.array(profilePoint).optional().describe('time of day: the rate is multiplied by the factor of the last point at or before the time'),
    hub: identifier.optional().describe('origin hub (default: the hub nearest each destination)'),
    weight: z
      .strictObject({ min: positive, max: positive })
      .prefault({ min: 0.2, max: 5 })
      .describe('kg, uniform'),
    deadline: positive.default(3600).describe('promised delivery within this many seconds of the order'),
  })
  .superRefine((a, ctx) => {
    if (a.weight.max < a.weight.min) ctx.addIssue({ code: 'custom', path: ['weight', 'max'], message: 'max is below min' });
    if (a.end !== undefined && a.end <= a.begin) ctx.addIssue({ code: 'custom', path: ['end'], message: 'end is not after begin' });
  });
export type OrderAreaSpec = z.infer<typeof area>;

const listedOrder = z.strictObject({
  created: nonNegative.describe('s'),
  hub: identifier,
  x: z.number().finite(),
  y: z.number().finite(),
  weight: positive.describe('kg'),
  deadline: positive.describe('time by which it should be delivered, s'),
});
export type ListedOrderSpec = z.infer<typeof listedOrder>;

const orders = z.strictObject({
  areas: z.array(area).default([]).describe('seeded Poisson orders per area'),
  list: z.array(listedOrder).default([]).describe('explicit orders, one per row of a created, hub, x, y, weight, deadline table'),
  csv: z
    .string()
    .min(1)
    .optional()
    .describe(
      'a CSV file of orders, relative to the scenario file: a header naming the columns created, hub, x, y, weight, deadline (any order; an id column is allowed and ignored), then one order per line as in `list`; read when the scenario is loaded (its rows join `list`)',
    ),
});

const windPoint = z.strictObject({
  time: nonNegative.describe('s'),
  speed: nonNegative.describe('m/s'),
  direction: z.number().finite().default(0).describe('where the wind blows from, degrees clockwise from north'),
});

export const noFlySchema = z.strictObject({
  id: identifier,
  polygon: z.array(point).min(3).describe('corners [x, y], m'),
});

export const logisticsSchema = z.strictObject({
  dispatchInterval: positive.default(10).describe('s between dispatch rounds'),
  modes: z
    .array(z.enum(['drone', 'robot', 'van']))
    .min(1)
    .default(['drone', 'robot', 'van'])
    .describe('order of preference when several modes can serve an order'),
  hubs: z.array(hub).min(1),
  dronePorts: z.array(dronePort).default([]),
  dronePortDefaults: dronePortDefaults.prefault({}),
  drone: drone.prefault({}),
  van: van.prefault({}),
  robot: robot.prefault({}),
  orders: orders.prefault({}),
  wind: z.array(windPoint).default([]).describe('wind over time, linear between points (none: calm)'),
  noFly: z.array(noFlySchema).default([]).describe('polygons drones fly around'),
});
export type LogisticsSpec = z.infer<typeof logisticsSchema>;
