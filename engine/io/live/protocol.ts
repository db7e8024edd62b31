/**
 * Messages of the live stream (`roadtwin run --live`), shared by the server and the viewer. No
 * Node or DOM dependency. Text messages are JSON; binary messages are one tag byte followed by a
 * payload in the run directory's formats, so the viewer decodes live data with the replay code:
 *
 *   TAG_FRAME   a trace frame exactly as in trace.bin (frame header, records, altitude block),
 *               in the trace version and record size the hello message's `header` gives
 *   TAG_SIGNALS a signals.bin block (time, n, changes)
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
}

/** One timeseries.csv row. */
export interface SecondMessage {
  type: 'second';
  row: Record<string, number>;
}

/** A V2X warning (an event whose type starts with v2x.warning, with its place). */
export interface WarningMessage {
  type: 'warning';
  time: number;
  x: number;
  y: number;
  kind: string;
  vehicle?: number;
}

/** The run ended; its run directory is complete and served under /run/ from now on. */
export interface EndMessage {
  type: 'end';
  complete: boolean;
}

export type LiveTextMessage = HelloMessage | SecondMessage | WarningMessage | EndMessage;

/** Prefixes a payload with its tag byte, in one buffer. */
export function tagged(tag: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.byteLength + 1);
  out[0] = tag;
  out.set(payload, 1);
  return out;
}
