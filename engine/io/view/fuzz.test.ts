// Whatever a client sends, the view server answers with a status line or closes that connection,
// within a second, and goes on serving everyone else: random methods, paths (encoded, dotted,
// overlong, NULs), Range headers, header garbage and raw bytes.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createViewServer, listen } from './http.js';

const base = mkdtempSync(join(tmpdir(), 'rt-view-fuzz-'));
let server: Server;
let port: number;

/** Sends `bytes`, resolves with what came back once the server answered and closed, or after 1 s ('timeout'). */
const exchange = (bytes: string | Buffer): Promise<string> =>
  new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      resolve(got === '' ? 'timeout' : got);
    }, 1000);
    s.on('data', (d) => {
      got += d.toString('latin1');
      // one response is all we ask for
      if (/^HTTP\/1\.1 \d{3}/.test(got) && got.includes('\r\n\r\n')) s.destroy();
    });
    const done = () => {
      clearTimeout(timer);
      resolve(got);
    };
    s.on('close', done);
    s.on('error', () => {});
    s.write(bytes);
    // the request ends here: a server waiting for more would time out
    s.end();
  });

beforeAll(async () => {
  const run = join(base, 'run');
  const viewer = join(base, 'viewer');
  mkdirSync(run);
  mkdirSync(join(viewer, 'assets'), { recursive: true });
  writeFileSync(join(viewer, 'index.html'), '<html></html>');
  writeFileSync(join(viewer, 'assets', 'a.js'), 'x');
  writeFileSync(join(run, 'manifest.json'), '{}');
  writeFileSync(join(run, 'trace.bin'), Buffer.alloc(1000));
  symlinkSync('/etc/passwd', join(run, 'trips.csv'));
  server = createViewServer({ viewerDir: viewer, runDir: run, session: { mode: 'replay', run: '/run/', live: null } });
  port = Number(new URL(await listen(server, 0, '127.0.0.1')).port);
});
afterAll(async () => {
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
  rmSync(base, { recursive: true, force: true });
});

const segment = fc.oneof(
  fc.constantFrom('run', 'manifest.json', 'trace.bin', 'trips.csv', 'assets', 'a.js', 'api', 'session', '..', '.', '%2e%2e', '%2f', '%00', '%', '%zz', '%E0%A4%A', '~', '', 'index.html', '\u00e9'),
  fc.string({ maxLength: 10 }).map((s) => encodeURIComponent(s)),
);
const path = fc.array(segment, { maxLength: 6 }).map((p) => `/${p.join('/')}`);
const range = fc.oneof(
  fc.constantFrom('bytes=0-0', 'bytes=-1', 'bytes=999-', 'bytes=1000-', 'bytes=0-1,3-4', 'bytes=5-2', 'bytes=', 'bytes=-', 'bytes=--1', 'bytes=99999999999999999999-', 'bytes=0x10-', ' bytes = 1 - 2 '),
  fc.tuple(fc.nat(2000), fc.nat(2000)).map(([a, b]) => `bytes=${a}-${b}`),
  fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, '')),
);
const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'get', 'BREW', '');
const header = fc.oneof(
  range.map((r) => `Range: ${r}`),
  fc.constantFrom('Content-Length: 5', 'Content-Length: -1', 'Content-Length: abc', 'Transfer-Encoding: chunked', 'Expect: 100-continue', 'Connection: keep-alive', 'Host:', 'X: \u00ff'),
  fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,12}$/), fc.string({ maxLength: 20 })).map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, '')}`),
);

const answered = (reply: string) => {
  expect(reply).not.toBe('timeout');
  // an answer is a status line; a closed connection (reply '') is an answer too, for garbage
  if (reply !== '') expect(reply).toMatch(/^HTTP\/1\.1 [1-5]\d\d /);
};

describe('view server fuzz', () => {
  it('random requests', async () => {
    await fc.assert(
      fc.asyncProperty(method, path, fc.array(header, { maxLength: 4 }), fc.string({ maxLength: 10 }), async (m, p, hs, body) => {
        const reply = await exchange(`${m} ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\n${hs.map((h) => `${h}\r\n`).join('')}\r\n${body}`);
        answered(reply);
        // nothing outside the run or the viewer is ever served
        expect(reply).not.toMatch(/root:/);
      }),
      { numRuns: 2000 },
    );
  });

  it('raw bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (b) => answered(await exchange(Buffer.from(b)))),
      { numRuns: 500 },
    );
    const ok = await fetch(`http://127.0.0.1:${port}/run/manifest.json`);
    expect(ok.status).toBe(200);
  });
});
