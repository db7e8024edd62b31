/**
 * One tick, as the list of its phases in the order they run. This list is the tick: World.step()
 * runs it, the benchmarks' phase split and `World.phaseTimes` are keyed by its names, and the
 * README and docs/architecture.md show it. The phases that split their items across worker
 * threads say so (`threads`: the names in phases.ts); everything else runs in the main thread,
 * in a fixed order, so that the result never depends on the number of threads.
 *
 * A phase reads the state the phases before it left; the per-vehicle phases (decide, move) never
 * read what their own phase writes, so any split of their items gives the same bits.
 */
import type { ThreadPhaseName } from './phases.js';

/** What the phases call on the world (World implements it; this module does not import World). */
export interface TickHost {
  updateControl(): void;
  communicate(): void;
  decide(): void;
  resolveLanes(): void;
  move(): void;
  finishTrips(): void;
  stepLogistics(): void;
  stepPerception(): void;
  insert(): void;
  record(): void;
}

export interface TickPhase {
  readonly name: string;
  /** what it does, in a line (docs/architecture.md is written from these) */
  readonly does: string;
  /** the thread phases (phases.ts) it hands to the runner, if any */
  readonly threads: readonly ThreadPhaseName[];
  readonly run: (w: TickHost) => void;
}

export const TICK_PHASES = [
  { name: 'signals', does: 'signal programs (fixed-time, actuated, max-pressure, adaptive) and road events in force at the tick start', threads: [], run: (w) => w.updateControl() },
  { name: 'v2x', does: 'V2X: positions, congestion control, BSM/RSU packets on the air, receptions and applications', threads: ['v2xPrepare', 'v2xSchedule', 'v2xReceive'], run: (w) => w.communicate() },
  { name: 'decide', does: 'each vehicle: acceleration (IDM within the safety envelope) and lane-change wish (MOBIL)', threads: ['decide'], run: (w) => w.decide() },
  { name: 'lanes', does: 'lane changes resolved serially by vehicle id; vehicles stuck at a lane end rerouted', threads: [], run: (w) => w.resolveLanes() },
  { name: 'move', does: 'each vehicle advances (ballistic update) and crosses into its next lane, and adds the tick to its lane and edge figures; the clock reads the tick end', threads: ['move'], run: (w) => w.move() },
  { name: 'finish', does: 'arrivals and gridlock removals leave, serially by id; the lane order is updated', threads: [], run: (w) => w.finishTrips() },
  { name: 'logistics', does: 'drones and robots advance, van stops are served, orders dispatched', threads: ['drones', 'robots'], run: (w) => w.stepLogistics() },
  { name: 'perception', does: 'city events: arrivals, detection by cameras, vehicles, citizens and drones, dispatch and clearance (once a second)', threads: [], run: (w) => w.stepPerception() },
  { name: 'insert', does: 'due departures enter where their first lane has a gap, queue by queue in edge order', threads: [], run: (w) => w.insert() },
  { name: 'record', does: 'detectors count; the queues of the junction movements (serially, lane by lane); an interval ending sums the parts\' edge and junction figures; the second sample and the tick are published', threads: ['detectors'], run: (w) => w.record() },
] as const satisfies readonly TickPhase[];

export type TickPhaseName = (typeof TICK_PHASES)[number]['name'];
export const TICK_PHASE_NAMES: readonly TickPhaseName[] = TICK_PHASES.map((p) => p.name);

/** Wall-clock milliseconds spent in each phase (benchmarks only; never part of a result). */
export type PhaseTimes = Record<TickPhaseName, number>;

export function newPhaseTimes(): PhaseTimes {
  return Object.fromEntries(TICK_PHASE_NAMES.map((n) => [n, 0])) as PhaseTimes;
}

/** Runs one tick's phases in order, adding each one's wall time to `times`. */
export function runTick(w: TickHost, times: PhaseTimes): void {
  let t0 = performance.now();
  for (let i = 0; i < TICK_PHASES.length; i++) {
    const phase = TICK_PHASES[i];
    phase.run(w);
    const t1 = performance.now();
    times[phase.name] += t1 - t0;
    t0 = t1;
  }
}
