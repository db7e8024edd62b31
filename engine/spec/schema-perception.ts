/**
 * The city's incident loop in a scenario (docs/perception.md): `events` (what happens — crashes,
 * breakdowns, fires, complaints … — and how often) and `perception` (what sees it — cameras,
 * connected vehicles, citizens, drones from docks — and who handles it — response units from
 * depots). Both are optional; a scenario without them hashes as before.
 *
 * The figures of each kind (lanes blocked, on-scene time, detection rates, citizens' reports)
 * have defaults in engine/perception/kinds.ts, with their sources; `events.kinds` overrides them.
 */
import { z } from 'zod';
import { identifier } from './ids.js';
import { droneSchema, noFlySchema } from './schema-logistics.js';

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();
const share = z.number().finite().min(0).max(1);

/** Kinds on the road: each blocks lanes of a section of an edge until it is cleared. */

/** Drones at one dock, units at one depot: far above any real site, low enough that a typo cannot exhaust memory. */
const MAX_PER_SITE = 1000;
/** cameras or docks added at the coverage suggestions (each pick scans the whole district) */
const MAX_ADDED = 50;
export const onRoadKinds = ['crash', 'breakdown', 'debris', 'illegalParking', 'roadworks'] as const;
/** Kinds off the road, at a point: they block nothing but still need finding and handling. */
export const offRoadKinds = ['fire', 'illegalConstruction', 'flooding', 'complaint'] as const;
export const cityEventKinds = [...onRoadKinds, ...offRoadKinds] as const;
export type CityEventKind = (typeof cityEventKinds)[number];
export const responderKinds = ['tow', 'police', 'fire', 'works'] as const;
export type ResponderKind = (typeof responderKinds)[number];

const kindFigures = z.strictObject({
  lanes: z.number().int().min(1).max(16).optional().describe('lanes blocked from the rightmost (on-road kinds)'),
  length: positive.optional().describe('length of the blocked section, m (on-road kinds)'),
  onScene: positive.optional().describe('time the response unit spends on scene until the event is cleared, s'),
  responder: z.enum(responderKinds).optional().describe('the kind of response unit sent'),
  cameraDay: share.optional().describe('video analytics: probability per second in a camera’s view of detecting it, by day'),
  cameraNight: share.optional().describe('the same at night'),
  reportShare: share.optional().describe('share of events a citizen reports to the hotline'),
  reportMedian: positive.optional().describe('median delay of the report after the event, s (log-normal)'),
  reportSigma: nonNegative.optional().describe('log-normal σ of the report delay'),
  falseShare: share.optional().describe('share of reports of this kind that turn out to be nothing at the place (drones or units dismiss them)'),
});
export type KindFiguresSpec = z.infer<typeof kindFigures>;

const profilePoint = z.strictObject({ at: nonNegative.describe('s'), factor: nonNegative });

const onRoadRate = z.strictObject({
  kind: z.enum(onRoadKinds),
  rate: positive.describe('events per million vehicle-km driven on the edges (at factor 1)'),
  edges: z.array(identifier).min(1).optional().describe('the edges it happens on (default: every edge)'),
  profile: z.array(profilePoint).optional().describe('time of day: the rate is multiplied by the factor of the last point at or before the time'),
});

const areaRate = z.strictObject({
  id: identifier.optional(),
  kind: z.enum(offRoadKinds),
  x: z.number().finite(),
  y: z.number().finite(),
  radius: positive.describe('places are uniform over this disc, m'),
  rate: positive.describe('events per hour (at factor 1)'),
  profile: z.array(profilePoint).optional(),
});

const listedEvent = z
  .strictObject({
    id: identifier.optional(),
    kind: z.enum(cityEventKinds),
    at: nonNegative.describe('time it happens, s'),
    edge: identifier.optional().describe('on-road kinds: the edge'),
    pos: nonNegative.optional().describe('on-road kinds: start of the blocked section on the edge, m'),
    x: z.number().finite().optional().describe('off-road kinds: the place, m'),
    y: z.number().finite().optional(),
  })
  .superRefine((e, ctx) => {
    const onRoad = (onRoadKinds as readonly string[]).includes(e.kind);
    if (onRoad && e.edge === undefined) ctx.addIssue({ code: 'custom', path: ['edge'], message: `a ${e.kind} happens on the road: give its edge and pos` });
    if (onRoad && e.pos === undefined) ctx.addIssue({ code: 'custom', path: ['pos'], message: `a ${e.kind} happens on the road: give its edge and pos` });
    if (!onRoad && (e.x === undefined || e.y === undefined)) ctx.addIssue({ code: 'custom', path: [e.x === undefined ? 'x' : 'y'], message: `a ${e.kind} happens at a point: give x and y` });
  });
export type ListedEventSpec = z.infer<typeof listedEvent>;

export const eventsSchema = z.strictObject({
  kinds: z
    .strictObject(Object.fromEntries(cityEventKinds.map((k) => [k, kindFigures.optional()])) as Record<CityEventKind, z.ZodOptional<typeof kindFigures>>)
    .prefault({})
    .describe('figures per kind, overriding the defaults of docs/perception.md'),
  onRoad: z.array(onRoadRate).default([]).describe('seeded Poisson arrivals by exposure (vehicle-km driven)'),
  areas: z.array(areaRate).default([]).describe('seeded Poisson arrivals per area'),
  list: z.array(listedEvent).default([]).describe('events at given times and places'),
  csv: z
    .string()
    .min(1)
    .optional()
    .describe(
      'a CSV file of listed events, relative to the scenario file: a header naming the columns kind and at (required), edge, pos, x, y and id (optional), then one event per line as in `list`; read when the scenario is loaded (its rows join `list`)',
    ),
});
export type EventsSpec = z.infer<typeof eventsSchema>;

const camera = z.strictObject({
  id: identifier,
  x: z.number().finite(),
  y: z.number().finite(),
  height: nonNegative.default(10).describe('mast height, m'),
  range: positive.default(150).describe('slant distance up to which the video analytics works, m'),
  fov: positive.max(360).default(360).describe('horizontal field of view, degrees (360: a dome camera)'),
  heading: z.number().finite().default(0).describe('centre of the view, degrees counter-clockwise from east'),
});
export type CameraSpec = z.infer<typeof camera>;

const patrol = z.strictObject({
  every: positive.describe('s from one patrol launch at a dock to the next'),
  start: nonNegative.default(0).describe('the first launch, s'),
});
export type PatrolSpec = z.infer<typeof patrol>;

const dock = z.strictObject({
  id: identifier,
  x: z.number().finite(),
  y: z.number().finite(),
  drones: z.number().int().positive().max(MAX_PER_SITE).optional().describe('default: dronesPerDock'),
  patrol: z.union([patrol, z.literal(false)]).optional().describe('this dock’s patrols over the blind spots nearest it (false: none; default: perception.patrol)'),
});
export type DockSpec = z.infer<typeof dock>;

const depot = z.strictObject({
  id: identifier,
  kind: z.enum(responderKinds),
  edge: identifier.describe('where its units join the road'),
  units: z.number().int().positive().max(MAX_PER_SITE).default(1),
});
export type DepotSpec = z.infer<typeof depot>;

export const perceptionSchema = z.strictObject({
  clock: nonNegative.max(86400).default(0).describe('time of day at t = 0, s after midnight (day and night detection rates)'),
  night: z
    .strictObject({ from: nonNegative.max(86400).default(68400), until: nonNegative.max(86400).default(21600) })
    .prefault({})
    .describe('night, s after midnight (default 19:00 to 06:00)'),
  cameras: z.array(camera).default([]),
  connectedVehicles: z
    .strictObject({
      enabled: z.boolean().default(true),
      reach: positive.default(100).describe('an equipped vehicle notices an on-road event when it is within this distance upstream of it on its edge, m'),
    })
    .prefault({})
    .describe('equipped vehicles (v2x) report the events they pass or queue behind to an RSU in range'),
  rsi: z
    .boolean()
    .default(true)
    .describe('with v2x: every RSU in range of a confirmed on-road event announces it by RSI until it is cleared (HLW warns the equipped drivers)'),
  citizens: z
    .strictObject({
      enabled: z.boolean().default(true),
      positionError: nonNegative.default(50).describe('standard deviation of the reported place in x and in y, m'),
    })
    .prefault({}),
  docks: z.array(dock).default([]),
  docksAtDronePorts: z.boolean().default(false).describe('a perception dock at each logistics drone port too (its own drones: the fleets are separate)'),
  dronesPerDock: z.number().int().positive().max(MAX_PER_SITE).default(1),
  addCameras: z
    .number()
    .int()
    .nonnegative()
    .max(MAX_ADDED)
    .default(0)
    .describe('this many more cameras like the first, where `roadtwin coverage` suggests them (greedy: each sees the most lane length no camera sees yet), placed before the run: a sweep over it answers "where do the next cameras go, and what do they change?"'),
  addCamerasFor: z
    .enum(['lanes', 'areas'])
    .default('lanes')
    .describe('what the added cameras are placed for: the lane length no camera sees (lanes), or the unseen ground of the event areas (areas: off-road events; the whole district without areas)'),
  addDocks: z
    .number()
    .int()
    .nonnegative()
    .max(MAX_ADDED)
    .default(0)
    .describe('this many more docks (dronesPerDock drones each, patrolling when `patrol` is set), where `roadtwin coverage --docks` suggests them for addDocksMinutes: a sweep over it answers "how many docks?"'),
  addDocksMinutes: positive.max(120).default(5).describe('the time from take-off the added docks are placed for: each adds the most area a drone is over within it'),
  patrol: patrol
    .optional()
    .describe('every dock (those at drone ports too) flies a patrol over the cameras’ blind spots nearest it on this schedule, with a free drone (calls first), unless the dock says otherwise'),
  drone: droneSchema.prefault({ cruiseSpeed: 15, cruiseAltitude: 100, dropAltitude: 60, dropTime: 30, payload: 2.5 }).describe('dropAltitude is the inspection height, dropTime the time it looks'),
  droneCameraFov: positive.max(170).default(80).describe('the drone camera’s field of view, degrees: it sees a disc of radius h·tan(fov/2) below it'),
  chargePower: positive.default(800).describe('W: after a mission a drone recharges what it used at this power'),
  wind: nonNegative.default(0).describe('head wind planned for on every mission, m/s (with logistics, the larger of this and its wind schedule’s maximum)'),
  noFly: z.array(noFlySchema).default([]).describe('polygons the drones fly around (with logistics, its no-fly zones too)'),
  verifyTimeout: positive.default(600).describe('a report no drone has verified within this many seconds gets a response unit, which verifies it on arrival'),
  responders: z
    .strictObject({
      type: identifier.default('emergency').describe('the vehicle type (vehicleTypes) the units drive as'),
      depots: z.array(depot).default([]),
    })
    .prefault({}),
});
export type PerceptionSpec = z.infer<typeof perceptionSchema>;
