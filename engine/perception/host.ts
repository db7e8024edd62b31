/**
 * What the perception platform needs of the simulation it runs in: the world satisfies this
 * structurally (engine/sim/world.ts). Declared here so that engine/perception depends only on the
 * layers below it (spec, core, road, traffic, v2x, logistics), never on the world.
 */
import type { Scenario } from '../spec/schema.js';
import type { Network } from '../road/network.js';
import type { ClassRouters } from '../road/routing.js';
import type { LaneOrder } from '../core/order.js';
import type { VehicleState } from '../core/state.js';
import type { RoadEventSchedule } from '../traffic/roadevents.js';
import type { TypeTable } from '../traffic/types.js';
import type { PreparedChannel } from '../v2x/channel.js';
import type { Rsu } from '../v2x/rsus.js';
import type { AnnouncedHazards } from '../v2x/hazards.js';

export interface PerceptionHost {
  /** the clock, s: when the perception steps, the end of the tick being finished */
  readonly time: number;
  readonly seed: number;
  readonly scenario: Pick<Scenario, 'duration' | 'events' | 'perception' | 'logistics'>;
  readonly net: Network;
  readonly state: VehicleState;
  /** the vehicles on each lane (exposure, connected-vehicle reports, delay) */
  readonly order: Pick<LaneOrder, 'laneStart'>;
  readonly types: Pick<TypeTable, 'index' | 'laneBits'>;
  /** response units' routes, by their type's lane classes */
  readonly routers: Pick<ClassRouters, 'for'>;
  /** city events on the road block lanes through it */
  readonly roadEventSchedule: Pick<RoadEventSchedule, 'addBlock' | 'removeBlock'>;
  /**
   * the RSUs and the radio channel, when the scenario has V2X (connected-vehicle reports), and the
   * table of city events they announce by RSI (written by the perception only)
   */
  readonly v2x: { readonly rsus: readonly Rsu[]; readonly channel: PreparedChannel; readonly hazards: Pick<AnnouncedHazards, 'publish'> } | undefined;
  /** queues a response unit's trip for insertion now; `source` ≤ RESPONSE_SOURCE_BASE */
  enqueueTrip(type: number, edges: ArrayLike<number>, stops: never[], source: number): number;
}
