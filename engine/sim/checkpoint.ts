/**
 * A world's checkpoint sections: everything that carries over from one tick to the next, written
 * between ticks (vehicles, lane order, routes, departure queues, demand generators, detectors,
 * the place figures of the interval under way, road events, signal controllers, V2X, logistics,
 * perception). Restored into a new world of the same scenario, the run goes on bit for bit as if
 * it had never stopped. Numbers that must come back exactly (time, totals) are
 * written as float bits: JSON cannot hold Infinity or −0.
 */
import type { LaneOrder } from '../core/order.js';
import { SnapshotError, type SnapshotReader, type SnapshotWriter } from '../core/snapshot.js';
import type { VehicleState } from '../core/state.js';
import type { Departure } from '../traffic/demand.js';
import type { Departures } from '../traffic/departures.js';
import type { Detectors } from '../traffic/detectors.js';
import type { PlaceStats } from '../traffic/places.js';
import type { RoadEventSchedule } from '../traffic/roadevents.js';
import type { RouteTable } from '../traffic/routes.js';
import { TOTAL_KEYS, type TrafficTotals } from '../traffic/totals.js';

/** A part of the world that checkpoints its own sections. */
interface Sections {
  snapshot(w: SnapshotWriter): void;
  restore(r: SnapshotReader): void;
}

/** What a checkpoint holds of the world. */
export interface CheckpointParts {
  tick: number;
  time: number;
  started: boolean;
  readonly totals: TrafficTotals;
  readonly departures: Departures;
  readonly laneWish: [Int32Array, Int32Array];
  readonly roadEventSchedule: RoadEventSchedule;
  readonly state: VehicleState;
  readonly order: LaneOrder;
  readonly routes: RouteTable;
  readonly detectors: Detectors;
  readonly signalControl: Sections;
  readonly places: PlaceStats | undefined;
  readonly v2x: Sections | undefined;
  readonly logistics: Sections | undefined;
  readonly perception: Sections | undefined;
}

interface Meta {
  tick: number;
  nextId: number;
  queued: number;
  started: boolean;
  queueEdges: number[];
}

export function snapshotWorld(p: CheckpointParts, w: SnapshotWriter): void {
  const q = p.departures.save();
  const meta: Meta = { tick: p.tick, nextId: q.nextId, queued: q.queued, started: p.started, queueEdges: q.queueEdges };
  w.json('world.meta', meta);
  w.typed('world.time', Float64Array.of(p.time));
  w.typed('world.totals', Float64Array.from(TOTAL_KEYS.map((k) => p.totals[k])));
  w.json('world.queues', q.queues);
  w.typed('world.laneWish0', p.laneWish[0]);
  w.typed('world.laneWish1', p.laneWish[1]);
  w.typed('world.laneEvents', p.roadEventSchedule.laneEvents);
  w.typed('world.roadEventOn', p.roadEventSchedule.on);
  p.signalControl.snapshot(w);
  p.state.snapshot(w);
  p.order.snapshot(w);
  p.routes.snapshot(w);
  p.departures.demand.snapshot(w);
  p.detectors.snapshot(w);
  p.places?.snapshot(w);
  p.v2x?.snapshot(w);
  p.logistics?.snapshot(w);
  p.perception?.snapshot(w);
}

/**
 * Reads what snapshotWorld() wrote into a world that has not started. The caller checks `r.done`
 * after reading whatever it added after the world's sections.
 */
export function restoreWorld(p: CheckpointParts, r: SnapshotReader): void {
  if (p.started) throw new SnapshotError('restore() needs a World that has not started');
  const m = r.json<Meta>('world.meta');
  p.tick = m.tick;
  p.started = m.started;
  const time = new Float64Array(1);
  r.typedInto('world.time', time);
  p.time = time[0];
  const totals = new Float64Array(TOTAL_KEYS.length);
  r.typedInto('world.totals', totals);
  TOTAL_KEYS.forEach((k, i) => (p.totals[k] = totals[i]));
  const queues = r.json<Departure[][]>('world.queues');
  p.departures.load({ nextId: m.nextId, queued: m.queued, queueEdges: m.queueEdges, queues });
  r.typedInto('world.laneWish0', p.laneWish[0]);
  r.typedInto('world.laneWish1', p.laneWish[1]);
  r.typedInto('world.laneEvents', p.roadEventSchedule.laneEvents);
  r.typedInto('world.roadEventOn', p.roadEventSchedule.on);
  p.signalControl.restore(r);
  p.state.restore(r);
  p.order.restore(r);
  p.routes.restore(r);
  p.departures.demand.restore(r);
  p.detectors.restore(r);
  p.places?.restore(r);
  p.v2x?.restore(r);
  p.logistics?.restore(r);
  p.perception?.restore(r);
}
