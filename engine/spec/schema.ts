/**
 * The scenario format: one zod schema is the single source of truth for validation, for the
 * TypeScript types the engine uses and for the JSON Schema that `roadtwin schema` prints.
 *
 * The contract (docs/scenario-format.md; its scenarios: scenarios/ring.yaml, corridor.yaml, grid.yaml)
 * fixes the keys it names; everything else here is an addition with a default, so contract
 * scenarios keep validating unchanged. Every object is strict: an unknown key is an error,
 * because a misspelt key silently ignored is a wrong result.
 */
import { z } from 'zod';
import { identifier, keyName, scenarioName } from './ids.js';
import { roadEventSchema, v2xSchema } from './schema-v2x.js';
import { logisticsSchema } from './schema-logistics.js';
import { eventsSchema, perceptionSchema } from './schema-perception.js';

const seconds = z.number().finite();
const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();
const count = z.number().int().nonnegative();

/**
 * How a signal runs (docs/signals.md): `fixed` repeats its program; `actuated` extends each green
 * while the loops on the lanes it serves see vehicles within `maxGap` (SUMO's gap-based
 * `type="actuated"`); `max-pressure` gives the green, at each decision point, to the stage with
 * the largest Σ (queue upstream − queue downstream) of its movements (Varaiya 2013); `adaptive`
 * sets each cycle's greens by Webster's method from the flows its RSU's BSMs and cameras counted
 * over the last cycle (engine/traffic/signal-adaptive.ts).
 */
const signalController = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('fixed') }),
  z.strictObject({
    type: z.literal('actuated'),
    minGreen: positive.default(5).describe("generated plans: each green's minimum duration, s (explicit programs: the phases' minDur)"),
    maxGreen: positive.default(50).describe("generated plans: each green's maximum duration, s (explicit programs: the phases' maxDur)"),
    maxGap: positive.default(3).describe('a green is extended while a loop it serves saw a vehicle less than this long ago, s (SUMO max-gap)'),
    detectorGap: positive.default(2).describe('loops sit this many seconds of travel at the lane speed upstream of the stop line, s (SUMO detector-gap)'),
    passingTime: positive.default(1.9).describe('time a queued vehicle needs to pass the stop line, s: caps the loop distance so that minGreen clears it (SUMO passing-time)'),
  }),
  z.strictObject({
    type: z.literal('max-pressure'),
    period: positive.default(5).describe('time between decision points once the minimum green is over, s'),
    minGreen: positive.default(5).describe('shortest green of a stage, s'),
    maxGreen: positive.optional().describe('longest green of a stage, s (default: none, as in Varaiya 2013)'),
  }),
  z
    .strictObject({
      type: z.literal('adaptive'),
      minCycle: positive.default(30).describe('shortest cycle Webster\'s method may set, s'),
      maxCycle: positive.default(120).describe('longest cycle, s (also the cycle when the flow ratios add up to 1 or more)'),
      minGreen: positive.default(5).describe('shortest green of a stage, s'),
      saturationFlow: positive.default(1800).describe('saturation flow of one lane, veh/h (Webster: s)'),
      memory: nonNegative.default(120).describe('time constant of the smoothing of the flows counted in each cycle, s (0: the last cycle alone)'),
      penetration: z
        .number()
        .finite()
        .gt(0)
        .max(1)
        .optional()
        .describe('share of vehicles the RSU hears, to scale BSM counts where no camera gives one (default: v2x.penetration, or 1)'),
    })
    .superRefine((a, ctx) => {
      if (a.minCycle > a.maxCycle) ctx.addIssue({ code: 'custom', path: ['minCycle'], message: `minCycle ${a.minCycle} s is longer than maxCycle ${a.maxCycle} s` });
      if (a.minGreen >= a.maxCycle) ctx.addIssue({ code: 'custom', path: ['minGreen'], message: `minGreen ${a.minGreen} s does not fit in maxCycle ${a.maxCycle} s` });
    }),
]);
export type SignalControllerSpec = z.infer<typeof signalController>;

/**
 * Signal priority (docs/signals.md, "Priority"): equipped buses and emergency vehicles heard by the
 * junction's RSU ask for the green of their approach; the fixed-time controller grants it by the
 * standard transit-signal-priority strategies (green extension, early green) and by emergency
 * pre-emption (engine/traffic/signal-priority.ts).
 */
const signalPriority = z.strictObject({
  bus: z
    .strictObject({
      extension: nonNegative.default(10).describe('longest extension of the green a bus arrives in just after, s (0: none)'),
      earlyGreen: nonNegative.default(10).describe('most the green of the other approaches is cut by for a bus waiting at red, s (never below minGreen; 0: none)'),
      maxPerCycle: z.number().int().min(0).default(1).describe('bus requests granted per cycle of the plan, at most'),
      minGreen: positive.default(5).describe('no green is cut below this, s (nor below its own length)'),
    })
    .optional()
    .describe('transit signal priority for vehicles of class bus (behind their timetable, if they have one)'),
  emergency: z
    .strictObject({
      preempt: z.boolean().default(true).describe('an emergency vehicle gets the green of its approach after the minimum green and the clearance of the green in force'),
      minGreen: positive.default(5).describe('the green in force runs at least this long before a pre-emption ends it, s'),
    })
    .optional()
    .describe('pre-emption for vehicles of class emergency'),
  detectAt: positive.default(150).describe('distance from the stop line within which a request heard by the RSU is acted on, m'),
}).refine((p) => p.bus !== undefined || p.emergency !== undefined, {
  message: 'give bus or emergency (or both): priority for whom',
  // an unknown key (a misspelt bus or emergency) is reported on its own
  when: (payload) => payload.issues.length === 0,
});
export type SignalPrioritySpec = z.infer<typeof signalPriority>;

const signalPlan = z.strictObject({
  cycle: positive.describe('cycle length, s'),
  yellow: nonNegative.default(3).describe('yellow interval after each green, s'),
  allRed: nonNegative.default(1).describe('all-red clearance after each yellow, s'),
  offset: nonNegative.default(0).describe('time of the cycle start, s'),
  leftTurns: z
    .enum(['permitted', 'protected', 'auto'])
    .default('auto')
    .describe('auto: a protected left phase where the approach has a lane for left turns only (3+ lanes)'),
  controller: signalController.optional().describe('how the signal runs: fixed (default), actuated, max-pressure or adaptive'),
  priority: signalPriority.optional().describe('priority for buses and emergency vehicles heard by the RSU (fixed-time and actuated controllers)'),
});
export type SignalPlanSpec = z.infer<typeof signalPlan>;

/** Priority runs on the fixed-time and actuated controllers: a clear message where it is given with another one. */
function checkPriority(s: { controller?: SignalControllerSpec; priority?: SignalPrioritySpec }, ctx: z.RefinementCtx): void {
  if (s.priority && s.controller && s.controller.type !== 'fixed' && s.controller.type !== 'actuated')
    ctx.addIssue({
      code: 'custom',
      path: ['priority'],
      message: `priority works with the fixed-time and actuated controllers only, not with controller ${s.controller.type}; drop priority or use controller: { type: fixed } or { type: actuated }`,
    });
}
const checkedSignalPlan = signalPlan.superRefine(checkPriority);

const ring = z.strictObject({
  length: positive,
  lanes: z.number().int().min(1).max(16),
  speedLimit: positive,
});

const grid = z.strictObject({
  rows: z.number().int().min(1).max(200),
  cols: z.number().int().min(1).max(200),
  spacing: positive,
  lanes: z.number().int().min(1).max(16),
  speedLimit: positive,
  signals: checkedSignalPlan.optional(),
  fringe: positive.optional().describe('length of the entry/exit edges at the border, m (default: spacing)'),
});

/**
 * One state character per signal link, as in SUMO's tlLogic: G green with right of way, g green
 * that yields to foes of better rank, y/Y yellow, r/R/u red (u: red-yellow), o/O/s no signal
 * (the junction's right of way applies, as for g).
 */
export const SIGNAL_STATE_CHARS = 'GgyYrRuoOs';
const signalPhase = z.strictObject({
  duration: positive.describe('s'),
  state: z
    .string()
    .regex(new RegExp(`^[${SIGNAL_STATE_CHARS}]+$`), `one character per link, each one of ${SIGNAL_STATE_CHARS.split('').join(' ')}`)
    .describe('the state of each link during this phase (character k for links[k])'),
  minDur: positive.optional().describe('actuated controller: shortest duration of this phase, s (default: duration)'),
  maxDur: positive.optional().describe('actuated controller: longest duration of this phase, s (default: duration)'),
});
export type SignalPhaseSpec = z.infer<typeof signalPhase>;

/** A signal link: the index of one connection in network.connections, or of several that share a light. */
const signalLink = z.union([count, z.array(count).min(1)]);

/**
 * A node's own signal: a generated plan (cycle, …) as for every signal node, or an explicit
 * fixed-time program whose state characters map to connections through `links`.
 */
const nodeSignal = signalPlan
  .extend({
    cycle: positive.optional().describe('cycle length of a generated plan, s (not with program)'),
    program: z
      .array(signalPhase)
      .min(1)
      .optional()
      .describe('explicit fixed-time program, repeated; the cycle is the sum of the durations (yellow, allRed and leftTurns do not apply)'),
    links: z
      .array(signalLink)
      .optional()
      .describe('with program: links[k] is the connection (index in network.connections) that state character k controls'),
  })
  .superRefine((s, ctx) => {
    checkPriority(s, ctx);
    if ((s.cycle === undefined) === (s.program === undefined))
      ctx.addIssue({ code: 'custom', message: 'give exactly one of cycle (a generated plan) or program (an explicit one)' });
    if (s.program && !s.links) ctx.addIssue({ code: 'custom', path: ['links'], message: 'a program needs links: the connection of each state character' });
    if (!s.program && s.links) ctx.addIssue({ code: 'custom', path: ['links'], message: 'links belong to a program; give program too' });
    if (s.program)
      s.program.forEach((ph, k) => {
        const lo = ph.minDur ?? ph.duration;
        const hi = ph.maxDur ?? ph.duration;
        if (lo > hi) ctx.addIssue({ code: 'custom', path: ['program', k, 'minDur'], message: `minDur ${lo} s is longer than maxDur ${hi} s` });
      });
    if (s.program && s.links)
      s.program.forEach((ph, k) => {
        if (ph.state.length !== s.links!.length)
          ctx.addIssue({
            code: 'custom',
            path: ['program', k, 'state'],
            message: `has ${ph.state.length} character(s) but there are ${s.links!.length} link(s); give one character per link`,
          });
      });
  });
export type NodeSignalSpec = z.infer<typeof nodeSignal>;
export interface SignalProgramSpec {
  offset: number;
  program: SignalPhaseSpec[];
  links: (number | number[])[];
  /** how it runs (default fixed) */
  controller?: SignalControllerSpec;
  /** priority for buses and emergency vehicles (fixed-time and actuated) */
  priority?: SignalPrioritySpec;
  /** max-pressure on an explicit program: the change intervals it inserts between stages, s */
  yellow?: number;
  allRed?: number;
}

export const vehicleClasses = ['car', 'bus', 'truck', 'van', 'emergency'] as const;
export type VehicleClass = (typeof vehicleClasses)[number];

const node = z.strictObject({
  id: identifier,
  x: seconds,
  y: seconds,
  control: z
    .enum(['priority', 'signal', 'unregulated', 'priorityStop', 'allwayStop'])
    .optional()
    .describe('right of way: priority (default), signal, unregulated (first come, first served), priorityStop (a priority junction whose yielding movements halt at the line first: stop signs), allwayStop (every movement halts at the line, then first come, first served)'),
  signal: nodeSignal.optional().describe('the plan or program of this node when control is signal'),
  name: z.string().optional(),
});

const point = z.tuple([z.number().finite(), z.number().finite()]);

const edge = z.strictObject({
  id: identifier,
  from: identifier,
  to: identifier,
  lanes: z.number().int().min(1).max(16),
  speedLimit: positive,
  shape: z.array(point).min(2).optional(),
  length: positive.optional().describe('m (default: measured along the shape)'),
  laneSpeeds: z.array(positive).min(1).optional().describe('speed limit of each lane from the rightmost, m/s (default: speedLimit for all)'),
  laneClasses: z
    .array(z.array(z.enum(vehicleClasses)).min(1).nullable())
    .min(1)
    .optional()
    .describe('the vehicle classes each lane admits, from the rightmost; null: every class (default: every lane admits every class). A bus lane is [bus, emergency]'),
  name: z.string().optional(),
});

export const turnDirections = ['straight', 'right', 'left', 'uturn'] as const;

/** An explicit lane-to-lane connection; a node with any of them gets no generated ones. */
const connection = z.strictObject({
  from: identifier.describe('edge arriving at the node'),
  fromLane: count.describe('0 = rightmost'),
  to: identifier.describe('edge leaving the node'),
  toLane: count.describe('0 = rightmost'),
  dir: z.enum(turnDirections).optional().describe('default: from the geometry'),
  speed: positive.optional().describe("speed limit through the junction, m/s (SUMO: the internal lane's); default: the speed the curve allows (network.turnLateralAccel)"),
  length: positive.optional().describe("length of the path through the junction, m, over which that limit holds past the stop line; default: the curve's"),
  foes: z
    .array(count)
    .optional()
    .describe(
      "the connections (indices in network.connections, at the same node) whose paths cross this one inside the junction (SUMO: the junction's <request foes>); where any connection of a node gives foes, that node's crossing conflicts are the ones given (either side naming the other is enough) instead of the ones derived from the geometry; movements into one lane always conflict",
    ),
});
export type ConnectionSpec = z.infer<typeof connection>;

export const networkSchema = z
  .strictObject({
    ring: ring.optional(),
    grid: grid.optional(),
    nodes: z.array(node).optional(),
    edges: z.array(edge).optional(),
    connections: z
      .array(connection)
      .optional()
      .describe('explicit lane-to-lane connections (nodes+edges networks); nodes without any get generated ones'),
    signals: checkedSignalPlan.optional().describe('default plan for nodes with control: signal'),
    laneWidth: positive.default(3.2),
    turnLateralAccel: nonNegative
      .default(5.5)
      .describe("turning drivers keep to the speed at which their curve through the junction gives this mean lateral acceleration, m/s² (netconvert's junctions.limit-turn-speed); 0: no turn speed limits"),
  })
  .superRefine((net, ctx) => {
    const kinds = [net.ring && 'ring', net.grid && 'grid', (net.nodes || net.edges) && 'nodes+edges'].filter(Boolean);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          kinds.length === 0
            ? 'the network is empty: give exactly one of ring, grid or nodes+edges'
            : `give exactly one of ring, grid or nodes+edges, not ${kinds.join(' and ')}`,
      });
    } else if (kinds[0] === 'nodes+edges') {
      if (!net.nodes || net.nodes.length === 0) ctx.addIssue({ code: 'custom', path: ['nodes'], message: 'at least one node is required' });
      if (!net.edges || net.edges.length === 0) ctx.addIssue({ code: 'custom', path: ['edges'], message: 'at least one edge is required' });
    }
    if (net.connections && kinds[0] !== 'nodes+edges')
      ctx.addIssue({ code: 'custom', path: ['connections'], message: 'connections belong to a nodes+edges network' });
  });

const vehicleType = z.strictObject({
  length: positive.describe('m'),
  maxSpeed: positive.describe('m/s'),
  accel: positive.describe('IDM maximum acceleration a, m/s²'),
  decel: positive.describe('IDM comfortable deceleration b, m/s²'),
  headway: nonNegative.describe('IDM time headway T, s'),
  minGap: nonNegative.describe('IDM jam distance s0, m'),
  emergencyDecel: positive.optional().describe('physical braking limit, m/s² (default max(9, decel))'),
  class: z.enum(vehicleClasses).optional().describe('default: the type name when it is a class name, else car'),
  ignoresLaneClasses: z.boolean().optional().describe("drives on every lane whatever the lanes' laneClasses (SUMO's vClass ignoring); default false"),
  politeness: nonNegative.max(1).default(0.3).describe('MOBIL politeness p'),
  changeThreshold: nonNegative.default(0.1).describe('MOBIL threshold Δa_th, m/s²'),
  keepRightBias: nonNegative.default(0.1).describe('MOBIL keep-right bias, m/s²'),
  safeDecel: positive.default(4).describe('MOBIL safe deceleration b_safe, m/s²'),
  speedFactor: positive.default(1).describe('mean ratio of desired speed to the speed limit'),
  speedDev: nonNegative.max(1).default(0).describe('relative standard deviation of the speed factor'),
  carFollowing: z
    .enum(['idm', 'krauss'])
    .default('idm')
    .describe("idm: the Intelligent Driver Model; krauss: Krauss's safe-speed model, SUMO's default (docs/models.md)"),
  sigma: nonNegative.max(1).default(0).describe("Krauss driver imperfection σ (SUMO's sigma): dawdling of up to σ·accel per step; krauss only"),
});
export type VehicleTypeSpec = z.infer<typeof vehicleType>;

const departSpeed = z.union([z.literal('max'), nonNegative]).default('max');

/**
 * Where on the first edge a vehicle enters, and where on the last it arrives (SUMO's departLane,
 * departPos, arrivalPos). Absent: the lane that leads on along the route at the highest speed, at
 * the start of the edge, arriving at its end.
 */
const departLane = z
  .union([z.enum(['best', 'first', 'free', 'random', 'allowed']), count])
  .optional()
  .describe('best: the lane that leads on along the route; first: the rightmost allowed; free: the emptiest; random; allowed: the emptiest of the allowed; or a lane index (0 = rightmost)');
const departPos = z
  .union([z.enum(['base', 'random', 'free']), nonNegative])
  .optional()
  .describe('m from the start of the first edge, or base (the start), random, free (the largest gap)');
const arrivalPos = z
  .union([z.enum(['max', 'random']), z.number().finite()])
  .optional()
  .describe('m from the start of the last edge (negative: from its end), or max (its end, the default), random');

const stop = z
  .strictObject({
    edge: identifier,
    pos: nonNegative.describe('position of the stop on the edge, m'),
    lane: count.optional().describe('lane of the stop, 0 = rightmost (default: the rightmost lane the vehicle may use)'),
    duration: nonNegative.default(0).describe('dwell time, s'),
    until: nonNegative.optional().describe('the vehicle leaves no earlier than this simulated time, s (with duration: the later of the two)'),
    name: z.string().optional().describe('the stop\'s name (a bus stop), for reports'),
  });
export type StopSpec = z.infer<typeof stop>;

const place = z.strictObject({
  type: identifier,
  count: count.max(10_000_000),
  edge: identifier.optional(),
  speed: nonNegative.optional(),
  jitter: nonNegative.optional(),
});

const flow = z
  .strictObject({
    id: identifier.optional(),
    type: identifier,
    route: z.array(identifier).min(1).optional(),
    from: identifier.optional(),
    to: identifier.optional(),
    rate: positive.optional().describe('veh/h'),
    period: positive.optional().describe('s between departures (the mean, with headways: exponential)'),
    probability: z.number().gt(0).max(1).optional().describe("chance of a departure in each whole second from begin (SUMO's probability flows: binomial arrivals)"),
    headways: z.enum(['even', 'exponential']).default('even').describe('even: a departure every period; exponential: random headways with that mean (Poisson arrivals, SUMO\'s period="exp(λ)")'),
    begin: nonNegative,
    end: nonNegative,
    departSpeed,
    departLane,
    departPos,
    arrivalPos,
    stops: z.array(stop).optional(),
  })
  .superRefine((f, ctx) => {
    if ([f.rate, f.period, f.probability].filter((x) => x !== undefined).length !== 1)
      ctx.addIssue({ code: 'custom', message: 'give exactly one of rate, period or probability' });
    if (f.probability !== undefined && f.headways !== 'even')
      ctx.addIssue({ code: 'custom', path: ['headways'], message: 'a probability flow draws its departures second by second: headways do not apply' });
    if (f.route === undefined && (f.from === undefined || f.to === undefined))
      ctx.addIssue({ code: 'custom', message: 'give a route, or both from and to' });
    if (f.route !== undefined && (f.from !== undefined || f.to !== undefined))
      ctx.addIssue({ code: 'custom', path: ['route'], message: 'give either a route or from/to, not both' });
    if (f.end < f.begin) ctx.addIssue({ code: 'custom', path: ['end'], message: 'end is before begin' });
  });

const randomTrips = z
  .strictObject({
    type: identifier,
    period: positive.optional(),
    rate: positive.optional(),
    begin: nonNegative,
    end: nonNegative,
    departSpeed,
  })
  .superRefine((f, ctx) => {
    if ((f.rate === undefined) === (f.period === undefined))
      ctx.addIssue({ code: 'custom', message: 'give exactly one of rate or period' });
    if (f.end < f.begin) ctx.addIssue({ code: 'custom', path: ['end'], message: 'end is before begin' });
  });

const trip = z.strictObject({
  id: identifier.optional(),
  type: identifier,
  depart: nonNegative,
  from: identifier,
  to: identifier,
  via: z.array(identifier).optional(),
  departSpeed,
  departLane,
  departPos,
  arrivalPos,
  stops: z.array(stop).optional(),
});

/** A stop as a trips file's `stops` column gives it (the same fields as in YAML). */
export const stopSchema = stop;

export const demandEntrySchema = z.union([
  z.strictObject({ place }),
  z.strictObject({ flow }),
  z.strictObject({ randomTrips }),
  z.strictObject({ trips: z.array(trip) }),
  z.strictObject({
    tripsFile: z
      .string()
      .min(1)
      .max(4096)
      .describe(
        'a CSV file of trips, relative to the scenario file: a header naming the columns (type, depart, from, to required; id, via, departSpeed, departLane, departPos, arrivalPos, stops optional), then one trip per line with the meanings of the trips list; read streaming when the scenario is loaded, into compact arrays (docs/scenario-format.md#trips-files)',
      ),
  }),
]);

const detector = z.strictObject({
  id: identifier,
  edge: identifier,
  pos: nonNegative,
  period: positive,
  lane: z.number().int().nonnegative().optional().describe('one lane (0 = rightmost); default: all lanes'),
});

const traffic = z.strictObject({
  gridlockTimeout: positive.default(300).describe('a vehicle stopped this long is removed (and logged), s'),
  laneChangeInterval: positive.default(1).describe('how often a driver reconsiders a discretionary lane change, s'),
  lookahead: positive.default(400).describe('how far ahead a driver looks for leaders and stop lines, m'),
  hazardSight: positive.default(100).describe('how far ahead a driver without a warning sees a blocked lane, m'),
});

const output = z.strictObject({
  traceInterval: positive.default(1).describe('s between trace samples'),
  emissions: z.boolean().default(true).describe('fuel and CO₂ per vehicle (VT-Micro and a power model; engine/traffic/emissions.ts)'),
  intervals: positive
    .default(300)
    .describe('s per row of edges.csv, lanes.csv and junctions.csv: intervals start at 0, the end of the run closes a last, shorter one'),
  edges: z.boolean().default(true).describe('write edges.csv: per edge and interval, vehicle-seconds, entered and left, flow, density, occupancy, mean speed, waiting time, time loss, travel time'),
  lanes: z
    .boolean()
    .default(false)
    .describe('write lanes.csv: per lane with traffic and interval, the figures of edges.csv plus lane changes onto and off it (SUMO\'s laneData)'),
  junctions: z.boolean().default(true).describe('write junctions.csv: per junction movement and interval, count, mean control delay, level of service, queues'),
  signals: z.boolean().default(true).describe('write signals.csv: one row per signal state change (time, junction, program, phase, state)'),
});

const typeName = keyName;

export const scenarioSchema = z.strictObject({
  name: scenarioName,
  description: z.string().optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  duration: positive.describe('simulated seconds'),
  step: z.number().finite().gt(0).lte(1).default(0.1),
  network: networkSchema,
  vehicleTypes: z.record(typeName, vehicleType).refine((t) => Object.keys(t).length > 0, {
    message: 'at least one vehicle type is required',
  }),
  vehicleTypeDistributions: z
    .record(typeName, z.record(typeName, positive).refine((d) => Object.keys(d).length > 0, { message: 'a distribution needs at least one type' }))
    .optional()
    .describe('named mixes of vehicle types (type → weight): a trip or flow whose type names a distribution draws each vehicle\'s type from it, counter-based, so the same vehicle has the same type in every run'),
  demand: z.array(demandEntrySchema).default([]),
  detectors: z.array(detector).default([]),
  traffic: traffic.default({ gridlockTimeout: 300, laneChangeInterval: 1, lookahead: 400, hazardSight: 100 }),
  output: output.default({ traceInterval: 1, emissions: true, intervals: 300, edges: true, lanes: false, junctions: true, signals: true }),
  v2x: v2xSchema.optional().describe('roadside units, on-board units, radio channel and cooperative applications'),
  roadEvents: z.array(roadEventSchema).default([]).describe('hazards, lane closures and speed-limit zones, with their time windows'),
  logistics: logisticsSchema.optional().describe('unmanned logistics: hubs, drone ports, vans, robots, drones, orders, wind, no-fly zones'),
  events: eventsSchema.optional().describe('city events (crashes, breakdowns, fires, complaints …): kinds, seeded arrivals, listed events'),
  perception: perceptionSchema.optional().describe('what finds the city events (cameras, connected vehicles, citizens, drones from docks) and who handles them (response depots)'),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type NetworkSpec = Scenario['network'];
export type DemandEntry = Scenario['demand'][number];
export type DetectorSpec = Scenario['detectors'][number];
export type FlowSpec = z.infer<typeof flow>;
export type RandomTripsSpec = z.infer<typeof randomTrips>;
export type TripSpec = z.infer<typeof trip>;
export type PlaceSpec = z.infer<typeof place>;
