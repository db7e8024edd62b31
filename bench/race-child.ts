/**
 * One side of the gate's race (bench/race.ts): `race-child ENGINE_ROOT NAME DURATION WORKERS`.
 * Opens the macro benchmark NAME of the engine built under ENGINE_ROOT (this tree's or a
 * reference build's), runs its warm-up, then advances one slice per message from the parent and
 * answers with the slice's wall time and vehicle updates, so that the parent can alternate two
 * builds slice by slice. Speaks through the IPC channel of child_process.fork.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MacroRun, MacroScenario, MacroResult } from './macro.js';
import { calibrateThreads } from './calibrate.js';

/** what the parent sends */
export type RaceCommand = { advance: number } | { finish: true; calibrate: boolean };
/** what a side answers */
export type RaceReply =
  | { ready: true; warmUpEnd: number; end: number }
  | { ms: number; updates: number }
  | { result: MacroResult }
  | { error: string };

const send = (m: RaceReply) => process.send!(m);

async function main(): Promise<void> {
  const [root, name, duration, workers] = process.argv.slice(2);
  const macro = (await import(pathToFileURL(join(root, 'dist/bench/macro.js')).href)) as {
    macroScenarios: Record<string, MacroScenario>;
    // (a reference build older than MacroRun.vehicleUpdates has only result() to count them)
    openMacro?: (name: string, spec: MacroScenario, duration: number | undefined, workers: number) => Promise<Omit<MacroRun, 'vehicleUpdates'> & Partial<Pick<MacroRun, 'vehicleUpdates'>>>;
  };
  // (`file:PATH`: any scenario file, raced as it is)
  const spec = name.startsWith('file:') ? { file: name.slice(5) } : macro.macroScenarios[name];
  if (!spec) throw new Error(`the build under ${root} has no benchmark '${name}'`);
  if (!macro.openMacro) throw new Error(`the build under ${root} predates the race (no openMacro in bench/macro.js)`);
  const w = Number(workers);
  const run = await macro.openMacro(name, spec, duration === '-' ? undefined : Number(duration), w);
  await run.warmUp();
  const timedUpdates = () => run.vehicleUpdates ?? run.result(1).vehicleUpdates;
  let updates = timedUpdates();
  send({ ready: true, warmUpEnd: run.warmUpEnd, end: run.end });
  process.on('message', (m: RaceCommand) => {
    void (async () => {
      try {
        if ('advance' in m) {
          const ms = await run.advance(m.advance);
          const now = timedUpdates();
          send({ ms, updates: now - updates });
          updates = now;
        } else {
          const calibration = m.calibrate ? await calibrateThreads(w) : 1;
          const result = run.result(calibration);
          await run.close();
          send({ result });
          process.disconnect();
        }
      } catch (e) {
        send({ error: (e as Error).message });
        process.disconnect();
      }
    })();
  });
}

main().catch((e: Error) => {
  send({ error: e.message });
  process.disconnect();
});
