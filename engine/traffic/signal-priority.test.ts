// Signal priority (docs/signals.md, "Priority") on the four-arm test junction with a 60 s fixed
// plan (W–E green 0–26 s, S–N green 30–56 s, each followed by 3 s yellow and 1 s all red): green
// extension, early green, the per-cycle limit, emergency pre-emption and the return to the plan, the
// cross streets' greens within their bounds, no vehicle entering on red under any controller,
// timetables, junctions without an RSU, determinism (threads, checkpoints), metrics and signals.csv.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { F_PASS } from '../core/state.js';
import { InlineRunner } from '../core/runner.js';
import { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { ENGINE_VERSION } from '../core/version.js';
import { parseScenario } from '../io/scenario/index.js';
import { metricsJson } from '../io/run/metrics.js';
import { SignalRows } from '../io/run/signals-csv.js';
import { ParallelRunner } from '../parallel/parallel.js';
import { SIG_RED, SIG_YELLOW, isGo } from '../road/signals.js';
import { World } from '../sim/world.js';
import { movementTiming, newMovementTiming, signalLookup } from '../v2x/spat.js';
import { crossYaml } from './cross.testkit.js';
import { PLAN, RSU, priorityYaml, withPriority } from './signal-priority.testkit.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist', 'engine', 'parallel', 'worker.js'));

function world(yaml: string, runner?: InlineRunner | ParallelRunner): World {
  return new World(parseScenario(yaml, 'cross.yaml').scenario, runner ? { runner } : {});
}

function conn(w: World, from: string, to: string): number {
  const net = w.net;
  const a = net.edgeIndex.get(from)!;
  const b = net.edgeIndex.get(to)!;
  for (let c = 0; c < net.connCount; c++) if (net.connFromEdge[c] === a && net.connToEdge[c] === b) return c;
  throw new Error(`no connection ${from} → ${to}`);
}

interface Crossing {
  id: number;
  type: string;
  time: number;
  state: number;
  minSpeed: number;
}

interface Run {
  w: World;
  /** per tick: its start time and the state of WC→CE and SC→CN */
  times: number[];
  we: number[];
  sn: number[];
  /** every vehicle's crossing of C: when, in what state, its lowest speed over the last 100 m before */
  crossings: Crossing[];
  /** crossings on red by a vehicle that had not committed at yellow */
  redEntries: number;
  /** per tick, the priority mode of C's program */
  modes: string[];
}

/** Runs a world to its end, watching C's movements and every crossing. */
function watch(w: World): Run {
  const we = conn(w, 'WC', 'CE');
  const sn = conn(w, 'SC', 'CN');
  const approach = new Set([w.net.edgeIndex.get('WC')!, w.net.edgeIndex.get('SC')!]);
  const run: Run = { w, times: [], we: [], sn: [], crossings: [], redEntries: 0, modes: [] };
  const before = new Map<number, { lane: number; pass: boolean; minSpeed: number }>();
  const lastState = new Uint8Array(w.net.connCount);
  w.start();
  while (w.tick < w.ticksTotal) {
    const s = w.state;
    const seen = new Map<number, { lane: number; pass: boolean; minSpeed: number }>();
    for (let k = 0; k < w.order.count; k++) {
      const i = s.order[k];
      const prev = before.get(s.id[i]);
      // the lowest speed over the last 100 m before the line
      const near = w.net.laneLength[s.lane[i]] - s.pos[i] < 100 ? s.speed[i] : Infinity;
      seen.set(s.id[i], { lane: s.lane[i], pass: (s.flags[i] & F_PASS) !== 0, minSpeed: Math.min(prev?.minSpeed ?? Infinity, near) });
    }
    lastState.set(w.connState.subarray(0, w.net.connCount));
    const t0 = w.time;
    w.step();
    run.times.push(t0);
    run.we.push(w.connState[we]);
    run.sn.push(w.connState[sn]);
    run.modes.push(w.signalControl.priority.size > 0 ? w.signalControl.priority.mode(0) : 'none');
    for (let k = 0; k < w.order.count; k++) {
      const i = s.order[k];
      const b = seen.get(s.id[i]);
      if (!b || b.lane === s.lane[i] || !approach.has(w.net.laneEdge[b.lane])) continue;
      const c = s.prevConn[i];
      const state = w.connState[c];
      if (state === SIG_RED && !b.pass && lastState[c] !== SIG_YELLOW) run.redEntries++;
      run.crossings.push({ id: s.id[i], type: w.types.names[s.type[i]], time: t0, state, minSpeed: b.minSpeed });
    }
    before.clear();
    for (const [id, v] of seen) before.set(id, v);
  }
  expect(w.totals.redViolations).toBe(0);
  expect(w.totals.collisions).toBe(0);
  return run;
}

/** The greens of one movement: [start, end) of each run of go states. */
function greens(r: Run, states: number[]): [number, number][] {
  const out: [number, number][] = [];
  let from = -1;
  for (let k = 0; k < states.length; k++) {
    const go = isGo(states[k]);
    if (go && from < 0) from = r.times[k];
    if (!go && from >= 0) {
      out.push([from, r.times[k]]);
      from = -1;
    }
  }
  return out;
}

const trip = (type: string, depart: number, from = 'WC', to = 'CE', stops = '') => `  - trips: [ { type: ${type}, depart: ${depart}, from: ${from}, to: ${to}${stops} } ]`;
const approx = (x: number) => Math.round(x * 10) / 10;

describe('bus priority: green extension', () => {
  // a bus leaving W at 9 s reaches the stop line about 2 s after the W–E green ends at 26 s
  const late = trip('bus', 9);

  it('without priority the bus stops at the red; with it the green is held and it passes without stopping', () => {
    const plain = watch(world(priorityYaml(PLAN, late, 120)));
    const bus0 = plain.crossings.find((c) => c.type === 'bus')!;
    expect(bus0.minSpeed).toBeLessThan(0.1);
    expect(bus0.time).toBeGreaterThan(60);

    const prio = watch(world(priorityYaml(withPriority(), late, 120)));
    const bus = prio.crossings.find((c) => c.type === 'bus')!;
    expect(bus.minSpeed).toBeGreaterThan(10);
    expect(bus.state).not.toBe(SIG_RED);
    // the W–E green ran past 26 s, by less than the 10 s extension, and ended soon after the bus crossed
    const [first] = greens(prio, prio.we);
    expect(first[0]).toBe(0);
    expect(first[1]).toBeGreaterThan(26);
    expect(first[1]).toBeLessThanOrEqual(36 + 1e-9);
    expect(first[1]).toBeLessThan(bus.time + 2);
    expect(prio.w.signalControl.priority.totals().granted).toEqual({ extension: 1, earlyGreen: 0, preemption: 0 });
    // the S–N green gave the time back (shortened by as much, not below 5 s) and ended on the plan at 56 s
    const sn = greens(prio, prio.sn)[0];
    expect(approx(sn[1])).toBe(56);
    expect(approx(sn[1] - sn[0])).toBe(approx(26 - (first[1] - 26)));
    // then the plan again: from 60 s every state is the fixed-time one
    const from = plain.times.indexOf(60);
    expect(prio.we.slice(from)).toEqual(plain.we.slice(from));
    expect(prio.sn.slice(from)).toEqual(plain.sn.slice(from));
    expect(prio.w.signalControl.offPlan(0)).toBe(false);
  });

  it('SPAT reads the extended green: its state, and an earliest and latest end that bound the real one', () => {
    const w = world(priorityYaml(withPriority(), trip('bus', 9), 60));
    const we = conn(w, 'WC', 'CE');
    const lookup = signalLookup(w.programs, w.net.connCount);
    const tm = newMovementTiming();
    const seen: { t: number; lo: number; hi: number; likely: number; mode: string }[] = [];
    let end = -1;
    w.start();
    while (w.tick < w.ticksTotal) {
      const t = w.time;
      w.step();
      movementTiming(w.programs, lookup, we, t, tm);
      expect(tm.state).toBe(w.connState[we]);
      if (!isGo(w.connState[we])) {
        if (end < 0) end = t;
        continue;
      }
      seen.push({ t, lo: t + tm.untilChange, hi: t + tm.untilChangeMax, likely: t + tm.untilChangeLikely, mode: w.signalControl.priority.mode(0) });
    }
    expect(end).toBeGreaterThan(26);
    const extended = seen.filter((x) => x.mode === 'extend');
    expect(extended.length).toBeGreaterThan(10);
    for (const x of seen) {
      expect(x.lo).toBeLessThanOrEqual(end + 1e-9);
      expect(x.hi).toBeGreaterThanOrEqual(end - 1e-9);
    }
    // in the last seconds of the extension the likely end is the bus's arrival + 1 s; the green
    // ends sooner, as soon as the bus has crossed (within that second)
    for (const x of extended.filter((x) => x.t >= end - 2)) {
      expect(x.likely).toBeGreaterThanOrEqual(end - 1e-9);
      expect(x.likely).toBeLessThanOrEqual(end + 1 + w.dt + 1e-9);
    }
  });

  it('a bus too late for the longest extension gets none (and waits for its next green)', () => {
    // the green cannot be held 10 s longer than 26 s for a bus that is 14 s late
    const prio = watch(world(priorityYaml(withPriority(), trip('bus', 21), 120)));
    expect(prio.w.signalControl.priority.totals().granted.extension).toBe(0);
    expect(greens(prio, prio.we)[0]).toEqual([0, 26]);
  });
});

describe('bus priority: early green', () => {
  // a bus leaving W at 25 s reaches the line in the S–N green (30–56 s): it would wait to 60 s
  const waiting = trip('bus', 25);

  it('the S–N green is cut by at most earlyGreen, never below its minimum, and the bus crosses sooner', () => {
    const plain = watch(world(priorityYaml(PLAN, waiting, 150)));
    const prio = watch(world(priorityYaml(withPriority(), waiting, 150)));
    const t0 = plain.crossings.find((c) => c.type === 'bus')!.time;
    const t1 = prio.crossings.find((c) => c.type === 'bus')!.time;
    expect(t0).toBeGreaterThan(60);
    expect(t1).toBeLessThan(t0 - 5);
    expect(t1).toBeGreaterThanOrEqual(t0 - 10 - 1);
    const sn = greens(prio, prio.sn)[0];
    expect(sn[0]).toBe(30);
    expect(sn[1] - sn[0]).toBeGreaterThanOrEqual(26 - 10 - 1e-9);
    expect(sn[1] - sn[0]).toBeLessThan(26);
    // the bus's green starts early and ends where the plan ends it (86 s)
    const we = greens(prio, prio.we)[1];
    expect(we[0]).toBeCloseTo(sn[1] + 4, 9);
    expect(approx(we[1])).toBe(86);
    expect(prio.w.signalControl.priority.totals().granted).toEqual({ extension: 0, earlyGreen: 1, preemption: 0 });
  });

  it('minGreen bounds the cut: a request at the start of the S–N green ends it no sooner than minGreen', () => {
    // minGreen 20: the green of 26 s can lose only 6 s
    const prio = watch(world(priorityYaml(withPriority('{ bus: { earlyGreen: 15, minGreen: 20 } }'), trip('bus', 20), 150)));
    const sn = greens(prio, prio.sn)[0];
    expect(prio.w.signalControl.priority.totals().granted.earlyGreen).toBe(1);
    expect(sn[1] - sn[0]).toBeGreaterThanOrEqual(20 - 1e-9);
    expect(sn[1] - sn[0]).toBeLessThan(26);
  });
});

/** Buses every 20 s on both approaches, cars 600 veh/h on each: many requests in every cycle. */
const BUSY = `  - flow: { type: bus, route: [WC, CE], period: 20, begin: 0, end: 1200 }
  - flow: { type: bus, route: [SC, CN], period: 20, begin: 7, end: 1200 }
  - flow: { type: car, route: [WC, CE], period: 6, begin: 0, end: 1200 }
  - flow: { type: car, route: [SC, CN], period: 6, begin: 3, end: 1200 }`;

describe('bus priority: limits', () => {
  it('maxPerCycle: at most one grant per 60 s cycle; every green within [max(minGreen, 26 − 10), 26 + 10]', () => {
    const r = watch(world(priorityYaml(withPriority(), BUSY, 1300)));
    const tot = r.w.signalControl.priority.totals();
    expect(tot.granted.extension + tot.granted.earlyGreen).toBeGreaterThan(5);
    expect(tot.refused).toBeGreaterThan(5);
    const perCycle = new Map<number, number>();
    for (let k = 1; k < r.modes.length; k++)
      if ((r.modes[k] === 'extend' || r.modes[k] === 'early') && r.modes[k - 1] !== r.modes[k]) {
        const cycle = Math.floor(r.times[k] / 60);
        perCycle.set(cycle, (perCycle.get(cycle) ?? 0) + 1);
      }
    expect(Math.max(...perCycle.values())).toBe(1);
    for (const g of [...greens(r, r.we), ...greens(r, r.sn)]) {
      expect(g[1] - g[0]).toBeGreaterThanOrEqual(16 - 1e-9);
      expect(g[1] - g[0]).toBeLessThanOrEqual(36 + 1e-9);
    }
    // the cross streets' loss: never more than one extension or cut in a cycle
    expect(tot.greenCutSeconds).toBeLessThanOrEqual(10 * perCycle.size + 1e-9);
    expect(r.redEntries).toBe(0);
  });

  it('maxPerCycle 0 grants nothing: the fixed-time plan bit for bit', () => {
    const plain = watch(world(priorityYaml(PLAN, BUSY, 400)));
    const none = watch(world(priorityYaml(withPriority('{ bus: { maxPerCycle: 0 } }'), BUSY, 400)));
    expect(none.w.signalControl.priority.totals().requests.bus).toBeGreaterThan(10);
    expect(none.we).toEqual(plain.we);
    expect(none.sn).toEqual(plain.sn);
    expect(none.w.totals.travelTimeSum).toBe(plain.w.totals.travelTimeSum);
  });
});

describe('emergency pre-emption', () => {
  it('the S approach gets its green after the W–E minimum green and the clearance; the plan resumes', () => {
    // the EV is heard 150 m before the line in the W–E green; the W–E green has run its 5 s
    const plain = watch(world(priorityYaml(PLAN, trip('ev', 5, 'SC', 'CN'), 180)));
    const r = watch(world(priorityYaml(withPriority(), trip('ev', 5, 'SC', 'CN'), 180)));
    const ev = r.crossings.find((c) => c.type === 'ev')!;
    expect(isGo(ev.state)).toBe(true);
    expect(ev.minSpeed).toBeGreaterThan(5);
    const grant = r.times[r.modes.indexOf('preempt')];
    const we = greens(r, r.we)[0];
    expect(we[1]).toBeCloseTo(Math.max(grant, 5), 9);
    // yellow 3 s, all red 1 s, then the S–N green
    const sn = greens(r, r.sn)[0];
    expect(sn[0]).toBeCloseTo(we[1] + 4, 9);
    expect(ev.time).toBeGreaterThan(sn[0]);
    expect(r.w.signalControl.priority.totals().granted.preemption).toBe(1);
    // back on the plan within the cycle: from 60 s the fixed-time states
    const from = plain.times.indexOf(60);
    expect(r.we.slice(from)).toEqual(plain.we.slice(from));
    expect(r.sn.slice(from)).toEqual(plain.sn.slice(from));
    expect(r.w.signalControl.offPlan(0)).toBe(false);
  });

  it('the green in force runs its minimum first: an EV heard 1 s into the W–E green gets S–N at 60 + 5 + 4 s', () => {
    // heard at about 61 s: depart so that it is 150 m out then (≈ 11 s of travel from S)
    const r = watch(world(priorityYaml(withPriority(), trip('ev', 50, 'SC', 'CN'), 180)));
    const grant = r.times[r.modes.indexOf('preempt')];
    expect(grant).toBeGreaterThanOrEqual(60);
    expect(grant).toBeLessThan(65);
    const we = greens(r, r.we)[1];
    expect(we[0]).toBe(60);
    expect(we[1]).toBeCloseTo(65, 9);
    const sn = greens(r, r.sn).find((g) => g[0] > 60)!;
    expect(sn[0]).toBeCloseTo(69, 9);
    const ev = r.crossings.find((c) => c.type === 'ev')!;
    expect(isGo(ev.state)).toBe(true);
  });

  it('an EV arriving in its own green keeps it until it has crossed', () => {
    // leaves W at 20 s: at the line about 3 s after the W–E green would have ended
    const r = watch(world(priorityYaml(withPriority(), trip('ev', 14), 120)));
    const ev = r.crossings.find((c) => c.type === 'ev')!;
    const we = greens(r, r.we)[0];
    expect(ev.time).toBeGreaterThan(26);
    expect(isGo(ev.state)).toBe(true);
    expect(we[1]).toBeGreaterThan(ev.time);
    expect(we[1]).toBeLessThan(ev.time + 0.5);
  });
});

describe('priority: no vehicle enters on red under any controller', () => {
  const controllers = [
    withPriority(),
    '{ cycle: 60, controller: { type: actuated }, priority: { bus: {}, emergency: {} } }',
    PLAN,
    '{ cycle: 60, controller: { type: actuated } }',
    '{ cycle: 60, controller: { type: max-pressure } }',
    '{ cycle: 60, controller: { type: adaptive } }',
  ];
  it.each(controllers)('%s', (signal) => {
    const demand = `${BUSY}
  - flow: { type: ev, route: [SC, CN], period: 97, begin: 13, end: 600 }
  - flow: { type: ev, route: [WC, CE], period: 131, begin: 41, end: 600 }`;
    const r = watch(world(priorityYaml(signal, demand, 600)));
    expect(r.crossings.length).toBeGreaterThan(150);
    expect(r.redEntries).toBe(0);
    // no movement ever goes from green to red without its yellow
    for (const states of [r.we, r.sn])
      for (let k = 1; k < states.length; k++) if (states[k] === SIG_RED) expect(isGo(states[k - 1])).toBe(false);
  });
});

describe('priority under the actuated controller', () => {
  const ACTUATED = '{ cycle: 60, yellow: 3, allRed: 1, controller: { type: actuated } }';
  const ACTUATED_PRIORITY = '{ cycle: 60, yellow: 3, allRed: 1, controller: { type: actuated }, priority: { bus: { extension: 10 }, emergency: {} } }';

  it('a bus the green would gap out before is held for, by at most extension, and passes without stopping', () => {
    // alone on the network: the W–E green gaps out at its 5 s minimum; the bus is 150 m out at about 20 s
    const plain = watch(world(priorityYaml(ACTUATED, trip('bus', 9), 120)));
    expect(plain.crossings.find((c) => c.type === 'bus')!.minSpeed).toBeLessThan(1);
    const r = watch(world(priorityYaml(ACTUATED_PRIORITY, trip('bus', 9), 120)));
    const bus = r.crossings.find((c) => c.type === 'bus')!;
    expect(bus.minSpeed).toBeGreaterThan(8);
    expect(isGo(bus.state)).toBe(true);
    expect(r.w.signalControl.priority.totals().granted.extension).toBe(1);
    const held = greens(r, r.we).find((g) => g[0] <= bus.time && g[1] > bus.time)!;
    // its minimum is 5 s; held to the bus, not more than 5 + 10 s; after the bus crossed the green
    // runs by its own rule (the bus left its loop: it gaps out maxGap = 3 s later)
    expect(held[1] - held[0]).toBeGreaterThan(5);
    expect(held[1] - held[0]).toBeLessThanOrEqual(15 + r.w.dt + 1e-9); // (the actuated controller decides at ticks)
    expect(held[1]).toBeLessThan(bus.time + 3 + 1);
  });

  it('an emergency vehicle gets its green after the minimum and the clearance and crosses on it', () => {
    const r = watch(world(priorityYaml(ACTUATED_PRIORITY, `${trip('ev', 5, 'SC', 'CN')}
  - flow: { type: car, route: [WC, CE], period: 2.5, begin: 0, end: 120 }`, 120)));
    const ev = r.crossings.find((c) => c.type === 'ev')!;
    expect(isGo(ev.state)).toBe(true);
    expect(ev.minSpeed).toBeGreaterThan(5);
    expect(r.w.signalControl.priority.totals().granted.preemption).toBe(1);
    // the W–E green, busy with cars, would have run to its 50 s maximum: it ended soon after the request
    const grant = r.times[r.modes.indexOf('preempt')];
    const we = greens(r, r.we).find((g) => g[1] >= grant)!;
    expect(we[1]).toBeLessThanOrEqual(Math.max(grant, we[0] + 5) + 0.1 + 1e-9);
  });
});

describe('priority: who asks', () => {
  it('a bus ahead of its timetable does not ask; one behind it, or without one, does', () => {
    const stop = (until: number) => `, stops: [ { edge: CE, pos: 200, duration: 5, until: ${until} } ]`;
    const asks = (stops: string) => watch(world(priorityYaml(withPriority(), trip('bus', 9, 'WC', 'CE', stops), 120))).w.signalControl.priority.totals();
    expect(asks(stop(500)).requests.bus).toBe(0);
    expect(asks(stop(500)).granted.extension).toBe(0);
    expect(asks(stop(20)).requests.bus).toBe(1);
    expect(asks(stop(20)).granted.extension).toBe(1);
    expect(asks('').requests.bus).toBe(1);
  });

  it('without an RSU at the junction nothing is heard and nothing granted: the fixed-time plan', () => {
    const plain = watch(world(priorityYaml(PLAN, trip('bus', 9), 120, '')));
    const deaf = watch(world(priorityYaml(withPriority(), trip('bus', 9), 120, '')));
    expect(deaf.w.signalControl.priority.totals().requests.bus).toBe(0);
    expect(deaf.we).toEqual(plain.we);
    expect(deaf.w.totals.travelTimeSum).toBe(plain.w.totals.travelTimeSum);
  });

  it('an unequipped bus is not heard', () => {
    const deaf = RSU.replace('penetrationByType: { bus: 1, ev: 1 }', 'penetrationByType: { bus: 0, ev: 1 }');
    expect(watch(world(priorityYaml(withPriority(), trip('bus', 9), 120, deaf))).w.signalControl.priority.totals().requests.bus).toBe(0);
  });
});

describe('priority: determinism, outputs and input', () => {
  const demand = `${BUSY}
  - flow: { type: ev, route: [SC, CN], period: 97, begin: 13, end: 600 }`;

  it('checkpoint at 250 s and resume: the same bits as the run that never stopped', () => {
    const yaml = priorityYaml(withPriority(), demand, 600);
    const whole = world(yaml);
    whole.start();
    whole.run(250);
    const sw = new SnapshotWriter();
    whole.snapshot(sw);
    const bytes = sw.toBuffer({ engineVersion: ENGINE_VERSION, scenarioHash: 'test', seed: whole.seed, tick: whole.tick, time: whole.time });
    whole.run();
    const resumed = world(yaml);
    const reader = new SnapshotReader(bytes);
    resumed.restore(reader);
    expect(reader.done).toBe(true);
    resumed.run();
    expect(resumed.stateHash()).toBe(whole.stateHash());
    expect(resumed.signalControl.priority.totals()).toEqual(whole.signalControl.priority.totals());
    expect(whole.signalControl.priority.totals().granted.preemption).toBeGreaterThan(0);
  });

  it.skipIf(!built)('1 and 2 threads: the same state hash', async () => {
    const yaml = priorityYaml(withPriority(), demand, 400);
    const one = world(yaml, new InlineRunner(1));
    one.run();
    const runner = await ParallelRunner.start(2, { inlineBelow: 0 });
    try {
      const two = world(yaml, runner);
      two.run();
      expect(two.stateHash()).toBe(one.stateHash());
      expect(two.signalControl.priority.totals()).toEqual(one.signalControl.priority.totals());
    } finally {
      await runner.close();
    }
  }, 60_000);

  it('metrics.json has the priority block with its units; signals.csv marks the switches priority moved', () => {
    const w = world(priorityYaml(withPriority(), trip('bus', 9), 120));
    const rows = new SignalRows(w);
    const lines: string[] = [];
    w.start();
    while (w.tick < w.ticksTotal) {
      const t = w.time;
      w.step();
      rows.changes(t, (l) => lines.push(l));
    }
    const m = metricsJson(w, { wallSeconds: 1 }, { count: 1, waitingSum: 0, haltsSum: 0 }) as Record<string, unknown>;
    expect(m.priority).toEqual({
      junctions: 1,
      requests: { bus: 1, emergency: 0 },
      granted: { extension: 1, earlyGreen: 0, preemption: 0 },
      refused: 0,
      greenCutSeconds: expect.any(Number),
      greenAddedSeconds: expect.any(Number),
    });
    const units = m.units as Record<string, string>;
    expect(units['priority.requests.bus']).toBe('count');
    expect(units['priority.greenCutSeconds']).toBe('s');
    // the yellow after the extended green, and the S–N green it delayed, came from the request
    const moved = lines.filter((l) => l.split(',')[2] === 'priority');
    expect(moved.length).toBeGreaterThanOrEqual(2);
    expect(Number(moved[0].split(',')[0])).toBeGreaterThan(26);
    expect(lines.filter((l) => Number(l.split(',')[0]) >= 60).every((l) => l.split(',')[2] === '0')).toBe(true);
  });

  it('bad priority blocks: an error at FILE:LINE:COL naming the field', () => {
    const bad = (signal: string) => () => parseScenario(crossYaml(signal, trip('car', 0), '', 60), 'cross.yaml');
    expect(bad('{ cycle: 60, controller: { type: max-pressure }, priority: { bus: {} } }')).toThrow(
      /cross\.yaml:\d+:\d+: .*priority.*fixed-time and actuated controllers only, not with controller max-pressure/,
    );
    expect(bad('{ cycle: 60, priority: {} }')).toThrow(/cross\.yaml:\d+:\d+: .*priority: give bus or emergency/);
    expect(bad('{ cycle: 60, priority: { bus: { extension: -1 } } }')).toThrow(/cross\.yaml:\d+:\d+: .*extension/);
    expect(bad('{ cycle: 60, priority: { bus: { maxPerCycle: 1.5 } } }')).toThrow(/cross\.yaml:\d+:\d+: .*maxPerCycle/);
    expect(bad('{ cycle: 60, priority: { tram: {} } }')).toThrow(/cross\.yaml:\d+:\d+: .*tram/);
  });
});
