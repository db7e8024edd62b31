// Whatever a client writes to the live WebSocket, the run and the other viewers go on: random
// bytes after the handshake, frames with any opcode, flag, length and mask, fragments and
// control frames in any order, text that is not UTF-8 or not JSON. Each case ends with the
// socket closed by one side; a well-behaved viewer stays connected and keeps getting frames.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadScenario } from '../scenario/index.js';
import { World } from '../../sim/world.js';
import { LiveServer } from './server.js';
import { LIVE_PATH } from './protocol.js';
import { handshake } from './test-client.js';

const ring = fileURLToPath(new URL('../../../scenarios/ring.yaml', import.meta.url));
const viewerDir = mkdtempSync(join(tmpdir(), 'rt-live-fuzz-'));
let live: LiveServer;
let world: World;
let port: number;

beforeAll(async () => {
  const { scenario } = loadScenario(ring, { overrides: ['duration=3600'] });
  world = new World(scenario);
  live = await LiveServer.start(world, { port: 0, host: '127.0.0.1', viewerDir, maxFps: 1000 });
  port = Number(new URL(live.url).port);
});
afterAll(() => live.close());

/** A frame as a client might write it, well-formed or not. */
const anyFrame = fc
  .record({
    fin: fc.boolean(),
    rsv: fc.integer({ min: 0, max: 7 }),
    opcode: fc.oneof(fc.constantFrom(0, 1, 2, 8, 9, 10), fc.integer({ min: 0, max: 15 })),
    masked: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    payload: fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.constantFrom('{"type":"ready"}', '{"type":', 'null', '[]', '{"type":"ready","x":1e999}', '\u0000').map((s) => new Uint8Array(Buffer.from(s))),
    ),
    lie: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(126, 127) }),
  })
  .map(({ fin, rsv, opcode, masked, payload, lie }) => {
    const b0 = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
    const len = payload.length;
    // a length field that announces more than follows (or the 64-bit form with any value)
    const lenBytes = lie === 126 ? [126, 0xff, 0xff] : lie === 127 ? [127, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0] : [len];
    lenBytes[0] |= masked ? 0x80 : 0;
    const mask = [7, 1, 9, 3];
    const body = masked ? payload.map((x, i) => x ^ mask[i % 4]) : payload;
    return Buffer.concat([Buffer.from([b0, ...lenBytes]), Buffer.from(masked ? mask : []), Buffer.from(body)]);
  });

/** Writes `bytes` after a handshake, then ends the socket; resolves once it is closed (at most 2 s). */
async function attack(bytes: Buffer): Promise<boolean> {
  const { socket, status } = await handshake(port);
  expect(status).toBe(101);
  socket.on('error', () => {});
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, 2000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.on('data', () => {});
    socket.write(bytes);
    socket.end();
  });
}

describe('live WebSocket fuzz', () => {
  it('random frames and bytes close the sender alone', async () => {
    let got = 0;
    const good = new WebSocket(`ws://127.0.0.1:${port}${LIVE_PATH}`);
    good.on('message', () => got++);
    await new Promise((r, j) => {
      good.on('open', r);
      good.on('error', j);
    });
    let closed = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(anyFrame, { minLength: 1, maxLength: 5 }).map((f) => Buffer.concat(f)), fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b))), async (bytes) => {
        if (await attack(bytes)) closed++;
        world.step();
      }),
      { numRuns: 2500 },
    );
    expect(closed).toBe(2500);
    const before = got;
    for (let i = 0; i < 50; i++) world.step();
    await new Promise((r) => setTimeout(r, 100));
    expect(good.readyState).toBe(WebSocket.OPEN);
    expect(got).toBeGreaterThan(before);
    good.close();
  });
});
