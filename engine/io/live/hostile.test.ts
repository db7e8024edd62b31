// The live server against hostile clients: malformed frames, invalid UTF-8, oversized messages
// and floods close that client's socket alone; pages of other origins cannot connect; the run
// and the other viewers go on.
import { mkdtempSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadScenario } from '../scenario/index.js';
import { World } from '../../sim/world.js';
import { LiveServer } from './server.js';
import { LIVE_PATH } from './protocol.js';
import { parseOrigins } from './guard.js';
import { frame, handshake } from './test-client.js';

const ring = fileURLToPath(new URL('../../../scenarios/ring.yaml', import.meta.url));
const viewerDir = mkdtempSync(join(tmpdir(), 'rt-live-hostile-'));
let live: LiveServer;
let world: World;
let port: number;

const closed = (s: Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.on('close', () => r())));

/** A well-behaved viewer: counts the messages it gets. */
function viewer(): Promise<{ ws: WebSocket; got: () => number }> {
  let n = 0;
  const ws = new WebSocket(`ws://127.0.0.1:${port}${LIVE_PATH}`);
  ws.on('message', () => n++);
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, got: () => n }));
    ws.on('error', reject);
  });
}

beforeAll(async () => {
  const { scenario } = loadScenario(ring, { overrides: ['duration=600'] });
  world = new World(scenario);
  live = await LiveServer.start(world, { port: 0, host: '127.0.0.1', viewerDir, maxFps: 1000, allowOrigins: ['http://viewer.example:9000'] });
  port = Number(new URL(live.url).port);
});
afterAll(() => live.close());

describe('live server, hostile clients', () => {
  it('closes a socket sending a reserved opcode, invalid UTF-8, an oversized or a flood of messages; the others go on', async () => {
    const good = await viewer();
    const attacks: Buffer[] = [
      Buffer.from([0x83, 0x80, 1, 2, 3, 4]), // reserved opcode 3, masked, empty
      frame(1, Buffer.from([0xc3, 0x28, 0xff])), // text frame, invalid UTF-8
      Buffer.from([0x81, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4]), // a 4 GB text frame announced
      frame(1, Buffer.from('x'), false), // a fragment, then a new text frame (protocol error)
      Buffer.concat(Array.from({ length: 200 }, () => frame(1, Buffer.from('{"type":"ping"}')))), // a flood
      Buffer.from([0x01, 0x02, 0x03]), // an unmasked frame
    ];
    attacks[3] = Buffer.concat([attacks[3], frame(1, Buffer.from('y'))]);
    for (const bytes of attacks) {
      const { socket, status } = await handshake(port);
      expect(status).toBe(101);
      socket.on('error', () => {});
      socket.write(bytes);
      await closed(socket);
    }
    const before = good.got();
    for (let i = 0; i < 100; i++) world.step();
    await new Promise((r) => setTimeout(r, 100));
    expect(good.got()).toBeGreaterThan(before);
    expect(good.ws.readyState).toBe(WebSocket.OPEN);
    good.ws.close();
  });

  it('lets in no Origin, its own, and the allowed ones; refuses any other page', async () => {
    const cases: [string | undefined, number][] = [
      [undefined, 101],
      [`http://127.0.0.1:${port}`, 101],
      ['http://viewer.example:9000', 101],
      ['http://evil.example', 403],
      [`http://localhost:${port}`, 403], // not the Host the request was sent to
      ['null', 403],
    ];
    for (const [origin, want] of cases) {
      const { socket, status } = await handshake(port, origin);
      expect(status, String(origin)).toBe(want);
      socket.destroy();
    }
    expect(parseOrigins(['http://a.example:1/x'])).toEqual(['http://a.example:1']);
    expect(parseOrigins(['not an origin'])).toMatch(/--allow-origin: expected an origin/);
  });
});
