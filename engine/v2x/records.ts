/**
 * The messages of a moment as typed records (messages.ts), built from the world's state exactly
 * as the communicate phase sends them: for events, the viewer, tests and anyone who wants to see
 * what was said. Not used in the hot path (they allocate). They read the host through
 * V2xRecordsHost (host.ts), which the world satisfies.
 */
import { turnNames } from '../road/network.js';
import { LaneGeometry } from '../road/lanegeom.js';
import { eventActive } from '../traffic/roadevents.js';
import { RSM_MAX_PARTICIPANTS, secMark, spatPhase, type Bsm, type MapMessage, type Rsi, type Rsm, type RsmParticipant, type Spat } from './messages.js';
import { sensorSees, type Rsu } from './rsus.js';
import { movementTiming, newMovementTiming, signalLookup, type MovementTiming } from './spat.js';
import type { V2xRecordsHost } from './host.js';

const r3 = (x: number) => Math.round(x * 1000) / 1000;
/** Lane width used for the BSM's size field, m (the scenario's lane width bounds a vehicle's). */
const VEHICLE_WIDTH = { car: 1.8, bus: 2.55, truck: 2.5, van: 1.8, emergency: 2.1 } as const;

function position(w: V2xRecordsHost, slot: number): { x: number; y: number; heading: number } {
  const p = new Float64Array(3);
  new LaneGeometry(w.net).point(w.state.lane[slot], w.state.pos[slot], p);
  return { x: r3(p[0]), y: r3(p[1]), heading: r3(p[2]) };
}

/** The BSM vehicle `slot` sends now. */
export function bsmRecord(w: V2xRecordsHost, slot: number): Bsm {
  const s = w.state;
  const t = s.type[slot];
  const cls = w.types.classes[t];
  const at = position(w, slot);
  return {
    kind: 'bsm',
    msgCnt: w.v2x?.msgCountOf(slot) ?? 0,
    id: s.id[slot],
    secMark: secMark(w.time),
    position: { x: at.x, y: at.y },
    speed: r3(s.speed[slot]),
    heading: at.heading,
    acceleration: r3(s.accel[slot]),
    brakes: s.accel[slot] < -1,
    size: { length: w.types.length[t], width: VEHICLE_WIDTH[cls] },
    vehicleClass: cls,
  };
}

/** The SPAT an RSU sends now: one phase per signalised movement of its intersections. */
export function spatRecords(w: V2xRecordsHost, rsu: Rsu): Spat[] {
  const lookup = signalLookup(w.programs, w.net.connCount);
  const timing: MovementTiming = newMovementTiming();
  return rsu.nodes.map((node) => {
    const phases = [];
    for (let c = 0; c < w.net.connCount; c++) {
      if (w.net.connNode[c] !== node || !movementTiming(w.programs, lookup, c, w.time, timing)) continue;
      phases.push(spatPhase(c, w.time, timing, timing.state));
    }
    return { kind: 'spat' as const, msgCnt: Math.round(w.time * 10) & 127, rsu: rsu.id, intersection: w.net.nodeIds[node], timestamp: w.time, phases };
  });
}

/** The MAP an RSU sends: its intersections with their approach lanes and connections. */
export function mapRecord(w: V2xRecordsHost, rsu: Rsu): MapMessage {
  const net = w.net;
  return {
    kind: 'map',
    msgCnt: Math.round(w.time) & 127,
    rsu: rsu.id,
    intersections: rsu.nodes.map((node) => {
      const lanes = new Map<number, { toLane: string; movement: number; turn: string }[]>();
      for (let c = 0; c < net.connCount; c++) {
        if (net.connNode[c] !== node) continue;
        const from = net.connFromLane[c];
        const list = lanes.get(from) ?? [];
        list.push({ toLane: w.laneName(net.connToLane[c]), movement: c, turn: turnNames[net.connDir[c]] });
        lanes.set(from, list);
      }
      return {
        id: net.nodeIds[node],
        position: { x: net.nodeX[node], y: net.nodeY[node] },
        lanes: [...lanes.entries()].sort((a, b) => a[0] - b[0]).map(([lane, connections]) => ({ lane: w.laneName(lane), connections })),
      };
    }),
  };
}

/** The RSIs an RSU sends now: one per road event in its range that is in force, then one per city event it announces. */
export function rsiRecords(w: V2xRecordsHost, rsu: Rsu): Rsi[] {
  const geom = new LaneGeometry(w.net);
  const p = new Float64Array(3);
  return rsu.events
    .map((e) => w.roadEvents[e])
    .filter((e) => eventActive(e, w.time))
    .map((e): Rsi => {
      geom.point(e.lanes[0], e.start, p);
      return {
        kind: 'rsi',
        msgCnt: Math.round(w.time * 2) & 127,
        rsu: rsu.id,
        alertType: e.kind,
        description: `${e.kind} on ${w.net.edgeIds[e.edge]} from ${e.start} m to ${r3(e.end)} m`,
        position: { x: r3(p[0]), y: r3(p[1]) },
        alertPath: { edge: w.net.edgeIds[e.edge], from: e.start, to: r3(e.end), lanes: e.lanes.map((l) => w.net.laneIndex[l]) },
        alertRadius: r3(e.end - e.start),
        priority: e.blocks ? 5 : 3,
        ...(e.limit !== Infinity ? { speedLimit: e.limit } : {}),
      };
    })
    .concat(cityRsiRecords(w, rsu));
}

/** The RSIs an RSU sends now for the city events it announces (hazards.ts), by event number. */
function cityRsiRecords(w: V2xRecordsHost, rsu: Rsu): Rsi[] {
  const hz = w.v2x?.hazards;
  if (!hz) return [];
  const geom = new LaneGeometry(w.net);
  const p = new Float64Array(3);
  const out: Rsi[] = [];
  for (let q = hz.rsuStart[rsu.index]; q < hz.rsuStart[rsu.index + 1]; q++) {
    const h = hz.rsuList[q];
    const d = hz.described.get(h);
    if (!d) continue;
    const edge = hz.edgeOf(h);
    const from = hz.startOf(h);
    const to = hz.endOf(h);
    geom.point(d.lanes[0], from, p);
    out.push({
      kind: 'rsi',
      msgCnt: Math.round(w.time * 2) & 127,
      rsu: rsu.id,
      alertType: d.kind as Rsi['alertType'],
      description: `${d.kind} ${d.name} on ${w.net.edgeIds[edge]} from ${r3(from)} m to ${r3(to)} m`,
      position: { x: r3(p[0]), y: r3(p[1]) },
      alertPath: { edge: w.net.edgeIds[edge], from: r3(from), to: r3(to), lanes: d.lanes.map((l) => w.net.laneIndex[l]) },
      alertRadius: r3(to - from),
      priority: 5,
    });
  }
  return out;
}

/** The RSM an RSU sends now: the road users its sensors see, nearest first, at most 16. */
export function rsmRecord(w: V2xRecordsHost, rsu: Rsu): Rsm {
  const s = w.state;
  const seen: (RsmParticipant & { d: number })[] = [];
  for (const i of w.activeSlotsById()) {
    const at = position(w, i);
    const dx = at.x - rsu.x;
    const dy = at.y - rsu.y;
    const sensor = rsu.sensors.find((q) => sensorSees(q, dx, dy));
    if (!sensor) continue;
    seen.push({ id: s.id[i], position: { x: at.x, y: at.y }, speed: r3(s.speed[i]), heading: at.heading, vehicleClass: w.types.classes[s.type[i]], source: sensor.kind, d: Math.hypot(dx, dy) });
  }
  seen.sort((a, b) => a.d - b.d || a.id - b.id);
  return {
    kind: 'rsm',
    msgCnt: Math.round(w.time * 10) & 127,
    rsu: rsu.id,
    participants: seen.slice(0, RSM_MAX_PARTICIPANTS).map(({ d: _d, ...p }) => p),
  };
}
