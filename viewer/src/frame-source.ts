/**
 * Where trace frames come from. A replay reads trace.bin by byte ranges found in trace.idx and
 * keeps a bounded cache of decoded frames; a live run appends frames as they arrive over the
 * socket. The renderer asks for frames by index and never waits: a frame not there yet is
 * requested and drawn when it comes.
 */
import { decodeFrame, frameAtOrBefore, type TraceFrame, type TraceHeader } from '../../engine/io/trace/format.js';

export interface FrameSource {
  readonly header: TraceHeader;
  /** frames known so far */
  frameCount(): number;
  /** grows whenever frames arrive (loaded or pushed): the picture may have something new to show */
  readonly version: number;
  timeOf(i: number): number;
  /** index of the last frame at or before t (0 before the first) */
  indexAt(t: number): number;
  /** the decoded frame, if it is loaded */
  get(i: number): TraceFrame | undefined;
  /** asks for frames [from, to) to be loaded; resolves when they are (or failed: onError is told) */
  request(from: number, to: number): Promise<void>;
}

/** Reads `bytes=start-end` (end inclusive; null = to the end of the file) of `url`. */
export type RangeReader = (url: string, start: number, end: number | null) => Promise<Uint8Array>;

export const fetchRange: RangeReader = async (url, start, end) => {
  const res = await fetch(url, { headers: { Range: `bytes=${start}-${end ?? ''}` } });
  if (res.status !== 206 && res.status !== 200) throw new Error(`${url}: HTTP ${res.status} for bytes ${start}-${end ?? ''}`);
  const buf = new Uint8Array(await res.arrayBuffer());
  // a server without range support sends the whole file: cut out what was asked for
  return res.status === 200 ? buf.subarray(start, end === null ? undefined : end + 1) : buf;
};

export class ReplaySource implements FrameSource {
  private readonly cache = new Map<number, TraceFrame>();
  private readonly pending = new Set<number>();
  /** bytes read from trace.bin so far (for the status line and benchmarks) */
  bytesRead = 0;
  requests = 0;
  version = 0;

  constructor(
    private readonly url: string,
    readonly header: TraceHeader,
    private readonly times: Float64Array,
    private readonly offsets: Float64Array,
    private readonly onError: (err: Error) => void,
    private readonly readRange: RangeReader = fetchRange,
    /** decoded frames kept; older ones are dropped first */
    private readonly maxCached = 900,
  ) {}

  frameCount(): number {
    return this.times.length;
  }

  timeOf(i: number): number {
    return this.times[i];
  }

  indexAt(t: number): number {
    return frameAtOrBefore(this.times, t);
  }

  get(i: number): TraceFrame | undefined {
    const f = this.cache.get(i);
    if (f) {
      // refresh its place in the insertion order: the Map is the LRU list
      this.cache.delete(i);
      this.cache.set(i, f);
    }
    return f;
  }

  has(i: number): boolean {
    return this.cache.has(i);
  }

  async request(from: number, to: number): Promise<void> {
    from = Math.max(0, from);
    to = Math.min(this.times.length, to);
    // one range request for the span from the first missing frame to the last missing one
    let lo = from;
    while (lo < to && (this.cache.has(lo) || this.pending.has(lo))) lo++;
    let hi = to;
    while (hi > lo && (this.cache.has(hi - 1) || this.pending.has(hi - 1))) hi--;
    if (lo >= hi) return;
    for (let i = lo; i < hi; i++) this.pending.add(i);
    const start = this.offsets[lo];
    const end = hi < this.times.length ? this.offsets[hi] - 1 : null;
    try {
      this.requests++;
      const bytes = await this.readRange(this.url, start, end);
      this.bytesRead += bytes.byteLength;
      for (let i = lo; i < hi; i++) {
        if (!this.cache.has(i)) this.cache.set(i, decodeFrame(bytes, this.offsets[i] - start, this.header));
        if (this.cache.get(i)!.time !== this.times[i]) throw new Error(`trace.bin frame ${i} has time ${this.cache.get(i)!.time}, trace.idx says ${this.times[i]}`);
      }
      while (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value as number);
      this.version++;
    } catch (err) {
      this.onError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      for (let i = lo; i < hi; i++) this.pending.delete(i);
    }
  }
}

/** Frames pushed by a live run; the oldest are dropped past `maxFrames` so a long run stays bounded. */
export class LiveSource implements FrameSource {
  private frames: TraceFrame[] = [];
  private times = new Float64Array(1024);
  /** index of frames[0] among all frames received */
  private first = 0;
  private count = 0;
  version = 0;

  constructor(
    readonly header: TraceHeader,
    private readonly maxFrames = 3600,
  ) {}

  push(bytes: Uint8Array): TraceFrame {
    const f = decodeFrame(bytes, 0, this.header);
    if (this.count > 0 && f.time <= this.times[this.count - 1]) return f; // out of order: ignore
    if (this.count === this.times.length) {
      const t = new Float64Array(this.times.length * 2);
      t.set(this.times);
      this.times = t;
    }
    this.times[this.count++] = f.time;
    this.version++;
    this.frames.push(f);
    if (this.frames.length > this.maxFrames) {
      this.frames.shift();
      this.first++;
    }
    return f;
  }

  frameCount(): number {
    return this.count;
  }

  /** the first frame still held */
  firstHeld(): number {
    return this.first;
  }

  timeOf(i: number): number {
    return this.times[i];
  }

  indexAt(t: number): number {
    return frameAtOrBefore(this.times.subarray(0, this.count), t);
  }

  get(i: number): TraceFrame | undefined {
    return i >= this.first ? this.frames[i - this.first] : undefined;
  }

  request(): Promise<void> {
    return Promise.resolve();
  }
}
