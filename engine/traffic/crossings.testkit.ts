/**
 * Test kit: steps a world one tick and reports the junction crossings of that tick, each with the
 * vehicle's state before the tick and the signal state of its connection during the tick. Shared
 * by the red-light test (signals.test.ts) and the invariants (invariants.test.ts).
 */
import type { World } from '../sim/world.js';
import { updateSignals } from '../road/signals.js';

export interface Crossing {
  /** slot of the vehicle (the same vehicle as before the tick) */
  slot: number;
  /** the connection it crossed */
  conn: number;
  /** its lane and flags before the tick */
  laneBefore: number;
  flagsBefore: number;
  /** the state of that connection's signal while the tick ran */
  signal: number;
}

export class CrossingWatch {
  private cap = 0;
  private prevId = new Int32Array(0);
  private prevLane = new Int32Array(0);
  private prevPos = new Float64Array(0);
  private prevFlags = new Uint8Array(0);
  /** the signal states that hold during the last tick: the programs at the tick's start time */
  readonly during: Uint8Array;

  constructor(private readonly w: World) {
    this.during = new Uint8Array(w.connState.length);
  }

  /** Runs one tick; returns the crossings made in it (a slot freed and reused in the tick is not one). */
  step(): Crossing[] {
    const w = this.w;
    const s = w.state;
    if (this.cap !== s.capacity) {
      this.cap = s.capacity;
      this.prevId = new Int32Array(this.cap);
      this.prevLane = new Int32Array(this.cap);
      this.prevPos = new Float64Array(this.cap);
      this.prevFlags = new Uint8Array(this.cap);
    }
    this.prevId.fill(-1);
    for (const i of w.vehicles()) {
      this.prevId[i] = s.id[i];
      this.prevLane[i] = s.lane[i];
      this.prevPos[i] = s.pos[i];
      this.prevFlags[i] = s.flags[i];
    }
    this.during.set(w.connState);
    updateSignals(w.programs, w.time, this.during);
    w.step();
    const out: Crossing[] = [];
    for (const i of w.vehicles()) {
      // a crossing moves the vehicle lastDx but its position by a lane length less
      if (i >= this.cap || this.prevId[i] !== s.id[i] || this.prevPos[i] + s.lastDx[i] - s.pos[i] < 0.05) continue;
      // (a change to another lane of the same edge is no crossing, even one that put the vehicle
      // back a little: two deadlocked drivers that swap take each other's places, lane-swap.ts)
      if (s.lane[i] !== this.prevLane[i] && w.net.laneEdge[s.lane[i]] === w.net.laneEdge[this.prevLane[i]]) continue;
      const conn = s.prevConn[i];
      out.push({ slot: i, conn, laneBefore: this.prevLane[i], flagsBefore: this.prevFlags[i], signal: conn >= 0 ? this.during[conn] : -1 });
    }
    return out;
  }
}
