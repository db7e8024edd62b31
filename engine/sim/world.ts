/**
 * The world: the composition root. It builds the network, the vehicle state and the systems of a
 * scenario (traffic, V2X, logistics, detectors), and publishes what happens between ticks on rxjs
 * streams (`events$`, `ticks$`, `seconds$`) for writers, progress bars and tests. What one tick
 * does, in which order, is the list in tick.ts; the methods below are that list's phases.
 *
 * Systems never see the World: each takes the narrow view it declares (DepartureHost, V2xHost,
 * LogisticsHost, …), which World satisfies structurally.
 */
import { Subject } from 'rxjs';
import type { Scenario } from '../spec/schema.js';
import { expandNetwork, type ExpandedNetwork } from '../road/expand.js';
import { buildNetwork, laneName, type Network } from '../road/network.js';
import { buildSignalPrograms, initialConnectionStates, updateSignals, type SignalProgram } from '../road/signals.js';
import { SignalOverrides } from '../road/signal-overrides.js';
import { SignalControllers } from '../traffic/signal-control.js';
import { ClassRouters, Router } from '../road/routing.js';
import { VehicleState, BYTES_PER_SLOT } from '../core/state.js';
import { LaneOrder } from '../core/order.js';
import { InlineRunner, type PhaseRunner } from '../core/runner.js';
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { makeContext, PhaseOut, type ContextSettings, type SimCtx } from '../traffic/context.js';
import { buildRoadEvents, RoadEventSchedule, type RoadEvent } from '../traffic/roadevents.js';
import { buildTypeTable, type TypeTable } from '../traffic/types.js';
import { RouteTable } from '../traffic/routes.js';
import { resolveLaneChanges } from '../traffic/lanechange.js';
import { swapDeadlockedPairs } from '../traffic/lane-swap.js';
import { decidePhase } from '../traffic/decide.js';
import { movePhase } from '../traffic/move.js';
import { Departures } from '../traffic/departures.js';
import { TripLedger } from '../traffic/trip-ledger.js';
import { finishVehicles, rerouteStuck, type FinishHooks } from '../traffic/finish.js';
import { Detectors, type DetectorReport } from '../traffic/detectors.js';
import { PlaceStats } from '../traffic/places.js';
import { IdOrder, sampleSecond, totalDistance, totalEmissions } from '../traffic/stats.js';
import { newTotals, type TrafficTotals } from '../traffic/totals.js';
import { V2xSystem, sensorSees } from '../v2x/index.js';
import { buildCameras, cameraSees } from '../perception/cameras.js';
import { LogisticsSystem } from '../logistics/index.js';
import { PerceptionSystem, RESPONSE_SOURCE_BASE } from '../perception/index.js';
import { restoreWorld, snapshotWorld } from './checkpoint.js';
import { stateHash } from './hash.js';
import { tuneV8ForHotLoop } from '../core/v8-tuning.js';
import { newPhaseTimes, runTick, type PhaseTimes, type TickHost } from './tick.js';
import type { PlaceInterval, SecondSample, SimEvent, TickInfo } from './events.js';

export type { TrafficTotals } from '../traffic/totals.js';

export interface WorldOptions {
  /** overrides scenario.seed */
  seed?: number;
  /** how the per-vehicle phases run (default: in this thread, one range) */
  runner?: PhaseRunner<World>;
}

export class World implements TickHost {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly dt: number;
  readonly expanded: ExpandedNetwork;
  readonly net: Network;
  readonly programs: SignalProgram[];
  readonly connState: Uint8Array;
  /** states held by an external controller over the programs' (roadtwin serve); empty in a plain run */
  readonly signalOverrides = new SignalOverrides();
  /** the actuated and max-pressure controllers and their loops (traffic/signal-control.ts) */
  readonly signalControl: SignalControllers;
  readonly types: TypeTable;
  readonly routes = new RouteTable();
  readonly state: VehicleState;
  readonly order: LaneOrder;
  private readonly idOrder = new IdOrder();
  readonly router: Router;
  /** trip ids, arrival positions and refused departures */
  readonly trips = new TripLedger();
  readonly detectors: Detectors;
  /** figures per edge and junction movement and interval (edges.csv, junctions.csv), unless the scenario turns both off */
  readonly places: PlaceStats | undefined;
  /** departure queues, insertion and the `place` vehicles */
  readonly departures: Departures;
  /** roadside units, on-board units and cooperative applications, when the scenario has them */
  readonly v2x: V2xSystem | undefined;
  /** orders, hubs, drones, robots and delivery vans, when the scenario has them */
  readonly logistics: LogisticsSystem | undefined;
  /** city events, the perception platform that finds them and the units that handle them, when the scenario has `events` */
  readonly perception: PerceptionSystem | undefined;
  readonly runner: PhaseRunner<World>;
  /** lane-change wishes per lane, by tick parity (see VehicleState.wishA) */
  readonly laneWish: [Int32Array, Int32Array];
  /** lanes that gained or lost a vehicle this tick (see SimCtx.laneDirty) */
  readonly laneDirty: Uint8Array;
  /** road events of the scenario and the sections in force per lane (roadevents.ts) */
  readonly roadEventSchedule: RoadEventSchedule;

  readonly events$ = new Subject<SimEvent>();
  readonly ticks$ = new Subject<TickInfo>();
  readonly seconds$ = new Subject<SecondSample>();
  /** an interval of `places` ended (its figures are there while the subscribers run) */
  readonly intervals$ = new Subject<PlaceInterval>();

  tick = 0;
  time = 0;
  readonly totals: TrafficTotals = newTotals();
  /**
   * Wall-clock milliseconds spent in each phase of the tick so far (for benchmarks; never part
   * of any result), keyed by the phase names of tick.ts.
   */
  readonly phaseTimes: PhaseTimes = newPhaseTimes();
  /**
   * The tick being computed: `tick` until the moves are done, then still this one while the
   * logistics and insertion finish it (`tick` already counts it). Phases and faults are named by it.
   */
  phaseTick = 0;
  /** whether the `place` vehicles are on the road (start()) */
  started = false;
  /** inside step(): cleared when a tick is whole (a step that threw leaves it set) */
  private stepping = false;

  private ctx: SimCtx;
  private ctxGen = -1;
  private routeGen = -1;
  /** what the per-vehicle phases report, merged from the parts */
  private readonly out: PhaseOut;
  /** one PhaseOut per part of the runner */
  private readonly outs: PhaseOut[];
  private readonly finishHooks: FinishHooks;

  constructor(scenario: Scenario, opts: WorldOptions = {}) {
    tuneV8ForHotLoop();
    this.scenario = scenario;
    this.seed = opts.seed ?? scenario.seed;
    this.dt = scenario.step;
    this.expanded = expandNetwork(scenario.network);
    this.net = buildNetwork(this.expanded);
    this.programs = buildSignalPrograms(this.net).programs;
    this.connState = initialConnectionStates(this.net);
    updateSignals(this.programs, 0, this.connState);
    this.signalControl = new SignalControllers(this.net, this.programs);
    this.signalControl.writeStates(this.connState);
    this.types = buildTypeTable(scenario.vehicleTypes);
    this.state = new VehicleState(1024);
    this.order = new LaneOrder(this.net.laneCount);
    this.router = new Router(this.net);
    this.departures = new Departures(this, {
      depart: (e) => this.events$.next(e),
      equip: (slot, id, type) => this.v2x?.onSpawn(slot, id, type) ?? false,
      tripInserted: (source, slot) => (source <= RESPONSE_SOURCE_BASE ? this.perception?.onInserted(source, slot) : this.logistics?.onInserted(source, slot)),
      refuse: (e) => this.events$.next(e),
    });
    this.finishHooks = {
      leaving: (slot, id, removed) => {
        this.places?.leave(this.state, slot);
        this.logistics?.onVehicleLeaving(id, removed);
        this.perception?.onVehicleLeaving(id);
      },
      left: (e) => this.events$.next(e),
    };
    this.detectors = new Detectors(scenario.detectors, this.net);
    const o = scenario.output;
    this.out = new PhaseOut(this.state.capacity);
    this.runner = opts.runner ?? new InlineRunner(1);
    this.places = o.edges || o.lanes || o.junctions ? new PlaceStats(this.net, o.intervals, this.runner.parts) : undefined;
    this.outs = Array.from({ length: this.runner.parts }, () => new PhaseOut(this.state.capacity));
    this.runner.attach?.(this);
    const wish = () => new Int32Array(new SharedArrayBuffer(Math.max(1, this.net.laneCount) * 4));
    this.laneWish = [wish(), wish()];
    this.laneDirty = new Uint8Array(new SharedArrayBuffer(Math.max(1, this.net.laneCount)));
    this.roadEventSchedule = new RoadEventSchedule(buildRoadEvents(scenario.roadEvents, this.net, scenario.duration), this.net.laneCount);
    this.v2x = scenario.v2x ? new V2xSystem(this, scenario.v2x, (e) => this.events$.next(e)) : undefined;
    this.logistics = scenario.logistics ? new LogisticsSystem(this, scenario.logistics, (e) => this.events$.next(e)) : undefined;
    this.perception = scenario.events ? new PerceptionSystem(this) : undefined;
    if (this.signalControl.adaptive.size > 0) this.attachAdaptiveSignals();
    if (this.signalControl.priority.size > 0) {
      const v2x = this.v2x;
      this.signalControl.priority.attach({ rsuOfNode: v2x?.model.rsuOfNode, heard: v2x ? () => v2x.sigHeard : undefined, slots: this.state });
    }
    this.ctx = this.makeCtx();
  }

  /** What adaptive signals observe through: the V2X system's BSM receptions, the RSUs' sensors and the city cameras. */
  private attachAdaptiveSignals(): void {
    const v2x = this.v2x;
    const cameras = buildCameras(this.scenario.perception?.cameras ?? []);
    this.signalControl.adaptive.attach({
      rsuOfNode: v2x?.model.rsuOfNode,
      heard: v2x ? () => v2x.sigHeard : undefined,
      rsuSensors: v2x?.rsus.map((r) => r.sensors.map((s) => ({ sees: (x: number, y: number) => sensorSees(s, x - r.x, y - r.y) }))),
      cameras: cameras.map((c) => ({ sees: (x: number, y: number) => cameraSees(c, x, y) })),
      penetration: this.scenario.v2x?.penetration ?? 0,
      slots: this.state,
    });
  }

  /**
   * Puts the `place` vehicles on the road (t = 0). Called by the first step(); call it yourself
   * after subscribing to the streams to see their depart events before the first tick.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.departures.placeVehicles(this.time);
  }

  /** Advances one tick: the phases of tick.ts, in their order. */
  step(): void {
    if (!this.started) this.start();
    this.phaseTick = this.tick;
    this.stepping = true;
    runTick(this, this.phaseTimes);
    this.stepping = false;
  }

  /** Runs until simulated time `until` (default: the scenario's duration) or until `shouldStop()` says so at a tick boundary. */
  run(until = this.scenario.duration, shouldStop?: () => boolean): void {
    const lastTick = Math.round(until / this.dt);
    while (this.tick < lastTick) {
      if (shouldStop && shouldStop()) return;
      this.step();
    }
  }

  // ------------------------------------------------------------------ the phases of tick.ts

  /** signals: the signal programs, their controllers and the road events in force at the tick's start. */
  updateControl(): void {
    const c = this.context();
    c.time = this.time;
    c.tick = this.tick;
    updateSignals(this.programs, this.time, this.connState);
    this.signalControl.update(c, this.time, this.connState);
    if (this.signalOverrides.size > 0) this.signalOverrides.apply(this.programs, this.time, this.connState);
    this.roadEventSchedule.update(this.time, this.announceRoadEvent);
    const cap = this.state.capacity;
    this.out.reset(cap);
    for (const o of this.outs) o.reset(cap);
    this.totals.vehicleUpdates += this.order.count;
    c.laneWish = this.laneWish[this.tick & 1];
  }

  /** v2x: messages sent, received and acted on (the V2X system's own phases). */
  communicate(): void {
    this.v2x?.communicate();
  }

  /** decide: each vehicle's acceleration and lane-change wish, over the lane order. */
  decide(): void {
    this.runner.run('decide', this.order.count, this.decideWork);
    const out = this.out;
    for (const o of this.outs) {
      out.absorb(o);
      o.reset(this.state.capacity);
    }
  }

  /** lanes: the wishes shown, lane changes resolved (serially, by id), stuck vehicles rerouted. */
  resolveLanes(): void {
    const out = this.out;
    // wishes shown this tick, per lane, for the neighbours' courtesy next tick
    const wishNext = this.laneWish[(this.tick + 1) & 1];
    wishNext.fill(0);
    for (let q = 0; q < out.wishCount; q++) wishNext[this.state.lane[out.wishers[q]]]++;
    resolveLaneChanges(this.ctx, out.lc, out.lcCount);
    if (out.wishCount > 0) this.totals.laneSwaps += swapDeadlockedPairs(this.ctx, out.wishers, out.wishCount);
    if (out.rerouteCount > 0) rerouteStuck(this, out, this.time, this.announce);
  }

  /** move: every vehicle advances by its acceleration; then the clock reads the tick's end. */
  move(): void {
    this.context();
    this.runner.run('move', this.order.count, this.moveWork);
    const out = this.out;
    for (const o of this.outs) out.absorb(o);
    this.tick++;
    this.time = this.tick * this.dt;
    this.totals.emergencyBrakes += out.emergencyBrakes;
    this.totals.redViolations += out.redViolations;
    this.totals.collisions += out.collisions;
    if (out.minGap < this.totals.minGap) this.totals.minGap = out.minGap;
  }

  /** finish: arrivals and removals leave (serially, by id); the lane order follows. */
  finishTrips(): void {
    const out = this.out;
    const left = finishVehicles(this, out, this.time, this.finishHooks);
    if (left > 0 || out.structural > 0) this.order.update(this.state, this.laneDirty);
  }

  /** logistics: drones, robots and vans advance, orders are dispatched (after the moves, before insertion). */
  stepLogistics(): void {
    this.logistics?.step();
  }

  /** perception: city events born, detected, verified, dispatched and cleared (once a simulated second). */
  stepPerception(): void {
    this.perception?.step();
  }

  /** insert: due departures enter where their first lane has room. */
  insert(): void {
    const inserted = this.departures.insert(this.time);
    this.order.addAtLaneStarts(this.state, this.departures.added, inserted);
    if (this.departures.insertedMidLane > 0) {
      // vehicles that entered ahead of their lane's start (departPos) are sorted into place
      for (let q = 0; q < inserted; q++) this.laneDirty[this.state.lane[this.departures.added[q]]] = 1;
      this.order.update(this.state, this.laneDirty);
    }
  }

  /** record: the detectors count, the second's sample and the tick are published. */
  record(): void {
    this.context();
    if (this.detectors.size > 0) {
      this.runner.run('detectors', this.detectors.size, this.detectorsWork);
      this.detectors.reportDue(this.time, this.reportDetector);
    }
    const places = this.places;
    if (places) {
      places.record(this.ctx);
      if (places.due(this.time)) this.endInterval(places);
    }
    const prevSecond = Math.floor((this.tick - 1) * this.dt + 1e-9);
    const second = Math.floor(this.time + 1e-9);
    if (second !== prevSecond) this.seconds$.next(this.sample());
    this.ticks$.next({ tick: this.tick, time: this.time, active: this.state.active });
  }

  /** The per-vehicle phases' work on one range of the lane order, in this thread. */
  private readonly decideWork = (k0: number, k1: number, part: number): void => decidePhase(this.ctx, k0, k1, this.outs[part]);
  private readonly moveWork = (k0: number, k1: number, part: number): void => movePhase(this.ctx, k0, k1, this.outs[part], this.places?.tallies[part] ?? null);
  private readonly detectorsWork = (d0: number, d1: number): void => this.detectors.countRange(this.ctx, d0, d1);
  private readonly reportDetector = (r: DetectorReport): void => this.events$.next({ kind: 'detector', ...r });
  private readonly announce = (e: SimEvent): void => this.events$.next(e);
  private readonly announceRoadEvent = (e: RoadEvent, started: boolean): void =>
    this.events$.next({ kind: 'roadEvent', time: this.time, id: e.id, event: e.kind, edge: this.net.edgeIds[e.edge], phase: started ? 'start' : 'end' });

  // ------------------------------------------------------------------ the phase context

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
      seed: this.seed,
      dt: this.dt,
      lookahead: this.scenario.traffic.lookahead,
      laneChangeInterval: this.scenario.traffic.laneChangeInterval,
      gridlockTimeout: this.scenario.traffic.gridlockTimeout,
      hazardSight: this.scenario.traffic.hazardSight,
      hazardWarned: hlw && hlw.enabled ? Math.max(hlw.distance, this.scenario.traffic.hazardSight) : this.scenario.traffic.hazardSight,
      emissions: this.scenario.output.emissions,
      // city events on the road block lanes too (engine/perception)
      roadEvents: this.scenario.roadEvents.length > 0 || this.scenario.events !== undefined,
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

  /** One PhaseOut per part of the runner (the parallel runner hands the workers theirs). */
  get phaseOuts(): readonly PhaseOut[] {
    return this.outs;
  }

  // ------------------------------------------------------------------ trips queued by systems

  /** Queues a trip that starts now (a delivery van's tour); see Departures.enqueueTrip. */
  enqueueTrip(type: number, edges: ArrayLike<number>, stops: { edge: number; pos: number; duration: number }[], source: number, stopsAt = -1): number {
    return this.departures.enqueueTrip(this.time, type, edges, stops, source, stopsAt);
  }

  // ------------------------------------------------------------------ reading the world

  get active(): number {
    return this.state.active;
  }

  /** Departures waiting for a gap. */
  get waiting(): number {
    return this.departures.waiting;
  }

  /** the id the next vehicle gets */
  get nextId(): number {
    return this.departures.nextId;
  }

  get bytesPerVehicle(): number {
    return BYTES_PER_SLOT;
  }

  get ticksTotal(): number {
    return Math.round(this.scenario.duration / this.dt);
  }

  /** Ticks computed to the end: `tick`, or one less after a step stopped half-way by a fault. */
  get ticksDone(): number {
    return this.stepping ? this.phaseTick : this.tick;
  }

  /** road events of the scenario */
  get roadEvents(): RoadEvent[] {
    return this.roadEventSchedule.events;
  }

  /** the road-event sections in force per lane (roadevents.ts) */
  get laneEvents(): Float64Array {
    return this.roadEventSchedule.laneEvents;
  }

  laneName(lane: number): string {
    return laneName(this.net, lane);
  }

  /** Statistics of the vehicles on the network now. */
  sample(): SecondSample {
    return sampleSecond(this.state, this.order, this.totals, this.time);
  }

  /** Flushes detector periods and the place interval that have not completed (at the end of a run). */
  finish(): void {
    this.detectors.flushAll(this.time, this.reportDetector);
    if (this.places && this.time - this.places.begin > 1e-9) this.endInterval(this.places);
  }

  /** Publishes the place interval that ends now and starts the next. */
  private endInterval(places: PlaceStats): void {
    places.collect();
    this.intervals$.next({ begin: places.begin, end: this.time });
    places.reset(this.time);
  }

  /** Fuel (mL) and CO₂ (g) of every vehicle so far. */
  totalEmissions(): { fuelMl: number; co2g: number } {
    return totalEmissions(this.state, this.activeSlotsById(), this.totals);
  }

  /** Distance driven by all vehicles so far. */
  totalDistance(): number {
    return totalDistance(this.state, this.activeSlotsById(), this.totals);
  }

  /** The slots of the vehicles on the road in id order (a view, valid until the lane order next changes). */
  activeSlotsById(): Int32Array {
    return this.idOrder.of(this.state, this.order);
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
    return this.departures.unroutable;
  }

  /** Departures refused because their vehicle class has no lane on their route (lane classes). */
  get refusedTrips(): number {
    return this.departures.refused;
  }

  /** The per-class routers (lane classes; all the base router on an unrestricted network). */
  get routers(): ClassRouters {
    return this.departures.demand.routers;
  }

  // ------------------------------------------------------------------ checkpoints and hash

  /** Writes everything that carries over from this tick to the next (checkpoint.ts). */
  snapshot(w: SnapshotWriter): void {
    snapshotWorld(this, w);
  }

  /** Reads what snapshot() wrote into this World, which must be new and of the same scenario (checkpoint.ts). */
  restore(r: SnapshotReader): void {
    restoreWorld(this, r);
    this.context();
  }

  stateHash(): string {
    return stateHash(this);
  }
}
