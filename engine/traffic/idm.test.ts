// The IDM helpers against the theory of docs/models.md, IDM:
//   a = A·[1 − (v/v0)^4 − (s*/s)^2],  s* = s0 + v·T + v·Δv/(2·√(A·B)),
//   s_e(v) = (s0 + v·T)/sqrt(1 − (v/v0)^4),  Q(v) = v/(s_e(v) + l),  capacity = max_v Q(v).
// Every expected figure is computed here from those formulas, not taken from the engine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equilibriumFlow, equilibriumGap, equilibriumSpeed, idmAccel, laneCapacity, type IdmParams } from './idm.js';
import { idmAccel as hotIdmAccel } from './kinematics.js';

/** The capacity example of docs/models.md, IDM: v0 = 33.3 m/s, T = 1.5 s, s0 = 2 m, l = 5 m (A, B do not matter). */
const REF: IdmParams = { accel: 1, decel: 2, headway: 1.5, minGap: 2, length: 5 };
const REF_V0 = 33.3;

/** s_e(v) written out again, independently of idm.ts. */
const gapOf = (p: IdmParams, v: number, v0: number) => (p.minGap + v * p.headway) / Math.sqrt(1 - (v / v0) ** 4);

/** Brute-force capacity: scan Q(v) = v/(s_e(v) + l) on a 1 mm/s grid. */
function scanCapacity(p: IdmParams, v0: number): { flow: number; speed: number } {
  let best = { flow: 0, speed: 0 };
  for (let k = 1; k * 0.001 < v0; k++) {
    const v = k * 0.001;
    const q = v / (gapOf(p, v, v0) + p.length);
    if (q > best.flow) best = { flow: q, speed: v };
  }
  return best;
}

const params = fc.record({
  accel: fc.double({ min: 0.3, max: 4, noNaN: true }),
  decel: fc.double({ min: 0.5, max: 6, noNaN: true }),
  headway: fc.double({ min: 0.5, max: 2.5, noNaN: true }),
  minGap: fc.double({ min: 0.5, max: 5, noNaN: true }),
  length: fc.double({ min: 3, max: 15, noNaN: true }),
});
const desired = fc.double({ min: 5, max: 45, noNaN: true });

describe('IDM equilibrium', () => {
  it('equilibriumGap is the equilibrium formula of docs/models.md', () => {
    for (const v of [0, 1, 5, 10, 20, 30, 33]) expect(equilibriumGap(REF, v, REF_V0)).toBeCloseTo(gapOf(REF, v, REF_V0), 10);
    expect(equilibriumGap(REF, 0, REF_V0)).toBe(2); // at rest: the jam distance s0
    expect(equilibriumGap(REF, REF_V0, REF_V0)).toBe(Infinity);
  });

  it('equilibriumSpeed inverts equilibriumGap (speed → gap → speed and gap → speed → gap)', () => {
    fc.assert(
      fc.property(params, desired, fc.double({ min: 0.001, max: 0.995, noNaN: true }), (p, v0, share) => {
        const v = share * v0;
        const s = equilibriumGap(p, v, v0);
        expect(equilibriumSpeed(p, s, v0)).toBeCloseTo(v, 6);
        expect(equilibriumGap(p, equilibriumSpeed(p, s, v0), v0)).toBeCloseTo(s, 4);
      }),
      { numRuns: 300 },
    );
  });

  it('equilibriumSpeed is 0 at or below the jam distance and grows with the gap', () => {
    expect(equilibriumSpeed(REF, 2, REF_V0)).toBe(0);
    expect(equilibriumSpeed(REF, 1, REF_V0)).toBe(0);
    let last = 0;
    for (const s of [2.5, 5, 10, 20, 40, 80, 160, 320]) {
      const v = equilibriumSpeed(REF, s, REF_V0);
      expect(v).toBeGreaterThan(last);
      expect(v).toBeLessThan(REF_V0);
      last = v;
    }
  });

  it('the Sugiyama ring gap (230 m / 22 cars − 5 m) gives the speed that solves s_e(v) = s', () => {
    const p: IdmParams = { accel: 1, decel: 1.5, headway: 1.5, minGap: 2, length: 5 };
    const s = 230 / 22 - 5;
    const v = equilibriumSpeed(p, s, 30);
    // (2 + 1.5 v)/sqrt(1 − (v/30)^4) = 5.4545…: v ≈ 2.303 m/s (the (v/30)^4 term is below 4e-5)
    expect(v).toBeCloseTo((s - 2) / 1.5, 2);
    expect(gapOf(p, v, 30)).toBeCloseTo(s, 8);
  });
});

describe('single-lane capacity', () => {
  it('is about 1,840 veh/h for v0 = 33.3 m/s, T = 1.5 s, s0 = 2 m, l = 5 m (docs/models.md), within 1 %', () => {
    const cap = laneCapacity(REF, REF_V0);
    const perHour = cap.flow * 3600;
    expect(Math.abs(perHour - 1840) / 1840).toBeLessThan(0.01);
    // and the same maximum as an independent brute-force scan of Q(v)
    const scan = scanCapacity(REF, REF_V0);
    expect(Math.abs(cap.flow - scan.flow) / scan.flow).toBeLessThan(1e-6);
    expect(Math.abs(cap.speed - scan.speed)).toBeLessThan(0.05);
    // the maximum is interior: well below v0, well above a crawl
    expect(cap.speed).toBeGreaterThan(10);
    expect(cap.speed).toBeLessThan(REF_V0 - 5);
  });

  it('does not depend on A and B', () => {
    const base = laneCapacity(REF, REF_V0).flow;
    for (const [accel, decel] of [
      [0.3, 0.5],
      [2.6, 4.5],
      [4, 9],
    ])
      expect(laneCapacity({ ...REF, accel, decel }, REF_V0).flow).toBeCloseTo(base, 10);
  });

  it('matches the brute-force scan for random parameters, and is the maximum of equilibriumFlow', () => {
    fc.assert(
      fc.property(params, desired, (p, v0) => {
        const cap = laneCapacity(p, v0);
        const scan = scanCapacity(p, v0);
        expect(Math.abs(cap.flow - scan.flow) / scan.flow).toBeLessThan(1e-5);
        expect(equilibriumFlow(p, cap.speed, v0)).toBeCloseTo(cap.flow, 12);
        for (const f of [0.5, 0.9, 1.1, 1.5]) {
          const v = cap.speed * f;
          if (v < v0) expect(equilibriumFlow(p, v, v0)).toBeLessThanOrEqual(cap.flow + 1e-12);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('falls with a longer headway and with longer vehicles', () => {
    const base = laneCapacity(REF, REF_V0).flow;
    expect(laneCapacity({ ...REF, headway: 2 }, REF_V0).flow).toBeLessThan(base);
    expect(laneCapacity({ ...REF, length: 12 }, REF_V0).flow).toBeLessThan(base);
    // with T = 1 s the upper bound 1/T = 3600 veh/h is not reached (s0 and l take room)
    expect(laneCapacity({ ...REF, headway: 1 }, REF_V0).flow * 3600).toBeLessThan(3600);
  });
});

describe('IDM acceleration', () => {
  it('is zero at equilibrium (Δv = 0, gap = s_e(v))', () => {
    fc.assert(
      fc.property(params, desired, fc.double({ min: 0, max: 0.99, noNaN: true }), (p, v0, share) => {
        const v = share * v0;
        const gap = equilibriumGap(p, v, v0);
        expect(Math.abs(idmAccel(p, v, v0, gap, 0))).toBeLessThan(1e-9 * p.accel + 1e-12);
      }),
      { numRuns: 300 },
    );
  });

  it('has the textbook values: A on a free road at rest, 0 at rest at the jam distance, −A·3 at rest at half of it', () => {
    const A = REF.accel;
    expect(idmAccel(REF, 0, REF_V0, 1e9, 0)).toBeCloseTo(A, 9);
    expect(idmAccel(REF, 0, REF_V0, REF.minGap, 0)).toBeCloseTo(0, 12);
    expect(idmAccel(REF, 0, REF_V0, REF.minGap / 2, 0)).toBeCloseTo(-3 * A, 12);
    expect(idmAccel(REF, REF_V0, REF_V0, 1e9, 0)).toBeCloseTo(0, 9);
  });

  it('uses the dynamic term v·Δv/(2√(AB)) when closing in', () => {
    const p: IdmParams = { accel: 1.5, decel: 2, headway: 1.2, minGap: 2, length: 5 };
    const v = 15;
    const dv = 5;
    const gap = 40;
    const sStar = 2 + 15 * 1.2 + (15 * 5) / (2 * Math.sqrt(1.5 * 2));
    const expected = 1.5 * (1 - (15 / 20) ** 4 - (sStar / gap) ** 2);
    expect(idmAccel(p, v, 20, gap, dv)).toBeCloseTo(expected, 12);
    // closing in brakes harder than following at the same speed
    expect(idmAccel(p, v, 20, gap, dv)).toBeLessThan(idmAccel(p, v, 20, gap, 0));
    // and a leader pulling away (Δv < 0) does not shrink s* below s0
    expect(idmAccel(p, 1, 20, 2, -50)).toBeCloseTo(1.5 * (1 - (1 / 20) ** 4 - 1), 12);
  });

  it('the hot-loop form (kinematics.ts) agrees with the scalar form', () => {
    fc.assert(
      fc.property(
        params,
        desired,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0.5, max: 300, noNaN: true }),
        (p, v0, share, dv, gap) => {
          const v = share * v0;
          const sqab2 = 2 * Math.sqrt(p.accel * p.decel);
          const hot = hotIdmAccel(v, v0, dv, gap, p.accel, p.minGap, p.headway, sqab2);
          const ref = idmAccel(p, v, v0, gap, dv);
          expect(Math.abs(hot - ref)).toBeLessThan(1e-9 * (1 + Math.abs(ref)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
