// The trace and signal stream formats: round trips, versions 1 and 2 still read, damage detection.
import { describe, expect, it } from 'vitest';
import {
  ALTITUDE_BYTES,
  CLASS_DRONE,
  CLASS_ROBOT,
  FRAME_HEADER_BYTES,
  HEADER_BYTES,
  MAX_CLASS,
  MAX_FLAGS,
  RECORD_BYTES,
  RECORD_BYTES_V1,
  RECORD_BYTES_V2,
  TF_ALTITUDE,
  TF_BRAKING,
  TF_EQUIPPED,
  TF_STOPPED,
  altitudeCode,
  decodeFrame,
  decodeHeader,
  decodeIndex,
  decodeRecord,
  encodeAltitude,
  encodeFrameHeader,
  encodeHeader,
  encodeRecord,
  frameAtOrBefore,
  frameBytes,
  frameBytesAt,
  storedBox,
  traceClasses,
} from './format.js';
import { decodeSignalStream, encodeSignalBlock, encodeSignalHeader } from './signal-stream.js';

const box = storedBox({ minX: -100, minY: -50, maxX: 1200, maxY: 800 });
const resX = (box.maxX - box.minX) / 65535;

type Sample = { id: number; x: number; y: number; z: number; h: number; v: number; cls: number; flags: number };

/** A version 3 frame as the writer lays it out, from plain samples: those with z > 0 get an altitude entry. */
function frame(time: number, samples: Sample[]): Uint8Array {
  const codes = samples.map((s) => altitudeCode(s.z)).filter((c) => c > 0);
  const buf = new Uint8Array(frameBytes(samples.length, RECORD_BYTES, codes.length));
  const dv = new DataView(buf.buffer);
  encodeFrameHeader(dv, 0, time, samples.length, codes.length);
  samples.forEach((s, k) =>
    encodeRecord(dv, FRAME_HEADER_BYTES + k * RECORD_BYTES, box, s.id, s.x, s.y, s.h, s.v, s.cls, s.flags | (altitudeCode(s.z) > 0 ? TF_ALTITUDE : 0)),
  );
  codes.forEach((c, k) => encodeAltitude(dv, FRAME_HEADER_BYTES + samples.length * RECORD_BYTES + k * ALTITUDE_BYTES, c));
  return buf;
}

/** A version 2 frame (14-byte records, z in every record), written by hand as the version 2 writer did. */
function frameV2(time: number, samples: Sample[], recordSize = RECORD_BYTES_V2): Uint8Array {
  const buf = new Uint8Array(FRAME_HEADER_BYTES + samples.length * recordSize);
  const dv = new DataView(buf.buffer);
  dv.setFloat64(0, time, true);
  dv.setUint32(8, samples.length, true);
  samples.forEach((s, k) => {
    const o = FRAME_HEADER_BYTES + k * recordSize;
    dv.setUint32(o, s.id, true);
    dv.setUint16(o + 4, Math.round(((s.x - box.minX) / (box.maxX - box.minX)) * 65535), true);
    dv.setUint16(o + 6, Math.round(((s.y - box.minY) / (box.maxY - box.minY)) * 65535), true);
    dv.setUint8(o + 8, Math.round((s.h / (2 * Math.PI)) * 256) & 255);
    dv.setUint8(o + 9, Math.round(s.v / 0.25));
    dv.setUint8(o + 10, s.cls);
    dv.setUint8(o + 11, s.flags);
    if (recordSize >= RECORD_BYTES_V2) dv.setUint16(o + 12, Math.round(s.z / 0.1), true);
  });
  return buf;
}

function headerOf(version: number, recordSize: number): Uint8Array {
  const h = encodeHeader(1, box);
  const dv = new DataView(h.buffer);
  dv.setUint32(8, version, true);
  dv.setUint32(12, recordSize, true);
  return h;
}

const road = (id: number, flags = 0): Sample => ({ id, x: 10.3 + id, y: 20.7, z: 0, h: 1.0, v: 13.4, cls: id % 5, flags });

describe('trace format version 3', () => {
  it('round-trips a header and a frame of road vehicles, drones in flight and robots within the quantisation steps', () => {
    const head = decodeHeader(encodeHeader(0.5, box));
    expect(head).toEqual({ version: 3, recordSize: 11, interval: 0.5, box });
    const samples: Sample[] = [
      { id: 3, x: 10.3, y: 20.7, z: 0, h: 1.0, v: 13.4, cls: 0, flags: TF_STOPPED | TF_EQUIPPED | TF_BRAKING },
      { id: 9, x: 600, y: 300, z: 0, h: 2.0, v: 8, cls: 4, flags: TF_EQUIPPED },
      { id: 0x20000000, x: 1199, y: -49, z: 120.34, h: -0.5, v: 70, cls: CLASS_DRONE, flags: 0 },
      { id: 0x20000001, x: 5, y: 5, z: 0, h: 0, v: 0, cls: CLASS_DRONE, flags: TF_STOPPED }, // landed: no altitude entry
      { id: 0x20000002, x: 7, y: 9, z: 6553.5, h: 0, v: 12, cls: CLASS_DRONE, flags: 0 },
      { id: 0x30000000, x: 50, y: 60, z: 0, h: 3, v: 1.5, cls: CLASS_ROBOT, flags: 0 },
    ];
    const bytes = frame(42.5, samples);
    // 11 bytes a record, 2 more for each of the two drones in the air
    expect(bytes.byteLength).toBe(FRAME_HEADER_BYTES + 6 * 11 + 2 * 2);
    expect(frameBytesAt(new DataView(bytes.buffer), 0, head)).toBe(bytes.byteLength);
    const f = decodeFrame(bytes, 0, head);
    expect(f.time).toBe(42.5);
    expect(f.count).toBe(6);
    expect(Array.from(f.id)).toEqual(samples.map((s) => s.id));
    expect(Math.abs(f.x[0] - 10.3)).toBeLessThanOrEqual(resX);
    expect(f.x[0]).toBeCloseTo(10.3, 0);
    expect(Array.from(f.z).map((z) => Math.round(z * 10) / 10)).toEqual([0, 0, 120.3, 0, 6553.5, 0]);
    expect(f.speed[2]).toBe(63.75); // clamped to the u8 range
    expect(f.heading[2]).toBeCloseTo(2 * Math.PI - 0.5, 1);
    expect(Array.from(f.cls)).toEqual([0, 4, CLASS_DRONE, CLASS_DRONE, CLASS_DRONE, CLASS_ROBOT]);
    expect(Array.from(f.flags)).toEqual([7, TF_EQUIPPED, TF_ALTITUDE, TF_STOPPED, TF_ALTITUDE, 0]);
    // a record alone knows its class and flags, not the altitude kept in the frame's block
    const dv = new DataView(bytes.buffer);
    const one = decodeRecord(dv, FRAME_HEADER_BYTES + 2 * RECORD_BYTES, head.box);
    expect(one).toMatchObject({ id: 0x20000000, cls: CLASS_DRONE, flags: TF_ALTITUDE });
    expect(one.z).toBeNaN();
    expect(decodeRecord(dv, FRAME_HEADER_BYTES, head.box)).toMatchObject({ id: 3, cls: 0, flags: 7, z: 0 });
  });

  it('packs class and flags into one byte up to their limits, and refuses what does not fit', () => {
    expect(traceClasses.length).toBeLessThanOrEqual(MAX_CLASS + 1);
    expect([MAX_CLASS, MAX_FLAGS]).toEqual([7, 31]);
    const head = decodeHeader(encodeHeader(1, box));
    // every flag set, TF_ALTITUDE included, needs its altitude entry
    for (const [cls, flags, z] of [
      [7, 0, 0],
      [0, 31, 12.5],
      [7, 31 & ~TF_ALTITUDE, 0],
      [5, 16, 0],
    ]) {
      const f = decodeFrame(frame(1, [{ ...road(1), cls, flags, z }]), 0, head);
      expect([f.cls[0], f.flags[0], f.z[0]]).toEqual([cls, flags, Math.fround(z)]);
    }
    const dv = new DataView(new ArrayBuffer(RECORD_BYTES));
    expect(() => encodeRecord(dv, 0, box, 1, 0, 0, 0, 0, 8, 0)).toThrow(/class 8/);
    expect(() => encodeRecord(dv, 0, box, 1, 0, 0, 0, 0, 0, 32)).toThrow(/flags 32/);
    expect(() => encodeRecord(dv, 0, box, 1, 0, 0, 0, 0, -1, 0)).toThrow(RangeError);
  });

  it('a whole frame costs 11 bytes per road vehicle plus 16 per frame and 2 per entity in the air', () => {
    const samples = Array.from({ length: 1000 }, (_, k) => road(k));
    for (let k = 0; k < 20; k++) samples.push({ id: 0x20000000 + k, x: 100, y: 100, z: 60, h: 0, v: 15, cls: CLASS_DRONE, flags: 0 });
    const bytes = frame(0, samples);
    expect(bytes.byteLength).toBe(16 + 1020 * 11 + 20 * 2);
    expect(bytes.byteLength / samples.length).toBeLessThan(12);
  });

  it('reports a frame whose altitude block does not match its flagged records, or that is cut short', () => {
    const head = decodeHeader(encodeHeader(1, box));
    const drone: Sample = { id: 0x20000000, x: 1, y: 1, z: 30, h: 0, v: 10, cls: CLASS_DRONE, flags: 0 };
    const good = frame(5, [road(1), drone]);
    expect(decodeFrame(good, 0, head).z[1]).toBeCloseTo(30, 5);
    // the header claims no altitudes but a record is flagged
    const noAlt = good.slice(0, good.length - 2);
    new DataView(noAlt.buffer).setUint32(12, 0, true);
    expect(() => decodeFrame(noAlt, 0, head)).toThrow(/more records above the ground/);
    // an altitude without a flagged record
    const extra = frame(5, [road(1), road(2)]);
    const withAlt = new Uint8Array(extra.length + 2);
    withAlt.set(extra);
    new DataView(withAlt.buffer).setUint32(12, 1, true);
    expect(() => decodeFrame(withAlt, 0, head)).toThrow(/1 altitudes but 0 records/);
    // more altitudes than records
    const many = good.slice();
    new DataView(many.buffer).setUint32(12, 9, true);
    expect(() => decodeFrame(many, 0, head)).toThrow(/claims 9 altitudes for 2 records/);
    // the altitude block cut off
    expect(() => decodeFrame(good.subarray(0, good.length - 1), 0, head)).toThrow(/ends first/);
  });
});

describe('earlier trace versions are still read', () => {
  it('version 2: 14-byte records with the altitude in every record', () => {
    const head = decodeHeader(headerOf(2, RECORD_BYTES_V2));
    expect(head).toMatchObject({ version: 2, recordSize: 14 });
    const samples: Sample[] = [
      { id: 3, x: 10.3, y: 20.7, z: 0, h: 1.0, v: 13.4, cls: 0, flags: 7 },
      { id: 70000, x: 1199, y: -49, z: 120.34, h: 5.8, v: 20, cls: 5, flags: 0 },
    ];
    const bytes = frameV2(42.5, samples);
    expect(frameBytesAt(new DataView(bytes.buffer), 0, head)).toBe(bytes.byteLength);
    const f = decodeFrame(bytes, 0, head);
    expect(Array.from(f.id)).toEqual([3, 70000]);
    expect(Math.abs(f.x[0] - 10.3)).toBeLessThanOrEqual(resX);
    expect(f.z[1]).toBeCloseTo(120.3, 3);
    expect(f.speed[1]).toBe(20);
    expect(Array.from(f.cls)).toEqual([0, 5]);
    expect(Array.from(f.flags)).toEqual([7, 0]);
    const one = decodeRecord(new DataView(bytes.buffer), FRAME_HEADER_BYTES + RECORD_BYTES_V2, head.box, 2);
    expect(one).toMatchObject({ id: 70000, cls: 5, flags: 0 });
    expect(one.z).toBeCloseTo(120.3, 3);
    // a version 2 record with fields appended by a later writer is stepped over by its size
    const wide = decodeHeader(headerOf(2, 16));
    expect(Array.from(decodeFrame(frameV2(1, samples, 16), 0, wide).id)).toEqual([3, 70000]);
  });

  it('version 1: 12-byte records, no altitude', () => {
    const head = decodeHeader(headerOf(1, RECORD_BYTES_V1));
    expect(head.version).toBe(1);
    const f = decodeFrame(
      frameV2(7, [
        { id: 1, x: 0, y: 0, z: 55, h: 0, v: 5, cls: 1, flags: 1 },
        { id: 2, x: 500, y: 400, z: 0, h: 3, v: 6, cls: 2, flags: 0 },
      ], RECORD_BYTES_V1),
      0,
      head,
    );
    expect(Array.from(f.id)).toEqual([1, 2]);
    expect(Array.from(f.z)).toEqual([0, 0]);
    expect(f.x[1]).toBeCloseTo(500, 0);
    expect(f.speed[1]).toBe(6);
    expect(Array.from(f.cls)).toEqual([1, 2]);
  });
});

describe('damage', () => {
  it('rejects what is not a trace, unknown versions, wrong record sizes and truncated frames', () => {
    expect(() => decodeHeader(new Uint8Array(10))).toThrow(/truncated/);
    expect(() => decodeHeader(new TextEncoder().encode('{"hello": "this is JSON, not a trace"}   '))).toThrow(/bad magic/);
    expect(() => decodeHeader(headerOf(9, 11))).toThrow(/version 9/);
    expect(() => decodeHeader(headerOf(0, 11))).toThrow(/version 0/);
    expect(() => decodeHeader(headerOf(3, 10))).toThrow(/record size 10/);
    expect(() => decodeHeader(headerOf(2, 12))).toThrow(/record size 12/);
    expect(() => decodeHeader(headerOf(1, 14))).toThrow(/record size 14/);
    const bytes = frame(1, [road(1)]);
    expect(() => decodeFrame(bytes.subarray(0, bytes.length - 1), 0, { version: 3, recordSize: RECORD_BYTES, box })).toThrow(/ends first/);
    expect(() => decodeFrame(bytes.subarray(0, 10), 0, { version: 3, recordSize: RECORD_BYTES, box })).toThrow(/truncated/);
    expect(HEADER_BYTES).toBe(40);
  });

  it('decodes the index and finds the frame at or before a time', () => {
    const idx = new Uint8Array(3 * 16);
    const dv = new DataView(idx.buffer);
    [0, 1, 2].forEach((k) => {
      dv.setFloat64(k * 16, k * 2, true);
      dv.setFloat64(k * 16 + 8, 40 + k * 100, true);
    });
    const { times, offsets } = decodeIndex(idx);
    expect(Array.from(offsets)).toEqual([40, 140, 240]);
    expect(frameAtOrBefore(times, -1)).toBe(0);
    expect(frameAtOrBefore(times, 0)).toBe(0);
    expect(frameAtOrBefore(times, 1.99)).toBe(0);
    expect(frameAtOrBefore(times, 2)).toBe(1);
    expect(frameAtOrBefore(times, 3.5)).toBe(1);
    expect(frameAtOrBefore(times, 99)).toBe(2);
    expect(() => decodeIndex(idx.subarray(0, 20))).toThrow(/whole number/);
    dv.setFloat64(16, 10, true);
    expect(() => decodeIndex(idx)).toThrow(/out of order/);
  });
});

describe('signal stream', () => {
  it('round-trips a header, a full first block and blocks of changes', () => {
    const parts = [
      encodeSignalHeader([4, 9, 11]),
      encodeSignalBlock(0, [0, 1, 2], [0, 3, 3], 3),
      encodeSignalBlock(27.5, [0], [2], 1),
      encodeSignalBlock(30.5, [0, 1], [3, 0], 2),
    ];
    const bytes = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      bytes.set(p, o);
      o += p.length;
    }
    const s = decodeSignalStream(bytes);
    expect(Array.from(s.conns)).toEqual([4, 9, 11]);
    expect(Array.from(s.times)).toEqual([0, 27.5, 30.5]);
    expect(Array.from(s.start)).toEqual([0, 3, 4, 6]);
    expect(Array.from(s.slot)).toEqual([0, 1, 2, 0, 0, 1]);
    expect(Array.from(s.state)).toEqual([0, 3, 3, 2, 3, 0]);
    expect(() => decodeSignalStream(bytes.subarray(0, bytes.length - 2))).toThrow(/truncated/);
  });
});
