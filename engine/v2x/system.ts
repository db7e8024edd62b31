/**
 * The communicate phase (the v2x phase of engine/sim/tick.ts): roadside units and equipped vehicles send and
 * receive this tick's messages over the channel, and the cooperative applications turn what a
 * driver received into the hooks the decide phase reads (speedAdvice, accelLimit, the V2X bits).
 *
 * What is sent: every equipped vehicle a BSM at its interval (10 Hz, stretched by congestion
 * control when more than `densityThreshold` equipped vehicles are within `densityRadius`); every
 * RSU one packet a tick carrying what is due: SPAT (10 Hz) and MAP (1 Hz) for its signals, RSI for
 * the road events and the confirmed city events (hazards.ts) in its range (RSI_RATE), RSM with up
 * to 16 road users its sensors see (10 Hz).
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
 * Threads: the per-vehicle work (positions, every link with a vehicle as the receiver, the
 * applications) runs on the world's phase runner, split across threads like decide and move
 * (receive.ts); what is serial stays here: who transmits this tick (BSM schedule, congestion
 * control, RSU packets), the channel load, and the merge of the parts' statistics and warnings in
 * part order. It reads the state as the previous tick left it; every draw is counter-based, so
 * results do not depend on the worker count.
 *
 * The host: what this reads of the simulation is declared in host.ts (V2xHost), which the world
 * satisfies; the warnings go out through the `emit` callback it is given. The run files' V2X
 * figures (v2x.csv, v2x-channel.csv, metrics.json's block) are formatted in engine/io/run/v2x-report.ts
 * from the counters here and the statistics (stats.ts).
 */
import { PURPOSE_EQUIPPED, rand } from '../core/rng.js';
import type { V2xSpec } from '../spec/schema-v2x.js';
import { LaneGeometry } from '../road/lanegeom.js';
import { eventActive } from '../traffic/roadevents.js';
import type { PreparedChannel } from './channel.js';
import { AnnouncedHazards, type HazardBuffers } from './hazards.js';
import { RadioTick, type RadioBuffers } from './link.js';
import { APPS, APP_COUNT, RSI_RATE, V2xModel, type App, type V2xModelInput } from './model.js';
import { V2xReceiver } from './receive.js';
import { sensorSees, type Rsu } from './rsus.js';
import { EQ_COUNT, EV_COUNT, PART_ADVISED, PART_CBR_NODES, PART_CBR_SENSED, PART_EVENTS, PART_FOUND, PART_K0, V2xShared, type V2xSharedBuffers } from './shared.js';
import { MSG_MAP, MSG_RSI, MSG_RSM, MSG_SPAT, V2xStats } from './stats.js';
import { RSM_MAX_PARTICIPANTS } from './messages.js';
import { V2xVehicles, type V2xVehicleBuffers } from './vehicles.js';
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import type { Network } from '../road/network.js';
import type { V2xEmit, V2xHost } from './host.js';

export { APPS, RSI_RATE, channelParams, type App } from './model.js';

export const PURPOSE_COMPLIANCE = 0x5620;

/** What a worker thread needs to take part in the communicate phase: the model's inputs, once, and the shared buffers. */
export interface V2xWorkerBuffers {
  vehicles: { arrays: V2xVehicleBuffers; capacity: number };
  shared: V2xSharedBuffers;
  radio: RadioBuffers;
  hazards: HazardBuffers;
}

export class V2xSystem {
  readonly spec: V2xSpec;
  readonly model: V2xModel;
  readonly channel: PreparedChannel;
  readonly rsus: Rsu[];
  readonly stats: V2xStats;
  /** the city events the RSUs announce besides the road events (written by the perception phase) */
  readonly hazards: AnnouncedHazards;
  readonly sent = { bsm: 0, spat: 0, map: 0, rsi: 0, rsm: 0 };
  readonly warnings = { fcw: 0, rlvw: 0, hlw: 0, slw: 0, evw: 0, vrucw: 0 };
  glosaAdvised = 0;
  equippedInserted = 0;
  /** largest RSM participant list sent */
  maxRsmParticipants = 0;

  /** the simulation V2X runs in (the world), through the narrow view it needs */
  private readonly w: V2xHost;
  /** publishes V2X's events (warnings) with the host's */
  private readonly emit: V2xEmit;
  private readonly radio: RadioTick;
  private readonly geom: LaneGeometry;
  /** the per-vehicle arrays, the tick's shared lists and the parts' outputs (shared with the workers) */
  private readonly veh: V2xVehicles;
  private readonly sh: V2xShared;
  /** this thread's share of the per-vehicle work */
  private readonly receiver: V2xReceiver;
  private readonly found: Int32Array;
  /** per RSU, the lanes that come within its sensors' reach (static: only vehicles on them can be seen) */
  private readonly sensorLanes: Int32Array[];

  private readonly rsmDist = new Float64Array(RSM_MAX_PARTICIPANTS + 1);
  private readonly pt = new Float64Array(3);

  /**
   * @param world the host: the world, or anything with what V2xHost lists
   * @param emit where the warnings go (the world publishes them on its events$)
   */
  constructor(world: V2xHost, spec: V2xSpec, emit: V2xEmit) {
    this.w = world;
    this.spec = spec;
    this.emit = emit;
    this.model = new V2xModel({ spec, net: world.net, programs: world.programs, roadEvents: world.roadEvents, typeNames: world.types.names, seed: world.seed, dt: world.dt });
    const m = this.model;
    this.channel = m.channel;
    this.rsus = m.rsus;
    const range = this.channel.decodeRangeM;
    this.stats = new V2xStats(range, Math.ceil(world.scenario.duration) + 1);
    this.radio = new RadioTick(this.channel, world.seed, world.dt);
    this.geom = new LaneGeometry(world.net);
    this.sensorLanes = this.rsus.map((r) => lanesWithin(world.net, r.x, r.y, m.sensorReach[r.index]));
    this.found = new Int32Array(1 << 16);
    this.veh = new V2xVehicles(m.R);
    this.sh = new V2xShared(m.R, world.runner.parts, range);
    this.hazards = new AnnouncedHazards(m.rsuX, m.rsuY, range);
    this.receiver = new V2xReceiver(m, this.veh, this.sh, this.radio, this.hazards);
  }

  /** What the model was built from (a worker thread builds its own from it). */
  modelInput(): V2xModelInput {
    return this.model.input;
  }

  /** Changes whenever a buffer a worker holds was replaced. */
  get generation(): string {
    return `${this.veh.generation}.${this.sh.generation}.${this.radio.generation}.${this.hazards.generation}`;
  }

  workerBuffers(): V2xWorkerBuffers {
    return { vehicles: this.veh.buffers(), shared: this.sh.buffers(), radio: this.radio.buffers(), hazards: this.hazards.buffers() };
  }

  // ------------------------------------------------------------------ vehicles come and go

  /** A vehicle enters: whether it carries an on-board unit (a counter-based draw per vehicle id). */
  onSpawn(slot: number, id: number, type: number): boolean {
    const veh = this.veh;
    veh.ensure(this.w.state.capacity);
    const penetration = this.model.penetration;
    const equipped = penetration[type] > 0 && rand(this.w.seed, 0, id, PURPOSE_EQUIPPED) < penetration[type];
    veh.bsmNext[slot] = this.w.time + this.spec.bsm.interval * rand(this.w.seed, 1, id, PURPOSE_EQUIPPED);
    veh.bsmInterval[slot] = this.spec.bsm.interval;
    veh.msgCnt[slot] = 0;
    veh.txOf[slot] = -1;
    veh.compliant[slot] = rand(this.w.seed, 0, id, PURPOSE_COMPLIANCE) < this.spec.driver.compliance ? 1 : 0;
    veh.spatTime[slot] = -Infinity;
    veh.rsiTime[slot] = -Infinity;
    veh.rsiEvent[slot] = -1;
    veh.evTime[slot] = -Infinity;
    veh.evId[slot] = -1;
    veh.fcwTime[slot] = -Infinity;
    veh.sigHeard[slot] = -1;
    veh.since.fill(NaN, slot * APP_COUNT, (slot + 1) * APP_COUNT);
    veh.advised[slot] = 0;
    const R = this.rsus.length;
    if (R > 0) veh.mapKnown.fill(0, slot * R, (slot + 1) * R);
    if (equipped) this.equippedInserted++;
    return equipped;
  }

  // ------------------------------------------------------------------ the tick

  private readonly prepareWork = (k0: number, k1: number, part: number): void => this.receiver.prepare(this.w.context(), k0, k1, part);
  private readonly scheduleWork = (q0: number, q1: number, part: number): void => this.receiver.schedule(this.w.context(), q0, q1, part);
  private readonly receiveWork = (q0: number, q1: number, part: number): void => this.receiver.receive(this.w.context(), q0, q1, part);

  communicate(): void {
    const w = this.w;
    const s = w.state;
    const veh = this.veh;
    const sh = this.sh;
    veh.ensure(s.capacity);
    sh.ensure(w.order.count);
    const time = w.time;
    const tick = w.tick;
    const radio = this.radio;
    radio.begin(tick, time);

    // ---- positions of the equipped vehicles, in lane order (per vehicle, on the runner)
    for (const p of sh.parts) p.head[PART_FOUND] = 0;
    w.runner.run('v2xPrepare', w.order.count, this.prepareWork);
    const n = this.packEquipped();
    const eq = sh.eqSlots;

    // ---- transmitters: congestion control and the BSMs due (per vehicle, on the runner), in
    // lane order onto the air; then one packet per RSU
    const tps = this.model.ticksPerSecond;
    w.runner.run('v2xSchedule', n, this.scheduleWork);
    const evw = this.spec.apps.evw?.enabled === true;
    const cls = w.types.classCode;
    const sends = sh.sends;
    let evCount = 0;
    for (let q = 0; q < n; q++) {
      if (sends[q] === 0) continue;
      const i = eq[q];
      veh.txOf[i] = radio.add(s.id[i], veh.x[i], veh.y[i]);
      this.sent.bsm++;
      if (evw && cls[s.type[i]] === this.model.evClass) sh.evList[evCount++] = q;
    }
    sh.head[EV_COUNT] = evCount;
    this.rsuTransmissions(time, tick);
    radio.close();

    // ---- every link to an equipped vehicle, and its applications (per vehicle, on the runner)
    for (const p of sh.parts) {
      p.head[PART_EVENTS] = 0;
      p.head[PART_ADVISED] = 0;
    }
    w.runner.run('v2xReceive', n, this.receiveWork);
    this.mergeParts(time);
    if (tick % tps === 0) this.channelLoad(time, tick);
  }

  /**
   * Packs the parts' lists of equipped vehicles (each staged at the start of its range) into one,
   * in part order, which is lane order; copies their positions for the index. Returns the count.
   */
  private packEquipped(): number {
    const sh = this.sh;
    let n = 0;
    for (const p of sh.parts) {
      const from = p.head[PART_K0];
      const found = p.head[PART_FOUND];
      if (found === 0) continue;
      if (from !== n) {
        sh.eqSlots.copyWithin(n, from, from + found);
        sh.eqOrder.copyWithin(n, from, from + found);
      }
      n += found;
    }
    sh.head[EQ_COUNT] = n;
    const eq = sh.eqSlots;
    const { x, y } = this.veh;
    for (let q = 0; q < n; q++) {
      sh.nodeX[q] = x[eq[q]];
      sh.nodeY[q] = y[eq[q]];
    }
    this.receiver.invalidate();
    return n;
  }

  /** The parts' statistics, GLOSA advisories and warnings, taken in part order (the lane order of their receivers). */
  private mergeParts(time: number): void {
    const s = this.w.state;
    const veh = this.veh;
    for (const p of this.sh.parts) {
      this.stats.takePairs(p.stats);
      this.glosaAdvised += p.head[PART_ADVISED];
      const count = p.head[PART_EVENTS];
      for (let k = 0; k < count; k++) {
        const code = p.events[k];
        const i = code >> 3;
        const name = APPS[code & 7] as Exclude<App, 'glosa'>;
        this.warnings[name]++;
        s.warned[i]++;
        this.emit({
          kind: 'v2x.warning',
          time: Math.round(time * 1e6) / 1e6,
          app: name,
          vehicle: s.id[i],
          x: Math.round(veh.x[i] * 100) / 100,
          y: Math.round(veh.y[i] * 100) / 100,
          subject: this.subjectName(name, i),
        });
      }
    }
  }

  /** What a warning to vehicle i is about: the junction, the road event, the emergency vehicle. */
  private subjectName(app: App, i: number): string {
    const w = this.w;
    if (app === 'rlvw' || app === 'glosa') {
      const conn = w.state.nextConn[i];
      return conn >= 0 ? w.net.nodeIds[w.net.connNode[conn]] : '';
    }
    if (app === 'hlw' || app === 'slw') {
      const e = this.veh.rsiEvent[i];
      if (e >= w.roadEvents.length) return this.hazards.described.get(e - w.roadEvents.length)?.name ?? '';
      return e >= 0 ? w.roadEvents[e].id : '';
    }
    if (app === 'evw') return `vehicle ${this.veh.evId[i]}`;
    return '';
  }

  /** Adds one transmission per RSU with something due this tick (the shared rsuTx, rsuBundle and rsuSub). */
  private rsuTransmissions(time: number, tick: number): void {
    const sh = this.sh;
    const tps = this.model.ticksPerSecond;
    const spat = tick % Math.max(1, Math.round(0.1 / this.w.dt)) === 0;
    const map = tick % tps === 0;
    const rsi = tick % Math.max(1, Math.round(1 / RSI_RATE / this.w.dt)) === 0;
    for (const r of this.rsus) {
      let mask = 0;
      if (r.nodes.length > 0 && spat) mask |= 1 << MSG_SPAT;
      if (r.nodes.length > 0 && map) mask |= 1 << MSG_MAP;
      if (rsi && (this.anyEventActive(r, time) || this.hazards.announces(r.index))) mask |= 1 << MSG_RSI;
      if (r.sensors.length > 0 && spat) {
        mask |= 1 << MSG_RSM;
        // no application reads the RSM's list (records.ts builds it on demand); its size is
        // sampled once a second for the metrics
        if (map) {
          const seen = this.rsmParticipants(r);
          if (seen > this.maxRsmParticipants) this.maxRsmParticipants = seen;
        }
      }
      sh.rsuBundle[r.index] = mask;
      sh.rsuSub[r.index] = -1;
      sh.rsuTx[r.index] = -1;
      if (mask === 0) continue;
      sh.rsuTx[r.index] = this.radio.add(r.radioId, r.x, r.y, r.txPowerOffset, r.range);
      sh.rsuSub[r.index] = this.radio.subframeOf(r.radioId);
      if (mask & (1 << MSG_SPAT)) this.sent.spat++;
      if (mask & (1 << MSG_MAP)) this.sent.map++;
      if (mask & (1 << MSG_RSI)) this.sent.rsi++;
      if (mask & (1 << MSG_RSM)) this.sent.rsm++;
    }
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

  /**
   * Channel busy ratio of one frame, once a simulated second: transmissions each node senses (the
   * sampled vehicles counted by the parts in the schedule phase, integer sums; then the RSUs).
   */
  private channelLoad(time: number, tick: number): void {
    const range = this.channel.decodeRangeM;
    let sensed = 0;
    let nodes = this.rsus.length;
    for (const p of this.sh.parts) {
      nodes += p.head[PART_CBR_NODES];
      sensed += p.head[PART_CBR_SENSED];
      p.head[PART_CBR_NODES] = 0;
      p.head[PART_CBR_SENSED] = 0;
    }
    const index = this.receiver.indexed(tick);
    for (const r of this.rsus) sensed += index.queryRadius(r.x, r.y, range, this.found);
    this.stats.addSlotLoad(time, this.spec.bsm.interval, nodes, sensed);
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
    for (const [name, a] of this.veh.named()) w.typed(`v2x.${name}`, a, used * (name === 'since' ? APP_COUNT : name === 'mapKnown' ? R : 1));
    this.stats.snapshot(w);
  }

  restore(r: SnapshotReader): void {
    const c = r.json<{ sent: V2xSystem['sent']; warnings: V2xSystem['warnings']; glosaAdvised: number; equippedInserted: number; maxRsmParticipants: number }>('v2x.counters');
    Object.assign(this.sent, c.sent);
    Object.assign(this.warnings, c.warnings);
    this.glosaAdvised = c.glosaAdvised;
    this.equippedInserted = c.equippedInserted;
    this.maxRsmParticipants = c.maxRsmParticipants;
    this.veh.ensure(this.w.state.capacity);
    for (const [name, a] of this.veh.named()) r.typedInto(`v2x.${name}`, a);
    this.stats.restore(r);
  }

  /** Per vehicle slot, the connection the unit serving its adaptive signal last heard it approach (−1); replaced when the slots grow. */
  get sigHeard(): Int32Array {
    return this.veh.sigHeard;
  }

  /** The message counter of a vehicle's last BSM (0..127). */
  msgCountOf(slot: number): number {
    return this.veh.msgCnt[slot];
  }

  /** The current BSM interval of a vehicle slot, s. */
  bsmIntervalOf(slot: number): number {
    return this.veh.bsmInterval[slot];
  }

}

/** Lanes of the network with a point within `reach` of (x, y), sampled every 5 m along each lane. */
function lanesWithin(net: Network, x: number, y: number, reach: number): Int32Array {
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
