/**
 * stateHash: SHA-256 over the exact bits of the final state, every vehicle in id order, plus the
 * counters and queues that decide what happens next. Two runs agree on it only if they agree on
 * every bit of every position and speed.
 */
import { createHash, type Hash } from 'node:crypto';
import type { VehicleState } from '../core/state.js';
import type { TrafficTotals } from '../traffic/totals.js';

/** What the hash covers of the world. */
export interface HashedParts {
  readonly tick: number;
  readonly time: number;
  readonly nextId: number;
  readonly waiting: number;
  readonly totals: TrafficTotals;
  readonly state: VehicleState;
  readonly connState: Uint8Array;
  readonly signalControl: { hashInto(h: Hash): void };
  readonly logistics: { hashInto(h: Hash): void } | undefined;
  readonly perception: { hashInto(h: Hash): void } | undefined;
  activeSlotsById(): Int32Array;
}

export function stateHash(w: HashedParts): string {
  const h = createHash('sha256');
  const s = w.state;
  const head = new Float64Array([w.tick, w.time, w.nextId, w.totals.inserted, w.totals.arrived, w.totals.removed, w.waiting]);
  h.update(new Uint8Array(head.buffer));
  const slots = w.activeSlotsById();
  const rec = new Float64Array(14);
  const bytes = new Uint8Array(rec.buffer);
  for (const i of slots) {
    rec[0] = s.id[i];
    rec[1] = s.type[i];
    rec[2] = s.lane[i];
    rec[3] = s.pos[i];
    rec[4] = s.speed[i];
    rec[5] = s.accel[i];
    rec[6] = s.route[i];
    rec[7] = s.routeIdx[i];
    rec[8] = s.flags[i];
    rec[9] = s.dist[i];
    rec[10] = s.waiting[i];
    rec[11] = s.halts[i];
    rec[12] = s.stopIdx[i];
    rec[13] = s.speedFactor[i];
    h.update(bytes);
  }
  h.update(w.connState);
  w.signalControl.hashInto(h);
  w.logistics?.hashInto(h);
  w.perception?.hashInto(h);
  return h.digest('hex');
}
