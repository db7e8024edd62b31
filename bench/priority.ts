/**
 * What bus priority gains and costs on the four-arm test junction (docs/signals.md, "Priority"):
 * the 60 s fixed plan of engine/traffic/signal-priority.testkit.ts (26 s greens), cars at
 * `carRate` veh/h on each of W → E and S → N and a bus every `busPeriod` s on W → E (the bus
 * route; S → N is the cross street), all with exponential headways (buses at random points of the
 * cycle; no timetable, so every bus asks), all buses equipped and heard by the RSU at C
 * over a loss-free channel; `seconds` of demand, then the junction runs empty. Once with the plan
 * alone and once with priority { bus: { extension: 10, earlyGreen: 10, maxPerCycle: 1 } }, seeds
 * 1–3. Delay is each trip's time loss (SUMO's timeLoss: the time lost against driving at the top
 * speed the lanes allow), by vehicle class and approach, averaged over the trips of the 3 seeds.
 *
 * With `actuated` as the fourth argument, the same under the actuated controller (defaults).
 *
 *   npx tsx bench/priority.ts [seconds] [carRate] [busPeriod] [fixed|actuated]
 */
import { parseScenario } from '../engine/io/scenario/index.js';
import { World } from '../engine/sim/world.js';
import { PLAN, priorityYaml, withPriority } from '../engine/traffic/signal-priority.testkit.js';

const seconds = Number(process.argv[2] ?? 3600);
const carRate = Number(process.argv[3] ?? 500);
const busPeriod = Number(process.argv[4] ?? 180);
const actuated = process.argv[5] === 'actuated';
const PRIORITY = '{ bus: { extension: 10, earlyGreen: 10, maxPerCycle: 1 } }';
const CONTROLLER = actuated ? ', controller: { type: actuated }' : '';

const demand = `  - flow: { type: car, route: [WC, CE], rate: ${carRate}, headways: exponential, begin: 0, end: ${seconds} }
  - flow: { type: car, route: [SC, CN], rate: ${carRate}, headways: exponential, begin: 0, end: ${seconds} }
  - flow: { type: bus, route: [WC, CE], period: ${busPeriod}, headways: exponential, begin: 0, end: ${seconds} }`;

type Key = 'bus W–E' | 'car W–E' | 'car S–N';
const keys: Key[] = ['bus W–E', 'car W–E', 'car S–N'];

function run(signal: string, seed: number): { loss: Record<Key, number[]>; priority: unknown; red: number } {
  const w = new World(parseScenario(priorityYaml(signal, demand, seconds + 300, undefined, seed), 'priority.yaml').scenario);
  const from = new Map<number, string>();
  const loss = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<Key, number[]>;
  w.events$.subscribe((e) => {
    if (e.kind === 'depart') from.set(e.id, e.lane.startsWith('WC') ? 'W–E' : 'S–N');
    if (e.kind === 'arrive') loss[`${e.type === 'bus' ? 'bus' : 'car'} ${from.get(e.id)}` as Key].push(e.timeLoss);
  });
  w.run();
  return { loss, priority: w.signalControl.priority.size > 0 ? w.signalControl.priority.totals() : null, red: w.totals.redViolations };
}

const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const rows: Record<string, Record<Key, number[]>> = {};
for (const [name, signal] of [
  [actuated ? 'actuated' : 'fixed', actuated ? PLAN.replace(' }', `${CONTROLLER} }`) : PLAN],
  ['priority', actuated ? PLAN.replace(' }', `${CONTROLLER}, priority: ${PRIORITY} }`) : withPriority(PRIORITY)],
] as const) {
  const all = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<Key, number[]>;
  for (const seed of [1, 2, 3]) {
    const r = run(signal, seed);
    for (const k of keys) all[k].push(...r.loss[k]);
    console.log(`${name} seed ${seed}: red-light violations ${r.red}${r.priority ? `, ${JSON.stringify(r.priority)}` : ''}`);
  }
  rows[name] = all;
}
console.log(`\n${seconds} s of demand, cars ${carRate} veh/h per approach, a bus every ${busPeriod} s W → E; mean time loss, s (trips)`);
console.log(`| run | ${keys.join(' | ')} |`);
console.log(`|---|${keys.map(() => '---').join('|')}|`);
for (const [name, all] of Object.entries(rows)) console.log(`| ${name} | ${keys.map((k) => `${mean(all[k]).toFixed(1)} (${all[k].length})`).join(' | ')} |`);
