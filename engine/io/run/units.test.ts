// metrics.json's `units` block covers every numeric field of real runs (Laoshan with V2X and
// logistics, a corridor with city events and perception), and docs/run-directory.md gives every
// unit of the table (units.ts) the same.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunSession } from './session.js';
import { METRIC_UNITS, numericLeaves, unitOf } from './units.js';
import { metricsJson } from './metrics.js';
import { World } from '../../sim/world.js';
import { corridor } from '../../perception/corridor.testkit.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('the units of metrics.json', () => {
  it('name every numeric field of a real Laoshan run (2 minutes, V2X and logistics)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rt-units-')), 'laoshan');
    const s = await RunSession.start({ source: { scenarioFile: join(root, 'scenarios', 'laoshan.yaml'), overrides: ['duration=120'], out }, workers: 1 });
    if ('refused' in s) throw new Error(s.message);
    try {
      expect((await s.run()).status).toBe('complete');
    } finally {
      await s.close();
    }
    const { units, ...figures } = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as Record<string, unknown> & { units: Record<string, string> };
    const leaves = numericLeaves(figures);
    // the blocks are all there, so the check covers them
    for (const p of ['traffic.meanSpeed', 'v2x.meanLatencyMs', 'logistics.byMode.drone.energyKWh', 'logistics.robotWaitingAtCrossings']) expect(leaves).toContain(p);
    expect(leaves.length).toBeGreaterThan(60);
    expect(leaves.filter((p) => units[p] === undefined)).toEqual([]);
    // and nothing else: every entry is a numeric field of the file
    expect(Object.keys(units).sort()).toEqual([...leaves].sort());
    expect(units).toMatchObject({
      'traffic.meanSpeed': 'm/s',
      'traffic.fuelL': 'L',
      'v2x.sent.bsm': 'count',
      'v2x.packetDeliveryRatio': '1',
      'logistics.byMode.van.km': 'km',
      'logistics.robotWaitingAtCrossings': 's',
      ticks: 'count',
    });
  });

  it('name every numeric field of the perception block (a corridor with city events, 10 minutes)', () => {
    const w = new World(
      corridor(
        `events:
  list:
    - { kind: crash, at: 60, edge: ab, pos: 600 }
    - { kind: fire, at: 30, x: 1500, y: 300 }
  areas:
    - { kind: complaint, x: 1000, y: 100, radius: 500, rate: 20 }
perception:
  docks: [ { id: d1, x: 1000, y: 100 } ]
  responders:
    depots: [ { id: p, kind: police, edge: ab }, { id: t, kind: tow, edge: ab }, { id: f, kind: fire, edge: ab }, { id: w, kind: works, edge: ab } ]`,
        { duration: 600 },
      ),
    );
    w.run();
    const { units, ...figures } = metricsJson(w, { wallSeconds: 1 }, { count: 0, waitingSum: 0, haltsSum: 0 }) as Record<string, unknown> & { units: Record<string, string> };
    const leaves = numericLeaves(figures);
    expect(leaves).toContain('perception.bySource.camera.time.p50');
    expect(leaves.filter((p) => p.startsWith('perception.')).length).toBeGreaterThan(30);
    expect(leaves.filter((p) => units[p] === undefined)).toEqual([]);
    expect(units['perception.vehicleHoursLost']).toBe('h');
  });

  it('match the metrics.json section of docs/run-directory.md, field by field', () => {
    const doc = readFileSync(join(root, 'docs', 'run-directory.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## metrics.json'), doc.indexOf('\n## ', doc.indexOf('## metrics.json') + 5));
    // rows `| \`path\`, \`path\` | unit | …`
    const documented = new Map<string, string>();
    for (const line of section.split('\n')) {
      const m = /^\| (`[^|]+`) \| ([^|]*) \|/.exec(line);
      if (!m) continue;
      for (const [, path] of m[1].matchAll(/`([^`]+)`/g)) documented.set(path, m[2].trim());
    }
    const missing = Object.keys(METRIC_UNITS).filter((p) => !documented.has(p));
    expect(missing).toEqual([]);
    const wrong = Object.entries(METRIC_UNITS).filter(([p, u]) => documented.get(p) !== u).map(([p, u]) => `${p}: table ${u}, docs ${documented.get(p)}`);
    expect(wrong).toEqual([]);
  });

  it('match patterns by whole keys only', () => {
    expect(unitOf('logistics.byMode.robot.utilisation')).toBe('1');
    expect(unitOf('v2x.warnings.fcw')).toBe('count');
    expect(unitOf('logistics.byMode.robot')).toBeUndefined();
    expect(unitOf('traffic.meanSpeedy')).toBeUndefined();
  });
});
