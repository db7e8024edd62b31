/**
 * Serving one file of a served root (the viewer build, a run directory) so that nothing in the
 * directory can crash, block or leak through the server: the name is resolved with realpath and
 * must stay inside the root (a symlink `detectors.csv → /etc/shadow` is refused), the file is
 * opened with O_NONBLOCK (a FIFO named `trips.csv` would otherwise hold a libuv thread for ever,
 * and with four of them every later file and even shutdown) and checked with fstat on the open
 * descriptor: only a regular file is sent. Every other case is a status, never an exception:
 * 404 missing or a directory, 403 outside the root, unreadable or not a regular file.
 *
 * Byte ranges follow RFC 9110 §14: one valid range → 206; a well-formed range that starts past
 * the end → 416; a header the server does not understand, or several ranges (which would need
 * multipart/byteranges), is ignored and the whole file is sent with 200, as the RFC allows.
 */
import { closeSync, constants, createReadStream, fstatSync, openSync, realpathSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

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

export const contentType = (file: string): string => types[extname(file)] ?? 'application/octet-stream';

/**
 * A `Range` header against a file of `size` bytes: the single range to send, 'unsatisfiable'
 * (416) for a well-formed range that selects nothing, or null to ignore the header and send the
 * whole file (not `bytes=`, several ranges, or anything unparsable).
 */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    // suffix range: the last N bytes; the last 0 bytes select nothing
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? Infinity : Number(m[2]);
  if (!Number.isSafeInteger(start) || last < start) return null; // last-pos before first-pos: invalid, ignored
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(last, size - 1) };
}

const plain = { 'Content-Type': 'text/plain; charset=utf-8' };

export function status(res: ServerResponse, code: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(code, plain).end(`${text}\n`);
}

/** The real path of `name` under `root` when it stays inside it; 404 / 403 as a number otherwise. */
function resolveInside(root: string, name: string): string | number {
  // a name that leaves the root by itself (`..`) is not there at all; one that leaves it through
  // a symlink inside is there, and refused
  const lexical = resolve(root, `.${sep}${name}`);
  if (lexical !== resolve(root) && !lexical.startsWith(resolve(root) + sep)) return 404;
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(join(root, name));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? 403 : 404;
  }
  return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep) ? real : 403;
}

/** Sends `root/name` (GET or HEAD), honouring a Range header; answers every failure with a status. */
export function sendFile(req: IncomingMessage, res: ServerResponse, root: string, name: string, cache: string): void {
  const real = resolveInside(root, name);
  if (typeof real === 'number') {
    status(res, real, real === 404 ? `not found: ${name}` : `forbidden: ${name}`);
    return;
  }
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    status(res, code === 'ENOENT' || code === 'EISDIR' ? 404 : 403, code === 'ENOENT' ? `not found: ${name}` : `cannot read: ${name}`);
    return;
  }
  let size: number;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      closeSync(fd);
      status(res, st.isDirectory() ? 404 : 403, st.isDirectory() ? `not found: ${name}` : `not a regular file: ${name}`);
      return;
    }
    size = st.size;
  } catch {
    closeSync(fd);
    status(res, 500, `cannot read: ${name}`);
    return;
  }
  const head = { 'Content-Type': contentType(real), 'Accept-Ranges': 'bytes', 'Cache-Control': cache };
  const r = req.headers.range === undefined ? null : parseRange(req.headers.range, size);
  if (r === 'unsatisfiable') {
    closeSync(fd);
    res.writeHead(416, { ...head, 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  const range = r ?? { start: 0, end: size - 1 };
  if (r) res.writeHead(206, { ...head, 'Content-Range': `bytes ${r.start}-${r.end}/${size}`, 'Content-Length': r.end - r.start + 1 });
  else res.writeHead(200, { ...head, 'Content-Length': size });
  if (req.method === 'HEAD' || size === 0) {
    closeSync(fd);
    res.end();
    return;
  }
  const stream = createReadStream('', { fd, start: range.start, end: range.end, autoClose: true });
  // a read error mid-file (the file truncated, the disk gone): the response is cut, the server lives
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
