/**
 * Van tours: which of a hub's waiting orders go together and in which order the van visits them
 * (cheapest insertion on road distances, at a planning speed), and the road route that does it.
 * Estimates only, for choosing; the tour then drives in the traffic like any vehicle.
 */
import type { LogisticsSpec } from '../spec/schema-logistics.js';
import { routeLength, stopPos, type Feasibility } from './feasibility.js';
import type { LogisticsHost, TripStop } from './host.js';
import type { Hub } from './hubs.js';
import type { OrderBook } from './orders.js';

/**
 * Planning speed of a van over its route, as a share of its top speed: urban driving with
 * signals and curb stops averages well below the limit (an estimate for deadlines only).
 */
const VAN_PLAN_SPEED_SHARE = 0.6;
/**
 * A further order handed over at the kerb point the van is already parked at takes this share
 * of the dwell (illustrative: the van is parked and open; the recipient only collects).
 */
const SAME_POINT_DWELL_SHARE = 0.25;

/** A tour ready for the road: its orders in visiting order, its route and its stops. */
export interface BuiltTour {
  orders: number[];
  edges: Int32Array;
  stops: TripStop[];
}

export class TourPlanner {
  /** the van type's index, −1 when no hub has vans */
  readonly vanType: number;
  /** the speed the plans assume, m/s */
  readonly planSpeed: number;

  constructor(
    private readonly spec: LogisticsSpec['van'],
    private readonly orders: OrderBook,
    private readonly feasible: Feasibility,
    private readonly host: Pick<LogisticsHost, 'net' | 'router' | 'types'>,
    hubs: readonly Hub[],
  ) {
    this.vanType = hubs.some((h) => h.vans > 0) ? host.types.index.get(spec.type)! : -1;
    this.planSpeed = this.vanType >= 0 ? host.types.vmax[this.vanType] * VAN_PLAN_SPEED_SHARE : 1;
  }

  /**
   * The stops of a tour from `seed` (the oldest order) among `cands`, in visiting order, by
   * cheapest insertion on road distances: from the seed's nearest candidates (straight line,
   * three times maxStops of them), repeatedly the order and position that add the least time,
   * as long as every stop keeps its deadline, the tour (back at the hub) lasts at most
   * `maxTourTime` and stays within `range` m, maxStops and the payload. Times are estimates at
   * the planning speed with `dwell` per stop; the seed is in the tour whatever its estimate.
   */
  plan(hub: Hub, seed: number, cands: readonly number[], now: number, range: number): number[] {
    const o = this.orders;
    const spec = this.spec;
    const pool = [
      seed,
      ...cands
        .filter((id) => id !== seed)
        .map((id) => ({ id, d: Math.hypot(o.x[id] - o.x[seed], o.y[id] - o.y[seed]) }))
        .sort((a, b) => a.d - b.d || a.id - b.id)
        .slice(0, 3 * spec.maxStops)
        .map((c) => c.id),
    ];
    // points: 0 the hub (the start of its edge leaving, the end coming back), p ≥ 1 pool[p − 1]'s curb stop
    const n = pool.length + 1;
    const net = this.host.net;
    const edge = [hub.edge, ...pool.map((id) => this.feasible.known(id).curb!.edge)];
    const pos = [0, ...pool.map((id) => stopPos(net, this.feasible.known(id).curb!))];
    const gap = new Float64Array(n * n).fill(NaN);
    const road = (a: number, b: number): number => {
      const known = gap[a * n + b];
      if (!Number.isNaN(known)) return known;
      const to = b === 0 ? net.edgeLength[edge[0]] : pos[b];
      let d: number;
      if (edge[a] === edge[b] && to >= pos[a]) d = to - pos[a];
      // two stops on one edge: build() visits them in the order of their positions
      else if (edge[a] === edge[b] && b !== 0) d = pos[a] - to;
      else {
        const r = this.host.router.route(edge[a], edge[b]);
        d = r ? routeLength(net, r) - pos[a] - (net.edgeLength[edge[b]] - to) : Infinity;
      }
      gap[a * n + b] = d;
      return d;
    };
    const v = this.planSpeed;
    /** a tour's estimated duration back at the hub, s, or Infinity when it breaks a deadline, maxTourTime or the range */
    const duration = (tour: readonly number[]): number => {
      let t = now;
      let at = 0;
      let metres = 0;
      for (const p of tour) {
        const d = road(at, p);
        metres += d;
        t += d / v + spec.dwell;
        if (t > o.deadline[pool[p - 1]] + 1e-9) return Infinity;
        at = p;
      }
      metres += road(at, 0);
      t += road(at, 0) / v;
      return t - now <= spec.maxTourTime + 1e-9 && metres <= range ? t - now : Infinity;
    };
    let tour = [1];
    let load = o.weight[seed];
    const inTour = new Uint8Array(n);
    inTour[1] = 1;
    while (tour.length < spec.maxStops) {
      let best: number[] | null = null;
      let bestTime = Infinity;
      let bestPoint = -1;
      for (let p = 2; p < n; p++) {
        if (inTour[p] || load + o.weight[pool[p - 1]] > spec.payload) continue;
        for (let at = 0; at <= tour.length; at++) {
          const trial = [...tour.slice(0, at), p, ...tour.slice(at)];
          const time = duration(trial);
          // ties: the older order
          if (time < bestTime - 1e-9 || (time < Infinity && Math.abs(time - bestTime) <= 1e-9 && pool[p - 1] < pool[bestPoint - 1])) {
            best = trial;
            bestTime = time;
            bestPoint = p;
          }
        }
      }
      if (!best) break;
      tour = best;
      inTour[bestPoint] = 1;
      load += o.weight[pool[bestPoint - 1]];
    }
    return tour.map((p) => pool[p - 1]);
  }

  /**
   * The road route of a tour: hub edge → each curb stop → hub edge. Consecutive stops on one
   * edge are visited in the order of their positions (a vehicle cannot back up to an earlier one).
   */
  build(hub: Hub, tour: number[]): BuiltTour | null {
    const net = this.host.net;
    const stops = tour.map((id) => {
      const c = this.feasible.known(id).curb!;
      return { id, edge: c.edge, pos: stopPos(net, c) };
    });
    for (let i = 0; i < stops.length; ) {
      let j = i + 1;
      while (j < stops.length && stops[j].edge === stops[i].edge) j++;
      const run = stops.slice(i, j).sort((a, b) => a.pos - b.pos || a.id - b.id);
      stops.splice(i, j - i, ...run);
      i = j;
    }
    const edges = this.host.router.routeVia([hub.edge, ...stops.map((s) => s.edge), hub.edge]);
    if (!edges) return null;
    // a loop back onto the hub edge when the last stop is on it beyond the hub is fine: the route ends there
    const dwell = this.spec.dwell;
    const sameAsBefore = (q: number) => q > 0 && stops[q].edge === stops[q - 1].edge && Math.abs(stops[q].pos - stops[q - 1].pos) < 1;
    return { orders: stops.map((s) => s.id), edges, stops: stops.map((s, q) => ({ edge: s.edge, pos: s.pos, duration: sameAsBefore(q) ? dwell * SAME_POINT_DWELL_SHARE : dwell })) };
  }
}
