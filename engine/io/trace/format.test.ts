// The trace and signal stream formats: round trips, version 1 compatibility, damage detection.
import { describe, expect, it } from 'vitest';
import {
  FRAME_HEADER_BYTES,
  HEADER_BYTES,
  RECORD_BYTES,
  RECORD_BYTES_V1,
  decodeFrame,
  decodeHeader,
  decodeIndex,
  decodeRecord,
  encodeHeader,
  encodeRecord,
  frameAtOrBefore,
  storedBox,
} from './format.js';
import { decodeSignalStream, encodeSignalBlock, encodeSignalHeader } from './signal-stream.js';

const box = storedBox({ minX: -100, minY: -50, maxX: 1200, maxY: 800 });
const resX = (box.maxX - box.minX) / 65535;

/** A frame as the writer lays it out, from plain samples. */
function frame(time: number, samples: { id: number; x: number; y: number; z: number; h: number; v: number; cls: number; flags: number }[]): Uint8Array {
  const buf = new Uint8Array(FRAME_HEADER_BYTES + samples.length * RECORD_BYTES);
  const dv = new DataView(buf.buffer);
  dv.setFloat64(0, time, true);
  dv.setUint32(8, samples.length, true);
  samples.forEach((s, k) => encodeRecord(dv, FRAME_HEADER_BYTES + k * RECORD_BYTES, box, s.id, s.x, s.y, s.z, s.h, s.v, s.cls, s.flags));
  return buf;
}

describe('trace format version 2', () => {
  it('round-trips a header and records with altitude within the quantisation steps', () => {
    const head = decodeHeader(encodeHeader(0.5, box));
    expect(head).toEqual({ version: 2, recordSize: 14, interval: 0.5, box });
    const samples = [
      { id: 3, x: 10.3, y: 20.7, z: 0, h: 1.0, v: 13.4, cls: 0, flags: 0 },
      { id: 70000, x: 1199, y: -49, z: 120.34, h: -0.5, v: 70, cls: 5, flags: 7 },
    ];
    const bytes = frame(42.5, samples);
    const f = decodeFrame(bytes, 0, head);
    expect(f.time).toBe(42.5);
    expect(Array.from(f.id)).toEqual([3, 70000]);
    expect(f.x[0]).toBeCloseTo(10.3, 0);
    expect(Math.abs(f.x[0] - 10.3)).toBeLessThanOrEqual(resX);
    expect(f.z[1]).toBeCloseTo(120.3, 3);
    expect(f.speed[1]).toBe(63.75); // clamped to the u8 range
    expect(f.heading[1]).toBeCloseTo(2 * Math.PI - 0.5, 1);
    expect(Array.from(f.cls)).toEqual([0, 5]);
    const one = decodeRecord(new DataView(bytes.buffer), FRAME_HEADER_BYTES + RECORD_BYTES, head.box);
    expect(one).toMatchObject({ id: 70000, cls: 5, flags: 7 });
    expect(one.z).toBeCloseTo(120.3, 3);
  });

  it('still reads version 1 traces (12-byte records, no altitude)', () => {
    const v2 = encodeHeader(1, box);
    const v1 = new Uint8Array(v2);
    const dv = new DataView(v1.buffer);
    dv.setUint32(8, 1, true);
    dv.setUint32(12, RECORD_BYTES_V1, true);
    const head = decodeHeader(v1);
    expect(head.version).toBe(1);
    // a v1 frame: the first 12 bytes of each v2 record
    const full = frame(7, [
      { id: 1, x: 0, y: 0, z: 55, h: 0, v: 5, cls: 1, flags: 1 },
      { id: 2, x: 500, y: 400, z: 0, h: 3, v: 6, cls: 2, flags: 0 },
    ]);
    const cut = new Uint8Array(FRAME_HEADER_BYTES + 2 * RECORD_BYTES_V1);
    cut.set(full.subarray(0, FRAME_HEADER_BYTES));
    for (let k = 0; k < 2; k++) cut.set(full.subarray(FRAME_HEADER_BYTES + k * RECORD_BYTES, FRAME_HEADER_BYTES + k * RECORD_BYTES + RECORD_BYTES_V1), FRAME_HEADER_BYTES + k * RECORD_BYTES_V1);
    const f = decodeFrame(cut, 0, head);
    expect(Array.from(f.id)).toEqual([1, 2]);
    expect(Array.from(f.z)).toEqual([0, 0]);
    expect(f.x[1]).toBeCloseTo(500, 0);
    expect(f.speed[1]).toBe(6);
  });

  it('rejects what is not a trace, unknown versions, wrong record sizes and truncated frames', () => {
    expect(() => decodeHeader(new Uint8Array(10))).toThrow(/truncated/);
    expect(() => decodeHeader(new TextEncoder().encode('{"hello": "this is JSON, not a trace"}   '))).toThrow(/bad magic/);
    const h = encodeHeader(1, box);
    new DataView(h.buffer).setUint32(8, 9, true);
    expect(() => decodeHeader(h)).toThrow(/version 9/);
    const h2 = encodeHeader(1, box);
    new DataView(h2.buffer).setUint32(12, 12, true);
    expect(() => decodeHeader(h2)).toThrow(/record size 12/);
    const bytes = frame(1, [{ id: 1, x: 0, y: 0, z: 0, h: 0, v: 0, cls: 0, flags: 0 }]);
    expect(() => decodeFrame(bytes.subarray(0, bytes.length - 1), 0, { recordSize: RECORD_BYTES, box })).toThrow(/ends first/);
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
