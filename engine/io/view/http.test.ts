// The view server against a hostile run directory and hostile clients: odd files are answered
// with a status (never a crash or a hang), nothing outside the run is served, ranges follow
// RFC 9110, and a malformed request is a 400 for that client alone.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { createViewServer, listen, parseRange } from './http.js';

const base = mkdtempSync(join(tmpdir(), 'rt-view-http-'));
const run = join(base, 'run');
const viewer = join(base, 'viewer');
let server: Server;
let url: string;

/** Sends raw bytes and resolves with what came back before the server closed or 1 s passed. */
const raw = (bytes: string): Promise<string> =>
  new Promise((resolve) => {
    const s = connect(Number(new URL(url).port), '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('error', () => resolve(got));
    s.on('close', () => resolve(got));
    s.setTimeout(1000, () => s.destroy());
    s.write(bytes);
  });

beforeAll(async () => {
  mkdirSync(run);
  mkdirSync(viewer);
  writeFileSync(join(viewer, 'index.html'), '<html></html>');
  writeFileSync(join(run, 'manifest.json'), '{"name":"x"}');
  writeFileSync(join(run, 'metrics.json'), '0123456789');
  writeFileSync(join(base, 'secret'), 'secret');
  symlinkSync(join(base, 'secret'), join(run, 'detectors.csv'));
  symlinkSync(join(base, 'secret'), join(viewer, 'leak.txt'));
  spawnSync('mkfifo', [join(run, 'trips.csv')]);
  mkdirSync(join(run, 'events.ndjson'));
  writeFileSync(join(run, 'timeseries.csv'), 'time\n');
  chmodSync(join(run, 'timeseries.csv'), 0);
  server = createViewServer({ viewerDir: viewer, runDir: run, session: { mode: 'replay', run: '/run/', live: null } });
  url = await listen(server, 0, '127.0.0.1');
});
afterAll(async () => {
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
  rmSync(base, { recursive: true, force: true });
});

describe('view server, odd files', () => {
  it('answers a FIFO, a directory, a symlink out of the run and an unreadable file with a status, and goes on serving', async () => {
    const get = async (path: string) => (await fetch(url + path, { signal: AbortSignal.timeout(3000) })).status;
    expect(await get('run/trips.csv')).toBe(403); // a FIFO: never opened for a blocking read
    expect(await get('run/events.ndjson')).toBe(404);
    expect(await get('run/detectors.csv')).toBe(403);
    expect(await get('leak.txt')).toBe(403);
    expect(await get('../secret')).toBe(404);
    expect(await get('run/..%2f..%2fsecret')).toBe(404);
    // root reads anything: the unreadable file is only refused for other users
    expect([200, 403]).toContain(await get('run/timeseries.csv'));
    // FIFOs asked for many times must not use up the file threads
    expect((await Promise.all(Array.from({ length: 8 }, () => get('run/trips.csv')))).every((s) => s === 403)).toBe(true);
    const ok = await fetch(url + 'run/manifest.json');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('{"name":"x"}');
    expect((await fetch(url)).status).toBe(200);
  });
});

describe('view server, ranges (RFC 9110)', () => {
  const range = async (r: string) => {
    const res = await fetch(url + 'run/metrics.json', { headers: { Range: r } });
    return [res.status, await res.text()] as const;
  };
  it('one valid range → 206, unsatisfiable → 416, several or unparsable → the whole file', async () => {
    expect(await range('bytes=2-4')).toEqual([206, '234']);
    expect(await range('bytes=-3')).toEqual([206, '789']);
    expect(await range('bytes=8-100')).toEqual([206, '89']);
    expect(await range('bytes=10-')).toEqual([416, '']);
    expect(await range('bytes=-0')).toEqual([416, '']);
    expect(await range('bytes=0-1,4-5')).toEqual([200, '0123456789']);
    expect(await range('bytes=5-2')).toEqual([200, '0123456789']);
    expect(await range('lines=1-2')).toEqual([200, '0123456789']);
    expect(await range('bytes=x')).toEqual([200, '0123456789']);
    expect(parseRange('bytes=0-1,2-3', 10)).toBeNull();
    expect(parseRange('bytes=99999999999999999999-', 10)).toBeNull();
  });
});

describe('view server, hostile clients', () => {
  it('answers garbage with 400, a body with 413, other methods with 405, and lives on', async () => {
    expect(await raw('\x00\x01\x02 garbage\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(`GET / HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(20000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 4\d\d/);
    expect(await raw('GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello')).toMatch(/^HTTP\/1\.1 413/);
    expect(await raw('POST / HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 405/);
    expect(await raw('GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(url + 'run/manifest.json')).status).toBe(200);
  });
});
