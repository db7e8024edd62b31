// The per-lane list of RSUs in reach is only a filter in front of the exact distance test: it must
// hold every RSU that a vehicle anywhere on the lane can be in packet or sensor reach of.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { LaneGeometry } from '../road/lanegeom.js';

const laoshan = fileURLToPath(new URL('../../scenarios/laoshan.yaml', import.meta.url));

describe('V2X model: RSUs by lane', () => {
  const w = new World(loadScenario(laoshan).scenario);
  const m = w.v2x!.model;
  const geom = new LaneGeometry(w.net);
  const p = new Float64Array(3);

  it('lists, for any point of a lane, every RSU whose packets or sensors reach it, in index order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: w.net.laneCount - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (lane, share) => {
        geom.point(lane, share * w.net.laneLength[lane], p);
        const listed = Array.from(m.laneRsus.subarray(m.laneRsuStart[lane], m.laneRsuStart[lane + 1]));
        expect(listed).toEqual([...listed].sort((a, b) => a - b));
        for (let r = 0; r < m.R; r++) {
          const dx = p[0] - m.rsuX[r];
          const dy = p[1] - m.rsuY[r];
          const d2 = dx * dx + dy * dy;
          if (d2 <= m.rsuRadius[r] * m.rsuRadius[r] || d2 <= m.sensorReach[r] * m.sensorReach[r]) expect(listed).toContain(r);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves out the RSUs far from a lane (the list is a filter, not every unit)', () => {
    let listed = 0;
    for (let lane = 0; lane < w.net.laneCount; lane++) listed += m.laneRsuStart[lane + 1] - m.laneRsuStart[lane];
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(w.net.laneCount * m.R);
  });
});
