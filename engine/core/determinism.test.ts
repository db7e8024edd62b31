// Determinism (contract README, "Determinism"): the same scenario and seed give the same
// stateHash, the same per-second samples and the same trip events on every run; another seed
// gives another outcome where the scenario is random; and the command line writes byte-identical
// run directories apart from the manifest's timestamps and the timing fields of metrics.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import type { SecondSample, SimEvent } from '../sim/events.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// the contract scenarios, as copied into the repository (contract-copies.test.ts keeps them equal)
const contract = join(root, 'scenarios');

interface Outcome {
  hash: string;
  seconds: SecondSample[];
  events: SimEvent[];
  totals: unknown;
  hashes: string[];
}

/** Runs a contract scenario (with overrides) and records everything observable. */
function runScenario(name: string, overrides: string[], seed?: number): Outcome {
  const { scenario } = loadScenario(join(contract, `${name}.yaml`), { overrides });
  const w = new World(scenario, seed === undefined ? {} : { seed });
  const seconds: SecondSample[] = [];
  const events: SimEvent[] = [];
  const hashes: string[] = [];
  w.seconds$.subscribe((s) => seconds.push(s));
  w.events$.subscribe((e) => events.push(e));
  w.start();
  while (w.tick < w.ticksTotal) {
    w.step();
    // the state at a few intermediate points too, not only at the end
    if (w.tick % Math.round(60 / w.dt) === 0) hashes.push(w.stateHash());
  }
  w.finish();
  return { hash: w.stateHash(), seconds, events, totals: { ...w.totals }, hashes };
}

const cases: [string, string[]][] = [
  ['ring', []], // 600 s as written
  ['corridor', ['duration=900']],
  ['grid', ['duration=300']],
];

describe('same scenario, same seed: same outcome', () => {
  for (const [name, overrides] of cases) {
    it(`${name}.yaml ${overrides.join(' ')}`, () => {
      const a = runScenario(name, overrides);
      const b = runScenario(name, overrides);
      expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(b.hash).toBe(a.hash);
      expect(b.hashes).toEqual(a.hashes);
      expect(a.hashes.length).toBeGreaterThanOrEqual(5);
      // the state does change over a run (the hash is not a constant)
      expect(new Set(a.hashes).size).toBeGreaterThan(1);
      expect(b.seconds).toEqual(a.seconds);
      expect(a.seconds.length).toBe(Math.round(a.seconds[a.seconds.length - 1].time));
      expect(b.events).toEqual(a.events);
      expect(b.totals).toEqual(a.totals);
      const trips = (o: Outcome) => o.events.filter((e) => e.kind === 'arrive');
      if (name !== 'ring') expect(trips(a).length).toBeGreaterThan(10);
      expect(trips(b)).toEqual(trips(a));
    });
  }

  it('a fresh World after another has run (no state shared between worlds)', () => {
    const first = runScenario('grid', ['duration=60']);
    runScenario('corridor', ['duration=60']);
    expect(runScenario('grid', ['duration=60']).hash).toBe(first.hash);
  });
});

describe('another seed, another outcome', () => {
  it('grid.yaml (random trips) with seed 2 differs from seed 1, through the option and the override alike', () => {
    const one = runScenario('grid', ['duration=120']);
    const two = runScenario('grid', ['duration=120'], 2);
    expect(two.hash).not.toBe(one.hash);
    const departs = (o: Outcome) => o.events.filter((e) => e.kind === 'depart').map((e) => (e as { lane: string }).lane);
    expect(departs(two)).not.toEqual(departs(one));
    // seed=2 as an override is the same run as the seed option
    const viaOverride = runScenario('grid', ['duration=120', 'seed=2']);
    expect(viaOverride.hash).toBe(two.hash);
    expect(viaOverride.events).toEqual(two.events);
  });
});

// ---------------------------------------------------------------- the command line

const built = existsSync(join(root, 'dist', 'engine', 'cli', 'main.js'));
const TIMING = ['wallSeconds', 'updatesPerSecond', 'nsPerUpdate', 'realTimeFactor'];
const STAMPS = ['startedAt', 'finishedAt'];

describe.skipIf(!built)('roadtwin run (compiled CLI): byte-identical run directories', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'roadtwin-determinism-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function run(scenario: string, out: string, ...extra: string[]) {
    const r = spawnSync(process.execPath, ['bin/roadtwin.js', 'run', scenario, '--out', out, '--quiet', ...extra], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }

  const withoutKeys = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

  /** Compares two run directories; `ignore` lists further manifest fields allowed to differ. */
  function compareRunDirs(a: string, b: string, ignore: string[] = []) {
    // report.html is drawn from the files compared here, with the manifest's times and workers
    const files = readdirSync(a).filter((f) => f !== 'report.html').sort();
    expect(readdirSync(b).filter((f) => f !== 'report.html').sort()).toEqual(files);
    for (const f of ['manifest.json', 'metrics.json', 'timeseries.csv', 'trips.csv', 'detectors.csv']) expect(files).toContain(f);
    for (const f of files) {
      const x = readFileSync(join(a, f));
      const y = readFileSync(join(b, f));
      if (f === 'manifest.json') {
        const ma = JSON.parse(x.toString('utf8'));
        const mb = JSON.parse(y.toString('utf8'));
        for (const k of STAMPS) expect(ma).toHaveProperty(k);
        // (the command records each run's own --out and --workers; everything else in it is equal)
        const args = (m: { command: { argv: string[] } }) => m.command.argv.filter((_x, k, all) => all[k - 1] !== '--out' && all[k - 1] !== '--workers');
        expect(args(mb)).toEqual(args(ma));
        expect(withoutKeys(mb, [...STAMPS, 'command', ...ignore])).toEqual(withoutKeys(ma, [...STAMPS, 'command', ...ignore]));
        expect(mb.stateHash).toBe(ma.stateHash);
        expect(ma.complete).toBe(true);
      } else if (f === 'metrics.json') {
        const ma = JSON.parse(x.toString('utf8'));
        const mb = JSON.parse(y.toString('utf8'));
        expect(withoutKeys(mb, TIMING)).toEqual(withoutKeys(ma, TIMING));
        // and the text itself differs only in those fields' values
        const blank = (s: string) => s.replace(new RegExp(`"(${TIMING.join('|')})":\\s*[-0-9.eE+]+`, 'g'), '"$1": 0');
        expect(blank(y.toString('utf8'))).toBe(blank(x.toString('utf8')));
      } else {
        expect(y.equals(x), `${f} differs between the two runs`).toBe(true);
      }
    }
    return JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  }

  it('ring.yaml twice', () => {
    const a = join(tmp, 'ring-a');
    const b = join(tmp, 'ring-b');
    run(join(contract, 'ring.yaml'), a);
    run(join(contract, 'ring.yaml'), b);
    const m = compareRunDirs(a, b);
    // the CLI and the library agree on the final state
    expect(m.stateHash).toBe(runScenario('ring', []).hash);
  });

  it('grid.yaml (120 s) twice', () => {
    const a = join(tmp, 'grid-a');
    const b = join(tmp, 'grid-b');
    run(join(contract, 'grid.yaml'), a, '--duration', '120');
    run(join(contract, 'grid.yaml'), b, '--duration', '120');
    const m = compareRunDirs(a, b);
    expect(m.stateHash).toBe(runScenario('grid', ['duration=120']).hash);
    expect(readFileSync(join(a, 'trips.csv'), 'utf8').split('\n').length).toBeGreaterThan(10);
  });

  it('grid.yaml (300 s) with --workers 1 and --workers 2: the same state and files', () => {
    const a = join(tmp, 'grid-w1');
    const b = join(tmp, 'grid-w2');
    run(join(contract, 'grid.yaml'), a, '--duration', '300', '--workers', '1');
    run(join(contract, 'grid.yaml'), b, '--duration', '300', '--workers', '2');
    // the manifest records what was asked and used (workers, phase statistics); all else is equal
    compareRunDirs(a, b, ['workers', 'workersRequested', 'phases']);
  });
});
