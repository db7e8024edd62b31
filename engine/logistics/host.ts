/**
 * What the logistics needs of the simulation it runs in, and nothing more: the world satisfies
 * this structurally (engine/sim/world.ts), tests may hand in a stand-in. Declared here, on the
 * logistics' side, so that the logistics depends only on the layers below it (spec, core, road,
 * traffic) and not on the world that composes it: no import cycle, type-only ones included.
 */
import type { Scenario } from '../spec/schema.js';
import type { Network } from '../road/network.js';
import type { Router } from '../road/routing.js';
import type { PhaseRunner } from '../core/runner.js';
import type { VehicleState } from '../core/state.js';
import type { TypeTable } from '../traffic/types.js';
import type { RouteTable } from '../traffic/routes.js';
import type { LogisticsEvent } from './events.js';

/** A stop of a van tour handed to the road: where on which edge, and how long it dwells. */
export interface TripStop {
  edge: number;
  pos: number;
  duration: number;
}

export interface LogisticsHost {
  /** the clock, s: when the logistics steps, the end of the tick being finished */
  readonly time: number;
  /** the tick, s */
  readonly dt: number;
  /** the run's seed (the orders are drawn from a stream named after it) */
  readonly seed: number;
  /** the run's length, s: the orders are drawn up to it */
  readonly scenario: Pick<Scenario, 'duration'>;
  readonly net: Network;
  /** van routes and the reach checks of curb stops */
  readonly router: Pick<Router, 'route' | 'routeVia' | 'reachable'>;
  /** the van's vehicle type and its top speed */
  readonly types: Pick<TypeTable, 'index' | 'vmax'>;
  /** the vans' ranges of the stop table, and a vehicle's route (read back for the van.tour event) */
  readonly routes: Pick<RouteTable, 'addStops' | 'stopEdge' | 'stopPos' | 'edgesOf'>;
  /** the road vehicles: van stops and distances are read from it */
  readonly state: VehicleState;
  /** runs the drone and robot phases, in this thread or on the workers */
  readonly runner: Pick<PhaseRunner, 'parts' | 'run'>;
  /** signal state per connection: robots cross at their walk phase */
  readonly connState: Uint8Array;
  /**
   * Queues a van tour for insertion now (source −1 − van; `stopsAt` the van's reserved range of
   * the stop table); returns the index of its first stop.
   */
  enqueueTrip(type: number, edges: ArrayLike<number>, stops: TripStop[], source: number, stopsAt?: number): number;
}

/** Where the logistics publishes its events (the world: on its event stream, in its order). */
export type LogisticsEmit = (e: LogisticsEvent) => void;
