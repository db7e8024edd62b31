// The live server's rate limit, driven by a clock the test owns: which trace frames go out, that
// nothing between them is lost (signal changes, timeseries rows), and that the run's last state
// is flushed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadScenario } from '../scenario/index.js';
import { World } from '../../sim/world.js';
import { LiveServer } from './server.js';
import { LIVE_PATH, TAG_FRAME, TAG_SIGNALS, type LiveTextMessage } from './protocol.js';

const grid = fileURLToPath(new URL('../../../scenarios/grid.yaml', import.meta.url));
const viewerDir = mkdtempSync(join(tmpdir(), 'roadtwin-live-'));
afterAll(() => rmSync(viewerDir, { recursive: true, force: true }));

interface Received {
  text: LiveTextMessage[];
  frameTimes: number[];
  signalBlocks: Uint8Array[];
}

function connect(url: string): Promise<{ ws: WebSocket; got: Received }> {
  const got: Received = { text: [], frameTimes: [], signalBlocks: [] };
  const ws = new WebSocket(url.replace('http:', 'ws:').replace(/\/$/, '') + LIVE_PATH);
  ws.on('message', (data, isBinary) => {
    const bytes = new Uint8Array(data as Buffer);
    if (!isBinary) got.text.push(JSON.parse(Buffer.from(bytes).toString('utf8')) as LiveTextMessage);
    else if (bytes[0] === TAG_FRAME) got.frameTimes.push(Buffer.from(bytes.subarray(1)).readDoubleLE(0));
    else if (bytes[0] === TAG_SIGNALS) got.signalBlocks.push(bytes.slice(1));
  });
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, got }));
    ws.on('error', reject);
  });
}

const settle = () => new Promise((r) => setTimeout(r, 100));

describe('live server rate limit', () => {
  it('sends at most maxFps frames per second of wall time, the newest due one, and flushes the end', async () => {
    const { scenario } = loadScenario(grid, { overrides: ['duration=120'] });
    const world = new World(scenario);
    let wall = 0;
    const live = await LiveServer.start(world, { port: 0, host: '127.0.0.1', viewerDir, maxFps: 4, now: () => wall });
    try {
      const { ws, got } = await connect(live.url);
      // connected is not ready: the run waits until the viewer has drawn its first picture
      let ready = false;
      void live.waitForViewer().then(() => (ready = true));
      await settle();
      expect(ready).toBe(false);
      ws.send(JSON.stringify({ type: 'ready' }));
      await live.waitForViewer();
      const rowsEmitted: number[] = [];
      world.seconds$.subscribe((s) => rowsEmitted.push(s.time));
      // 10 ms of wall time per 0.1 s tick: a trace frame is due every 100 ms of wall time, and
      // at 4 frames/s one in three goes out (the first due at 100 ms, then 400, 700, …)
      while (world.tick < world.ticksTotal) {
        world.step();
        wall += 10;
      }
      live.finished(viewerDir, true);
      await settle();
      const expected = [0]; // the frame at connection
      for (let t = 1; t <= 118; t += 3) expected.push(t);
      expected.push(120); // the last state, flushed when the run ends
      expect(got.frameTimes).toEqual(expected);
      expect(live.framesSent).toBe(expected.length - 1);
      expect(live.framesCoalesced).toBe(120 - 40);

      // signal changes between frames are not lost: the blocks add up to the final state
      const hello = got.text.find((m) => m.type === 'hello');
      expect(hello?.type === 'hello' && hello.maxFps).toBe(4);
      const conns = hello?.type === 'hello' ? hello.signalConns : [];
      expect(conns.length).toBeGreaterThan(0);
      expect(got.signalBlocks.length).toBeGreaterThan(2);
      const state = new Uint8Array(conns.length);
      for (const b of got.signalBlocks) {
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        for (let i = 0; i < dv.getUint32(8, true); i++) {
          const v = dv.getUint32(12 + i * 4, true);
          state[v & 0x3fffffff] = v >>> 30;
        }
      }
      expect(Array.from(state)).toEqual(conns.map((c) => world.connState[c]));

      // every timeseries row arrives, in order, batched with the frames
      const rows = got.text.flatMap((m) => (m.type === 'seconds' ? m.rows.map((r) => r.time) : []));
      expect(rows).toEqual(rowsEmitted);
      expect(got.text.filter((m) => m.type === 'seconds').length).toBeLessThanOrEqual(expected.length);
      expect(got.text[got.text.length - 1]).toEqual({ type: 'end', complete: true });
      ws.close();
    } finally {
      await live.close();
    }
  });

  it('encodes nothing while no viewer is connected', async () => {
    const { scenario } = loadScenario(grid, { overrides: ['duration=20'] });
    const world = new World(scenario);
    const live = await LiveServer.start(world, { port: 0, host: '127.0.0.1', viewerDir, maxFps: 1000, now: () => 0 });
    try {
      while (world.tick < world.ticksTotal) world.step();
      expect(live.framesSent).toBe(0);
      expect(live.framesCoalesced).toBe(0);
    } finally {
      await live.close();
    }
  });

  it('refuses a frame rate that is not a positive number', async () => {
    const { scenario } = loadScenario(grid, { overrides: ['duration=20'] });
    await expect(LiveServer.start(new World(scenario), { port: 0, host: '127.0.0.1', viewerDir, maxFps: 0 })).rejects.toThrow(/positive/);
  });
});
