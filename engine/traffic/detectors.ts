/**
 * Induction loops. A loop at (edge, pos[, lane]) counts the vehicles whose front passed `pos`
 * during a tick, with their speed, and samples occupancy (the share of ticks with a vehicle body
 * over the loop). Every `period` seconds it reports count, flow (veh/h), mean speed (arithmetic
 * mean of spot speeds, m/s) and occupancy (0..1), as SUMO's E1 detectors do.
 *
 * Counting runs on the phase runner over the detectors (each one's sums are its own, taken over
 * its lanes in lane order, so a split of the detectors across threads changes nothing); the
 * finished periods are reported by the main thread, in detector order. The accumulators live in
 * shared memory for that.
 */
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import type { SimCtx } from './context.js';
import type { DetectorSpec } from '../spec/schema.js';
import type { Network } from '../road/network.js';
import { SharedArrays } from '../core/shared-arrays.js';

export interface DetectorReport {
  id: string;
  begin: number;
  end: number;
  count: number;
  flow: number;
  meanSpeed: number | null;
  occupancy: number;
}

export class Detectors {
  readonly ids: string[];
  private readonly lanes: Int32Array[];
  private readonly pos: Float64Array;
  private readonly period: Float64Array;
  private readonly count: Int32Array;
  private readonly speedSum: Float64Array;
  private readonly occupiedTicks: Int32Array;
  private readonly ticks: Int32Array;
  private readonly begin: Float64Array;

  /** the accumulators, in shared memory (worker threads count their detectors in place) */
  readonly arrays: SharedArrays;

  constructor(specs: DetectorSpec[], net: Pick<Network, 'edgeIndex' | 'edgeFirstLane' | 'edgeLanes'>, shared?: Record<string, SharedArrayBuffer>) {
    const n = specs.length;
    this.ids = specs.map((d) => d.id);
    this.lanes = specs.map((d) => {
      const e = net.edgeIndex.get(d.edge)!;
      const first = net.edgeFirstLane[e];
      return d.lane !== undefined ? Int32Array.of(first + d.lane) : Int32Array.from({ length: net.edgeLanes[e] }, (_, l) => first + l);
    });
    this.pos = Float64Array.from(specs.map((d) => d.pos));
    this.period = Float64Array.from(specs.map((d) => d.period));
    const a = (this.arrays = new SharedArrays(shared));
    this.count = a.i32('count', n);
    this.speedSum = a.f64('speedSum', n);
    this.occupiedTicks = a.i32('occupiedTicks', n);
    this.ticks = a.i32('ticks', n);
    this.begin = a.f64('begin', n);
  }

  /** The accumulators of the periods under way. */
  snapshot(w: SnapshotWriter): void {
    w.typed('detectors.count', this.count);
    w.typed('detectors.speedSum', this.speedSum);
    w.typed('detectors.occupiedTicks', this.occupiedTicks);
    w.typed('detectors.ticks', this.ticks);
    w.typed('detectors.begin', this.begin);
  }

  restore(r: SnapshotReader): void {
    r.typedInto('detectors.count', this.count);
    r.typedInto('detectors.speedSum', this.speedSum);
    r.typedInto('detectors.occupiedTicks', this.occupiedTicks);
    r.typedInto('detectors.ticks', this.ticks);
    r.typedInto('detectors.begin', this.begin);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Counts the tick that just ended (`time` is the time after it); reports finished periods. */
  record(c: SimCtx, time: number, report: (r: DetectorReport) => void): void {
    this.countRange(c, 0, this.ids.length);
    this.reportDue(time, report);
  }

  /** Counts the tick that just ended at detectors d0..d1 − 1 (the vehicles over and past each loop). */
  countRange(c: SimCtx, d0: number, d1: number): void {
    const s = c.v;
    for (let d = d0; d < d1; d++) {
      const p = this.pos[d];
      let occupied = false;
      const lanes = this.lanes[d];
      for (let q = 0; q < lanes.length; q++) {
        const lane = lanes[q];
        const end = c.laneStart[lane + 1];
        // first vehicle with its front at or beyond the loop (binary search)
        let lo = c.laneStart[lane];
        let hi = end;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (s.pos[s.order[mid]] < p) lo = mid + 1;
          else hi = mid;
        }
        for (let k = lo; k < end; k++) {
          const j = s.order[k];
          const x = s.pos[j];
          if (k === lo && x - c.tLen[s.type[j]] <= p) occupied = true;
          // passed the loop in this tick (lastDx may span a lane change or a junction)
          if (x - s.lastDx[j] < p) {
            this.count[d]++;
            this.speedSum[d] += s.speed[j];
          } else if (x - p > 60) break; // nobody moves 60 m in a tick
        }
      }
      if (occupied) this.occupiedTicks[d]++;
      this.ticks[d]++;
    }
  }

  /** Reports, in detector order, the periods that end with this tick. */
  reportDue(time: number, report: (r: DetectorReport) => void): void {
    for (let d = 0; d < this.ids.length; d++) if (time - this.begin[d] >= this.period[d] - 1e-9) report(this.flush(d, time));
  }

  /** Reports the unfinished periods at the end of a run (marked by their shorter span). */
  flushAll(time: number, report: (r: DetectorReport) => void): void {
    for (let d = 0; d < this.ids.length; d++) if (time - this.begin[d] > 1e-9) report(this.flush(d, time));
  }

  private flush(d: number, time: number): DetectorReport {
    const span = time - this.begin[d];
    const r: DetectorReport = {
      id: this.ids[d],
      begin: round6(this.begin[d]),
      end: round6(time),
      count: this.count[d],
      flow: round6((this.count[d] * 3600) / span),
      meanSpeed: this.count[d] > 0 ? round6(this.speedSum[d] / this.count[d]) : null,
      occupancy: this.ticks[d] > 0 ? round6(this.occupiedTicks[d] / this.ticks[d]) : 0,
    };
    this.begin[d] = time;
    this.count[d] = 0;
    this.speedSum[d] = 0;
    this.occupiedTicks[d] = 0;
    this.ticks[d] = 0;
    return r;
  }
}

export const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
