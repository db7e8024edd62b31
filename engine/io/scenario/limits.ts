/**
 * Resource limits of a scenario, checked before anything is allocated for it: sizes of the
 * network, vehicles placed, departures the demand will make over the run, detectors, RSUs, road
 * events, the number of ticks and an estimate of the trace and of edges.csv and junctions.csv. They are far beyond any real
 * scenario (Laoshan has 60 edges, 4,900 departures an hour and 12 RSUs); what they stop is a typo
 * or a fuzzed value (`count: 1e9`, `rate: 1e12`, `step: 1e-9`) that would otherwise exhaust
 * memory or never finish. Each problem names the field to change.
 *
 * `checkLimits` needs only the validated scenario and runs first in checkSemantics;
 * `checkOutputLimits` needs the built network (lane lengths) and runs after it is built.
 */
import type { Problem } from './problem.js';
import type { Scenario } from '../../spec/schema.js';
import type { Network } from '../../road/network.js';
import { RECORD_BYTES } from '../trace/format.js';

export const LIMITS = {
  /** simulated seconds (31 days) */
  duration: 31 * 86_400,
  /** duration / step */
  ticks: 100_000_000,
  /** |x| and |y| of any node, shape point or RSU, m; also ring length, grid extent, edge length */
  coordinate: 10_000_000,
  nodes: 200_000,
  edges: 400_000,
  /** lanes of all edges together */
  lanes: 1_000_000,
  /** shape points of all edges together */
  shapePoints: 2_000_000,
  connections: 2_000_000,
  /** phases of one signal program */
  signalPhases: 10_000,
  /** vehicle types (the type table numbers them in a byte) */
  vehicleTypes: 250,
  /** speed limits, maximum speeds and speeds given for vehicles, m/s */
  speed: 1_000,
  /** accelerations and decelerations, m/s² */
  accel: 1_000,
  /** vehicles put on the road at t = 0, all place entries together */
  placed: 2_000_000,
  /** departures of one flow or randomTrips entry per hour (a period of 36 ms) */
  rate: 100_000,
  /** departures of all flow, randomTrips and trips entries over the run */
  departures: 20_000_000,
  /** stops of all trips and flows together */
  stops: 1_000_000,
  detectors: 10_000,
  /** detector rows over the run (detectors × periods) */
  detectorRows: 100_000_000,
  /** rows of edges.csv, lanes.csv and junctions.csv together over the run (intervals × (edges + lanes + movements)) */
  placeRows: 100_000_000,
  rsus: 10_000,
  /** sensors of one RSU */
  sensors: 64,
  roadEvents: 100_000,
  /** the trace's size if the network were full for the whole run, bytes (256 GiB) */
  traceBytes: 256 * 2 ** 30,
} as const;

type Path = (string | number)[];

const fmt = (x: number): string => (Number.isInteger(x) && Math.abs(x) < 1e15 ? x.toLocaleString('en') : x.toPrecision(3));

/** Size limits that need only the scenario. An empty list means it may be built. */
export function checkLimits(s: Scenario): Problem[] {
  const problems: Problem[] = [];
  // "<subject> is <value><unit>, over the limit of <limit><unit>[; <hint>]"
  const over = (path: Path, subject: string, value: number, limit: number, unit = '', hint = '') =>
    problems.push({ path, message: `${subject} is ${fmt(value)}${unit}, over the limit of ${fmt(limit)}${unit}${hint ? `; ${hint}` : ''}` });
  const net = s.network;

  if (s.duration > LIMITS.duration) over(['duration'], 'the duration', s.duration, LIMITS.duration, ' s', 'that is 31 days');
  const ticks = s.duration / s.step;
  if (!(ticks <= LIMITS.ticks)) over(['step'], 'the number of ticks (duration / step)', Math.ceil(ticks), LIMITS.ticks, '', 'use a longer step or a shorter duration');

  // ---- network
  const coordinate = (path: Path, v: number | undefined) => {
    if (v !== undefined && Math.abs(v) > LIMITS.coordinate) over(path, 'the magnitude of the coordinate', Math.abs(v), LIMITS.coordinate, ' m');
  };
  if (net.ring) {
    if (net.ring.length > LIMITS.coordinate) over(['network', 'ring', 'length'], 'the length', net.ring.length, LIMITS.coordinate, ' m');
    checkSpeed(net.ring.speedLimit, ['network', 'ring', 'speedLimit'], over);
  }
  if (net.grid) {
    const g = net.grid;
    const extent = (Math.max(g.rows, g.cols) - 1) * g.spacing + 2 * (g.fringe ?? g.spacing);
    if (extent > LIMITS.coordinate) over(['network', 'grid', 'spacing'], "the grid's extent", extent, LIMITS.coordinate, ' m');
    // inner two-way streets, then an entry and an exit edge at every border node
    const edges = 2 * (g.rows * (g.cols - 1) + g.cols * (g.rows - 1)) + 4 * (g.rows + g.cols);
    if (edges * g.lanes > LIMITS.lanes) over(['network', 'grid'], `the number of lanes of a ${g.rows} × ${g.cols} grid with ${g.lanes} per edge`, edges * g.lanes, LIMITS.lanes);
    checkSpeed(g.speedLimit, ['network', 'grid', 'speedLimit'], over);
  }
  if (net.nodes) {
    if (net.nodes.length > LIMITS.nodes) over(['network', 'nodes'], 'the number of nodes', net.nodes.length, LIMITS.nodes);
    net.nodes.forEach((n, i) => {
      coordinate(['network', 'nodes', i, 'x'], n.x);
      coordinate(['network', 'nodes', i, 'y'], n.y);
      const phases = n.signal?.program?.length ?? 0;
      if (phases > LIMITS.signalPhases) over(['network', 'nodes', i, 'signal', 'program'], 'the number of phases', phases, LIMITS.signalPhases);
    });
  }
  if (net.edges) {
    if (net.edges.length > LIMITS.edges) over(['network', 'edges'], 'the number of edges', net.edges.length, LIMITS.edges);
    let lanes = 0;
    let points = 0;
    net.edges.forEach((e, i) => {
      lanes += e.lanes;
      points += e.shape?.length ?? 0;
      e.shape?.forEach((p, k) => {
        coordinate(['network', 'edges', i, 'shape', k, 0], p[0]);
        coordinate(['network', 'edges', i, 'shape', k, 1], p[1]);
      });
      if (e.length !== undefined && e.length > LIMITS.coordinate) over(['network', 'edges', i, 'length'], 'the length', e.length, LIMITS.coordinate, ' m');
      checkSpeed(e.speedLimit, ['network', 'edges', i, 'speedLimit'], over);
      e.laneSpeeds?.forEach((v, k) => checkSpeed(v, ['network', 'edges', i, 'laneSpeeds', k], over));
    });
    if (lanes > LIMITS.lanes) over(['network', 'edges'], 'the number of lanes of all edges', lanes, LIMITS.lanes);
    if (points > LIMITS.shapePoints) over(['network', 'edges'], 'the number of shape points of all edges', points, LIMITS.shapePoints);
  }
  if (net.connections && net.connections.length > LIMITS.connections) over(['network', 'connections'], 'the number of connections', net.connections.length, LIMITS.connections);

  // ---- vehicle types
  const typeNames = Object.keys(s.vehicleTypes);
  if (typeNames.length > LIMITS.vehicleTypes) over(['vehicleTypes'], 'the number of vehicle types', typeNames.length, LIMITS.vehicleTypes);
  for (const name of typeNames) {
    const t = s.vehicleTypes[name];
    checkSpeed(t.maxSpeed, ['vehicleTypes', name, 'maxSpeed'], over);
    for (const key of ['accel', 'decel', 'emergencyDecel', 'safeDecel'] as const) {
      const v = t[key];
      if (v !== undefined && v > LIMITS.accel) over(['vehicleTypes', name, key], key, v, LIMITS.accel, ' m/s²');
    }
    if (t.length > LIMITS.coordinate) over(['vehicleTypes', name, 'length'], 'the length', t.length, LIMITS.coordinate, ' m');
  }

  // ---- demand: vehicles placed, departures expected over the run, stops
  let placed = 0;
  let departures = 0;
  let stops = 0;
  s.demand.forEach((d, i) => {
    if ('place' in d) {
      placed += d.place.count;
      if (d.place.speed !== undefined) checkSpeed(d.place.speed, ['demand', i, 'place', 'speed'], over);
    } else if ('flow' in d || 'randomTrips' in d) {
      const key = 'flow' in d ? 'flow' : 'randomTrips';
      const f = 'flow' in d ? d.flow : d.randomTrips;
      // (a probability flow departs at most once a second: its mean rate is 3600·p veh/h)
      const probability = 'flow' in d ? d.flow.probability : undefined;
      const rate = f.rate ?? (probability !== undefined ? 3600 * probability : 3600 / f.period!);
      const field = f.rate !== undefined ? 'rate' : probability !== undefined ? 'probability' : 'period';
      if (!(rate <= LIMITS.rate))
        over(['demand', i, key, field], 'the rate', rate, LIMITS.rate, ' veh/h', `one entry departs at most every ${3600 / LIMITS.rate} s`);
      else {
        const n = Math.max(0, Math.ceil(((Math.min(f.end, s.duration) - f.begin) * rate) / 3600));
        departures += n;
        if ('flow' in d) stops += n > 0 ? (d.flow.stops?.length ?? 0) : 0;
      }
      if (typeof f.departSpeed === 'number') checkSpeed(f.departSpeed, ['demand', i, key, 'departSpeed'], over);
    } else if ('trips' in d) {
      departures += d.trips.length;
      d.trips.forEach((t, k) => {
        stops += t.stops?.length ?? 0;
        if (typeof t.departSpeed === 'number') checkSpeed(t.departSpeed, ['demand', i, 'trips', k, 'departSpeed'], over);
      });
    }
  });
  if (placed > LIMITS.placed) over(['demand'], 'the number of vehicles placed (all place entries)', placed, LIMITS.placed);
  if (departures > LIMITS.departures)
    over(['demand'], 'the number of departures over the run (rate × time of every flow and randomTrips entry, and every trip)', departures, LIMITS.departures);
  if (stops > LIMITS.stops) over(['demand'], 'the number of stops of all trips and flows', stops, LIMITS.stops);

  // ---- detectors, RSUs, road events
  if (s.detectors.length > LIMITS.detectors) over(['detectors'], 'the number of detectors', s.detectors.length, LIMITS.detectors);
  else {
    let rows = 0;
    // a detector reports at most once per tick
    for (const d of s.detectors) rows += Math.ceil(s.duration / Math.max(d.period, s.step));
    if (rows > LIMITS.detectorRows) over(['detectors'], 'the number of detector rows over the run (duration / period of each)', rows, LIMITS.detectorRows, '', 'use longer periods');
  }
  const rsus = s.v2x?.rsus ?? [];
  if (rsus.length > LIMITS.rsus) over(['v2x', 'rsus'], 'the number of RSUs', rsus.length, LIMITS.rsus);
  rsus.forEach((r, i) => {
    coordinate(['v2x', 'rsus', i, 'x'], r.x);
    coordinate(['v2x', 'rsus', i, 'y'], r.y);
    if (r.sensors.length > LIMITS.sensors) over(['v2x', 'rsus', i, 'sensors'], 'the number of sensors', r.sensors.length, LIMITS.sensors);
  });
  if (s.roadEvents.length > LIMITS.roadEvents) over(['roadEvents'], 'the number of road events', s.roadEvents.length, LIMITS.roadEvents);
  s.roadEvents.forEach((e, i) => {
    if (e.speedLimit !== undefined) checkSpeed(e.speedLimit, ['roadEvents', i, 'speedLimit'], over);
  });
  return problems;
}

function checkSpeed(v: number, path: Path, over: (path: Path, subject: string, value: number, limit: number, unit?: string) => void): void {
  if (v > LIMITS.speed) over(path, 'the speed', v, LIMITS.speed, ' m/s');
}

/**
 * Limits that need the built network: the trace of a run whose lanes were full of the shortest
 * vehicle type, bumper to bumper at its jam distance, for every frame.
 */
export function checkOutputLimits(s: Scenario, network: Network): Problem[] {
  return [...traceLimit(s, network), ...placeRowsLimit(s, network)];
}

/**
 * edges.csv, lanes.csv and junctions.csv: a row per edge, per lane (at most: lanes.csv has only
 * those with traffic) and per movement (junction, from, to) each interval (at most one a tick).
 */
function placeRowsLimit(s: Scenario, network: Network): Problem[] {
  const o = s.output;
  if (!o.edges && !o.lanes && !o.junctions) return [];
  const nE = network.edgeIds.length;
  const nL = o.lanes ? network.laneCount : 0;
  const movements = new Set<number>();
  if (o.junctions) for (let c = 0; c < network.connCount; c++) movements.add(network.connFromEdge[c] * nE + network.connToEdge[c]);
  const intervals = Math.ceil(s.duration / Math.max(o.intervals, s.step));
  const rows = intervals * ((o.edges ? nE : 0) + nL + movements.size);
  if (rows <= LIMITS.placeRows) return [];
  const files = o.lanes ? 'edges.csv, lanes.csv and junctions.csv' : 'edges.csv and junctions.csv';
  const places = o.lanes ? `${fmt(nE)} edges, ${fmt(nL)} lanes and ${fmt(movements.size)} movements` : `${fmt(nE)} edges and ${fmt(movements.size)} movements`;
  return [
    {
      path: ['output', 'intervals'],
      message: `${files} would have ${fmt(rows)} rows (${fmt(intervals)} intervals of ${places}), over the limit of ${fmt(LIMITS.placeRows)}; use longer intervals, a shorter duration or output.edges / output.junctions: false${o.lanes ? ' or output.lanes: false' : ''}`,
    },
  ];
}

function traceLimit(s: Scenario, network: Network): Problem[] {
  let laneMetres = 0;
  for (let e = 0; e < network.edgeIds.length; e++) laneMetres += network.edgeLength[e] * network.edgeLanes[e];
  let shortest = Infinity;
  for (const t of Object.values(s.vehicleTypes)) shortest = Math.min(shortest, t.length + t.minGap);
  const capacity = Math.ceil(laneMetres / shortest);
  const frames = Math.floor(Math.min(s.duration / s.output.traceInterval, s.duration / s.step)) + 1;
  const bytes = frames * capacity * RECORD_BYTES;
  if (!(bytes <= LIMITS.traceBytes)) {
    const gib = (x: number) => `${fmt(Math.round(x / 2 ** 30))} GiB`;
    return [
      {
        path: ['output', 'traceInterval'],
        message: `the trace could reach ${gib(bytes)} (${fmt(frames)} frames of up to ${fmt(capacity)} vehicles), over the limit of ${gib(LIMITS.traceBytes)}; use a longer traceInterval or a shorter duration`,
      },
    ];
  }
  return [];
}
