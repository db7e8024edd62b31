/**
 * Writes trace.bin and trace.idx from the world's state every `interval` simulated seconds.
 */
import { join } from 'node:path';
import type { World } from '../../core/world.js';
import { F_EQUIPPED } from '../../core/state.js';
import { LaneGeometry } from '../../road/lanegeom.js';
import { AppendableFile } from '../run/appendable.js';
import { FRAME_HEADER_BYTES, HEADER_BYTES, RECORD_BYTES, TF_BRAKING, TF_EQUIPPED, TF_STOPPED, encodeHeader, encodeRecord, storedBox, type BBox } from './format.js';
import { HALT_SPEED } from '../../traffic/kinematics.js';

export class TraceWriter {
  private readonly bin: AppendableFile;
  private readonly idx: AppendableFile;
  private readonly geom: LaneGeometry;
  private readonly box: BBox;
  private readonly xyh = new Float64Array(3);
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
  ) {
    this.box = storedBox(box);
    this.geom = new LaneGeometry(world.net);
    this.bin = new AppendableFile(join(dir, 'trace.bin'), 1 << 20);
    this.idx = new AppendableFile(join(dir, 'trace.idx'));
    this.bin.write(encodeHeader(interval, this.box));
  }

  /** Writes a frame of the current state. */
  frame(): void {
    const w = this.world;
    const s = w.state;
    const slots = w.activeSlotsById();
    const buf = new Uint8Array(FRAME_HEADER_BYTES + slots.length * RECORD_BYTES);
    const dv = new DataView(buf.buffer);
    dv.setFloat64(0, w.time, true);
    dv.setUint32(8, slots.length, true);
    const offset = this.written;
    let o = FRAME_HEADER_BYTES;
    const cls = w.types.classCode;
    for (const i of slots) {
      this.geom.point(s.lane[i], s.pos[i], this.xyh);
      const v = s.speed[i];
      const flags = (v < HALT_SPEED ? TF_STOPPED : 0) | (s.flags[i] & F_EQUIPPED ? TF_EQUIPPED : 0) | (s.accel[i] < -1 ? TF_BRAKING : 0);
      encodeRecord(dv, o, { id: s.id[i], x: this.xyh[0], y: this.xyh[1], heading: this.xyh[2], speed: v, cls: cls[s.type[i]], flags }, this.box);
      o += RECORD_BYTES;
    }
    this.bin.write(buf);
    const ix = new Float64Array([w.time, offset]);
    this.idx.write(new Uint8Array(ix.buffer));
    this.frames++;
    this.samples += slots.length;
    this.lastTime = w.time;
    this.written += buf.byteLength;
  }

  close(): { frames: number; samples: number; bytes: number } {
    this.bin.close();
    this.idx.close();
    return { frames: this.frames, samples: this.samples, bytes: this.bin.bytes };
  }
}
