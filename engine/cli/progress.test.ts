import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar } from './progress.js';
import { RunSession, type SessionProgress } from '../io/run/session.js';
import { parseScenario } from '../io/scenario/index.js';

/** A terminal that keeps what is drawn on it. */
function terminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const pass = new PassThrough();
  let out = '';
  pass.on('data', (d: Buffer) => (out += d.toString()));
  const stream = Object.assign(pass, { isTTY: true, columns: 200, rows: 40, cursorTo: () => true, clearLine: () => true, moveCursor: () => true }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}

describe('the progress bar', () => {
  it('shows the simulated time against the scenario duration, not against the tick count', () => {
    const t = terminal();
    const bar = progressBar(false, t.stream)!;
    bar.update({ tick: 0, ticksTotal: 36_000, time: 0, duration: 3600, active: 0, vehicleUpdates: 0, wallSeconds: 0 });
    bar.update({ tick: 18_000, ticksTotal: 36_000, time: 1800, duration: 3600, active: 412, vehicleUpdates: 5e6, wallSeconds: 2 });
    bar.stop();
    expect(t.text()).toContain('sim 1800s of 3600s');
    expect(t.text()).toContain('50%');
    expect(t.text()).not.toContain('of 36000s');
  });

  it('draws nothing when quiet or when the output is not a terminal', () => {
    expect(progressBar(true, terminal().stream)).toBeNull();
    const piped = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    expect(progressBar(false, piped)).toBeNull();
  });

  it('of a real run ends at the scenario duration in simulated seconds (step 0.25 s: 240 ticks for 60 s)', async () => {
    const { scenario, hash } = parseScenario(
      `name: bar
duration: 60
step: 0.25
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 1000, y: 0 } ]
  edges: [ { id: ab, from: a, to: b, lanes: 1, speedLimit: 15 } ]
vehicleTypes: { car: { length: 5, maxSpeed: 30, accel: 2, decel: 3, headway: 1.2, minGap: 2 } }
demand: [ { flow: { type: car, route: [ab], period: 5, begin: 0, end: 60 } } ]
`,
      'bar.yaml',
    );
    const t = terminal();
    const bar = progressBar(false, t.stream)!;
    const reports: SessionProgress[] = [];
    const s = await RunSession.start({ source: { scenario, scenarioHash: hash, scenarioFile: 'bar.yaml' }, workers: 1, onProgress: (p) => (reports.push(p), bar.update(p)) });
    if ('refused' in s) throw new Error(s.message);
    try {
      await s.run();
    } finally {
      await s.close();
    }
    bar.stop();
    expect(reports.at(-1)).toMatchObject({ tick: 240, ticksTotal: 240, time: 60, duration: 60 });
    expect(t.text()).toContain('100% | sim 60s of 60s');
    expect(t.text()).not.toContain('of 240s');
  });
});
