/**
 * The per-vehicle work of the communicate phase, split across threads like decide and move:
 *
 * - `prepare` over a range of the lane order: clears what the applications told each driver last
 *   tick and computes the position of every equipped vehicle, listing them (staged at the start
 *   of the range; the main thread packs the parts' lists in part order);
 * - `schedule` over a range of this tick's equipped vehicles: congestion control (the equipped
 *   vehicles around each one, once a second), whether its BSM is due; once a second the channel
 *   load the range's sampled vehicles sense (each thread indexes the positions itself);
 * - `receive` over a range of this tick's equipped vehicles: every link with that vehicle as the
 *   receiver that an application acts on (RSU packets, the BSM of the vehicle ahead for FCW,
 *   emergency vehicles' BSMs for EVW), its BSM to the RSUs whose sensors see it (statistics), and
 *   then the applications, which turn what it holds into the decide hooks.
 *
 * A receiver's links are decided in a fixed order (RSUs by index, emergency vehicles in lane
 * order), so where two transmitters write the same field of one receiver the later one wins, as
 * one thread going through them would have it. A range writes only its own receivers' fields,
 * its part's warnings and its part's statistics (integer sums); every link outcome is a pure
 * function of (seed, tick, ids, positions) (link.ts). So the result is the same for any split.
 *
 * The serial rest (who transmits, congestion control, RSU packets' contents, the channel load)
 * stays with V2xSystem in the main thread.
 */
import { F_EQUIPPED, V2X_CLEAR, V2X_HAZARD, V2X_RLVW } from '../core/state.js';
import { LaneGeometry } from '../road/lanegeom.js';
import { SIG_RED } from '../road/signals.js';
import type { SimCtx } from '../traffic/context.js';
import { eventActive } from '../traffic/roadevents.js';
import type { RadioTick } from './link.js';
import { A_EVW, A_FCW, A_GLOSA, A_HLW, A_RLVW, A_SLW, APP_COUNT, RLVW_REACH, RSI_RATE, type V2xModel } from './model.js';
import { movementTiming, newMovementTiming, stateAhead, type MovementTiming } from './spat.js';
import { GridIndex } from './spatial.js';
import { EQ_COUNT, EV_COUNT, PART_ADVISED, PART_CBR_NODES, PART_CBR_SENSED, PART_EVENTS, PART_FOUND, PART_K0, type V2xPart, type V2xShared } from './shared.js';
import { MSG_BSM, MSG_MAP, MSG_RSI, MSG_RSM, MSG_SPAT, type V2xStats } from './stats.js';
import type { V2xVehicles } from './vehicles.js';
import type { AnnouncedHazards } from './hazards.js';

/** A message older than this no longer counts as current for an application, s. */
const FRESH = 0.5;
/**
 * A fixed-time SPAT stays valid longer: the on-board unit extrapolates the last one it received
 * (its end times are absolute), so a few lost packets do not switch advice on and off.
 */
const SPAT_VALID = 3;
/** A vehicle holding a SPAT younger than this has no use for the next one, s. */
const SPAT_REFRESH = 0.5;
/** How long an FCW or RLVW warning holds the driver once given, s. */
const WARNING_HOLD = 1;
/** The channel busy ratio is measured on one vehicle in this many each second. */
export const CBR_SAMPLE = 8;

export class V2xReceiver {
  private readonly geom: LaneGeometry;
  private readonly pt = new Float64Array(3);
  private readonly timing: MovementTiming = newMovementTiming();
  /** the signal as it will be when the vehicle arrives (RLVW) */
  private readonly later: MovementTiming = newMovementTiming();

  constructor(
    readonly model: V2xModel,
    public veh: V2xVehicles,
    public sh: V2xShared,
    public radio: RadioTick,
    public hazards: AnnouncedHazards,
  ) {
    this.geom = new LaneGeometry(model.net);
    this.index = new GridIndex(Math.max(50, model.channel.decodeRangeM / 2), 1024);
  }

  // ------------------------------------------------------------------ prepare (lane order)

  prepare(c: SimCtx, k0: number, k1: number, part: number): void {
    const s = c.v;
    const veh = this.veh;
    const slots = this.sh.eqSlots;
    const orderAt = this.sh.eqOrder;
    const p = this.pt;
    let m = k0;
    for (let k = k0; k < k1; k++) {
      const i = s.order[k];
      // clear what the applications told the driver last tick; they say it again if it still holds
      s.speedAdvice[i] = Infinity;
      s.accelLimit[i] = Infinity;
      s.v2x[i] = 0;
      if (!(s.flags[i] & F_EQUIPPED)) continue;
      this.geom.point(s.lane[i], s.pos[i], p);
      veh.x[i] = p[0];
      veh.y[i] = p[1];
      veh.heading[i] = p[2];
      slots[m] = i;
      orderAt[m] = k;
      m++;
    }
    const head = this.sh.parts[part].head;
    head[PART_K0] = k0;
    head[PART_FOUND] = m - k0;
  }

  // ------------------------------------------------------------------ schedule (equipped vehicles)

  /** this thread's index of the equipped vehicles' positions, and the tick it was built for */
  private readonly index: GridIndex;
  private indexTick = -1;
  private readonly found = new Int32Array(1 << 16);

  /** Indexes this tick's positions (once per tick in each thread; the main thread packed them). */
  indexed(tick: number): GridIndex {
    if (this.indexTick !== tick) {
      this.index.rebuild(this.sh.nodeX, this.sh.nodeY, this.sh.head[EQ_COUNT]);
      this.indexTick = tick;
    }
    return this.index;
  }

  /** Forgets the index (the positions were rewritten: a new tick, or a restored checkpoint). */
  invalidate(): void {
    this.indexTick = -1;
  }

  schedule(c: SimCtx, q0: number, q1: number, part: number): void {
    const m = this.model;
    const s = c.v;
    const veh = this.veh;
    const sh = this.sh;
    const b = m.spec.bsm;
    const time = c.time;
    const tps = m.ticksPerSecond;
    const index = this.indexed(c.tick);
    const found = this.found;
    for (let q = q0; q < q1; q++) {
      const i = sh.eqSlots[q];
      veh.txOf[i] = -1;
      // congestion control (SAE J2945/1 style) re-counts the neighbours within densityRadius once
      // a second, each vehicle at its own tick: the BSM interval grows with them
      if (b.congestionControl && (s.id[i] + c.tick) % tps === 0) {
        const others = index.queryRadius(sh.nodeX[q], sh.nodeY[q], b.densityRadius, found) - 1;
        veh.bsmInterval[i] = others <= b.densityThreshold ? b.interval : Math.min(b.maxInterval, (b.interval * others) / b.densityThreshold);
      }
      if (veh.bsmNext[i] > time + 1e-9) {
        sh.sends[q] = 0;
        continue;
      }
      veh.bsmNext[i] += Math.max(veh.bsmInterval[i], c.dt);
      if (veh.bsmNext[i] <= time) veh.bsmNext[i] = time + veh.bsmInterval[i];
      veh.msgCnt[i] = (veh.msgCnt[i] + 1) & 127;
      sh.sends[q] = 1;
    }
    // channel busy ratio, once a second: one vehicle in CBR_SAMPLE (a different set each second)
    // counts the transmissions it senses
    if (c.tick % tps === 0) {
      const range = m.channel.decodeRangeM;
      const pick = Math.round(time) % CBR_SAMPLE;
      let nodes = 0;
      let sensed = 0;
      for (let q = q0 + ((pick - (q0 % CBR_SAMPLE) + CBR_SAMPLE) % CBR_SAMPLE); q < q1; q += CBR_SAMPLE) {
        sensed += index.queryRadius(sh.nodeX[q], sh.nodeY[q], range, found) - 1;
        nodes++;
      }
      const head = sh.parts[part].head;
      head[PART_CBR_NODES] = nodes;
      head[PART_CBR_SENSED] = sensed;
    }
  }

  // ------------------------------------------------------------------ receive (equipped vehicles)

  receive(c: SimCtx, q0: number, q1: number, part: number): void {
    const time = c.time;
    this.radio.at(c.tick, time);
    const out = this.sh.parts[part];
    const apps = this.model.spec.apps;
    const slots = this.sh.eqSlots;
    const anyRsu = this.model.R > 0;
    for (let q = q0; q < q1; q++) {
      const i = slots[q];
      if (anyRsu) {
        this.fromRsus(c, i, out.stats);
        this.toRsus(c, i, out.stats);
      }
      if (apps.fcw?.enabled) this.forwardCollision(c, i, q, out.stats);
      if (apps.evw?.enabled) this.emergencyVehicles(c, i, out.stats);
      this.applications(c, i, out);
    }
  }

  /** The packets of the RSUs in range that this driver's applications use. */
  private fromRsus(c: SimCtx, i: number, stats: V2xStats): void {
    const m = this.model;
    const s = c.v;
    const veh = this.veh;
    const sh = this.sh;
    const time = c.time;
    const x = veh.x[i];
    const y = veh.y[i];
    const lane = s.lane[i];
    const from = m.laneRsuStart[lane];
    const to = m.laneRsuStart[lane + 1];
    const R = m.R;
    const conn = s.nextConn[i];
    const node = conn >= 0 ? m.net.connNode[conn] : -1;
    const toLine = c.laneLength[lane] - s.pos[i];
    // by index: where two units write the same field (an RSI), the later one wins
    for (let j = from; j < to; j++) {
      const r = m.laneRsus[j];
      const k = sh.rsuTx[r];
      if (k < 0) continue;
      const dx = x - m.rsuX[r];
      const dy = y - m.rsuY[r];
      const d2 = dx * dx + dy * dy;
      if (!(d2 <= m.rsuRadius[r] * m.rsuRadius[r])) continue;
      // only the drivers whose applications use what this unit says
      const approaching = node >= 0 && m.rsuOfNode[node] === r && toLine <= m.signalReach;
      const needsSignal = approaching && (time - veh.spatTime[i] > SPAT_REFRESH || veh.mapKnown[i * R + r] === 0);
      const sampled = (s.id[i] + c.tick) % m.ticksPerSecond === 0 && d2 <= m.sensorReach[r] * m.sensorReach[r];
      const bundle = sh.rsuBundle[r];
      // the road event this unit announces ahead of the driver (a pure function of the state: once per unit)
      const ahead = (bundle & (1 << MSG_RSI)) !== 0 && (m.rsus[r].events.length > 0 || this.hazards.announces(r)) ? this.eventAhead(c, i, r) : -1;
      if (!(needsSignal || sampled || ahead >= 0)) continue;
      const radio = this.radio;
      const ok = radio.deliver(k, s.id[i], x, y, veh.txOf[i] >= 0 ? radio.txSub[veh.txOf[i]] : -1);
      for (let t = MSG_SPAT; t <= MSG_RSM; t++) if (bundle & (1 << t)) stats.addPair(t, radio.distance, ok, radio.latencyMs);
      if (!ok) continue;
      if (bundle & (1 << MSG_MAP)) veh.mapKnown[i * R + r] = 1;
      if (bundle & (1 << MSG_SPAT) && node >= 0 && m.rsuOfNode[node] === r) veh.spatTime[i] = time;
      if (ahead >= 0) {
        veh.rsiEvent[i] = ahead;
        veh.rsiTime[i] = time;
      }
    }
  }

  /**
   * This vehicle's BSM to the units whose sensors see it (once a second per vehicle, for the
   * statistics), and to the unit serving the adaptive or priority signal it approaches (once a second too:
   * enough to count it, since it spends seconds on the approach).
   */
  private toRsus(c: SimCtx, i: number, stats: V2xStats): void {
    const m = this.model;
    const s = c.v;
    const veh = this.veh;
    const k = veh.txOf[i];
    if (k < 0 || (s.id[i] + c.tick) % m.ticksPerSecond !== 0) return;
    if (m.anyAdaptive) this.toSignalRsu(s.nextConn[i], i, k, stats);
    if (!(m.maxSensorReach > 0)) return;
    const radio = this.radio;
    const lane = s.lane[i];
    const maxReach2 = m.maxSensorReach * m.maxSensorReach;
    for (let j = m.laneRsuStart[lane]; j < m.laneRsuStart[lane + 1]; j++) {
      const r = m.rsus[m.laneRsus[j]];
      const dx = veh.x[i] - r.x;
      const dy = veh.y[i] - r.y;
      const d2 = dx * dx + dy * dy;
      // the unit fuses the BSMs of the vehicles its sensors see with what they see
      if (!(d2 <= maxReach2) || d2 > m.sensorReach[r.index] * m.sensorReach[r.index]) continue;
      const ok = radio.deliver(k, r.radioId, r.x, r.y, this.sh.rsuSub[r.index]);
      stats.addPair(MSG_BSM, radio.distance, ok, radio.latencyMs);
    }
  }

  /**
   * The BSM of vehicle i (transmission k) to the unit serving the adaptive or priority signal of `conn`, its
   * next connection: delivered, the unit has heard it approach (veh.sigHeard, read by the
   * controller in the next signals phase). A link the sensor loop decides too (the same pure
   * draw) enters the statistics there only.
   */
  private toSignalRsu(conn: number, i: number, k: number, stats: V2xStats): void {
    const m = this.model;
    if (conn < 0) return;
    const node = m.net.connNode[conn];
    if (m.adaptiveNode[node] === 0) return;
    const r = m.rsuOfNode[node];
    const dx = this.veh.x[i] - m.rsuX[r];
    const dy = this.veh.y[i] - m.rsuY[r];
    const d2 = dx * dx + dy * dy;
    if (!(d2 <= m.rsuRadius[r] * m.rsuRadius[r])) return;
    const radio = this.radio;
    const ok = radio.deliver(k, m.rsus[r].radioId, m.rsuX[r], m.rsuY[r], this.sh.rsuSub[r]);
    const sensed = d2 <= m.maxSensorReach * m.maxSensorReach && d2 <= m.sensorReach[r] * m.sensorReach[r];
    if (!sensed) stats.addPair(MSG_BSM, radio.distance, ok, radio.latencyMs);
    if (ok) this.veh.sigHeard[i] = conn;
  }

  /** FCW: the BSM of the vehicle ahead on the lane, decided only for a follower closing in below the threshold. */
  private forwardCollision(c: SimCtx, i: number, q: number, stats: V2xStats): void {
    const s = c.v;
    const veh = this.veh;
    const k = this.sh.eqOrder[q];
    if (k + 1 >= c.laneStart[s.lane[i] + 1]) return;
    const L = s.order[k + 1];
    const kt = veh.txOf[L];
    if (kt < 0 || !(s.flags[L] & F_EQUIPPED)) return;
    // what the BSM says (the leader's state as sent): only a follower closing in below the
    // threshold has anything to act on, so only its reception is decided
    const dv = s.speed[i] - s.speed[L];
    if (dv <= 0) return;
    const gap = s.pos[L] - c.tLen[s.type[L]] - s.pos[i];
    if (gap / dv >= this.model.spec.apps.fcw!.ttc) return;
    const radio = this.radio;
    const ok = radio.deliver(kt, s.id[i], veh.x[i], veh.y[i], veh.txOf[i] >= 0 ? radio.txSub[veh.txOf[i]] : -1);
    stats.addPair(MSG_BSM, radio.distance, ok, radio.latencyMs);
    if (ok) veh.fcwTime[i] = c.time;
  }

  /** EVW: the BSMs of emergency vehicles behind this one on its lane, within the application's distance. */
  private emergencyVehicles(c: SimCtx, i: number, stats: V2xStats): void {
    const sh = this.sh;
    const n = sh.head[EV_COUNT];
    if (n === 0) return;
    const s = c.v;
    const veh = this.veh;
    const radio = this.radio;
    const reach = this.model.spec.apps.evw!.distance;
    const lane = s.lane[i];
    for (let a = 0; a < n; a++) {
      const e = sh.eqSlots[sh.evList[a]];
      if (e === i || s.lane[e] !== lane || s.pos[i] <= s.pos[e]) continue;
      const dx = veh.x[i] - veh.x[e];
      const dy = veh.y[i] - veh.y[e];
      if (!(dx * dx + dy * dy <= reach * reach)) continue;
      const ok = radio.deliver(veh.txOf[e], s.id[i], veh.x[i], veh.y[i], veh.txOf[i] >= 0 ? radio.txSub[veh.txOf[i]] : -1);
      stats.addPair(MSG_BSM, radio.distance, ok, radio.latencyMs);
      if (ok) {
        veh.evTime[i] = c.time;
        veh.evLane[i] = lane;
        veh.evId[i] = s.id[e];
      }
    }
  }

  /** The nearest active road event announced by RSU r that lies ahead of vehicle i on its route (this edge or the next), or −1. */
  eventAhead(c: SimCtx, i: number, r: number): number {
    const s = c.v;
    const m = this.model;
    const edge = c.laneEdge[s.lane[i]];
    const ri = s.route[i];
    const idx = s.routeIdx[i];
    const nextEdge = idx + 1 < c.routeLen[ri] ? c.routeEdges[c.routeStart[ri] + idx + 1] : -1;
    let best = -1;
    let bestDist = Infinity;
    const events = m.rsus[r].events;
    for (let q = 0; q < events.length; q++) {
      const ei = events[q];
      const e = m.roadEvents[ei];
      if (!eventActive(e, c.time)) continue;
      const d = distanceAhead(c, i, edge, nextEdge, e.edge, e.start, e.end);
      if (d < bestDist) {
        bestDist = d;
        best = ei;
      }
    }
    // the city events it announces (hazards.ts), numbered after the road events
    const hz = this.hazards;
    for (let q = hz.rsuStart[r]; q < hz.rsuStart[r + 1]; q++) {
      const h = hz.rsuList[q];
      const d = distanceAhead(c, i, edge, nextEdge, hz.edgeOf(h), hz.startOf(h), hz.endOf(h));
      if (d < bestDist) {
        bestDist = d;
        best = m.roadEvents.length + h;
      }
    }
    return best;
  }

  // ------------------------------------------------------------------ applications

  private applications(c: SimCtx, i: number, out: V2xPart): void {
    const m = this.model;
    const s = c.v;
    const veh = this.veh;
    const time = c.time;
    const apps = m.spec.apps;
    const reaction = m.spec.driver.reactionTime;
    const acts = veh.compliant[i] === 1;
    let advice = Infinity;
    let bits = 0;
    let accelLimit = Infinity;

    // FCW: time to collision with the vehicle ahead below the threshold
    if (this.episode(i, A_FCW, time - veh.fcwTime[i] <= FRESH, time, out) && acts && this.sinceOf(i, A_FCW) + reaction <= time)
      if (time - veh.fcwTime[i] <= WARNING_HOLD) accelLimit = 0;

    // signals ahead: GLOSA and RLVW from SPAT (with the MAP of the RSU)
    const conn = s.nextConn[i];
    const node = conn >= 0 ? m.net.connNode[conn] : -1;
    const r = node >= 0 ? m.rsuOfNode[node] : -1;
    const lane = s.lane[i];
    const dist = c.laneLength[lane] - s.pos[i];
    const spatOk =
      r >= 0 &&
      dist <= m.signalReach &&
      time - veh.spatTime[i] <= SPAT_VALID &&
      veh.mapKnown[i * m.R + r] === 1 &&
      movementTiming(m.programs, m.lookup, conn, time, this.timing);
    const v = s.speed[i];
    const t = s.type[i];
    let rlvw = false;
    let glosa = Infinity;
    if (spatOk) {
      const vmax = Math.min(c.laneSpeed[lane] * s.speedFactor[i], c.tVmax[t]);
      if (apps.rlvw?.enabled && v > 0.5) {
        // red on arrival at the current speed, and no comfortable stop left
        // (arriving during yellow is legal: only red counts)
        if ((v * v) / (2 * c.tB[t]) > dist && dist < RLVW_REACH) {
          const arrive = dist / v;
          rlvw = stateAhead(m.programs, m.lookup, conn, time, arrive, this.later) === SIG_RED;
        }
      }
      if (apps.glosa?.enabled && dist <= apps.glosa.range && dist > 5) glosa = this.glosaSpeed(dist, vmax, apps.glosa.minSpeed);
    }
    if (this.episode(i, A_RLVW, rlvw, time, out) && acts && this.sinceOf(i, A_RLVW) + reaction <= time) bits |= V2X_RLVW;
    if (this.episode(i, A_GLOSA, glosa !== Infinity, time, out)) {
      if (!veh.advised[i]) {
        veh.advised[i] = 1;
        out.head[PART_ADVISED]++;
      }
      if (acts && this.sinceOf(i, A_GLOSA) + reaction <= time && glosa < advice) advice = glosa;
    }

    // HLW / SLW: an announced road event ahead
    let hazard = false;
    let zone = false;
    let eventDist = Infinity;
    const e = veh.rsiEvent[i];
    if (e >= 0 && time - veh.rsiTime[i] <= 1 / RSI_RATE + FRESH) {
      // a road event, or a city event (hazards.ts: it blocks, it sets no limit)
      const city = e >= m.roadEvents.length;
      const h = e - m.roadEvents.length;
      const ev = city ? null : m.roadEvents[e];
      const evEdge = ev ? ev.edge : this.hazards.edgeOf(h);
      const evStart = ev ? ev.start : this.hazards.startOf(h);
      const evEnd = ev ? ev.end : this.hazards.endOf(h);
      const edge = c.laneEdge[lane];
      eventDist = evEdge === edge ? evStart - s.pos[i] : dist + evStart;
      if (evEdge === edge && s.pos[i] > evEnd) eventDist = -Infinity;
      if (eventDist > -Infinity && eventDist <= (apps.hlw?.distance ?? 300)) {
        if ((ev === null || ev.blocks) && apps.hlw?.enabled) hazard = true;
        if (ev !== null && ev.limit !== Infinity && apps.slw?.enabled) zone = true;
      }
    }
    if (this.episode(i, A_HLW, hazard, time, out) && acts && this.sinceOf(i, A_HLW) + reaction <= time) {
      bits |= V2X_HAZARD;
      if (apps.hlw!.speed < advice) advice = apps.hlw!.speed;
    }
    if (this.episode(i, A_SLW, zone, time, out) && acts && this.sinceOf(i, A_SLW) + reaction <= time) {
      const limit = m.roadEvents[e].limit * s.speedFactor[i];
      if (limit < advice) advice = limit;
    }

    // EVW: an emergency vehicle behind on this lane
    if (this.episode(i, A_EVW, time - veh.evTime[i] <= FRESH && veh.evLane[i] === lane, time, out) && acts && this.sinceOf(i, A_EVW) + reaction <= time) bits |= V2X_CLEAR;

    s.speedAdvice[i] = advice;
    s.accelLimit[i] = accelLimit;
    s.v2x[i] = bits;
  }

  /**
   * Tracks an application's episode for vehicle i: a warning is counted (and announced, by the
   * main thread from the part's list) when the condition starts to hold, not again while it goes
   * on. Returns the condition.
   */
  private episode(i: number, app: number, holds: boolean, time: number, out: V2xPart): boolean {
    const since = this.veh.since;
    const at = i * APP_COUNT + app;
    if (!holds) {
      since[at] = NaN;
      return false;
    }
    if (Number.isNaN(since[at])) {
      since[at] = time;
      if (app !== A_GLOSA) out.events[out.head[PART_EVENTS]++] = i * 8 + app;
    }
    return true;
  }

  private sinceOf(i: number, app: number): number {
    return this.veh.since[i * APP_COUNT + app];
  }

  /**
   * GLOSA (docs/v2x.md): the speed that reaches the stop line at the start of green, when the
   * green now cannot be made at the driver's speed; Infinity when no advice is needed or none
   * helps (the advice would be below minSpeed: the driver will stop anyway).
   */
  private glosaSpeed(dist: number, vmax: number, minSpeed: number): number {
    const tm = this.timing;
    const green = tm.untilGreen === 0;
    // makes this green: before its earliest end (a controller may end it then)
    if (green && dist / vmax <= tm.untilChange) return Infinity;
    // the next green: its start (when red now) or the one after this green, at its latest (so
    // that the advised speed never brings the vehicle to a red a controller has not ended yet);
    // no advice when that is unbounded, or when the green may be over by then
    const wait = green ? tm.untilGreenAfterMax : tm.untilGreenMax;
    if (!(wait > 0) || !Number.isFinite(wait)) return Infinity;
    if (!green && !(wait < tm.untilGreenEnd)) return Infinity;
    const v = dist / wait;
    if (v >= vmax || v < minSpeed) return Infinity;
    return v;
  }
}

/**
 * How far ahead of vehicle i (on `edge`, `nextEdge` after it) a section [start, end] of
 * `evEdge` begins: on this edge while i has not passed its end, on the next one past this
 * lane's end; Infinity elsewhere (m).
 */
function distanceAhead(c: SimCtx, i: number, edge: number, nextEdge: number, evEdge: number, start: number, end: number): number {
  const x = c.v.pos[i];
  if (evEdge === edge && end > x) return start - x;
  if (evEdge === nextEdge) return c.laneLength[c.v.lane[i]] - x + start;
  return Infinity;
}
