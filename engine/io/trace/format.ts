/**
 * The trace: a compact binary record of every entity, sampled every `interval` seconds, that the
 * viewer can seek in without reading it all. Layout (little-endian), documented for readers in
 * viewer/TRACE.md:
 *
 *   trace.bin   header: magic "RTTRACE1" (8 bytes), version u32, recordSize u32, interval f64,
 *                       minX f32, minY f32, maxX f32, maxY f32           (40 bytes)
 *               frames: time f64, count u32, reserved u32                  (16 bytes)
 *                       then `count` records of 12 bytes:
 *                       id u32 | x u16 | y u16 | heading u8 | speed u8 | class u8 | flags u8
 *   trace.idx   per frame: time f64, byte offset of the frame in trace.bin f64 (16 bytes)
 *
 * x and y are quantised over the network's bounding box (resolution = extent / 65535, 0.2 m
 * for a 13 km district); heading in 256 steps of a full turn (counter-clockwise from east); speed
 * in 0.25 m/s steps up to 63.75 m/s; class is the entity class code (vehicle classes first).
 */

export const TRACE_MAGIC = 'RTTRACE1';
export const TRACE_VERSION = 1;
export const HEADER_BYTES = 40;
export const FRAME_HEADER_BYTES = 16;
export const RECORD_BYTES = 12;
export const INDEX_ENTRY_BYTES = 16;
export const SPEED_STEP = 0.25;

/** Entity classes in the trace: road vehicle classes first; later kinds (RSUs, drones, robots) follow. */
export const traceClasses = ['car', 'bus', 'truck', 'van', 'emergency'] as const;

/** flags bits */
export const TF_STOPPED = 1;
export const TF_EQUIPPED = 2;
export const TF_BRAKING = 4;

export interface BBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface TraceSample {
  id: number;
  x: number;
  y: number;
  heading: number;
  speed: number;
  cls: number;
  flags: number;
}

export function encodeHeader(interval: number, box: BBox): Uint8Array {
  const buf = new ArrayBuffer(HEADER_BYTES);
  const dv = new DataView(buf);
  for (let i = 0; i < 8; i++) dv.setUint8(i, TRACE_MAGIC.charCodeAt(i));
  dv.setUint32(8, TRACE_VERSION, true);
  dv.setUint32(12, RECORD_BYTES, true);
  dv.setFloat64(16, interval, true);
  dv.setFloat32(24, box.minX, true);
  dv.setFloat32(28, box.minY, true);
  dv.setFloat32(32, box.maxX, true);
  dv.setFloat32(36, box.maxY, true);
  return new Uint8Array(buf);
}

export function decodeHeader(bytes: Uint8Array): { version: number; recordSize: number; interval: number; box: BBox } {
  if (bytes.byteLength < HEADER_BYTES) throw new Error('trace header is truncated');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let magic = '';
  for (let i = 0; i < 8; i++) magic += String.fromCharCode(dv.getUint8(i));
  if (magic !== TRACE_MAGIC) throw new Error('not a roadtwin trace (bad magic)');
  const version = dv.getUint32(8, true);
  if (version !== TRACE_VERSION) throw new Error(`trace version ${version} is not supported (expected ${TRACE_VERSION})`);
  // the float32 box is widened back to doubles exactly as the writer quantised with it
  return {
    version,
    recordSize: dv.getUint32(12, true),
    interval: dv.getFloat64(16, true),
    box: { minX: dv.getFloat32(24, true), minY: dv.getFloat32(28, true), maxX: dv.getFloat32(32, true), maxY: dv.getFloat32(36, true) },
  };
}

/** The box as the header stores it (float32), so writer and reader quantise identically. */
export function storedBox(box: BBox): BBox {
  const f = Math.fround;
  return { minX: f(box.minX), minY: f(box.minY), maxX: f(box.maxX), maxY: f(box.maxY) };
}

const TWO_PI = 2 * Math.PI;

export function encodeRecord(dv: DataView, offset: number, s: TraceSample, box: BBox): void {
  const qx = Math.round(((s.x - box.minX) / (box.maxX - box.minX || 1)) * 65535);
  const qy = Math.round(((s.y - box.minY) / (box.maxY - box.minY || 1)) * 65535);
  let h = s.heading % TWO_PI;
  if (h < 0) h += TWO_PI;
  dv.setUint32(offset, s.id >>> 0, true);
  dv.setUint16(offset + 4, clamp(qx, 0, 65535), true);
  dv.setUint16(offset + 6, clamp(qy, 0, 65535), true);
  dv.setUint8(offset + 8, Math.round((h / TWO_PI) * 256) & 255);
  dv.setUint8(offset + 9, clamp(Math.round(s.speed / SPEED_STEP), 0, 255));
  dv.setUint8(offset + 10, s.cls);
  dv.setUint8(offset + 11, s.flags);
}

export function decodeRecord(dv: DataView, offset: number, box: BBox): TraceSample {
  return {
    id: dv.getUint32(offset, true),
    x: box.minX + (dv.getUint16(offset + 4, true) / 65535) * (box.maxX - box.minX),
    y: box.minY + (dv.getUint16(offset + 6, true) / 65535) * (box.maxY - box.minY),
    heading: (dv.getUint8(offset + 8) / 256) * TWO_PI,
    speed: dv.getUint8(offset + 9) * SPEED_STEP,
    cls: dv.getUint8(offset + 10),
    flags: dv.getUint8(offset + 11),
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
