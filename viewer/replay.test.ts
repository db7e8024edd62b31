// Unit tests of the viewer's replay logic: seeking in a trace through byte ranges, interpolation
// by entity id, signal states over time, CSV parsing.
import { describe, expect, it } from 'vitest';
import {
  ALTITUDE_BYTES,
  FRAME_HEADER_BYTES,
  HEADER_BYTES,
  RECORD_BYTES,
  TF_ALTITUDE,
  altitudeCode,
  decodeHeader,
  decodeIndex,
  encodeAltitude,
  encodeFrameHeader,
  encodeHeader,
  encodeRecord,
  frameBytes,
  storedBox,
  type TraceFrame,
} from '../engine/io/trace/format.js';
import { decodeSignalStream, encodeSignalBlock, encodeSignalHeader } from '../engine/io/trace/signal-stream.js';
import { EntityView, angleDelta, interpolateFrames } from './src/interpolate.js';
import { ReplaySource } from './src/frame-source.js';
import { SignalTimeline } from './src/signal-timeline.js';
import { numericColumns, parseCsv, splitCsvLine } from './src/csv.js';

const box = storedBox({ minX: 0, minY: 0, maxX: 1000, maxY: 1000 });
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/**
 * A version 3 trace of `frames` frames, 1 s apart: vehicle id k (for k < 3 + frame) drives east at
 * 10 m/s from x = 100 k; id 2 flies at 30 m (the frame's one altitude entry).
 */
function makeTrace(frames: number) {
  const parts = [encodeHeader(1, box)];
  const idx = new Uint8Array(frames * 16);
  const idv = new DataView(idx.buffer);
  let offset = HEADER_BYTES;
  for (let f = 0; f < frames; f++) {
    const ids = Array.from({ length: 3 + f }, (_, k) => k).filter((k) => !(f >= 2 && k === 1)); // id 1 leaves at t = 2
    const buf = new Uint8Array(frameBytes(ids.length, RECORD_BYTES, 1));
    const dv = new DataView(buf.buffer);
    encodeFrameHeader(dv, 0, f, ids.length, 1);
    ids.forEach((id, k) => encodeRecord(dv, FRAME_HEADER_BYTES + k * RECORD_BYTES, box, id, 100 * id + 10 * f, 500, 0, 10, id % 5, (f % 2) | (id === 2 ? TF_ALTITUDE : 0)));
    encodeAltitude(dv, FRAME_HEADER_BYTES + ids.length * RECORD_BYTES, altitudeCode(30));
    expect(buf.length).toBe(FRAME_HEADER_BYTES + ids.length * RECORD_BYTES + ALTITUDE_BYTES);
    idv.setFloat64(f * 16, f, true);
    idv.setFloat64(f * 16 + 8, offset, true);
    offset += buf.length;
    parts.push(buf);
  }
  return { bin: concat(parts), idx };
}

describe('seeking in a trace by byte ranges', () => {
  it('reads only the frames asked for, in one range request, and decodes them', async () => {
    const { bin, idx } = makeTrace(50);
    const ranges: [number, number | null][] = [];
    const reader = async (_url: string, start: number, end: number | null) => {
      ranges.push([start, end]);
      return bin.slice(start, end === null ? undefined : end + 1);
    };
    const head = decodeHeader(bin.subarray(0, HEADER_BYTES));
    const { times, offsets } = decodeIndex(idx);
    const errors: Error[] = [];
    const src = new ReplaySource('trace.bin', head, times, offsets, (e) => errors.push(e), reader);
    expect(src.indexAt(20.4)).toBe(20);
    await src.request(20, 22);
    expect(ranges).toEqual([[offsets[20], offsets[22] - 1]]);
    expect(src.get(20)!.time).toBe(20);
    expect(src.get(21)!.count).toBe(3 + 21 - 1);
    // each frame's altitude block is read with it: id 2 (the second record from t = 2) flies
    expect(Array.from(src.get(21)!.id.subarray(0, 3))).toEqual([0, 2, 3]);
    expect(Array.from(src.get(21)!.z.subarray(0, 3))).toEqual([0, 30, 0]);
    expect(src.get(22)).toBeUndefined();
    // frames already there are not read again; the last frame reads to the end of the file
    await src.request(21, 50);
    expect(ranges[1]).toEqual([offsets[22], null]);
    expect(src.get(49)!.time).toBe(49);
    await src.request(20, 50);
    expect(ranges).toHaveLength(2);
    expect(src.bytesRead).toBe(bin.length - offsets[20]);
    expect(errors).toEqual([]);
  });

  it('reports a trace.bin that does not match its index instead of drawing garbage', async () => {
    const { bin, idx } = makeTrace(10);
    const head = decodeHeader(bin.subarray(0, HEADER_BYTES));
    const { times, offsets } = decodeIndex(idx);
    const errors: Error[] = [];
    const cut = bin.subarray(0, offsets[5] + 20); // truncated inside frame 5
    const src = new ReplaySource('trace.bin', head, times, offsets, (e) => errors.push(e), async (_u, s, e) => cut.slice(s, e === null ? undefined : e + 1));
    await src.request(4, 6);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/data ends first|truncated/);
  });

  it('keeps a bounded cache', async () => {
    const { bin, idx } = makeTrace(40);
    const head = decodeHeader(bin.subarray(0, HEADER_BYTES));
    const { times, offsets } = decodeIndex(idx);
    const src = new ReplaySource('t', head, times, offsets, () => {}, async (_u, s, e) => bin.slice(s, e === null ? undefined : e + 1), 10);
    await src.request(0, 40);
    expect(src.get(0)).toBeUndefined();
    expect(src.get(39)).toBeDefined();
  });
});

function frameOf(time: number, rows: [number, number, number, number][]): TraceFrame {
  const n = rows.length;
  return {
    time,
    count: n,
    id: Uint32Array.from(rows.map((r) => r[0])),
    x: Float32Array.from(rows.map((r) => r[1])),
    y: Float32Array.from(rows.map((r) => r[2])),
    z: new Float32Array(n),
    heading: Float32Array.from(rows.map((r) => r[3])),
    speed: Float32Array.from(rows.map(() => 5)),
    cls: new Uint8Array(n),
    flags: Uint8Array.from(rows.map(() => 1)),
  };
}

describe('interpolation between frames by entity id', () => {
  it('moves entities present in both frames linearly, holds leaving ones, ignores arriving ones', () => {
    const a = frameOf(10, [
      [1, 0, 0, 0],
      [4, 100, 0, 3.0],
      [7, 50, 50, 0],
    ]);
    const b = frameOf(11, [
      [2, 0, 0, 0],
      [4, 110, 10, -3.0],
      [7, 60, 50, 0.2],
    ]);
    const out = new EntityView(1);
    interpolateFrames(a, b, 10.25, out);
    expect(out.count).toBe(3);
    expect(Array.from(out.id.subarray(0, 3))).toEqual([1, 4, 7]);
    expect(out.x[0]).toBe(0); // id 1 left: held
    expect(out.x[1]).toBeCloseTo(102.5, 4);
    expect(out.y[1]).toBeCloseTo(2.5, 4);
    // 3.0 → −3.0 rad turns the short way through π, not back through 0
    expect(Math.abs(angleDelta(3.0, -3.0))).toBeCloseTo(2 * Math.PI - 6, 5);
    expect(out.heading[1]).toBeCloseTo(3.0 + 0.25 * (2 * Math.PI - 6), 4);
    expect(out.x[2]).toBeCloseTo(52.5, 4);
    expect(out.indexOf(7)).toBe(2);
    expect(out.indexOf(2)).toBe(-1);
  });

  it('shows the earlier frame as it is at its own time, without a next frame, and clamps beyond', () => {
    const a = frameOf(0, [[1, 10, 0, 0]]);
    const b = frameOf(1, [[1, 20, 0, 0]]);
    const out = new EntityView();
    interpolateFrames(a, b, 0, out);
    expect(out.x[0]).toBe(10);
    interpolateFrames(a, null, 0.7, out);
    expect(out.x[0]).toBe(10);
    interpolateFrames(a, b, 5, out);
    expect(out.x[0]).toBe(20);
  });
});

describe('signal timeline', () => {
  const stream = decodeSignalStream(
    concat([
      encodeSignalHeader([10, 11]),
      encodeSignalBlock(0, [0, 1], [0, 3], 2),
      ...Array.from({ length: 40 }, (_, k) => encodeSignalBlock(5 + 10 * k, [0, 1], k % 2 === 0 ? [3, 0] : [0, 3], 2)),
    ]),
  );

  it('plays forward and jumps back to the same states as a replay from the start', () => {
    const tl = new SignalTimeline(stream, 60);
    const expected = (t: number) => (t < 5 ? [0, 3] : Math.floor((t - 5) / 10) % 2 === 0 ? [3, 0] : [0, 3]);
    for (let t = 0; t < 400; t += 0.5) {
      tl.seek(t);
      expect(Array.from(tl.state)).toEqual(expected(t));
    }
    for (const t of [3, 390, 14.9, 15, 201, 0, 255]) {
      tl.seek(t);
      expect(Array.from(tl.state), `t = ${t}`).toEqual(expected(t));
    }
  });
});

describe('CSV', () => {
  it('parses quoted cells and numeric columns', () => {
    expect(splitCsvLine('a,"b,""c""",,3')).toEqual(['a', 'b,"c"', '', '3']);
    const t = parseCsv('time,active\n1,17\n2,\n');
    expect(t.rows).toHaveLength(2);
    const cols = numericColumns(t);
    expect(Array.from(cols.get('active')!)).toEqual([17, NaN]);
  });
});
