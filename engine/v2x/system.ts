/**
 * The communicate phase (DESIGN.md, phase 1): roadside units and equipped vehicles send and
 * receive this tick's messages over the channel, and the cooperative applications turn what a
 * driver received into the hooks the decide phase reads (speedAdvice, accelLimit, the V2X bits).
 *
 * What is sent: every equipped vehicle a BSM at its interval (10 Hz, stretched by congestion
 * control when more than `densityThreshold` equipped vehicles are within `densityRadius`); every
 * RSU one packet a tick carrying what is due: SPAT (10 Hz) and MAP (1 Hz) for its signals, RSI for
 * the road events in its range (RSI_RATE), RSM with up to 16 road users its sensors see (10 Hz).
 *
 * Which links are decided: the ones whose outcome an application can act on — an RSU's packet to
 * the equipped vehicles in range that approach one of its junctions within the signal
 * applications' reach and do not hold a current SPAT and its MAP (a SPAT under SPAT_REFRESH old
 * is extrapolated; the next one adds nothing), or have one of its road events ahead (RSI); the
 * BSM of the vehicle ahead to a follower closing in below the FCW time to collision; an emergency
 * vehicle's BSM to the equipped vehicles ahead of it on its lane (EVW). Links nothing acts on —
 * RSM to the vehicles in a unit's sensor area, BSMs to the units that see the vehicle — are
 * decided once a second per vehicle, for the statistics. Every outcome is a counter-based draw
 * independent of whether it is decided, so the PDR and latency per distance bin are unbiased. Links that no application
 * reads are not decided one by one (that would be most of the cost and change nothing); they are
 * still on the air: every transmitter of a sub-frame interferes at every receiver (link.ts), and
 * the channel busy ratio counts them. PDR and latency figures are those of the decided links.
 *
 * The phase runs in the main thread, over the lane order, reading the state as the previous tick
 * left it; every draw is counter-based, so results do not depend on the worker count.
 */
import type { World } from '../core/world.js';
import { F_EQUIPPED, V2X_CLEAR, V2X_HAZARD, V2X_RLVW } from '../core/state.js';
import { PURPOSE_EQUIPPED, rand } from '../core/rng.js';
import type { V2xSpec } from '../io/scenario/schema-v2x.js';
import { LaneGeometry } from '../road/lanegeom.js';
import { SIG_RED } from '../road/signals.js';
import { eventActive } from '../traffic/roadevents.js';
import { prepareChannel, type ChannelParams, type PreparedChannel } from './channel.js';
import { RadioTick } from './link.js';
import { buildRsus, sensorSees, type Rsu } from './rsus.js';
import { GridIndex } from './spatial.js';
import { movementTiming, signalLookup, type MovementTiming, type SignalLookup } from './spat.js';
import { MSG_BSM, MSG_MAP, MSG_RSI, MSG_RSM, MSG_SPAT, V2xStats } from './stats.js';
import { RSM_MAX_PARTICIPANTS } from './messages.js';
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';

export const PURPOSE_COMPLIANCE = 0x5620;
/** RSI repetition rate, Hz (REFERENCE.md: 1–10 Hz). */
export const RSI_RATE = 2;
/** A message older than this no longer counts as current for an application, s. */
const FRESH = 0.5;
/**
 * A fixed-time SPAT stays valid longer: the on-board unit extrapolates the last one it received
 * (its end times are absolute), so a few lost packets do not switch advice on and off.
 */
const SPAT_VALID = 3;
/** The channel busy ratio is measured on one vehicle in this many each second. */
const CBR_SAMPLE = 8;
/** A vehicle holding a SPAT younger than this has no use for the next one, s. */
const SPAT_REFRESH = 0.5;
/** RLVW looks at signals this close, m (a driver farther away can always stop comfortably at urban speeds). */
const RLVW_REACH = 150;
/** How long an FCW or RLVW warning holds the driver once given, s. */
const WARNING_HOLD = 1;

export const APPS = ['fcw', 'rlvw', 'hlw', 'slw', 'evw', 'glosa'] as const;
export type App = (typeof APPS)[number];
const A_FCW = 0;
const A_RLVW = 1;
const A_HLW = 2;
const A_SLW = 3;
const A_EVW = 4;
const A_GLOSA = 5;
const APP_COUNT = APPS.length;


export function channelParams(spec: V2xSpec['channel']): ChannelParams {
  if (spec.model === 'unitDisk')
    return { kind: 'unitDisk', rangeM: spec.range, lossProbability: spec.loss, delayMinMs: spec.delayMin, delayExpectedMs: spec.delayExpected };
  return {
    kind: '3gpp',
    environment: spec.environment,
    losMode: 'probabilistic',
    carrierGHz: spec.frequency,
    txPowerDbm: spec.txPower,
    antennaGainDbi: spec.antennaGain,
    noiseFigureDb: spec.noiseFigure,
    bandwidthHz: spec.bandwidth * 1e6,
    sinrThresholdDb: spec.sinrThreshold,
    shadowing: spec.shadowing,
    minDistanceM: 3,
    losBucketS: 1,
    rangeCapM: 3000,
    interferenceFloorDb: 20,
    delayMinMs: Math.min(1, spec.delay),
    delayExpectedMs: spec.delay,
  };
}

export class V2xSystem {
  readonly spec: V2xSpec;
  readonly channel: PreparedChannel;
  readonly rsus: Rsu[];
  readonly stats: V2xStats;
  readonly sent = { bsm: 0, spat: 0, map: 0, rsi: 0, rsm: 0 };
  readonly warnings = { fcw: 0, rlvw: 0, hlw: 0, slw: 0, evw: 0, vrucw: 0 };
  glosaAdvised = 0;
  equippedInserted = 0;
  /** largest RSM participant list sent */
  maxRsmParticipants = 0;

  private readonly w: World;
  private readonly radio: RadioTick;
  private readonly geom: LaneGeometry;
  private readonly lookup: SignalLookup;
  private readonly timing: MovementTiming = { state: 0, untilChange: 0, untilGreen: 0, untilGreenEnd: 0, untilGreenAfter: 0 };
  /** the signal as it will be when the vehicle arrives (RLVW) */
  private readonly later: MovementTiming = { state: 0, untilChange: 0, untilGreen: 0, untilGreenEnd: 0, untilGreenAfter: 0 };
  /** the RSU sending SPAT for each node, or −1 */
  private readonly rsuOfNode: Int32Array;
  private readonly index: GridIndex;
  private readonly rsuIndex: GridIndex;
  private readonly rsuX: Float64Array;
  private readonly rsuY: Float64Array;
  private readonly found: Int32Array;
  /** how far from the stop line the signal applications (GLOSA, RLVW) use SPAT and MAP, m */
  private readonly signalReach: number;
  /** how far each RSU's sensors reach, m (0 without sensors) */
  private readonly sensorReach: Float64Array;
  private readonly maxSensorReach: number;
  /** per RSU, the radius within which its packets are decided, m */
  private readonly rsuRadius: Float64Array;
  /** per RSU, the lanes that come within its sensors' reach (static: only vehicles on them can be seen) */
  private readonly sensorLanes: Int32Array[];
  private readonly penetration: Float64Array;
  private readonly ticksPerSecond: number;
  private readonly evClass: number;

  // ---- per vehicle slot (grown with the state)
  private capacity = 0;
  private x = new Float64Array(0);
  private y = new Float64Array(0);
  private heading = new Float64Array(0);
  private bsmNext = new Float64Array(0);
  private msgCnt = new Uint8Array(0);
  private bsmInterval = new Float64Array(0);
  /** transmitter index of this tick's BSM, or −1 */
  private txOf = new Int32Array(0);
  private compliant = new Uint8Array(0);
  private spatTime = new Float64Array(0);
  private rsiTime = new Float64Array(0);
  private rsiEvent = new Int32Array(0);
  private evTime = new Float64Array(0);
  private evId = new Int32Array(0);
  /** the emergency vehicle's lane when its BSM arrived */
  private evLane = new Int32Array(0);

  private fcwTime = new Float64Array(0);
  /** start of the current episode of each application, NaN when none ([slot * APP_COUNT + app]) */
  private since = new Float64Array(0);
  private advised = new Uint8Array(0);
  /** MAPs received: [slot * rsus + rsu] */
  private mapKnown = new Uint8Array(0);

  // ---- equipped vehicles of this tick, in lane order
  private eqSlots = new Int32Array(256);
  private eqCount = 0;
  private nodeX = new Float64Array(256);
  private nodeY = new Float64Array(256);
  private readonly rsmDist = new Float64Array(RSM_MAX_PARTICIPANTS + 1);

  constructor(world: World, spec: V2xSpec) {
    this.w = world;
    this.spec = spec;
    this.channel = prepareChannel(channelParams(spec.channel));
    const net = world.net;
    const range = this.channel.decodeRangeM;
    this.rsus = buildRsus(spec.rsus, net, world.roadEvents, range);
    this.stats = new V2xStats(range, Math.ceil(world.scenario.duration) + 1);
    this.radio = new RadioTick(this.channel, world.seed, world.dt);
    this.geom = new LaneGeometry(net);
    this.lookup = signalLookup(world.programs, net.connCount);
    this.rsuOfNode = new Int32Array(Math.max(1, net.nodeIds.length)).fill(-1);
    for (const r of this.rsus) for (const n of r.nodes) if (this.rsuOfNode[n] < 0) this.rsuOfNode[n] = r.index;
    this.index = new GridIndex(Math.max(50, range / 2), 1024);
    this.rsuIndex = new GridIndex(Math.max(50, range), Math.max(1, this.rsus.length));
    this.rsuX = Float64Array.from(this.rsus.map((r) => r.x));
    this.rsuY = Float64Array.from(this.rsus.map((r) => r.y));
    this.rsuIndex.rebuild(this.rsuX, this.rsuY, this.rsus.length);
    this.signalReach = Math.max(spec.apps.glosa?.enabled ? spec.apps.glosa.range : 0, spec.apps.rlvw?.enabled ? RLVW_REACH : 0) + 50;
    this.sensorReach = Float64Array.from(this.rsus.map((r) => r.sensors.reduce((m, s) => Math.max(m, s.range), 0)));
    // how far each unit's packets can reach: its own range (unit disk) or the decode range scaled by its power
    this.rsuRadius = Float64Array.from(
      this.rsus.map((r) =>
        spec.channel.model === 'unitDisk'
          ? (r.range !== Infinity ? r.range : this.channel.decodeRangeM)
          : Math.min(3000, this.channel.decodeRangeM * (r.txPowerOffset > 0 ? Math.pow(10, r.txPowerOffset / 16.7) : 1)),
      ),
    );
    this.sensorLanes = this.rsus.map((r) => lanesWithin(net, r.x, r.y, this.sensorReach[r.index]));
    this.maxSensorReach = Math.min(this.channel.decodeRangeM, Math.max(0, ...this.sensorReach));
    this.found = new Int32Array(1 << 16);
    const types = world.types;
    this.penetration = Float64Array.from(types.names.map((n) => spec.penetrationByType[n] ?? spec.penetration));
    this.ticksPerSecond = Math.max(1, Math.round(1 / world.dt));
    this.evClass = 4; // vehicleClasses.indexOf('emergency')
  }

  // ------------------------------------------------------------------ vehicles come and go

  /** A vehicle enters: whether it carries an on-board unit (a counter-based draw per vehicle id). */
  onSpawn(slot: number, id: number, type: number): boolean {
    this.ensure(this.w.state.capacity);
    const equipped = this.penetration[type] > 0 && rand(this.w.seed, 0, id, PURPOSE_EQUIPPED) < this.penetration[type];
    this.bsmNext[slot] = this.w.time + this.spec.bsm.interval * rand(this.w.seed, 1, id, PURPOSE_EQUIPPED);
    this.bsmInterval[slot] = this.spec.bsm.interval;
    this.msgCnt[slot] = 0;
    this.txOf[slot] = -1;
    this.compliant[slot] = rand(this.w.seed, 0, id, PURPOSE_COMPLIANCE) < this.spec.driver.compliance ? 1 : 0;
    this.spatTime[slot] = -Infinity;
    this.rsiTime[slot] = -Infinity;
    this.rsiEvent[slot] = -1;
    this.evTime[slot] = -Infinity;
    this.evId[slot] = -1;
    this.fcwTime[slot] = -Infinity;
    this.since.fill(NaN, slot * APP_COUNT, (slot + 1) * APP_COUNT);
    this.advised[slot] = 0;
    const R = this.rsus.length;
    if (R > 0) this.mapKnown.fill(0, slot * R, (slot + 1) * R);
    if (equipped) this.equippedInserted++;
    return equipped;
  }

  private ensure(capacity: number): void {
    if (capacity <= this.capacity) return;
    const R = this.rsus.length;
    const f = (a: Float64Array, per = 1) => {
      const b = new Float64Array(capacity * per);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array, per = 1) => {
      const b = new Uint8Array(capacity * per);
      b.set(a);
      return b;
    };
    this.x = f(this.x);
    this.y = f(this.y);
    this.heading = f(this.heading);
    this.bsmNext = f(this.bsmNext);
    this.bsmInterval = f(this.bsmInterval);
    this.msgCnt = u8(this.msgCnt);
    this.txOf = i32(this.txOf);
    this.compliant = u8(this.compliant);
    this.spatTime = f(this.spatTime);
    this.rsiTime = f(this.rsiTime);
    this.rsiEvent = i32(this.rsiEvent);
    this.evTime = f(this.evTime);
    this.evId = i32(this.evId);
    this.evLane = i32(this.evLane);
    this.fcwTime = f(this.fcwTime);
    this.since = f(this.since, APP_COUNT);
    this.advised = u8(this.advised);
    this.mapKnown = u8(this.mapKnown, Math.max(1, R));
    this.capacity = capacity;
  }

  // ------------------------------------------------------------------ the tick

  communicate(): void {
    const w = this.w;
    const s = w.state;
    this.ensure(s.capacity);
    const time = w.time;
    const tick = w.tick;
    const radio = this.radio;
    radio.begin(tick, time);
    this.collectEquipped();
    const eq = this.eqSlots;
    const n = this.eqCount;
    this.index.rebuild(this.nodeX, this.nodeY, n);

    // ---- transmitters: BSMs due, then one packet per RSU
    const cc = this.spec.bsm.congestionControl;
    for (let q = 0; q < n; q++) {
      const i = eq[q];
      this.txOf[i] = -1;
      // congestion control re-counts the neighbours once a second, each vehicle at its own tick
      if (cc && (s.id[i] + tick) % this.ticksPerSecond === 0) this.updateInterval(i, q);
      if (this.bsmNext[i] > time + 1e-9) continue;
      this.bsmNext[i] += Math.max(this.bsmInterval[i], w.dt);
      if (this.bsmNext[i] <= time) this.bsmNext[i] = time + this.bsmInterval[i];
      this.msgCnt[i] = (this.msgCnt[i] + 1) & 127;
      this.txOf[i] = radio.add(s.id[i], this.x[i], this.y[i]);
      this.sent.bsm++;
    }
    const rsuTx = this.rsuTransmissions(time, tick);
    radio.close();

    // ---- RSU packets to equipped vehicles in range
    const R = this.rsus.length;
    for (const r of this.rsus) {
      const k = rsuTx[r.index];
      if (k < 0) continue;
      const found = this.index.queryRadius(r.x, r.y, this.rsuRadius[r.index], this.found);
      this.currentMask = this.rsuBundle[r.index];
      const reach2 = this.sensorReach[r.index] * this.sensorReach[r.index];
      const withEvents = r.events.length > 0 && (this.rsuBundle[r.index] & (1 << MSG_RSI)) !== 0;
      for (let j = 0; j < found && j < this.found.length; j++) {
        const q = this.found[j];
        const i = eq[q];
        // only the drivers whose applications use what this unit says
        const conn = s.nextConn[i];
        const dx = this.nodeX[q] - r.x;
        const dy = this.nodeY[q] - r.y;
        const approaching = conn >= 0 && this.rsuOfNode[this.w.net.connNode[conn]] === r.index && this.w.net.laneLength[s.lane[i]] - s.pos[i] <= this.signalReach;
        const needsSignal = approaching && (time - this.spatTime[i] > SPAT_REFRESH || this.mapKnown[i * R + r.index] === 0);
        const sampled = (s.id[i] + tick) % this.ticksPerSecond === 0 && dx * dx + dy * dy <= reach2;
        const uses = needsSignal || sampled || (withEvents && this.eventAhead(i, r) >= 0);
        if (!uses) continue;
        const ok = radio.deliver(k, s.id[i], this.nodeX[q], this.nodeY[q], this.txOf[i] >= 0 ? radio.txSub[this.txOf[i]] : -1);
        this.countRsuPacket(ok, radio.distance, radio.latencyMs);
        if (ok) this.receiveRsuPacket(i, r, time);
      }
    }
    // ---- BSMs to RSUs in range
    if (this.rsus.length > 0) {
      for (let q = 0; q < n; q++) {
        const i = eq[q];
        const k = this.txOf[i];
        if (k < 0 || (s.id[i] + tick) % this.ticksPerSecond !== 0) continue;
        const found = this.maxSensorReach > 0 ? this.rsuIndex.queryRadius(this.x[i], this.y[i], this.maxSensorReach, this.found) : 0;
        for (let j = 0; j < found; j++) {
          const r = this.rsus[this.found[j]];
          const dx = this.x[i] - r.x;
          const dy = this.y[i] - r.y;
          // the unit fuses the BSMs of the vehicles its sensors see with what they see
          if (dx * dx + dy * dy > this.sensorReach[r.index] * this.sensorReach[r.index]) continue;
          const ok = radio.deliver(k, r.radioId, r.x, r.y, this.rsuSub[r.index]);
          this.stats.addPair(MSG_BSM, radio.distance, ok, radio.latencyMs);
        }
      }
    }
    // ---- V2V: the vehicle ahead's BSM (FCW), emergency vehicles' BSMs (EVW)
    this.vehicleToVehicle(time);
    if (tick % this.ticksPerSecond === 0) this.channelLoad(time);
    this.applications(time);
  }

  private rsuSub = new Int32Array(0);
  private rsuTx = new Int32Array(0);
  private readonly rsuBundle: number[] = [];

  /** Adds one transmission per RSU with something due this tick; returns its index per RSU (−1 none). */
  private rsuTransmissions(time: number, tick: number): Int32Array {
    const R = this.rsus.length;
    if (this.rsuSub.length !== R) this.rsuSub = new Int32Array(R);
    if (this.rsuTx.length !== R) this.rsuTx = new Int32Array(R);
    const tx = this.rsuTx.fill(-1);
    const tps = this.ticksPerSecond;
    const spat = tick % Math.max(1, Math.round(0.1 / this.w.dt)) === 0;
    const map = tick % tps === 0;
    const rsi = tick % Math.max(1, Math.round(1 / RSI_RATE / this.w.dt)) === 0;
    const bundle = this.rsuBundle;
    bundle.length = 0;
    for (const r of this.rsus) {
      let mask = 0;
      if (r.nodes.length > 0 && spat) mask |= 1 << MSG_SPAT;
      if (r.nodes.length > 0 && map) mask |= 1 << MSG_MAP;
      if (rsi && this.anyEventActive(r, time)) mask |= 1 << MSG_RSI;
      if (r.sensors.length > 0 && spat) {
        mask |= 1 << MSG_RSM;
        // no application reads the RSM's list (records.ts builds it on demand); its size is
        // sampled once a second for the metrics
        if (map) {
          const seen = this.rsmParticipants(r);
          if (seen > this.maxRsmParticipants) this.maxRsmParticipants = seen;
        }
      }
      bundle.push(mask);
      this.rsuSub[r.index] = -1;
      if (mask === 0) continue;
      tx[r.index] = this.radio.add(r.radioId, r.x, r.y, r.txPowerOffset, r.range);
      this.rsuSub[r.index] = this.radio.subframeOf(r.radioId);
      if (mask & (1 << MSG_SPAT)) this.sent.spat++;
      if (mask & (1 << MSG_MAP)) this.sent.map++;
      if (mask & (1 << MSG_RSI)) this.sent.rsi++;
      if (mask & (1 << MSG_RSM)) this.sent.rsm++;
    }
    return tx;
  }

  private anyEventActive(r: Rsu, time: number): boolean {
    for (let k = 0; k < r.events.length; k++) if (eventActive(this.w.roadEvents[r.events[k]], time)) return true;
    return false;
  }

  /** Road users the RSU's sensors see now, nearest first, at most 16 (the RSM's list). */
  private rsmParticipants(r: Rsu): number {
    const s = this.w.state;
    const laneStart = this.w.order.laneStart;
    const p = this.pt;
    let count = 0;
    // every road user, equipped or not (the point of roadside sensing), on the lanes in reach
    const lanes = this.sensorLanes[r.index];
    for (let q = 0; q < lanes.length; q++) {
      const lane = lanes[q];
      for (let k = laneStart[lane]; k < laneStart[lane + 1]; k++) {
        this.geom.point(lane, s.pos[s.order[k]], p);
        if (this.sees(r, p[0] - r.x, p[1] - r.y, count)) count++;
      }
    }
    return count > RSM_MAX_PARTICIPANTS ? RSM_MAX_PARTICIPANTS : count;
  }

  /** Whether the RSU's sensors see a road user at (dx, dy); if so, its distance joins the 16 nearest kept (`count` seen so far). */
  private sees(r: Rsu, dx: number, dy: number, count: number): boolean {
    let seen = false;
    for (let q = 0; q < r.sensors.length; q++) if (sensorSees(r.sensors[q], dx, dy)) seen = true;
    if (!seen) return false;
    // keep the 16 nearest distances, sorted (insertion into a short list)
    const d = this.rsmDist;
    const dist = Math.sqrt(dx * dx + dy * dy);
    let at = count < RSM_MAX_PARTICIPANTS ? count : RSM_MAX_PARTICIPANTS;
    while (at > 0 && d[at - 1] > dist) {
      if (at < RSM_MAX_PARTICIPANTS) d[at] = d[at - 1];
      at--;
    }
    if (at < RSM_MAX_PARTICIPANTS) d[at] = dist;
    return true;
  }

  private readonly pt = new Float64Array(3);


  private countRsuPacket(ok: boolean, d: number, latency: number): void {
    const mask = this.currentMask;
    for (let t = MSG_SPAT; t <= MSG_RSM; t++) if (mask & (1 << t)) this.stats.addPair(t, d, ok, latency);
  }

  private currentMask = 0;

  private receiveRsuPacket(i: number, r: Rsu, time: number): void {
    const mask = this.rsuBundle[r.index];
    const s = this.w.state;
    if (mask & (1 << MSG_MAP)) this.mapKnown[i * this.rsus.length + r.index] = 1;
    if (mask & (1 << MSG_SPAT)) {
      const conn = s.nextConn[i];
      if (conn >= 0 && this.rsuOfNode[this.w.net.connNode[conn]] === r.index) this.spatTime[i] = time;
    }
    if (mask & (1 << MSG_RSI)) {
      const e = this.eventAhead(i, r);
      if (e >= 0) {
        this.rsiEvent[i] = e;
        this.rsiTime[i] = time;
      }
    }
  }

  /** The nearest active road event announced by RSU r that lies ahead of vehicle i on its route (this edge or the next), or −1. */
  private eventAhead(i: number, r: Rsu): number {
    const w = this.w;
    const s = w.state;
    const net = w.net;
    const edge = net.laneEdge[s.lane[i]];
    const routes = w.routes;
    const ri = s.route[i];
    const idx = s.routeIdx[i];
    const nextEdge = idx + 1 < routes.length[ri] ? routes.edges[routes.start[ri] + idx + 1] : -1;
    let best = -1;
    let bestDist = Infinity;
    for (const ei of r.events) {
      const e = w.roadEvents[ei];
      if (!eventActive(e, w.time)) continue;
      let d: number;
      if (e.edge === edge && e.end > s.pos[i]) d = e.start - s.pos[i];
      else if (e.edge === nextEdge) d = net.laneLength[s.lane[i]] - s.pos[i] + e.start;
      else continue;
      if (d < bestDist) {
        bestDist = d;
        best = ei;
      }
    }
    return best;
  }

  /** Positions of the equipped vehicles, in lane order. */
  private collectEquipped(): void {
    const w = this.w;
    const s = w.state;
    const o = w.order;
    if (this.eqSlots.length < o.count) {
      const m = Math.max(o.count, 2 * this.eqSlots.length);
      this.eqSlots = new Int32Array(m);
      this.nodeX = new Float64Array(m);
      this.nodeY = new Float64Array(m);
    }
    const p = this.pt;
    let n = 0;
    for (let k = 0; k < o.count; k++) {
      const i = s.order[k];
      // clear what the applications told the driver last tick; they say it again below if it still holds
      s.speedAdvice[i] = Infinity;
      s.accelLimit[i] = Infinity;
      s.v2x[i] = 0;
      if (!(s.flags[i] & F_EQUIPPED)) continue;
      this.geom.point(s.lane[i], s.pos[i], p);
      this.x[i] = p[0];
      this.y[i] = p[1];
      this.heading[i] = p[2];
      this.eqSlots[n] = i;
      this.nodeX[n] = p[0];
      this.nodeY[n] = p[1];
      n++;
    }
    this.eqCount = n;
  }

  /** Congestion control (SAE J2945/1 style): the BSM interval grows with the equipped vehicles within densityRadius. */
  private updateInterval(i: number, q: number): void {
    const b = this.spec.bsm;
    const found = this.index.queryRadius(this.nodeX[q], this.nodeY[q], b.densityRadius, this.found);
    const others = found - 1;
    this.bsmInterval[i] = others <= b.densityThreshold ? b.interval : Math.min(b.maxInterval, (b.interval * others) / b.densityThreshold);
  }

  /** Everything that carries over from one tick to the next (checkpoints). */
  snapshot(w: SnapshotWriter): void {
    const used = this.w.state.used;
    w.json('v2x.counters', {
      sent: this.sent,
      warnings: this.warnings,
      glosaAdvised: this.glosaAdvised,
      equippedInserted: this.equippedInserted,
      maxRsmParticipants: this.maxRsmParticipants,
    });
    const R = Math.max(1, this.rsus.length);
    w.typed('v2x.bsmNext', this.bsmNext, used);
    w.typed('v2x.bsmInterval', this.bsmInterval, used);
    w.typed('v2x.msgCnt', this.msgCnt, used);
    w.typed('v2x.compliant', this.compliant, used);
    w.typed('v2x.spatTime', this.spatTime, used);
    w.typed('v2x.rsiTime', this.rsiTime, used);
    w.typed('v2x.rsiEvent', this.rsiEvent, used);
    w.typed('v2x.evTime', this.evTime, used);
    w.typed('v2x.evId', this.evId, used);
    w.typed('v2x.evLane', this.evLane, used);
    w.typed('v2x.fcwTime', this.fcwTime, used);
    w.typed('v2x.since', this.since, used * APP_COUNT);
    w.typed('v2x.advised', this.advised, used);
    w.typed('v2x.mapKnown', this.mapKnown, used * R);
    this.stats.snapshot(w);
  }

  restore(r: SnapshotReader): void {
    const c = r.json<{ sent: V2xSystem['sent']; warnings: V2xSystem['warnings']; glosaAdvised: number; equippedInserted: number; maxRsmParticipants: number }>('v2x.counters');
    Object.assign(this.sent, c.sent);
    Object.assign(this.warnings, c.warnings);
    this.glosaAdvised = c.glosaAdvised;
    this.equippedInserted = c.equippedInserted;
    this.maxRsmParticipants = c.maxRsmParticipants;
    this.ensure(this.w.state.capacity);
    for (const [name, a] of [
      ['bsmNext', this.bsmNext],
      ['bsmInterval', this.bsmInterval],
      ['msgCnt', this.msgCnt],
      ['compliant', this.compliant],
      ['spatTime', this.spatTime],
      ['rsiTime', this.rsiTime],
      ['rsiEvent', this.rsiEvent],
      ['evTime', this.evTime],
      ['evId', this.evId],
      ['evLane', this.evLane],
      ['fcwTime', this.fcwTime],
      ['since', this.since],
      ['advised', this.advised],
      ['mapKnown', this.mapKnown],
    ] as const)
      r.typedInto(`v2x.${name}`, a);
    this.stats.restore(r);
  }

  /** The message counter of a vehicle's last BSM (0..127). */
  msgCountOf(slot: number): number {
    return this.msgCnt[slot];
  }

  /** The current BSM interval of a vehicle slot, s. */
  bsmIntervalOf(slot: number): number {
    return this.bsmInterval[slot];
  }

  private vehicleToVehicle(time: number): void {
    const w = this.w;
    const s = w.state;
    const radio = this.radio;
    const laneStart = w.order.laneStart;
    const apps = this.spec.apps;
    // FCW: each equipped vehicle hears the BSM of the vehicle ahead on its lane
    if (apps.fcw?.enabled) {
      for (let k = 0; k < w.order.count; k++) {
        const i = s.order[k];
        if (!(s.flags[i] & F_EQUIPPED)) continue;
        const lane = s.lane[i];
        if (k + 1 >= laneStart[lane + 1]) continue;
        const L = s.order[k + 1];
        const kt = this.txOf[L];
        if (kt < 0 || !(s.flags[L] & F_EQUIPPED)) continue;
        // what the BSM says (the leader's state as sent): only a follower closing in below the
        // threshold has anything to act on, so only its reception is decided
        const dv = s.speed[i] - s.speed[L];
        if (dv <= 0) continue;
        const gap = s.pos[L] - w.types.length[s.type[L]] - s.pos[i];
        if (gap / dv >= apps.fcw.ttc) continue;
        const ok = radio.deliver(kt, s.id[i], this.x[i], this.y[i], this.txOf[i] >= 0 ? radio.txSub[this.txOf[i]] : -1);
        this.stats.addPair(MSG_BSM, radio.distance, ok, radio.latencyMs);
        if (ok) this.fcwTime[i] = time;
      }
    }
    // EVW: an emergency vehicle's BSM reaches the equipped vehicles around it
    if (apps.evw?.enabled) {
      const cls = w.types.classCode;
      for (let q = 0; q < this.eqCount; q++) {
        const e = this.eqSlots[q];
        if (cls[s.type[e]] !== this.evClass || this.txOf[e] < 0) continue;
        const found = this.index.queryRadius(this.x[e], this.y[e], apps.evw.distance, this.found);
        const lane = s.lane[e];
        for (let j = 0; j < found; j++) {
          const i = this.eqSlots[this.found[j]];
          if (i === e || s.lane[i] !== lane || s.pos[i] <= s.pos[e]) continue;
          const ok = radio.deliver(this.txOf[e], s.id[i], this.x[i], this.y[i], this.txOf[i] >= 0 ? radio.txSub[this.txOf[i]] : -1);
          this.stats.addPair(MSG_BSM, radio.distance, ok, radio.latencyMs);
          if (ok) {
            this.evTime[i] = time;
            this.evLane[i] = lane;
            this.evId[i] = s.id[e];
          }
        }
      }
    }
  }

  /** Channel busy ratio of one frame, once a simulated second: transmissions each node senses. */
  private channelLoad(time: number): void {
    const range = this.channel.decodeRangeM;
    let sensed = 0;
    let nodes = this.rsus.length;
    // sampled: one vehicle in CBR_SAMPLE, a different set each second (an unbiased mean over nodes)
    const second = Math.round(time);
    for (let q = second % CBR_SAMPLE; q < this.eqCount; q += CBR_SAMPLE) {
      sensed += this.index.queryRadius(this.nodeX[q], this.nodeY[q], range, this.found) - 1;
      nodes++;
    }
    for (const r of this.rsus) sensed += this.index.queryRadius(r.x, r.y, range, this.found);
    this.stats.addSlotLoad(time, this.spec.bsm.interval, nodes, sensed);
  }

  // ------------------------------------------------------------------ applications

  private applications(time: number): void {
    const w = this.w;
    const s = w.state;
    const apps = this.spec.apps;
    const reaction = this.spec.driver.reactionTime;
    for (let q = 0; q < this.eqCount; q++) {
      const i = this.eqSlots[q];
      const acts = this.compliant[i] === 1;
      let advice = Infinity;
      let bits = 0;
      let accelLimit = Infinity;

      // FCW: time to collision with the vehicle ahead below the threshold
      if (this.episode(i, A_FCW, time - this.fcwTime[i] <= FRESH, time, 'fcw', -1) && acts && this.sinceOf(i, A_FCW) + reaction <= time)
        if (time - this.fcwTime[i] <= WARNING_HOLD) accelLimit = 0;

      // signals ahead: GLOSA and RLVW from SPAT (with the MAP of the RSU)
      const conn = s.nextConn[i];
      const node = conn >= 0 ? w.net.connNode[conn] : -1;
      const r = node >= 0 ? this.rsuOfNode[node] : -1;
      const lane = s.lane[i];
      const dist = w.net.laneLength[lane] - s.pos[i];
      const spatOk =
        r >= 0 &&
        dist <= this.signalReach &&
        time - this.spatTime[i] <= SPAT_VALID &&
        this.mapKnown[i * this.rsus.length + r] === 1 &&
        movementTiming(w.programs, this.lookup, conn, time, this.timing);
      const v = s.speed[i];
      const t = s.type[i];
      let rlvw = false;
      let glosa = Infinity;
      if (spatOk) {
        const vmax = Math.min(w.net.laneSpeed[lane] * s.speedFactor[i], w.types.vmax[t]);
        if (apps.rlvw?.enabled && v > 0.5) {
          // red on arrival at the current speed, and no comfortable stop left
          // (arriving during yellow is legal: only red counts)
          if ((v * v) / (2 * w.types.B[t]) > dist && dist < RLVW_REACH) {
            const arrive = dist / v;
            rlvw = movementTiming(w.programs, this.lookup, conn, time + arrive, this.later) && this.later.state === SIG_RED;
          }
        }
        if (apps.glosa?.enabled && dist <= apps.glosa.range && dist > 5) glosa = this.glosaSpeed(dist, vmax, apps.glosa.minSpeed);
      }
      if (this.episode(i, A_RLVW, rlvw, time, 'rlvw', node) && acts && this.sinceOf(i, A_RLVW) + reaction <= time) bits |= V2X_RLVW;
      if (this.episode(i, A_GLOSA, glosa !== Infinity, time, 'glosa', node)) {
        if (!this.advised[i]) {
          this.advised[i] = 1;
          this.glosaAdvised++;
        }
        if (acts && this.sinceOf(i, A_GLOSA) + reaction <= time && glosa < advice) advice = glosa;
      }

      // HLW / SLW: an announced road event ahead
      let hazard = false;
      let zone = false;
      let eventDist = Infinity;
      const e = this.rsiEvent[i];
      if (e >= 0 && time - this.rsiTime[i] <= 1 / RSI_RATE + FRESH) {
        const ev = w.roadEvents[e];
        const edge = w.net.laneEdge[lane];
        eventDist = ev.edge === edge ? ev.start - s.pos[i] : dist + ev.start;
        if (ev.edge === edge && s.pos[i] > ev.end) eventDist = -Infinity;
        if (eventDist > -Infinity && eventDist <= (apps.hlw?.distance ?? 300)) {
          if (ev.blocks && apps.hlw?.enabled) hazard = true;
          if (ev.limit !== Infinity && apps.slw?.enabled) zone = true;
        }
      }
      if (this.episode(i, A_HLW, hazard, time, 'hlw', e) && acts && this.sinceOf(i, A_HLW) + reaction <= time) {
        bits |= V2X_HAZARD;
        if (apps.hlw!.speed < advice) advice = apps.hlw!.speed;
      }
      if (this.episode(i, A_SLW, zone, time, 'slw', e) && acts && this.sinceOf(i, A_SLW) + reaction <= time) {
        const limit = w.roadEvents[e].limit * s.speedFactor[i];
        if (limit < advice) advice = limit;
      }

      // EVW: an emergency vehicle behind on this lane
      if (this.episode(i, A_EVW, time - this.evTime[i] <= FRESH && this.evLane[i] === lane, time, 'evw', this.evId[i]) && acts && this.sinceOf(i, A_EVW) + reaction <= time) bits |= V2X_CLEAR;

      s.speedAdvice[i] = advice;
      s.accelLimit[i] = accelLimit;
      s.v2x[i] = bits;
    }
  }

  /**
   * Tracks an application's episode for vehicle i: a warning is counted (and announced) when the
   * condition starts to hold, not again while it goes on. Returns the condition.
   */
  private episode(i: number, app: number, holds: boolean, time: number, name: App, subject: number): boolean {
    const at = i * APP_COUNT + app;
    if (!holds) {
      this.since[at] = NaN;
      return false;
    }
    if (Number.isNaN(this.since[at])) {
      this.since[at] = time;
      if (name !== 'glosa') {
        this.warnings[name as Exclude<App, 'glosa'>]++;
        this.w.events$.next({
          kind: 'v2x.warning',
          time: Math.round(time * 1e6) / 1e6,
          app: name,
          vehicle: this.w.state.id[i],
          x: Math.round(this.x[i] * 100) / 100,
          y: Math.round(this.y[i] * 100) / 100,
          subject: this.subjectName(name, subject),
        });
      }
    }
    return true;
  }

  private sinceOf(i: number, app: number): number {
    return this.since[i * APP_COUNT + app];
  }

  private subjectName(app: App, subject: number): string {
    const w = this.w;
    if (app === 'rlvw' || app === 'glosa') return subject >= 0 ? w.net.nodeIds[subject] : '';
    if (app === 'hlw' || app === 'slw') return subject >= 0 ? w.roadEvents[subject].id : '';
    if (app === 'evw') return `vehicle ${subject}`;
    return '';
  }

  /**
   * GLOSA (REFERENCE.md): the speed that reaches the stop line at the start of green, when the
   * green now cannot be made at the driver's speed; Infinity when no advice is needed or none
   * helps (the advice would be below minSpeed: the driver will stop anyway).
   */
  private glosaSpeed(dist: number, vmax: number, minSpeed: number): number {
    const tm = this.timing;
    const green = tm.untilGreen === 0;
    if (green && dist / vmax <= tm.untilChange) return Infinity; // makes this green
    // the next green: its start (when red now) or the one after this green
    const wait = green ? tm.untilGreenAfter : tm.untilGreen;
    if (!(wait > 0) || !Number.isFinite(wait)) return Infinity;
    const v = dist / wait;
    if (v >= vmax || v < minSpeed) return Infinity;
    return v;
  }

  /** Figures for metrics.json's `v2x` block (the contract's keys first). */
  metrics(totalInserted: number): object {
    const t = this.stats.totals();
    const r = (x: number, d = 6) => Math.round(x * 10 ** d) / 10 ** d;
    return {
      rsus: this.rsus.length,
      equippedShare: totalInserted > 0 ? r(this.equippedInserted / totalInserted, 4) : 0,
      sent: { ...this.sent },
      received: t.received,
      packetDeliveryRatio: t.sent > 0 ? r(t.pdr, 4) : null,
      meanLatencyMs: t.received > 0 ? r(t.meanLatencyMs, 3) : null,
      warnings: { ...this.warnings },
      glosaAdvised: this.glosaAdvised,
      channel: this.spec.channel.model,
      linksDecided: t.sent,
      maxRsmParticipants: this.maxRsmParticipants,
    };
  }
}

/** Lanes of the network with a point within `reach` of (x, y), sampled every 5 m along each lane. */
function lanesWithin(net: World['net'], x: number, y: number, reach: number): Int32Array {
  if (reach <= 0) return new Int32Array(0);
  const geom = new LaneGeometry(net);
  const p = new Float64Array(3);
  const out: number[] = [];
  const r2 = (reach + 5) * (reach + 5);
  for (let lane = 0; lane < net.laneCount; lane++) {
    const len = net.laneLength[lane];
    for (let at = 0; at <= len + 4.99; at += 5) {
      geom.point(lane, Math.min(at, len), p);
      if ((p[0] - x) * (p[0] - x) + (p[1] - y) * (p[1] - y) <= r2) {
        out.push(lane);
        break;
      }
    }
  }
  return Int32Array.from(out);
}
