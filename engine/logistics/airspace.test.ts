// No-fly zones: a planned drone path never enters a polygon, and is straight when nothing is in the way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Airspace, pathLength, pointInPolygon, segmentsCross } from './airspace.js';

const zones = [
  { id: 'square', polygon: [[0, 0], [400, 0], [400, 400], [0, 400]] as [number, number][] },
  // a concave L, clockwise
  { id: 'ell', polygon: [[800, -300], [800, 300], [1000, 300], [1000, -100], [1300, -100], [1300, -300]] as [number, number][] },
];

/** Whether a path [x0, y0, …] enters a polygon: a segment crossing an edge, or a sample point inside. */
function enters(a: Airspace, p: number[]): boolean {
  for (let i = 2; i < p.length; i += 2) {
    for (const z of a.polygons)
      for (let k = 0; k < z.xs.length; k++) {
        const j = (k + 1) % z.xs.length;
        if (segmentsCross(p[i - 2], p[i - 1], p[i], p[i + 1], z.xs[k], z.ys[k], z.xs[j], z.ys[j])) return true;
      }
    for (let s = 0; s <= 50; s++) {
      const f = s / 50;
      const x = p[i - 2] + (p[i] - p[i - 2]) * f;
      const y = p[i - 1] + (p[i + 1] - p[i - 1]) * f;
      for (const z of a.polygons) if (pointInPolygon(z, x, y)) return true;
    }
  }
  return false;
}

describe('drone paths around no-fly zones', () => {
  const air = new Airspace(zones);
  it('a straight line when nothing is in the way', () => {
    expect(air.path(-500, -500, -500, 900)).toEqual([-500, -500, -500, 900]);
  });

  it('around the square, not through it, and not much longer than needed', () => {
    const p = air.path(-200, 200, 600, 200)!;
    expect(p.length).toBeGreaterThan(4);
    expect(enters(air, p)).toBe(false);
    // over a corner of the square with its margin: at most the way round two corners
    expect(pathLength(p)).toBeLessThan(800 + 2 * 250);
  });

  it('no path to a destination inside a zone', () => {
    expect(air.path(-200, 200, 200, 200)).toBeNull();
  });

  it('random ends outside the zones: the path never enters one', () => {
    // half-metre coordinates: never exactly on a border of these integer polygons (a touch is not a crossing we judge)
    const coord = fc.integer({ min: -600, max: 1800 }).map((v) => v + 0.5);
    fc.assert(
      fc.property(coord, coord, coord, coord, (ax, ay, bx, by) => {
        if (air.inside(ax, ay) || air.inside(bx, by)) return;
        const p = air.path(ax, ay, bx, by);
        expect(p).not.toBeNull();
        expect(enters(air, p!)).toBe(false);
        expect(pathLength(p!)).toBeGreaterThanOrEqual(Math.hypot(bx - ax, by - ay) - 1e-9);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
