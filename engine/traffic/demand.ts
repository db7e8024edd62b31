/**
 * Traffic demand: turns the scenario's demand entries into departures, lazily, tick by tick,
 * so that memory does not grow with the length of a run. Departures due in a tick come out in a
 * fixed order (time, then entry index, then sequence), which fixes the vehicle ids.
 *
 * - flow: evenly spaced departures (rate → period), or random ones (exponential headways, or a
 *   chance each second: SUMO's random flows) from the flow's own seeded stream; route given
 *   or fastest from → to;
 * - randomTrips: evenly spaced, each with a seeded random origin and destination among the
 *   network's fringe edges (all edges when it has none);
 * - trips: explicit departures; tripsFile: the same, from a trips file's compact table
 *   (engine/spec/trip-table.ts), row by row as a trips list of the same rows would give them;
 * - place (handled by placeVehicles): vehicles put on the road at t = 0.
 */
import type { Scenario, StopSpec } from '../spec/schema.js';
import type { Network } from '../road/network.js';
import { ClassRouters, Router, fringeEdges } from '../road/routing.js';
import { restoreStream, stream, type Stream } from '../core/rng.js';
import { SnapshotError, type SnapshotReader, type SnapshotWriter } from '../core/snapshot.js';
import type { RouteTable } from './routes.js';
import type { TypeTable } from './types.js';
import { TypeDraw } from './type-draw.js';
import { placeDeparture, type DeparturePlace, type PlacementSpec } from './depart-place.js';
import type { TripLedger, TripLedgerState } from './trip-ledger.js';
import { departLaneOf, posOf, tripIdOf, tripTableOf, type TripTable } from '../spec/trip-table.js';

export interface Departure extends DeparturePlace {
  /** scheduled time, s */
  time: number;
  type: number;
  route: number;
  /** 'max' or a speed in m/s */
  departSpeed: number | 'max';
  stopFirst: number;
  stopCount: number;
  /** demand entry index (for events) */
  source: number;
  /**
   * The fields below are present only when the scenario sets them, so that departures (and the
   * checkpoints that hold them) of scenarios without them stay what they were.
   * tripId: the scenario's id of the trip (a flow's vehicles: `<flow id>.<n>`).
   */
  tripId?: string;
  /** no route for the vehicle's class (lane classes): the origin edge; refused when due, never inserted */
  noRoute?: string;
  // (lane, pos, arrivalPos: DeparturePlace, depart-place.ts)
}

/** Where a source stands: departures (or seconds, for a probability flow) counted, vehicles made, its random stream. */
interface SourceState {
  k: number;
  n?: number;
  /** exponential headways: the next departure's time */
  at?: number;
  rng?: object;
}

interface Source {
  index: number;
  next(): Departure | null; // the next departure of this source, or null when done
  /** how far the source has got (checkpoints), and back */
  save(): SourceState;
  load(state: SourceState): void;
}

export class Demand {
  private readonly sources: Source[] = [];
  private readonly heads: (Departure | null)[] = [];
  readonly router: Router;
  /** per-class routers (lane classes) */
  readonly routers: ClassRouters;
  private readonly typeDraw: TypeDraw;
  /** trip ids, arrival positions and refusals (checkpointed with the demand) */
  ledger: TripLedger | undefined;
  /** random trips for which 20 draws found no connected origin/destination pair (reported in metrics) */
  unroutable = 0;

  constructor(
    scenario: Scenario,
    private readonly net: Network,
    private readonly types: TypeTable,
    private readonly routes: RouteTable,
    private readonly seed: number,
    router?: Router,
  ) {
    this.router = router ?? new Router(net);
    this.routers = new ClassRouters(net, this.router);
    this.typeDraw = new TypeDraw(scenario, types, seed);
    const fringe = fringeEdges(net);
    scenario.demand.forEach((entry, index) => {
      if ('flow' in entry) this.sources.push(this.flowSource(entry.flow, index, scenario.duration, stream(seed, `demand/${index}`)));
      else if ('randomTrips' in entry) this.sources.push(this.randomSource(entry.randomTrips, index, stream(seed, `demand/${index}`), fringe, scenario.duration));
      else if ('trips' in entry) this.sources.push(this.tripSource(entry.trips, index));
      else if ('tripsFile' in entry) {
        const table = tripTableOf(entry);
        if (!table) throw new Error(`demand.${index}.tripsFile: the trips file '${entry.tripsFile}' was not read (load the scenario with loadScenario)`);
        this.sources.push(this.tableSource(table, index));
      }
    });
    this.heads = this.sources.map((s) => s.next());
  }

  /** Departures scheduled at or before `time`, in (time, entry, sequence) order. */
  due(time: number, out: Departure[]): void {
    for (;;) {
      let best = -1;
      for (let s = 0; s < this.heads.length; s++) {
        const h = this.heads[s];
        if (h && h.time <= time + 1e-9 && (best < 0 || h.time < this.heads[best]!.time)) best = s;
      }
      if (best < 0) return;
      out.push(this.heads[best]!);
      this.heads[best] = this.sources[best].next();
    }
  }

  /** Where every source stands (checkpoints): its position, generator state and next departure. */
  snapshot(w: SnapshotWriter): void {
    const ledger = this.ledger?.save();
    w.json('demand', { sources: this.sources.map((s) => s.save()), heads: this.heads, unroutable: this.unroutable, ...(ledger ? { ledger } : {}) });
  }

  restore(r: SnapshotReader): void {
    const d = r.json<{ sources: SourceState[]; heads: (Departure | null)[]; unroutable: number; ledger?: TripLedgerState }>('demand');
    if (d.sources.length !== this.sources.length) throw new SnapshotError(`the snapshot has ${d.sources.length} demand sources, the scenario ${this.sources.length}`);
    d.sources.forEach((st, i) => this.sources[i].load(st));
    for (let i = 0; i < this.heads.length; i++) this.heads[i] = d.heads[i];
    this.unroutable = d.unroutable;
    this.ledger?.load(d.ledger);
  }

  /** Departures not yet due (for the manifest's honesty about what never ran). */
  pendingSources(): number {
    return this.heads.filter((h) => h !== null).length;
  }

  private stopsFor(stops: StopSpec[] | undefined): [number, number] {
    if (!stops || stops.length === 0) return [0, 0];
    const first = this.routes.addStops(
      stops.map((s) => ({
        edge: this.net.edgeIndex.get(s.edge)!,
        pos: s.pos,
        duration: s.duration,
        ...(s.lane !== undefined ? { lane: s.lane } : {}),
        ...(s.until !== undefined ? { until: s.until } : {}),
      })),
    );
    return [first, stops.length];
  }

  /** The lane-class bits type index t may use (its routes are those of these bits). */
  private classOf(t: number): number {
    return this.types.laneBits[t];
  }

  /**
   * Departure k of entry `index` of the given type and route, with its trip id and its
   * departLane, departPos and arrivalPos resolved (depart-place.ts).
   */
  private departure(time: number, type: number, route: number | null, departSpeed: number | 'max', stops: [number, number], index: number, k: number, spec: PlacementSpec, tripId: string | undefined, origin: string): Departure {
    const d: Departure = { time, type, route: route ?? -1, departSpeed, stopFirst: stops[0], stopCount: stops[1], source: index };
    if (tripId !== undefined) d.tripId = tripId;
    if (route === null) d.noRoute = origin;
    else placeDeparture(d, this.routes.edgesOf(route), spec, this.net, this.classOf(type), this.seed, index, k);
    return d;
  }

  private flowSource(f: Extract<Scenario['demand'][number], { flow: unknown }>['flow'], index: number, duration: number, initialRng: Stream): Source {
    const period = f.probability !== undefined ? 1 : (f.period ?? 3600 / f.rate!);
    // a route of edges, or the fastest path for the vehicle's class (one per class: lane
    // classes); null when the class has no way
    const byClass = new Map<number, number | null>();
    const routeFor = (type: number): number | null => {
      const cls = this.classOf(type);
      let r = byClass.get(cls);
      if (r === undefined) {
        const edges = f.route
          ? Int32Array.from(f.route.map((id) => this.net.edgeIndex.get(id)!))
          : this.routers.for(cls).route(this.net.edgeIndex.get(f.from!)!, this.net.edgeIndex.get(f.to!)!);
        r = edges ? this.routes.add(edges) : null;
        byClass.set(cls, r);
      }
      return r;
    };
    // a flow of one type routes now, as it always has (route numbers follow the scenario order)
    if (!this.typeDraw.isDistribution(f.type)) routeFor(this.types.index.get(f.type)!);
    const end = Math.min(f.end, duration);
    // every departure of a flow has the same stops: one copy in the table (the vehicles only read
    // it), not one per departure, which would grow with the length of the run
    const stops = this.stopsFor(f.stops);
    // departures so far (k; for a probability flow the seconds drawn), vehicles made (n), and
    // for random flows the flow's own stream, so that its draws do not depend on any other source
    let k = 0;
    let n = 0;
    let rng = initialRng;
    // exponential headways: the time of the next departure, drawn one ahead
    let at = f.begin;
    const random = f.probability !== undefined || f.headways === 'exponential';
    const nextTime = (): number => {
      if (f.probability !== undefined) {
        for (;;) {
          const time = f.begin + k;
          if (time >= end) return time;
          k++;
          if (rng() < f.probability) return time;
        }
      }
      if (f.headways === 'exponential') {
        const time = at;
        if (time < end) {
          k++;
          at += -Math.log(1 - rng()) * period;
        }
        return time;
      }
      const time = f.begin + k * period;
      if (time < end) k++;
      return time;
    };
    if (f.headways === 'exponential') at = f.begin - Math.log(1 - rng()) * period;
    return {
      index,
      next: () => {
        const time = nextTime();
        if (time >= end) return null;
        const v = n++;
        const type = this.typeDraw.typeOf(f.type, index, v);
        return this.departure(time, type, routeFor(type), f.departSpeed, stops, index, v, f, f.id !== undefined ? `${f.id}.${v}` : undefined, f.route?.[0] ?? f.from!);
      },
      save: () => (random ? { k, n, at, rng: rng.state() } : { k, n }),
      load: (st) => {
        k = st.k;
        n = st.n ?? st.k;
        if (st.at !== undefined) at = st.at;
        if (st.rng) rng = restoreStream(st.rng);
      },
    };
  }

  private randomSource(
    f: Extract<Scenario['demand'][number], { randomTrips: unknown }>['randomTrips'],
    index: number,
    initialRng: Stream,
    fringe: { sources: number[]; sinks: number[] },
    duration: number,
  ): Source {
    const period = f.period ?? 3600 / f.rate!;
    const all = this.net.edgeIds.map((_, e) => e);
    const from = fringe.sources.length > 0 ? fringe.sources : all;
    const to = fringe.sinks.length > 0 ? fringe.sinks : all;
    const type = this.types.index.get(f.type)!;
    const router = this.routers.for(this.classOf(type));
    const end = Math.min(f.end, duration);
    let k = 0;
    let rng = initialRng;
    return {
      index,
      save: () => ({ k, rng: rng.state() }),
      load: (st) => {
        k = st.k;
        rng = restoreStream(st.rng!);
      },
      next: () => {
        for (;;) {
          const time = f.begin + k * period;
          if (time >= end) return null;
          k++;
          // a few draws for a reachable pair that is not a mere turn back; the draws are part of the stream
          for (let attempt = 0; attempt < 20; attempt++) {
            const a = from[Math.floor(rng() * from.length)];
            const b = to[Math.floor(rng() * to.length)];
            if (this.net.edgeFrom[a] === this.net.edgeTo[b] && this.net.edgeTo[a] === this.net.edgeFrom[b]) continue;
            const r = router.route(a, b);
            if (!r || (a === b && from.length > 1)) continue;
            return { time, type, route: this.routes.add(r), departSpeed: f.departSpeed, stopFirst: 0, stopCount: 0, source: index };
          }
          this.unroutable++;
        }
      },
    };
  }

  /**
   * A trips file's rows in departure order: the departure of row n is exactly the one trip n of
   * a YAML trips list with the same fields would give (the same draws, routes and places).
   */
  private tableSource(t: TripTable, index: number): Source {
    const edge = Int32Array.from(t.edgeNames, (name) => this.net.edgeIndex.get(name)!);
    const noPlace = {};
    const placed = t.departLane !== null || t.departPosKind !== null || t.arrivalPosKind !== null;
    let k = 0;
    return {
      index,
      save: () => ({ k }),
      load: (st) => {
        k = st.k;
      },
      next: () => {
        if (k >= t.count) return null;
        const n = t.order[k++];
        const type = this.typeDraw.typeOf(t.typeNames[t.type[n]], index, n);
        const router = this.routers.for(this.classOf(type));
        const from = edge[t.from[n]];
        const to = edge[t.to[n]];
        let edges: Int32Array | null;
        const v = t.via[n];
        if (v >= 0) {
          const points = [from];
          for (let i = t.viaStart[v], end = i + t.viaLength[v]; i < end; i++) points.push(edge[t.viaPool[i]]);
          points.push(to);
          edges = router.routeVia(points);
        } else edges = router.route(from, to);
        const spec: PlacementSpec = placed
          ? { departLane: departLaneOf(t, n), departPos: posOf(t.departPosKind, t.departPos, n) as PlacementSpec['departPos'], arrivalPos: posOf(t.arrivalPosKind, t.arrivalPos, n) as PlacementSpec['arrivalPos'] }
          : noPlace;
        const departSpeed = t.departSpeed[n] < 0 ? 'max' : t.departSpeed[n];
        return this.departure(t.depart[n], type, edges ? this.routes.add(edges) : null, departSpeed, this.stopsFor(t.stops.get(n)), index, n, spec, tripIdOf(t, n), t.edgeNames[t.from[n]]);
      },
    };
  }

  private tripSource(trips: Extract<Scenario['demand'][number], { trips: unknown }>['trips'], index: number): Source {
    const sorted = trips.map((t, k) => ({ t, k })).sort((a, b) => a.t.depart - b.t.depart || a.k - b.k);
    let k = 0;
    return {
      index,
      save: () => ({ k }),
      load: (st) => {
        k = st.k;
      },
      next: () => {
        if (k >= sorted.length) return null;
        // (the draw is keyed by the trip's place in the scenario's list, not by departure order)
        const { t, k: n } = sorted[k++];
        const e = (id: string) => this.net.edgeIndex.get(id)!;
        const type = this.typeDraw.typeOf(t.type, index, n);
        const router = this.routers.for(this.classOf(type));
        const edges = t.via && t.via.length > 0 ? router.routeVia([e(t.from), ...t.via.map(e), e(t.to)]) : router.route(e(t.from), e(t.to));
        return this.departure(t.depart, type, edges ? this.routes.add(edges) : null, t.departSpeed, this.stopsFor(t.stops), index, n, t, t.id, t.from);
      },
    };
  }
}
