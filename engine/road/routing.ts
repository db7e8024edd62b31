/**
 * Fastest paths over the edge graph (Dijkstra on free-flow travel time, turns allowed only
 * where a lane connection exists), cached per (from, to) pair. Ties are broken by edge index, so
 * a route never depends on the order in which it was asked for.
 */
import type { Network } from './network.js';
import { ALL_CLASSES, edgeAdmits } from './lane-classes.js';

/**
 * What the caches may hold: edges of cached paths, and bytes of reachability arrays. A run asks
 * for a path per origin-destination pair it meets, so on a large network with random trips the
 * path cache would grow over the whole run towards every pair; when a budget is reached the cache
 * is emptied and refilled. A path depends only on (from, to), never on what was cached before, so
 * results are the same bits; callers keep the arrays they were given.
 */
export const ROUTER_CACHE_EDGES = 4_000_000;
export const ROUTER_REACH_BYTES = 64 * 2 ** 20;

export class Router {
  private readonly cache = new Map<number, Int32Array | null>();
  /** edges held in `cache` */
  private cachedEdges = 0;
  private readonly cost: Float64Array;

  /** 1 / the highest speed limit: turns distances into a lower bound on travel time */
  private readonly invTopSpeed: number;

  /** edges the path cache may hold, bytes the reachability cache may (defaults above; tests give less) */
  private readonly cacheBudget: number;
  private readonly reachBudget: number;
  /** the edges each edge leads to for this router's class (the network's own list when unrestricted) */
  private readonly successors: number[][];
  /** edges this router's class may start on (null: all) */
  private readonly startable: Uint8Array | null = null;

  /**
   * `classBit`: route one vehicle class only over the edges where it has a lane and the
   * connections whose both lanes admit it (lane-classes.ts); absent, every connection counts.
   */
  constructor(
    private readonly net: Network,
    opts: { cacheEdges?: number; reachBytes?: number; classBit?: number } = {},
  ) {
    this.cacheBudget = opts.cacheEdges ?? ROUTER_CACHE_EDGES;
    this.reachBudget = opts.reachBytes ?? ROUTER_REACH_BYTES;
    const bit = opts.classBit;
    if (bit === undefined || !net.classRestricted) this.successors = net.edgeSuccessors;
    else {
      this.successors = classSuccessors(net, bit);
      this.startable = Uint8Array.from(net.edgeIds, (_, e) => (edgeAdmits(net, e, bit) ? 1 : 0));
    }
    this.cost = new Float64Array(net.edgeIds.length);
    let top = 0;
    for (let e = 0; e < this.cost.length; e++) {
      this.cost[e] = net.edgeLength[e] / net.edgeSpeed[e];
      if (net.edgeSpeed[e] > top) top = net.edgeSpeed[e];
    }
    this.invTopSpeed = top > 0 ? 1 / top : 0;
  }

  /** (from, to) pairs whose path (or its absence) is held in the cache */
  get cachedPaths(): number {
    return this.cache.size;
  }

  /** Edges from `from` to `to` inclusive, or null when `to` cannot be reached. */
  route(from: number, to: number): Int32Array | null {
    const key = from * this.cost.length + to;
    let r = this.cache.get(key);
    if (r === undefined) {
      r = this.search(from, to);
      const size = r ? r.length : 1;
      if (this.cachedEdges + size > this.cacheBudget) {
        this.cache.clear();
        this.cachedEdges = 0;
      }
      this.cache.set(key, r);
      this.cachedEdges += size;
    }
    return r;
  }

  /** edges of the paths held in the cache (never more than the budget) */
  get cachedPathEdges(): number {
    return this.cachedEdges;
  }

  /** Whether each edge can be reached from `from` (breadth-first over lane connections), cached. */
  reachable(from: number): Uint8Array {
    let r = this.reach.get(from);
    if (!r) {
      r = new Uint8Array(this.cost.length);
      const queue = this.startable && !this.startable[from] ? [] : [from];
      if (queue.length > 0) r[from] = 1;
      for (let q = 0; q < queue.length; q++)
        for (const s of this.successors[queue[q]])
          if (!r[s]) {
            r[s] = 1;
            queue.push(s);
          }
      if ((this.reach.size + 1) * r.length > this.reachBudget) this.reach.clear();
      this.reach.set(from, r);
    }
    return r;
  }

  private readonly reach = new Map<number, Uint8Array>();

  /** reachability arrays held in the cache (their bytes: this × the number of edges) */
  get cachedReach(): number {
    return this.reach.size;
  }

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

  /**
   * A* on free-flow travel time: the straight-line distance from an edge's end to the target's
   * end at the network's top speed never overestimates what is left, so the path is the fastest;
   * it just expands far fewer edges than plain Dijkstra on a city grid.
   */
  private search(from: number, to: number): Int32Array | null {
    if (this.startable && (!this.startable[from] || !this.startable[to])) return null;
    if (from === to) return Int32Array.of(from);
    const net = this.net;
    const n = this.cost.length;
    const dist = new Float64Array(n).fill(Infinity);
    const prev = new Int32Array(n).fill(-1);
    const tx = net.nodeX[net.edgeTo[to]];
    const ty = net.nodeY[net.edgeTo[to]];
    const h = (e: number) => Math.hypot(net.nodeX[net.edgeTo[e]] - tx, net.nodeY[net.edgeTo[e]] - ty) * this.invTopSpeed;
    const heap = new MinHeap();
    // the cost of a route counts every edge after the first in full
    dist[from] = 0;
    heap.push(h(from), from);
    while (heap.size > 0) {
      const e = heap.popValue();
      if (e === to) break;
      const d = dist[e];
      for (const s of this.successors[e]) {
        const nd = d + this.cost[s];
        if (nd < dist[s]) {
          dist[s] = nd;
          prev[s] = e;
          heap.push(nd + h(s), s);
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

/** Edges each edge leads to over connections whose both lanes admit class bit `bit`, ascending. */
function classSuccessors(net: Network, bit: number): number[][] {
  const out: number[][] = net.edgeIds.map(() => []);
  for (let c = 0; c < net.connCount; c++) {
    if (!(net.laneAllow[net.connFromLane[c]] & bit) || !(net.laneAllow[net.connToLane[c]] & bit)) continue;
    const s = out[net.connFromEdge[c]];
    if (!s.includes(net.connToEdge[c])) s.push(net.connToEdge[c]);
  }
  for (const s of out) s.sort((a, b) => a - b);
  return out;
}

/**
 * One router per vehicle class, built when first asked for and kept. On a network where every
 * lane admits every class all classes share the base router, so such a network routes exactly
 * as before lane classes existed.
 */
export class ClassRouters {
  private readonly byBits = new Map<number, Router>();

  constructor(
    private readonly net: Network,
    readonly base: Router,
  ) {}

  /** The router of vehicles that may use the lanes of class bits `bits` (a type's laneBits). */
  for(bits: number): Router {
    if (!this.net.classRestricted || bits === ALL_CLASSES) return this.base;
    let r = this.byBits.get(bits);
    if (!r) {
      if (bits <= 0 || bits > ALL_CLASSES) throw new Error(`no vehicle classes ${bits}`);
      r = new Router(this.net, { classBit: bits });
      this.byBits.set(bits, r);
    }
    return r;
  }
}

/** Binary heap of (key, value) pairs ordered by key, then value (deterministic ties); stale entries are skipped on pop. */
class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];
  private readonly done = new Set<number>();
  get size(): number {
    return this.keys.length;
  }
  push(k: number, v: number): void {
    const keys = this.keys;
    const vals = this.vals;
    let i = keys.length;
    keys.push(k);
    vals.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] < k || (keys[p] === k && vals[p] <= v)) break;
      keys[i] = keys[p];
      vals[i] = vals[p];
      i = p;
    }
    keys[i] = k;
    vals[i] = v;
  }
  /** The value of the smallest key not popped before (each value is settled once), or −1. */
  popValue(): number {
    for (;;) {
      if (this.keys.length === 0) return -1;
      const top = this.vals[0];
      this.removeTop();
      if (!this.done.has(top)) {
        this.done.add(top);
        return top;
      }
    }
  }
  private removeTop(): void {
    const keys = this.keys;
    const vals = this.vals;
    const lk = keys.pop()!;
    const lv = vals.pop()!;
    const n = keys.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let m = l;
      if (r < n && (keys[r] < keys[l] || (keys[r] === keys[l] && vals[r] < vals[l]))) m = r;
      if (keys[m] > lk || (keys[m] === lk && vals[m] >= lv)) break;
      keys[i] = keys[m];
      vals[i] = vals[m];
      i = m;
    }
    keys[i] = lk;
    vals[i] = lv;
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
