/**
 * The world: network, vehicle state and the tick loop. `step()` runs the phases of DESIGN.md in a
 * fixed order; everything between ticks is published on rxjs streams (`events$`, `ticks$`,
 * `seconds$`) for writers, progress bars and tests.
 *
 * Phase order in one tick:
 *   signals → decide (per vehicle) → resolve lane changes (serial, by id) → move (per vehicle)
 *   → arrivals and removals (serial, by id) → lane order → insert (serial) → record (serial)
 */
import { Subject } from 'rxjs';
import type { Scenario } from '../spec/schema.js';
import { expandNetwork, type ExpandedNetwork } from '../road/expand.js';
import { buildNetwork, connectionTo, type Network } from '../road/network.js';
import { buildSignalPrograms, initialConnectionStates, updateSignals, type SignalProgram } from '../road/signals.js';
import { Router, fringeEdges } from '../road/routing.js';
import { VehicleState, F_ACTIVE, F_EQUIPPED, F_MOVING, BYTES_PER_SLOT } from '../core/state.js';
import { LaneOrder } from '../core/order.js';
import { PURPOSE_SPEED_FACTOR, randNormal, stream } from '../core/rng.js';
import { makeContext, PhaseOut, type ContextSettings, type SimCtx } from '../traffic/context.js';
import { applyRoadEvents, buildRoadEvents, makeLaneEvents, type RoadEvent } from '../traffic/roadevents.js';
import { buildTypeTable, type TypeTable } from '../traffic/types.js';
import { RouteTable } from '../traffic/routes.js';
import { Demand, type Departure } from '../traffic/demand.js';
import { resolveLaneChanges } from '../traffic/lanechange.js';
import { decidePhase } from '../traffic/decide.js';
import { movePhase } from '../traffic/move.js';
import { InlineRunner, type PhaseRunner } from '../core/runner.js';
import { findEntry } from '../traffic/insert.js';
import { Detectors, type DetectorReport } from '../traffic/detectors.js';
import { isClosedLoop, planPlacement } from '../traffic/placement.js';
import { HALT_SPEED } from '../traffic/kinematics.js';
import { stateHash } from './hash.js';
import { SnapshotError, type SnapshotReader, type SnapshotWriter } from '../core/snapshot.js';
import { V2xSystem } from '../v2x/index.js';
import { LogisticsSystem } from '../logistics/index.js';
import type { SecondSample, SimEvent, TickInfo } from './events.js';

export interface WorldOptions {
  /** overrides scenario.seed */
  seed?: number;
  /** how the per-vehicle phases run (default: in this thread, one range) */
  runner?: PhaseRunner;
}

/** The totals in a fixed order, for checkpoints. */
const TOTAL_KEYS = [
  'inserted',
  'arrived',
  'removed',
  'vehicleUpdates',
  'finishedDistance',
  'travelTimeSum',
  'emergencyBrakes',
  'redViolations',
  'collisions',
  'minGap',
  'fuelMl',
  'co2g',
] as const satisfies readonly (keyof TrafficTotals)[];

export interface TrafficTotals {
  inserted: number;
  arrived: number;
  removed: number;
  vehicleUpdates: number;
  /** metres driven by vehicles that have left the network */
  finishedDistance: number;
  travelTimeSum: number;
  emergencyBrakes: number;
  redViolations: number;
  collisions: number;
  minGap: number;
  /** fuel (mL) and CO₂ (g) of vehicles that have left the network */
  fuelMl: number;
  co2g: number;
}

export class World {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly dt: number;
  readonly expanded: ExpandedNetwork;
  readonly net: Network;
  readonly programs: SignalProgram[];
  readonly connState: Uint8Array;
  readonly types: TypeTable;
  readonly routes = new RouteTable();
  readonly state: VehicleState;
  readonly order: LaneOrder;
  readonly router: Router;
  readonly detectors: Detectors;
  /** roadside units, on-board units and cooperative applications, when the scenario has them */
  readonly v2x: V2xSystem | undefined;
  /** orders, hubs, drones, robots and delivery vans, when the scenario has them */
  readonly logistics: LogisticsSystem | undefined;
  private readonly demand: Demand;
  private ctx: SimCtx;
  private ctxGen = -1;
  private routeGen = -1;
  private readonly out: PhaseOut;
  /** one PhaseOut per part of the runner */
  private readonly outs: PhaseOut[];
  readonly runner: PhaseRunner;
  /** lane-change wishes per lane, by tick parity (see VehicleState.wishA) */
  readonly laneWish: [Int32Array, Int32Array];
  /** lanes that gained or lost a vehicle this tick (see SimCtx.laneDirty) */
  readonly laneDirty: Uint8Array;
  /** road events of the scenario, and the sections in force per lane (roadevents.ts) */
  readonly roadEvents: RoadEvent[];
  readonly laneEvents: Float64Array;
  private readonly roadEventOn: Uint8Array;
  private readonly roadEventBefore: Uint8Array;

  readonly events$ = new Subject<SimEvent>();
  readonly ticks$ = new Subject<TickInfo>();
  readonly seconds$ = new Subject<SecondSample>();

  tick = 0;
  time = 0;
  nextId = 0;
  readonly totals: TrafficTotals = {
    inserted: 0,
    arrived: 0,
    removed: 0,
    vehicleUpdates: 0,
    finishedDistance: 0,
    travelTimeSum: 0,
    emergencyBrakes: 0,
    redViolations: 0,
    collisions: 0,
    minGap: Infinity,
    fuelMl: 0,
    co2g: 0,
  };

  /** departures waiting for a gap, per first edge (FIFO) */
  private readonly queues = new Map<number, { items: Departure[]; head: number }>();
  private queued = 0;
  /** the first edges that have a queue, ascending */
  private readonly queueEdges: number[] = [];
  private readonly due: Departure[] = [];
  private readonly added = new Int32Array(4096);

  constructor(scenario: Scenario, opts: WorldOptions = {}) {
    this.scenario = scenario;
    this.seed = opts.seed ?? scenario.seed;
    this.dt = scenario.step;
    this.expanded = expandNetwork(scenario.network);
    this.net = buildNetwork(this.expanded);
    this.programs = buildSignalPrograms(this.net).programs;
    this.connState = initialConnectionStates(this.net);
    updateSignals(this.programs, 0, this.connState);
    this.types = buildTypeTable(scenario.vehicleTypes);
    this.state = new VehicleState(1024);
    this.order = new LaneOrder(this.net.laneCount);
    this.router = new Router(this.net);
    this.demand = new Demand(scenario, this.net, this.types, this.routes, this.seed, this.router);
    this.detectors = new Detectors(scenario.detectors, this.net);
    this.out = new PhaseOut(this.state.capacity);
    this.runner = opts.runner ?? new InlineRunner(1);
    this.outs = Array.from({ length: this.runner.parts }, () => new PhaseOut(this.state.capacity));
    this.runner.attach?.(this);
    const wish = () => new Int32Array(new SharedArrayBuffer(Math.max(1, this.net.laneCount) * 4));
    this.laneWish = [wish(), wish()];
    this.laneDirty = new Uint8Array(new SharedArrayBuffer(Math.max(1, this.net.laneCount)));
    this.roadEvents = buildRoadEvents(scenario.roadEvents, this.net, scenario.duration);
    this.laneEvents = makeLaneEvents(this.net.laneCount);
    this.roadEventOn = new Uint8Array(this.roadEvents.length);
    this.roadEventBefore = new Uint8Array(this.roadEvents.length);
    this.v2x = scenario.v2x ? new V2xSystem(this, scenario.v2x) : undefined;
    this.logistics = scenario.logistics ? new LogisticsSystem(this, scenario.logistics, (e) => this.events$.next(e)) : undefined;
    this.ctx = this.makeCtx();
  }

  private started = false;

  /**
   * Puts the `place` vehicles on the road (t = 0). Called by the first step(); call it yourself
   * after subscribing to the streams to see their depart events before the first tick.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.placeVehicles();
  }

  get active(): number {
    return this.state.active;
  }

  /** Departures waiting for a gap. */
  get waiting(): number {
    return this.queued;
  }

  get bytesPerVehicle(): number {
    return BYTES_PER_SLOT;
  }

  private makeCtx(): SimCtx {
    const c = makeContext(this.net, this.connState, this.routes, this.types, this.state, this.order.laneStart, this.laneDirty, this.laneEvents, this.contextSettings());
    this.ctxGen = this.state.generation;
    this.routeGen = this.routes.generation;
    return c;
  }

  /** The fixed parameters of the phase context (the same in every thread). */
  contextSettings(): ContextSettings {
    const hlw = this.scenario.v2x?.apps.hlw;
    return {
      dt: this.dt,
      lookahead: this.scenario.traffic.lookahead,
      laneChangeInterval: this.scenario.traffic.laneChangeInterval,
      gridlockTimeout: this.scenario.traffic.gridlockTimeout,
      hazardSight: this.scenario.traffic.hazardSight,
      hazardWarned: hlw && hlw.enabled ? Math.max(hlw.distance, this.scenario.traffic.hazardSight) : this.scenario.traffic.hazardSight,
      emissions: this.scenario.output.emissions,
      roadEvents: this.scenario.roadEvents.length > 0,
      v2xHooks: this.scenario.v2x !== undefined,
    };
  }

  /** The phase context, refreshed after any array was replaced. */
  context(): SimCtx {
    if (this.ctxGen !== this.state.generation || this.routeGen !== this.routes.generation) {
      const { time, tick } = this.ctx;
      this.ctx = this.makeCtx();
      this.ctx.time = time;
      this.ctx.tick = tick;
    }
    return this.ctx;
  }

  /** The per-vehicle phases' work on one range of the lane order, in this thread. */
  private readonly decideWork = (k0: number, k1: number, part: number): void => decidePhase(this.ctx, k0, k1, this.outs[part]);
  private readonly moveWork = (k0: number, k1: number, part: number): void => movePhase(this.ctx, k0, k1, this.outs[part]);
  private readonly detectorsWork = (d0: number, d1: number): void => this.detectors.countRange(this.ctx, d0, d1);
  private readonly reportDetector = (r: DetectorReport): void => this.events$.next({ kind: 'detector', ...r });

  /** One PhaseOut per part of the runner (the parallel runner hands the workers theirs). */
  get phaseOuts(): readonly PhaseOut[] {
    return this.outs;
  }

  /**
   * The tick being computed: `tick` until the moves are done, then still this one while the
   * logistics and insertion finish it (`tick` already counts it). Phases and faults are named by it.
   */
  phaseTick = 0;
  /** inside step(): cleared when a tick is whole (a step that threw leaves it set) */
  private stepping = false;

  /** Ticks computed to the end: `tick`, or one less after a step stopped half-way by a fault. */
  get ticksDone(): number {
    return this.stepping ? this.phaseTick : this.tick;
  }

  /** Advances one tick. */
  step(): void {
    if (!this.started) this.start();
    this.phaseTick = this.tick;
    this.stepping = true;
    const c = this.context();
    c.time = this.time;
    c.tick = this.tick;
    updateSignals(this.programs, this.time, this.connState);
    if (this.roadEvents.length > 0) this.updateRoadEvents();
    const n = this.order.count;
    const out = this.out;
    const cap = this.state.capacity;
    out.reset(cap);
    for (const o of this.outs) o.reset(cap);
    this.totals.vehicleUpdates += n;

    c.laneWish = this.laneWish[this.tick & 1];
    const pt = this.phaseTimes;
    let t0 = performance.now();
    if (this.v2x) {
      this.v2x.communicate();
      const tv = performance.now();
      pt.v2x += tv - t0;
      t0 = tv;
    }
    this.runner.run('decide', n, this.decideWork);
    let t1 = performance.now();
    pt.decide += t1 - t0;
    for (const o of this.outs) {
      out.absorb(o);
      o.reset(cap);
    }
    // wishes shown this tick, per lane, for the neighbours' courtesy next tick
    const wishNext = this.laneWish[(this.tick + 1) & 1];
    wishNext.fill(0);
    for (let q = 0; q < out.wishCount; q++) wishNext[this.state.lane[out.wishers[q]]]++;
    resolveLaneChanges(c, out.lc, out.lcCount);
    if (out.rerouteCount > 0) this.reroute(out);
    t0 = performance.now();
    pt.lanes += t0 - t1;
    this.context();
    this.runner.run('move', n, this.moveWork);
    t1 = performance.now();
    pt.move += t1 - t0;
    for (const o of this.outs) out.absorb(o);

    this.tick++;
    this.time = this.tick * this.dt;
    this.totals.emergencyBrakes += out.emergencyBrakes;
    this.totals.redViolations += out.redViolations;
    this.totals.collisions += out.collisions;
    if (out.minGap < this.totals.minGap) this.totals.minGap = out.minGap;

    const left = this.finishVehicles(out);
    if (left > 0 || out.structural > 0) this.order.update(this.state, this.laneDirty);
    t0 = performance.now();
    pt.order += t0 - t1;
    // logistics after the moves and arrivals (van stops read from the state they left), before
    // insertion (a van tour dispatched now enters in this same tick)
    if (this.logistics) {
      this.logistics.step();
      t1 = performance.now();
      pt.logistics += t1 - t0;
      t0 = t1;
    }
    const inserted = this.insertDue();
    this.order.addAtLaneStarts(this.state, this.added, inserted);
    t1 = performance.now();
    pt.insert += t1 - t0;
    this.record();
    pt.record += performance.now() - t1;
    this.stepping = false;
  }

  /** Puts the road events in force now into the lane array, announcing each start and end. */
  private updateRoadEvents(): void {
    const before = this.roadEventBefore;
    before.set(this.roadEventOn);
    if (!applyRoadEvents(this.roadEvents, this.time, this.laneEvents, this.roadEventOn)) return;
    for (const e of this.roadEvents) {
      if (before[e.index] === this.roadEventOn[e.index]) continue;
      this.events$.next({ kind: 'roadEvent', time: this.time, id: e.id, event: e.kind, edge: this.net.edgeIds[e.edge], phase: this.roadEventOn[e.index] ? 'start' : 'end' });
    }
  }

  /**
   * Wall-clock milliseconds spent in each part of the tick so far (for benchmarks; never part
   * of any result): the per-vehicle phases, the serial lane-change resolution, finishing
   * vehicles and the lane order, insertion, and recording.
   */
  readonly phaseTimes = { v2x: 0, decide: 0, lanes: 0, move: 0, order: 0, logistics: 0, insert: 0, record: 0 };

  /** Runs until simulated time `until` (default: the scenario's duration) or until `shouldStop()` says so at a tick boundary. */
  run(until = this.scenario.duration, shouldStop?: () => boolean): void {
    const lastTick = Math.round(until / this.dt);
    while (this.tick < lastTick) {
      if (shouldStop && shouldStop()) return;
      this.step();
    }
  }

  get ticksTotal(): number {
    return Math.round(this.scenario.duration / this.dt);
  }

  // ------------------------------------------------------------------ rerouting

  /**
   * Vehicles stuck at the end of a lane that does not lead on along their route take the
   * fastest way to their destination from one of the lane's own connections (serial, by id).
   */
  private reroute(out: PhaseOut): void {
    const s = this.state;
    const list = Array.from(out.reroutes.subarray(0, out.rerouteCount)).sort((a, b) => s.id[a] - s.id[b]);
    const r = this.routes;
    const net = this.net;
    for (const i of list) {
      const lane = s.lane[i];
      const route = s.route[i];
      const dest = r.edges[r.start[route] + r.length[route] - 1];
      let best: Int32Array | null = null;
      let bestConn = -1;
      let bestCost = Infinity;
      for (let q = net.laneConnStart[lane]; q < net.laneConnStart[lane + 1]; q++) {
        const conn = net.laneConns[q];
        const path = this.router.route(net.connToEdge[conn], dest);
        if (!path) continue;
        let cost = 0;
        for (const e of path) cost += net.edgeLength[e] / net.edgeSpeed[e];
        if (cost < bestCost) {
          bestCost = cost;
          best = path;
          bestConn = conn;
        }
      }
      if (!best) continue; // no way at all: it waits (and is removed as gridlocked if it must)
      const edges = new Int32Array(best.length + 1);
      edges[0] = net.laneEdge[lane];
      edges.set(best, 1);
      s.route[i] = r.add(edges);
      s.routeIdx[i] = 0;
      s.nextConn[i] = bestConn;
      this.events$.next({ kind: 'reroute', time: round(this.time), id: s.id[i], lane: this.laneName(lane), via: net.edgeIds[net.connToEdge[bestConn]] });
    }
  }

  // ------------------------------------------------------------------ arrivals and removals

  private finishVehicles(out: PhaseOut): number {
    const s = this.state;
    const byId = (list: Int32Array, n: number) => Array.from(list.subarray(0, n)).sort((a, b) => s.id[a] - s.id[b]);
    let left = 0;
    for (const i of byId(out.arrivals, out.arrCount)) {
      this.totals.arrived++;
      this.totals.finishedDistance += s.dist[i];
      this.totals.travelTimeSum += this.time - s.depart[i];
      this.totals.fuelMl += s.fuel[i];
      this.totals.co2g += s.co2[i];
      this.logistics?.onVehicleLeaving(s.id[i], false);
      this.events$.next({
        kind: 'arrive',
        time: round(this.time),
        id: s.id[i],
        type: this.types.names[s.type[i]],
        depart: round(s.depart[i]),
        routeLength: round(s.dist[i]),
        waitingTime: round(s.waiting[i]),
        stops: s.halts[i],
        departDelay: round(s.departDelay[i]),
      });
      this.laneDirty[s.lane[i]] = 1; // (its lane's segment loses it)
      s.release(i);
      left++;
    }
    // removals: vehicles stopped longer than the gridlock timeout (never silently)
    for (const i of byId(out.removals, out.remCount)) {
      if (!(s.flags[i] & F_ACTIVE)) continue;
      this.totals.removed++;
      this.totals.finishedDistance += s.dist[i];
      this.totals.fuelMl += s.fuel[i];
      this.totals.co2g += s.co2[i];
      this.logistics?.onVehicleLeaving(s.id[i], true);
      this.events$.next({
        kind: 'remove',
        time: round(this.time),
        id: s.id[i],
        type: this.types.names[s.type[i]],
        lane: this.laneName(s.lane[i]),
        pos: round(s.pos[i]),
        reason: 'gridlock',
        stuckFor: round(s.stuck[i]),
      });
      this.laneDirty[s.lane[i]] = 1;
      s.release(i);
      left++;
    }
    return left;
  }

  laneName(lane: number): string {
    return `${this.net.edgeIds[this.net.laneEdge[lane]]}_${this.net.laneIndex[lane]}`;
  }

  // ------------------------------------------------------------------ insertion

  private insertDue(): number {
    this.due.length = 0;
    this.demand.due(this.time, this.due);
    for (const d of this.due) this.enqueue(d);
    if (this.queued === 0) return 0;
    const edges = this.queueEdges;
    let inserted = 0;
    const c = this.context();
    for (const e of edges) {
      if (inserted >= this.added.length) break; // the rest tries again next tick
      const q = this.queues.get(e)!;
      if (q.head >= q.items.length) continue;
      const d = q.items[q.head];
      const sf = this.speedFactorFor(this.nextId, d.type);
      const entry = findEntry(c, this.types, d, sf);
      if (!entry) continue;
      q.head++;
      this.queued--;
      if (q.head > 1024 && q.head * 2 > q.items.length) {
        q.items = q.items.slice(q.head);
        q.head = 0;
      }
      const slot = this.spawn(d.type, d.route, entry.lane, entry.pos, entry.speed, sf, d.stopFirst, d.stopCount);
      this.state.departDelay[slot] = this.time - d.time;
      this.added[inserted++] = slot;
      if (d.source < 0) this.logistics?.onInserted(d.source, slot);
    }
    if (inserted > 0) this.context();
    return inserted;
  }

  /** Puts a departure in the queue of its first edge (FIFO). */
  private enqueue(d: Departure): void {
    const first = this.routes.edges[this.routes.start[d.route]];
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
    this.queued++;
  }

  /**
   * Queues a trip that starts now (a delivery van's tour): a route of edges with stops, inserted
   * like any departure when its first edge has a gap. `source` is negative (−1 − van index): the
   * logistics hears of the insertion. `stopsAt` ≥ 0 writes the stops over a range of the stop
   * table the caller reserved and no vehicle uses any more (a van reuses its own range tour after
   * tour, so the table does not grow with the run); −1 appends them. Returns the index of the
   * first stop in the route table.
   */
  enqueueTrip(type: number, edges: ArrayLike<number>, stops: { edge: number; pos: number; duration: number }[], source: number, stopsAt = -1): number {
    let stopFirst = 0;
    if (stops.length > 0 && stopsAt >= 0) {
      const r = this.routes;
      if (stopsAt + stops.length > r.stopCount) throw new Error(`enqueueTrip: stops ${stopsAt}..${stopsAt + stops.length - 1} are beyond the stop table (${r.stopCount})`);
      // the arrays are shared with the workers, which are idle while the logistics runs
      stops.forEach((st, i) => {
        r.stopEdge[stopsAt + i] = st.edge;
        r.stopPos[stopsAt + i] = st.pos;
        r.stopDur[stopsAt + i] = st.duration;
      });
      stopFirst = stopsAt;
    } else if (stops.length > 0) stopFirst = this.routes.addStops(stops);
    this.enqueue({ time: this.time, type, route: this.routes.add(edges), departSpeed: 0, stopFirst, stopCount: stops.length, source });
    return stopFirst;
  }

  private speedFactorFor(id: number, type: number): number {
    const dev = this.types.speedDev[type];
    const mean = this.types.speedFactor[type];
    if (dev === 0) return mean;
    // normal, truncated at two standard deviations (as SUMO's speedDev)
    let z = randNormal(this.seed, 0, id, PURPOSE_SPEED_FACTOR);
    if (z > 2) z = 2;
    if (z < -2) z = -2;
    return Math.max(0.2, mean * (1 + dev * z));
  }

  /** Creates a vehicle; the caller adds it to the lane order. */
  private spawn(type: number, route: number, lane: number, pos: number, speed: number, sf: number, stopFirst: number, stopCount: number): number {
    const s = this.state;
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
    const r = this.routes;
    const next = r.length[route] > 1 ? r.edges[r.start[route] + 1] : r.loop[route] ? r.edges[r.start[route]] : -1;
    s.nextConn[slot] = next < 0 ? -1 : connectionTo(this.net, lane, next);
    s.prevConn[slot] = -1;
    s.lcTarget[slot] = -1;
    s.lcTime[slot] = this.time;
    s.flags[slot] = F_ACTIVE | (speed >= HALT_SPEED ? F_MOVING : 0) | (this.v2x?.onSpawn(slot, id, type) ? F_EQUIPPED : 0);
    s.speedFactor[slot] = sf;
    s.depart[slot] = this.time;
    s.departDelay[slot] = 0;
    s.waiting[slot] = 0;
    s.stuck[slot] = 0;
    s.dist[slot] = 0;
    s.fuel[slot] = 0;
    s.co2[slot] = 0;
    s.halts[slot] = 0;
    s.speedAdvice[slot] = Infinity;
    s.accelLimit[slot] = Infinity;
    s.v2x[slot] = 0;
    s.stopIdx[slot] = stopFirst;
    s.stopEnd[slot] = stopFirst + stopCount;
    s.stopUntil[slot] = 0;
    this.totals.inserted++;
    this.events$.next({
      kind: 'depart',
      time: round(this.time),
      id,
      type: this.types.names[type],
      lane: this.laneName(lane),
      speed: round(speed),
      delay: 0,
    });
    return slot;
  }

  /** `place` demand: vehicles on the road at t = 0 (placement.ts), each with a route. */
  private placeVehicles(): void {
    const plan = planPlacement(this.scenario, this.net, this.types, this.seed, (id, type) => this.speedFactorFor(id, type));
    if (plan.problems.length > 0) throw new Error(`place: ${plan.problems[0].message}`);
    const { sinks } = fringeEdges(this.net);
    const rng = stream(this.seed, 'place/routes');
    this.state.reserve(plan.vehicles.length);
    const slots: number[] = [];
    for (const v of plan.vehicles) {
      const e = this.net.laneEdge[v.lane];
      let route: number;
      if (isClosedLoop(this.net, v.lane)) route = this.routes.add([e], true);
      else {
        // drive on to a fringe exit (seeded), or to the end of the edge when none is reachable
        const reach = this.router.reachable(e);
        const exits = sinks.filter((x) => reach[x] === 1);
        const pick = exits.length > 0 ? exits[Math.floor(rng() * exits.length)] : e;
        route = this.routes.add(this.router.route(e, pick)!);
      }
      slots.push(this.spawn(v.type, route, v.lane, v.pos, v.speed, v.speedFactor, 0, 0));
    }
    if (slots.length > 0) this.order.rebuild(this.state, Int32Array.from(slots), slots.length);
    this.context();
  }

  // ------------------------------------------------------------------ record

  private record(): void {
    this.context();
    if (this.detectors.size > 0) {
      this.runner.run('detectors', this.detectors.size, this.detectorsWork);
      this.detectors.reportDue(this.time, this.reportDetector);
    }
    const prevSecond = Math.floor((this.tick - 1) * this.dt + 1e-9);
    const second = Math.floor(this.time + 1e-9);
    if (second !== prevSecond) this.seconds$.next(this.sample());
    this.ticks$.next({ tick: this.tick, time: this.time, active: this.state.active });
  }

  /** Statistics of the vehicles on the network now (in lane order: a fixed summation order). */
  sample(): SecondSample {
    const s = this.state;
    const n = this.order.count;
    let sum = 0;
    let min = Infinity;
    let max = 0;
    let stopped = 0;
    for (let k = 0; k < n; k++) {
      const v = s.speed[s.order[k]];
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (v < HALT_SPEED) stopped++;
    }
    return {
      time: round(this.time),
      active: n,
      inserted: this.totals.inserted,
      arrived: this.totals.arrived,
      meanSpeed: n > 0 ? round(sum / n) : 0,
      minSpeed: n > 0 ? round(min) : 0,
      maxSpeed: n > 0 ? round(max) : 0,
      stopped,
    };
  }

  /** Flushes detector periods that have not completed (at the end of a run). */
  finish(): void {
    this.detectors.flushAll(this.time, (r) => this.events$.next({ kind: 'detector', ...r }));
  }

  /** Distance driven by all vehicles so far, summed in id order. */
  /** Fuel (mL) and CO₂ (g) of every vehicle so far: finished ones, then those on the road in id order. */
  totalEmissions(): { fuelMl: number; co2g: number } {
    const s = this.state;
    let fuelMl = this.totals.fuelMl;
    let co2g = this.totals.co2g;
    for (const i of this.activeSlotsById()) {
      fuelMl += s.fuel[i];
      co2g += s.co2[i];
    }
    return { fuelMl, co2g };
  }

  totalDistance(): number {
    const s = this.state;
    const slots = this.activeSlotsById();
    let d = this.totals.finishedDistance;
    for (const i of slots) d += s.dist[i];
    return d;
  }

  activeSlotsById(): number[] {
    const s = this.state;
    const slots: number[] = [];
    for (let k = 0; k < this.order.count; k++) slots.push(s.order[k]);
    return slots.sort((a, b) => s.id[a] - s.id[b]);
  }

  // ------------------------------------------------------------------ checkpoints

  /**
   * Writes everything that carries over from this tick to the next, between ticks: vehicles,
   * lane order, routes, queues, demand generators, detectors, road events, V2X. Restored into a
   * World of the same scenario, the run goes on bit for bit as if never stopped.
   */
  snapshot(w: SnapshotWriter): void {
    const t = this.totals;
    w.json('world.meta', { tick: this.tick, nextId: this.nextId, queued: this.queued, started: this.started, queueEdges: this.queueEdges });
    // numbers as bits: time and totals must come back exactly (JSON cannot hold Infinity or -0)
    w.typed('world.time', Float64Array.of(this.time));
    w.typed('world.totals', Float64Array.from(TOTAL_KEYS.map((k) => t[k])));
    w.json(
      'world.queues',
      this.queueEdges.map((e) => {
        const q = this.queues.get(e)!;
        return q.items.slice(q.head);
      }),
    );
    w.typed('world.laneWish0', this.laneWish[0]);
    w.typed('world.laneWish1', this.laneWish[1]);
    w.typed('world.laneEvents', this.laneEvents);
    w.typed('world.roadEventOn', this.roadEventOn);
    this.state.snapshot(w);
    this.order.snapshot(w);
    this.routes.snapshot(w);
    this.demand.snapshot(w);
    this.detectors.snapshot(w);
    if (this.v2x) this.v2x.snapshot(w);
    if (this.logistics) this.logistics.snapshot(w);
  }

  /**
   * Reads what snapshot() wrote into this World, which must be new and of the same scenario. The
   * caller checks `r.done` after reading whatever it added after the world's sections.
   */
  restore(r: SnapshotReader): void {
    if (this.started) throw new SnapshotError('restore() needs a World that has not started');
    const m = r.json<{ tick: number; nextId: number; queued: number; started: boolean; queueEdges: number[] }>('world.meta');
    this.tick = m.tick;
    this.nextId = m.nextId;
    this.queued = m.queued;
    this.started = m.started;
    const time = new Float64Array(1);
    r.typedInto('world.time', time);
    this.time = time[0];
    const totals = new Float64Array(TOTAL_KEYS.length);
    r.typedInto('world.totals', totals);
    TOTAL_KEYS.forEach((k, i) => (this.totals[k] = totals[i]));
    const items = r.json<Departure[][]>('world.queues');
    this.queues.clear();
    this.queueEdges.length = 0;
    m.queueEdges.forEach((e, i) => {
      this.queues.set(e, { items: items[i], head: 0 });
      this.queueEdges.push(e);
    });
    r.typedInto('world.laneWish0', this.laneWish[0]);
    r.typedInto('world.laneWish1', this.laneWish[1]);
    r.typedInto('world.laneEvents', this.laneEvents);
    r.typedInto('world.roadEventOn', this.roadEventOn);
    this.state.restore(r);
    this.order.restore(r);
    this.routes.restore(r);
    this.demand.restore(r);
    this.detectors.restore(r);
    if (this.v2x) this.v2x.restore(r);
    if (this.logistics) this.logistics.restore(r);
    this.context();
  }

  stateHash(): string {
    return stateHash(this);
  }

  /** Slots currently in the lane order (all active vehicles), for tests and writers. */
  *vehicles(): IterableIterator<number> {
    for (let k = 0; k < this.order.count; k++) yield this.state.order[k];
  }

  /** Number of times a vehicle ran a red light it could have stopped for (must stay 0). */
  get redViolations(): number {
    return this.totals.redViolations;
  }

  get unroutableTrips(): number {
    return this.demand.unroutable;
  }
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
