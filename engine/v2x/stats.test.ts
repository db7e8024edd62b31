// V2X statistics: binning, PDR and latency by hand, CSV text, order-free merging, channel load.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChannelWork, Receptions, prepareChannel, receiveSlot, unitDiskDefaults } from './channel.js';
import { GridIndex } from './spatial.js';
import { MSG_BSM, MSG_RSI, MSG_SPAT, V2xStats } from './stats.js';
import { v2xChannelCsv, v2xCsv } from '../io/run/v2x-report.js';

describe('V2xStats', () => {
  it('bins distances in 25 m steps with an open last bin', () => {
    const s = new V2xStats(100);
    expect(s.bins).toBe(5);
    expect([0, 24.999, 25, 49.9, 99.9, 100, 5000, -1].map((d) => s.binOf(d))).toEqual([0, 0, 1, 1, 3, 4, 4, 0]);
  });

  it('PDR is received / intended receivers per bin; latency is the mean over delivered pairs', () => {
    const s = new V2xStats(100);
    s.addPair(MSG_BSM, 10, true, 4.5);
    s.addPair(MSG_BSM, 20, true, 5.5);
    s.addPair(MSG_BSM, 12, false, 0);
    s.addPair(MSG_BSM, 30, false, 0);
    s.addPair(MSG_SPAT, 60, true, 2.25);
    s.addPair(MSG_RSI, 250, true, 7);
    expect(s.pdr(MSG_BSM, 0)).toBeCloseTo(2 / 3, 12);
    expect(s.meanLatencyMs(MSG_BSM, 0)).toBeCloseTo(5, 12);
    expect(s.pdr(MSG_BSM, 1)).toBe(0);
    expect(Number.isNaN(s.meanLatencyMs(MSG_BSM, 1))).toBe(true);
    expect(Number.isNaN(s.pdr(MSG_BSM, 2))).toBe(true);
    expect(s.totals()).toEqual({ sent: 6, received: 4, pdr: 4 / 6, meanLatencyMs: (4.5 + 5.5 + 2.25 + 7) / 4 });
    expect(s.totals(MSG_SPAT).pdr).toBe(1);
    expect(v2xCsv(s)).toBe(
      [
        'type,distanceFrom,distanceTo,sent,received,pdr,meanLatencyMs',
        'bsm,0,25,3,2,0.6667,5.000',
        'bsm,25,50,1,0,0.0000,',
        'spat,50,75,1,1,1.0000,2.250',
        'rsi,100,inf,1,1,1.0000,7.000',
        '',
      ].join('\n'),
    );
  });

  it('addReceptions counts a channel slot record by record, by the sender’s message type', () => {
    const n = 40;
    const x = Float64Array.from({ length: n }, (_, i) => i * 9);
    const y = new Float64Array(n);
    const index = new GridIndex(200);
    index.rebuild(x, y, n);
    const nodes = { x, y, id: Int32Array.from({ length: n }, (_, i) => i), count: n, index };
    const channel = prepareChannel({ ...unitDiskDefaults(), rangeM: 200, lossProbability: 0.3 });
    const out = new Receptions();
    const tx = Int32Array.of(0, 20, 39);
    const types = Uint8Array.of(MSG_BSM, MSG_SPAT, MSG_BSM);
    const count = receiveSlot(channel, nodes, 5, 9, 0.9, tx, 3, new ChannelWork(), out);
    const bulk = new V2xStats(200);
    bulk.addReceptions(out, count, types);
    const oneByOne = new V2xStats(200);
    for (let j = 0; j < count; j++) oneByOne.addPair(types[out.txSlot[j]], out.distanceM[j], out.delivered[j] === 1, out.latencyMs[j]);
    expect(v2xCsv(bulk)).toBe(v2xCsv(oneByOne));
    expect(bulk.totals().sent).toBe(count);
    expect(bulk.totals(MSG_SPAT).sent).toBe(x.filter((v) => Math.abs(v - 180) <= 200).length - 1);
  });

  it('partial accumulators merge to the same bits whatever the split and the order', () => {
    const pair = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.double({ min: 0, max: 700, noNaN: true }), fc.boolean(), fc.double({ min: 0, max: 200, noNaN: true }));
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 200 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 200, maxLength: 200 }), (pairs, part) => {
        const whole = new V2xStats(600);
        const parts = [0, 1, 2, 3].map(() => new V2xStats(600));
        pairs.forEach(([t, d, ok, lat], i) => {
          whole.addPair(t, d, ok, lat);
          parts[part[i]].addPair(t, d, ok, lat);
          whole.addSlotLoad(i * 0.1, 0.1, 10, i % 7);
          parts[part[i]].addSlotLoad(i * 0.1, 0.1, 10, i % 7);
        });
        const forward = V2xStats.mergeAll(new V2xStats(600), parts);
        const backward = V2xStats.mergeAll(new V2xStats(600), [...parts].reverse());
        expect(v2xCsv(forward)).toBe(v2xCsv(whole));
        expect(v2xCsv(backward)).toBe(v2xCsv(whole));
        expect(v2xChannelCsv(forward)).toBe(v2xChannelCsv(whole));
        expect(Array.from(backward.latencyUs)).toEqual(Array.from(whole.latencyUs));
      }),
      { numRuns: 100 },
    );
    expect(() => new V2xStats(100).merge(new V2xStats(200))).toThrow(/bins/);
  });

  it('channel busy ratio: sensed pairs × sub-channels per message over nodes × sub-frames × sub-channels', () => {
    const s = new V2xStats(500, 2); // grows past 2 seconds below
    // second 0: ten 100 ms slots, 20 nodes, 50 sensed pairs each → 500·2 / (10·20·100·5) = 0.01
    for (let k = 0; k < 10; k++) s.addSlotLoad(k * 0.1, 0.1, 20, 50);
    expect(s.busyRatio(0)).toBeCloseTo(0.01, 12);
    // second 3: one slot, 4 nodes, 1500 sensed pairs → 3000 / (4·100·5) = 1.5 offered, CBR 1
    s.addSlotLoad(3.05, 0.1, 4, 1500);
    expect(s.offeredLoad(3)).toBeCloseTo(1.5, 12);
    expect(s.busyRatio(3)).toBe(1);
    expect(Number.isNaN(s.busyRatio(1))).toBe(true);
    expect(s.seconds()).toBe(4);
    expect(v2xChannelCsv(s)).toBe(['second,busyRatio,offeredLoad', '0,0.0100,0.0100', '1,,', '2,,', '3,1.0000,1.5000', ''].join('\n'));
  });
});
