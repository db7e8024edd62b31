// A raw WebSocket client for the live server's tests: a handshake and hand-made frames, so that
// a test can write what no well-behaved client library would.
import { connect, type Socket } from 'node:net';
import { LIVE_PATH } from './protocol.js';

/** A raw socket after a WebSocket handshake (with `origin` when given); resolves with the 101 or the refusal. */
export function handshake(p: number, origin?: string): Promise<{ socket: Socket; status: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(p, '127.0.0.1');
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      resolve({ socket, status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0) });
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.write(
      `GET ${LIVE_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${origin ? `Origin: ${origin}\r\n` : ''}\r\n`,
    );
  });
}

/** A masked client frame. */
export function frame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | len]) : Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, len >> 8, len & 255]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([head, mask, body]);
}
