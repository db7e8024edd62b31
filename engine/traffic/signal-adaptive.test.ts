// The adaptive signal controller (docs/signals.md, "Adaptive"), against hand-worked cases:
// Webster's settings on numbers worked by hand; with nobody equipped and no camera it is the
// fixed-time plan bit for bit; with every vehicle equipped (or a camera) and unbalanced demand the
// busier stage gets the longer green and the mean travel time falls; its SPAT end times are the
// ones the signal then keeps; checkpoints, threads and bad parameters.
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
import { CTRL_ADAPTIVE, LIVE_INTERVAL, LIVE_START, isGo } from '../road/signals.js';
import { movementTiming, newMovementTiming, signalLookup } from '../v2x/spat.js';
import { websterSplits } from './signal-adaptive.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist', 'engine', 'parallel', 'worker.js'));

/** The four-arm test junction (cross.testkit.ts), 900 s unless told. */
function cross(signal: string, demand: string, extra = '', duration = 900): string {
  return crossYaml(signal, demand, extra, duration);
}

/** 720 veh/h W → E and 180 veh/h S → N for 600 s: the flow ratios 0.4 and 0.1 at 1,800 veh/h. */
const UNBALANCED = `  - flow: { type: car, route: [WC, CE], period: 5, begin: 0, end: 600 }
  - flow: { type: car, route: [SC, CN], period: 20, begin: 0, end: 600 }`;
const FIXED = '{ cycle: 60, yellow: 3, allRed: 1 }';
const ADAPTIVE = '{ cycle: 60, yellow: 3, allRed: 1, controller: { type: adaptive } }';
const v2x = (penetration: number) => `
v2x:
  penetration: ${penetration}
  channel: { model: unitDisk, range: 500, loss: 0, delayMin: 2, delayExpected: 10 }
  rsus: [ { id: rsu, node: C, intersections: [C] } ]
`;
/** A dome camera on a 10 m mast at C that sees 60 m of every approach (range 61 m slant). */
const CAMERA = `
perception:
  cameras: [ { id: cam, x: 0, y: 0, height: 10, range: 61 } ]
`;

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

/** Runs to the end; the mean travel time of the arrived vehicles, s (all routes are 600 m long). */
function meanTravel(w: World): number {
  w.run();
  expect(w.totals.arrived).toBe(w.totals.inserted);
  expect(w.totals.redViolations).toBe(0);
  expect(w.totals.collisions).toBe(0);
  return w.totals.travelTimeSum / w.totals.arrived;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

describe("Webster's settings (Road Research Technical Paper 39)", () => {
  it('y = 1/3 and 1/6, L = 8 s: C0 = (1.5 × 8 + 5)/(1 − 1/2) = 34 s, greens 26 × 2/3 and 26 × 1/3', () => {
    const { cycle, greens } = websterSplits([1 / 3, 1 / 6], 8, 30, 120, 5);
    expect(cycle).toBeCloseTo(34, 12);
    expect(greens[0]).toBeCloseTo(52 / 3, 12);
    expect(greens[1]).toBeCloseTo(26 / 3, 12);
  });

  it('the bounds: minCycle, maxCycle (also when Y ≥ 1), minGreen held and the rest shared in proportion', () => {
    // Y = 0.1: C0 = 17 / 0.9 = 18.9 s, raised to minCycle 30: greens 11 and 11
    expect(websterSplits([0.05, 0.05], 8, 30, 120, 5)).toEqual({ cycle: 30, greens: [11, 11] });
    // Y = 0.95: C0 = 17 / 0.05 = 340 s, cut to maxCycle 120: greens 112 × 0.6/0.95 and 112 × 0.35/0.95
    const hi = websterSplits([0.6, 0.35], 8, 30, 120, 5);
    expect(hi.cycle).toBe(120);
    expect(hi.greens.map(r3)).toEqual([r3((112 * 0.6) / 0.95), r3((112 * 0.35) / 0.95)]);
    // Y ≥ 1: no finite optimum, the longest cycle
    expect(websterSplits([0.7, 0.5], 8, 30, 120, 5).cycle).toBe(120);
    // y = 0.5 and 0.01: C0 = 17 / 0.49 = 34.694 s; the small stage's share 26.694 × 0.01/0.51 =
    // 0.52 s is under minGreen: it gets 5 s, the other 26.694 − 5
    const held = websterSplits([0.5, 0.01], 8, 30, 120, 5);
    expect(held.cycle).toBeCloseTo(17 / 0.49, 12);
    expect(held.greens[1]).toBe(5);
    expect(held.greens[0]).toBeCloseTo(17 / 0.49 - 8 - 5, 12);
    // no flow observed: the shortest cycle, equal greens
    expect(websterSplits([0, 0, 0], 12, 30, 120, 5)).toEqual({ cycle: 30, greens: [6, 6, 6] });
    // minGreen does not fit in maxCycle: the cycle is L + stages × minGreen
    expect(websterSplits([0.3, 0.3], 8, 10, 12, 5)).toEqual({ cycle: 18, greens: [5, 5] });
  });
});

describe('adaptive signal: what it sees', () => {
  it('nobody equipped, no camera: the fixed-time plan bit for bit (signal states and every vehicle, every tick)', () => {
    for (const extra of ['', v2x(0)]) {
      const a = world(cross(ADAPTIVE, UNBALANCED, extra, 400));
      const f = world(cross(FIXED, UNBALANCED, extra, 400));
      expect(a.programs[0].kind).toBe(CTRL_ADAPTIVE);
      a.start();
      f.start();
      let ticks = 0;
      while (a.time < 400 - 1e-9) {
        a.step();
        f.step();
        expect(Buffer.from(a.connState).equals(Buffer.from(f.connState))).toBe(true);
        const sa = a.state;
        const sf = f.state;
        const n = sa.used;
        expect(sf.used).toBe(n);
        for (const name of ['pos', 'speed', 'accel'] as const) expect(Buffer.from(sa[name].buffer, 0, n * 8).equals(Buffer.from(sf[name].buffer, 0, n * 8))).toBe(true);
        ticks++;
      }
      expect(ticks).toBe(4000);
      expect(a.totals).toEqual(f.totals);
      // and it never left the fixed-time clock: the plan is the nominal one
      expect(Array.from(a.programs[0].plan)).toEqual([26, 3, 1, 26, 3, 1]);
    }
  });

  it('every vehicle equipped, 720 against 180 veh/h: the busier stage gets the longer green, travel times fall', () => {
    const a = world(cross(ADAPTIVE, UNBALANCED, v2x(1)));
    const p = a.programs[0];
    const stages = a.signalControl.adaptive.stagesOf(0);
    expect(stages).toEqual([0, 3]);
    const we = conn(a, 'WC', 'CE');
    const col = p.conns.indexOf(we);
    // stage 0 is the W–E one
    expect(isGo(p.states[col])).toBe(true);
    const plans: number[][] = [];
    a.start();
    let last = -1;
    while (a.time < 600 - 1e-9) {
      a.step();
      const k = p.live[LIVE_INTERVAL];
      if (k === 0 && last !== 0 && a.time > 100) plans.push([p.plan[0], p.plan[3]]);
      last = k;
    }
    expect(plans.length).toBeGreaterThan(5);
    // y ≈ 0.4 and 0.1: C0 ≈ 17 / 0.5 = 34 s, greens ≈ 20.8 and 5.2 (counts over one cycle are noisy)
    for (const [g0, g1] of plans) expect(g0).toBeGreaterThan(g1);
    const mean0 = plans.reduce((s, g) => s + g[0], 0) / plans.length;
    expect(mean0).toBeGreaterThan(14);
    expect(mean0).toBeLessThan(30);
    const adaptive = meanTravel(a);
    const fixed = meanTravel(world(cross(FIXED, UNBALANCED, v2x(1))));
    expect(adaptive).toBeLessThan(fixed - 5);
  });

  it('the benefit grows with penetration: mean travel time at 0 % > 30 % > 100 % (demand that turns, 3 seeds)', () => {
    // 900 / 300 veh/h W → E / S → N for 600 s, then the other way round: the estimate must follow
    const turning = `  - flow: { type: car, route: [WC, CE], period: 4, begin: 0, end: 600 }
  - flow: { type: car, route: [SC, CN], period: 12, begin: 0, end: 600 }
  - flow: { type: car, route: [WC, CE], period: 12, begin: 600, end: 1200 }
  - flow: { type: car, route: [SC, CN], period: 4, begin: 600, end: 1200 }`;
    const mean = (signal: string, pen: number) => {
      let sum = 0;
      for (const seed of [1, 2, 3]) sum += meanTravel(world(cross(signal, turning, v2x(pen), 1500).replace('seed: 5', `seed: ${seed}`)));
      return sum / 3;
    };
    const t = [0, 0.3, 1].map((pen) => mean(ADAPTIVE, pen));
    const fixed = mean(FIXED, 0);
    // measured: mean delay (travel time − 600 m / 13.89 m/s) 53.6 s fixed and at 0 %, 36.9 s at 30 %, 21.9 s at 100 %
    expect(t[0]).toBe(fixed);
    expect(t[1]).toBeLessThan(t[0] - 5);
    expect(t[2]).toBeLessThan(t[1] - 5);
  });

  it('a camera alone (no V2X): it counts every vehicle in view and adapts the same way', () => {
    const a = world(cross(ADAPTIVE, UNBALANCED, CAMERA));
    const seen = a.signalControl.adaptive.cameraLanes(0);
    // both approach lanes, seen from √(61² − 10²) ≈ 60.2 m before C to the stop line (2 m steps)
    expect(seen).toHaveLength(2);
    for (const v of seen) expect(a.net.laneLength[v.lane] - v.from).toBeGreaterThan(50);
    for (const v of seen) expect(a.net.laneLength[v.lane] - v.from).toBeLessThan(62);
    const p = a.programs[0];
    a.run(300);
    expect(p.plan[0]).toBeGreaterThan(p.plan[3]);
    const fixed = meanTravel(world(cross(FIXED, UNBALANCED, CAMERA)));
    expect(meanTravel(a)).toBeLessThan(fixed - 5);
  });

  it('camera and V2X: the share heard is estimated from the camera lanes (30 % equipped)', () => {
    const a = world(cross(ADAPTIVE, UNBALANCED, CAMERA + v2x(0.3)));
    a.run(600);
    let equipped = 0;
    expect(a.v2x!.equippedInserted).toBeGreaterThan(0);
    equipped = a.v2x!.equippedInserted / a.totals.inserted;
    // every equipped vehicle is heard on its 300 m approach (no loss): the estimate is the share equipped
    expect(a.signalControl.adaptive.heardShare(0)).toBeGreaterThan(equipped - 0.05);
    expect(a.signalControl.adaptive.heardShare(0)).toBeLessThan(equipped + 0.05);
  });
});

describe('adaptive signal: stages', () => {
  it("an explicit program's stages are its greens; yellows and all reds keep their lengths", () => {
    // links: 0 = W → E, 1 = S → N; Gr 30 s, yr 3, rr 2, rG 20, ry 3, rr 2: stages 0 and 3, L = 10 s
    const program = '{ program: [ { duration: 30, state: Gr }, { duration: 3, state: yr }, { duration: 2, state: rr }, { duration: 20, state: rG }, { duration: 3, state: ry }, { duration: 2, state: rr } ], links: [0, 1], controller: { type: adaptive } }';
    const yaml = cross(program, UNBALANCED, v2x(1)).replace(
      '  edges:',
      '  connections:\n    - { from: WC, fromLane: 0, to: CE, toLane: 0 }\n    - { from: SC, fromLane: 0, to: CN, toLane: 0 }\n  edges:',
    );
    const a = world(yaml);
    const p = a.programs[0];
    expect(p.kind).toBe(CTRL_ADAPTIVE);
    expect(a.signalControl.adaptive.stagesOf(0)).toEqual([0, 3]);
    // SPAT's bounds for later cycles: 5 s … 120 − 10 − 5 = 105 s for a stage, the changes exact
    expect(Array.from(p.minDur)).toEqual([5, 3, 2, 5, 3, 2]);
    expect(Array.from(p.maxDur)).toEqual([105, 3, 2, 105, 3, 2]);
    a.run(400);
    expect([p.plan[1], p.plan[2], p.plan[4], p.plan[5]]).toEqual([3, 2, 3, 2]);
    expect(p.plan[0]).toBeGreaterThan(p.plan[3]);
    expect(a.totals.redViolations).toBe(0);
  });

  it('a generated plan with protected lefts (four three-lane arms): four stages, the yellows and all reds between them', () => {
    const arms = ['W', 'E', 'S', 'N'];
    const yaml = cross(ADAPTIVE, '  []')
      .replace(/    - \{ id: (WC|CE|SC|CN),.*\n/g, '')
      .replace('  edges:\n', `  edges:\n${arms.map((x) => `    - { id: ${x}C, from: ${x}, to: C, lanes: 3, speedLimit: 13.89 }\n    - { id: C${x}, from: C, to: ${x}, lanes: 3, speedLimit: 13.89 }\n`).join('')}`)
      .replace('demand:\n  []', 'demand: []');
    const a = world(yaml);
    const p = a.programs[0];
    expect(p.phases.map((ph) => ph.name)).toEqual(['axis0-through', 'axis0-left', 'axis1-through', 'axis1-left']);
    // each phase: green, yellow 3 s, all red 1 s
    expect(a.signalControl.adaptive.stagesOf(0)).toEqual([0, 3, 6, 9]);
  });
});

describe('adaptive signal: SPAT', () => {
  it("the green's end times are the plan's while the cycle runs, and the signal keeps them", () => {
    const a = world(cross(ADAPTIVE, UNBALANCED, v2x(1)));
    const p = a.programs[0];
    const we = conn(a, 'WC', 'CE');
    const lookup = signalLookup(a.programs, a.net.connCount);
    const tm = newMovementTiming();
    // into an adapted cycle's first green
    a.run(200);
    while (p.live[LIVE_INTERVAL] !== 0) a.step();
    a.step();
    const t = a.time;
    movementTiming(a.programs, lookup, we, t, tm);
    const end = p.live[LIVE_START] + p.plan[0];
    expect(tm.untilChange).toBeCloseTo(end - t, 9);
    expect(tm.untilChangeMax).toBe(tm.untilChange);
    expect(tm.untilChangeLikely).toBe(tm.untilChange);
    // the next green: after this cycle's yellow, all red, S–N green, yellow, all red (exact), at
    // the earliest and latest as bounded, likely the same
    const rest = p.plan[1] + p.plan[2] + p.plan[3] + p.plan[4] + p.plan[5];
    expect(tm.untilGreenAfter).toBeCloseTo(end - t + rest, 9);
    expect(tm.untilGreenAfterMax).toBeCloseTo(end - t + rest, 9);
    // after it: the next cycle's W–E green lasts 5 s at least, 120 − 8 − 5 = 107 s at the most
    expect(p.minDur[0]).toBe(5);
    expect(p.maxDur[0]).toBe(107);
    // the signal does as it said: W → E's green ends at the first tick at or after `end` (a step
    // runs with the states its signals phase wrote at the time it began)
    let lastGreen = -1;
    let changed = -1;
    while (changed < 0) {
      const at = a.time;
      a.step();
      if (isGo(a.connState[we])) lastGreen = at;
      else changed = at;
    }
    expect(lastGreen).toBeLessThan(end);
    expect(changed).toBeGreaterThanOrEqual(end - 1e-9);
    expect(changed - end).toBeLessThan(a.dt);
  });
});

describe('adaptive signal: determinism and parameters', () => {
  it('checkpoint at 200 s and resume: the same bits as the run that never stopped', () => {
    for (const extra of [v2x(0.5), CAMERA + v2x(0.3)]) {
      const yaml = cross(ADAPTIVE, UNBALANCED, extra, 500);
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
      expect(Array.from(resumed.programs[0].plan)).toEqual(Array.from(whole.programs[0].plan));
    }
  });

  it.skipIf(!built)('1 and 2 threads: the same state hash', async () => {
    const yaml = cross(ADAPTIVE, UNBALANCED, CAMERA + v2x(0.5), 300);
    const one = world(yaml, new InlineRunner(1));
    one.run();
    const runner = await ParallelRunner.start(2, { inlineBelow: 0 });
    try {
      const two = world(yaml, runner);
      two.run();
      expect(two.stateHash()).toBe(one.stateHash());
      expect(Array.from(two.programs[0].plan)).toEqual(Array.from(one.programs[0].plan));
    } finally {
      await runner.close();
    }
  }, 60_000);

  it('bad parameters: an error at FILE:LINE:COL', () => {
    const bad = (controller: string) => () => parseScenario(cross(`{ cycle: 60, controller: ${controller} }`, UNBALANCED), 'cross.yaml');
    expect(bad('{ type: adaptive, minCycle: 90, maxCycle: 60 }')).toThrow(/cross\.yaml:9:\d+: .*minCycle: minCycle 90 s is longer than maxCycle 60 s/);
    expect(bad('{ type: adaptive, saturationFlow: -1 }')).toThrow(/cross\.yaml:9:\d+: .*saturationFlow/);
    expect(bad('{ type: adaptive, minGreen: 200 }')).toThrow(/cross\.yaml:9:\d+: .*minGreen: minGreen 200 s does not fit in maxCycle 120 s/);
    expect(bad('{ type: adaptive, penetration: 0 }')).toThrow(/cross\.yaml:9:\d+: .*penetration/);
    expect(bad('{ type: adaptive, cycle: 5 }')).toThrow(/cross\.yaml:9:\d+: .*cycle/);
  });
});
