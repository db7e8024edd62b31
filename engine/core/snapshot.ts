/**
 * The binary container of a checkpoint: named sections (typed arrays copied bit for bit, or JSON
 * for the few structured parts), a JSON header saying what it belongs to, and a SHA-256 checksum
 * over everything before it, so that a truncated or damaged file is detected rather than loaded.
 *
 *   "RTSNAP01" | u32 header length | header JSON | sections… | sha256 (32 bytes)
 *   section: u32 name length | name | u8 kind | u32 byte length | bytes
 *
 * Every part of the world that changes during a run writes itself with `snapshot(w)` and reads
 * itself back with `restore(r)`, in the same order; the reader checks the names as it goes.
 */
import { createHash } from 'node:crypto';

export const SNAPSHOT_MAGIC = 'RTSNAP01';

export interface SnapshotHeader {
  engineVersion: string;
  scenarioHash: string;
  seed: number;
  tick: number;
  time: number;
}

type Typed = Float64Array | Int32Array | Uint8Array;
const KIND_F64 = 1;
const KIND_I32 = 2;
const KIND_U8 = 3;
const KIND_JSON = 4;

const kindOf = (a: Typed): number => (a instanceof Float64Array ? KIND_F64 : a instanceof Int32Array ? KIND_I32 : KIND_U8);

export class SnapshotWriter {
  private readonly parts: Buffer[] = [];

  private section(name: string, kind: number, bytes: Uint8Array): void {
    const n = Buffer.from(name);
    const head = Buffer.alloc(4 + n.length + 1 + 4);
    head.writeUInt32LE(n.length, 0);
    n.copy(head, 4);
    head.writeUInt8(kind, 4 + n.length);
    head.writeUInt32LE(bytes.byteLength, 5 + n.length);
    this.parts.push(head, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  /** The first `length` elements of a typed array (all of it by default), bit for bit. */
  typed(name: string, a: Typed, length = a.length): void {
    const view = a.subarray(0, length);
    // copy: the array is shared memory that the next tick changes
    const copy = new Uint8Array(view.byteLength);
    copy.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    this.section(name, kindOf(a), copy);
  }

  /** A structured value; numbers must be finite or written as typed arrays (JSON loses -0, NaN and Infinity). */
  json(name: string, value: unknown): void {
    this.section(name, KIND_JSON, Buffer.from(JSON.stringify(value)));
  }

  /** The whole file: magic, header, sections, checksum. */
  toBuffer(header: SnapshotHeader): Buffer {
    const h = Buffer.from(JSON.stringify(header));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(h.length, 0);
    const body = Buffer.concat([Buffer.from(SNAPSHOT_MAGIC), len, h, ...this.parts]);
    return Buffer.concat([body, createHash('sha256').update(body).digest()]);
  }
}

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

export class SnapshotReader {
  readonly header: SnapshotHeader;
  private offset: number;

  /** Checks magic and checksum; throws SnapshotError on a damaged or foreign file. */
  constructor(private readonly buf: Buffer) {
    if (buf.length < SNAPSHOT_MAGIC.length + 4 + 32 || buf.toString('latin1', 0, 8) !== SNAPSHOT_MAGIC)
      throw new SnapshotError('not a roadtwin snapshot (wrong magic or too short)');
    const body = buf.subarray(0, buf.length - 32);
    const sum = createHash('sha256').update(body).digest();
    if (!sum.equals(buf.subarray(buf.length - 32))) throw new SnapshotError('checksum mismatch: the snapshot is truncated or damaged');
    const hl = buf.readUInt32LE(8);
    this.header = JSON.parse(buf.toString('utf8', 12, 12 + hl)) as SnapshotHeader;
    this.offset = 12 + hl;
  }

  private next(name: string, kind: number): Buffer {
    const b = this.buf;
    const end = b.length - 32;
    if (this.offset + 4 > end) throw new SnapshotError(`section '${name}' is missing`);
    const nl = b.readUInt32LE(this.offset);
    const got = b.toString('utf8', this.offset + 4, this.offset + 4 + nl);
    const k = b.readUInt8(this.offset + 4 + nl);
    const len = b.readUInt32LE(this.offset + 5 + nl);
    const start = this.offset + 9 + nl;
    if (got !== name || k !== kind || start + len > end) throw new SnapshotError(`expected section '${name}', found '${got}' (a snapshot of another layout)`);
    this.offset = start + len;
    return b.subarray(start, start + len);
  }

  /** Copies a typed section into `into` (from index 0); returns the element count. */
  typedInto(name: string, into: Typed): number {
    const bytes = this.next(name, kindOf(into));
    const n = bytes.byteLength / into.BYTES_PER_ELEMENT;
    if (n > into.length) throw new SnapshotError(`section '${name}' holds ${n} elements, room for ${into.length}`);
    new Uint8Array(into.buffer, into.byteOffset, bytes.byteLength).set(bytes);
    return n;
  }

  /** The element count of the next typed section, without consuming it. */
  peekLength(name: string, bytesPerElement: number): number {
    const save = this.offset;
    const b = this.buf;
    const nl = b.readUInt32LE(save);
    const len = b.readUInt32LE(save + 5 + nl);
    const got = b.toString('utf8', save + 4, save + 4 + nl);
    if (got !== name) throw new SnapshotError(`expected section '${name}', found '${got}'`);
    return len / bytesPerElement;
  }

  json<T>(name: string): T {
    return JSON.parse(this.next(name, KIND_JSON).toString('utf8')) as T;
  }

  /** Whether every section has been read (a longer snapshot is of another layout). */
  get done(): boolean {
    return this.offset === this.buf.length - 32;
  }
}
