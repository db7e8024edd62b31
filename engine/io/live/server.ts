/**
 * `roadtwin run --live`: serves the viewer and streams the running world to it over a WebSocket.
 * It listens to the world's rxjs streams and never holds a tick up. The engine runs many times
 * faster than real time (the Laoshan hour in ~10 s: 360 trace frames a second), far more than a
 * viewer can draw, and every frame sent costs the engine an encoding and the browser a decode
 * and a draw on the same cores. So what is sent is throttled by wall time: at most `maxFps`
 * trace frames a second, each the newest due frame (frames are whole snapshots, so skipping one
 * loses nothing the next does not show); signal changes and timeseries rows are gathered and go
 * out with the next frame. Nothing is encoded while no viewer is connected, and a viewer whose
 * socket is backed up misses frames instead of slowing the engine. When the run ends the last
 * state is flushed, and the same server serves the finished run directory, so a reload replays it.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Subscription } from 'rxjs';
import { WebSocketServer, type WebSocket } from 'ws';
import type { World } from '../../sim/world.js';
import { networkBox, networkJson } from '../run/network-json.js';
import { entitiesJson } from '../run/entities-json.js';
import { RECORD_BYTES, TRACE_VERSION, storedBox, traceClasses } from '../trace/format.js';
import { FrameEncoder, SignalRecorder, signalTime } from '../trace/writer.js';
import { createViewServer, listen, type ViewServerOptions } from '../view/http.js';
import { MAX_WS_MESSAGE_BYTES } from '../limits.js';
import { MessageRate, refuseHandshake } from './guard.js';
import { LIVE_PATH, TAG_FRAME, TAG_SIGNALS, tagged, type HelloMessage, type LiveTextMessage, type LiveWarning, type ViewerMessage } from './protocol.js';

/** A viewer further behind than this many bytes misses frames until it catches up. */
const MAX_BUFFERED = 1 << 20;

/**
 * Trace frames sent per second of wall time by default. A run races ahead of real time (each
 * frame is a minute or more of simulated time later than the last), so more frames would not
 * make the picture smoother, and each one drawn costs a browser on software WebGL tens of
 * milliseconds of CPU the engine shares: at 8 frames/s such a browser took 0.6 of a core while
 * watching Laoshan, at 4 (and half the resolution) under 0.2 (viewer/e2e/live-bench.ts).
 */
export const LIVE_MAX_FPS = 4;

/** How long the run waits for a connected viewer to say it is ready before starting anyway. */
const READY_TIMEOUT_MS = 15_000;

export interface LiveOptions {
  port: number;
  host: string;
  viewerDir: string;
  /** at most this many trace frames per second of wall time (default LIVE_MAX_FPS) */
  maxFps?: number;
  /** the wall clock in ms (tests pass their own) */
  now?: () => number;
  /** origins besides the server's own whose pages may connect (`--allow-origin`, guard.ts) */
  allowOrigins?: readonly string[];
}

export class LiveServer {
  private readonly wss: WebSocketServer;
  private readonly subs: Subscription[] = [];
  private readonly encoder: FrameEncoder;
  private readonly recorder: SignalRecorder;
  private readonly hello: string;
  private nextFrame = 0;
  /** wall time (ms) at which the last frame went out */
  private lastSentWall = -Infinity;
  /** simulated time of the last frame sent */
  private lastSentTime = -Infinity;
  /** timeseries rows and warnings waiting for the next frame */
  private rows: Record<string, number>[] = [];
  private warnings: LiveWarning[] = [];
  private readonly minGapMs: number;
  readonly maxFps: number;
  private readonly now: () => number;
  /** frames sent (to at least one viewer), frames a slow viewer missed, due frames skipped by the rate limit */
  framesSent = 0;
  framesDropped = 0;
  framesCoalesced = 0;
  private firstViewer: Promise<void>;
  private firstViewerArrived!: () => void;

  private constructor(
    private readonly world: World,
    private readonly server: Server,
    private readonly serverOpts: ViewServerOptions,
    readonly url: string,
    opts: Pick<LiveOptions, 'maxFps' | 'now' | 'allowOrigins'>,
  ) {
    const fps = opts.maxFps ?? LIVE_MAX_FPS;
    this.maxFps = fps;
    this.minGapMs = 1000 / fps;
    this.now = opts.now ?? (() => performance.now());
    const box = networkBox(world);
    this.encoder = new FrameEncoder(world, box);
    this.recorder = new SignalRecorder(world);
    const s = world.scenario;
    const hello: HelloMessage = {
      type: 'hello',
      name: s.name,
      duration: s.duration,
      header: { version: TRACE_VERSION, recordSize: RECORD_BYTES, interval: s.output.traceInterval, box: storedBox(box) },
      classes: [...traceClasses],
      network: networkJson(world),
      signalConns: Array.from(this.recorder.conns),
      entities: entitiesJson(world),
      maxFps: fps,
    };
    this.hello = JSON.stringify(hello);
    this.firstViewer = new Promise((r) => (this.firstViewerArrived = r));
    const allowed = opts.allowOrigins ?? [];
    this.wss = new WebSocketServer({
      server,
      path: LIVE_PATH,
      maxPayload: MAX_WS_MESSAGE_BYTES,
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, reason?: string) => void) => {
        const no = refuseHandshake(info.req, allowed, this.wss.clients.size);
        if (no) done(false, no.code, no.reason);
        else done(true);
      },
    });
    // the http server's errors come here too; listen() has reported the ones that matter
    this.wss.on('error', () => {});
    this.wss.on('wsClientError', (_err, socket) => socket.destroy());
    this.wss.on('connection', (ws) => this.welcome(ws));
    this.subscribe();
  }

  static async start(world: World, opts: LiveOptions): Promise<LiveServer> {
    if (opts.maxFps !== undefined && !(opts.maxFps > 0 && Number.isFinite(opts.maxFps))) throw new RangeError(`live frame rate must be a positive number, got ${opts.maxFps}`);
    const serverOpts: ViewServerOptions = { viewerDir: opts.viewerDir, runDir: null, session: { mode: 'live', run: null, live: LIVE_PATH } };
    const server = createViewServer(serverOpts);
    const url = await listen(server, opts.port, opts.host);
    return new LiveServer(world, server, serverOpts, url, opts);
  }

  get viewers(): number {
    return this.wss.clients.size;
  }

  /**
   * Resolves when the first viewer is ready: it has drawn its first picture (it says so with a
   * `ready` message), or READY_TIMEOUT_MS after it connected. Setting up the scene (geometry of
   * every road, shader compilation in software WebGL) takes the browser a second or more of
   * both cores; the run waits for that rather than losing the time to it.
   */
  waitForViewer(): Promise<void> {
    return this.firstViewer;
  }

  private welcome(ws: WebSocket): void {
    // the viewers already here get the changes not sent yet: the snapshot below resets the recorder
    const pending = this.recorder.changes(signalTime(this.world));
    if (pending) this.broadcast(tagged(TAG_SIGNALS, pending), ws);
    ws.send(this.hello);
    // the current signal state as a full block, then changes; then the current frame
    ws.send(tagged(TAG_SIGNALS, this.recorder.snapshot(signalTime(this.world))));
    ws.send(tagged(TAG_FRAME, this.encoder.encode()));
    const timer = setTimeout(this.firstViewerArrived, READY_TIMEOUT_MS);
    timer.unref();
    // a malformed frame, invalid UTF-8, a message over maxPayload: that socket closes, nothing else
    ws.on('error', () => ws.terminate());
    const rate = new MessageRate(() => performance.now());
    ws.on('message', (data, isBinary) => {
      if (rate.over()) {
        // said once, then the socket goes: a flooding client need not agree to close
        if (ws.readyState === ws.OPEN) {
          ws.close(1008, 'too many messages');
          setTimeout(() => ws.terminate(), 1000).unref();
        }
        return;
      }
      if (isBinary) return;
      let msg: ViewerMessage;
      try {
        msg = JSON.parse(String(data)) as ViewerMessage;
      } catch {
        return; // not ours: ignored
      }
      if (msg?.type === 'ready') {
        clearTimeout(timer);
        this.firstViewerArrived();
      }
    });
    ws.on('close', () => clearTimeout(timer));
  }

  /** Sends to every open viewer (but `except`) not backed up; true when any was. */
  private broadcast(data: Uint8Array | string, except?: WebSocket): boolean {
    let backedUp = false;
    for (const ws of this.wss.clients) {
      if (ws.readyState !== ws.OPEN || ws === except) continue;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        backedUp = true;
        continue;
      }
      ws.send(data);
    }
    return backedUp;
  }

  private text(msg: LiveTextMessage): void {
    this.broadcast(JSON.stringify(msg));
  }

  /**
   * Sends the state now: signal changes since the last send, the timeseries rows gathered, and
   * the current trace frame (encoded once for all viewers).
   */
  private send(): void {
    const w = this.world;
    const block = this.recorder.changes(signalTime(w));
    if (block) this.broadcast(tagged(TAG_SIGNALS, block));
    if (this.rows.length > 0) {
      this.text({ type: 'seconds', rows: this.rows });
      this.rows = [];
    }
    if (this.warnings.length > 0) {
      this.text({ type: 'warnings', list: this.warnings });
      this.warnings = [];
    }
    if (this.broadcast(tagged(TAG_FRAME, this.encoder.encode()))) this.framesDropped++;
    this.framesSent++;
    this.lastSentTime = w.time;
    this.lastSentWall = this.now();
  }

  private subscribe(): void {
    const w = this.world;
    const interval = w.scenario.output.traceInterval;
    this.nextFrame = w.time + interval;
    this.subs.push(
      w.ticks$.subscribe((t) => {
        if (t.time < this.nextFrame - 1e-9) return;
        // the trace frame times stay on the trace's grid whether or not a frame goes out
        this.nextFrame = (Math.floor(t.time / interval + 1e-9) + 1) * interval;
        if (this.wss.clients.size === 0) return;
        if (this.now() - this.lastSentWall < this.minGapMs) {
          this.framesCoalesced++;
          return;
        }
        this.send();
      }),
      w.seconds$.subscribe((s) => {
        if (this.wss.clients.size > 0) this.rows.push({ ...s });
      }),
      w.events$.subscribe((e) => {
        if (this.wss.clients.size === 0) return;
        // V2X warnings (a later part of the engine) carry their kind in `type` or `kind` and a place
        const ev = e as unknown as Record<string, unknown>;
        const kind = typeof ev.type === 'string' ? ev.type : String(ev.kind);
        if (kind.startsWith('v2x.warning') && typeof ev.x === 'number' && typeof ev.y === 'number')
          this.warnings.push({ time: typeof ev.time === 'number' ? ev.time : w.time, x: ev.x, y: ev.y, kind, ...(typeof ev.vehicle === 'number' ? { vehicle: ev.vehicle } : {}) });
      }),
    );
  }

  /** The run ended: tell the viewers, and serve the run directory from now on. */
  finished(runDir: string, complete: boolean): void {
    for (const s of this.subs) s.unsubscribe();
    // the final state, unless it just went out: the viewers end on the run's last frame
    if (this.wss.clients.size > 0 && this.world.time > this.lastSentTime) this.send();
    this.serverOpts.runDir = runDir;
    this.serverOpts.session = { mode: 'replay', run: '/run/', live: null };
    this.text({ type: 'end', complete });
  }

  close(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    return new Promise((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }
}
