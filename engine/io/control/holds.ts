/**
 * Speeds held by an external controller (`setSpeed`). A held vehicle's desired speed is the
 * speed asked for: before each tick its driver's speed factor is set so that the limit of the
 * lane it is on, times the factor, is that speed. The car-following model and its safety
 * envelope stay in charge, so the vehicle reaches the speed with its own acceleration and still
 * slows for a leader or a red light (as SUMO's setSpeed does in its default speed mode); the
 * engine's per-vehicle phases are untouched. Released, the vehicle gets its own factor back.
 *
 * The floor of every desired speed (0.5 m/s, desired-speed.ts) holds here too: a held speed of
 * 0 creeps at 0.5 m/s where nothing is ahead.
 */
import type { World } from '../../sim/world.js';

export interface HeldSpeed {
  speed: number;
  /** the driver's own speed factor, given back on release */
  factor: number;
}

export class SpeedHolds {
  /** by vehicle id */
  private readonly held = new Map<number, HeldSpeed>();

  get size(): number {
    return this.held.size;
  }

  /** The held speed of vehicle `id`, if any. */
  get(id: number): number | undefined {
    return this.held.get(id)?.speed;
  }

  hold(world: World, slot: number, speed: number): void {
    const id = world.state.id[slot];
    const had = this.held.get(id);
    this.held.set(id, { speed, factor: had ? had.factor : world.state.speedFactor[slot] });
  }

  /** Gives vehicle `id` (in `slot`) its own speed factor back; false when it held none. */
  release(world: World, slot: number): boolean {
    const id = world.state.id[slot];
    const had = this.held.get(id);
    if (!had) return false;
    world.state.speedFactor[slot] = had.factor;
    this.held.delete(id);
    return true;
  }

  /** Before a tick: every held vehicle's factor for the lane it is on; vehicles that left are forgotten. */
  apply(world: World): void {
    if (this.held.size === 0) return;
    const s = world.state;
    const laneSpeed = world.net.laneSpeed;
    for (const [id, h] of this.held) {
      const slot = slotOf(world, id);
      if (slot < 0) {
        this.held.delete(id);
        continue;
      }
      s.speedFactor[slot] = h.speed / laneSpeed[s.lane[slot]];
    }
  }
}

/** The slot of the vehicle with id `id` on the road, or −1 (a binary search of the slots in id order). */
export function slotOf(world: World, id: number): number {
  const slots = world.activeSlotsById();
  const ids = world.state.id;
  let lo = 0;
  let hi = slots.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ids[slots[mid]];
    if (v === id) return slots[mid];
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
