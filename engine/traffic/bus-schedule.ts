/**
 * Whether a bus runs behind its timetable (the stops of its route with an `until`), for signal
 * priority (signal-priority.ts, docs/signals.md "Priority").
 */
import type { SimCtx } from './context.js';

/**
 * Whether bus i is behind its timetable: it cannot reach its next stop with an `until` by that
 * time, going the rest of its route there at the speed limit of the lane it is on. A bus with no
 * timed stop ahead has no timetable to be behind, and always asks.
 */
export function busLate(c: SimCtx, i: number, time: number): boolean {
  const s = c.v;
  let si = s.stopIdx[i];
  const end = s.stopEnd[i];
  while (si < end && !(c.stopUntil[si] > 0)) si++;
  if (si >= end) return true;
  const lane = s.lane[i];
  const edge = c.laneEdge[lane];
  const target = c.stopEdge[si];
  let dist: number;
  if (target === edge) dist = c.stopPos[si] - s.pos[i];
  else {
    dist = c.laneLength[lane] - s.pos[i];
    const r = s.route[i];
    const r0 = c.routeStart[r];
    const rl = c.routeLen[r];
    let found = false;
    for (let x = s.routeIdx[i] + 1, g = 0; g < rl; x++, g++) {
      if (x >= rl) {
        if (!c.routeLoop[r]) break;
        x = 0;
      }
      const e = c.routeEdges[r0 + x];
      if (e === target) {
        dist += c.stopPos[si];
        found = true;
        break;
      }
      dist += c.laneLength[c.edgeFirstLane[e]];
    }
    if (!found) return true;
  }
  return time + Math.max(0, dist) / c.laneSpeed[lane] > c.stopUntil[si];
}
