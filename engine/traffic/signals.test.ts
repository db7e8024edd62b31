// Signalised junctions: nobody runs a red light who could have stopped, the fixed-time plans
// of the grid keep crossing movements apart and give every phase its yellow, and a saturated
// approach discharges at a plausible saturation flow (docs/models.md: about 1,800–1,900 veh/h of
// green per lane, unverified; HCM 2010 uses 1,900 as its base).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { F_PASS } from '../core/state.js';
import { SIG_GREEN, SIG_GREEN_YIELD, SIG_RED, SIG_YELLOW, updateSignals } from '../road/signals.js';
import { TURN_LEFT, TURN_STRAIGHT } from '../road/network.js';
import { CrossingWatch } from './crossings.testkit.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// the contract scenarios, as copied into the repository (contract-copies.test.ts keeps them equal)
const contract = join(root, 'scenarios');

describe('red lights (contract grid.yaml, 8×8, 900 s)', () => {
  it('no vehicle crosses a stop line on red unless it had committed (F_PASS) before the tick', () => {
    const { scenario } = loadScenario(join(contract, 'grid.yaml'), { overrides: ['duration=900'] });
    const w = new World(scenario);
    const s = w.state;
    const net = w.net;
    w.start();
    const watch = new CrossingWatch(w);
    let crossings = 0;
    let onYellow = 0;
    let onRedCommitted = 0;
    let stateMismatch = 0;
    const violations: string[] = [];
    const bad: string[] = [];
    while (w.tick < w.ticksTotal) {
      const t = w.time;
      const crossed = watch.step();
      for (let c = 0; c < net.connCount; c++) if (w.connState[c] !== watch.during[c]) stateMismatch++;
      for (const x of crossed) {
        const i = x.slot;
        // the connection leads from the edge it was on (perhaps after a lane change this tick) to where it is
        if (x.conn < 0 || net.connFromEdge[x.conn] !== net.laneEdge[x.laneBefore] || net.connToLane[x.conn] !== s.lane[i])
          bad.push(`t=${t.toFixed(1)} vehicle ${s.id[i]}: conn ${x.conn} does not join ${w.laneName(x.laneBefore)} to ${w.laneName(s.lane[i])}`);
        // F_PASS is cleared on the new lane
        if (s.flags[i] & F_PASS) bad.push(`t=${t.toFixed(1)} vehicle ${s.id[i]} keeps F_PASS on ${w.laneName(s.lane[i])}`);
        crossings++;
        if (x.signal === SIG_YELLOW) onYellow++;
        if (x.signal === SIG_RED) {
          if (x.flagsBefore & F_PASS) onRedCommitted++;
          else violations.push(`t=${t.toFixed(1)} vehicle ${s.id[i]} ${w.laneName(x.laneBefore)} -> ${w.laneName(s.lane[i])}`);
        }
      }
    }
    expect(stateMismatch).toBe(0);
    expect(bad).toEqual([]);
    expect(crossings).toBeGreaterThan(5000);
    expect(onYellow).toBeGreaterThan(0); // the yellow is actually used by committed drivers
    expect(violations).toEqual([]);
    expect(w.totals.redViolations).toBe(0);
    expect(w.redViolations).toBe(0);
    expect(w.totals.collisions).toBe(0);
    // committed drivers clear the junction during yellow and the all-red, not much later
    expect(onRedCommitted).toBeLessThanOrEqual(onYellow);
  });
});

describe('physical braking limit (contract grid.yaml, 8×8, 900 s)', () => {
  it('no driver ever brakes harder than its type allows (emergencyDecel, default max(9, decel) m/s²)', () => {
    const { scenario } = loadScenario(join(contract, 'grid.yaml'), { overrides: ['duration=900'] });
    const w = new World(scenario);
    const s = w.state;
    const beyond: string[] = [];
    let hardest = 0;
    w.start();
    while (w.tick < w.ticksTotal) {
      const t = w.time;
      w.step();
      // accel holds what the vehicle applied in this tick (arrived vehicles are gone)
      for (const i of w.vehicles()) {
        const a = s.accel[i];
        if (a < hardest) hardest = a;
        if (a < -w.types.bmax[s.type[i]] - 1e-9 && beyond.length < 5)
          beyond.push(`t=${t.toFixed(1)} vehicle ${s.id[i]} on ${w.laneName(s.lane[i])} at ${s.pos[i].toFixed(2)} m: ${a.toExponential(3)} m/s², now ${s.speed[i].toFixed(2)} m/s`);
      }
    }
    expect(beyond).toEqual([]);
    expect(w.totals.emergencyBrakes).toBe(0);
    expect(hardest).toBeGreaterThanOrEqual(-9 - 1e-9);
  });
});

describe('signal programs of the 8×8 grid (cycle 60 s, yellow 3 s)', () => {
  const { scenario } = loadScenario(join(contract, 'grid.yaml'));
  const w = new World(scenario);
  const net = w.net;
  const plan = scenario.network.grid!.signals!;

  it('every inner node has a program with the scenario cycle, and greens + change intervals fill it', () => {
    expect(w.programs).toHaveLength(64);
    for (const p of w.programs) {
      expect(net.nodeIds[p.node]).toMatch(/^r\dc\d$/);
      expect(p.cycle).toBe(plan.cycle);
      expect(p.cycle).toBe(60);
      expect(p.phases.length).toBeGreaterThanOrEqual(2);
      const green = p.phases.reduce((sum, ph) => sum + ph.green, 0);
      expect(green + p.phases.length * (plan.yellow + plan.allRed)).toBeCloseTo(60, 9);
      for (const ph of p.phases) expect(ph.green).toBeGreaterThanOrEqual(5);
      // the program controls every connection of its node
      expect([...p.conns].sort((a, b) => a - b)).toEqual([...net.nodeConns[p.node]].sort((a, b) => a - b));
    }
  });

  it('at r3c4, sampled every 0.1 s over a cycle: no two crossing movements are both protected green, every green ends in 3 s of yellow', () => {
    const node = net.nodeIndex.get('r3c4')!;
    const prog = w.programs.find((p) => p.node === node)!;
    expect(prog).toBeDefined();
    const conns = [...prog.conns];
    expect(conns.length).toBe(4 * 4); // 4 approaches × (right, 2 × straight, left) with 2 lanes
    const crossing: [number, number][] = [];
    for (const c of conns)
      for (let f = net.connFoeStart[c]; f < net.connFoeStart[c + 1]; f++)
        if (net.connFoeMerge[f] === 0 && c < net.connFoes[f]) crossing.push([c, net.connFoes[f]]);
    expect(crossing.length).toBeGreaterThan(10);

    const samples = 600; // 60 s at 0.1 s
    const st = new Uint8Array(net.connCount);
    const states: Uint8Array[] = [];
    for (let k = 0; k < samples; k++) {
      updateSignals(w.programs, k / 10 + 1e-6, st);
      states.push(Uint8Array.from(conns.map((c) => st[c])));
      for (const [a, b] of crossing) {
        const both = st[a] === SIG_GREEN && st[b] === SIG_GREEN;
        expect(both, `conns ${a} and ${b} both protected green at ${(k / 10).toFixed(1)} s`).toBe(false);
      }
      // the plan repeats every cycle
      const again = new Uint8Array(net.connCount);
      updateSignals(w.programs, k / 10 + 1e-6 + 60 * 7, again);
      expect(Array.from(conns, (c) => again[c])).toEqual(Array.from(states[k]));
    }

    // the all-red clearance: allRed (1 s) after each of the phases, nothing else all red
    const allRed = states.filter((row) => row.every((x) => x === SIG_RED)).length;
    expect(Math.abs(allRed / 10 - prog.phases.length * plan.allRed)).toBeLessThanOrEqual(0.1 + 1e-9);

    conns.forEach((c, j) => {
      const seq = states.map((row) => row[j]);
      // every movement gets a green (protected or permitted) in each cycle
      expect(seq.some((x) => x === SIG_GREEN || x === SIG_GREEN_YIELD)).toBe(true);
      // runs around the cycle (rotate so that the sequence starts at a change)
      const first = seq.findIndex((x, k) => x !== seq[(k + samples - 1) % samples]);
      expect(first).toBeGreaterThanOrEqual(0);
      const rot = [...seq.slice(first), ...seq.slice(0, first)];
      const runs: { state: number; len: number }[] = [];
      for (const x of rot) {
        if (runs.length > 0 && runs[runs.length - 1].state === x) runs[runs.length - 1].len++;
        else runs.push({ state: x, len: 1 });
      }
      for (let r = 0; r < runs.length; r++) {
        const cur = runs[r];
        const next = runs[(r + 1) % runs.length];
        if (cur.state === SIG_YELLOW) {
          expect(cur.len).toBe(30); // 3.0 s
          expect(next.state).toBe(SIG_RED);
        }
        if (cur.state === SIG_GREEN || cur.state === SIG_GREEN_YIELD) {
          expect([SIG_YELLOW, SIG_GREEN, SIG_GREEN_YIELD]).toContain(next.state); // never green → red
          expect(cur.len).toBeGreaterThanOrEqual(50); // at least 5 s of green
        }
        if (cur.state === SIG_RED) expect(next.state).not.toBe(SIG_YELLOW);
      }
    });

    // a permitted left yields: it is never protected while the opposing through movement is green
    for (const c of conns) {
      if (net.connDir[c] !== TURN_LEFT) continue;
      const j = conns.indexOf(c);
      for (let f = net.connFoeStart[c]; f < net.connFoeStart[c + 1]; f++) {
        const foe = net.connFoes[f];
        if (net.connDir[foe] !== TURN_STRAIGHT || net.connFoeMerge[f] === 1) continue;
        const jf = conns.indexOf(foe);
        for (const row of states) if (row[jf] === SIG_GREEN) expect(row[j]).not.toBe(SIG_GREEN);
      }
    }
  });
});

describe('saturation flow of a signalised approach', () => {
  // W → C → E, one lane, 600 m each side; a cross street S → C → N makes the second phase.
  // The W approach is fed at 1,500 veh/h, more than its green share (about 28.5/60 of 1,800–1,900)
  // can serve, so a queue stands at every green. The vehicle type is the contract's city car
  // (grid.yaml).
  const yaml = `
name: saturation
seed: 3
duration: 900
network:
  nodes:
    - { id: W, x: -600, y: 0 }
    - { id: C, x: 0, y: 0, control: signal, signal: { cycle: 60, yellow: 3, allRed: 1 } }
    - { id: E, x: 600, y: 0 }
    - { id: S, x: 0, y: -600 }
    - { id: N, x: 0, y: 600 }
  edges:
    - { id: WC, from: W, to: C, lanes: 1, speedLimit: 13.89 }
    - { id: CE, from: C, to: E, lanes: 1, speedLimit: 13.89 }
    - { id: SC, from: S, to: C, lanes: 1, speedLimit: 13.89 }
    - { id: CN, from: C, to: N, lanes: 1, speedLimit: 13.89 }
vehicleTypes:
  car: { length: 5, maxSpeed: 33.3, accel: 2.6, decel: 4.5, headway: 1.0, minGap: 2.5 }
demand:
  - flow: { type: car, route: [WC, CE], rate: 1500, begin: 0, end: 900 }
  - flow: { type: car, route: [SC, CN], rate: 300, begin: 0, end: 900 }
`;

  it('discharges a standing queue at 1,500–2,200 veh/h of green', () => {
    const w = new World(parseScenario(yaml, 'saturation.yaml').scenario);
    const net = w.net;
    const s = w.state;
    const WC = net.edgeIndex.get('WC')!;
    const CE = net.edgeIndex.get('CE')!;
    const lane = net.edgeFirstLane[WC];
    const conn = [...Array(net.connCount).keys()].find((c) => net.connFromEdge[c] === WC && net.connToEdge[c] === CE)!;
    expect(conn).toBeDefined();
    expect(w.programs).toHaveLength(1);
    const prog = w.programs[0];
    expect(prog.phases).toHaveLength(2);

    // where the approach's green starts in the cycle (the plan decides which phase comes first)
    const probe = new Uint8Array(w.connState.length);
    let greenStart = -1;
    for (let k = 0; k < 600 && greenStart < 0; k++) {
      updateSignals(w.programs, k / 10 + 1e-6, probe);
      const now = probe[conn];
      updateSignals(w.programs, ((k + 599) % 600) / 10 + 1e-6, probe);
      if (now === SIG_GREEN && probe[conn] !== SIG_GREEN) greenStart = k / 10;
    }
    expect(greenStart).toBeGreaterThanOrEqual(0);

    // per cycle (counted from the start of this approach's green): the crossing times in it
    const cycles = new Map<number, number[]>();
    const greenTicks = new Map<number, number>();
    const queueAtGreenEnd = new Map<number, number>();
    const prevPos = new Map<number, number>();
    const st = new Uint8Array(w.connState.length);
    w.start();
    while (w.tick < w.ticksTotal) {
      prevPos.clear();
      for (let k = w.order.laneStart[lane]; k < w.order.laneStart[lane + 1]; k++) prevPos.set(s.id[s.order[k]], s.pos[s.order[k]]);
      const t = w.time;
      st.set(w.connState);
      updateSignals(w.programs, t, st);
      const state = st[conn];
      const cycle = Math.floor((t - greenStart) / 60 + 1e-9);
      const inCycle = t - greenStart - 60 * cycle;
      w.step();
      if (state === SIG_GREEN || state === SIG_YELLOW) greenTicks.set(cycle, (greenTicks.get(cycle) ?? 0) + 1);
      for (const i of w.vehicles()) {
        const p = prevPos.get(s.id[i]);
        if (p !== undefined && p + s.lastDx[i] - s.pos[i] > 0.05) {
          if (!cycles.has(cycle)) cycles.set(cycle, []);
          cycles.get(cycle)!.push(inCycle);
        }
      }
      // the queue left standing when the approach turns red
      if (state === SIG_YELLOW) queueAtGreenEnd.set(cycle, w.order.laneStart[lane + 1] - w.order.laneStart[lane]);
    }
    expect(w.totals.redViolations).toBe(0);
    expect(w.totals.collisions).toBe(0);
    expect(w.waiting).toBeGreaterThan(0); // oversaturated: the demand queues even upstream

    const greenPlusYellow = prog.phases[0].green + 3;
    let measured = 0;
    for (let cycle = 3; cycle < 14; cycle++) {
      const times = cycles.get(cycle) ?? [];
      // saturated: a queue is still there when the green ends
      expect(queueAtGreenEnd.get(cycle)!).toBeGreaterThan(10);
      expect(times.length).toBeGreaterThan(8);
      // every crossing of this cycle falls inside its green + yellow (a driver committed at the
      // yellow onset is at most v²/2B ≈ 21 m, 1.5 s, from the line)
      for (const t of times) expect(t).toBeLessThan(greenPlusYellow + 0.1);
      expect((greenTicks.get(cycle) ?? 0) / 10).toBeCloseTo(greenPlusYellow, 0);
      // HCM 2010 (ch. 31): saturation headway from the 5th queued vehicle on
      const h = (times[times.length - 1] - times[4]) / (times.length - 5);
      const sat = 3600 / h;
      expect(sat).toBeGreaterThan(1500);
      expect(sat).toBeLessThan(2200);
      // vehicles served over the effective green (green + yellow − 4 s lost time, HCM default)
      const perGreen = (times.length * 3600) / (greenPlusYellow - 4);
      expect(perGreen).toBeGreaterThan(1500);
      expect(perGreen).toBeLessThan(2200);
      measured++;
    }
    expect(measured).toBe(11);
  });
});
