// The grid index against a brute-force scan: same set of points, in the documented order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GridIndex } from './spatial.js';

/** All indices within r of (qx, qy), by brute force, ascending. */
function bruteForce(x: Float64Array, y: Float64Array, n: number, qx: number, qy: number, r: number): number[] {
  const found: number[] = [];
  for (let i = 0; i < n; i++) {
    const dx = x[i] - qx;
    const dy = y[i] - qy;
    if (dx * dx + dy * dy <= r * r) found.push(i);
  }
  return found;
}

const coord = fc.double({ min: -5000, max: 5000, noNaN: true, noDefaultInfinity: true });
const points = fc.array(fc.tuple(coord, coord), { minLength: 0, maxLength: 300 });

describe('GridIndex', () => {
  it('finds exactly the points a brute-force scan finds (random points, radii, cell sizes)', () => {
    fc.assert(
      fc.property(points, coord, coord, fc.double({ min: 0, max: 3000, noNaN: true }), fc.double({ min: 1, max: 1000, noNaN: true }), (pts, qx, qy, r, cell) => {
        const x = Float64Array.from(pts.map((p) => p[0]));
        const y = Float64Array.from(pts.map((p) => p[1]));
        const index = new GridIndex(cell, 4);
        index.rebuild(x, y, pts.length);
        const out = new Int32Array(pts.length + 1);
        const n = index.queryRadius(qx, qy, r, out);
        const got = Array.from(out.subarray(0, n)).sort((a, b) => a - b);
        expect(got).toEqual(bruteForce(x, y, pts.length, qx, qy, r));
      }),
      { numRuns: 300 },
    );
  });

  it('visits cells row by row, then indices ascending within a cell', () => {
    // cell size 10: points 0 and 2 share cell (0,0), point 1 is in cell (1,0), point 3 in (0,1)
    const x = Float64Array.of(1, 15, 2, 3);
    const y = Float64Array.of(1, 1, 2, 12);
    const index = new GridIndex(10);
    index.rebuild(x, y, 4);
    const out = new Int32Array(8);
    const n = index.queryRadius(5, 5, 30, out);
    expect(Array.from(out.subarray(0, n))).toEqual([0, 2, 1, 3]);
  });

  it('the order does not depend on the capacity or on earlier rebuilds', () => {
    fc.assert(
      fc.property(points, coord, coord, (pts, qx, qy) => {
        const x = Float64Array.from(pts.map((p) => p[0]));
        const y = Float64Array.from(pts.map((p) => p[1]));
        const a = new GridIndex(250, 1);
        const b = new GridIndex(250, 4096);
        b.rebuild(y, x, pts.length); // a different point set first
        a.rebuild(x, y, pts.length);
        b.rebuild(x, y, pts.length);
        const outA = new Int32Array(pts.length);
        const outB = new Int32Array(pts.length);
        const na = a.queryRadius(qx, qy, 800, outA);
        const nb = b.queryRadius(qx, qy, 800, outB);
        expect(nb).toBe(na);
        // the bucket table size differs, the visiting order (by cell, then index) must not
        expect(Array.from(outB.subarray(0, nb))).toEqual(Array.from(outA.subarray(0, na)));
      }),
      { numRuns: 100 },
    );
  });

  it('indexes points far outside any bounding box and skips non-finite ones', () => {
    const x = Float64Array.of(0, 1e9, 1e9 + 3, -7e11, NaN, 5);
    const y = Float64Array.of(0, -1e9, -1e9 + 4, 2e11, 0, Infinity);
    const index = new GridIndex(100, 2);
    index.rebuild(x, y, x.length);
    const out = new Int32Array(8);
    let n = index.queryRadius(1e9, -1e9, 5, out);
    expect(Array.from(out.subarray(0, n))).toEqual([1, 2]);
    n = index.queryRadius(-7e11, 2e11, 1, out);
    expect(Array.from(out.subarray(0, n))).toEqual([3]);
    n = index.queryRadius(0, 0, 10, out);
    expect(Array.from(out.subarray(0, n))).toEqual([0]);
  });

  it('reports the full count when the output array is too small, writing only what fits', () => {
    const x = Float64Array.of(0, 1, 2, 3, 4);
    const y = new Float64Array(5);
    const index = new GridIndex(10);
    index.rebuild(x, y, 5);
    const out = new Int32Array(2);
    expect(index.queryRadius(0, 0, 100, out)).toBe(5);
    expect(Array.from(out)).toEqual([0, 1]);
  });

  it('a huge radius falls back to a scan by index and still finds everything', () => {
    const x = Float64Array.of(3, -2, 1e6);
    const y = Float64Array.of(0, 0, 0);
    const index = new GridIndex(1);
    index.rebuild(x, y, 3);
    const out = new Int32Array(4);
    const n = index.queryRadius(0, 0, 1e7, out);
    expect(Array.from(out.subarray(0, n))).toEqual([0, 1, 2]);
  });

  it('grows past its initial capacity', () => {
    const n = 5000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = (i % 100) * 7;
      y[i] = Math.floor(i / 100) * 7;
    }
    const index = new GridIndex(50, 16);
    index.rebuild(x, y, n);
    const out = new Int32Array(n);
    const got = index.queryRadius(350, 175, 60, out);
    expect(Array.from(out.subarray(0, got)).sort((a, b) => a - b)).toEqual(bruteForce(x, y, n, 350, 175, 60));
  });
});
