/**
 * Road events of the scenario (`roadEvents`): a stalled vehicle, roadworks or a lane closure
 * blocks a section of one or more lanes; a speed-limit zone lowers the limit over a section.
 * They act on every driver, equipped or not: the difference V2X makes is only how early a driver
 * knows (hazard location and speed-limit warnings, engine/v2x).
 *
 * Per lane, the world keeps the section that is active now in one shared Float64Array (so that
 * worker threads read it like the rest of the state), `LANE_EVENT_STRIDE` numbers a lane:
 *   [blockStart, blockEnd, zoneStart, zoneEnd, zoneLimit]
 * with blockStart = +Infinity when the lane has no block and zoneLimit = +Infinity when it has no
 * zone. Validation (semantics.ts) refuses two events on one lane whose time windows overlap, so a
 * lane has at most one of each at a time.
 */
import type { RoadEventSpec } from '../spec/schema-v2x.js';
import type { Network } from '../road/network.js';

export const LANE_EVENT_STRIDE = 5;
export const LE_BLOCK_START = 0;
export const LE_BLOCK_END = 1;
export const LE_ZONE_START = 2;
export const LE_ZONE_END = 3;
export const LE_ZONE_LIMIT = 4;

export interface RoadEvent {
  index: number;
  id: string;
  kind: RoadEventSpec['kind'];
  edge: number;
  /** global lane indices */
  lanes: number[];
  start: number;
  end: number;
  /** m/s, or Infinity */
  limit: number;
  begin: number;
  until: number;
  /** whether it blocks its lanes (every kind but speedLimit) */
  blocks: boolean;
}

export function buildRoadEvents(specs: RoadEventSpec[], net: Network, duration: number): RoadEvent[] {
  return specs.map((e, index) => {
    const edge = net.edgeIndex.get(e.edge);
    if (edge === undefined) throw new Error(`road event ${e.id}: unknown edge ${e.edge} (validation should have caught it)`);
    const first = net.edgeFirstLane[edge];
    const n = net.edgeLanes[edge];
    const blocks = e.kind !== 'speedLimit';
    // a speed limit applies to the whole carriageway unless lanes are given; a block to the rightmost lane
    const laneIdx = e.lanes ?? (blocks ? [0] : Array.from({ length: n }, (_, l) => l));
    return {
      index,
      id: e.id,
      kind: e.kind,
      edge,
      lanes: laneIdx.map((l) => first + l),
      start: e.pos,
      end: Math.min(e.pos + e.length, net.laneLength[first]),
      limit: e.speedLimit ?? Infinity,
      begin: e.begin,
      until: e.end ?? duration,
      blocks,
    };
  });
}

/** Shared per-lane array of the active sections (see the file comment). */
export function makeLaneEvents(laneCount: number): Float64Array {
  const a = new Float64Array(new SharedArrayBuffer(Math.max(1, laneCount) * LANE_EVENT_STRIDE * 8));
  clearLaneEvents(a);
  return a;
}

function clearLaneEvents(a: Float64Array): void {
  for (let o = 0; o < a.length; o += LANE_EVENT_STRIDE) {
    a[o + LE_BLOCK_START] = Infinity;
    a[o + LE_BLOCK_END] = Infinity;
    a[o + LE_ZONE_START] = Infinity;
    a[o + LE_ZONE_END] = -Infinity;
    a[o + LE_ZONE_LIMIT] = Infinity;
  }
}

/** Whether event e is in force at simulated time t. */
export const eventActive = (e: RoadEvent, t: number): boolean => t >= e.begin && t < e.until;

/**
 * Writes the sections in force at time t into the per-lane array. Returns whether anything
 * changed since the previous call (so the caller can announce starts and ends). `extra` are the
 * blocks added while the run goes on (RoadEventSchedule.addBlock); `force` rewrites the array
 * even when no scripted event changed (an extra block came or went).
 */
export function applyRoadEvents(events: RoadEvent[], t: number, laneEvents: Float64Array, activeNow: Uint8Array, extra?: Iterable<DynamicBlock>, force = false): boolean {
  let changed = false;
  for (const e of events) {
    const on = eventActive(e, t) ? 1 : 0;
    if (on !== activeNow[e.index]) changed = true;
    activeNow[e.index] = on;
  }
  if (!changed && !force) return false;
  clearLaneEvents(laneEvents);
  for (const e of events) {
    if (!activeNow[e.index]) continue;
    for (const lane of e.lanes) {
      const o = lane * LANE_EVENT_STRIDE;
      if (e.blocks) {
        laneEvents[o + LE_BLOCK_START] = e.start;
        laneEvents[o + LE_BLOCK_END] = e.end;
      }
      if (e.limit !== Infinity) {
        laneEvents[o + LE_ZONE_START] = e.start;
        laneEvents[o + LE_ZONE_END] = e.end;
        laneEvents[o + LE_ZONE_LIMIT] = e.limit;
      }
    }
  }
  if (extra) {
    // a lane holds one block section: two on a lane become the span covering both (whatever order they came in)
    for (const b of extra) {
      for (const lane of b.lanes) {
        const o = lane * LANE_EVENT_STRIDE;
        if (laneEvents[o + LE_BLOCK_START] === Infinity) {
          laneEvents[o + LE_BLOCK_START] = b.start;
          laneEvents[o + LE_BLOCK_END] = b.end;
        } else {
          laneEvents[o + LE_BLOCK_START] = Math.min(laneEvents[o + LE_BLOCK_START], b.start);
          laneEvents[o + LE_BLOCK_END] = Math.max(laneEvents[o + LE_BLOCK_END], b.end);
        }
      }
    }
  }
  return changed;
}

/** A block of lanes added while the run goes on (a city event, engine/perception), not scripted. */
export interface DynamicBlock {
  /** global lane indices */
  lanes: readonly number[];
  start: number;
  end: number;
}

/**
 * The scenario's road events over time: which are in force (`on`, per event) and their
 * sections per lane (`laneEvents`, read by decide and move). update() announces each start and
 * end. Blocks can also be added and removed while the run goes on (addBlock, removeBlock: the
 * city events of engine/perception, which last until they are handled); they take effect at the
 * next update(). Their owner checkpoints them and adds them again on restore.
 */
export class RoadEventSchedule {
  readonly laneEvents: Float64Array;
  /** per event: 1 while it is in force */
  readonly on: Uint8Array;
  private readonly before: Uint8Array;

  constructor(
    readonly events: RoadEvent[],
    laneCount: number,
  ) {
    this.laneEvents = makeLaneEvents(laneCount);
    this.on = new Uint8Array(events.length);
    this.before = new Uint8Array(events.length);
  }

  private readonly extra = new Map<number, DynamicBlock>();
  private extraChanged = false;

  /** Blocks `lanes` over [start, end] from the next update() on, under `key` (unique per owner). */
  addBlock(key: number, block: DynamicBlock): void {
    this.extra.set(key, block);
    this.extraChanged = true;
  }

  /** Lifts the block added under `key` at the next update(). */
  removeBlock(key: number): void {
    if (this.extra.delete(key)) this.extraChanged = true;
  }

  /** Puts the events in force at time t into the lane array, calling `changed` for each start and end. */
  update(t: number, changed: (e: RoadEvent, started: boolean) => void): void {
    if (this.events.length === 0 && !this.extraChanged) return;
    this.before.set(this.on);
    const force = this.extraChanged;
    this.extraChanged = false;
    if (!applyRoadEvents(this.events, t, this.laneEvents, this.on, this.extra.values(), force)) return;
    for (const e of this.events) {
      if (this.before[e.index] === this.on[e.index]) continue;
      changed(e, this.on[e.index] === 1);
    }
  }
}
