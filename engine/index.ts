/**
 * roadtwin as a library: load a scenario, create a world, step it or run it to a time, and
 * subscribe to its streams.
 *
 *   import { loadScenario, World, RunWriter } from 'roadtwin';
 *   const { scenario } = loadScenario('scenarios/laoshan.yaml');
 *   const world = new World(scenario);
 *   world.events$.subscribe((e) => { if (e.kind === 'arrive') console.log(e.id, e.time - e.depart); });
 *   world.run(600);            // or world.step() tick by tick
 *   console.log(world.stateHash());
 *
 * or, as `roadtwin run` does, a run session that writes the run directory, checkpoints and all:
 *
 *   import { RunSession, exitCodeOf } from 'roadtwin';
 *   const s = await RunSession.start({ source: { scenarioFile: 'scenarios/laoshan.yaml', out: 'runs/x' }, workers: 4 });
 *   if (!('refused' in s)) try { console.log((await s.run()).status); } finally { await s.close(); }
 */
export { World, type WorldOptions, type TrafficTotals } from './sim/world.js';
export type { SimEvent, DepartEvent, ArriveEvent, RemoveEvent, DetectorEvent, SecondSample, TickInfo } from './sim/events.js';
export { F_ACTIVE, F_EQUIPPED, F_PASS, F_DWELL, BYTES_PER_SLOT } from './core/state.js';
export { ENGINE_VERSION } from './core/version.js';
export { loadScenario, parseScenario, ScenarioError, scenarioJsonSchema, type Scenario, type LoadedScenario } from './io/scenario/index.js';
export { RunWriter, type RunMeta, type RunEnd } from './io/run/writer.js';
export { RunSession, type RunSessionOptions, type RunSource, type SessionProgress, type SessionResult, type SessionRefusal } from './io/run/session.js';
export { exitCodeOf, failureText, refusalText } from './io/run/report.js';
export { equilibriumGap, equilibriumSpeed, laneCapacity, idmAccel, type IdmParams } from './traffic/idm.js';
