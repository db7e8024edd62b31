import { describe, expect, it } from 'vitest';
import { parseScenario, type ScenarioError } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { connectionTo } from '../road/network.js';

const scenario = (events: string) =>
  parseScenario(
    `
name: hazard
duration: 400
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 1000, y: 0 }, { id: c, x: 2000, y: 0 } ]
  edges: [ { id: ab, from: a, to: b, lanes: 2, speedLimit: 20 }, { id: bc, from: b, to: c, lanes: 2, speedLimit: 20 } ]
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 1.5, decel: 2, headway: 1.2, minGap: 2 }
demand:
  - flow: { type: car, route: [ab, bc], rate: 1400, begin: 0, end: 300 }
${events}
`,
    'hazard.yaml',
  ).scenario;

const withEvents = scenario(`roadEvents:
  - { id: stall, kind: stalledVehicle, edge: ab, pos: 600, length: 6, lanes: [0], begin: 20, end: 350 }
  - { id: zone, kind: speedLimit, edge: bc, pos: 200, length: 400, speedLimit: 8 }`);

describe('road events', () => {
  it('a stalled vehicle: everybody leaves its lane before it, nobody collides or is removed', () => {
    const w = new World(withEvents);
    const events: string[] = [];
    w.events$.subscribe((e) => {
      if (e.kind === 'roadEvent') events.push(`${e.time} ${e.id} ${e.phase}`);
    });
    let inside = 0;
    let passedOnLane0 = 0;
    const lastPos = new Map<number, number>();
    while (w.tick < w.ticksTotal) {
      w.step();
      const s = w.state;
      for (const i of w.activeSlotsById()) {
        const lane = s.lane[i];
        const onAb0 = w.net.edgeIds[w.net.laneEdge[lane]] === 'ab' && w.net.laneIndex[lane] === 0;
        const blockOn = w.time > 20 && w.time < 350;
        if (onAb0 && blockOn) {
          // front bumper past the start of the block while its rear is before its end
          if (s.pos[i] > 600 + 0.01 && s.pos[i] - 5 < 606) inside++;
          const before = lastPos.get(s.id[i]);
          if (before !== undefined && before >= 0 && before <= 600 && s.pos[i] > 600) passedOnLane0++;
        }
        lastPos.set(s.id[i], onAb0 ? s.pos[i] : -1);
      }
    }
    expect(events).toEqual(['20 stall start', '0 zone start', '350 stall end'].sort((a, b) => parseFloat(a) - parseFloat(b)));
    expect(inside).toBe(0);
    expect(passedOnLane0).toBe(0);
    expect(w.totals.collisions).toBe(0);
    expect(w.totals.removed).toBe(0);
    expect(w.totals.inserted).toBe(w.totals.arrived + w.active);
    expect(w.totals.minGap).toBeGreaterThan(0);
  });

  it('a speed-limit zone holds drivers to its limit from its sign on, and costs travel time', () => {
    const w = new World(withEvents);
    let maxInZone = 0;
    while (w.tick < w.ticksTotal) {
      w.step();
      const s = w.state;
      for (const i of w.activeSlotsById()) {
        const e = w.net.edgeIds[w.net.laneEdge[s.lane[i]]];
        // 60 m after the sign, braking at up to the physical limit is done
        if (e === 'bc' && s.pos[i] > 260 && s.pos[i] < 600) maxInZone = Math.max(maxInZone, s.speed[i]);
      }
    }
    expect(maxInZone).toBeGreaterThan(7);
    expect(maxInZone).toBeLessThan(8 * 1.02);
    const free = new World(scenario(''));
    free.run();
    const mean = (x: World) => x.totals.travelTimeSum / x.totals.arrived;
    // 400 m at 8 m/s instead of 20 m/s costs about 30 s per trip
    expect(mean(w) - mean(free)).toBeGreaterThan(20);
  });

  it('are refused when they name what does not exist or overlap on a lane', () => {
    const bad = () =>
      parseScenario(
        `
name: bad
duration: 100
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 1000, y: 0 } ]
  edges: [ { id: ab, from: a, to: b, lanes: 2, speedLimit: 20 } ]
vehicleTypes: { car: { length: 5, maxSpeed: 30, accel: 1.5, decel: 2, headway: 1.2, minGap: 2 } }
roadEvents:
  - { id: x, kind: roadworks, edge: nowhere, pos: 10 }
  - { id: y, kind: laneClosure, edge: ab, pos: 1200, lanes: [1], end: 5 }
  - { id: z, kind: laneClosure, edge: ab, pos: 100, lanes: [2] }
  - { id: u, kind: stalledVehicle, edge: ab, pos: 500, begin: 10, end: 50 }
  - { id: v, kind: roadworks, edge: ab, pos: 700, lanes: [0, 1], begin: 40 }
`,
        'bad.yaml',
      );
    let lines = '';
    try {
      bad();
    } catch (e) {
      lines = (e as ScenarioError).format();
    }
    expect(lines.split('\n')).toEqual([
      "bad.yaml:9:37: roadEvents.0.edge: unknown edge 'nowhere'",
      "bad.yaml:10:48: roadEvents.1.pos: position 1200 m is beyond the end of edge 'ab' (1000 m)",
      "bad.yaml:11:61: roadEvents.2.lanes.0: edge 'ab' has 2 lane(s); lanes are numbered from 0",
      "bad.yaml:13:5: roadEvents.4: overlaps road event 'u' on lane 0 of edge 'ab' in time; one event per lane at a time",
    ]);
    const noLimit = () =>
      parseScenario(
        `
name: bad
duration: 100
network: { ring: { length: 500, lanes: 1, speedLimit: 10 } }
vehicleTypes: { car: { length: 5, maxSpeed: 30, accel: 1.5, decel: 2, headway: 1.2, minGap: 2 } }
roadEvents: [ { id: w, kind: speedLimit, edge: ring, pos: 100 } ]
`,
        'nolimit.yaml',
      );
    expect(noLimit).toThrow(/nolimit\.yaml:6:15: roadEvents\.0\.speedLimit: a speedLimit event needs a speedLimit/);
  });
});

describe('a block on the only lane that leads on', () => {
  // ab's right-hand lane is the only one that turns right into bd; a stalled vehicle stands on it
  const detour = parseScenario(
    `
name: detour
duration: 300
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 1000, y: 0 }, { id: c, x: 2000, y: 0 }, { id: d, x: 1000, y: -1000 } ]
  edges:
    - { id: ab, from: a, to: b, lanes: 2, speedLimit: 15 }
    - { id: bc, from: b, to: c, lanes: 2, speedLimit: 15 }
    - { id: bd, from: b, to: d, lanes: 1, speedLimit: 15 }
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 1.5, decel: 2, headway: 1.2, minGap: 2 }
demand:
  - flow: { type: car, route: [ab, bd], rate: 600, begin: 0, end: 200 }
roadEvents:
  - { id: stall, kind: stalledVehicle, edge: ab, pos: 600, length: 6, lanes: [0], begin: 0, end: 300 }
`,
    'detour.yaml',
  ).scenario;

  it('drivers go round it on the next lane and come back behind it to turn; nobody waits there', () => {
    const w = new World(detour);
    const net = w.net;
    const ab = net.edgeIds.indexOf('ab');
    const bd = net.edgeIds.indexOf('bd');
    const leadsToBd = (lane: number) => connectionTo(net, lane, bd) >= 0;
    const ab0 = net.edgeFirstLane[ab];
    expect([leadsToBd(ab0), leadsToBd(ab0 + 1)]).toEqual([true, false]);
    let longestWait = 0;
    let turnedAfterBlock = 0;
    w.events$.subscribe((e) => {
      if (e.kind === 'arrive') turnedAfterBlock++;
    });
    while (w.tick < w.ticksTotal) {
      w.step();
      const s = w.state;
      for (let k = w.order.laneStart[ab0]; k < w.order.laneStart[ab0 + 1]; k++) {
        const i = s.order[k];
        if (s.pos[i] > 550 && s.pos[i] <= 600) longestWait = Math.max(longestWait, s.stuck[i]);
      }
    }
    // every car had to pass the block (it stands for the whole run) and reached d
    expect(turnedAfterBlock).toBeGreaterThan(20);
    expect(longestWait).toBeLessThan(30);
    expect(w.totals.removed).toBe(0);
    expect(w.totals.collisions).toBe(0);
    expect(w.totals.minGap).toBeGreaterThan(0);
  });
});
