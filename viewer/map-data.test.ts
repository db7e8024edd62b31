// Unit tests of the viewer's map data: measured RSU coverage from v2x.csv, per-interval tables
// (edges.csv, junctions.csv), a fixed-time signal program read at a time, and map picking.
import { describe, expect, it } from 'vitest';
import { parseCoverage, radiusAt } from './src/rsu-coverage.js';
import { IntervalTable } from './src/interval-table.js';
import { intervalPhases, programAt } from './src/signal-program.js';
import { MapPicker } from './src/map-pick.js';
import { projectOnto, sectionOf } from './src/road-geometry.js';
import type { NetworkJson } from './src/network.js';

describe('RSU coverage from v2x.csv', () => {
  // the Laoshan hour's SPAT bins (first ones), a BSM row that must be left out, and the open bin
  const csv = [
    'type,distanceFrom,distanceTo,sent,received,pdr,meanLatencyMs',
    'bsm,0,25,113289,108041,0.9537,4.999',
    'spat,0,25,183640,158931,0.8654,4.999',
    'spat,25,50,73791,56973,0.7721,4.991',
    'spat,50,75,48357,34551,0.7145,4.994',
    'spat,100,125,45005,26115,0.5803,5.024',
    'spat,75,100,43326,29002,0.6694,4.983',
    'spat,125,150,50453,21911,0.4343,4.999',
    'map,0,25,1000,990,0.99,5',
    'spat,150,175,0,0,,',
    'spat,175,200,60559,10173,0.1680,5.026',
    'spat,200,225,72807,8404,0.1154,4.973',
    'spat,225,250,77070,6201,0.0805,5.012',
    'spat,250,inf,10,0,0,',
  ].join('\n');

  it('pools the RSU message types, leaves BSM and the open bin out, and finds the radius of each level', () => {
    const c = parseCoverage(csv);
    expect(c.types).toEqual(['map', 'spat']);
    expect(c.bins[0]).toEqual({ from: 0, to: 25, sent: 184640, received: 159921 });
    // 0–25: 86.6 % (< 90 %): no 90 % radius; ≥ 50 % out to 125 m (100–125: 58 %, 125–150: 43 %);
    // ≥ 10 % out to 225 m (the empty 150–175 bin says nothing; 225–250: 8 %)
    expect(c.radii).toEqual([0, 125, 225]);
  });

  it('a damaged number names the line', () => {
    expect(() => parseCoverage('type,distanceFrom,distanceTo,sent,received\nspat,0,25,x,1')).toThrow('v2x.csv: line 2: sent is not a number ("x")');
    expect(() => parseCoverage('type,distanceFrom\nspat,0')).toThrow('v2x.csv: no column distanceTo');
  });

  it('radiusAt stops at the first bin below the level', () => {
    const bins = [
      { from: 0, to: 25, sent: 10, received: 10 },
      { from: 25, to: 50, sent: 10, received: 4 },
      { from: 50, to: 75, sent: 10, received: 9 },
    ];
    expect(radiusAt(bins, 0.5)).toBe(25);
    expect(radiusAt(bins, 0.3)).toBe(75);
  });
});

describe('per-interval tables', () => {
  const edges = ['begin,end,edge,entered,left,flow,density,speed,waitingTime,timeLoss,halts', '0,300,e1,10,8,96,5.2,11.5,3,12,1', '300,600,e1,4,5,60,2,,0,0,0', '0,300,e2,1,1,12,0.4,13.9,0,1,0'].join('\n');

  it('finds the row of an edge in the interval holding t; an empty cell stays empty', () => {
    const t = new IntervalTable('edges.csv', edges, 'edge');
    expect(t.at('e1', 0)[0].cells.speed).toBe('11.5');
    expect(t.at('e1', 299.9)[0].cells.flow).toBe('96');
    expect(t.at('e1', 300)[0].cells.speed).toBe('');
    expect(t.at('e1', 600)[0].begin).toBe(300); // the last interval includes its end
    expect(t.at('e2', 400)).toEqual([]);
    expect(t.at('nope', 10)).toEqual([]);
    expect(t.intervalAt(450)).toEqual({ begin: 300, end: 600 });
    expect(t.values('speed').sort()).toEqual([11.5, 13.9]);
  });

  it('bad rows name the file, line and field', () => {
    expect(() => new IntervalTable('edges.csv', 'begin,end,edge\n0,x,e1', 'edge')).toThrow('edges.csv: line 2: end is not a number at or after begin ("x")');
    expect(() => new IntervalTable('junctions.csv', 'begin,end\n0,1', 'junction')).toThrow('junctions.csv: line 1: no column junction');
  });
});

describe('signal program at a time', () => {
  // Laoshan's B1 as network.json writes it
  const b1 = {
    node: 'B1',
    cycle: 90,
    offset: 0,
    phases: [
      { name: 'axis0-through', green: 37.5 },
      { name: 'axis0-left', green: 12.5 },
      { name: 'axis1-through', green: 25 },
    ],
    connections: [0, 1, 2, 3],
    starts: [0, 37.5, 40.5, 42.5, 55, 58, 60, 85, 88],
    states: ['GGrr', 'yyrr', 'rrrr', 'rrGr', 'rryr', 'rrrr', 'rrrG', 'rrry', 'rrrr'],
  };

  it('groups each green with the change intervals after it', () => {
    expect(intervalPhases(b1)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });

  it('phase, part and time left: hand-worked', () => {
    expect(programAt(b1, 100)).toMatchObject({ cycleTime: 10, interval: 0, phase: 'axis0-through', part: 'green', left: 27.5 });
    expect(programAt(b1, 90 * 3 + 39)).toMatchObject({ phase: 'axis0-through', part: 'yellow', left: 1.5 });
    expect(programAt(b1, 41)).toMatchObject({ phase: 'axis0-through', part: 'all red', left: 1.5 });
    expect(programAt(b1, 89)).toMatchObject({ phase: 'axis1-through', part: 'all red', left: 1 });
    // an offset shifts the cycle: (t − offset) mod cycle, as the engine counts
    expect(programAt({ ...b1, offset: 20 }, 10)).toMatchObject({ cycleTime: 80, phase: 'axis1-through', part: 'green', left: 5 });
  });
});

describe('map geometry and picking', () => {
  const net: NetworkJson = {
    version: 1,
    bbox: { minX: -10, minY: -10, maxX: 210, maxY: 10 },
    laneWidth: 3.2,
    nodes: [
      { id: 'A', x: 0, y: 0, control: 'priority' },
      { id: 'B', x: 100, y: 0, control: 'signal' },
      { id: 'C', x: 200, y: 0, control: 'priority' },
    ],
    edges: [
      { id: 'AB', name: 'Main', from: 'A', to: 'B', lanes: 1, speedLimit: 13.9, length: 90, shape: [[0, -1.6], [90, -1.6]] },
      { id: 'BC', name: 'Main', from: 'B', to: 'C', lanes: 1, speedLimit: 13.9, length: 90, shape: [[110, -1.6], [200, -1.6]] },
    ],
    lanes: [
      { id: 'AB_0', edge: 'AB', index: 0, length: 90, shape: [[0, -1.6], [90, -1.6]] },
      { id: 'BC_0', edge: 'BC', index: 0, length: 90, shape: [[110, -1.6], [200, -1.6]] },
    ],
    connections: [],
    signals: [],
  };

  it('projects onto a polyline and cuts a section of it', () => {
    expect(projectOnto([[0, 0], [10, 0], [10, 10]], 12, 5)).toEqual({ along: 15, off: 2 });
    expect(sectionOf([[0, 0], [10, 0], [10, 10]], 8, 1, 6)).toEqual([[8, 0], [10, 0], [10, 4]]);
  });

  it('a click at a signalised node is its junction; on a lane, that lane’s edge; elsewhere nothing', () => {
    const p = new MapPicker(net);
    expect(p.at(101, 2, 0.1)).toEqual({ kind: 'junction', id: 'B' });
    expect(p.at(50, -1, 0.1)).toEqual({ kind: 'edge', id: 'AB', lane: 'AB_0' });
    expect(p.at(150, -3, 0.1)).toEqual({ kind: 'edge', id: 'BC', lane: 'BC_0' });
    expect(p.at(50, 30, 0.1)).toBeNull();
    // zoomed far out (5 m a pixel) a click 30 m from B still hits it
    expect(p.at(100, 30, 5)).toEqual({ kind: 'junction', id: 'B' });
  });
});
