/**
 * Micro benchmarks of the V2X building blocks (vitest bench):
 *   npx vitest bench --run bench/micro/v2x.bench.ts
 * A city-sized scene: 10,000 radio nodes scattered over 5 km × 5 km (about the density of the
 * 16 × 16 grid benchmark), placed by a fixed counter-based sequence so that every run measures
 * the same work. Costs are per call of what the tick would call.
 */
import { bench, describe } from 'vitest';
import { rand } from '../../engine/core/rng.js';
import { ChannelWork, Receptions, gpp3Defaults, prepareChannel, receiveSlot, unitDiskDefaults } from '../../engine/v2x/channel.js';
import { GridIndex } from '../../engine/v2x/spatial.js';
import { V2xStats, MSG_BSM } from '../../engine/v2x/stats.js';

const NODES = 10_000;
const SIDE_M = 5000;
const x = new Float64Array(NODES);
const y = new Float64Array(NODES);
const id = new Int32Array(NODES);
for (let i = 0; i < NODES; i++) {
  x[i] = SIDE_M * rand(1, 0, i, 1);
  y[i] = SIDE_M * rand(1, 0, i, 2);
  id[i] = i;
}

const urban = prepareChannel(gpp3Defaults());
const disk = prepareChannel({ ...unitDiskDefaults(), rangeM: 300, lossProbability: 0.1 });
const index = new GridIndex(urban.decodeRangeM, NODES);
index.rebuild(x, y, NODES);
const nodes = { x, y, id, count: NODES, index };

// 2,000 transmitters: every fifth node
const TX = 2000;
const tx = new Int32Array(TX);
for (let k = 0; k < TX; k++) tx[k] = k * 5;
const txType = new Uint8Array(TX).fill(MSG_BSM);

const work = new ChannelWork();
const out = new Receptions(1 << 20);
const neighbours = new Int32Array(NODES);
const stats = new V2xStats(urban.decodeRangeM);
let tick = 0;
let sink = 0;

// the unit-disk slot queries its own 300 m cells
const diskIndex = new GridIndex(300, NODES);
diskIndex.rebuild(x, y, NODES);
const diskNodes = { x, y, id, count: NODES, index: diskIndex };

// A Laoshan-sized slot: 300 equipped vehicles and RSUs along a 7 km × 300 m corridor, every one
// sending its BSM in the same 100 ms slot (100 % penetration, one slot per tick).
const SMALL = 300;
const sx = new Float64Array(SMALL);
const sy = new Float64Array(SMALL);
const sid = new Int32Array(SMALL);
for (let i = 0; i < SMALL; i++) {
  sx[i] = 7000 * rand(2, 0, i, 1);
  sy[i] = 300 * rand(2, 0, i, 2);
  sid[i] = i;
}
const smallIndex = new GridIndex(urban.decodeRangeM, SMALL);
smallIndex.rebuild(sx, sy, SMALL);
const smallNodes = { x: sx, y: sy, id: sid, count: SMALL, index: smallIndex };
const smallDiskIndex = new GridIndex(300, SMALL);
smallDiskIndex.rebuild(sx, sy, SMALL);
const smallDiskNodes = { x: sx, y: sy, id: sid, count: SMALL, index: smallDiskIndex };
const allSmall = Int32Array.from({ length: SMALL }, (_, i) => i);

describe('Laoshan-sized slot: 300 nodes on a 7 km corridor, all sending', () => {
  bench('unit disk, 300 m', () => {
    sink += receiveSlot(disk, smallDiskNodes, 7, tick, tick * 0.1, allSmall, SMALL, work, out);
    tick++;
  });
  bench('3gpp urban', () => {
    sink += receiveSlot(urban, smallNodes, 7, tick, tick * 0.1, allSmall, SMALL, work, out);
    tick++;
  });
});

describe('spatial index (10,000 nodes)', () => {
  bench('rebuild', () => {
    index.rebuild(x, y, NODES);
  });
  bench('2,000 radius queries of 300 m', () => {
    for (let k = 0; k < TX; k++) sink += diskIndex.queryRadius(x[tx[k]], y[tx[k]], 300, neighbours);
  });
});

describe('channel slot, 2,000 transmitters among 10,000 nodes', () => {
  bench('unit disk, 300 m', () => {
    sink += receiveSlot(disk, diskNodes, 7, tick, tick * 0.1, tx, TX, work, out);
    tick++;
  });
  bench('3gpp urban (decode 613 m, interference 1,405 m)', () => {
    const n = receiveSlot(urban, nodes, 7, tick, tick * 0.1, tx, TX, work, out);
    stats.addReceptions(out, n, txType);
    stats.addSlotLoad(tick * 0.1, 0.1, NODES, n);
    sink += n;
    tick++;
  }, { iterations: 5, time: 0 });
});

export { sink };
