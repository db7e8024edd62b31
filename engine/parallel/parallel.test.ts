// Parallel ticks give the same bits as one thread, for any number of workers; a failing worker
// stops the run cleanly. Threads are forced on small scenarios with inlineBelow: 0.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, type Scenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { InlineRunner } from '../core/runner.js';
import { ParallelRunner } from './parallel.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist', 'engine', 'parallel', 'worker.js'));
const scenarios = join(root, 'scenarios');

/** Runs a scenario and returns its hash and per-second samples and events, as text. */
async function fingerprint(file: string, duration: number, threads: number): Promise<{ hash: string; log: string }> {
  const { scenario } = loadScenario(file, { overrides: [`duration=${duration}`] });
  return fingerprintOf(scenario, threads);
}

async function fingerprintOf(scenario: Scenario, threads: number): Promise<{ hash: string; log: string }> {
  const runner = threads > 1 ? await ParallelRunner.start(threads, { inlineBelow: 0 }) : new InlineRunner(1);
  try {
    const w = new World(scenario, { runner });
    const lines: string[] = [];
    w.events$.subscribe((e) => lines.push(JSON.stringify(e)));
    w.seconds$.subscribe((s) => lines.push(JSON.stringify(s)));
    w.run();
    w.finish();
    if (runner instanceof ParallelRunner) {
      expect(runner.parallelPhases).toBeGreaterThan(0);
      // every per-vehicle phase the scenario has ran on the threads
      const used = runner.usage().byPhase;
      if (scenario.detectors.length > 0) expect(used.detectors?.threads).toBe(w.tick);
      if (scenario.v2x) expect([used.v2xPrepare?.threads, used.v2xSchedule?.threads, used.v2xReceive?.threads]).toEqual([w.tick, w.tick, w.tick]);
      const fleets = w.logistics;
      if (fleets) expect([used.drones?.threads, used.robots?.threads]).toEqual([fleets.drones.count > 0 ? w.tick : undefined, fleets.robots.count > 0 ? w.tick : undefined]);
    }
    return { hash: w.stateHash(), log: lines.join('\n') };
  } finally {
    await runner.close();
  }
}

describe.skipIf(!built)('parallel ticks', () => {
  const cases: [string, number][] = [
    ['ring.yaml', 120],
    ['corridor.yaml', 600],
    ['grid.yaml', 300],
    ['laoshan.yaml', 300],
    // V2X on a signalised corridor (GLOSA, RLVW, FCW), and drones from docks with a no-fly zone and a gust
    ['glosa-corridor.yaml', 600],
    ['drone-delivery.yaml', 1800],
  ];
  it.each(cases)('%s: same state hash, events and samples for 1, 2, 3 and 4 threads', async (name, duration) => {
    const file = join(scenarios, name);
    const one = await fingerprint(file, duration, 1);
    for (const threads of [2, 3, 4]) {
      const many = await fingerprint(file, duration, threads);
      expect(many.hash).toBe(one.hash);
      expect(many.log === one.log).toBe(true);
    }
  }, 120_000);

  it('random small networks and demand: 1 and 3 threads agree bit for bit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          rows: fc.integer({ min: 2, max: 3 }),
          cols: fc.integer({ min: 2, max: 4 }),
          lanes: fc.integer({ min: 1, max: 3 }),
          signals: fc.boolean(),
          period: fc.double({ min: 0.5, max: 4, noNaN: true }),
          placed: fc.integer({ min: 0, max: 60 }),
          headway: fc.double({ min: 0.8, max: 2, noNaN: true }),
          seed: fc.integer({ min: 1, max: 10_000 }),
        }),
        async (p) => {
          const yaml = `
name: random-grid
seed: ${p.seed}
duration: 90
network:
  grid: { rows: ${p.rows}, cols: ${p.cols}, spacing: 120, lanes: ${p.lanes}, speedLimit: 13.9${p.signals ? ', signals: { cycle: 40, yellow: 3 }' : ''} }
vehicleTypes:
  car: { length: 4.5, maxSpeed: 20, accel: 2, decel: 3, headway: ${p.headway}, minGap: 2, speedDev: 0.1 }
demand:
  - place: { type: car, count: ${p.placed}, speed: 3, jitter: 1 }
  - randomTrips: { type: car, period: ${p.period}, begin: 0, end: 90 }
`;
          const { scenario } = parseScenario(yaml, 'random.yaml', {});
          const a = await fingerprintOf(scenario, 1);
          const b = await fingerprintOf(scenario, 3);
          // twice on threads: a race shows as two threaded runs that disagree
          const b2 = await fingerprintOf(scenario, 3);
          expect(b.hash).toBe(a.hash);
          expect(b2.hash).toBe(a.hash);
          expect(b.log === a.log).toBe(true);
        },
      ),
      { numRuns: 8, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
    );
  }, 180_000);
});

describe.skipIf(!existsSync(join(root, 'dist', 'engine', 'cli', 'main.js')))('roadtwin run --workers', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['bin/roadtwin.js', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });

  it.each([
    ['ring.yaml', 600],
    ['corridor.yaml', 900],
    ['grid.yaml', 200],
    ['laoshan.yaml', 300],
  ])('%s: writes identical run directories (timing fields aside) for --workers 1, 2, 3, 4', (scenario, duration) => {
    const base = mkdtempSync(join(tmpdir(), 'roadtwin-workers-'));
    const dirs: string[] = [];
    for (const w of [1, 2, 3, 4]) {
      const out = join(base, `w${w}`);
      dirs.push(out);
      // ROADTWIN_INLINE_BELOW=0 puts even a small scenario on the threads
      const r = run(['run', join(scenarios, scenario), '--duration', String(duration), '--workers', String(w), '--out', out, '--quiet'], { ROADTWIN_INLINE_BELOW: '0' });
      expect(r.status, r.stderr).toBe(0);
    }
    // report.html is drawn from the other files, with the manifest's workers and times
    const files = readdirSync(dirs[0]).filter((f) => !['manifest.json', 'metrics.json', 'report.html'].includes(f));
    expect(files.length).toBeGreaterThanOrEqual(8);
    const timing = ['wallSeconds', 'updatesPerSecond', 'nsPerUpdate', 'realTimeFactor'];
    const metrics = (d: string) => {
      const m = JSON.parse(readFileSync(join(d, 'metrics.json'), 'utf8'));
      for (const k of timing) delete m[k];
      return m;
    };
    const manifest = (d: string) => {
      const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
      return { stateHash: m.stateHash, ticks: m.ticks, complete: m.complete, scenarioHash: m.scenarioHash };
    };
    for (const d of dirs.slice(1)) {
      for (const f of files) expect(readFileSync(join(d, f)).equals(readFileSync(join(dirs[0], f))), `${f} differs in ${d}`).toBe(true);
      expect(metrics(d)).toEqual(metrics(dirs[0]));
      expect(manifest(d)).toEqual(manifest(dirs[0]));
    }
    const m4 = JSON.parse(readFileSync(join(dirs[3], 'manifest.json'), 'utf8'));
    expect(m4.workers).toBe(4);
    expect(m4.workersRequested).toBe(4);
    expect(m4.phases.parallelPhases).toBeGreaterThan(0);
    expect(m4.phases.byPhase.decide.threads).toBe(m4.ticks);
  }, 120_000);

  it.each([
    ['throw', 'grid.yaml', 'move'],
    ['exit', 'grid.yaml', 'move'],
    ['throw', 'laoshan.yaml', 'v2xReceive'],
    ['exit', 'laoshan.yaml', 'drones'],
  ])('a worker that fails (%s) stops the run within seconds, naming the tick and phase (%s, %s)', (mode, scenario, phase) => {
    const out = join(mkdtempSync(join(tmpdir(), 'roadtwin-fault-')), 'run');
    const t0 = Date.now();
    const r = run(['run', join(scenarios, scenario), '--duration', '200', '--workers', '3', '--out', out, '--quiet'], {
      ROADTWIN_INLINE_BELOW: '0',
      ROADTWIN_FAULT: `${mode}:2:300:${phase}`,
    });
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`tick 300, phase ${phase}`);
    expect(r.stderr).toContain('written up to tick 300');
    expect(r.stderr).not.toMatch(/^ {4}at /m);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.complete).toBe(false);
    expect(manifest.ticks).toBe(300);
    expect(manifest.reason).toContain(`phase ${phase}`);
    // the files written so far are whole
    const ts = readFileSync(join(out, 'timeseries.csv'), 'utf8').trimEnd().split('\n');
    expect(ts.length - 1).toBe(30);
  }, 60_000);
});
