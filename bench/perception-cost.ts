/**
 * What the perception layer costs on the Laoshan tick (docs/perception.md, "Cost"): the Laoshan
 * scenario with a perception platform added in memory — 33 cameras every 300 m along its three
 * arterials, a dock at each of its 44 drone ports, four depots — and city events at rates far
 * above the district's (so that there is always something to find and handle), run for
 * `seconds` (default 600) simulated seconds, every dock patrolling every 15 minutes; prints the
 * perception phase's share of the tick's wall time, what RSI for the city events adds to the v2x
 * phase (the same run with `rsi: false`), and the tick's time against the run without events;
 * the medians of `reps` interleaved repetitions (default 1). Timing, so never a test.
 *
 *   npx tsx bench/perception-cost.ts [seconds] [reps]
 */
import { loadScenario } from '../engine/io/scenario/index.js';
import { World } from '../engine/sim/world.js';
import { eventsSchema, perceptionSchema } from '../engine/spec/schema-perception.js';

const seconds = Number(process.argv[2] ?? 600);
const reps = Number(process.argv[3] ?? 1);
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
    patrol: { every: 900 },
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

const noEvents = { ...scenario, events: undefined, perception: undefined };
const noRsi = { ...withEvents, perception: { ...withEvents.perception, rsi: false } };

interface Timing {
  total: number;
  perception: number;
  v2x: number;
  events: number;
  patrols: number;
  /** vehicle updates (vehicles on the road, summed over the ticks) */
  updates: number;
}

function time(sc: typeof scenario): Timing {
  const w = new World(sc);
  const t0 = performance.now();
  w.run(seconds);
  const total = performance.now() - t0;
  return { total, perception: w.phaseTimes.perception, v2x: w.phaseTimes.v2x, events: w.perception?.events.length ?? 0, patrols: w.perception?.patrols.length ?? 0, updates: w.totals.vehicleUpdates };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const runs: Record<'base' | 'rsi' | 'noRsi', Timing[]> = { base: [], rsi: [], noRsi: [] };
for (let k = 0; k < reps; k++) {
  // interleaved, so that the machine's load drifts over all three alike
  runs.base.push(time(noEvents));
  runs.rsi.push(time(withEvents));
  runs.noRsi.push(time(noRsi));
}
const s1 = (ms: number) => (ms / 1000).toFixed(2);
const m = (k: keyof typeof runs, f: keyof Timing) => median(runs[k].map((t) => t[f]));
console.log(`Laoshan, ${seconds} s simulated, one thread, median of ${reps}`);
console.log(`without events:        ${s1(m('base', 'total'))} s wall, v2x phase ${s1(m('base', 'v2x'))} s`);
console.log(`with events, RSI off:  ${s1(m('noRsi', 'total'))} s wall, v2x phase ${s1(m('noRsi', 'v2x'))} s, perception phase ${s1(m('noRsi', 'perception'))} s`);
console.log(
  `with events and RSI:   ${s1(m('rsi', 'total'))} s wall, v2x phase ${s1(m('rsi', 'v2x'))} s, perception phase ${s1(m('rsi', 'perception'))} s; ${runs.rsi[0].events} city events, ${runs.rsi[0].patrols} patrols`,
);
const share = runs.rsi.map((t) => t.perception / t.total);
// RSI slows the warned drivers, so that run has more vehicles on the road: its v2x phase is
// compared per vehicle update
const perUpdate = (k: keyof typeof runs) => median(runs[k].map((t) => t.v2x / t.updates));
const rsiCost = (perUpdate('rsi') - perUpdate('noRsi')) * m('rsi', 'updates');
console.log(`vehicle updates: without events ${m('base', 'updates')}, RSI off ${m('noRsi', 'updates')}, RSI on ${m('rsi', 'updates')}`);
console.log(`perception phase: ${(100 * median(share)).toFixed(2)} % of the tick (runs: ${share.map((x) => (100 * x).toFixed(2)).join(', ')} %)`);
console.log(`RSI in the v2x phase: ${s1(rsiCost)} s = ${((100 * rsiCost) / m('rsi', 'total')).toFixed(2)} % of the tick (the v2x phase per vehicle update with RSI − without, times the updates)`);
console.log(`the layer: ${((100 * (m('rsi', 'perception') + Math.max(0, rsiCost))) / m('rsi', 'total')).toFixed(2)} % of the tick`);
