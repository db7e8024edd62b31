/**
 * How much input roadtwin accepts, in one place, and the one way every file reader checks it.
 * Without a bound, `roadtwin run /dev/zero` reads until the machine runs out of memory and a
 * 200 MB YAML list aborts V8 with a native stack; with one, such input is one line and exit 1.
 * A bound on bytes is a bound on memory only through what the parser makes of them, so each is
 * set from a measurement of the worst case, well inside Node's default heap (~4 GB): the YAML
 * parser takes ~100 times a file of short list items (16 MiB: 1.7 GB peak), the SUMO reader
 * ~20 times a dense net (20 MB: 0.38 GB). That is far above real input (Laoshan's scenario is
 * 40 kB, the largest SUMO net in the repository 0.2 MB); each bound can be raised by an environment
 * variable, for a larger input on a machine with the memory (and `--max-old-space-size`).
 * They are documented in docs/reliability.md (Limits); keep the two in step.
 *
 * Files are opened with O_NONBLOCK and checked with fstat on the open descriptor (not stat on the
 * name, which a rename could swap in between): only regular files are read, so a FIFO cannot
 * block the process and a device (/dev/zero) cannot feed it without end. The read itself stops at
 * the limit too, for a file that grows while it is read.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export interface InputLimit {
  /** what the bound is for, as messages name it */
  what: string;
  /** default bound, bytes */
  bytes: number;
  /** environment variable that replaces the default (a whole number of bytes) */
  env: string;
  /** read in chunks (readChunksBounded), never as one string: not bound by the longest string */
  streamed?: boolean;
}

const MiB = 1024 * 1024;

export const LIMITS = {
  /** a scenario YAML (and the base scenario of a sweep) */
  scenario: { what: 'scenario', bytes: 16 * MiB, env: 'ROADTWIN_MAX_SCENARIO_BYTES' },
  /** a CSV file a scenario names (orders) */
  csv: { what: 'CSV input', bytes: 64 * MiB, env: 'ROADTWIN_MAX_CSV_BYTES' },
  /**
   * a trips file (a demand CSV), read in chunks into compact arrays (~40 bytes a trip plus its via
   * edges: 1 GiB of short rows is ~20 million trips, the departure limit of a scenario)
   */
  demand: { what: 'trips file', bytes: 1024 * MiB, env: 'ROADTWIN_MAX_DEMAND_BYTES', streamed: true },
  /** a sweep file: a few lines of fields and values */
  sweep: { what: 'sweep file', bytes: 1 * MiB, env: 'ROADTWIN_MAX_SWEEP_BYTES' },
  /** a command log of `roadtwin serve`, replayed by `roadtwin run --replay-commands` */
  commands: { what: 'command log', bytes: 256 * MiB, env: 'ROADTWIN_MAX_COMMANDS_BYTES' },
  /** a file of a run directory that `roadtwin report` reads (edges.csv of a large network over a day is the largest) */
  runFile: { what: 'run-directory file', bytes: 256 * MiB, env: 'ROADTWIN_MAX_REPORT_INPUT_BYTES' },
  /** a SUMO input (net, routes, additional, config), after gunzip */
  sumo: { what: 'SUMO input', bytes: 128 * MiB, env: 'ROADTWIN_MAX_SUMO_BYTES' },
  /**
   * an OSM extract (XML after decompression, or PBF), counted as it streams: the importer keeps
   * only the roads, so memory follows the network kept; the bound stops an endless or absurd input
   */
  osm: { what: 'OSM input', bytes: 512 * MiB - 64, env: 'ROADTWIN_MAX_OSM_BYTES' },
} as const satisfies Record<string, InputLimit>;

/** A SUMO attribute value or text run longer than this is refused (a shape of 100,000 points is ~2 MB). */
export const MAX_XML_TOKEN_BYTES = 16 * MiB;

/** Live viewer WebSocket: the largest message a viewer may send (it sends `{"type":"ready"}`). */
export const MAX_WS_MESSAGE_BYTES = 64 * 1024;
/** Live viewer WebSocket: messages a viewer may send per second before it is disconnected. */
export const MAX_WS_MESSAGES_PER_SECOND = 50;
/** Live viewer WebSocket: viewers at once (each costs a copy of every frame). */
export const MAX_WS_CLIENTS = 32;
/** Control server (roadtwin serve): simulations at once (each holds a whole world in memory). */
export const MAX_CONTROL_ENVS = 64;
/** Control server: the longest request, one line of JSON or one WebSocket message (a route of thousands of edges fits). */
export const MAX_CONTROL_MESSAGE_BYTES = 1024 * 1024;
/** Control server: requests a connection may send per second of wall time (a training loop steps thousands of times a second). */
export const MAX_CONTROL_REQUESTS_PER_SECOND = 20_000;
/** Control server: connections at once. */
export const MAX_CONTROL_CLIENTS = 64;
/** HTTP servers: request headers (Node's default, stated so it cannot change under us). */
export const MAX_HTTP_HEADER_BYTES = 16 * 1024;
/** HTTP servers: seconds a client may take to send its request headers. */
export const HTTP_HEADERS_TIMEOUT_MS = 10_000;

/** Bad input that reading refused: its message has no file name (the caller's error puts it first). */
export class InputLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputLimitError';
  }
}

/** The bound in force for `limit`: its environment variable when set to a whole number of bytes. */
export function maxBytes(limit: InputLimit, env: NodeJS.ProcessEnv = process.env): number {
  const v = env[limit.env];
  if (v === undefined || v === '') return limit.bytes;
  if (!/^[1-9][0-9]*$/.test(v.trim()) || !Number.isSafeInteger(Number(v))) throw new InputLimitError(`${limit.env}=${v} is not a whole number of bytes`);
  // a file is read into one string, and V8 strings end at 2^29 − 24 characters
  if (!limit.streamed && Number(v) > MAX_TEXT_BYTES) throw new InputLimitError(`${limit.env}=${v} is more than ${MAX_TEXT_BYTES}, the most a file read as text can hold`);
  return Number(v);
}

/** The largest file that can become one JavaScript string (2^29 − 24 characters, less a margin). */
export const MAX_TEXT_BYTES = 512 * MiB - 64;

const mb = (n: number) => (n >= MiB ? `${(n / MiB).toFixed(n % MiB === 0 ? 0 : 1)} MiB` : `${n} bytes`);

/** The message for a file over its bound (also used for gunzipped data). */
export function tooLarge(limit: InputLimit, size: number | null, bound: number): string {
  return `${size === null ? 'more than' : `${mb(size)},`} larger than the ${mb(bound)} allowed for a ${limit.what} (set ${limit.env} to raise it)`;
}

/**
 * The bytes of `file`, when it is a regular file within `limit`. Throws InputLimitError for a
 * directory, a FIFO, a device or a socket, or a file over the bound; a Node error (ENOENT,
 * EACCES, …) for a file that cannot be opened, for the caller to word.
 */
export function readFileBounded(file: string, limit: InputLimit): Buffer {
  const bound = maxBytes(limit);
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw new InputLimitError(`not a regular file (${st.isFIFO() ? 'a pipe' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'a socket'}); give a file`);
    if (st.size > bound) throw new InputLimitError(tooLarge(limit, st.size, bound));
    // read to the end, but never past the bound: the file may grow while it is read
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(Math.max(st.size - total, 64 * 1024), bound + 1 - total);
      if (want <= 0) throw new InputLimitError(tooLarge(limit, null, bound));
      const buf = Buffer.allocUnsafe(want);
      const got = readSync(fd, buf, 0, want, null);
      if (got === 0) break;
      chunks.push(got === want ? buf : buf.subarray(0, got));
      total += got;
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a regular file within `limit` in chunks of `chunkBytes`, handing each to `chunk` (the
 * buffer is reused: copy what must outlive the call), so that memory stays one chunk whatever
 * the file's size. The same refusals as readFileBounded; returns the bytes read.
 */
export function readChunksBounded(file: string, limit: InputLimit, chunk: (bytes: Buffer) => void, chunkBytes = 1024 * 1024): number {
  const bound = maxBytes(limit);
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw new InputLimitError(`not a regular file (${st.isFIFO() ? 'a pipe' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'a socket'}); give a file`);
    if (st.size > bound) throw new InputLimitError(tooLarge(limit, st.size, bound));
    const buf = Buffer.allocUnsafe(chunkBytes);
    let total = 0;
    for (;;) {
      const got = readSync(fd, buf, 0, chunkBytes, null);
      if (got === 0) break;
      total += got;
      // the file may grow while it is read
      if (total > bound) throw new InputLimitError(tooLarge(limit, null, bound));
      chunk(got === chunkBytes ? buf : buf.subarray(0, got));
    }
    return total;
  } finally {
    closeSync(fd);
  }
}

/** readFileBounded as UTF-8 text. */
export function readTextBounded(file: string, limit: InputLimit): string {
  return readFileBounded(file, limit).toString('utf8');
}

/** Addresses that only this machine can reach; listening on any other is worth a warning. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

/** The warning for a server bound beyond loopback: one line, no prefix. */
export const exposedWarning = (host: string): string =>
  `warning: listening on ${host}, reachable from other machines; the run's files are served to anyone who can connect (use --host 127.0.0.1 to keep it local)`;
