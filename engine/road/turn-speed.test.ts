// Turn speeds (turn-speed.ts) against SUMO's own: netconvert's internal lanes on netgenerate's
// grid (`netgenerate --grid --grid.number=3 --grid.length=200 --default.lanenumber=2`, SUMO 1.15:
// right turn 6.51 m/s over 9.03 m, left turn 9.26 m/s over 19.35 m, U-turn 3.65 m/s), and the
// drivers who follow them: a turning driver is down to the curve's speed where the curve begins,
// braking no harder than comfortably, while one going straight on keeps its speed.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { networkSchema } from '../spec/schema.js';
import { World } from '../sim/world.js';
import { expandNetwork } from './expand.js';
import { TURN_LEFT, TURN_RIGHT, TURN_STRAIGHT, TURN_UTURN, buildNetwork, type Network } from './network.js';

const build = (spec: unknown): Network => buildNetwork(expandNetwork(networkSchema.parse(spec)));
const byDir = (n: Network, dir: number) => {
  const cs = [...Array(n.connCount).keys()].filter((c) => n.connDir[c] === dir);
  return cs.map((c) => ({ speed: n.connSpeed[c], curve: n.connCurve[c] }));
};

describe('turn speeds from the geometry', () => {
  const grid = build({ grid: { rows: 3, cols: 3, spacing: 200, lanes: 2, speedLimit: 13.89 } });

  it("match netconvert's internal lanes on netgenerate's grid within 3 %", () => {
    for (const r of byDir(grid, TURN_RIGHT)) expect(Math.abs(r.speed / 6.51 - 1)).toBeLessThan(0.03);
    for (const l of byDir(grid, TURN_LEFT)) expect(Math.abs(l.speed / 9.26 - 1)).toBeLessThan(0.03);
    for (const l of byDir(grid, TURN_LEFT)) expect(Math.abs(l.curve / 19.35 - 1)).toBeLessThan(0.05);
    for (const s of byDir(grid, TURN_STRAIGHT)) expect(s).toEqual({ speed: Infinity, curve: 0 });
  });

  it("a U-turn from the inner lane into the opposite one of the same road: SUMO's 3.65 m/s within 3 %", () => {
    const n = build({
      nodes: [ { id: 'a', x: 0, y: 0 }, { id: 'b', x: 200, y: 0 } ],
      edges: [ { id: 'ab', from: 'a', to: 'b', lanes: 2, speedLimit: 13.89 }, { id: 'ba', from: 'b', to: 'a', lanes: 2, speedLimit: 13.89 } ],
      connections: [ { from: 'ab', fromLane: 1, to: 'ba', toLane: 1 } ],
    });
    const u = byDir(n, TURN_UTURN);
    expect(u.length).toBeGreaterThan(0);
    for (const c of u) expect(Math.abs(c.speed / 3.65 - 1)).toBeLessThan(0.03);
  });

  it('a faster curve where drivers accept more lateral acceleration: v grows as √a_lat', () => {
    const soft = build({ grid: { rows: 3, cols: 3, spacing: 200, lanes: 2, speedLimit: 30 }, turnLateralAccel: 2.2 });
    const hard = build({ grid: { rows: 3, cols: 3, spacing: 200, lanes: 2, speedLimit: 30 }, turnLateralAccel: 8.8 });
    expect(byDir(hard, TURN_RIGHT)[0].speed / byDir(soft, TURN_RIGHT)[0].speed).toBeCloseTo(2, 9);
  });

  it('none with turnLateralAccel 0; an explicit speed and length where a connection gives them', () => {
    const off = build({ grid: { rows: 3, cols: 3, spacing: 200, lanes: 2, speedLimit: 13.89 }, turnLateralAccel: 0 });
    for (let c = 0; c < off.connCount; c++) expect(off.connSpeed[c]).toBe(Infinity);
    const own = build({
      nodes: [ { id: 'a', x: 0, y: 0 }, { id: 'b', x: 200, y: 0 }, { id: 'c', x: 200, y: -200 }, { id: 'd', x: 400, y: 0 } ],
      edges: [ { id: 'ab', from: 'a', to: 'b', lanes: 1, speedLimit: 13.89 }, { id: 'bc', from: 'b', to: 'c', lanes: 1, speedLimit: 13.89 }, { id: 'bd', from: 'b', to: 'd', lanes: 1, speedLimit: 13.89 } ],
      connections: [
        { from: 'ab', fromLane: 0, to: 'bc', toLane: 0, speed: 5, length: 12 },
        { from: 'ab', fromLane: 0, to: 'bd', toLane: 0, speed: 20 },
      ],
    });
    expect([own.connSpeed[own.connOfSpec[0]], own.connCurve[own.connOfSpec[0]]]).toEqual([5, 12]);
    // (a limit above the lane's is none)
    expect(own.connSpeed[own.connOfSpec[1]]).toBe(Infinity);
  });
});

/** One car from the west through a priority cross, turning right (south) or going straight on (east). */
function crossing(to: 'south' | 'east', step: number): World {
  const yaml = `
name: turn
duration: 60
step: ${step}
network:
  nodes: [ { id: w, x: -300, y: 0 }, { id: m, x: 0, y: 0 }, { id: e, x: 300, y: 0 }, { id: s, x: 0, y: -300 }, { id: n, x: 0, y: 300 } ]
  edges:
    - { id: wm, from: w, to: m, lanes: 1, speedLimit: 13.89 }
    - { id: me, from: m, to: e, lanes: 1, speedLimit: 13.89 }
    - { id: ms, from: m, to: s, lanes: 1, speedLimit: 13.89 }
    - { id: nm, from: n, to: m, lanes: 1, speedLimit: 13.89 }
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 2.6, decel: 4.5, headway: 1, minGap: 2.5 }
demand:
  - trips: [ { id: t, type: car, depart: 0, from: wm, to: ${to === 'south' ? 'ms' : 'me'}, departSpeed: 13.89 } ]
`;
  return new World(parseScenario(yaml, 'turn.yaml').scenario);
}

describe('drivers through a curve', () => {
  for (const step of [1, 0.1]) {
    it(`at step ${step}: down to the curve's speed at the line, braking at most comfortably, and held to it along the curve; straight on at full speed`, () => {
      const w = crossing('south', step);
      const n = w.net;
      const c = [...Array(n.connCount).keys()].find((k) => n.connDir[k] === TURN_RIGHT && n.edgeIds[n.connFromEdge[k]] === 'wm')!;
      const vc = n.connSpeed[c];
      expect(vc).toBeGreaterThan(3);
      expect(vc).toBeLessThan(8);
      const inLane = n.connFromLane[c];
      const outLane = n.connToLane[c];
      let lineSpeed = NaN; // the speed of the step that crossed the line
      let maxInCurve = 0;
      let hardest = 0;
      let prev = NaN;
      let beyond = false;
      while (w.time < 60 && !beyond) {
        w.step();
        const i = [...w.vehicles()][0];
        if (i === undefined) break;
        const v = w.state.speed[i];
        if (!Number.isNaN(prev)) hardest = Math.max(hardest, (prev - v) / step);
        prev = v;
        if (w.state.lane[i] === outLane) {
          if (Number.isNaN(lineSpeed)) lineSpeed = v;
          if (w.state.pos[i] < n.connCurve[c]) maxInCurve = Math.max(maxInCurve, v);
          else beyond = true;
        } else expect(w.state.lane[i]).toBe(inLane);
      }
      expect(beyond).toBe(true);
      expect(lineSpeed).toBeLessThanOrEqual(vc + 1e-9);
      expect(maxInCurve).toBeGreaterThan(vc * 0.9);
      expect(maxInCurve).toBeLessThanOrEqual(vc + 1e-9);
      expect(hardest).toBeLessThanOrEqual(4.5 + 1e-6);

      const straight = crossing('east', step);
      let minSpeed = Infinity;
      while (straight.time < 40) {
        straight.step();
        for (const i of straight.vehicles()) minSpeed = Math.min(minSpeed, straight.state.speed[i]);
      }
      expect(minSpeed).toBeGreaterThan(13.0);
    });
  }
});
