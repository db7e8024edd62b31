/**
 * Departures: vehicles waiting to enter and the moment they do. The demand (demand.ts) says who
 * is due; each departure then waits in the FIFO queue of its first edge until insert.ts finds a
 * gap for it. Insertion runs serially, queue by queue in edge order, so the vehicle ids and the
 * order of the depart events are fixed by the scenario and seed alone.
 *
 * Also here: the `place` vehicles put on the road at t = 0, and trips queued by other systems
 * while the run goes on (a delivery van's tour, enqueueTrip).
 */
import type { Scenario } from '../spec/schema.js';
import { connectionToFor, laneName, type Network } from '../road/network.js';
import { fringeEdges, type Router } from '../road/routing.js';
import type { LaneOrder } from '../core/order.js';
import { PURPOSE_SPEED_FACTOR, randNormal, stream } from '../core/rng.js';
import { F_ACTIVE, F_EQUIPPED, F_MOVING, type VehicleState } from '../core/state.js';
import type { SimCtx } from './context.js';
import { Demand, type Departure } from './demand.js';
import type { DepartEvent, RefuseEvent } from './events.js';
import { findEntry } from './insert.js';
import { HALT_SPEED } from './kinematics.js';
import { isClosedLoop, planPlacement } from './placement.js';
import type { RouteTable, StopRow } from './routes.js';
import { classRouteOk } from './class-route.js';
import type { TripLedger } from './trip-ledger.js';
import type { TrafficTotals } from './totals.js';
import type { TypeTable } from './types.js';

/** What departures read and write of the world. */
export interface DepartureHost {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly net: Network;
  readonly router: Router;
  readonly types: TypeTable;
  readonly routes: RouteTable;
  readonly state: VehicleState;
  readonly order: LaneOrder;
  readonly totals: TrafficTotals;
  /** trip ids, arrival positions and refusals */
  readonly trips: TripLedger;
  /** the phase context, refreshed after any array was replaced (a spawn may grow the state) */
  context(): SimCtx;
}

/** Who hears of a new vehicle. */
export interface DepartureHooks {
  depart(e: DepartEvent): void;
  /** whether the new vehicle carries an on-board unit (V2X) */
  equip(slot: number, id: number, type: number): boolean;
  /** a trip queued with a negative source (enqueueTrip) has entered the road */
  tripInserted(source: number, slot: number): void;
  /** a due departure will never enter (its class has no lane on its route) */
  refuse(e: RefuseEvent): void;
}

/** The departure queues as a checkpoint holds them. */
export interface DepartureQueuesState {
  nextId: number;
  queued: number;
  queueEdges: number[];
  queues: Departure[][];
}

/** At most this many vehicles enter in one tick; the rest try again in the next. */
const MAX_INSERTIONS_PER_TICK = 4096;

export class Departures {
  readonly demand: Demand;
  /** the id the next vehicle gets */
  nextId = 0;
  /** departures waiting for a gap, per first edge (FIFO) */
  private readonly queues = new Map<number, { items: Departure[]; head: number }>();
  private queuedCount = 0;
  /** the first edges that have a queue, ascending */
  private readonly queueEdges: number[] = [];
  private readonly due: Departure[] = [];
  /** the slots that entered in the last insert(), the first `inserted` of them */
  readonly added = new Int32Array(MAX_INSERTIONS_PER_TICK);
  /** how many of those entered ahead of their lane's start (departPos): the lane order must sort them in */
  insertedMidLane = 0;
  /** whether a route (key: route × 8 + class code) has a lane for the class all along (lane classes) */
  private readonly routeOk = new Map<number, boolean>();

  constructor(
    private readonly w: DepartureHost,
    private readonly hooks: DepartureHooks,
  ) {
    this.demand = new Demand(w.scenario, w.net, w.types, w.routes, w.seed, w.router);
    this.demand.ledger = w.trips;
  }

  /** Departures refused because their class has no lane on their route (metrics). */
  get refused(): number {
    return this.w.trips.refused;
  }

  /** Departures waiting for a gap. */
  get waiting(): number {
    return this.queuedCount;
  }

  /** Random trips the demand could not route (metrics). */
  get unroutable(): number {
    return this.demand.unroutable;
  }

  /**
   * Queues the departures due at `time` and inserts, queue by queue in edge order, the head of
   * every queue whose first edge has a gap. Returns how many entered (their slots: `added`).
   */
  insert(time: number): number {
    this.due.length = 0;
    this.demand.due(time, this.due);
    for (const d of this.due) {
      const why = this.refusal(d);
      if (why) this.refuse(time, d, why);
      else this.enqueue(d);
    }
    this.insertedMidLane = 0;
    if (this.queuedCount === 0) return 0;
    let inserted = 0;
    const c = this.w.context();
    for (const e of this.queueEdges) {
      if (inserted >= this.added.length) break; // the rest tries again next tick
      const q = this.queues.get(e)!;
      if (q.head >= q.items.length) continue;
      const d = q.items[q.head];
      const sf = this.speedFactorFor(this.nextId, d.type);
      const entry = findEntry(c, this.w.types, d, sf);
      if (!entry) continue;
      q.head++;
      this.queuedCount--;
      if (q.head > 1024 && q.head * 2 > q.items.length) {
        q.items = q.items.slice(q.head);
        q.head = 0;
      }
      const slot = this.spawn(time, d.type, d.route, entry.lane, entry.pos, entry.speed, sf, d.stopFirst, d.stopCount, d.tripId);
      this.w.state.departDelay[slot] = time - d.time;
      if (entry.pos > Math.min(this.w.types.length[d.type], this.w.net.laneLength[entry.lane])) this.insertedMidLane++;
      if (d.arrivalPos !== undefined) this.w.trips.addArrival(slot, this.w.state.id[slot], d.arrivalPos);
      this.added[inserted++] = slot;
      if (d.source < 0) this.hooks.tripInserted(d.source, slot);
    }
    if (inserted > 0) this.w.context();
    return inserted;
  }

  /**
   * Why a due departure can never enter, or null: its class has no route (noLane), no lane on
   * some edge or connection of its route (noLane), or may not use the lane it asked for
   * (departLane). On a network where every lane admits every class, always null.
   */
  private refusal(d: Departure): RefuseEvent['reason'] | null {
    if (d.noRoute !== undefined) return 'noLane';
    const net = this.w.net;
    if (!net.classRestricted) return null;
    const bits = this.w.types.laneBits[d.type];
    const key = d.route * 256 + bits;
    let ok = this.routeOk.get(key);
    if (ok === undefined) {
      ok = classRouteOk(net, this.w.routes.edgesOf(d.route), this.w.routes.loop[d.route] === 1, bits);
      this.routeOk.set(key, ok);
    }
    if (!ok) return 'noLane';
    if (typeof d.lane === 'number') {
      const first = this.w.routes.edges[this.w.routes.start[d.route]];
      if (d.lane >= net.edgeLanes[first] || !(net.laneAllow[net.edgeFirstLane[first] + d.lane] & bits)) return 'departLane';
    }
    return null;
  }

  /** A departure that will never enter: counted and reported, never silently dropped. */
  private refuse(time: number, d: Departure, reason: RefuseEvent['reason']): void {
    this.w.trips.refused++;
    const edge = d.noRoute ?? this.w.net.edgeIds[this.w.routes.edges[this.w.routes.start[d.route]]];
    this.hooks.refuse({ kind: 'refuse', time: round(time), type: this.w.types.names[d.type], source: d.source, edge, reason, ...(d.tripId !== undefined ? { tripId: d.tripId } : {}) });
  }

  /** Puts a departure in the queue of its first edge (FIFO). */
  private enqueue(d: Departure): void {
    const first = this.w.routes.edges[this.w.routes.start[d.route]];
    let q = this.queues.get(first);
    if (!q) {
      q = { items: [], head: 0 };
      this.queues.set(first, q);
      // keep the queue edges sorted (insertion happens in edge order), without a sort per tick
      let at = this.queueEdges.length;
      this.queueEdges.push(first);
      while (at > 0 && this.queueEdges[at - 1] > first) {
        this.queueEdges[at] = this.queueEdges[at - 1];
        at--;
      }
      this.queueEdges[at] = first;
    }
    q.items.push(d);
    this.queuedCount++;
  }

  /**
   * Queues a trip that starts at `time` (a delivery van's tour): a route of edges with stops,
   * inserted like any departure when its first edge has a gap. `source` is negative (−1 − van
   * index): the tripInserted hook hears of the insertion. `stopsAt` ≥ 0 writes the stops over a
   * range of the stop table the caller reserved and no vehicle uses any more (a van reuses its
   * own range tour after tour, so the table does not grow with the run); −1 appends them.
   * Returns the index of the first stop in the route table.
   */
  enqueueTrip(time: number, type: number, edges: ArrayLike<number>, stops: StopRow[], source: number, stopsAt = -1): number {
    const r = this.w.routes;
    let stopFirst = 0;
    if (stops.length > 0 && stopsAt >= 0) {
      if (stopsAt + stops.length > r.stopCount) throw new Error(`enqueueTrip: stops ${stopsAt}..${stopsAt + stops.length - 1} are beyond the stop table (${r.stopCount})`);
      // the arrays are shared with the workers, which are idle while the logistics runs
      stops.forEach((st, i) => r.setStop(stopsAt + i, st));
      stopFirst = stopsAt;
    } else if (stops.length > 0) stopFirst = r.addStops(stops);
    this.enqueue({ time, type, route: r.add(edges), departSpeed: 0, stopFirst, stopCount: stops.length, source });
    return stopFirst;
  }

  /** A driver's factor on the speed limit: seeded by vehicle id, so the same in every run. */
  speedFactorFor(id: number, type: number): number {
    const types = this.w.types;
    const dev = types.speedDev[type];
    const mean = types.speedFactor[type];
    if (dev === 0) return mean;
    // normal, truncated at two standard deviations (as SUMO's speedDev)
    let z = randNormal(this.w.seed, 0, id, PURPOSE_SPEED_FACTOR);
    if (z > 2) z = 2;
    if (z < -2) z = -2;
    return Math.max(0.2, mean * (1 + dev * z));
  }

  /** Creates a vehicle at `time`; the caller adds it to the lane order. */
  private spawn(time: number, type: number, route: number, lane: number, pos: number, speed: number, sf: number, stopFirst: number, stopCount: number, tripId?: string): number {
    const { state: s, routes: r, net } = this.w;
    const slot = s.allocate();
    const id = this.nextId++;
    s.id[slot] = id;
    s.type[slot] = type;
    s.lane[slot] = lane;
    s.pos[slot] = pos;
    s.speed[slot] = speed;
    s.accel[slot] = 0;
    s.lastDx[slot] = 0;
    s.route[slot] = route;
    s.routeIdx[slot] = 0;
    const next = r.length[route] > 1 ? r.edges[r.start[route] + 1] : r.loop[route] ? r.edges[r.start[route]] : -1;
    s.nextConn[slot] = next < 0 ? -1 : connectionToFor(net, lane, next, this.w.types.laneBits[type]);
    s.prevConn[slot] = -1;
    s.lcTarget[slot] = -1;
    s.lcTime[slot] = time;
    s.flags[slot] = F_ACTIVE | (speed >= HALT_SPEED ? F_MOVING : 0) | (this.hooks.equip(slot, id, type) ? F_EQUIPPED : 0);
    s.speedFactor[slot] = sf;
    s.depart[slot] = time;
    s.departDelay[slot] = 0;
    s.waiting[slot] = 0;
    s.timeLoss[slot] = 0;
    s.edgeLoss[slot] = -1;
    s.stuck[slot] = 0;
    s.dist[slot] = 0;
    s.fuel[slot] = 0;
    s.co2[slot] = 0;
    s.halts[slot] = 0;
    s.warned[slot] = 0;
    s.speedAdvice[slot] = Infinity;
    s.accelLimit[slot] = Infinity;
    s.v2x[slot] = 0;
    s.stopIdx[slot] = stopFirst;
    s.stopEnd[slot] = stopFirst + stopCount;
    s.stopUntil[slot] = 0;
    this.w.totals.inserted++;
    if (tripId !== undefined) this.w.trips.setTripId(id, tripId);
    this.hooks.depart({ kind: 'depart', time: round(time), id, type: this.w.types.names[type], lane: laneName(net, lane), speed: round(speed), delay: 0, ...(tripId !== undefined ? { tripId } : {}) });
    return slot;
  }

  /** `place` demand: vehicles on the road at the start (placement.ts), each with a route. */
  placeVehicles(time: number): void {
    const { scenario, net, types, seed, state, routes } = this.w;
    const plan = planPlacement(scenario, net, types, seed, (id, type) => this.speedFactorFor(id, type));
    if (plan.problems.length > 0) throw new Error(`place: ${plan.problems[0].message}`);
    const { sinks } = fringeEdges(net);
    const rng = stream(seed, 'place/routes');
    state.reserve(plan.vehicles.length);
    const slots: number[] = [];
    for (const v of plan.vehicles) {
      const e = net.laneEdge[v.lane];
      const router = this.demand.routers.for(types.laneBits[v.type]);
      let route: number;
      if (isClosedLoop(net, v.lane)) route = routes.add([e], true);
      else {
        // drive on to a fringe exit (seeded), or to the end of the edge when none is reachable
        const reach = router.reachable(e);
        const exits = sinks.filter((x) => reach[x] === 1);
        const pick = exits.length > 0 ? exits[Math.floor(rng() * exits.length)] : e;
        route = routes.add(router.route(e, pick)!);
      }
      slots.push(this.spawn(time, v.type, route, v.lane, v.pos, v.speed, v.speedFactor, 0, 0));
    }
    if (slots.length > 0) this.w.order.rebuild(state, Int32Array.from(slots), slots.length);
    this.w.context();
  }

  /** The queues as a checkpoint holds them (each queue from its head). */
  save(): DepartureQueuesState {
    return {
      nextId: this.nextId,
      queued: this.queuedCount,
      queueEdges: [...this.queueEdges],
      queues: this.queueEdges.map((e) => {
        const q = this.queues.get(e)!;
        return q.items.slice(q.head);
      }),
    };
  }

  load(st: DepartureQueuesState): void {
    this.nextId = st.nextId;
    this.queuedCount = st.queued;
    this.queues.clear();
    this.queueEdges.length = 0;
    st.queueEdges.forEach((e, i) => {
      this.queues.set(e, { items: st.queues[i], head: 0 });
      this.queueEdges.push(e);
    });
  }
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
