// The incident loop gives the same bits on 1 and 3 threads (threads forced with inlineBelow: 0):
// it reads only the state the per-vehicle phases leave, and its draws are counter-based.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { World } from '../sim/world.js';
import { InlineRunner } from '../core/runner.js';
import { ParallelRunner } from '../parallel/parallel.js';
import { corridor } from './corridor.testkit.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist', 'engine', 'parallel', 'worker.js'));

const scenario = corridor(
  `events:
  kinds: { crash: { lanes: 1, onScene: 200 } }
  onRoad: [ { kind: breakdown, rate: 3000 } ]
  list: [ { kind: crash, at: 60, edge: ab, pos: 600 } ]
  areas: [ { kind: complaint, x: 1000, y: 100, radius: 500, rate: 30 } ]
perception:
  cameras: [ { id: c1, x: 600, y: 20 } ]
  docks: [ { id: d1, x: 1000, y: 100 } ]
  responders:
    depots: [ { id: p, kind: police, edge: ab }, { id: t, kind: tow, edge: ab } ]`,
  { duration: 900, rate: 2000 },
);

// with V2X: the confirmed on-road events are announced by RSI (the shared table the perception
// writes and every thread's receivers read) and HLW warns the drivers; a dock patrols
const withRsi = corridor(
  `v2x:
  penetration: 0.5
  channel: { model: unitDisk, range: 400, loss: 0 }
  rsus: [ { id: r1, x: 600, y: 0, intersections: [] }, { id: r2, x: 1400, y: 0, intersections: [] } ]
  apps: { hlw: { distance: 300, speed: 8.33 } }
events:
  kinds: { crash: { lanes: 1, onScene: 200, cameraDay: 0.05 }, breakdown: { onScene: 150 } }
  onRoad: [ { kind: breakdown, rate: 3000 } ]
  list: [ { kind: crash, at: 60, edge: ab, pos: 600 } ]
perception:
  cameras: [ { id: c1, x: 600, y: 20 } ]
  docks: [ { id: d1, x: 1000, y: 100, drones: 3 } ]
  patrol: { every: 300, start: 30 }
  responders:
    depots: [ { id: p, kind: police, edge: ab }, { id: t, kind: tow, edge: ab, units: 3 } ]`,
  { duration: 600, rate: 2000 },
);

async function outcome(threads: number, sc = scenario): Promise<{ hash: string; events: string; hlw: number; rsi: number; patrols: number }> {
  const runner = threads > 1 ? await ParallelRunner.start(threads, { inlineBelow: 0 }) : new InlineRunner(1);
  try {
    const w = new World(sc, { runner });
    w.run();
    if (runner instanceof ParallelRunner) expect(runner.parallelPhases).toBeGreaterThan(0);
    return { hash: w.stateHash(), events: JSON.stringify(w.perception!.events), hlw: w.v2x?.warnings.hlw ?? 0, rsi: w.v2x?.sent.rsi ?? 0, patrols: w.perception!.patrols.length };
  } finally {
    await runner.close();
  }
}

describe.skipIf(!built)('perception on threads', () => {
  it('1 and 3 threads: the same events and state', async () => {
    const one = await outcome(1);
    const three = await outcome(3);
    expect(JSON.parse(one.events).length).toBeGreaterThan(3);
    expect(three.events).toBe(one.events);
    expect(three.hash).toBe(one.hash);
  }, 120_000);

  it('RSI for city events and patrols: 1 and 2 threads, the same warnings and state', async () => {
    const one = await outcome(1, withRsi);
    const two = await outcome(2, withRsi);
    expect(one.rsi).toBeGreaterThan(0);
    expect(one.hlw).toBeGreaterThan(10);
    expect(one.patrols).toBeGreaterThan(0);
    expect(two.patrols).toBe(one.patrols);
    expect(two.hlw).toBe(one.hlw);
    expect(two.rsi).toBe(one.rsi);
    expect(two.events).toBe(one.events);
    expect(two.hash).toBe(one.hash);
  }, 120_000);
});
