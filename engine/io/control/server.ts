/**
 * The transports of `roadtwin serve`, both on one port: newline-delimited JSON on a plain TCP
 * socket (what a client with nothing but a standard library speaks: Python's `socket` and `json`)
 * and text messages on a WebSocket at /control (what a browser page or a WebSocket library speaks).
 * A connection is told apart by its first bytes: a WebSocket opens with an HTTP `GET`, a request
 * with `{`. Both carry the same requests and responses (protocol.ts), one response per request, in
 * order; responses to one connection never interleave with another's.
 *
 * What keeps a client from hurting the server or the other clients: each request is at most
 * MAX_CONTROL_MESSAGE_BYTES; a connection sending more than MAX_CONTROL_REQUESTS_PER_SECOND is
 * told so and closed; a WebSocket handshake from a web page of another origin is refused (guard.ts,
 * as `run --live`); every socket has an error handler, so a reset or a malformed frame closes that
 * socket alone; a client that does not read its responses is not read from until it does
 * (the socket's write buffer bounds what it costs).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { HTTP_HEADERS_TIMEOUT_MS, MAX_CONTROL_CLIENTS, MAX_CONTROL_MESSAGE_BYTES, MAX_CONTROL_REQUESTS_PER_SECOND, MAX_HTTP_HEADER_BYTES } from '../limits.js';
import { MessageRate, refuseHandshake } from '../live/guard.js';
import { CONTROL_PATH, errorResponse, RequestError } from './protocol.js';
import type { ControlSessions } from './sessions.js';

/** A client whose unread responses pass this many bytes is not read from until they drain. */
const MAX_UNREAD_BYTES = 8 * 1024 * 1024;

export interface ControlServerOptions {
  port: number;
  host: string;
  /** origins whose pages may open the WebSocket besides the server's own (`--allow-origin`) */
  allowOrigins?: readonly string[];
  /** requests a connection may send per second (default MAX_CONTROL_REQUESTS_PER_SECOND) */
  requestsPerSecond?: number;
}

export class ControlServer {
  private readonly tcp: NetServer;
  private readonly http: HttpServer;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<Socket>();
  private clients = 0;
  port = 0;

  private constructor(
    private readonly sessions: ControlSessions,
    private readonly opts: ControlServerOptions,
  ) {
    this.http = createHttpServer({ maxHeaderSize: MAX_HTTP_HEADER_BYTES, headersTimeout: HTTP_HEADERS_TIMEOUT_MS }, (_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
      res.end(`roadtwin serve: open a WebSocket at ${CONTROL_PATH}, or send newline-delimited JSON on a plain TCP connection (docs/control-api.md)\n`);
    });
    this.http.on('clientError', (_err, socket) => socket.destroy());
    const allowed = opts.allowOrigins ?? [];
    this.wss = new WebSocketServer({
      server: this.http,
      path: CONTROL_PATH,
      maxPayload: MAX_CONTROL_MESSAGE_BYTES,
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, reason?: string) => void) => {
        const no = refuseHandshake(info.req, allowed, this.wss.clients.size);
        if (no) done(false, no.code, no.reason);
        else done(true);
      },
    });
    this.wss.on('error', () => {});
    this.wss.on('wsClientError', (_err, socket) => socket.destroy());
    this.wss.on('connection', (ws) => this.serveWebSocket(ws));
    this.tcp = createNetServer((socket) => this.accept(socket));
    this.tcp.on('error', () => {});
  }

  static async start(sessions: ControlSessions, opts: ControlServerOptions): Promise<ControlServer> {
    const s = new ControlServer(sessions, opts);
    await new Promise<void>((ok, fail) => {
      const onError = (err: NodeJS.ErrnoException) =>
        fail(new Error(err.code === 'EADDRINUSE' ? `port ${opts.port} on ${opts.host} is in use (choose another with --port)` : `cannot listen on ${opts.host}:${opts.port}: ${err.message}`));
      s.tcp.once('error', onError);
      s.tcp.listen(opts.port, opts.host, () => {
        s.tcp.off('error', onError);
        const addr = s.tcp.address();
        s.port = typeof addr === 'object' && addr ? addr.port : opts.port;
        ok();
      });
    });
    return s;
  }

  /** `host:port` as a URL host part. */
  get address(): string {
    const h = this.opts.host;
    return `${h.includes(':') ? `[${h}]` : h}:${this.port}`;
  }

  private rate(): MessageRate {
    return new MessageRate(() => performance.now(), this.opts.requestsPerSecond ?? MAX_CONTROL_REQUESTS_PER_SECOND);
  }

  /** A new connection: which transport is told by its first byte. */
  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (this.clients >= MAX_CONTROL_CLIENTS) {
      socket.end(`${errorResponse(undefined, new RequestError('', `at most ${MAX_CONTROL_CLIENTS} connections at once`))}\n`);
      return;
    }
    this.clients++;
    socket.on('close', () => this.clients--);
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] === 0x47 /* G */) {
        // an HTTP request: a WebSocket handshake (or a browser that is told where to go)
        this.http.emit('connection', socket);
        socket.resume();
      } else this.serveLines(socket);
    });
  }

  /** Newline-delimited JSON: one request a line, one response a line. */
  private serveLines(socket: Socket): void {
    const rate = this.rate();
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let closing = false;
    const refuse = (message: string) => {
      closing = true;
      socket.end(`${errorResponse(undefined, new RequestError('', message))}\n`);
    };
    const reply = (text: string) => {
      if (!socket.write(`${text}\n`) || socket.writableLength > MAX_UNREAD_BYTES) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    };
    socket.on('data', (chunk: Buffer) => {
      if (closing) return;
      let from = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, from);
        if (nl < 0) break;
        const part = chunk.subarray(from, nl);
        from = nl + 1;
        const line = pending.length > 0 ? Buffer.concat([...pending, part]) : part;
        pending = [];
        pendingBytes = 0;
        if (line.length > MAX_CONTROL_MESSAGE_BYTES) return refuse(`request longer than ${MAX_CONTROL_MESSAGE_BYTES} bytes; closing`);
        const text = line.toString('utf8').trim();
        if (text === '') continue;
        if (rate.over()) return refuse(`more than ${this.opts.requestsPerSecond ?? MAX_CONTROL_REQUESTS_PER_SECOND} requests in a second; closing`);
        reply(this.sessions.handle(text));
        if (socket.destroyed) return;
      }
      if (from < chunk.length) {
        pending.push(chunk.subarray(from));
        pendingBytes += chunk.length - from;
        if (pendingBytes > MAX_CONTROL_MESSAGE_BYTES) return refuse(`request longer than ${MAX_CONTROL_MESSAGE_BYTES} bytes without a newline; closing`);
      }
    });
    socket.resume();
  }

  private serveWebSocket(ws: WebSocket): void {
    // a malformed frame, invalid UTF-8, a message over maxPayload: that socket closes, nothing else
    ws.on('error', () => ws.terminate());
    const rate = this.rate();
    ws.on('message', (data, isBinary) => {
      if (rate.over()) {
        if (ws.readyState === ws.OPEN) {
          ws.send(errorResponse(undefined, new RequestError('', `more than ${this.opts.requestsPerSecond ?? MAX_CONTROL_REQUESTS_PER_SECOND} requests in a second; closing`)));
          ws.close(1008, 'too many requests');
          setTimeout(() => ws.terminate(), 1000).unref();
        }
        return;
      }
      if (ws.readyState !== ws.OPEN) return;
      if (isBinary) {
        ws.send(errorResponse(undefined, new RequestError('', 'requests are text messages of JSON, not binary')));
        return;
      }
      ws.send(this.sessions.handle(String(data)));
    });
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.tcp.close(() => r()));
    this.http.close();
  }
}
