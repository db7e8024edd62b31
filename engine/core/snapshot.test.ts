import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadScenario, type Scenario } from '../io/scenario/index.js';
import { World } from './world.js';
import { SnapshotError, SnapshotReader, SnapshotWriter } from './snapshot.js';
import { ParallelRunner } from '../parallel/parallel.js';
import { ENGINE_VERSION } from './version.js';
import type { SimEvent } from './events.js';

const file = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const scenarios: [string, Scenario][] = [
  ['grid (signals, random trips)', loadScenario(file('../../../shared/contract/grid.yaml'), { overrides: ['duration=400'] }).scenario],
  ['glosa corridor (V2X)', loadScenario(file('../../scenarios/glosa-corridor.yaml'), { overrides: ['duration=400', 'v2x.penetration=0.5'] }).scenario],
  [
    'laoshan (V2X, road events, every kind of demand)',
    // (without its logistics, which checkpoints do not cover yet)
    { ...loadScenario(file('../../scenarios/laoshan.yaml'), { overrides: ['duration=600', 'roadEvents.0.begin=200', 'roadEvents.0.end=500', 'demand.26.trips.0.depart=250'] }).scenario, logistics: undefined },
  ],
];

const snapshotOf = (w: World): Buffer => {
  const sw = new SnapshotWriter();
  w.snapshot(sw);
  return sw.toBuffer({ engineVersion: ENGINE_VERSION, scenarioHash: 'test', seed: w.seed, tick: w.tick, time: w.time });
};

const record = (w: World) => {
  const events: string[] = [];
  w.events$.subscribe((e: SimEvent) => events.push(JSON.stringify(e)));
  const seconds: string[] = [];
  w.seconds$.subscribe((s) => seconds.push(JSON.stringify(s)));
  return { events, seconds };
};

describe('checkpoints', () => {
  for (const [name, s] of scenarios) {
    it(`${name}: a world restored from a snapshot goes on bit for bit`, () => {
      const whole = new World(s);
      whole.start();
      whole.run(s.duration / 2);
      const wholeLog = record(whole);
      const bytes = snapshotOf(whole);
      whole.run();

      const resumed = new World(s);
      const reader = new SnapshotReader(bytes);
      resumed.restore(reader);
      expect(reader.done).toBe(true);
      const resumedLog = record(resumed);
      resumed.run();
      expect(resumed.tick).toBe(whole.tick);
      expect(resumed.stateHash()).toBe(whole.stateHash());
      expect(resumedLog.events).toEqual(wholeLog.events);
      expect(resumedLog.seconds).toEqual(wholeLog.seconds);
      expect(resumed.totals).toEqual(whole.totals);
      if (whole.v2x) expect(resumed.v2x!.metrics(resumed.totals.inserted)).toEqual(whole.v2x.metrics(whole.totals.inserted));
    });
  }

  it('a snapshot taken on two workers resumes on one, and the other way round, with the same bits', async () => {
    const s = scenarios[2][1];
    const reference = new World(s);
    reference.run();
    const runner = await ParallelRunner.start(2);
    try {
      const a = new World(s, { runner });
      a.run(300);
      const bytes = snapshotOf(a);
      const b = new World(s);
      b.restore(new SnapshotReader(bytes));
      b.run();
      expect(b.stateHash()).toBe(reference.stateHash());

      const c = new World(s);
      c.run(300);
      const d = new World(s, { runner });
      d.restore(new SnapshotReader(snapshotOf(c)));
      d.run();
      expect(d.stateHash()).toBe(reference.stateHash());
    } finally {
      await runner.close();
    }
  });

  it('refuses a damaged, truncated or foreign snapshot', () => {
    const s = scenarios[0][1];
    const w = new World(s);
    w.run(50);
    const bytes = snapshotOf(w);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length >> 1] ^= 1;
    expect(() => new SnapshotReader(flipped)).toThrow(/checksum mismatch/);
    expect(() => new SnapshotReader(bytes.subarray(0, bytes.length - 100))).toThrow(SnapshotError);
    expect(() => new SnapshotReader(Buffer.from('not a snapshot at all, just text'))).toThrow(/not a roadtwin snapshot/);
    // a snapshot of another scenario does not fit this one
    const other = new World(scenarios[1][1]);
    expect(() => other.restore(new SnapshotReader(bytes))).toThrow(SnapshotError);
  });
});
