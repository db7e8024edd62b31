/**
 * The viewer's HTTP server (node:http, no framework): the built viewer from `dist/viewer` and the
 * files of one run directory under `/run/`, with byte ranges so the viewer reads trace frames
 * without downloading the whole trace. Serves files only: nothing is computed per request.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.ndjson': 'application/x-ndjson; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

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

/** Parses a single `bytes=` range against a file of `size` bytes; null when unsatisfiable. */
export function parseRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    // suffix range: the last N bytes
    const n = Number(m[2]);
    if (n === 0) return null;
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return null;
  return { start, end };
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, cache: string): void {
  const size = statSync(file).size;
  const head = { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Accept-Ranges': 'bytes', 'Cache-Control': cache };
  const rangeHeader = req.headers.range;
  if (rangeHeader) {
    const r = parseRange(rangeHeader, size);
    if (!r) {
      res.writeHead(416, { ...head, 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    res.writeHead(206, { ...head, 'Content-Range': `bytes ${r.start}-${r.end}/${size}`, 'Content-Length': r.end - r.start + 1 });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file, { start: r.start, end: r.end }).pipe(res);
    return;
  }
  res.writeHead(200, { ...head, 'Content-Length': size });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

const notFound = (res: ServerResponse, what: string) => res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${what}\n`);

export function createViewServer(opts: ViewServerOptions): Server {
  const viewerRoot = normalize(opts.viewerDir + sep);
  return createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (path === '/api/session') {
      const files = opts.runDir ? [...runFiles].filter((f) => existsSync(join(opts.runDir!, f))) : [];
      res.writeHead(200, { 'Content-Type': types['.json'], 'Cache-Control': 'no-store' }).end(JSON.stringify({ ...opts.session, files }));
      return;
    }
    if (path.startsWith('/run/')) {
      const name = path.slice('/run/'.length);
      // run files may change (a live run finishing, a rerun into the same place): never cached
      if (opts.runDir && runFiles.has(name) && existsSync(join(opts.runDir, name))) sendFile(req, res, join(opts.runDir, name), 'no-cache');
      else notFound(res, path);
      return;
    }
    const file = normalize(join(viewerRoot, path === '/' ? 'index.html' : path));
    if (!file.startsWith(viewerRoot) || !existsSync(file) || !statSync(file).isFile()) {
      notFound(res, path);
      return;
    }
    // hashed asset names change with their content; index.html must always be fresh
    sendFile(req, res, file, path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
  });
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
