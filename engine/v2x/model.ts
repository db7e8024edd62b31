/**
 * The read-only part of V2X: the channel, the roadside units and what is derived from them (their
 * reach, which unit serves which junction, a spatial index of the units), the signal lookup for
 * SPAT, and the applications' settings. Built the same way in the main thread and in every worker
 * thread from the same inputs (V2xModelInput, structured-cloned to the workers once), so both
 * decide links with the same numbers.
 */
import type { V2xSpec } from '../spec/schema-v2x.js';
import type { Network } from '../road/network.js';
import { CTRL_ADAPTIVE, type SignalProgram } from '../road/signals.js';
import type { RoadEvent } from '../traffic/roadevents.js';
import { prepareChannel, type ChannelParams, type PreparedChannel } from './channel.js';
import { buildRsus, type Rsu } from './rsus.js';
import { GridIndex } from './spatial.js';
import { signalLookup, type SignalLookup } from './spat.js';

/** RSI repetition rate, Hz (docs/v2x.md: 1–10 Hz). */
export const RSI_RATE = 2;
/** RLVW looks at signals this close, m (a driver farther away can always stop comfortably at urban speeds). */
export const RLVW_REACH = 150;

export const APPS = ['fcw', 'rlvw', 'hlw', 'slw', 'evw', 'glosa'] as const;
export type App = (typeof APPS)[number];
export const A_FCW = 0;
export const A_RLVW = 1;
export const A_HLW = 2;
export const A_SLW = 3;
export const A_EVW = 4;
export const A_GLOSA = 5;
export const APP_COUNT = APPS.length;

/** What the model is built from: plain data, so that it can be handed to a worker thread. */
export interface V2xModelInput {
  spec: V2xSpec;
  net: Network;
  programs: SignalProgram[];
  roadEvents: RoadEvent[];
  /** vehicle type names, in type-index order (for penetrationByType) */
  typeNames: string[];
  seed: number;
  dt: number;
}

export function channelParams(spec: V2xSpec['channel']): ChannelParams {
  if (spec.model === 'unitDisk')
    return { kind: 'unitDisk', rangeM: spec.range, lossProbability: spec.loss, delayMinMs: spec.delayMin, delayExpectedMs: spec.delayExpected };
  return {
    kind: '3gpp',
    environment: spec.environment,
    losMode: 'probabilistic',
    carrierGHz: spec.frequency,
    txPowerDbm: spec.txPower,
    antennaGainDbi: spec.antennaGain,
    noiseFigureDb: spec.noiseFigure,
    bandwidthHz: spec.bandwidth * 1e6,
    sinrThresholdDb: spec.sinrThreshold,
    shadowing: spec.shadowing,
    minDistanceM: 3,
    losBucketS: 1,
    rangeCapM: 3000,
    interferenceFloorDb: 20,
    delayMinMs: Math.min(1, spec.delay),
    delayExpectedMs: spec.delay,
  };
}

export class V2xModel {
  readonly input: V2xModelInput;
  readonly spec: V2xSpec;
  readonly net: Network;
  readonly programs: SignalProgram[];
  readonly roadEvents: RoadEvent[];
  readonly seed: number;
  readonly dt: number;
  readonly channel: PreparedChannel;
  readonly rsus: Rsu[];
  /** number of RSUs (the stride of the per-vehicle MAP table) */
  readonly R: number;
  readonly lookup: SignalLookup;
  /** the RSU sending SPAT for each node, or −1 */
  readonly rsuOfNode: Int32Array;
  /** per node: 1 where an adaptive signal or one with priority runs and an RSU serves it (it hears the BSMs of the vehicles approaching) */
  readonly adaptiveNode: Uint8Array;
  readonly anyAdaptive: boolean;
  /** the RSUs by position (cell: the decode range) */
  readonly rsuIndex: GridIndex;
  readonly rsuX: Float64Array;
  readonly rsuY: Float64Array;
  /** how far from the stop line the signal applications (GLOSA, RLVW) use SPAT and MAP, m */
  readonly signalReach: number;
  /** how far each RSU's sensors reach, m (0 without sensors) */
  readonly sensorReach: Float64Array;
  readonly maxSensorReach: number;
  /** per RSU, the radius within which its packets are decided, m */
  readonly rsuRadius: Float64Array;
  readonly maxRsuRadius: number;
  /**
   * Per lane, the RSUs (ascending) that a vehicle anywhere on it can be in reach of: packets
   * (rsuRadius) or sensors (sensorReach). CSR: laneRsus[laneRsuStart[l] .. laneRsuStart[l + 1]].
   * A filter only: the exact distance test is made per vehicle.
   */
  readonly laneRsuStart: Int32Array;
  readonly laneRsus: Int32Array;
  /** share of equipped vehicles per vehicle type */
  readonly penetration: Float64Array;
  readonly ticksPerSecond: number;
  /** the class code of emergency vehicles (vehicleClasses.indexOf('emergency')) */
  readonly evClass = 4;

  constructor(input: V2xModelInput) {
    this.input = input;
    const { spec, net } = input;
    this.spec = spec;
    this.net = net;
    this.programs = input.programs;
    this.roadEvents = input.roadEvents;
    this.seed = input.seed;
    this.dt = input.dt;
    this.channel = prepareChannel(channelParams(spec.channel));
    const range = this.channel.decodeRangeM;
    this.rsus = buildRsus(spec.rsus, net, input.roadEvents, range);
    this.R = this.rsus.length;
    this.lookup = signalLookup(input.programs, net.connCount);
    this.rsuOfNode = new Int32Array(Math.max(1, net.nodeIds.length)).fill(-1);
    for (const r of this.rsus) for (const n of r.nodes) if (this.rsuOfNode[n] < 0) this.rsuOfNode[n] = r.index;
    this.adaptiveNode = new Uint8Array(Math.max(1, net.nodeIds.length));
    for (const p of input.programs) if ((p.kind === CTRL_ADAPTIVE || p.priority) && this.rsuOfNode[p.node] >= 0) this.adaptiveNode[p.node] = 1;
    this.anyAdaptive = this.adaptiveNode.includes(1);
    this.rsuIndex = new GridIndex(Math.max(50, range), Math.max(1, this.R));
    this.rsuX = Float64Array.from(this.rsus.map((r) => r.x));
    this.rsuY = Float64Array.from(this.rsus.map((r) => r.y));
    this.rsuIndex.rebuild(this.rsuX, this.rsuY, this.R);
    this.signalReach = Math.max(spec.apps.glosa?.enabled ? spec.apps.glosa.range : 0, spec.apps.rlvw?.enabled ? RLVW_REACH : 0) + 50;
    this.sensorReach = Float64Array.from(this.rsus.map((r) => r.sensors.reduce((m, s) => Math.max(m, s.range), 0)));
    // how far each unit's packets can reach: its own range (unit disk) or the decode range scaled by its power
    this.rsuRadius = Float64Array.from(
      this.rsus.map((r) =>
        spec.channel.model === 'unitDisk'
          ? r.range !== Infinity
            ? r.range
            : this.channel.decodeRangeM
          : Math.min(3000, this.channel.decodeRangeM * (r.txPowerOffset > 0 ? Math.pow(10, r.txPowerOffset / 16.7) : 1)),
      ),
    );
    this.maxRsuRadius = this.rsuRadius.reduce((m, r) => Math.max(m, r), 0);
    this.maxSensorReach = Math.min(this.channel.decodeRangeM, Math.max(0, ...this.sensorReach));
    [this.laneRsuStart, this.laneRsus] = rsusByLane(net, this.rsuIndex, this.rsus.map((r) => Math.max(this.rsuRadius[r.index], this.sensorReach[r.index])), this.rsuX, this.rsuY);
    this.penetration = Float64Array.from(input.typeNames.map((n) => spec.penetrationByType[n] ?? spec.penetration));
    this.ticksPerSecond = Math.max(1, Math.round(1 / input.dt));
  }
}

/** Spacing of the points a lane's shape is sampled at when listing the RSUs near it, m. */
const LANE_SAMPLE_M = 5;

/**
 * For each lane, the RSUs within `reach[r]` of some point of its shape (with the sampling's
 * margin: every point of the polyline is within LANE_SAMPLE_M / 2 of a sample), ascending.
 */
function rsusByLane(net: Network, index: GridIndex, reach: number[], rx: Float64Array, ry: Float64Array): [Int32Array, Int32Array] {
  const start = new Int32Array(net.laneCount + 1);
  const list: number[] = [];
  const maxReach = reach.reduce((m, r) => Math.max(m, r), 0) + LANE_SAMPLE_M;
  const found = new Int32Array(Math.max(1, reach.length));
  const mark = new Uint8Array(reach.length);
  for (let lane = 0; lane < net.laneCount; lane++) {
    start[lane] = list.length;
    if (reach.length === 0) continue;
    mark.fill(0);
    const shape = net.laneShape[lane];
    const visit = (x: number, y: number) => {
      const n = Math.min(index.queryRadius(x, y, maxReach, found), found.length);
      for (let j = 0; j < n; j++) {
        const r = found[j];
        if (Math.hypot(x - rx[r], y - ry[r]) <= reach[r] + LANE_SAMPLE_M) mark[r] = 1;
      }
    };
    for (let k = 0; k < shape.length; k++) {
      visit(shape[k][0], shape[k][1]);
      if (k + 1 === shape.length) break;
      const [x0, y0] = shape[k];
      const [x1, y1] = shape[k + 1];
      const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) / LANE_SAMPLE_M);
      for (let q = 1; q < steps; q++) visit(x0 + ((x1 - x0) * q) / steps, y0 + ((y1 - y0) * q) / steps);
    }
    for (let r = 0; r < reach.length; r++) if (mark[r]) list.push(r);
  }
  start[net.laneCount] = list.length;
  return [start, Int32Array.from(list)];
}
