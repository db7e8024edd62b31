// Channel models against their specification (docs/v2x.md, Channel). Expected
// figures are computed here from the formulas, not taken from channel.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChannelWork,
  Receptions,
  gpp3Defaults,
  interferenceRange,
  linkIsLos,
  losProbability,
  maxRange,
  noiseDbm,
  pairKey,
  prepareChannel,
  receiveSlot,
  receivedPowerDbm,
  unitDiskDefaults,
  type ChannelParams,
  type Gpp3Params,
  type RadioNodes,
} from './channel.js';
import { GridIndex } from './spatial.js';

const LOG_FC = Math.log10(5.9);

function makeNodes(xs: number[], ys: number[], ids: number[], cell: number): RadioNodes {
  const x = Float64Array.from(xs);
  const y = Float64Array.from(ys);
  const index = new GridIndex(cell);
  index.rebuild(x, y, xs.length);
  return { x, y, id: Int32Array.from(ids), count: xs.length, index };
}

interface Rec {
  tx: number;
  rx: number;
  d: number;
  ok: number;
  lat: number;
  sinr: number;
}

/** Runs one slot and returns its records keyed by node ids. */
function slot(params: ChannelParams, nodes: RadioNodes, tx: number[], tick: number, timeS = tick * 0.1, seed = 7): Rec[] {
  const out = new Receptions(4);
  const n = receiveSlot(prepareChannel(params), nodes, seed, tick, timeS, Int32Array.from(tx), tx.length, new ChannelWork(), out);
  const recs: Rec[] = [];
  for (let j = 0; j < n; j++) {
    recs.push({
      tx: nodes.id[out.txNode[j]],
      rx: nodes.id[out.rxNode[j]],
      d: out.distanceM[j],
      ok: out.delivered[j],
      lat: out.latencyMs[j],
      sinr: out.sinrDb[j],
    });
  }
  return recs;
}

const byLink = (a: Rec, b: Rec) => a.tx - b.tx || a.rx - b.rx;

describe('unit disk', () => {
  const params = { ...unitDiskDefaults(), rangeM: 300, lossProbability: 0.2, delayMinMs: 2, delayExpectedMs: 12 };
  // a transmitter at the origin, 50 receivers inside the disk (one on its edge), 10 outside
  const xs = [0];
  const ys = [0];
  for (let i = 0; i < 50; i++) {
    const r = i === 0 ? 300 : 6 * i;
    xs.push(r * Math.cos(i));
    ys.push(r * Math.sin(i));
  }
  for (let i = 0; i < 10; i++) {
    xs.push((300.001 + 40 * i) * Math.cos(i));
    ys.push((300.001 + 40 * i) * Math.sin(i));
  }
  const nodes = makeNodes(xs, ys, xs.map((_, i) => 100 + i), 300);

  it('delivers inside the range at rate 1 − p, never outside, never to the sender', () => {
    let sent = 0;
    let received = 0;
    for (let tick = 0; tick < 400; tick++) {
      for (const r of slot(params, nodes, [0], tick)) {
        expect(r.rx).not.toBe(100);
        expect(r.d).toBeLessThanOrEqual(300);
        expect(r.rx).toBeLessThan(100 + 51); // the 10 nodes outside never appear
        sent++;
        received += r.ok;
      }
    }
    expect(sent).toBe(400 * 50);
    // binomial: sd = sqrt(n·p·(1 − p)) ≈ 56.6; accept 5 sd
    const expected = sent * 0.8;
    expect(Math.abs(received - expected)).toBeLessThan(5 * Math.sqrt(sent * 0.2 * 0.8));
  });

  it('p = 0 delivers everything in range, p = 1 nothing', () => {
    const all = slot({ ...params, lossProbability: 0 }, nodes, [0], 3);
    expect(all.length).toBe(50);
    expect(all.every((r) => r.ok === 1)).toBe(true);
    expect(slot({ ...params, lossProbability: 1 }, nodes, [0], 3).every((r) => r.ok === 0)).toBe(true);
  });

  it('latency is min + Gamma(2,2)·0.25·(expected − min): mean, spread and minimum', () => {
    const lat: number[] = [];
    for (let tick = 0; tick < 400; tick++) for (const r of slot(params, nodes, [0], tick)) if (r.ok) lat.push(r.lat);
    const mean = lat.reduce((s, v) => s + v, 0) / lat.length;
    const variance = lat.reduce((s, v) => s + (v - mean) ** 2, 0) / (lat.length - 1);
    // Gamma(2, 2): mean 4, variance 8, so latency mean = 12 ms and variance = (0.25·10)²·8 = 50 ms²
    const sdOfMean = Math.sqrt(50 / lat.length);
    expect(Math.abs(mean - 12)).toBeLessThan(5 * sdOfMean);
    expect(variance).toBeGreaterThan(50 * 0.9);
    expect(variance).toBeLessThan(50 * 1.1);
    expect(Math.min(...lat)).toBeGreaterThanOrEqual(2);
    // Gamma(2) has a mode at 1 (scale 2 → 2): the median is below the mean
    const sorted = [...lat].sort((a, b) => a - b);
    expect(sorted[sorted.length >> 1]).toBeLessThan(mean);
  });

  it('the unit disk has no half-duplex: two transmitters hear each other', () => {
    const recs = slot({ ...params, lossProbability: 0 }, nodes, [0, 1], 5);
    expect(recs.some((r) => r.tx === 100 && r.rx === 101 && r.ok === 1)).toBe(true);
    expect(recs.some((r) => r.tx === 101 && r.rx === 100 && r.ok === 1)).toBe(true);
  });
});

describe('3GPP link budget', () => {
  const p = gpp3Defaults();

  it('noise is −174 + 10·log10(10 MHz) + 9 = −95 dBm', () => {
    expect(noiseDbm(p)).toBeCloseTo(-95, 10);
  });

  it('received power is 23 + 3 + 3 − PL(d) with the TR 37.885 formulas, d clamped at 3 m', () => {
    for (const d of [1, 3, 10, 55, 200, 999]) {
      const dc = Math.max(d, 3);
      expect(receivedPowerDbm(p, d, true, 0)).toBeCloseTo(29 - (38.77 + 16.7 * Math.log10(dc) + 18.2 * LOG_FC), 10);
      expect(receivedPowerDbm(p, d, false, 0)).toBeCloseTo(29 - (36.85 + 30 * Math.log10(dc) + 18.9 * LOG_FC), 10);
      expect(receivedPowerDbm({ ...p, environment: 'highway' }, d, true, 0)).toBeCloseTo(29 - (32.4 + 20 * Math.log10(dc) + 20 * LOG_FC), 10);
    }
  });

  it('with shadowing off, a lone packet has SINR = received power − noise (LOS, NLOS, highway; 3 m clamp)', () => {
    const xs = [0, 2, 10, 80, 150, 300, 1200];
    const nodes = makeNodes(xs, xs.map(() => 0), xs.map((_, i) => i + 1), 500);
    for (const mode of ['los', 'nlos', 'highway'] as const) {
      const params: Gpp3Params = mode === 'highway' ? { ...p, shadowing: false, environment: 'highway' } : { ...p, shadowing: false, losMode: mode };
      const recs = slot(params, nodes, [0], 1);
      expect(recs.length).toBeGreaterThan(3);
      for (const r of recs) {
        const lg = Math.log10(Math.max(3, r.d));
        const pl = mode === 'los' ? 38.77 + 16.7 * lg + 18.2 * LOG_FC : mode === 'nlos' ? 36.85 + 30 * lg + 18.9 * LOG_FC : 32.4 + 20 * lg + 20 * LOG_FC;
        const snr = 29 - pl - -95;
        expect(r.sinr).toBeCloseTo(snr, 6);
        expect(r.ok).toBe(snr >= 5 ? 1 : 0);
      }
    }
  });

  it('shadowing is log-normal around the mean pathloss: mean ≈ 0 dB, σ ≈ 3 dB (LOS) / 4 dB (NLOS)', () => {
    // one transmitter, receivers spread over many decorrelation squares at a fixed 100 m distance
    for (const [losMode, sigma] of [['los', 3], ['nlos', 4]] as const) {
      const params: Gpp3Params = { ...p, losMode };
      const xs = [0];
      const ys = [0];
      const n = 2000;
      for (let i = 0; i < n; i++) {
        xs.push(100 * Math.cos((2 * Math.PI * i) / n));
        ys.push(100 * Math.sin((2 * Math.PI * i) / n));
      }
      const shadows: number[] = [];
      for (let t = 0; t < 3; t++) {
        // shift the whole scene so that midpoints fall into other squares
        const nodes = makeNodes(
          xs.map((v) => v + 1000 * t),
          ys,
          xs.map((_, i) => i + 1),
          700,
        );
        for (const r of slot(params, nodes, [0], t)) shadows.push(r.sinr - (receivedPowerDbm(params, r.d, losMode === 'los', 0) + 95));
      }
      const mean = shadows.reduce((s, v) => s + v, 0) / shadows.length;
      const sd = Math.sqrt(shadows.reduce((s, v) => s + (v - mean) ** 2, 0) / (shadows.length - 1));
      // the squares hold several receivers each (correlated by design), so bounds are generous
      expect(Math.abs(mean)).toBeLessThan(0.4);
      expect(sd).toBeGreaterThan(sigma * 0.85);
      expect(sd).toBeLessThan(sigma * 1.15);
    }
  });

  it('links are LOS with the urban probability min(1, 1.05·exp(−0.0114·d)), per pair and time bucket', () => {
    for (const d of [20, 100, 250]) {
      let los = 0;
      const n = 20000;
      for (let i = 0; i < n; i++) if (linkIsLos(p, 3, pairKey(3, i, i + 1_000_000), 0, d)) los++;
      const q = losProbability(d);
      expect(Math.abs(los / n - q)).toBeLessThan(5 * Math.sqrt((q * (1 - q)) / n) + 1e-9);
    }
    expect(losProbability(0)).toBe(1);
    expect(losProbability(100)).toBeCloseTo(1.05 * Math.exp(-1.14), 12);
    // the same pair in the same bucket has one state; the key does not depend on who transmits
    expect(pairKey(3, 17, 42)).toBe(pairKey(3, 42, 17));
    expect(linkIsLos(p, 3, pairKey(3, 17, 42), 0.2, 90)).toBe(linkIsLos(p, 3, pairKey(3, 17, 42), 0.9, 90));
  });

  it('the channel is reciprocal: the same SINR both ways for a lone pair', () => {
    const nodes = makeNodes([0, 140], [0, 37], [8, 9], 700);
    for (let tick = 0; tick < 30; tick++) {
      const ab = slot(p, nodes, [0], tick, tick * 0.37);
      const ba = slot(p, nodes, [1], tick, tick * 0.37);
      expect(ab[0].sinr).toBe(ba[0].sinr);
    }
  });

  it('maxRange: unit disk range; 3gpp where a lone packet is decoded with probability 1e-3', () => {
    expect(maxRange({ ...unitDiskDefaults(), rangeM: 420 })).toBe(420);
    // NLOS only: PL(d) = 29 + 95 − 5 + 3.09·4 (Q(3.09) ≈ 1e-3) solved for d
    const nlosRange = Math.pow(10, (119 + 3.0902 * 4 - 36.85 - 18.9 * LOG_FC) / 30);
    expect(maxRange({ ...p, losMode: 'nlos' })).toBeCloseTo(nlosRange, -0.3); // within ~1 m
    // urban: where the LOS probability reaches ~1e-3 (NLOS links are out of reach by then)
    const losGone = Math.log(1.05 / 1e-3) / 0.0114;
    expect(Math.abs(maxRange(p) - losGone)) .toBeLessThan(10);
    // shadowing off, LOS only, highway: the deterministic budget PL = 119 dB, capped
    expect(maxRange({ ...p, environment: 'highway', shadowing: false, rangeCapM: 1e6 })).toBeCloseTo(Math.pow(10, (119 - 32.4 - 20 * LOG_FC) / 20), -0.3);
    expect(maxRange({ ...p, environment: 'highway' })).toBe(p.rangeCapM);
    expect(interferenceRange(p)).toBeGreaterThanOrEqual(maxRange(p));
  });
});

/** Urban scene: a transmitter at the origin, receivers on rings, and optional interferers far out. */
function ringScene(ringRadii: number[], perRing: number, interferers: number) {
  const xs = [0];
  const ys = [0];
  for (const r of ringRadii) {
    for (let i = 0; i < perRing; i++) {
      const a = (2 * Math.PI * (i + 0.37 * r)) / perRing;
      xs.push(r * Math.cos(a));
      ys.push(r * Math.sin(a));
    }
  }
  const firstInterferer = xs.length;
  for (let i = 0; i < interferers; i++) {
    // interferers spread 100–400 m from the origin
    const r = 100 + (300 * ((i * 0.618034) % 1));
    const a = (2 * Math.PI * i) / Math.max(1, interferers) + 0.3;
    xs.push(r * Math.cos(a));
    ys.push(r * Math.sin(a));
  }
  return { xs, ys, firstInterferer };
}

/** PDR of the origin's packets by ring, over many ticks (LOS buckets of 1 s, shadowing moving with the ring). */
function pdrByRing(params: Gpp3Params, ringRadii: number[], perRing: number, interferers: number, ticks: number): number[] {
  const { xs, ys, firstInterferer } = ringScene(ringRadii, perRing, interferers);
  const sent = ringRadii.map(() => 0);
  const got = ringRadii.map(() => 0);
  const channel = prepareChannel(params);
  const work = new ChannelWork();
  const out = new Receptions();
  const tx = new Int32Array(1 + interferers);
  tx[0] = 0;
  for (let i = 0; i < interferers; i++) tx[1 + i] = firstInterferer + i;
  for (let tick = 0; tick < ticks; tick++) {
    // the whole scene drifts 7 m per tick: new shadowing squares, new LOS buckets every 10 ticks
    const nodes = makeNodes(
      xs.map((v) => v + 7 * tick),
      ys,
      xs.map((_, i) => i),
      channel.decodeRangeM,
    );
    const n = receiveSlot(channel, nodes, 11, tick, tick * 0.1, tx, tx.length, work, out);
    for (let j = 0; j < n; j++) {
      if (out.txNode[j] !== 0) continue;
      const r = out.rxNode[j];
      if (r === 0 || r >= firstInterferer) continue;
      const ring = Math.floor((r - 1) / perRing);
      sent[ring]++;
      got[ring] += out.delivered[j];
    }
  }
  return got.map((g, i) => g / sent[i]);
}

describe('3GPP packet delivery', () => {
  const p = gpp3Defaults();

  it('PDR falls with distance', () => {
    const pdr = pdrByRing(p, [30, 100, 200, 300, 450], 40, 0, 200);
    for (let i = 1; i < pdr.length; i++) expect(pdr[i]).toBeLessThan(pdr[i - 1]);
    expect(pdr[0]).toBeGreaterThan(0.95);
    expect(pdr[pdr.length - 1]).toBeLessThan(0.2);
  });

  it('PDR falls with interference: more simultaneous transmitters, lower PDR', () => {
    const rings = [80, 160];
    const alone = pdrByRing(p, rings, 40, 0, 100);
    const few = pdrByRing(p, rings, 40, 5, 100);
    const many = pdrByRing(p, rings, 40, 60, 100);
    for (let i = 0; i < rings.length; i++) {
      expect(few[i]).toBeLessThan(alone[i]);
      expect(many[i]).toBeLessThan(few[i]);
    }
  });

  it('an interferer beyond the decode range adds its mean received power to the noise', () => {
    // NLOS only, shadowing off: the mean is the NLOS pathloss itself. Receiver 60 m from the
    // sender, interferer 480 m from the receiver (decode range ≈ 462 m, interference ≈ 1.4 km).
    const params: Gpp3Params = { ...p, losMode: 'nlos', shadowing: false };
    const nodes = makeNodes([0, 60, 540], [0, 0, 0], [1, 2, 3], 500);
    const mw = (dbm: number) => Math.pow(10, dbm / 10);
    const pl = (d: number) => 36.85 + 30 * Math.log10(d) + 18.9 * LOG_FC;
    const signal = mw(29 - pl(60));
    const lone = slot(params, nodes, [0], 2).find((r) => r.rx === 2)!;
    expect(lone.sinr).toBeCloseTo(10 * Math.log10(signal / mw(-95)), 6);
    const jammed = slot(params, nodes, [0, 2], 2).find((r) => r.tx === 1 && r.rx === 2)!;
    expect(jammed.sinr).toBeCloseTo(10 * Math.log10(signal / (mw(-95) + mw(29 - pl(480)))), 2);
    expect(lone.sinr - jammed.sinr).toBeGreaterThan(0.4); // the interferer is ≈ 14 % of the noise
  });

  it('half-duplex: a node transmitting in the slot receives nothing, even next door', () => {
    const nodes = makeNodes([0, 5, 10], [0, 0, 0], [1, 2, 3], 700);
    const recs = slot({ ...p, shadowing: false }, nodes, [0, 1], 4);
    const toTwo = recs.filter((r) => r.rx === 2);
    const toOne = recs.filter((r) => r.rx === 1);
    expect(toTwo.length).toBe(1);
    expect(toOne.length).toBe(1);
    expect(toTwo[0].ok).toBe(0);
    expect(toOne[0].ok).toBe(0);
    expect(toTwo[0].sinr).toBe(-Infinity);
    // node 3 hears both senders at 10 and 5 m: its SINR is limited by the other sender, not noise
    const toThree = recs.filter((r) => r.rx === 3);
    expect(toThree.length).toBe(2);
    // without the second sender, node 3 decodes node 1
    const lone = slot({ ...p, shadowing: false }, nodes, [0], 4).filter((r) => r.rx === 3);
    expect(lone[0].ok).toBe(1);
  });
});

describe('determinism', () => {
  const coord = fc.double({ min: -600, max: 600, noNaN: true });
  const scene = fc.array(fc.tuple(coord, coord), { minLength: 2, maxLength: 60 });

  /** Runs a slot with nodes listed in `perm` order and transmitters in `txOrder`; records by ids. */
  function runPermuted(params: ChannelParams, pts: [number, number][], txIds: number[], perm: number[], txOrder: number[], tick: number): Rec[] {
    const xs = perm.map((i) => pts[i][0]);
    const ys = perm.map((i) => pts[i][1]);
    const ids = perm.map((i) => 1000 + i);
    const nodes = makeNodes(xs, ys, ids, 250);
    const where = new Map(ids.map((id, k) => [id, k]));
    const tx = txOrder.map((k) => where.get(1000 + txIds[k])!);
    return slot(params, nodes, tx, tick).sort(byLink);
  }

  for (const params of [gpp3Defaults(), { ...unitDiskDefaults(), rangeM: 350, lossProbability: 0.3 }] as ChannelParams[]) {
    it(`${params.kind}: the same records, bit for bit, whatever the order of receivers and transmitters`, () => {
      fc.assert(
        fc.property(scene, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (pts, tick, shuffleSeed) => {
          const n = pts.length;
          const txIds = Array.from({ length: Math.min(n, 1 + (shuffleSeed % 12)) }, (_, k) => (k * 7) % n).filter((v, i, a) => a.indexOf(v) === i);
          const identity = Array.from({ length: n }, (_, i) => i);
          // a deterministic shuffle from shuffleSeed
          const perm = [...identity];
          let s = shuffleSeed;
          for (let i = n - 1; i > 0; i--) {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0;
            const j = s % (i + 1);
            [perm[i], perm[j]] = [perm[j], perm[i]];
          }
          const txOrder = txIds.map((_, k) => k).reverse();
          const a = runPermuted(params, pts, txIds, identity, txIds.map((_, k) => k), tick);
          const b = runPermuted(params, pts, txIds, perm, txOrder, tick);
          expect(b).toEqual(a);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('a different seed or tick gives different draws (the keys are used)', () => {
    const params = { ...unitDiskDefaults(), rangeM: 1000, lossProbability: 0.5 };
    const xs = Array.from({ length: 200 }, (_, i) => i);
    const nodes = makeNodes(xs, xs.map(() => 0), xs, 1000);
    const okAt = (tick: number, seed: number) => slot(params, nodes, [0], tick, 0, seed).map((r) => r.ok).join('');
    expect(okAt(1, 7)).toBe(okAt(1, 7));
    expect(okAt(2, 7)).not.toBe(okAt(1, 7));
    expect(okAt(1, 8)).not.toBe(okAt(1, 7));
  });
});
