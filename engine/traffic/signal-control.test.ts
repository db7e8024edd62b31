// Signal controllers that react to traffic (docs/signals.md), against hand-worked cases: an
// actuated green maxes out under steady demand and stays at its minimum on an empty approach,
// cycles at the minimum greens without any vehicle, gaps out maxGap after the last vehicle left
// its loop; max-pressure serves the longer queue; both give the same bits on 1 and 2 threads and
// after a checkpoint.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { crossYaml } from './cross.testkit.js';
import { InlineRunner } from '../core/runner.js';
import { ParallelRunner } from '../parallel/parallel.js';
import { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { ENGINE_VERSION } from '../core/version.js';
import { CTRL_ACTUATED, CTRL_MAX_PRESSURE, SIG_GREEN, SIG_GREEN_YIELD, SIG_RED, isGo } from '../road/signals.js';
import { movementTiming, newMovementTiming, signalLookup, stateAhead } from '../v2x/spat.js';
import { spatPhase } from '../v2x/messages.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist', 'engine', 'parallel', 'worker.js'));

/** The four-arm test junction (cross.testkit.ts), 600 s. */
function cross(signal: string, demand: string, extra = ''): string {
  return crossYaml(signal, demand, extra, 600);
}

const ACTUATED = '{ cycle: 60, yellow: 3, allRed: 1, controller: { type: actuated, minGreen: 5, maxGreen: 30 } }';

function world(yaml: string, runner?: InlineRunner | ParallelRunner): World {
  return new World(parseScenario(yaml, 'cross.yaml').scenario, runner ? { runner } : {});
}

/** The connection from edge `from` to edge `to`. */
function conn(w: World, from: string, to: string): number {
  const net = w.net;
  const a = net.edgeIndex.get(from)!;
  const b = net.edgeIndex.get(to)!;
  for (let c = 0; c < net.connCount; c++) if (net.connFromEdge[c] === a && net.connToEdge[c] === b) return c;
  throw new Error(`no connection ${from} → ${to}`);
}

/** Runs the world and returns, for connection c, each green as [start, end] (times of the ticks that showed it). */
function greens(w: World, c: number, until = w.scenario.duration): [number, number][] {
  const out: [number, number][] = [];
  let since = -1;
  w.start();
  while (w.time < until - 1e-9) {
    const t = w.time;
    w.step(); // the signals phase wrote the states this tick ran with
    const go = isGo(w.connState[c]);
    if (go && since < 0) since = t;
    if (!go && since >= 0) {
      out.push([since, t]);
      since = -1;
    }
  }
  return out;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

describe('actuated signal (gap-based, as SUMO type="actuated")', () => {
  it('demand on one approach only: that approach gets maxGreen, the empty one minGreen', () => {
    // W → E every 2 s: 1,800 veh/h, more than a 30 s green in a 48 s cycle can serve, so the
    // loop always sees a vehicle within 3 s; nobody comes from S.
    const w = world(cross(ACTUATED, '  - flow: { type: car, route: [WC, CE], period: 2, begin: 0, end: 600 }'));
    expect(w.programs[0].kind).toBe(CTRL_ACTUATED);
    const we = conn(w, 'WC', 'CE');
    const sn = conn(w, 'SC', 'CN');
    const both: [number, number][][] = [[], []];
    let since = [-1, -1];
    w.start();
    while (w.time < 600 - 1e-9) {
      const t = w.time;
      w.step();
      [we, sn].forEach((c, i) => {
        const go = isGo(w.connState[c]);
        if (go && since[i] < 0) since[i] = t;
        if (!go && since[i] >= 0) {
          both[i].push([since[i], t]);
          since[i] = -1;
        }
      });
    }
    // after the first cycle (its green starts before the queue has formed)
    const weLen = both[0].slice(1).map(([a, b]) => r1(b - a));
    const snLen = both[1].map(([a, b]) => r1(b - a));
    expect(weLen.length).toBeGreaterThan(8);
    expect(new Set(weLen)).toEqual(new Set([30]));
    expect(new Set(snLen)).toEqual(new Set([5]));
    // so the cycle is 30 + 3 + 1 + 5 + 3 + 1 = 43 s
    const starts = both[0].map(([a]) => a);
    for (let i = 2; i < starts.length; i++) expect(r1(starts[i] - starts[i - 1])).toBe(43);
    expect(w.totals.redViolations).toBe(0);
    expect(w.totals.collisions).toBe(0);
  });

  it('no vehicle at all: every green lasts minGreen, a cycle of 2 × (5 + 3 + 1) = 18 s', () => {
    const w = world(cross(ACTUATED, '  - trips: [ { type: car, depart: 599, from: SC, to: CN } ]'));
    const g = greens(w, conn(w, 'WC', 'CE'), 300);
    expect(g.length).toBeGreaterThan(10);
    for (const [a, b] of g) expect(r1(b - a)).toBe(5);
    for (let i = 1; i < g.length; i++) expect(r1(g[i][0] - g[i - 1][0])).toBe(18);
    const h = greens(world(cross(ACTUATED, '  - trips: [ { type: car, depart: 599, from: SC, to: CN } ]')), conn(w, 'SC', 'CN'), 300);
    for (const [a, b] of h) expect(r1(b - a)).toBe(5);
    // the fixed-time plan of the same node runs its 60 s cycle instead
    const fixed = world(cross('{ cycle: 60, yellow: 3, allRed: 1 }', '  - trips: [ { type: car, depart: 599, from: SC, to: CN } ]'));
    const gf = greens(fixed, conn(fixed, 'WC', 'CE'), 300);
    for (let i = 1; i < gf.length; i++) expect(r1(gf[i][0] - gf[i - 1][0])).toBe(60);
  });

  it('places each loop min(detectorGap × speed, (minDur / passingTime + 0.5) × 7.5 m) before the stop line', () => {
    const w = world(cross(ACTUATED, '  - trips: [ { type: car, depart: 599, from: SC, to: CN } ]'));
    const loops = w.signalControl.loops;
    expect(loops).toHaveLength(2);
    // min(2 × 13.89 = 27.78, (5 / 1.9 + 0.5) × 7.5 = 23.487) = 23.487 m
    for (const l of loops) expect(w.net.laneLength[l.lane] - l.pos).toBeCloseTo((5 / 1.9 + 0.5) * 7.5, 9);
    const slow = world(cross('{ cycle: 60, controller: { type: actuated, minGreen: 20 } }', '  - trips: [ { type: car, depart: 599, from: SC, to: CN } ]'));
    // minGreen 20: (20 / 1.9 + 0.5) × 7.5 = 82.7 m, so the lane speed decides: 2 × 13.89 = 27.78 m
    for (const l of slow.signalControl.loops) expect(slow.net.laneLength[l.lane] - l.pos).toBeCloseTo(27.78, 9);
  });

  it("each phase's loops are on lanes it lets go (the S approach listed first, W with two lanes)", () => {
    const yaml = cross(ACTUATED, '  - trips: [ { type: car, depart: 599, from: SC, to: CN } ]')
      .replace('    - { id: WC, from: W, to: C, lanes: 1, speedLimit: 13.89 }\n', '')
      .replace('  edges:\n', '  edges:\n    - { id: SC0, from: S, to: C, lanes: 1, speedLimit: 13.89 }\n    - { id: WC, from: W, to: C, lanes: 2, speedLimit: 13.89 }\n')
      .replace('    - { id: SC, from: S, to: C, lanes: 1, speedLimit: 13.89 }\n', '')
      .replace('from: SC, to: CN', 'from: SC0, to: CN');
    const w = world(yaml);
    const p = w.programs[0];
    const n = p.conns.length;
    const loops = w.signalControl.loops;
    expect(loops).toHaveLength(3);
    let checked = 0;
    for (let k = 0; k < p.starts.length; k++) {
      const mine = w.signalControl.loopsOf(0, k);
      if (p.minDur[k] < p.maxDur[k]) expect(mine.length).toBeGreaterThan(0);
      for (const d of mine) {
        const cols = [...Array(n).keys()].filter((col) => w.net.connFromLane[p.conns[col]] === loops[d].lane);
        expect(cols.length).toBeGreaterThan(0);
        for (const col of cols) expect(isGo(p.states[k * n + col])).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(3);
  });

  it('gap-out: the green ends at the first tick maxGap (3 s) after the last vehicle left the loop', () => {
    // two cars on W, 4.5 s apart (a gap of 4.5 − 5 / 13.89 = 4.14 s at the loop, more than 3 s):
    // the first one's leaving ends the green; then two cars 2 s apart (1.64 s): both pass in one green
    for (const [spacing, extends_] of [
      [4.5, false],
      [2, true],
    ] as const) {
      const demand = `  - trips: [ { type: car, depart: 0, from: WC, to: CE, departPos: 250 }, { type: car, depart: ${spacing}, from: WC, to: CE, departPos: 250 } ]`;
      const w = world(cross('{ cycle: 60, controller: { type: actuated, minGreen: 5, maxGreen: 40 } }', demand));
      const we = conn(w, 'WC', 'CE');
      const loops = w.signalControl.loops;
      const loop = loops.find((l) => w.net.laneEdge[l.lane] === w.net.edgeIndex.get('WC'))!;
      const s = w.state;
      const leaves: number[] = [];
      let end = -1;
      w.start();
      while (w.time < 60 && end < 0) {
        const rear = new Map<number, number>();
        for (const i of w.vehicles()) if (s.lane[i] === loop.lane) rear.set(s.id[i], s.pos[i] - 5);
        const t = w.time;
        w.step();
        if (!isGo(w.connState[we])) end = t;
        for (const i of w.vehicles()) {
          const before = rear.get(s.id[i]);
          const now = s.lane[i] === loop.lane ? s.pos[i] - 5 : Infinity;
          // the rear crossed the loop during this tick (linear within it)
          if (before !== undefined && before <= loop.pos && now > loop.pos) leaves.push(w.time - (w.dt * (now - loop.pos)) / (now - before));
        }
      }
      // both cars leave the loop once (the first near t = 2.8 s: inserted at 250 m at 9.5 m/s, speeding up)
      expect(leaves.length).toBe(extends_ ? 2 : 1);
      expect(leaves[0]).toBeGreaterThan(2.5);
      expect(leaves[0]).toBeLessThan(3.2);
      // the controller's loop saw the same leaving time
      expect(w.signalControl.loopLast[loops.indexOf(loop)]).toBeCloseTo(leaves[leaves.length - 1], 9);
      const last = leaves[leaves.length - 1];
      // the first tick at which 3 s have gone by since `last` (and not before minGreen = 5 s)
      const want = Math.ceil((last + 3) * 10 - 1e-6) / 10;
      expect(end).toBeCloseTo(Math.max(5, want), 6);
    }
  });
});

describe('max-pressure signal (Varaiya 2013)', () => {
  it('keeps the green while its queue is the longer one, and changes at the decision point where it no longer is', () => {
    // 5 cars standing on W at 50 … 82 m (the W–E stage is green first), 3 standing on S at 60 … 76 m
    // (red): pressure W–E = 5 − 0 > S–N = 3 − 0 at t = 5, 10, 15 while no W car has crossed; the
    // stage changes at the first decision point (every 5 s) where S–N's pressure is the larger
    const standing = (from: string, to: string, n: number, at: number) =>
      `  - trips: [ ${Array.from({ length: n }, (_, i) => `{ type: car, depart: 0, from: ${from}, to: ${to}, departPos: ${at + 8 * i}, departSpeed: 0 }`).join(', ')} ]`;
    const w = world(cross('{ cycle: 60, controller: { type: max-pressure, minGreen: 5, period: 5 } }', `${standing('WC', 'CE', 5, 50)}\n${standing('SC', 'CN', 3, 60)}`));
    const p = w.programs[0];
    expect(p.kind).toBe(CTRL_MAX_PRESSURE);
    expect(p.stages).toBe(2);
    const we = conn(w, 'WC', 'CE');
    const sn = conn(w, 'SC', 'CN');
    // stage 0 is W–E (the reference axis), stage 1 S–N
    expect(p.states[p.conns.indexOf(we)]).toBe(SIG_GREEN);
    expect(p.states[p.conns.length + p.conns.indexOf(sn)]).toBe(SIG_GREEN);
    const s = w.state;
    const count = (edge: string, bound?: number) => {
      const lane = w.net.edgeFirstLane[w.net.edgeIndex.get(edge)!];
      let n = 0;
      for (const i of w.vehicles()) if (s.lane[i] === lane && (bound === undefined || s.nextConn[i] === bound)) n++;
      return n;
    };
    const decisions: { t: number; pw: number; ps: number; green: boolean }[] = [];
    w.start();
    while (w.time < 60) {
      const t = w.time;
      const decide = t >= 5 - 1e-9 && Math.abs(t / 5 - Math.round(t / 5)) < 1e-9 && isGo(w.connState[we]);
      const pw = count('WC', we) - count('CE');
      const ps = count('SC', sn) - count('CN');
      w.step();
      if (decide) decisions.push({ t: r1(t), pw, ps, green: isGo(w.connState[we]) });
      if (decide && !isGo(w.connState[we])) break;
    }
    // hand: 5 − 0 against 3 − 0 at 5, 10 and 15 s
    expect(decisions.slice(0, 3)).toEqual([5, 10, 15].map((t) => ({ t, pw: 5, ps: 3, green: true })));
    // every decision kept the green exactly while pw ≥ ps, and the last one changed it
    for (const d of decisions) expect(d.green).toBe(d.pw >= d.ps);
    expect(decisions[decisions.length - 1].green).toBe(false);
  });

  it('a hand-built decision: the S stage (4 cars bound for its exit) beats W (2 cars), CE holding 0', () => {
    // start in the W–E stage with 2 cars on W and 4 on S, all standing: at the first decision
    // point (minGreen 5 s) pressure W–E = 2 − 0 (or fewer once they left), S–N = 4 − 0 → S–N
    const demand = `  - trips: [ ${Array.from({ length: 4 }, (_, i) => `{ type: car, depart: 0, from: SC, to: CN, departPos: ${280 - 8 * i}, departSpeed: 0 }`).join(', ')} ]
  - trips: [ ${Array.from({ length: 2 }, (_, i) => `{ type: car, depart: 0, from: WC, to: CE, departPos: ${280 - 8 * i}, departSpeed: 0 }`).join(', ')} ]`;
    const w = world(cross('{ cycle: 60, yellow: 3, allRed: 1, controller: { type: max-pressure, minGreen: 5, period: 5 } }', demand));
    const we = conn(w, 'WC', 'CE');
    const sn = conn(w, 'SC', 'CN');
    let firstS = -1;
    let lastW = -1;
    w.start();
    while (w.time < 30 && firstS < 0) {
      const t = w.time;
      w.step();
      if (w.connState[we] === SIG_GREEN || w.connState[we] === SIG_GREEN_YIELD) lastW = t;
      if (isGo(w.connState[sn])) firstS = t;
    }
    // W–E green 0 … 5 s, yellow 5 … 8, all red 8 … 9, S–N green from 9 s
    expect(r1(lastW)).toBe(4.9);
    expect(r1(firstS)).toBe(9);
  });
});

describe('SPAT from a controller: earliest, latest and likely times', () => {
  const empty = '  - trips: [ { type: car, depart: 599, from: SC, to: CN } ]';

  it('actuated, no vehicle, 2 s into the W–E green (minGreen 5, maxGreen 30, yellow 3, all red 1)', () => {
    const w = world(cross(ACTUATED, empty));
    w.run(2);
    const lookup = signalLookup(w.programs, w.net.connCount);
    const tm = newMovementTiming();
    // W → E: green; ends at the earliest in 5 − 2 = 3 s, at the latest in 30 − 2 = 28 s, likely
    // in 3 s (nobody on its loop); its next green after S–N's: 3 + 4 + 5 + 4 = 16 … 28 + 4 + 30 + 4 = 66 s
    expect(movementTiming(w.programs, lookup, conn(w, 'WC', 'CE'), w.time, tm)).toBe(true);
    expect(tm.state).toBe(SIG_GREEN);
    expect([tm.untilChange, tm.untilChangeMax, tm.untilChangeLikely].map(r1)).toEqual([3, 28, 3]);
    expect([tm.untilGreenEnd, tm.untilGreenEndMax].map(r1)).toEqual([3, 28]);
    expect([tm.untilGreenAfter, tm.untilGreenAfterMax].map(r1)).toEqual([16, 66]);
    const phase = spatPhase(conn(w, 'WC', 'CE'), w.time, tm, tm.state);
    expect([phase.minEndTime, phase.maxEndTime, phase.likelyEndTime].map((x) => r1(x!))).toEqual([5, 30, 5]);
    // S → N: red; green from 3 + 4 = 7 … 28 + 4 = 32 s, for 5 … 30 s
    movementTiming(w.programs, lookup, conn(w, 'SC', 'CN'), w.time, tm);
    expect(tm.state).toBe(SIG_RED);
    expect([tm.untilGreen, tm.untilGreenMax].map(r1)).toEqual([7, 32]);
    expect([tm.untilGreenEnd, tm.untilGreenEndMax].map(r1)).toEqual([12, 62]);
    // the earliest red for W → E (red-light warning): 3 s green, 3 s yellow, then red
    expect(stateAhead(w.programs, lookup, conn(w, 'WC', 'CE'), w.time, 2.5, tm)).toBe(SIG_GREEN);
    expect(stateAhead(w.programs, lookup, conn(w, 'WC', 'CE'), w.time, 6.5, tm)).toBe(SIG_RED);
  });

  it('max-pressure, 2 s into a stage (minGreen 5, no maxGreen): the latest end is unbounded', () => {
    const w = world(cross('{ cycle: 60, yellow: 3, allRed: 1, controller: { type: max-pressure } }', empty));
    w.run(2);
    const lookup = signalLookup(w.programs, w.net.connCount);
    const tm = newMovementTiming();
    movementTiming(w.programs, lookup, conn(w, 'WC', 'CE'), w.time, tm);
    expect(tm.state).toBe(SIG_GREEN);
    expect(r1(tm.untilChange)).toBe(3);
    expect(tm.untilChangeMax).toBe(Infinity);
    expect(spatPhase(0, w.time, tm, tm.state).maxEndTime).toBeNull();
    movementTiming(w.programs, lookup, conn(w, 'SC', 'CN'), w.time, tm);
    expect(tm.state).toBe(SIG_RED);
    expect(r1(tm.untilGreen)).toBe(7);
    expect(tm.untilGreenMax).toBe(Infinity);
  });
});

describe('reacting signals: determinism', () => {
  const busy = (signal: string) =>
    cross(
      signal,
      `  - flow: { type: car, route: [WC, CE], period: 3.1, begin: 0, end: 600 }
  - flow: { type: car, route: [SC, CN], period: 7.3, begin: 0, end: 600 }`,
      '',
    );

  it('checkpoint at 200 s and resume: the same bits as the run that never stopped', () => {
    for (const sig of [ACTUATED, '{ cycle: 60, controller: { type: max-pressure } }']) {
      const yaml = busy(sig);
      const whole = world(yaml);
      whole.start();
      whole.run(200);
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
      expect(resumed.totals.arrived).toBe(whole.totals.arrived);
    }
  });

  // with V2X on: the worker threads' GLOSA and red-light warnings read the controllers' state
  const v2x = `
v2x:
  penetration: 1
  channel: { model: unitDisk, range: 400, loss: 0.02, delayMin: 2, delayExpected: 10 }
  rsus: [ { id: rsu, node: C, intersections: [C] } ]
  apps: { glosa: { range: 300, minSpeed: 5 }, rlvw: {} }
  driver: { reactionTime: 1, compliance: 1 }
`;

  it.skipIf(!built)('1 and 2 threads, V2X on: the same state hash', async () => {
    for (const sig of [ACTUATED, '{ cycle: 60, controller: { type: max-pressure } }']) {
      const yaml = busy(sig).replace('duration: 600', 'duration: 150') + v2x;
      const one = world(yaml, new InlineRunner(1));
      one.run();
      const runner = await ParallelRunner.start(2, { inlineBelow: 0 });
      try {
        const two = world(yaml, runner);
        two.run();
        expect(two.stateHash()).toBe(one.stateHash());
      } finally {
        await runner.close();
      }
    }
  }, 60_000);
});
