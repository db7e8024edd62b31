/**
 * Writes trace.bin and trace.idx from the world's state every `interval` simulated seconds, and
 * signals.bin from every change of a signal's state (layouts in format.ts, signal-stream.ts and
 * viewer/TRACE.md). The frame encoder is shared with the live stream so both speak one format.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import type { World } from '../../sim/world.js';
import { F_EQUIPPED } from '../../core/state.js';
import { LaneGeometry } from '../../road/lanegeom.js';
import { AppendableFile } from '../run/appendable.js';
import {
  ALTITUDE_BYTES,
  CLASS_DRONE,
  CLASS_ROBOT,
  FRAME_HEADER_BYTES,
  HEADER_BYTES,
  INDEX_ENTRY_BYTES,
  RECORD_BYTES,
  TF_ALTITUDE,
  TF_BRAKING,
  TF_EQUIPPED,
  TF_STOPPED,
  TRACE_VERSION,
  CLASS_BITS,
  checkRecordFits,
  headingCode,
  positionCode,
  speedCode,
  altitudeCode,
  decodeHeader,
  encodeAltitude,
  encodeFrameHeader,
  encodeHeader,
  encodeRecord,
  frameBytes,
  storedBox,
  type BBox,
} from './format.js';
import { encodeSignalBlock, encodeSignalHeader } from './signal-stream.js';
import { HALT_SPEED } from '../../traffic/kinematics.js';
import { logisticsRecordCount, logisticsRecords } from './logistics-records.js';

/**
 * Encodes the world's current state as one trace frame: frame header, records in id order (road
 * vehicles, then drones and robots away from base), then the altitude block of the records above
 * the ground (the drones in flight).
 */
export class FrameEncoder {
  private readonly geom: LaneGeometry;
  readonly box: BBox;
  private readonly xyh = new Float64Array(3);
  /** the trace's heading code of each segment of the lane geometry (LaneGeometry.hs) */
  private readonly headingCodes: Uint8Array;
  /** records in the frame last encoded */
  count = 0;
  /** altitude codes of the flagged logistics records of the frame being encoded, in record order */
  private altitudes = new Uint16Array(64);
  private nAlt = 0;

  constructor(
    private readonly world: World,
    box: BBox,
  ) {
    this.box = storedBox(box);
    this.geom = new LaneGeometry(world.net);
    const hs = this.geom.hs;
    this.headingCodes = new Uint8Array(hs.length);
    for (let p = 0; p < hs.length; p++) this.headingCodes[p] = headingCode(hs[p]);
  }

  /** A new buffer holding the frame: callers hand it on (to a file or a socket) and never reuse it. */
  encode(): Uint8Array {
    const w = this.world;
    const slots = w.activeSlotsById();
    // drones and robots away from base follow the road vehicles (their ids are above any vehicle's)
    const extra = w.logistics ? logisticsRecordCount(w.logistics) : 0;
    const n = slots.length + extra;
    // room for an altitude per logistics record; the frame is cut to the altitudes it has
    const buf = new Uint8Array(frameBytes(n, RECORD_BYTES, extra));
    const dv = new DataView(buf.buffer);
    let o = FRAME_HEADER_BYTES;
    o = this.roadRecords(buf, o, slots);
    this.nAlt = 0;
    if (extra > 0) {
      if (this.altitudes.length < extra) this.altitudes = new Uint16Array(Math.max(extra, 2 * this.altitudes.length));
      this.at = o;
      this.dv = dv;
      const written = logisticsRecords(w.logistics!, this.writeLogistics);
      if (written !== extra) throw new Error(`logistics wrote ${written} trace records, announced ${extra}`);
      o = this.at;
      this.dv = null;
    }
    for (let k = 0; k < this.nAlt; k++, o += ALTITUDE_BYTES) encodeAltitude(dv, o, this.altitudes[k]);
    encodeFrameHeader(dv, 0, w.time, n, this.nAlt);
    this.count = n;
    return o === buf.byteLength ? buf : buf.subarray(0, o);
  }

  /**
   * The road vehicles' records from `o` on, in `slots` order; returns the offset after them. The
   * bytes encodeRecord would write (the same codes of format.ts), written into the frame's bytes
   * directly with the heading codes of the lanes' segments worked out once: at step 1 on a city
   * every vehicle is a record every tick, and through geometry object, DataView and record
   * function calls this loop took 80–185 ns a record, 50–90 ns now (Pasubio at t = 1500 s, 721 vehicles).
   */
  private roadRecords(buf: Uint8Array, o: number, slots: Int32Array): number {
    const s = this.world.state;
    const laneOf = s.lane;
    const posOf = s.pos;
    const speedOf = s.speed;
    const flagsOf = s.flags;
    const accelOf = s.accel;
    const idOf = s.id;
    const typeOf = s.type;
    const cls = this.world.types.classCode;
    const { minX, minY, maxX, maxY } = this.box;
    const geom = this.geom;
    const xyh = this.xyh;
    const headingCodes = this.headingCodes;
    for (let k = 0; k < slots.length; k++, o += RECORD_BYTES) {
      const i = slots[k];
      const seg = geom.point(laneOf[i], posOf[i], xyh);
      const v = speedOf[i];
      const flags = (v < HALT_SPEED ? TF_STOPPED : 0) | (flagsOf[i] & F_EQUIPPED ? TF_EQUIPPED : 0) | (accelOf[i] < -1 ? TF_BRAKING : 0);
      const c = cls[typeOf[i]];
      const id = idOf[i];
      checkRecordFits(id, c, flags);
      const qx = positionCode(xyh[0], minX, maxX);
      const qy = positionCode(xyh[1], minY, maxY);
      // little-endian, as encodeRecord's DataView writes them (typed-array stores wrap as its setters do)
      buf[o] = id;
      buf[o + 1] = id >>> 8;
      buf[o + 2] = id >>> 16;
      buf[o + 3] = id >>> 24;
      buf[o + 4] = qx;
      buf[o + 5] = qx >>> 8;
      buf[o + 6] = qy;
      buf[o + 7] = qy >>> 8;
      buf[o + 8] = headingCodes[seg];
      buf[o + 9] = speedCode(v);
      // road vehicles drive at z = 0: no altitude entry
      buf[o + 10] = c | (flags << CLASS_BITS);
    }
    return o;
  }

  private at = 0;
  private dv: DataView | null = null;
  /** one drone or robot record at the next offset (bound once: no closure per frame) */
  private readonly writeLogistics = (id: number, x: number, y: number, z: number, heading: number, speed: number, robot: boolean, stopped: boolean): void => {
    const code = altitudeCode(z);
    const flags = (stopped ? TF_STOPPED : 0) | (code > 0 ? TF_ALTITUDE : 0);
    encodeRecord(this.dv!, this.at, this.box, id, x, y, heading, speed, robot ? CLASS_ROBOT : CLASS_DRONE, flags);
    if (code > 0) this.altitudes[this.nAlt++] = code;
    this.at += RECORD_BYTES;
  };
}

/**
 * Follows the state of every signal-controlled connection and reports changes as signals.bin
 * blocks. Scratch arrays are allocated once; a tick without a change costs one pass over K bytes.
 */
export class SignalRecorder {
  /** connection index of each slot, in program order */
  readonly conns: Int32Array;
  private readonly last: Uint8Array;
  private readonly changedSlots: Uint32Array;
  private readonly changedStates: Uint8Array;

  constructor(private readonly world: World) {
    const conns: number[] = [];
    for (const p of world.programs) for (const c of p.conns) conns.push(c);
    this.conns = Int32Array.from(conns);
    this.last = new Uint8Array(conns.length);
    this.changedSlots = new Uint32Array(conns.length);
    this.changedStates = new Uint8Array(conns.length);
  }

  header(): Uint8Array {
    return encodeSignalHeader(this.conns);
  }

  /** Every slot's current state, as the block at `time`. */
  snapshot(time: number): Uint8Array {
    const state = this.world.connState;
    for (let k = 0; k < this.conns.length; k++) {
      this.last[k] = state[this.conns[k]];
      this.changedSlots[k] = k;
      this.changedStates[k] = this.last[k];
    }
    return encodeSignalBlock(time, this.changedSlots, this.changedStates, this.conns.length);
  }

  /** The states last written (checkpoints), and back. */
  lastStates(): number[] {
    return Array.from(this.last);
  }

  restoreLast(states: number[]): void {
    this.last.set(states);
  }

  /** The block of slots that changed since the last call, or null when none did. */
  changes(time: number): Uint8Array | null {
    const state = this.world.connState;
    let n = 0;
    for (let k = 0; k < this.conns.length; k++) {
      const v = state[this.conns[k]];
      if (v === this.last[k]) continue;
      this.last[k] = v;
      this.changedSlots[n] = k;
      this.changedStates[n] = v;
      n++;
    }
    return n > 0 ? encodeSignalBlock(time, this.changedSlots, this.changedStates, n) : null;
  }
}

/**
 * The time at which the signal states seen after a tick took effect: the world sets them at
 * the start of the tick, for the time before it advanced (same expression as World.step()).
 */
export const signalTime = (w: World): number => Math.max(0, w.tick - 1) * w.dt;

/**
 * A resumed run appends frames to the trace.bin it started: refuses one written in another trace
 * version (a checkpoint taken by an older roadtwin) rather than mixing two layouts in one file.
 */
function checkSameFormat(path: string): void {
  const head = new Uint8Array(HEADER_BYTES);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const h = decodeHeader(head);
  if (h.version !== TRACE_VERSION || h.recordSize !== RECORD_BYTES)
    throw new Error(`${path} is trace version ${h.version} (${h.recordSize}-byte records); this roadtwin writes version ${TRACE_VERSION}: resume the run with the roadtwin that started it`);
}

/** How far the trace files went at a checkpoint, and the writer's state then. */
export interface TraceCheckpoint {
  frames: number;
  samples: number;
  written: number;
  lastTime: number;
  binBytes: number;
  idxBytes: number;
  signalBytes: number;
  signalStates: number[];
}

export class TraceWriter {
  private readonly bin: AppendableFile;
  private readonly idx: AppendableFile;
  private readonly signals: AppendableFile;
  private readonly encoder: FrameEncoder;
  private readonly recorder: SignalRecorder;
  private readonly sub: Subscription;
  frames = 0;
  samples = 0;
  /** bytes handed to trace.bin so far (the header, then whole frames) */
  private written = HEADER_BYTES;
  lastTime = -Infinity;

  constructor(
    dir: string,
    private readonly world: World,
    readonly interval: number,
    box: BBox,
    resume?: TraceCheckpoint,
  ) {
    this.encoder = new FrameEncoder(world, box);
    if (resume) checkSameFormat(join(dir, 'trace.bin'));
    this.bin = new AppendableFile(join(dir, 'trace.bin'), 1 << 20, resume?.binBytes);
    this.idx = new AppendableFile(join(dir, 'trace.idx'), undefined, resume?.idxBytes);
    this.recorder = new SignalRecorder(world);
    this.signals = new AppendableFile(join(dir, 'signals.bin'), undefined, resume?.signalBytes);
    if (resume) {
      this.frames = resume.frames;
      this.samples = resume.samples;
      this.written = resume.written;
      this.lastTime = resume.lastTime;
      this.recorder.restoreLast(resume.signalStates);
    } else {
      this.bin.write(encodeHeader(interval, this.encoder.box));
      this.signals.write(this.recorder.header());
      this.signals.write(this.recorder.snapshot(0));
    }
    this.sub = world.ticks$.subscribe(() => {
      const block = this.recorder.changes(signalTime(world));
      if (block) this.signals.write(block);
    });
  }

  /** Writes a frame of the current state. */
  frame(): void {
    const w = this.world;
    const buf = this.encoder.encode();
    const offset = this.written;
    this.bin.write(buf);
    // the file keeps a reference to what it is given until it flushes: a fresh 16 bytes per frame
    const entry = new Uint8Array(INDEX_ENTRY_BYTES);
    const dv = new DataView(entry.buffer);
    dv.setFloat64(0, w.time, true);
    dv.setFloat64(8, offset, true);
    this.idx.write(entry);
    this.frames++;
    this.samples += this.encoder.count;
    this.lastTime = w.time;
    this.written += buf.byteLength;
  }

  /** The first write error of the trace files, if any. */
  get error(): Error | null {
    return this.bin.error ?? this.idx.error ?? this.signals.error;
  }

  /** Flushes the three files to disk and says how far they go (checkpoints). */
  checkpoint(): TraceCheckpoint {
    this.bin.sync();
    this.idx.sync();
    this.signals.sync();
    return {
      frames: this.frames,
      samples: this.samples,
      written: this.written,
      lastTime: this.lastTime,
      binBytes: this.bin.bytes,
      idxBytes: this.idx.bytes,
      signalBytes: this.signals.bytes,
      signalStates: this.recorder.lastStates(),
    };
  }

  close(): { frames: number; samples: number; bytes: number; signalBytes: number } {
    this.sub.unsubscribe();
    this.bin.close();
    this.idx.close();
    this.signals.close();
    return { frames: this.frames, samples: this.samples, bytes: this.bin.bytes, signalBytes: this.signals.bytes };
  }
}
