/**
 * The lane order: active vehicle slots sorted by (lane, position, id), so that a vehicle's
 * leader is the next entry and each lane is a contiguous segment laneStart[l]..laneStart[l+1].
 *
 * Kept up to date with a counting sort over lanes that walks the previous order (only the segments
 * of lanes that changed, after a tick), so vehicles keep their relative order, then an insertion
 * sort per changed lane, which is nearly free because vehicles never overtake within a lane (only
 * lane changes, junction crossings and new vehicles move).
 */
import { F_ACTIVE, type VehicleState } from './state.js';
import type { SnapshotReader, SnapshotWriter } from './snapshot.js';

export class LaneOrder {
  /** laneStart[l]..laneStart[l+1] is lane l's segment of `state.order` */
  laneStart: Int32Array;
  count = 0;
  /** bumped whenever the order changes, so that what is derived from it (stats.ts IdOrder) knows when to rebuild */
  version = 0;
  private cursor: Int32Array;
  private newStarts: Int32Array;
  private scratch: Int32Array;
  private byLane = new Int32Array(64);

  /** The lane segments (the order itself lives in the vehicle state). */
  snapshot(w: SnapshotWriter): void {
    w.json('order.count', this.count);
    w.typed('order.laneStart', this.laneStart);
  }

  restore(r: SnapshotReader): void {
    this.count = r.json<number>('order.count');
    this.version++;
    r.typedInto('order.laneStart', this.laneStart);
  }

  constructor(private readonly laneCount: number) {
    this.laneStart = new Int32Array(new SharedArrayBuffer((laneCount + 1) * 4));
    this.cursor = new Int32Array(laneCount);
    this.newStarts = new Int32Array(laneCount + 1);
    this.scratch = new Int32Array(0);
  }

  /**
   * Rebuilds from the current order plus `added` new slots, walking the whole previous order.
   * Used when there is no record of which lanes changed (the first placement).
   */
  rebuild(s: VehicleState, added: ArrayLike<number>, addedCount: number): void {
    const order = s.order;
    const lane = s.lane;
    const flags = s.flags;
    const ls = this.laneStart;
    if (this.scratch.length < s.capacity) this.scratch = new Int32Array(s.capacity);
    const scratch = this.scratch;
    ls.fill(0);
    for (let k = 0; k < this.count; k++) {
      const i = order[k];
      if (flags[i] & F_ACTIVE) ls[lane[i] + 1]++;
    }
    for (let k = 0; k < addedCount; k++) ls[lane[added[k]] + 1]++;
    for (let l = 0; l < this.laneCount; l++) ls[l + 1] += ls[l];
    const cur = this.cursor;
    cur.set(ls.subarray(0, this.laneCount));
    for (let k = 0; k < this.count; k++) {
      const i = order[k];
      if (flags[i] & F_ACTIVE) scratch[cur[lane[i]]++] = i;
    }
    for (let k = 0; k < addedCount; k++) {
      const i = added[k];
      scratch[cur[lane[i]]++] = i;
    }
    const n = ls[this.laneCount];
    for (let l = 0; l < this.laneCount; l++) this.sortSegment(s, scratch, ls[l], ls[l + 1]);
    order.set(scratch.subarray(0, n));
    this.count = n;
    this.version++;
  }

  /**
   * Brings the order up to date after a tick, given every lane that lost or gained a vehicle
   * marked in `dirty` (the move phase marks both ends of a lane change or a junction crossing,
   * finishing marks the lanes of vehicles that left). Lanes not marked keep their segment as it
   * was, copied whole; only the marked lanes' old segments are walked, their vehicles sent to the
   * lanes they are on now, and those lanes re-sorted. The result is exactly that of a full
   * rebuild (the same walk in lane order, restricted to the only lanes that can contribute), at a
   * fraction of its cost: a full walk reads every vehicle's lane at scattered slots.
   */
  update(s: VehicleState, dirty: Uint8Array): void {
    const order = s.order;
    const lane = s.lane;
    const flags = s.flags;
    const ls = this.laneStart;
    const L = this.laneCount;
    if (this.scratch.length < s.capacity) this.scratch = new Int32Array(s.capacity);
    const scratch = this.scratch;
    // new segment sizes: unmarked lanes keep theirs; marked ones count who is on them now
    const size = this.cursor;
    for (let l = 0; l < L; l++) size[l] = dirty[l] ? 0 : ls[l + 1] - ls[l];
    for (let l = 0; l < L; l++) {
      if (!dirty[l]) continue;
      for (let k = ls[l]; k < ls[l + 1]; k++) {
        const i = order[k];
        if (flags[i] & F_ACTIVE) size[lane[i]]++;
      }
    }
    // new starts (kept apart from the old ones until the walk below is done)
    const starts = this.newStarts;
    starts[0] = 0;
    for (let l = 0; l < L; l++) starts[l + 1] = starts[l] + size[l];
    const cur = this.cursor;
    for (let l = 0; l < L; l++) {
      if (dirty[l]) cur[l] = starts[l];
      else {
        // unchanged lane: its segment moves as a block (a plain loop: a subarray view per lane
        // would be an allocation per lane per tick)
        for (let k = ls[l], to = starts[l]; k < ls[l + 1]; k++, to++) scratch[to] = order[k];
        cur[l] = starts[l + 1];
      }
    }
    for (let l = 0; l < L; l++) {
      if (!dirty[l]) continue;
      for (let k = ls[l]; k < ls[l + 1]; k++) {
        const i = order[k];
        if (flags[i] & F_ACTIVE) scratch[cur[lane[i]]++] = i;
      }
    }
    ls.set(starts);
    for (let l = 0; l < L; l++) {
      if (!dirty[l]) continue;
      dirty[l] = 0;
      this.sortSegment(s, scratch, ls[l], ls[l + 1]);
    }
    const n = ls[L];
    order.set(scratch.subarray(0, n));
    this.count = n;
    this.version++;
  }

  /** Insertion sort of scratch[a..b) by (position, id): nearly free, vehicles never overtake within a lane. */
  private sortSegment(s: VehicleState, scratch: Int32Array, a: number, b: number): void {
    const pos = s.pos;
    const id = s.id;
    for (let k = a + 1; k < b; k++) {
      const v = scratch[k];
      const p = pos[v];
      let m = k - 1;
      while (m >= a && (pos[scratch[m]] > p || (pos[scratch[m]] === p && id[scratch[m]] > id[v]))) {
        scratch[m + 1] = scratch[m];
        m--;
      }
      scratch[m + 1] = v;
    }
  }

  /**
   * Adds vehicles that have just entered at the start of their lanes (at most one per lane):
   * each goes to the front of its lane's segment, since it is behind every vehicle there. Much
   * cheaper than a rebuild: whole segments are copied, nothing is sorted.
   */
  addAtLaneStarts(s: VehicleState, added: ArrayLike<number>, addedCount: number): void {
    if (addedCount === 0) return;
    const lane = s.lane;
    // the newcomers by lane (insertion sort: a few per tick; stable, so ties keep their order)
    if (this.byLane.length < addedCount) this.byLane = new Int32Array(Math.max(addedCount, 2 * this.byLane.length));
    const newByLane = this.byLane;
    for (let a = 0; a < addedCount; a++) {
      const v = added[a];
      let b = a - 1;
      while (b >= 0 && lane[newByLane[b]] > lane[v]) {
        newByLane[b + 1] = newByLane[b];
        b--;
      }
      newByLane[b + 1] = v;
    }
    if (this.scratch.length < s.capacity) this.scratch = new Int32Array(s.capacity);
    const scratch = this.scratch;
    const order = s.order;
    const ls = this.laneStart;
    let out = 0;
    let from = 0; // read position in the old order
    for (let a = 0; a < addedCount; a++) {
      const v = newByLane[a];
      // old entries up to the start of lane l keep their order
      const upto = ls[lane[v]];
      while (from < upto) scratch[out++] = order[from++];
      scratch[out++] = v;
    }
    while (from < this.count) scratch[out++] = order[from++];
    // lane starts: every lane after a lane with a newcomer moves up by the newcomers before it
    let k = 0;
    let moved = 0;
    for (let l = 0; l <= this.laneCount; l++) {
      ls[l] += moved;
      while (k < addedCount && lane[newByLane[k]] === l) {
        moved++;
        k++;
      }
    }
    order.set(scratch.subarray(0, out));
    this.count = out;
    this.version++;
  }
}
