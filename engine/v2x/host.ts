/**
 * What V2X needs from the simulation that hosts it, and nothing more: the clock, the road (network,
 * signal programs, road events), the vehicle types and state, the lane order, the phase runner and
 * phase context, the run's constants (seed, step, duration); and, on the way out, a callback for
 * the events V2X raises (its warnings). The world satisfies these views structurally; V2X does
 * not import it (engine/sim sits above engine/v2x, not beside it).
 *
 * Everything here is read, never written, by V2X: the vehicle state's arrays are read through the
 * view each tick (they are replaced when the state grows), so the view holds the state object, not
 * its arrays.
 */
import type { Scenario } from '../spec/schema.js';
import type { PhaseRunner } from '../core/runner.js';
import type { LaneOrder } from '../core/order.js';
import type { VehicleState } from '../core/state.js';
import type { Network } from '../road/network.js';
import type { SignalProgram } from '../road/signals.js';
import type { SimCtx } from '../traffic/context.js';
import type { RoadEvent } from '../traffic/roadevents.js';
import type { TypeTable } from '../traffic/types.js';
import type { App } from './model.js';
import type { AnnouncedHazards } from './hazards.js';

/** What the communicate phase (system.ts) reads of its host. */
export interface V2xHost {
  /** the clock: the current tick and its time, s (the state as the previous tick left it) */
  readonly tick: number;
  readonly time: number;
  /** the run's seed (every V2X draw is counter-based on it) and tick length, s */
  readonly seed: number;
  readonly dt: number;
  /** the scenario's duration, s (sizes the per-second statistics) */
  readonly scenario: Pick<Scenario, 'duration'>;
  readonly net: Network;
  readonly programs: SignalProgram[];
  readonly roadEvents: RoadEvent[];
  /** type names (penetrationByType) and vehicle class codes (which vehicles are emergency vehicles) */
  readonly types: Pick<TypeTable, 'names' | 'classCode'>;
  readonly state: Pick<VehicleState, 'capacity' | 'used' | 'id' | 'type' | 'pos' | 'order' | 'nextConn' | 'warned'>;
  /** the lane order: its length and each lane's segment of `state.order` */
  readonly order: Pick<LaneOrder, 'count' | 'laneStart'>;
  /** runs the per-vehicle parts of the phase (prepare, schedule, receive), split like decide and move */
  readonly runner: Pick<PhaseRunner, 'parts' | 'run'>;
  /** the phase context the per-vehicle work reads (refreshed by the host after any array was replaced) */
  context(): SimCtx;
}

/** A V2X application warned a driver (counted once per episode: while the condition lasts, no repeat). */
export interface V2xWarning {
  kind: 'v2x.warning';
  time: number;
  app: Exclude<App, 'glosa'>;
  /** vehicle id */
  vehicle: number;
  x: number;
  y: number;
  /** what it is about: the signalised node (rlvw), the road event (hlw, slw), the emergency vehicle (evw) */
  subject: string;
}

/** The events V2X raises, for its host to publish. */
export type V2xEvent = V2xWarning;

/** Where V2X hands its events (the host publishes them with its own). */
export type V2xEmit = (e: V2xEvent) => void;

/** What the message records (records.ts) read of their host: the state of the moment, with the names of its lanes. */
export interface V2xRecordsHost {
  readonly time: number;
  readonly net: Network;
  readonly programs: SignalProgram[];
  readonly roadEvents: RoadEvent[];
  readonly types: Pick<TypeTable, 'classes' | 'length'>;
  readonly state: Pick<VehicleState, 'id' | 'type' | 'lane' | 'pos' | 'speed' | 'accel'>;
  /** the V2X system, for the BSM's message counter (0 without one) */
  readonly v2x?: { msgCountOf(slot: number): number; readonly hazards?: Pick<AnnouncedHazards, 'rsuStart' | 'rsuList' | 'described' | 'edgeOf' | 'startOf' | 'endOf'> } | undefined;
  /** a lane's name as the run files give it (edge id and lane index) */
  laneName(lane: number): string;
  /** the active vehicle slots, by ascending vehicle id */
  activeSlotsById(): Int32Array;
}
