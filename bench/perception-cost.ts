/**
 * What the perception layer costs on the Laoshan tick (docs/perception.md, "Cost"): the Laoshan
 * scenario with a perception platform added in memory — 33 cameras every 300 m along its three
 * arterials, a dock at each of its 44 drone ports, four depots — and city events at rates far
 * above the district's (so that there is always something to find and handle), run for
 * `seconds` (default 600) simulated seconds; prints the perception phase's share of the tick's
 * wall time, and the tick's time against the same run without events. Timing, so never a test.
 *
 *   npx tsx bench/perception-cost.ts [seconds]
 */
import { loadScenario } from '../engine/io/scenario/index.js';
import { World } from '../engine/sim/world.js';
import { eventsSchema, perceptionSchema } from '../engine/spec/schema-perception.js';

const seconds = Number(process.argv[2] ?? 600);
const { scenario } = loadScenario('scenarios/laoshan.yaml');
const cameras = [];
for (const y of [0, 400, 800]) for (let x = -1500; x <= 1500; x += 300) cameras.push({ id: `cam-${x}-${y}`, x, y: y + 15, height: 12, range: 200 });
const withEvents = {
  ...scenario,
  events: eventsSchema.parse({
    onRoad: [
      { kind: 'crash', rate: 50 },
      { kind: 'breakdown', rate: 200 },
      { kind: 'debris', rate: 100 },
    ],
    areas: [
      { kind: 'complaint', x: 0, y: 400, radius: 1500, rate: 30 },
      { kind: 'fire', x: 0, y: 400, radius: 1500, rate: 5 },
    ],
  }),
  perception: perceptionSchema.parse({
    cameras,
    docksAtDronePorts: true,
    responders: {
      depots: [
        { id: 'police', kind: 'police', edge: 'hefei-D1-C1', units: 4 },
        { id: 'tow', kind: 'tow', edge: 'hefei-B1-A1', units: 3 },
        { id: 'fire', kind: 'fire', edge: 'hefei-F1-G1', units: 2 },
        { id: 'works', kind: 'works', edge: 'hefei-C1-B1', units: 3 },
      ],
    },
  }),
};

function time(sc: typeof scenario): { total: number; perception: number; events: number } {
  const w = new World(sc);
  const t0 = performance.now();
  w.run(seconds);
  const total = performance.now() - t0;
  return { total, perception: w.phaseTimes.perception, events: w.perception?.events.length ?? 0 };
}

const base = time(scenario);
const withP = time(withEvents);
console.log(`Laoshan, ${seconds} s simulated, one thread`);
console.log(`without events: ${(base.total / 1000).toFixed(2)} s wall`);
console.log(`with events:    ${(withP.total / 1000).toFixed(2)} s wall, ${withP.events} city events; perception phase ${(withP.perception / 1000).toFixed(3)} s = ${((100 * withP.perception) / withP.total).toFixed(2)} % of the tick`);
