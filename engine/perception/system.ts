/**
 * The perception platform and the city's incident loop (the perception phase of
 * engine/sim/tick.ts; docs/perception.md): active discovery → automatic dispatch → quick handling
 * → real-time feedback. Once per simulated second, in the main thread and in a fixed order:
 *   1. new city events are born (arrivals.ts); on-road ones block their lanes from now on;
 *   2. drone missions whose look is over confirm or dismiss their report, or hand it over; drones
 *      on patrol confirm the events that came within their footprint (patrol.ts);
 *   3. response units reach the scene, finish there (the event is cleared, its lanes reopen);
 *   4. discovery: cameras (cameras.ts), connected vehicles near an RSU, citizens' reports
 *      (citizens.ts); a camera's detection is confirmed at once from the video, the others are
 *      reports that someone must verify;
 *   5. verification: an unverified report gets the soonest free drone (drones.ts), or, when no
 *      dock can reach it or none has freed up within `verifyTimeout`, a response unit;
 *   6. dispatch: a confirmed event (or a handed-over report) gets a response unit (response.ts);
 *   7. the delay of the vehicles on the edges each blocking event holds up is added up; the
 *      patrols due take off, each with a free drone of its dock (after the calls);
 *   8. with v2x and `rsi`, the confirmed on-road events not yet cleared go to the RSUs' table:
 *      they announce them by RSI from the next tick on (engine/v2x/hazards.ts).
 * Everything reads the state left by the finished tick and draws counter-based numbers keyed by
 * the second and the event, so the result is the same for any number of threads. All times are
 * to the second. It allocates per event, never per vehicle or per tick.
 */
import type { Hash } from 'node:crypto';
import type { PerceptionSpec } from '../spec/schema-perception.js';
import { cityEventKinds, perceptionSchema } from '../spec/schema-perception.js';
import { F_EQUIPPED } from '../core/state.js';
import { rand } from '../core/rng.js';
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { LaneGeometry } from '../road/lanegeom.js';
import type { Router } from '../road/routing.js';
import { decodeProbabilityNoiseOnly } from '../v2x/channel.js';
import { Airspace } from '../logistics/airspace.js';
import { WindSchedule } from '../logistics/wind.js';
import { Arrivals, type Birth } from './arrivals.js';
import { buildCameras, cameraDetectProbability, camerasSeeing, isNight, type Camera } from './cameras.js';
import { cameraTemplate, suggestCameras, suggestCamerasForAreas, suggestDocks } from './coverage.js';
import { drawReport } from './citizens.js';
import { DETECTION_SOURCES, blocking, unverified, type CityEvent } from './city-events.js';
import { DockFleet, type Dock, type Mission } from './drones.js';
import { patrolSees, patrolTargets, planPatrols, type Patrol, type PatrolRoute } from './patrol.js';
import type { PerceptionHost } from './host.js';
import { resolveKinds, type KindFigures } from './kinds.js';
import { buildDepots, freeFlowTime, HALTED, nearestEdge, ON_SCENE_REACH, RESPONSE_SOURCE_BASE, type Depot, type Unit } from './response.js';

export const PURPOSE_FALSE_REPORT = 0x7e21;
export const PURPOSE_VEHICLE_LINK = 0x7e22;
export const PURPOSE_CAMERA_FLAG = 0x7e23;

/** Ids of the cameras and docks added at coverage's suggestions (`addCameras`, `addDocks`): `added-camera-1`, … */
export const ADDED_CAMERA = 'added-camera-';
export const ADDED_DOCK = 'added-dock-';

const SRC_CAMERA = DETECTION_SOURCES.indexOf('camera');
const SRC_VEHICLE = DETECTION_SOURCES.indexOf('vehicle');
const SRC_CITIZEN = DETECTION_SOURCES.indexOf('citizen');
const SRC_DRONE = DETECTION_SOURCES.indexOf('drone');
const SRC_UNIT = DETECTION_SOURCES.indexOf('unit');
const SRC_PATROL = DETECTION_SOURCES.indexOf('patrol');

/** What the checkpoint holds (JSON: every number in it is finite). */
interface Saved {
  lastSecond: number;
  listedNext: number;
  events: CityEvent[];
  missions: Mission[];
  docksFreeAt: number[][];
  units: Unit[];
  handOver: number[];
  patrols: Patrol[];
  patrolNext: number[];
  patrolsSkipped: number;
}

export class PerceptionSystem {
  readonly spec: PerceptionSpec;
  readonly kinds: KindFigures[];
  events: CityEvent[] = [];
  readonly cameras: Camera[];
  readonly fleet: DockFleet;
  readonly depots: Depot[];
  units: Unit[];
  /** patrol flights launched, in order */
  patrols: Patrol[] = [];
  /** scheduled patrol launches that found no free drone at their dock */
  patrolsSkipped = 0;
  /** per dock: its route (null: it does not patrol, or has nothing within reach) and schedule */
  readonly patrolRoutes: (PatrolRoute | null)[];
  private readonly patrolEvery: number[];
  private patrolNext: number[];
  /** patrols that may still be over their route (indices into `patrols`, ascending) */
  private airborne: number[] = [];
  /** the responders' vehicle type */
  readonly unitType: number;
  private readonly router: Pick<Router, 'route'>;
  private readonly arrivals: Arrivals;
  private readonly geom: LaneGeometry;
  /** vehicle-km per edge in the second being processed */
  private readonly vkm: Float64Array;
  /** per edge: it and the edges feeding it (delay), built when first needed */
  private readonly heldUp = new Map<number, number[]>();
  /** events whose report a response unit is to verify (no drone could) */
  private handOver = new Set<number>();
  /** events neither cleared nor dismissed, by index (derived from `events`) */
  private live: number[] = [];
  private lastSecond = 0;
  /** a confirmation or clearance of an on-road event since the RSUs' table was last written */
  private hazardsChanged = false;
  private readonly births: Birth[] = [];
  private readonly pt = new Float64Array(3);

  constructor(private readonly host: PerceptionHost) {
    const sc = host.scenario;
    this.spec = sc.perception ?? perceptionSchema.parse({});
    this.kinds = resolveKinds(sc.events);
    this.cameras = buildCameras(this.spec.cameras);
    // the cameras the scenario asks for where coverage suggests them (`addCameras`), before anything looks
    const template = cameraTemplate(this.cameras);
    const added = this.spec.addCamerasFor === 'areas' ? suggestCamerasForAreas(host.net, this.cameras, sc.events?.areas ?? [], this.spec.addCameras) : suggestCameras(host.net, this.cameras, this.spec.addCameras);
    added.forEach((c, k) => this.cameras.push({ ...template, id: `${ADDED_CAMERA}${k + 1}`, x: c.x, y: c.y }));
    this.geom = new LaneGeometry(host.net);
    this.vkm = new Float64Array(Math.max(1, host.net.edgeIds.length));
    this.arrivals = new Arrivals(sc.events ?? { kinds: {}, onRoad: [], areas: [], list: [] }, host.net, this.kinds, host.seed);
    const dock = (id: string, x: number, y: number, drones = this.spec.dronesPerDock): Dock => ({ id, x, y, freeAt: new Array<number>(drones).fill(0) });
    const docks: Dock[] = this.spec.docks.map((d) => dock(d.id, d.x, d.y, d.drones));
    const patrols = this.spec.docks.map((d) => (d.patrol === undefined ? this.spec.patrol : d.patrol || undefined));
    if (this.spec.docksAtDronePorts && sc.logistics)
      for (const p of sc.logistics.dronePorts) {
        docks.push(dock(`${p.id}`, p.x, p.y));
        patrols.push(this.spec.patrol);
      }
    // the head wind every mission is planned for (with logistics, the larger of `wind` and its
    // schedule's maximum) and the zones the drones fly around (the perception's and the logistics')
    const wind = Math.max(this.spec.wind, sc.logistics ? new WindSchedule(sc.logistics.wind).maxSpeed(0, sc.duration) : 0);
    const settings = { drone: this.spec.drone, cameraFov: this.spec.droneCameraFov, chargePower: this.spec.chargePower, wind };
    const airspace = new Airspace([...this.spec.noFly, ...(sc.logistics?.noFly ?? [])]);
    // the docks the scenario asks for where coverage suggests them (`addDocks`), judged with the docks above
    if (this.spec.addDocks > 0)
      suggestDocks(host.net, new DockFleet(docks, settings, airspace), this.spec.addDocksMinutes, this.spec.addDocks).forEach((d, k) => {
        docks.push(dock(`${ADDED_DOCK}${k + 1}`, d.x, d.y));
        patrols.push(this.spec.patrol);
      });
    this.patrolEvery = patrols.map((p) => p?.every ?? 0);
    this.patrolNext = patrols.map((p) => p?.start ?? 0);
    this.fleet = new DockFleet(docks, settings, airspace);
    this.patrolRoutes = this.planPatrolRoutes(wind);
    const d = buildDepots(this.spec.responders.depots, host.net);
    this.depots = d.depots;
    this.units = d.units;
    this.unitType = host.types.index.get(this.spec.responders.type) ?? -1;
    this.router = this.unitType >= 0 ? host.routers.for(host.types.laneBits[this.unitType]) : { route: () => null };
  }

  /** The patrolling docks' routes over the blind spots (patrol.ts), built once from the scenario. */
  private planPatrolRoutes(wind: number): (PatrolRoute | null)[] {
    const routes: (PatrolRoute | null)[] = this.fleet.docks.map(() => null);
    const patrolling = this.fleet.docks.map((d, index) => ({ index, x: d.x, y: d.y })).filter((d) => this.patrolEvery[d.index] > 0);
    if (patrolling.length === 0) return routes;
    const f = this.fleet;
    const targets = patrolTargets(this.host.net, this.cameras, this.host.scenario.events?.areas ?? [], 2 * f.footprint, f.airspace);
    const plans = planPatrols(patrolling, targets, { model: f.model, drone: this.spec.drone, wind, airspace: f.airspace, footprint: f.footprint });
    for (const [d, r] of plans) routes[d] = r;
    return routes;
  }

  // ------------------------------------------------------------------ the phase

  /** The perception phase: does the second that ended in this tick, if one did. */
  step(): void {
    const second = Math.floor(this.host.time + 1e-9);
    if (second <= this.lastSecond) return;
    this.lastSecond = second;
    this.doSecond(second);
  }

  private doSecond(t: number): void {
    this.measureExposure();
    this.births.length = 0;
    this.arrivals.born(t, this.vkm, this.births);
    for (const b of this.births) this.create(t, b);
    for (const m of this.fleet.missions) if (!m.done && m.decideAt <= t) this.decide(t, m);
    if (this.airborne.length > 0) this.patrolLook(t);
    for (const u of this.units) if (u.event >= 0) this.advanceUnit(t, u);
    const night = isNight(this.spec.clock + t, this.spec.night.from, this.spec.night.until);
    let ended = false;
    for (const i of this.live) {
      const e = this.events[i];
      if (e.real && e.confirmed < 0) this.discover(t, e, night);
      else if (!e.real && e.detected < 0 && e.reportAt >= 0 && e.reportAt <= t) this.detect(t, e, SRC_CITIZEN);
      if (unverified(e) && e.mission < 0 && e.unit < 0 && !this.handOver.has(i)) this.verify(t, e);
      if (e.unit < 0 && ((e.confirmed >= 0 && e.real) || this.handOver.has(i))) this.dispatch(t, e);
      if (blocking(e)) e.delay += this.delayOf(e);
      if (e.cleared >= 0 || e.dismissed >= 0) ended = true;
    }
    if (ended) this.live = this.live.filter((i) => this.events[i].cleared < 0 && this.events[i].dismissed < 0);
    this.launchPatrols(t);
    if (this.hazardsChanged) this.publishHazards();
  }

  // ------------------------------------------------------------------ patrols

  /**
   * The patrols in the air look: a real event not yet confirmed that came within a drone's
   * footprint in the last second is confirmed from its video (source `patrol`). A false report has
   * nothing there to see.
   */
  private patrolLook(t: number): void {
    const r = this.fleet.footprint;
    let landed = false;
    for (const k of this.airborne) {
      const p = this.patrols[k];
      const route = this.patrolRoutes[p.dock]!;
      if (t - 1 > p.launched + route.offset + route.length / route.speed) {
        landed = true;
        continue;
      }
      for (const i of this.live) {
        const e = this.events[i];
        if (!e.real || e.confirmed >= 0 || e.occurred > t) continue;
        if (patrolSees(route, p.launched, t, e.x, e.y, r)) {
          this.confirm(t, e, SRC_PATROL);
          p.found++;
        }
      }
    }
    if (landed) this.airborne = this.airborne.filter((k) => !this.patrolOver(this.patrols[k], t));
  }

  private patrolOver(p: Patrol, t: number): boolean {
    const route = this.patrolRoutes[p.dock]!;
    return t - 1 > p.launched + route.offset + route.length / route.speed;
  }

  /**
   * The patrols due this second, after the calls (verification took its drones first): each with a
   * free drone of its dock, which then is not free for calls until it is back and recharged (a
   * patrol is not diverted); with none free, that patrol is skipped (counted) and the next is at
   * the next time of the schedule.
   */
  private launchPatrols(t: number): void {
    for (let d = 0; d < this.patrolEvery.length; d++) {
      const every = this.patrolEvery[d];
      if (every <= 0 || t < this.patrolNext[d]) continue;
      while (this.patrolNext[d] <= t) this.patrolNext[d] += every;
      const route = this.patrolRoutes[d];
      if (!route) continue;
      const dock = this.fleet.docks[d];
      const drone = dock.freeAt.findIndex((f) => f <= t);
      if (drone < 0) {
        this.patrolsSkipped++;
        continue;
      }
      dock.freeAt[drone] = t + route.total + (route.energyWh * 3600) / this.spec.chargePower;
      this.airborne.push(this.patrols.length);
      this.patrols.push({ index: this.patrols.length, dock: d, drone, launched: t, found: 0 });
    }
  }

  // ------------------------------------------------------------------ RSI

  /**
   * Hands the RSUs' table (engine/v2x/hazards.ts) every on-road event confirmed so far, announced
   * while it is not cleared: from the next tick on, each RSU in range broadcasts RSI for it, and
   * HLW warns the equipped drivers it lies ahead of (docs/perception.md, "RSI"). Only when a
   * confirmation or a clearance changed the list; a restore rebuilds it the same way.
   */
  private publishHazards(): void {
    this.hazardsChanged = false;
    const v2x = this.host.v2x;
    if (!v2x || !this.spec.rsi) return;
    const list = [];
    for (const e of this.events) {
      if (!e.real || e.edge < 0 || e.confirmed < 0) continue;
      list.push({ id: e.index, name: e.id, kind: cityEventKinds[e.kind], edge: e.edge, lanes: e.lanes, start: e.start, end: e.end, x: e.x, y: e.y, active: e.cleared < 0 });
    }
    v2x.hazards.publish(list);
  }

  /** Vehicle-km driven on each edge in the last second (speeds sampled now). */
  private measureExposure(): void {
    const vkm = this.vkm;
    vkm.fill(0);
    if (!this.host.scenario.events || this.host.scenario.events.onRoad.length === 0) return;
    const net = this.host.net;
    const s = this.host.state;
    const ls = this.host.order.laneStart;
    for (let l = 0; l < net.laneCount; l++) {
      let sum = 0;
      for (let k = ls[l]; k < ls[l + 1]; k++) sum += s.speed[s.order[k]];
      vkm[net.laneEdge[l]] += sum / 1000;
    }
  }

  // ------------------------------------------------------------------ events

  private create(t: number, b: Birth): void {
    const net = this.host.net;
    const seed = this.host.seed;
    const k = this.kinds[b.kind];
    const index = this.events.length;
    const real = !(k.falseShare > 0 && rand(seed, 0, index, PURPOSE_FALSE_REPORT) < k.falseShare);
    let { x, y } = b;
    let lanes: number[] = [];
    let start = 0;
    let end = 0;
    if (b.edge >= 0) {
      const first = net.edgeFirstLane[b.edge];
      const n = Math.min(k.lanes, net.edgeLanes[b.edge]);
      lanes = Array.from({ length: n }, (_, l) => first + l);
      start = Math.min(b.pos, net.laneLength[first]);
      end = Math.min(start + k.length, net.laneLength[first]);
      this.geom.point(first, start, this.pt);
      x = this.pt[0];
      y = this.pt[1];
    }
    const citizens = this.spec.citizens;
    const rep = citizens.enabled || !real ? drawReport(seed, index, real, k.reportShare, k.reportMedian, k.reportSigma, x, y, citizens.positionError) : { delay: -1, x, y };
    const e: CityEvent = {
      index,
      id: b.id ?? `${k.kind}-${index}`,
      kind: b.kind,
      real,
      edge: b.edge,
      lanes,
      start,
      end,
      x,
      y,
      occurred: t,
      cameras: real ? camerasSeeing(this.cameras, x, y) : [],
      reportAt: rep.delay < 0 ? -1 : t + rep.delay,
      reportX: rep.x,
      reportY: rep.y,
      bySource: DETECTION_SOURCES.map(() => -1),
      detected: -1,
      source: '',
      confirmed: -1,
      dismissed: -1,
      mission: -1,
      unit: -1,
      unitVehicle: -1,
      dispatched: -1,
      arrived: -1,
      cleared: -1,
      delay: 0,
    };
    this.events.push(e);
    this.live.push(index);
    if (real && e.edge >= 0) this.host.roadEventSchedule.addBlock(this.blockKey(index), { lanes, start, end });
  }

  /** Keys of this system's blocks in the road-event schedule. */
  private blockKey(index: number): number {
    return 0x40000000 + index;
  }

  private detect(t: number, e: CityEvent, src: number): void {
    if (e.bySource[src] < 0) e.bySource[src] = t;
    if (e.detected < 0) {
      e.detected = t;
      e.source = DETECTION_SOURCES[src];
    }
  }

  private confirm(t: number, e: CityEvent, src: number): void {
    this.detect(t, e, src);
    if (e.confirmed >= 0) return;
    e.confirmed = t;
    if (e.real && e.edge >= 0) this.hazardsChanged = true;
  }

  private dismiss(t: number, e: CityEvent): void {
    if (e.dismissed < 0 && e.confirmed < 0) e.dismissed = t;
  }

  // ------------------------------------------------------------------ discovery

  private discover(t: number, e: CityEvent, night: boolean): void {
    const seed = this.host.seed;
    const k = this.kinds[e.kind];
    if (e.cameras.length > 0) {
      const p = cameraDetectProbability(night ? k.cameraNight : k.cameraDay, e.cameras.length);
      if (rand(seed, t, e.index, PURPOSE_CAMERA_FLAG) < p) {
        this.confirm(t, e, SRC_CAMERA);
        return;
      }
    }
    if (e.edge >= 0 && e.bySource[SRC_VEHICLE] < 0 && this.vehicleReports(t, e)) this.detect(t, e, SRC_VEHICLE);
    if (e.reportAt >= 0 && e.reportAt <= t) this.detect(t, e, SRC_CITIZEN);
  }

  /**
   * Whether an equipped vehicle on the event's edge, within `reach` upstream of the block or beside
   * it, gets a report through to an RSU this second: the nearest RSU in range, the link decided by
   * the scenario's channel (unit disk: range and loss; 3GPP: the decode probability at that distance
   * with noise only), one draw per vehicle and second.
   */
  private vehicleReports(t: number, e: CityEvent): boolean {
    const v2x = this.host.v2x;
    if (!v2x || !this.spec.connectedVehicles.enabled || v2x.rsus.length === 0) return false;
    const net = this.host.net;
    const s = this.host.state;
    const ls = this.host.order.laneStart;
    const reach = this.spec.connectedVehicles.reach;
    const params = v2x.channel.params;
    const first = net.edgeFirstLane[e.edge];
    for (let l = first; l < first + net.edgeLanes[e.edge]; l++) {
      for (let q = ls[l]; q < ls[l + 1]; q++) {
        const i = s.order[q];
        if (!(s.flags[i] & F_EQUIPPED) || s.pos[i] < e.start - reach || s.pos[i] > e.end) continue;
        this.geom.point(l, s.pos[i], this.pt);
        let best = Infinity;
        let range = Infinity;
        for (const r of v2x.rsus) {
          const d = Math.hypot(r.x - this.pt[0], r.y - this.pt[1]);
          if (d < best) {
            best = d;
            range = r.range;
          }
        }
        if (best > range) continue;
        const u = rand(this.host.seed, t, s.id[i], PURPOSE_VEHICLE_LINK);
        const ok = params.kind === 'unitDisk' ? best <= params.rangeM && u >= params.lossProbability : u < decodeProbabilityNoiseOnly(params, Math.max(best, params.minDistanceM));
        if (ok) return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ verification

  private verify(t: number, e: CityEvent): void {
    // a vehicle's report carries its position (GNSS): the drone flies to the place itself
    const byVehicle = e.source === 'vehicle';
    const tx = byVehicle ? e.x : e.reportX;
    const ty = byVehicle ? e.y : e.reportY;
    const err = e.real ? Math.hypot(tx - e.x, ty - e.y) : Infinity;
    const sigma = byVehicle ? 0 : this.spec.citizens.positionError;
    const m = this.fleet.size > 0 ? this.fleet.send(t, e.index, tx, ty, err, sigma) : 'none';
    if (typeof m === 'object') e.mission = m.index;
    else if (m === 'none' || t - e.detected >= this.spec.verifyTimeout) this.handOver.add(e.index);
  }

  private decide(t: number, m: Mission): void {
    m.done = true;
    const e = this.events[m.event];
    if (m.outcome === 'confirm') this.confirm(t, e, SRC_DRONE);
    else if (m.outcome === 'dismiss') this.dismiss(t, e);
    else if (e.confirmed < 0) this.handOver.add(e.index);
  }

  // ------------------------------------------------------------------ dispatch and handling

  private dispatch(t: number, e: CityEvent): void {
    const net = this.host.net;
    const want = this.kinds[e.kind].responder;
    const target = e.edge >= 0 ? e.edge : nearestEdge(net, e.x, e.y);
    let best: Unit | null = null;
    let bestRoute: Int32Array | null = null;
    let bestTime = Infinity;
    for (const u of this.units) {
      if (u.kind !== want || u.event >= 0 || u.freeAt > t) continue;
      const from = this.depots[u.depot].edge;
      const route = from === target ? Int32Array.of(target) : this.router.route(from, target);
      if (!route) continue;
      const time = freeFlowTime(net, route);
      if (time < bestTime) {
        best = u;
        bestRoute = route;
        bestTime = time;
      }
    }
    if (!best || !bestRoute) return;
    best.event = e.index;
    best.freeAt = -1;
    best.dispatched = t;
    best.vehicle = -1;
    best.slot = -1;
    best.target = target;
    best.arrived = false;
    best.left = -1;
    e.unit = best.index;
    e.dispatched = t;
    this.host.enqueueTrip(this.unitType, bestRoute, [], RESPONSE_SOURCE_BASE - best.index);
  }

  /** A unit on a call: on scene yet? done there? */
  private advanceUnit(t: number, u: Unit): void {
    const e = this.events[u.event];
    if (!u.arrived) {
      if (!this.onScene(u, e)) return;
      u.arrived = true;
      e.arrived = t;
      if (e.confirmed < 0) {
        if (e.real) this.confirm(t, e, SRC_UNIT);
        else this.dismiss(t, e);
      }
      if (!e.real) {
        this.release(u, t + (t - u.dispatched));
        return;
      }
    }
    if (t >= e.arrived + this.kinds[e.kind].onScene) {
      e.cleared = t;
      if (e.edge >= 0) {
        this.host.roadEventSchedule.removeBlock(this.blockKey(e.index));
        this.hazardsChanged = true;
      }
      this.release(u, t + (e.arrived - u.dispatched));
    }
  }

  private onScene(u: Unit, e: CityEvent): boolean {
    if (u.left >= 0) return true;
    if (u.slot < 0) return false;
    const s = this.host.state;
    if (s.id[u.slot] !== u.vehicle) return false;
    const lane = s.lane[u.slot];
    if (this.host.net.laneEdge[lane] !== u.target) return false;
    return e.edge < 0 || s.pos[u.slot] >= e.start - ON_SCENE_REACH || s.speed[u.slot] < HALTED;
  }

  private release(u: Unit, freeAt: number): void {
    u.event = -1;
    u.freeAt = freeAt;
  }

  /** A response unit's trip entered the road in `slot`. */
  onInserted(source: number, slot: number): void {
    const u = this.units[RESPONSE_SOURCE_BASE - source];
    u.slot = slot;
    u.vehicle = this.host.state.id[slot];
    if (u.event >= 0) this.events[u.event].unitVehicle = u.vehicle;
  }

  /** A road vehicle leaves (arrived or removed): a unit's vehicle that had not reached the scene is there now. */
  onVehicleLeaving(id: number): void {
    for (const u of this.units) if (u.event >= 0 && !u.arrived && u.vehicle === id && u.left < 0) u.left = this.host.time;
  }

  // ------------------------------------------------------------------ delay

  /**
   * Vehicle-seconds lost this second on the event's edge and the edges feeding it: each vehicle
   * there loses 1 − v/v_limit of the second.
   */
  private delayOf(e: CityEvent): number {
    const net = this.host.net;
    const s = this.host.state;
    const ls = this.host.order.laneStart;
    let edges = this.heldUp.get(e.edge);
    if (!edges) {
      edges = [e.edge];
      for (let f = 0; f < net.edgeIds.length; f++) if (f !== e.edge && net.edgeSuccessors[f].includes(e.edge)) edges.push(f);
      this.heldUp.set(e.edge, edges);
    }
    let lost = 0;
    for (const g of edges) {
      const first = net.edgeFirstLane[g];
      for (let l = first; l < first + net.edgeLanes[g]; l++) {
        const vmax = net.laneSpeed[l];
        for (let q = ls[l]; q < ls[l + 1]; q++) {
          const v = s.speed[s.order[q]];
          if (v < vmax) lost += 1 - v / vmax;
        }
      }
    }
    return lost;
  }

  // ------------------------------------------------------------------ checkpoints and hash

  private saved(): Saved {
    return {
      lastSecond: this.lastSecond,
      listedNext: this.arrivals.next,
      events: this.events,
      missions: this.fleet.missions,
      docksFreeAt: this.fleet.docks.map((d) => d.freeAt),
      units: this.units,
      handOver: [...this.handOver].sort((a, b) => a - b),
      patrols: this.patrols,
      patrolNext: this.patrolNext,
      patrolsSkipped: this.patrolsSkipped,
    };
  }

  snapshot(w: SnapshotWriter): void {
    w.json('perception', this.saved());
  }

  restore(r: SnapshotReader): void {
    const s = r.json<Saved>('perception');
    this.lastSecond = s.lastSecond;
    this.arrivals.next = s.listedNext;
    this.events = s.events;
    this.fleet.missions.length = 0;
    this.fleet.missions.push(...s.missions);
    s.docksFreeAt.forEach((f, d) => (this.fleet.docks[d].freeAt = f));
    this.units = s.units;
    this.handOver = new Set(s.handOver);
    this.patrols = s.patrols;
    this.patrolNext = s.patrolNext;
    this.patrolsSkipped = s.patrolsSkipped;
    this.airborne = this.patrols.filter((p) => !this.patrolOver(p, this.lastSecond + 1)).map((p) => p.index);
    this.live = this.events.filter((e) => e.cleared < 0 && e.dismissed < 0).map((e) => e.index);
    for (const e of this.events) if (blocking(e)) this.host.roadEventSchedule.addBlock(this.blockKey(e.index), { lanes: e.lanes, start: e.start, end: e.end });
    this.publishHazards();
  }

  hashInto(h: Hash): void {
    h.update(JSON.stringify(this.saved()));
  }

  /** Events by outcome (the conservation law: events = handled + dismissed + open). */
  counts(): { events: number; handled: number; dismissed: number; open: number } {
    let handled = 0;
    let dismissed = 0;
    for (const e of this.events) {
      if (e.cleared >= 0) handled++;
      else if (e.dismissed >= 0) dismissed++;
    }
    return { events: this.events.length, handled, dismissed, open: this.events.length - handled - dismissed };
  }
}
