/**
 * The trace: a compact binary record of every entity, sampled every `interval` seconds, that the
 * viewer can seek in without reading it all. Layout (little-endian), documented for readers in
 * viewer/TRACE.md:
 *
 *   trace.bin   header: magic "RTTRACE1" (8 bytes), version u32, recordSize u32, interval f64,
 *                       minX f32, minY f32, maxX f32, maxY f32           (40 bytes)
 *               frames: time f64, count u32, altitudes u32                 (16 bytes)
 *                       then `count` records of `recordSize` bytes:
 *                       id u32 | x u16 | y u16 | heading u8 | speed u8 | class (low 3 bits) + flags (high 5 bits) u8
 *                       then `altitudes` u16 altitudes (decimetres), one per record flagged
 *                       TF_ALTITUDE, in record order
 *                       (version 2: 14-byte records id|x|y|heading|speed|class u8|flags u8|z u16 and a
 *                       reserved 0 for `altitudes`; version 1: the first 12 bytes of those, no z)
 *   trace.idx   per frame: time f64, byte offset of the frame in trace.bin f64 (16 bytes)
 *
 * x and y are quantised over the network's bounding box (resolution = extent / 65535, 0.2 m
 * for a 13 km district); heading in 256 steps of a full turn (counter-clockwise from east); speed
 * in 0.25 m/s steps up to 63.75 m/s; class is the entity class code (vehicle classes first, at
 * most 8 classes); z is the altitude in decimetres (up to 6553.5 m), carried only by records
 * above the ground: road vehicles and robots cost 11 bytes, a flying drone 13.
 *
 * This module has no Node or DOM dependency: the engine writes with it and the viewer reads with it.
 */

export const TRACE_MAGIC = 'RTTRACE1';
export const TRACE_VERSION = 3;
export const HEADER_BYTES = 40;
export const FRAME_HEADER_BYTES = 16;
/** bytes per record in the current version */
export const RECORD_BYTES = 11;
/** bytes per record of version 2 traces (a u16 altitude in every record), still readable */
export const RECORD_BYTES_V2 = 14;
/** bytes per record of version 1 traces (no altitude), still readable */
export const RECORD_BYTES_V1 = 12;
/** bytes per entry of a version 3 frame's altitude block */
export const ALTITUDE_BYTES = 2;
export const INDEX_ENTRY_BYTES = 16;
export const SPEED_STEP = 0.25;
export const Z_STEP = 0.1;

/** Version 3 packs the class code and the flags into one byte: class in the low bits. */
export const CLASS_BITS = 3;
/** class codes 0..7 */
export const MAX_CLASS = (1 << CLASS_BITS) - 1;
/** flags 0..31 (5 bits) */
export const MAX_FLAGS = (1 << (8 - CLASS_BITS)) - 1;

/** Entity classes in the trace: road vehicle classes first; later kinds (drones, robots) follow. */
export const traceClasses = ['car', 'bus', 'truck', 'van', 'emergency', 'drone', 'robot'] as const;
/** class codes of the logistics entities (engine/logistics) */
export const CLASS_DRONE = 5;
export const CLASS_ROBOT = 6;

/** flags bits */
export const TF_STOPPED = 1;
export const TF_EQUIPPED = 2;
export const TF_BRAKING = 4;
/** version 3: the record's altitude is in its frame's altitude block (records without it are at z = 0) */
export const TF_ALTITUDE = 8;

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
  /**
   * altitude, m: 0 for road vehicles and in version 1 traces. A version 3 record flagged
   * TF_ALTITUDE decoded on its own (decodeRecord) has NaN: its altitude is in the frame's
   * altitude block, which decodeFrame reads.
   */
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

/** The smallest record of each version (index = version). */
const MIN_RECORD = [0, RECORD_BYTES_V1, RECORD_BYTES_V2, RECORD_BYTES];

/** Reads and checks the header of a version 1, 2 or 3 trace; throws a readable message otherwise. */
export function decodeHeader(bytes: Uint8Array): TraceHeader {
  if (bytes.byteLength < HEADER_BYTES) throw new Error(`trace header is truncated (${bytes.byteLength} of ${HEADER_BYTES} bytes)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let magic = '';
  for (let i = 0; i < 8; i++) magic += String.fromCharCode(dv.getUint8(i));
  if (magic !== TRACE_MAGIC) throw new Error('not a roadtwin trace (bad magic)');
  const version = dv.getUint32(8, true);
  if (!(version >= 1 && version <= TRACE_VERSION)) throw new Error(`trace version ${version} is not supported (expected 1 to ${TRACE_VERSION})`);
  const recordSize = dv.getUint32(12, true);
  const minSize = MIN_RECORD[version];
  // versions 2 and 3 may have fields appended to a record by a later writer; a reader steps over them by recordSize
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

/** Writes a frame header: its time, its number of records and of altitude entries. */
export function encodeFrameHeader(dv: DataView, offset: number, time: number, count: number, altitudes: number): void {
  dv.setFloat64(offset, time, true);
  dv.setUint32(offset + 8, count, true);
  dv.setUint32(offset + 12, altitudes, true);
}

/**
 * Writes one current-version (11-byte) record at `offset`. Positional arguments rather than a
 * sample object so that the writer's loop over thousands of vehicles allocates nothing. The
 * altitude is not in the record: a record above the ground carries TF_ALTITUDE in `flags` and its
 * altitude code (altitudeCode) goes in the frame's altitude block (encodeAltitude).
 */
export function encodeRecord(
  dv: DataView,
  offset: number,
  box: BBox,
  id: number,
  x: number,
  y: number,
  heading: number,
  speed: number,
  cls: number,
  flags: number,
): void {
  // (the message is built in a function of its own: this one stays small enough to be inlined into
  // the frame encoder's loop, where a call would box every coordinate; core/v8-tuning.ts)
  if (!(cls >= 0 && cls <= MAX_CLASS && flags >= 0 && flags <= MAX_FLAGS)) recordDoesNotFit(id, cls, flags);
  dv.setUint32(offset, id >>> 0, true);
  dv.setUint16(offset + 4, positionCode(x, box.minX, box.maxX), true);
  dv.setUint16(offset + 6, positionCode(y, box.minY, box.maxY), true);
  dv.setUint8(offset + 8, headingCode(heading));
  dv.setUint8(offset + 9, speedCode(speed));
  dv.setUint8(offset + 10, cls | (flags << CLASS_BITS));
}

// The record's fields as codes, one definition each: encodeRecord and the frame encoder's loop
// over the road vehicles (trace/writer.ts) both write them, and must write the same bytes.

/** A coordinate between `min` and `max` of the box as 0..65535. */
export function positionCode(x: number, min: number, max: number): number {
  return clamp(Math.round(((x - min) / (max - min || 1)) * 65535), 0, 65535);
}

/** A heading (radians, any turn) as 0..255, 256 steps to the turn. */
export function headingCode(heading: number): number {
  let h = heading % TWO_PI;
  if (h < 0) h += TWO_PI;
  return Math.round((h / TWO_PI) * 256) & 255;
}

/** A speed as 0..255 steps of SPEED_STEP. */
export function speedCode(speed: number): number {
  return clamp(Math.round(speed / SPEED_STEP), 0, 255);
}

/** Throws unless `cls` and `flags` fit a record's last byte (encodeRecord's check, for encoders that write the bytes themselves). */
export function checkRecordFits(id: number, cls: number, flags: number): void {
  if (!(cls >= 0 && cls <= MAX_CLASS && flags >= 0 && flags <= MAX_FLAGS)) recordDoesNotFit(id, cls, flags);
}

function recordDoesNotFit(id: number, cls: number, flags: number): never {
  throw new RangeError(`trace record ${id}: class ${cls} or flags ${flags} do not fit (class 0..${MAX_CLASS}, flags 0..${MAX_FLAGS})`);
}

/** The altitude block's code for `z` metres: decimetres, clamped to 0..65535 (0 = on the ground). */
export function altitudeCode(z: number): number {
  return clamp(Math.round(z / Z_STEP), 0, 65535);
}

/** Writes one altitude-block entry (a code from altitudeCode) at `offset`. */
export function encodeAltitude(dv: DataView, offset: number, code: number): void {
  dv.setUint16(offset, code, true);
}

/**
 * One record as an object (tests, tools), read as `version` lays it out. A version 3 record has
 * no altitude of its own: z is 0, or NaN when it is flagged TF_ALTITUDE (decodeFrame reads it).
 */
export function decodeRecord(dv: DataView, offset: number, box: BBox, version = TRACE_VERSION): TraceSample {
  let cls: number;
  let flags: number;
  let z: number;
  if (version >= 3) {
    const b = dv.getUint8(offset + 10);
    cls = b & MAX_CLASS;
    flags = b >>> CLASS_BITS;
    z = flags & TF_ALTITUDE ? NaN : 0;
  } else {
    cls = dv.getUint8(offset + 10);
    flags = dv.getUint8(offset + 11);
    z = version === 2 ? dv.getUint16(offset + 12, true) * Z_STEP : 0;
  }
  return {
    id: dv.getUint32(offset, true),
    x: box.minX + (dv.getUint16(offset + 4, true) / 65535) * (box.maxX - box.minX),
    y: box.minY + (dv.getUint16(offset + 6, true) / 65535) * (box.maxY - box.minY),
    z,
    heading: (dv.getUint8(offset + 8) / 256) * TWO_PI,
    speed: dv.getUint8(offset + 9) * SPEED_STEP,
    cls,
    flags,
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

/** Bytes a frame of `count` records and `altitudes` altitude entries (version 3) takes. */
export function frameBytes(count: number, recordSize = RECORD_BYTES, altitudes = 0): number {
  return FRAME_HEADER_BYTES + count * recordSize + altitudes * ALTITUDE_BYTES;
}

/**
 * Bytes taken by the frame whose 16-byte header starts at `offset` of `dv`, from the counts in
 * that header (version 1 and 2 frames have no altitude block: their third field is reserved).
 */
export function frameBytesAt(dv: DataView, offset: number, head: Pick<TraceHeader, 'version' | 'recordSize'>): number {
  const altitudes = head.version >= 3 ? dv.getUint32(offset + 12, true) : 0;
  return frameBytes(dv.getUint32(offset + 8, true), head.recordSize, altitudes);
}

/**
 * Decodes the frame starting at `offset` of `bytes` (which may be just the bytes of this frame).
 * Throws when the frame runs past the end of `bytes`, or when its altitude block does not match
 * its flagged records, so a truncated or damaged trace is reported, not drawn.
 */
export function decodeFrame(bytes: Uint8Array, offset: number, head: Pick<TraceHeader, 'version' | 'recordSize' | 'box'>): TraceFrame {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (offset + FRAME_HEADER_BYTES > bytes.byteLength) throw new Error(`trace frame at byte ${offset} is truncated`);
  const time = dv.getFloat64(offset, true);
  const count = dv.getUint32(offset + 8, true);
  const v3 = head.version >= 3;
  const altitudes = v3 ? dv.getUint32(offset + 12, true) : 0;
  const rs = head.recordSize;
  if (altitudes > count) throw new Error(`trace frame at t=${time} s claims ${altitudes} altitudes for ${count} records`);
  if (offset + frameBytes(count, rs, altitudes) > bytes.byteLength) throw new Error(`trace frame at t=${time} s claims ${count} records but the data ends first`);
  const { minX, minY, maxX, maxY } = head.box;
  const sx = (maxX - minX) / 65535;
  const sy = (maxY - minY) / 65535;
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
  if (v3) {
    // the altitude block follows the records; its entries go to the flagged records in order
    let a = o + count * rs;
    const aEnd = a + altitudes * ALTITUDE_BYTES;
    for (let k = 0; k < count; k++, o += rs) {
      f.id[k] = dv.getUint32(o, true);
      f.x[k] = minX + dv.getUint16(o + 4, true) * sx;
      f.y[k] = minY + dv.getUint16(o + 6, true) * sy;
      f.heading[k] = (dv.getUint8(o + 8) / 256) * TWO_PI;
      f.speed[k] = dv.getUint8(o + 9) * SPEED_STEP;
      const b = dv.getUint8(o + 10);
      f.cls[k] = b & MAX_CLASS;
      const flags = b >>> CLASS_BITS;
      f.flags[k] = flags;
      if (flags & TF_ALTITUDE) {
        if (a >= aEnd) throw new Error(`trace frame at t=${time} s has more records above the ground than its ${altitudes} altitudes`);
        f.z[k] = dv.getUint16(a, true) * Z_STEP;
        a += ALTITUDE_BYTES;
      }
    }
    if (a !== aEnd) throw new Error(`trace frame at t=${time} s has ${altitudes} altitudes but ${altitudes - (aEnd - a) / ALTITUDE_BYTES} records above the ground`);
    return f;
  }
  const hasZ = head.version === 2;
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
