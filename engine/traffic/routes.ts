/**
 * Route and stop tables shared by all vehicles: a route is a run of edge indices in one
 * Int32Array (start, length, loop flag per route); identical routes are stored once. Stops
 * (edge, position, dwell time, lane, earliest departure) of trips live in a parallel table; a
 * vehicle holds the range of its own stops.
 */
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';

const shared = <T>(Ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number): T =>
  new Ctor(new SharedArrayBuffer(n * Ctor.BYTES_PER_ELEMENT));

export class RouteTable {
  // shared buffers, so that worker threads read routes without copies
  edges = shared(Int32Array, 1024);
  start = shared(Int32Array, 64);
  length = shared(Int32Array, 64);
  loop = shared(Uint8Array, 64);
  count = 0;
  private used = 0;
  private readonly byKey = new Map<string, number>();

  stopEdge = shared(Int32Array, 64);
  stopPos = shared(Float64Array, 64);
  stopDur = shared(Float64Array, 64);
  /** the lane index of each stop on its edge (0 = rightmost); −1: the rightmost the vehicle may use */
  stopLane = filled(shared(Int32Array, 64), -1);
  /** the simulated time before which a vehicle does not leave the stop (`until`; 0: none) */
  stopUntil = shared(Float64Array, 64);
  stopCount = 0;
  /** whether any stop has a lane or an until (checkpoints hold those columns only then) */
  private stopExtras = false;
  /** bumped whenever an array is replaced, so that phase contexts are refreshed */
  generation = 0;

  add(route: ArrayLike<number>, loop = false): number {
    const key = `${loop ? 'L' : ''}${Array.prototype.join.call(route, ',')}`;
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    if (this.count === this.start.length) {
      this.start = grow(this.start, Int32Array);
      this.length = grow(this.length, Int32Array);
      this.loop = grow(this.loop, Uint8Array);
      this.generation++;
    }
    while (this.used + route.length > this.edges.length) {
      this.edges = grow(this.edges, Int32Array);
      this.generation++;
    }
    const r = this.count++;
    this.start[r] = this.used;
    this.length[r] = route.length;
    this.loop[r] = loop ? 1 : 0;
    for (let i = 0; i < route.length; i++) this.edges[this.used++] = route[i];
    this.byKey.set(key, r);
    return r;
  }

  /** Appends stops; returns the index of the first. */
  addStops(stops: StopRow[]): number {
    while (this.stopCount + stops.length > this.stopEdge.length) {
      this.stopEdge = grow(this.stopEdge, Int32Array);
      this.stopPos = grow(this.stopPos, Float64Array);
      this.stopDur = grow(this.stopDur, Float64Array);
      this.stopLane = filled(grow(this.stopLane, Int32Array), -1, this.stopLane.length);
      this.stopUntil = grow(this.stopUntil, Float64Array);
      this.generation++;
    }
    const first = this.stopCount;
    for (const s of stops) this.setStop(this.stopCount++, s);
    return first;
  }

  /** Writes stop k (a range reserved before, or a new one). */
  setStop(k: number, s: StopRow): void {
    this.stopEdge[k] = s.edge;
    this.stopPos[k] = s.pos;
    this.stopDur[k] = s.duration;
    this.stopLane[k] = s.lane ?? -1;
    this.stopUntil[k] = s.until ?? 0;
    if (s.lane !== undefined || s.until !== undefined) this.stopExtras = true;
  }

  /** entries of `edges` in use (the routes' edges end to end) */
  get edgesUsed(): number {
    return this.used;
  }

  snapshot(w: SnapshotWriter): void {
    w.json('routes.meta', { count: this.count, used: this.used, stopCount: this.stopCount, ...(this.stopExtras ? { stopExtras: true } : {}) });
    w.typed('routes.edges', this.edges, this.used);
    w.typed('routes.start', this.start, this.count);
    w.typed('routes.length', this.length, this.count);
    w.typed('routes.loop', this.loop, this.count);
    w.typed('routes.stopEdge', this.stopEdge, this.stopCount);
    w.typed('routes.stopPos', this.stopPos, this.stopCount);
    w.typed('routes.stopDur', this.stopDur, this.stopCount);
    if (this.stopExtras) {
      w.typed('routes.stopLane', this.stopLane, this.stopCount);
      w.typed('routes.stopUntil', this.stopUntil, this.stopCount);
    }
  }

  /** Reads what snapshot() wrote; the route lookup by key is rebuilt from the routes. */
  restore(r: SnapshotReader): void {
    const m = r.json<{ count: number; used: number; stopCount: number; stopExtras?: boolean }>('routes.meta');
    const sized = <T extends Int32Array | Uint8Array | Float64Array>(Ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number, min: number): T => {
      let cap = min;
      while (cap < n) cap *= 2;
      return shared(Ctor, cap);
    };
    this.edges = sized(Int32Array, m.used, 1024);
    this.start = sized(Int32Array, m.count, 64);
    this.length = sized(Int32Array, m.count, 64);
    this.loop = sized(Uint8Array, m.count, 64);
    this.stopEdge = sized(Int32Array, m.stopCount, 64);
    this.stopPos = sized(Float64Array, m.stopCount, 64);
    this.stopDur = sized(Float64Array, m.stopCount, 64);
    this.stopLane = filled(sized(Int32Array, m.stopCount, 64), -1);
    this.stopUntil = sized(Float64Array, m.stopCount, 64);
    r.typedInto('routes.edges', this.edges);
    r.typedInto('routes.start', this.start);
    r.typedInto('routes.length', this.length);
    r.typedInto('routes.loop', this.loop);
    r.typedInto('routes.stopEdge', this.stopEdge);
    r.typedInto('routes.stopPos', this.stopPos);
    r.typedInto('routes.stopDur', this.stopDur);
    this.stopExtras = m.stopExtras === true;
    if (this.stopExtras) {
      r.typedInto('routes.stopLane', this.stopLane);
      r.typedInto('routes.stopUntil', this.stopUntil);
    }
    this.count = m.count;
    this.used = m.used;
    this.stopCount = m.stopCount;
    this.byKey.clear();
    for (let k = 0; k < this.count; k++) {
      const key = `${this.loop[k] ? 'L' : ''}${Array.prototype.join.call(this.edgesOf(k), ',')}`;
      if (!this.byKey.has(key)) this.byKey.set(key, k);
    }
    this.generation++;
  }

  edgesOf(r: number): Int32Array {
    return this.edges.subarray(this.start[r], this.start[r] + this.length[r]);
  }
}

/** One stop as the table takes it: lane index on the edge, `until` in simulated seconds. */
export interface StopRow {
  edge: number;
  pos: number;
  duration: number;
  lane?: number;
  until?: number;
}

function filled<T extends Int32Array>(a: T, value: number, from = 0): T {
  a.fill(value, from);
  return a;
}

function grow<T extends Int32Array | Uint8Array | Float64Array>(a: T, Ctor: { new (buf: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  const b = new Ctor(new SharedArrayBuffer(a.length * 2 * Ctor.BYTES_PER_ELEMENT));
  (b as unknown as { set(x: T): void }).set(a);
  return b;
}
