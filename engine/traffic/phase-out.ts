/**
 * What one range of a phase reports back: lists of vehicles (lane-change candidates, arrivals,
 * removals, shown wishes, reroutes) and a few tallies. Backed by SharedArrayBuffers so that a
 * worker thread fills its own and the main thread reads it without copying; the world merges the
 * parts in a fixed way (lists sorted by vehicle id, integer sums, minima).
 */

// counters in the shared Int32Array
const LC = 0;
const ARR = 1;
const REM = 2;
const WISH = 3;
const REROUTE = 4;
const COLLISIONS = 5;
const STRUCTURAL = 6;
const EMERGENCY = 7;
const RED = 8;
const COUNTERS = 9;

export interface PhaseOutBuffers {
  counters: SharedArrayBuffer;
  minGap: SharedArrayBuffer;
  lc: SharedArrayBuffer;
  arrivals: SharedArrayBuffer;
  removals: SharedArrayBuffer;
  wishers: SharedArrayBuffer;
  reroutes: SharedArrayBuffer;
}

const sharedInts = (n: number) => new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4));

export class PhaseOut {
  private counters: Int32Array;
  private gap: Float64Array;
  lc: Int32Array;
  arrivals: Int32Array;
  removals: Int32Array;
  wishers: Int32Array;
  reroutes: Int32Array;
  /** bumped when the lists are reallocated (a worker must then be given the new buffers) */
  generation = 0;

  constructor(capacity: number, buffers?: PhaseOutBuffers) {
    if (buffers) {
      this.counters = new Int32Array(buffers.counters);
      this.gap = new Float64Array(buffers.minGap);
      this.lc = new Int32Array(buffers.lc);
      this.arrivals = new Int32Array(buffers.arrivals);
      this.removals = new Int32Array(buffers.removals);
      this.wishers = new Int32Array(buffers.wishers);
      this.reroutes = new Int32Array(buffers.reroutes);
    } else {
      this.counters = sharedInts(COUNTERS);
      this.gap = new Float64Array(new SharedArrayBuffer(8));
      this.lc = sharedInts(capacity);
      this.arrivals = sharedInts(capacity);
      this.removals = sharedInts(capacity);
      this.wishers = sharedInts(capacity);
      this.reroutes = sharedInts(capacity);
      this.gap[0] = Infinity;
    }
  }

  buffers(): PhaseOutBuffers {
    const b = (a: Int32Array | Float64Array) => a.buffer as SharedArrayBuffer;
    return { counters: b(this.counters), minGap: b(this.gap), lc: b(this.lc), arrivals: b(this.arrivals), removals: b(this.removals), wishers: b(this.wishers), reroutes: b(this.reroutes) };
  }

  get lcCount(): number { return this.counters[LC]; }
  set lcCount(v: number) { this.counters[LC] = v; }
  get arrCount(): number { return this.counters[ARR]; }
  set arrCount(v: number) { this.counters[ARR] = v; }
  get remCount(): number { return this.counters[REM]; }
  set remCount(v: number) { this.counters[REM] = v; }
  get wishCount(): number { return this.counters[WISH]; }
  set wishCount(v: number) { this.counters[WISH] = v; }
  get rerouteCount(): number { return this.counters[REROUTE]; }
  set rerouteCount(v: number) { this.counters[REROUTE] = v; }
  get collisions(): number { return this.counters[COLLISIONS]; }
  set collisions(v: number) { this.counters[COLLISIONS] = v; }
  get structural(): number { return this.counters[STRUCTURAL]; }
  set structural(v: number) { this.counters[STRUCTURAL] = v; }
  get emergencyBrakes(): number { return this.counters[EMERGENCY]; }
  set emergencyBrakes(v: number) { this.counters[EMERGENCY] = v; }
  get redViolations(): number { return this.counters[RED]; }
  set redViolations(v: number) { this.counters[RED] = v; }
  get minGap(): number { return this.gap[0]; }
  set minGap(v: number) { this.gap[0] = v; }

  /** Appends another part's results (lists in part order; the world sorts them by id). */
  absorb(o: PhaseOut): void {
    const cat = (dst: Int32Array, n: number, src: Int32Array, m: number) => {
      if (m > 0) dst.set(src.subarray(0, m), n);
      return n + m;
    };
    this.lcCount = cat(this.lc, this.lcCount, o.lc, o.lcCount);
    this.arrCount = cat(this.arrivals, this.arrCount, o.arrivals, o.arrCount);
    this.remCount = cat(this.removals, this.remCount, o.removals, o.remCount);
    this.wishCount = cat(this.wishers, this.wishCount, o.wishers, o.wishCount);
    this.rerouteCount = cat(this.reroutes, this.rerouteCount, o.reroutes, o.rerouteCount);
    if (o.minGap < this.minGap) this.minGap = o.minGap;
    this.collisions += o.collisions;
    this.structural += o.structural;
    this.emergencyBrakes += o.emergencyBrakes;
    this.redViolations += o.redViolations;
  }

  /** Empties the lists and tallies; makes room for `capacity` vehicles (reallocating if needed). */
  reset(capacity: number): void {
    if (this.lc.length < capacity) {
      this.lc = sharedInts(capacity);
      this.arrivals = sharedInts(capacity);
      this.removals = sharedInts(capacity);
      this.wishers = sharedInts(capacity);
      this.reroutes = sharedInts(capacity);
      this.generation++;
    }
    this.counters.fill(0);
    this.gap[0] = Infinity;
  }
}
