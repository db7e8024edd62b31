// Unit tests of what the junction panel, the route and the warning heat map compute: the signals
// as signals.csv recorded them (and the fall-back to the fixed-time program), a route cut where
// the vehicle is, the heat grid's counts, and the frame meter's figures.
import { describe, expect, it } from 'vitest';
import { SignalLog } from './src/signal-log.js';
import { renderJunction } from './src/junction-panel.js';
import { programAt } from './src/signal-program.js';
import { countUpTo, nextReroute, splitPath } from './src/route-layer.js';
import { HeatGrid, poolFactor } from './src/warning-heat.js';
import { FpsMeter } from './src/fps-meter.js';
import type { NetworkJson } from './src/network.js';

const CSV = `time,junction,program,phase,state
0,J1,0,0,GGrr
0,J2,0,0,rrGG
7.5,J1,0,1,yyrr
10.5,J1,0,2,rrGG
12,J2,external,3,GGrr
31,J1,0,3,rryy
`;

const net = {
  nodes: [
    { id: 'J1', x: 0, y: 0, control: 'signal' },
    { id: 'J2', x: 100, y: 0, control: 'signal' },
  ],
  edges: [],
  signals: [
    { node: 'J1', cycle: 60, offset: 0, phases: [{ name: 'NS', green: 27 }, { name: 'EW', green: 27 }], connections: [0, 1, 2, 3], starts: [0, 27, 30, 57], states: ['GGrr', 'yyrr', 'rrGG', 'rryy'], controller: 'actuated' },
    { node: 'J3', cycle: 60, offset: 0, phases: [{ name: 'A', green: 27 }, { name: 'B', green: 27 }], connections: [0, 1, 2, 3], starts: [0, 27, 30, 57], states: ['GGrr', 'yyrr', 'rrGG', 'rryy'] },
  ],
} as unknown as NetworkJson;

/** renderJunction's HTML (it writes only innerHTML) */
const panel = (id: string, t: number, log: SignalLog | null) => {
  const el = { innerHTML: '' } as HTMLElement;
  renderJunction(el, id, net, t, null, log);
  return el.innerHTML;
};
const cell = (html: string, id: string) => new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];

describe('signals.csv in the junction panel', () => {
  const log = new SignalLog(CSV);

  it('finds the switch in force at any time, the next one and the ones before, per junction', () => {
    expect(log.at('J1', 0)!.current).toEqual({ time: 0, program: '0', phase: 0, state: 'GGrr' });
    const r = log.at('J1', 20)!;
    expect(r.current.phase).toBe(2);
    expect(r.next!.time).toBe(31);
    expect(r.before.map((s) => s.time)).toEqual([7.5, 0]);
    expect(log.at('J1', 10.5)!.current.phase).toBe(2);
    expect(log.at('J1', 10.49)!.current.phase).toBe(1);
    expect(log.at('J1', 99)!.next).toBeNull();
    expect(log.at('J2', 20)!.current.program).toBe('external');
    expect(log.at('J3', 20)).toBeNull();
    expect(log.at('J1', -1)).toBeNull();
    expect(log.switches('J1').length).toBe(4);
  });

  it('the panel shows the recorded interval, not the fixed-time clock, with the time since and until the switches', () => {
    const html = panel('J1', 20, log);
    // the program's clock says the first green (NS, 20 s into the cycle); the record says interval 2 (EW) since 10.5 s
    expect(programAt(net.signals[0], 20).phase).toBe('NS');
    expect(html).toContain('data-source="signals.csv"');
    expect(cell(html, 'junction-phase')).toBe('EW');
    expect(cell(html, 'junction-part')).toBe('green');
    expect(cell(html, 'junction-interval')).toBe('2');
    expect(cell(html, 'junction-since')).toBe('9.5');
    expect(cell(html, 'junction-left')).toBe('11.0');
    expect(html).toContain('data-state="rrGG"');
    expect(html).toContain('actuated');
    // the switches table: the current one marked, then the older ones
    const from = html.indexOf('id="junction-switches"');
    const switches = html.slice(from, html.indexOf('</table>', from));
    // the header, the current switch (10.5 s), the two before it
    expect((switches.match(/<tr/g) ?? []).length).toBe(1 + 3);
    expect(switches).toMatch(/<tr class="now"><td>10.5<\/td>/);
    expect(cell(panel('J1', 8, log), 'junction-part')).toBe('yellow');
    // after the last switch: nothing later recorded
    expect(cell(panel('J1', 40, log), 'junction-left')).toBe('–');
  });

  it('a held program shows the controller table index; a junction not in the file falls back to the program', () => {
    expect(cell(panel('J2', 20, log), 'junction-phase')).toBe('external #3');
    const fallback = panel('J3', 20, log);
    expect(fallback).toContain('data-source="program"');
    expect(cell(fallback, 'junction-phase')).toBe('A');
    expect(cell(fallback, 'junction-left')).toBe('7.0');
    // no signals.csv at all: the program, with a note when a controller runs it
    const none = panel('J1', 20, null);
    expect(none).toContain('data-source="program"');
    expect(none).toContain('the actuated controller');
  });

  it('bad input names the file, the line and the field', () => {
    expect(() => new SignalLog('time,junction,program,state\n0,J1,0,GG\n')).toThrow('signals.csv: line 1: no column phase');
    expect(() => new SignalLog('time,junction,program,phase,state\nx,J1,0,0,GG\n')).toThrow('signals.csv: line 2: time is not a number ("x")');
    expect(() => new SignalLog('time,junction,program,phase,state\n0,J1,0,-1,GG\n')).toThrow('signals.csv: line 2: phase is not an interval index ("-1")');
    expect(() => new SignalLog('time,junction,program,phase,state\n0,J1,0,0,GX\n')).toThrow('signals.csv: line 2: state is not a string of G g y r ("GX")');
    expect(() => new SignalLog('time,junction,program,phase,state\n5,J1,0,0,GG\n4,J1,0,1,rr\n')).toThrow('signals.csv: line 3: time 4 is before');
  });
});

describe('the route cut where the vehicle is', () => {
  // points at x = 0, 10, 20, 30, 40 seen at 0, 1, 2, 3, 4 s
  const path = { pts: [0, 0, 0.5, 10, 0, 0.5, 20, 0, 0.5, 30, 0, 0.5, 40, 0, 0.5], times: [0, 1, 2, 3, 4] };
  const xs = (p: number[]) => p.filter((_, k) => k % 3 === 0);

  it('driven: the points up to now and the vehicle; ahead: from the vehicle on', () => {
    const r = splitPath(path, 2.5, { x: 25, y: 0 }, Infinity);
    expect(xs(r.driven)).toEqual([0, 10, 20, 25]);
    expect(xs(r.ahead)).toEqual([25, 30, 40]);
  });

  it('ahead ends at the next reroute; before departure all is ahead, after arrival all is driven', () => {
    expect(xs(splitPath(path, 1.5, { x: 15, y: 0 }, 3).ahead)).toEqual([15, 20, 30]);
    expect(nextReroute([1, 3], 1.5)).toBe(3);
    expect(nextReroute([1, 3], 3)).toBe(Infinity);
    const before = splitPath(path, -1, null, Infinity);
    expect(before.driven).toEqual([]);
    expect(xs(before.ahead)).toEqual([0, 10, 20, 30, 40]);
    const after = splitPath(path, 9, null, Infinity);
    expect(xs(after.driven)).toEqual([0, 10, 20, 30, 40]);
    expect(after.ahead).toEqual([]);
    expect(countUpTo(path.times, 2)).toBe(3);
  });
});

describe('the heat grid of warnings received', () => {
  const box = { minX: 0, minY: 0, maxX: 100, maxY: 100 };
  const ws = [
    { time: 1, x: 10, y: 10, type: 'v2x.warning' },
    { time: 2, x: 12, y: 14, type: 'v2x.warning' },
    { time: 3, x: 60, y: 10, type: 'v2x.warning' },
    { time: 4, x: 500, y: 10, type: 'v2x.warning' },
  ];

  it('counts each warning in its 25 m cell and half in the four beside, up to the time asked, forward and back', () => {
    const g = new HeatGrid(ws, box);
    expect([g.nx, g.ny]).toEqual([4, 4]);
    // two warnings in cell (0,0): 2; the third's neighbour (1,0) gets 0.5 and (0,0)'s neighbour (1,0) 2 × 0.5
    expect(g.maxHeat).toBe(2);
    expect(g.seek(0.5)).toBe(false);
    expect(g.seek(2)).toBe(true);
    expect(g.heat[0]).toBe(2);
    expect(g.heat[1]).toBe(1);
    expect(g.heat[4]).toBe(1);
    expect(g.cellsWarned()).toBe(1);
    g.seek(10);
    expect(g.applied).toBe(4);
    expect(g.heat[2]).toBe(1);
    expect(g.heat[1]).toBe(1.5);
    expect(g.cellsWarned()).toBe(2); // the one outside the box is not drawn
    g.seek(1);
    expect(g.applied).toBe(1);
    expect(g.heat[0]).toBe(1);
    expect(g.heat[2]).toBe(0);
  });

  it('zoomed out, pools the grid in blocks of 2ⁿ cells, each as hot as its hottest, so a texel stays 8 px wide', () => {
    const g = new HeatGrid(ws, box);
    g.seek(10);
    // cells (row 0): 2, 1.5, 1, 0.5; row 1: 1, 0, 0.5, 0
    const p2 = g.pooled(2);
    expect([p2.nx, p2.ny]).toEqual([2, 2]);
    expect(Array.from(p2.heat)).toEqual([2, 1, 0, 0]);
    const p8 = g.pooled(8);
    expect([p8.nx, p8.ny]).toEqual([1, 1]);
    expect(p8.heat[0]).toBe(g.maxHeat);
    expect(g.pooled(1).heat).toBe(g.heat);
    expect(poolFactor(25, 1)).toBe(1); // 25 px
    expect(poolFactor(25, 4)).toBe(2); // 6.25 px → 12.5 px
    expect(poolFactor(25, 5)).toBe(2);
    expect(poolFactor(25, 7)).toBe(4); // 3.6 px → 14.3 px
    expect(poolFactor(25, 1e6)).toBe(64);
  });
});

describe('the frame meter', () => {
  it('counts the pictures of the last second and gives the medians and maxima of the last 2 s', () => {
    const m = new FpsMeter();
    // a picture every 100 ms for 3 s, the work 2 ms but 9 ms every tenth
    for (let k = 0; k <= 30; k++) m.picture(k * 100, k % 10 === 5 ? 9 : 2);
    const r = m.read(3000);
    expect(r.fps).toBe(11); // 2000, 2100, …, 3000
    expect(r.intervalMs).toBeCloseTo(100, 9);
    expect(r.intervalMaxMs).toBeCloseTo(100, 9);
    expect(r.workMs).toBe(2);
    expect(r.workMaxMs).toBe(9);
    expect(m.read(10_000).fps).toBe(0);
    expect(m.read(10_000).workMs).toBeNaN();
  });
});
