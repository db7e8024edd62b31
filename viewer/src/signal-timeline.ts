/**
 * The state of every signal-controlled connection at any time, from a decoded signals.bin.
 * Playing forward applies the blocks since the last call; a jump back starts from the nearest
 * snapshot (one every `snapshotEvery` seconds, built once), so no jump replays more than that.
 */
import type { SignalStream } from '../../engine/io/trace/signal-stream.js';

export class SignalTimeline {
  /** current state per slot (0 G, 1 g, 2 y, 3 r) */
  readonly state: Uint8Array;
  private next = 0;
  private readonly snapTimes: number[] = [];
  private readonly snapBlock: number[] = [];
  private readonly snaps: Uint8Array[] = [];
  /** bumped on every change of `state`, so drawing can skip unchanged frames */
  version = 0;

  constructor(
    readonly stream: SignalStream,
    snapshotEvery = 60,
  ) {
    const k = stream.conns.length;
    this.state = new Uint8Array(k);
    const s = new Uint8Array(k);
    let nextSnap = 0;
    for (let b = 0; b < stream.times.length; b++) {
      if (stream.times[b] >= nextSnap) {
        // snapshot of the state before block b
        this.snapTimes.push(stream.times[b]);
        this.snapBlock.push(b);
        this.snaps.push(s.slice());
        nextSnap = stream.times[b] + snapshotEvery;
      }
      for (let c = stream.start[b]; c < stream.start[b + 1]; c++) s[stream.slot[c]] = stream.state[c];
    }
  }

  get slots(): number {
    return this.state.length;
  }

  /** Brings `state` to time `t` (blocks at or before t applied). */
  seek(t: number): void {
    const st = this.stream;
    const applied = this.next > 0 ? st.times[this.next - 1] : -Infinity;
    if (t < applied || (this.next < st.times.length && st.times[this.next] <= t && t - st.times[this.next] > 60)) {
      // jump: restart from the last snapshot at or before t
      let k = 0;
      while (k + 1 < this.snapTimes.length && this.snapTimes[k + 1] <= t) k++;
      if (this.snaps.length > 0) {
        this.state.set(this.snaps[k]);
        this.next = this.snapBlock[k];
      }
      this.version++;
    }
    while (this.next < st.times.length && st.times[this.next] <= t) {
      for (let c = st.start[this.next]; c < st.start[this.next + 1]; c++) this.state[st.slot[c]] = st.state[c];
      this.next++;
      this.version++;
    }
  }
}
