/**
 * The lane order: active vehicle slots sorted by (lane, position, id), so that a vehicle's
 * leader is the next entry and each lane is a contiguous segment laneStart[l]..laneStart[l+1].
 *
 * Rebuilt with a counting sort over lanes that walks the previous order, so vehicles keep their
 * relative order, then an insertion sort per lane, which is nearly free because vehicles never
 * overtake within a lane (only lane changes, junction crossings and new vehicles move).
 */
import { F_ACTIVE, type VehicleState } from './state.js';
import type { SnapshotReader, SnapshotWriter } from './snapshot.js';

export class LaneOrder {
  /** laneStart[l]..laneStart[l+1] is lane l's segment of `state.order` */
  laneStart: Int32Array;
  count = 0;
  private cursor: Int32Array;
  private scratch: Int32Array;

  /** The lane segments (the order itself lives in the vehicle state). */
  snapshot(w: SnapshotWriter): void {
    w.json('order.count', this.count);
    w.typed('order.laneStart', this.laneStart);
  }

  restore(r: SnapshotReader): void {
    this.count = r.json<number>('order.count');
    r.typedInto('order.laneStart', this.laneStart);
  }

  constructor(private readonly laneCount: number) {
    this.laneStart = new Int32Array(new SharedArrayBuffer((laneCount + 1) * 4));
    this.cursor = new Int32Array(laneCount);
    this.scratch = new Int32Array(0);
  }

  /**
   * Rebuilds from the current order plus `added` new slots. With `dirty`, only the lanes marked
   * there are re-sorted (and unmarked): elsewhere the walk of the previous order keeps them sorted.
   */
  rebuild(s: VehicleState, added: ArrayLike<number>, addedCount: number, dirty?: Uint8Array): void {
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
    const pos = s.pos;
    const id = s.id;
    for (let l = 0; l < this.laneCount; l++) {
      if (dirty) {
        if (dirty[l] === 0) continue;
        dirty[l] = 0;
      }
      const a = ls[l];
      const b = ls[l + 1];
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
    order.set(scratch.subarray(0, n));
    this.count = n;
  }

  /**
   * Adds vehicles that have just entered at the start of their lanes (at most one per lane):
   * each goes to the front of its lane's segment, since it is behind every vehicle there. Much
   * cheaper than a rebuild: whole segments are copied, nothing is sorted.
   */
  addAtLaneStarts(s: VehicleState, added: ArrayLike<number>, addedCount: number): void {
    if (addedCount === 0) return;
    const lane = s.lane;
    const newByLane = Array.from(added as ArrayLike<number>).slice(0, addedCount).sort((a, b) => lane[a] - lane[b]);
    if (this.scratch.length < s.capacity) this.scratch = new Int32Array(s.capacity);
    const scratch = this.scratch;
    const order = s.order;
    const ls = this.laneStart;
    let out = 0;
    let from = 0; // read position in the old order
    for (const v of newByLane) {
      const l = lane[v];
      // old entries up to the start of lane l keep their order
      const upto = ls[l];
      scratch.set(order.subarray(from, upto), out);
      out += upto - from;
      from = upto;
      scratch[out++] = v;
    }
    scratch.set(order.subarray(from, this.count), out);
    out += this.count - from;
    // lane starts: every lane after a lane with a newcomer moves up by the newcomers before it
    let k = 0;
    let moved = 0;
    for (let l = 0; l <= this.laneCount; l++) {
      ls[l] += moved;
      while (k < newByLane.length && lane[newByLane[k]] === l) {
        moved++;
        k++;
      }
    }
    order.set(scratch.subarray(0, out));
    this.count = out;
  }
}
