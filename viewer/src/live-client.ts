/**
 * The viewer's side of `roadtwin run --live`: a WebSocket that brings a hello (network, trace
 * header, classes, entities), then trace frames, signal changes, timeseries rows and warnings (their
 * pulses and the heat map of where they were received) as
 * the engine produces them (at most the hello's `maxFps` frames a second). Frames go into a
 * LiveSource; the viewer shows the newest unless the user scrubs, and draws no more often than
 * frames arrive: the browser shares the machine with the engine it watches.
 */
import type { TraceHeader } from '../../engine/io/trace/format.js';
import { TAG_FRAME, TAG_SIGNALS, type HelloMessage, type LiveTextMessage, type ViewerMessage } from '../../engine/io/live/protocol.js';
import { LiveSource } from './frame-source.js';
import { showError } from './errors.js';
import { checkEntities } from './entities.js';
import type { TimeChart } from './charts.js';
import type { WarningEvent } from './pulses.js';
import type { SignalTimeline } from './signal-timeline.js';
import type { DebugInfo } from './debug.js';
import type { ViewInput } from './view-input.js';

/** What the live client drives in the viewer that the caller makes from the hello (main.ts: a Viewer). */
export interface LiveViewer {
  /** keep showing the newest frame */
  followLive: boolean;
  /** draw at most this many pictures a second */
  maxFps: number | null;
  /** called once, after the first picture with entities in it is drawn */
  onFirstDraw: (() => void) | null;
  /** timeseries charts, appended to as rows arrive */
  readonly charts: readonly TimeChart[];
  /** warnings as they arrive: their pulses and the heat map of where they were received */
  addLiveWarnings(list: WarningEvent[]): void;
  /** signal states, set from signal blocks (null: no signals drawn) */
  readonly timeline: SignalTimeline | null;
  /** starts the animation loop */
  run(): void;
}

/** Applies a signals.bin block (time f64, n u32, n × u32 changes) to the current state. */
function applySignalBlock(bytes: Uint8Array, state: Uint8Array): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint32(8, true);
  for (let i = 0; i < n; i++) {
    const v = dv.getUint32(12 + i * 4, true);
    const slot = v & 0x3fffffff;
    if (slot < state.length) state[slot] = v >>> 30;
  }
}

export function connectLive(path: string, makeViewer: (input: ViewInput) => LiveViewer, debug: Pick<DebugInfo, 'ended' | 'liveFrames'>): Promise<void> {
  return new Promise((resolve) => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    let viewer: LiveViewer | null = null;
    let source: LiveSource | null = null;
    let header: TraceHeader | null = null;
    ws.onerror = () => showError(`live stream ${url}: cannot connect (is \`roadtwin run --live\` still running?)`);
    ws.onclose = () => {
      if (!debug.ended && viewer) $status('live stream closed');
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') {
        const msg = JSON.parse(ev.data) as LiveTextMessage;
        if (msg.type === 'hello') {
          header = { ...(msg as HelloMessage).header };
          source = new LiveSource(header);
          viewer = makeViewer({
            name: `${msg.name} (live)`,
            live: true,
            network: msg.network as ViewInput['network'],
            header,
            classes: msg.classes,
            source,
            start: 0,
            end: msg.duration,
            // an empty stream: the state arrives as blocks; the timeline is not used to replay in live mode
            signals: { conns: Uint32Array.from(msg.signalConns), times: new Float64Array(0), start: new Uint32Array(1), slot: new Uint32Array(0), state: new Uint8Array(0) },
            entities: msg.entities ? checkEntities(msg.entities) : null,
            manifest: null,
            metrics: null,
            timeseries: 'time,active,meanSpeed\n',
          });
          viewer.followLive = true;
          viewer.maxFps = msg.maxFps;
          // the run starts when the first viewer can show it (not while it builds its scene)
          viewer.onFirstDraw = () => ws.send(JSON.stringify({ type: 'ready' } satisfies ViewerMessage));
          viewer.run();
          resolve();
        } else if (msg.type === 'seconds' && viewer) {
          for (const row of msg.rows) for (const c of viewer.charts) if (row[c.column] !== undefined) c.append(row.time, row[c.column]);
        } else if (msg.type === 'warnings' && viewer) {
          viewer.addLiveWarnings(msg.list.map((w) => ({ time: w.time, x: w.x, y: w.y, type: w.kind, ...(w.vehicle !== undefined ? { vehicle: w.vehicle } : {}) })));
        } else if (msg.type === 'end') {
          debug.ended = true;
          $status(`run ${msg.complete ? 'finished' : 'stopped'}: reload to replay it from its run directory`);
        }
        return;
      }
      const bytes = new Uint8Array(ev.data as ArrayBuffer);
      if (!source || !header || !viewer) return;
      const payload = bytes.subarray(1);
      if (bytes[0] === TAG_FRAME) {
        // push decodes: a damaged frame is an error in the page, not a silent gap
        try {
          source.push(payload);
          debug.liveFrames++;
        } catch (err) {
          showError(`live stream: ${(err as Error).message}`);
        }
      } else if (bytes[0] === TAG_SIGNALS && viewer.timeline) {
        applySignalBlock(payload, viewer.timeline.state);
        viewer.timeline.version++;
      }
    };
  });
}

function $status(text: string): void {
  const el = document.getElementById('live-status');
  if (el) {
    el.textContent = text;
    el.hidden = false;
  }
}
