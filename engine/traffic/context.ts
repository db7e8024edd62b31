/**
 * The flat view of the world that the hot phases work on: network arrays, route tables,
 * vehicle-type parameters and the vehicle state, gathered in one plain object so that a phase
 * function (in the main thread or a worker) needs nothing else. Rebuilt when arrays are replaced
 * (capacity growth, a longer route table).
 */
import type { Network } from '../road/network.js';
import type { VehicleState } from '../core/state.js';
import type { TypeTable } from './types.js';
import type { RouteTable } from './routes.js';

export interface SimCtx {
  // ---- network
  laneEdge: Int32Array;
  laneIndex: Int32Array;
  laneLength: Float64Array;
  laneSpeed: Float64Array;
  /** the vehicle classes each lane admits, one bit per class (road/lane-classes.ts) */
  laneAllow: Uint8Array;
  edgeLanes: Int32Array;
  edgeFirstLane: Int32Array;
  laneConnStart: Int32Array;
  laneConns: Int32Array;
  laneInStart: Int32Array;
  laneIns: Int32Array;
  connFromLane: Int32Array;
  connToLane: Int32Array;
  connToEdge: Int32Array;
  connRank: Uint8Array;
  /** 1 where a driver halts at the line before taking the movement: a stop sign (road/network.ts) */
  connStop: Uint8Array;
  /** a turn's curve: its speed limit (Infinity: none) and the metres past the line, on the lane turned into, it holds over (road/turn-speed.ts) */
  connSpeed: Float64Array;
  connCurve: Float64Array;
  /** the length of each connection's path through its junction (road/turn-speed.ts) */
  connPath: Float64Array;
  connFoeStart: Int32Array;
  connFoes: Int32Array;
  connFoeMerge: Uint8Array;
  /** how far each lane starts past its from-node (road/network.ts) */
  laneSetback: Float64Array;
  /** per-connection signal / right-of-way state (SIG_*), updated every tick */
  connState: Uint8Array;

  // ---- routes and stops
  routeEdges: Int32Array;
  routeStart: Int32Array;
  routeLen: Int32Array;
  routeLoop: Uint8Array;
  stopEdge: Int32Array;
  stopPos: Float64Array;
  stopDur: Float64Array;
  /** lane index of each stop (−1: the rightmost the vehicle may use) and its earliest departure time (0: none) */
  stopLane: Int32Array;
  stopUntil: Float64Array;

  // ---- vehicle types (IDM / MOBIL parameters per type index)
  tA: Float64Array;
  tB: Float64Array;
  tT: Float64Array;
  tS0: Float64Array;
  tLen: Float64Array;
  tVmax: Float64Array;
  tBmax: Float64Array;
  /** 2·√(A·B), the denominator of the IDM braking term */
  tSqab2: Float64Array;
  tPol: Float64Array;
  tThr: Float64Array;
  tBias: Float64Array;
  tBsafe: Float64Array;
  /** vehicle class of each type (index into vehicleClasses) */
  tClass: Uint8Array;
  /** lane-class bits each type may use (types.ts laneBits) */
  tLaneBits: Uint8Array;
  /** 1 for a type driven by Krauss's model instead of the IDM, and its dawdling σ (kinematics.ts) */
  tKrauss: Uint8Array;
  tSigma: Float64Array;

  // ---- vehicle state
  v: VehicleState;
  laneStart: Int32Array;
  /**
   * Lanes that gained or lost a vehicle this tick (a lane change or a junction crossing marks
   * both lanes; finishing marks the lanes of vehicles that leave), so the lane order walks and
   * re-sorts only those (LaneOrder.update). Every such lane must be marked. Written by the move
   * phase only ever with 1, so threads writing the same lane agree.
   */
  laneDirty: Uint8Array;
  /** vehicles per lane that showed a mandatory lane-change wish in the previous tick */
  laneWish: Int32Array;
  /** the road-event sections in force, LANE_EVENT_STRIDE numbers per lane (roadevents.ts) */
  laneEvents: Float64Array;
  /** whether the scenario has road events at all (else their per-vehicle checks are skipped) */
  roadEventsInForce: boolean;

  // ---- tick parameters
  /** the run's seed (counter-based draws inside the tick: core/rng.ts) */
  seed: number;
  dt: number;
  time: number;
  tick: number;
  lookahead: number;
  lcEveryTicks: number;
  /** ticks in a simulated second (at least 1) */
  ticksPerSecond: number;
  gridlockTimeout: number;
  /** how far ahead a driver sees a blocked lane, m; and one warned by V2X (hazard warning) knows of it */
  hazardSight: number;
  hazardWarned: number;
  /** accumulate fuel and CO₂ per vehicle in the move phase */
  emissions: boolean;
  /**
   * Whether anything writes the decide hooks (V2X). Without, they hold their neutral values
   * (Infinity, 0) and the fast pass of decide does not read them.
   */
  v2xHooks: boolean;
}

/** The parts of the network the phases read (a worker receives just these). */
export type NetArrays = Pick<
  Network,
  | 'laneEdge' | 'laneIndex' | 'laneLength' | 'laneSpeed' | 'laneAllow' | 'edgeLanes' | 'edgeFirstLane' | 'laneConnStart' | 'laneConns'
  | 'laneInStart' | 'laneIns' | 'connFromLane' | 'connToLane' | 'connToEdge' | 'connRank' | 'connStop' | 'connSpeed' | 'connCurve' | 'connPath' | 'connFoeStart' | 'connFoes' | 'connFoeMerge' | 'laneSetback'
>;
export type TypeArrays = Pick<TypeTable, 'A' | 'B' | 'T' | 's0' | 'length' | 'vmax' | 'bmax' | 'sqab2' | 'politeness' | 'threshold' | 'bias' | 'bsafe' | 'classCode' | 'laneBits' | 'krauss' | 'sigma'>;
export type RouteArrays = Pick<RouteTable, 'edges' | 'start' | 'length' | 'loop' | 'stopEdge' | 'stopPos' | 'stopDur' | 'stopLane' | 'stopUntil'>;

export interface ContextSettings {
  seed: number;
  dt: number;
  lookahead: number;
  laneChangeInterval: number;
  gridlockTimeout: number;
  hazardSight: number;
  hazardWarned: number;
  emissions: boolean;
  /** the scenario has road events */
  roadEvents: boolean;
  /** the scenario has V2X, the only writer of the decide hooks (speedAdvice, accelLimit, the V2X bits) */
  v2xHooks: boolean;
}

export function makeContext(
  net: NetArrays,
  connState: Uint8Array,
  routes: RouteArrays,
  types: TypeArrays,
  state: VehicleState,
  laneStart: Int32Array,
  laneDirty: Uint8Array,
  laneEvents: Float64Array,
  params: ContextSettings,
): SimCtx {
  return {
    laneEdge: net.laneEdge,
    laneIndex: net.laneIndex,
    laneLength: net.laneLength,
    laneSpeed: net.laneSpeed,
    laneAllow: net.laneAllow,
    edgeLanes: net.edgeLanes,
    edgeFirstLane: net.edgeFirstLane,
    laneConnStart: net.laneConnStart,
    laneConns: net.laneConns,
    laneInStart: net.laneInStart,
    laneIns: net.laneIns,
    connFromLane: net.connFromLane,
    connToLane: net.connToLane,
    connToEdge: net.connToEdge,
    connRank: net.connRank,
    connStop: net.connStop,
    connSpeed: net.connSpeed,
    connCurve: net.connCurve,
    connPath: net.connPath,
    connFoeStart: net.connFoeStart,
    connFoes: net.connFoes,
    connFoeMerge: net.connFoeMerge,
    laneSetback: net.laneSetback,
    connState,
    routeEdges: routes.edges,
    routeStart: routes.start,
    routeLen: routes.length,
    routeLoop: routes.loop,
    stopEdge: routes.stopEdge,
    stopPos: routes.stopPos,
    stopDur: routes.stopDur,
    stopLane: routes.stopLane,
    stopUntil: routes.stopUntil,
    tA: types.A,
    tB: types.B,
    tT: types.T,
    tS0: types.s0,
    tLen: types.length,
    tVmax: types.vmax,
    tBmax: types.bmax,
    tSqab2: types.sqab2,
    tPol: types.politeness,
    tThr: types.threshold,
    tBias: types.bias,
    tBsafe: types.bsafe,
    tClass: types.classCode,
    tLaneBits: types.laneBits,
    tKrauss: types.krauss,
    tSigma: types.sigma,
    v: state,
    laneStart,
    laneDirty,
    laneWish: new Int32Array(net.laneSpeed.length),
    laneEvents,
    roadEventsInForce: params.roadEvents,
    seed: params.seed,
    dt: params.dt,
    time: 0,
    tick: 0,
    lookahead: params.lookahead,
    lcEveryTicks: Math.max(1, Math.round(params.laneChangeInterval / params.dt)),
    ticksPerSecond: Math.max(1, Math.round(1 / params.dt)),
    gridlockTimeout: params.gridlockTimeout,
    hazardSight: params.hazardSight,
    hazardWarned: params.hazardWarned,
    emissions: params.emissions,
    v2xHooks: params.v2xHooks,
  };
}

export { PhaseOut } from './phase-out.js';
