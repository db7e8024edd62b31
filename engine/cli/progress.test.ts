import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar } from './progress.js';

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
});
