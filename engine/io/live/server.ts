/**
 * `roadtwin run --live`: serves the viewer and streams the running world to it over a WebSocket.
 * It listens to the world's rxjs streams and never holds a tick up: frames are encoded only while
 * a viewer is connected, once per trace interval, and a viewer that cannot keep up misses frames
 * (its socket buffer is checked) instead of slowing the engine. When the run ends the same server
 * serves the finished run directory, so a reload replays it.
 */
import type { Server } from 'node:http';
import type { Subscription } from 'rxjs';
import { WebSocketServer, type WebSocket } from 'ws';
import type { World } from '../../core/world.js';
import { networkBox, networkJson } from '../run/network-json.js';
import { RECORD_BYTES, TRACE_VERSION, storedBox, traceClasses } from '../trace/format.js';
import { FrameEncoder, SignalRecorder, signalTime } from '../trace/writer.js';
import { createViewServer, listen, type ViewServerOptions } from '../view/http.js';
import { LIVE_PATH, TAG_FRAME, TAG_SIGNALS, tagged, type HelloMessage, type LiveTextMessage } from './protocol.js';

/** A viewer further behind than this many bytes misses frames until it catches up. */
const MAX_BUFFERED = 4 << 20;

export interface LiveOptions {
  port: number;
  host: string;
  viewerDir: string;
}

export class LiveServer {
  private readonly wss: WebSocketServer;
  private readonly subs: Subscription[] = [];
  private readonly encoder: FrameEncoder;
  private readonly recorder: SignalRecorder;
  private readonly hello: string;
  private nextFrame = 0;
  /** frames sent (to at least one viewer) and frames a slow viewer missed */
  framesSent = 0;
  framesDropped = 0;
  private firstViewer: Promise<void>;
  private firstViewerArrived!: () => void;

  private constructor(
    private readonly world: World,
    private readonly server: Server,
    private readonly serverOpts: ViewServerOptions,
    readonly url: string,
  ) {
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
    };
    this.hello = JSON.stringify(hello);
    this.firstViewer = new Promise((r) => (this.firstViewerArrived = r));
    this.wss = new WebSocketServer({ server, path: LIVE_PATH });
    this.wss.on('connection', (ws) => this.welcome(ws));
    this.subscribe();
  }

  static async start(world: World, opts: LiveOptions): Promise<LiveServer> {
    const serverOpts: ViewServerOptions = { viewerDir: opts.viewerDir, runDir: null, session: { mode: 'live', run: null, live: LIVE_PATH } };
    const server = createViewServer(serverOpts);
    const url = await listen(server, opts.port, opts.host);
    return new LiveServer(world, server, serverOpts, url);
  }

  get viewers(): number {
    return this.wss.clients.size;
  }

  /** Resolves when the first viewer has connected. */
  waitForViewer(): Promise<void> {
    return this.firstViewer;
  }

  private welcome(ws: WebSocket): void {
    ws.send(this.hello);
    // the current signal state as a full block, then changes; then the current frame
    ws.send(tagged(TAG_SIGNALS, this.recorder.snapshot(signalTime(this.world))));
    ws.send(tagged(TAG_FRAME, this.encoder.encode()));
    this.firstViewerArrived();
  }

  private broadcast(data: Uint8Array | string): void {
    for (const ws of this.wss.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        this.framesDropped++;
        continue;
      }
      ws.send(data);
    }
  }

  private text(msg: LiveTextMessage): void {
    this.broadcast(JSON.stringify(msg));
  }

  private subscribe(): void {
    const w = this.world;
    const interval = w.scenario.output.traceInterval;
    this.nextFrame = w.time + interval;
    this.subs.push(
      w.ticks$.subscribe((t) => {
        if (this.wss.clients.size === 0) {
          this.nextFrame = t.time + interval;
          return;
        }
        const block = this.recorder.changes(signalTime(w));
        if (block) this.broadcast(tagged(TAG_SIGNALS, block));
        if (t.time >= this.nextFrame - 1e-9) {
          this.nextFrame += interval;
          this.broadcast(tagged(TAG_FRAME, this.encoder.encode()));
          this.framesSent++;
        }
      }),
      w.seconds$.subscribe((s) => {
        if (this.wss.clients.size > 0) this.text({ type: 'second', row: { ...s } });
      }),
      w.events$.subscribe((e) => {
        if (this.wss.clients.size === 0) return;
        // V2X warnings (a later part of the engine) carry their kind in `type` or `kind` and a place
        const ev = e as unknown as Record<string, unknown>;
        const kind = typeof ev.type === 'string' ? ev.type : String(ev.kind);
        if (kind.startsWith('v2x.warning') && typeof ev.x === 'number' && typeof ev.y === 'number')
          this.text({ type: 'warning', time: typeof ev.time === 'number' ? ev.time : w.time, x: ev.x, y: ev.y, kind, ...(typeof ev.vehicle === 'number' ? { vehicle: ev.vehicle } : {}) });
      }),
    );
  }

  /** The run ended: tell the viewers, and serve the run directory from now on. */
  finished(runDir: string, complete: boolean): void {
    for (const s of this.subs) s.unsubscribe();
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
