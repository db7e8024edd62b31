/**
 * Fastest paths over the edge graph (Dijkstra on free-flow travel time, turns allowed only
 * where a lane connection exists), cached per (from, to) pair. Ties are broken by edge index, so
 * a route never depends on the order in which it was asked for.
 */
import type { Network } from './network.js';

export class Router {
  private readonly cache = new Map<number, Int32Array | null>();
  private readonly cost: Float64Array;

  constructor(private readonly net: Network) {
    this.cost = new Float64Array(net.edgeIds.length);
    for (let e = 0; e < this.cost.length; e++) this.cost[e] = net.edgeLength[e] / net.edgeSpeed[e];
  }

  /** Edges from `from` to `to` inclusive, or null when `to` cannot be reached. */
  route(from: number, to: number): Int32Array | null {
    const key = from * this.cost.length + to;
    let r = this.cache.get(key);
    if (r === undefined) {
      r = this.search(from, to);
      this.cache.set(key, r);
    }
    return r;
  }

  /** Whether each edge can be reached from `from` (breadth-first over lane connections), cached. */
  reachable(from: number): Uint8Array {
    let r = this.reach.get(from);
    if (!r) {
      r = new Uint8Array(this.cost.length);
      const queue = [from];
      r[from] = 1;
      for (let q = 0; q < queue.length; q++)
        for (const s of this.net.edgeSuccessors[queue[q]])
          if (!r[s]) {
            r[s] = 1;
            queue.push(s);
          }
      this.reach.set(from, r);
    }
    return r;
  }

  private readonly reach = new Map<number, Uint8Array>();

  /** A route through the given edges in order (each leg the fastest path), or null. */
  routeVia(edges: readonly number[]): Int32Array | null {
    const out: number[] = [edges[0]];
    for (let i = 1; i < edges.length; i++) {
      const leg = this.route(edges[i - 1], edges[i]);
      if (!leg) return null;
      for (let k = 1; k < leg.length; k++) out.push(leg[k]);
    }
    return Int32Array.from(out);
  }

  private search(from: number, to: number): Int32Array | null {
    if (from === to) return Int32Array.of(from);
    const n = this.cost.length;
    const dist = new Float64Array(n).fill(Infinity);
    const prev = new Int32Array(n).fill(-1);
    const heap = new MinHeap();
    // cost of a route counts every edge after the first in full
    dist[from] = 0;
    heap.push(0, from);
    while (heap.size > 0) {
      const [d, e] = heap.pop();
      if (d > dist[e]) continue;
      if (e === to) break;
      for (const s of this.net.edgeSuccessors[e]) {
        const nd = d + this.cost[s];
        if (nd < dist[s] || (nd === dist[s] && e < prev[s])) {
          dist[s] = nd;
          prev[s] = e;
          heap.push(nd, s);
        }
      }
    }
    if (!Number.isFinite(dist[to])) return null;
    const path: number[] = [];
    for (let e = to; e !== -1; e = prev[e]) {
      path.push(e);
      if (e === from) break;
    }
    return Int32Array.from(path.reverse());
  }
}

/** Binary heap of (key, value) pairs ordered by key, then value (deterministic ties). */
class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(k: number, v: number): void {
    this.keys.push(k);
    this.vals.push(v);
    let i = this.keys.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(p, i)) break;
      this.swap(i, p);
      i = p;
    }
  }
  pop(): [number, number] {
    const top: [number, number] = [this.keys[0], this.vals[0]];
    const lk = this.keys.pop()!;
    const lv = this.vals.pop()!;
    if (this.keys.length > 0) {
      this.keys[0] = lk;
      this.vals[0] = lv;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.keys.length && this.less(l, m)) m = l;
        if (r < this.keys.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
  private less(a: number, b: number): boolean {
    return this.keys[a] < this.keys[b] || (this.keys[a] === this.keys[b] && this.vals[a] < this.vals[b]);
  }
  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b], this.keys[a]];
    [this.vals[a], this.vals[b]] = [this.vals[b], this.vals[a]];
  }
}

/** Edges where traffic can enter from outside (their start node is a dead end apart from the reverse edge). */
export function fringeEdges(net: Network): { sources: number[]; sinks: number[] } {
  const nE = net.edgeIds.length;
  const inCount = new Int32Array(net.nodeIds.length);
  const outCount = new Int32Array(net.nodeIds.length);
  for (let e = 0; e < nE; e++) {
    inCount[net.edgeTo[e]]++;
    outCount[net.edgeFrom[e]]++;
  }
  const sources: number[] = [];
  const sinks: number[] = [];
  for (let e = 0; e < nE; e++) {
    if (net.edgeFrom[e] === net.edgeTo[e]) continue;
    if (inCount[net.edgeFrom[e]] <= 1 && outCount[net.edgeFrom[e]] <= 1) sources.push(e);
    if (inCount[net.edgeTo[e]] <= 1 && outCount[net.edgeTo[e]] <= 1) sinks.push(e);
  }
  return { sources, sinks };
}
