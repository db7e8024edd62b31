/**
 * Two drivers standing side by side, each in the lane the other needs, each waiting for the
 * other to move: neither lane change can ever be made, and both wait until removed. SUMO's lane
 * changer resolves this pair by swapping them (MSLaneChanger, "check whether the vehicles should
 * be swapped": two urgent wishes in opposite directions, the target lane's vehicle ahead; they
 * exchange lanes, positions and speeds). Real drivers do the same by edging past each other.
 *
 * Here, in the serial lanes phase (after the ordinary changes are resolved, by vehicle id): a
 * driver standing for at least SWAP_AFTER with a mandatory wish that got no change, whose target
 * lane's nearest vehicle ahead (or level) stands within a vehicle length of it with the opposite
 * mandatory wish, trades places with it. Each takes the other's position and speed on the other's
 * lane, so both lanes keep their order; both hold still for this step (acceleration 0), and the
 * swap is made only when the vehicle behind each of the two places, moving as it decided, stays
 * inside the safety envelope behind the (possibly longer) vehicle now standing there. The move
 * phase carries the changes out as ordinary lane changes (lcTarget), so every lane-change count
 * and the lane order follow as for any other change.
 */
import type { SimCtx } from './context.js';
import { HALT_SPEED, SAFETY_MARGIN } from './kinematics.js';
import { advanceOf, stepEndSpeed } from './step.js';
import { WISH_LEFT, WISH_RIGHT, firstAhead } from './neighbours.js';
import { sortSlotsById } from './sort-by-id.js';

/** How long both drivers must have stood before they swap, s (an ordinary change goes first when one comes free). */
export const SWAP_AFTER = 5;

/**
 * Swaps deadlocked pairs among `wishers[0..n)` (the drivers that showed a mandatory wish this
 * tick; sorted here by id in place). Returns how many pairs swapped.
 */
export function swapDeadlockedPairs(c: SimCtx, wishers: Int32Array, n: number): number {
  const s = c.v;
  const wish = c.tick & 1 ? s.wishB : s.wishA;
  sortSlotsById(wishers, n, s.id);
  let swaps = 0;
  for (let q = 0; q < n; q++) {
    const i = wishers[q];
    if (s.lcTarget[i] >= 0 || s.speed[i] >= HALT_SPEED || s.stuck[i] < SWAP_AFTER) continue;
    const lane = s.lane[i];
    const side = wish[i] === WISH_LEFT ? 1 : wish[i] === WISH_RIGHT ? -1 : 0;
    if (side === 0) continue;
    const tl = lane + side;
    const kj = firstAhead(c, tl, s.pos[i], s.id[i]);
    if (kj >= c.laneStart[tl + 1]) continue;
    const j = s.order[kj];
    if (wish[j] !== (side > 0 ? WISH_RIGHT : WISH_LEFT) || s.lcTarget[j] >= 0) continue;
    if (s.speed[j] >= HALT_SPEED || s.stuck[j] < SWAP_AFTER) continue;
    const li = c.tLen[s.type[i]];
    const lj = c.tLen[s.type[j]];
    if (s.pos[j] - s.pos[i] > (li < lj ? li : lj)) continue;
    // (the lane is ordered by position then id, so the search for i's own place finds i)
    const ki = firstAhead(c, lane, s.pos[i], s.id[i]);
    if (s.order[ki] !== i) continue;
    // the vehicle behind each place, against the one that will stand there
    if (!followerKeepsClear(c, lane, ki, s.pos[i], lj)) continue;
    if (!followerKeepsClear(c, tl, kj, s.pos[j], li)) continue;
    const x = s.pos[i];
    s.pos[i] = s.pos[j];
    s.pos[j] = x;
    const v = s.speed[i];
    s.speed[i] = s.speed[j];
    s.speed[j] = v;
    s.accel[i] = 0;
    s.accel[j] = 0;
    s.lcTarget[i] = tl;
    s.lcTarget[j] = lane;
    swaps++;
  }
  return swaps;
}

/**
 * Whether the vehicle behind order index k on `lane` (if any), after its move of this step as
 * decided, is still inside the safety envelope behind a vehicle of length `len` standing at `x`.
 */
function followerKeepsClear(c: SimCtx, lane: number, k: number, x: number, len: number): boolean {
  if (k <= c.laneStart[lane]) return true;
  const s = c.v;
  const f = s.order[k - 1];
  const t = s.type[f];
  const dt = c.dt;
  const euler = c.tKrauss[t];
  const xf = s.pos[f] + advanceOf(s.speed[f], s.accel[f], dt, 0.5 * dt * dt, euler);
  const vf = stepEndSpeed(s.speed[f], s.accel[f], dt);
  const rear = x - len;
  if (xf > rear - SAFETY_MARGIN) return false;
  return xf + (vf * vf) / (2 * c.tBmax[t]) <= rear - SAFETY_MARGIN;
}
