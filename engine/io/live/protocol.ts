/**
 * Messages of the live stream (`roadtwin run --live`), shared by the server and the viewer. No
 * Node or DOM dependency. Text messages are JSON; binary messages are one tag byte followed by a
 * payload in the run directory's formats, so the viewer decodes live data with the replay code:
 *
 *   TAG_FRAME   a trace frame exactly as in trace.bin (frame header, records, altitude block),
 *               in the trace version and record size the hello message's `header` gives
 *   TAG_SIGNALS a signals.bin block (time, n, changes)
 *
 * The server sends at most `maxFps` frames a second of wall time; signal changes, timeseries rows
 * and warnings gathered since the last frame go out just before it.
 */
import type { BBox } from '../trace/format.js';

export const TAG_FRAME = 1;
export const TAG_SIGNALS = 2;
export const LIVE_PATH = '/live';

export interface HelloMessage {
  type: 'hello';
  name: string;
  duration: number;
  header: { version: number; recordSize: number; interval: number; box: BBox };
  classes: string[];
  /** network.json, as the run directory will have it */
  network: object;
  /** connection index of each signal slot (the signals.bin header) */
  signalConns: number[];
  /** entities.json, as the run directory will have it (null when the run has none) */
  entities: object | null;
  /** trace frames the server sends per second of wall time at most (a viewer need not draw faster) */
  maxFps: number;
}

/** The timeseries.csv rows since the last frame (sent just before it). */
export interface SecondsMessage {
  type: 'seconds';
  rows: Record<string, number>[];
}

/** A V2X warning (an event whose type starts with v2x.warning, with its place). */
export interface LiveWarning {
  time: number;
  x: number;
  y: number;
  kind: string;
  vehicle?: number;
}

/** The warnings since the last frame (sent just before it). */
export interface WarningsMessage {
  type: 'warnings';
  list: LiveWarning[];
}

/** The run ended; its run directory is complete and served under /run/ from now on. */
export interface EndMessage {
  type: 'end';
  complete: boolean;
}

export type LiveTextMessage = HelloMessage | SecondsMessage | WarningsMessage | EndMessage;

/** From the viewer: it has drawn its first picture (the run waits for this before its first tick). */
export interface ReadyMessage {
  type: 'ready';
}

export type ViewerMessage = ReadyMessage;

/** Prefixes a payload with its tag byte, in one buffer. */
export function tagged(tag: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.byteLength + 1);
  out[0] = tag;
  out.set(payload, 1);
  return out;
}
