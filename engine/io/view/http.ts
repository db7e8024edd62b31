/**
 * The viewer's HTTP server (node:http, no framework): the built viewer from `dist/viewer` and the
 * files of one run directory under `/run/`, with byte ranges so the viewer reads trace frames
 * without downloading the whole trace. Serves files only: nothing is computed per request.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HTTP_HEADERS_TIMEOUT_MS, MAX_HTTP_HEADER_BYTES } from '../limits.js';
import { contentType, sendFile, status } from './files.js';

export { parseRange } from './files.js';

/** Files of a run directory the viewer may read (nothing else in the directory is served). */
export const runFiles = new Set([
  'manifest.json',
  'metrics.json',
  'timeseries.csv',
  'trips.csv',
  'detectors.csv',
  'events.ndjson',
  'network.json',
  'trace.bin',
  'trace.idx',
  'trace.json',
  'signals.bin',
  'entities.json',
  // with logistics: order destinations and times (the viewer's order markers and panels)
  'orders.csv',
  // the measured RSU coverage (delivery ratio by distance) and per-interval edge, lane and junction figures
  'v2x.csv',
  'edges.csv',
  'lanes.csv',
  'junctions.csv',
  // signal state changes (time, junction, program, phase, state)
  'signals.csv',
  // with city events: the events and their loop, the cameras, docks and drone flights, the blind spots and patrol routes
  'events.csv',
  'perception.json',
  'coverage.json',
]);

export interface ViewSession {
  mode: 'replay' | 'live';
  /** base URL of the run's files, when there is a run directory */
  run: string | null;
  /** path of the live WebSocket, in live mode */
  live: string | null;
  /** run files present (so the viewer asks only for those; filled in per request) */
  files?: string[];
}

export interface ViewServerOptions {
  viewerDir: string;
  runDir: string | null;
  session: ViewSession;
}

/**
 * The server. It never reads a request body (a GET or HEAD has none: one announced is refused
 * with 413 and the connection closed), gives a client HTTP_HEADERS_TIMEOUT_MS to send its
 * headers, and answers a malformed request with 400 instead of the default, which destroys the
 * socket without a word; nothing a client sends reaches the process as an exception.
 */
export function createViewServer(opts: ViewServerOptions): Server {
  const server = createServer({ maxHeaderSize: MAX_HTTP_HEADER_BYTES, requestTimeout: 60_000, headersTimeout: HTTP_HEADERS_TIMEOUT_MS }, (req, res) => {
    req.on('error', () => res.destroy());
    res.on('error', () => req.destroy());
    try {
      route(opts, req, res);
    } catch {
      // a bug of ours on one request must not end the server (and a live run with it)
      status(res, 500, 'internal error');
    }
  });
  // after listen() (which reports its own errors: a busy port), an error of the listening
  // socket (EMFILE on accept, …) is the server's to ride out, not the process's to die of
  server.on('error', () => {});
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable && err.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

function route(opts: ViewServerOptions, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', Connection: 'close' }).end();
    return;
  }
  const length = req.headers['content-length'];
  if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined) {
    res.writeHead(413, { Connection: 'close' }).end();
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (path.includes('\0')) {
    res.writeHead(400).end();
    return;
  }
  if (path === '/api/session') {
    const files = opts.runDir ? [...runFiles].filter((f) => existsSync(join(opts.runDir!, f))) : [];
    res.writeHead(200, { 'Content-Type': contentType('session.json'), 'Cache-Control': 'no-store' }).end(JSON.stringify({ ...opts.session, files }));
    return;
  }
  if (path.startsWith('/run/')) {
    const name = path.slice('/run/'.length);
    // run files may change (a live run finishing, a rerun into the same place): never cached
    if (opts.runDir && runFiles.has(name)) sendFile(req, res, opts.runDir, name, 'no-cache');
    else status(res, 404, `not found: ${path}`);
    return;
  }
  // hashed asset names change with their content; index.html must always be fresh
  sendFile(req, res, opts.viewerDir, path === '/' ? 'index.html' : path, path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** Listens on `port` (0 = any free port) and resolves with the URL, or rejects with a readable message. */
export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new Error(err.code === 'EADDRINUSE' ? `port ${port} on ${host} is in use (choose another with --port)` : `cannot listen on ${host}:${port}: ${err.message}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const addr = server.address();
      const p = typeof addr === 'object' && addr ? addr.port : port;
      resolve(`http://${host.includes(':') ? `[${host}]` : host}:${p}/`);
    });
  });
}

/** Where the built viewer is: `dist/viewer` of the package this module belongs to. */
export function viewerDistDir(): string {
  // compiled: <pkg>/dist/engine/io/view/http.js; from source (tests): <pkg>/engine/io/view/http.ts
  const here = dirname(fileURLToPath(import.meta.url));
  const compiled = here.split(sep).includes('dist');
  return compiled ? join(here, '..', '..', '..', 'viewer') : join(here, '..', '..', '..', 'dist', 'viewer');
}
