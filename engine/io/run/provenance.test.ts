// A run directory describes how it was made and can be made again: the manifest records the
// command, the overrides in order, the seed, engine, Node and platform; scenario.yaml is the
// scenario as read, and running that copy ends in the same stateHash, also for a scenario whose
// orders come from a CSV file beside it.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunSession } from './session.js';
import { shellLine } from './provenance.js';
import { loadScenario, parseScenario } from '../scenario/index.js';
import { readdirSync } from 'node:fs';
import { ENGINE_VERSION } from '../../core/version.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const scenarios = join(root, 'scenarios');
const dir = mkdtempSync(join(tmpdir(), 'rt-provenance-'));

async function run(scenarioFile: string, out: string, overrides: string[] = [], command?: string[]): Promise<Record<string, any>> {
  const s = await RunSession.start({ source: { scenarioFile, overrides, out, command }, workers: 1 });
  if ('refused' in s) throw new Error(s.message);
  try {
    expect((await s.run()).status).toBe('complete');
  } finally {
    await s.close();
  }
  return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
}

describe('the manifest', () => {
  it('records the command, every override in order, the seed, the engine, Node and the platform', async () => {
    const argv = ['roadtwin', 'run', 'scenarios/corridor.yaml', '--out', "runs/it's mine", '--set', 'demand.0.flow.rate=1200', '--set', 'name=mine', '--seed', '5', '--duration', '60'];
    const m = await run(join(scenarios, 'corridor.yaml'), join(dir, 'manifest'), ['demand.0.flow.rate=1200', 'name=mine', 'seed=5', 'duration=60'], argv);
    expect(m.command).toEqual({ argv, line: `roadtwin run scenarios/corridor.yaml --out 'runs/it'\\''s mine' --set demand.0.flow.rate=1200 --set name=mine --seed 5 --duration 60` });
    expect(m.overrides).toEqual([
      { path: 'demand.0.flow.rate', value: 1200 },
      { path: 'name', value: 'mine' },
      { path: 'seed', value: 5 },
      { path: 'duration', value: 60 },
    ]);
    expect(m).toMatchObject({ name: 'mine', seed: 5, duration: 60, engineVersion: ENGINE_VERSION, nodeVersion: process.version, platform: process.platform, arch: process.arch });
    expect(m.files.scenario).toBe('scenario.yaml');
  });

  it('of a resumed run keeps the command and overrides of its first start', async () => {
    const out = join(dir, 'resumed');
    const argv = ['roadtwin', 'run', 'scenarios/grid.yaml', '--set', 'duration=120', '--checkpoint-every', '30'];
    const abort = new AbortController();
    const first = await RunSession.start({
      source: { scenarioFile: join(scenarios, 'grid.yaml'), overrides: ['duration=120'], out, checkpointEvery: 30, command: argv },
      workers: 1,
      signal: abort.signal,
      onProgress: (p) => p.time >= 45 && abort.abort(),
    });
    if ('refused' in first) throw new Error(first.message);
    try {
      expect((await first.run()).status).toBe('interrupted');
    } finally {
      await first.close();
    }
    const again = await RunSession.start({ source: { resume: out }, workers: 1 });
    if ('refused' in again) throw new Error(again.message);
    try {
      expect((await again.run()).status).toBe('complete');
    } finally {
      await again.close();
    }
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ complete: true, command: { argv }, overrides: [{ path: 'duration', value: 120 }], nodeVersion: process.version });
    // the scenario copy of the first start is still there, and repeats the run
    const repeat = await run(join(out, 'scenario.yaml'), join(dir, 'resumed-again'));
    expect(repeat.stateHash).toBe(m.stateHash);
  });

  it('quotes for a POSIX shell only what needs quoting', () => {
    expect(shellLine(['roadtwin', 'run', 'a b.yaml', '--set', 'x=[1, 2]', '--set', 'v2x.penetrationByType={}', ''])).toBe(
      "roadtwin run 'a b.yaml' --set 'x=[1, 2]' --set 'v2x.penetrationByType={}' ''",
    );
  });
});

describe('scenario.yaml', () => {
  it('runs again to the same stateHash (corridor with overrides and another seed)', async () => {
    const first = await run(join(scenarios, 'corridor.yaml'), join(dir, 'c1'), ['demand.0.flow.rate=1200', 'duration=300', 'seed=2']);
    const copy = join(dir, 'c1', 'scenario.yaml');
    const again = await run(copy, join(dir, 'c2'));
    expect(again.stateHash).toBe(first.stateHash);
    expect(again.scenarioHash).toBe(first.scenarioHash);
    // the overrides are in the copy: no override needed to repeat the run
    expect(again).toMatchObject({ seed: 2, duration: 300, overrides: [] });
    expect(loadScenario(copy).scenario.demand[0]).toMatchObject({ flow: { rate: 1200 } });
    // and so is its own copy: a copy of a copy is the same text
    expect(readFileSync(join(dir, 'c2', 'scenario.yaml'), 'utf8')).toBe(readFileSync(copy, 'utf8'));
  });

  it('inlines orders read from a CSV file, so that the copy needs nothing beside it', async () => {
    const base = mkdtempSync(join(tmpdir(), 'rt-provenance-csv-'));
    const yaml = readFileSync(join(scenarios, 'logistics-small.yaml'), 'utf8').replace('    areas:\n', '    csv: orders-in.csv\n    areas:\n');
    writeFileSync(join(base, 'with-csv.yaml'), yaml);
    writeFileSync(join(base, 'orders-in.csv'), 'created,hub,x,y,weight,deadline\n10,hub-c,600,700,1.5,1800\n30,hub-c,300,900,6,1800\n');
    const first = await run(join(base, 'with-csv.yaml'), join(dir, 'o1'), ['duration=400']);
    // the copy runs from another directory, where no orders-in.csv is
    const elsewhere = mkdtempSync(join(tmpdir(), 'rt-provenance-copy-'));
    copyFileSync(join(dir, 'o1', 'scenario.yaml'), join(elsewhere, 'copy.yaml'));
    const text = readFileSync(join(elsewhere, 'copy.yaml'), 'utf8');
    expect(text).toContain('orders-in.csv'); // (named in the header comment)
    expect(loadScenario(join(elsewhere, 'copy.yaml')).scenario.logistics!.orders).toMatchObject({ list: [{ created: 10, hub: 'hub-c', weight: 1.5 }, { created: 30, weight: 6 }] });
    const again = await run(join(elsewhere, 'copy.yaml'), join(dir, 'o2'));
    expect(again.stateHash).toBe(first.stateHash);
    const delivered = (d: string) => readFileSync(join(dir, d, 'orders.csv'), 'utf8');
    expect(delivered('o2')).toBe(delivered('o1'));
  });

  it('of every shipped scenario loads back to the same scenario hash', async () => {
    const { scenarioCopyText } = await import('./provenance.js');
    const files = readdirSync(scenarios).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) {
      const a = loadScenario(join(scenarios, f));
      expect(parseScenario(scenarioCopyText(a.scenario), `${f} (copy)`).hash, f).toBe(a.hash);
    }
  });
});
