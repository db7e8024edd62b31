/**
 * The trace: a compact binary record of every entity, sampled every `interval` seconds, that the
 * viewer can seek in without reading it all. Layout (little-endian), documented for readers in
 * viewer/TRACE.md:
 *
 *   trace.bin   header: magic "RTTRACE1" (8 bytes), version u32, recordSize u32, interval f64,
 *                       minX f32, minY f32, maxX f32, maxY f32           (40 bytes)
 *               frames: time f64, count u32, reserved u32                  (16 bytes)
 *                       then `count` records of `recordSize` bytes:
 *                       id u32 | x u16 | y u16 | heading u8 | speed u8 | class u8 | flags u8 | z u16
 *                       (version 1: 12-byte records without z)
 *   trace.idx   per frame: time f64, byte offset of the frame in trace.bin f64 (16 bytes)
 *
 * x and y are quantised over the network's bounding box (resolution = extent / 65535, 0.2 m
 * for a 13 km district); heading in 256 steps of a full turn (counter-clockwise from east); speed
 * in 0.25 m/s steps up to 63.75 m/s; class is the entity class code (vehicle classes first);
 * z is the altitude in decimetres (0 for road vehicles; up to 6553.5 m).
 *
 * This module has no Node or DOM dependency: the engine writes with it and the viewer reads with it.
 */

export const TRACE_MAGIC = 'RTTRACE1';
export const TRACE_VERSION = 2;
export const HEADER_BYTES = 40;
export const FRAME_HEADER_BYTES = 16;
/** bytes per record in the current version */
export const RECORD_BYTES = 14;
/** bytes per record of version 1 traces (no altitude), still readable */
export const RECORD_BYTES_V1 = 12;
export const INDEX_ENTRY_BYTES = 16;
export const SPEED_STEP = 0.25;
export const Z_STEP = 0.1;

/** Entity classes in the trace: road vehicle classes first; later kinds (drones, robots) follow. */
export const traceClasses = ['car', 'bus', 'truck', 'van', 'emergency', 'drone', 'robot'] as const;
/** class codes of the logistics entities (engine/logistics) */
export const CLASS_DRONE = 5;
export const CLASS_ROBOT = 6;

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

export interface TraceHeader {
  version: number;
  recordSize: number;
  interval: number;
  box: BBox;
}

export interface TraceSample {
  id: number;
  x: number;
  y: number;
  /** altitude, m (0 for road vehicles and in version 1 traces) */
  z: number;
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

/** Reads and checks the header of a version 1 or 2 trace; throws a readable message otherwise. */
export function decodeHeader(bytes: Uint8Array): TraceHeader {
  if (bytes.byteLength < HEADER_BYTES) throw new Error(`trace header is truncated (${bytes.byteLength} of ${HEADER_BYTES} bytes)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let magic = '';
  for (let i = 0; i < 8; i++) magic += String.fromCharCode(dv.getUint8(i));
  if (magic !== TRACE_MAGIC) throw new Error('not a roadtwin trace (bad magic)');
  const version = dv.getUint32(8, true);
  if (version !== 1 && version !== 2) throw new Error(`trace version ${version} is not supported (expected 1 or ${TRACE_VERSION})`);
  const recordSize = dv.getUint32(12, true);
  const minSize = version === 1 ? RECORD_BYTES_V1 : RECORD_BYTES;
  // later versions may append fields; a reader steps over them by recordSize
  if (version === 1 ? recordSize !== RECORD_BYTES_V1 : recordSize < minSize)
    throw new Error(`trace record size ${recordSize} does not fit version ${version} (expected ${minSize})`);
  const interval = dv.getFloat64(16, true);
  if (!(interval > 0)) throw new Error(`trace sampling interval ${interval} is not positive`);
  // the float32 box is widened back to doubles exactly as the writer quantised with it
  return {
    version,
    recordSize,
    interval,
    box: { minX: dv.getFloat32(24, true), minY: dv.getFloat32(28, true), maxX: dv.getFloat32(32, true), maxY: dv.getFloat32(36, true) },
  };
}

/** The box as the header stores it (float32), so writer and reader quantise identically. */
export function storedBox(box: BBox): BBox {
  const f = Math.fround;
  return { minX: f(box.minX), minY: f(box.minY), maxX: f(box.maxX), maxY: f(box.maxY) };
}

const TWO_PI = 2 * Math.PI;

/**
 * Writes one current-version record at `offset`. Positional arguments rather than a sample
 * object so that the writer's loop over thousands of vehicles allocates nothing.
 */
export function encodeRecord(
  dv: DataView,
  offset: number,
  box: BBox,
  id: number,
  x: number,
  y: number,
  z: number,
  heading: number,
  speed: number,
  cls: number,
  flags: number,
): void {
  const qx = Math.round(((x - box.minX) / (box.maxX - box.minX || 1)) * 65535);
  const qy = Math.round(((y - box.minY) / (box.maxY - box.minY || 1)) * 65535);
  let h = heading % TWO_PI;
  if (h < 0) h += TWO_PI;
  dv.setUint32(offset, id >>> 0, true);
  dv.setUint16(offset + 4, clamp(qx, 0, 65535), true);
  dv.setUint16(offset + 6, clamp(qy, 0, 65535), true);
  dv.setUint8(offset + 8, Math.round((h / TWO_PI) * 256) & 255);
  dv.setUint8(offset + 9, clamp(Math.round(speed / SPEED_STEP), 0, 255));
  dv.setUint8(offset + 10, cls);
  dv.setUint8(offset + 11, flags);
  dv.setUint16(offset + 12, clamp(Math.round(z / Z_STEP), 0, 65535), true);
}

/** One record as an object (tests, the details panel); `recordSize` 12 reads a version 1 record. */
export function decodeRecord(dv: DataView, offset: number, box: BBox, recordSize = RECORD_BYTES): TraceSample {
  return {
    id: dv.getUint32(offset, true),
    x: box.minX + (dv.getUint16(offset + 4, true) / 65535) * (box.maxX - box.minX),
    y: box.minY + (dv.getUint16(offset + 6, true) / 65535) * (box.maxY - box.minY),
    z: recordSize >= RECORD_BYTES ? dv.getUint16(offset + 12, true) * Z_STEP : 0,
    heading: (dv.getUint8(offset + 8) / 256) * TWO_PI,
    speed: dv.getUint8(offset + 9) * SPEED_STEP,
    cls: dv.getUint8(offset + 10),
    flags: dv.getUint8(offset + 11),
  };
}

/** A whole frame as parallel typed arrays, in entity id order (what the viewer interpolates). */
export interface TraceFrame {
  time: number;
  count: number;
  id: Uint32Array;
  x: Float32Array;
  y: Float32Array;
  z: Float32Array;
  heading: Float32Array;
  speed: Float32Array;
  cls: Uint8Array;
  flags: Uint8Array;
}

/** Bytes a frame of `count` records takes. */
export function frameBytes(count: number, recordSize = RECORD_BYTES): number {
  return FRAME_HEADER_BYTES + count * recordSize;
}

/**
 * Decodes the frame starting at `offset` of `bytes` (which may be just the bytes of this frame).
 * Throws when the frame runs past the end of `bytes`, so a truncated trace is reported, not drawn.
 */
export function decodeFrame(bytes: Uint8Array, offset: number, head: Pick<TraceHeader, 'recordSize' | 'box'>): TraceFrame {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (offset + FRAME_HEADER_BYTES > bytes.byteLength) throw new Error(`trace frame at byte ${offset} is truncated`);
  const time = dv.getFloat64(offset, true);
  const count = dv.getUint32(offset + 8, true);
  const rs = head.recordSize;
  if (offset + frameBytes(count, rs) > bytes.byteLength) throw new Error(`trace frame at t=${time} s claims ${count} records but the data ends first`);
  const { minX, minY, maxX, maxY } = head.box;
  const sx = (maxX - minX) / 65535;
  const sy = (maxY - minY) / 65535;
  const hasZ = rs >= RECORD_BYTES;
  const f: TraceFrame = {
    time,
    count,
    id: new Uint32Array(count),
    x: new Float32Array(count),
    y: new Float32Array(count),
    z: new Float32Array(count),
    heading: new Float32Array(count),
    speed: new Float32Array(count),
    cls: new Uint8Array(count),
    flags: new Uint8Array(count),
  };
  let o = offset + FRAME_HEADER_BYTES;
  for (let k = 0; k < count; k++, o += rs) {
    f.id[k] = dv.getUint32(o, true);
    f.x[k] = minX + dv.getUint16(o + 4, true) * sx;
    f.y[k] = minY + dv.getUint16(o + 6, true) * sy;
    f.heading[k] = (dv.getUint8(o + 8) / 256) * TWO_PI;
    f.speed[k] = dv.getUint8(o + 9) * SPEED_STEP;
    f.cls[k] = dv.getUint8(o + 10);
    f.flags[k] = dv.getUint8(o + 11);
    if (hasZ) f.z[k] = dv.getUint16(o + 12, true) * Z_STEP;
  }
  return f;
}

/** trace.idx decoded: frame times (ascending) and byte offsets into trace.bin. */
export interface TraceIndex {
  times: Float64Array;
  offsets: Float64Array;
}

export function decodeIndex(bytes: Uint8Array): TraceIndex {
  if (bytes.byteLength % INDEX_ENTRY_BYTES !== 0) throw new Error(`trace index has ${bytes.byteLength} bytes, not a whole number of ${INDEX_ENTRY_BYTES}-byte entries`);
  const n = bytes.byteLength / INDEX_ENTRY_BYTES;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const times = new Float64Array(n);
  const offsets = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    times[k] = dv.getFloat64(k * INDEX_ENTRY_BYTES, true);
    offsets[k] = dv.getFloat64(k * INDEX_ENTRY_BYTES + 8, true);
    if (k > 0 && !(times[k] > times[k - 1] && offsets[k] > offsets[k - 1])) throw new Error(`trace index entry ${k} is out of order`);
  }
  return { times, offsets };
}

/** Index of the last frame at or before `t` (0 before the first frame, the last after the end). */
export function frameAtOrBefore(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  if (hi < 0) return -1;
  if (t >= times[hi]) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
