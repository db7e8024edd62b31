// The network builder: grid generator counts, lanes, turn classification and lane assignment at a
// four-way node (right-hand traffic, lane 0 rightmost, y north), the ring's single closed edge,
// and routing (connected, fastest paths, checked against an independent Dijkstra).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../io/scenario/index.js';
import { expandNetwork } from './expand.js';
import { buildNetwork, connectionTo, TURN_LEFT, TURN_RIGHT, TURN_STRAIGHT, TURN_UTURN, type Network } from './network.js';
import { Router, fringeEdges } from './routing.js';

function scenarioWith(network: string) {
  return parseScenario(
    `
name: net-test
duration: 10
network:
${network}
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 1, decel: 2, headway: 1.5, minGap: 2 }
`,
    'net-test.yaml',
  ).scenario;
}

function gridNet(rows: number, cols: number, lanes: number, spacing = 200, signals = false): Network {
  const sig = signals ? ', signals: { cycle: 60, yellow: 3 }' : '';
  const s = scenarioWith(`  grid: { rows: ${rows}, cols: ${cols}, spacing: ${spacing}, lanes: ${lanes}, speedLimit: 13.89${sig} }`);
  return buildNetwork(expandNetwork(s.network));
}

const edge = (net: Network, id: string) => {
  const e = net.edgeIndex.get(id);
  if (e === undefined) throw new Error(`no edge ${id}`);
  return e;
};

/** Connections leaving edge `from` at its end node, as [to-edge id, dir, from lane index, to lane index]. */
function movesFrom(net: Network, from: string): [string, number, number, number][] {
  const e = edge(net, from);
  const out: [string, number, number, number][] = [];
  for (let c = 0; c < net.connCount; c++)
    if (net.connFromEdge[c] === e) out.push([net.edgeIds[net.connToEdge[c]], net.connDir[c], net.laneIndex[net.connFromLane[c]], net.laneIndex[net.connToLane[c]]]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[2] - b[2]));
}

describe('grid generator', () => {
  for (const [rows, cols, lanes] of [
    [1, 1, 1],
    [2, 3, 1],
    [3, 2, 2],
    [4, 4, 3],
    [8, 8, 2],
  ] as const) {
    it(`${rows}×${cols} with ${lanes} lane(s): node, edge and lane counts`, () => {
      const net = gridNet(rows, cols, lanes);
      const inner = rows * cols;
      const fringeNodes = 2 * (rows + cols);
      const innerEdges = 2 * (rows * (cols - 1) + cols * (rows - 1));
      const fringeEdgeCount = 4 * (rows + cols);
      expect(net.nodeIds.length).toBe(inner + fringeNodes);
      expect(net.nodeIds.filter((n) => /^r\d+c\d+$/.test(n))).toHaveLength(inner);
      expect(net.nodeIds.filter((n) => /^[snwe]\d+$/.test(n))).toHaveLength(fringeNodes);
      expect(net.edgeIds.length).toBe(innerEdges + fringeEdgeCount);
      expect(net.edgeIds.filter((id) => /^r\d+c\d+-r\d+c\d+$/.test(id))).toHaveLength(innerEdges);
      expect(net.laneCount).toBe(lanes * (innerEdges + fringeEdgeCount));
      for (let e = 0; e < net.edgeIds.length; e++) {
        expect(net.edgeLanes[e]).toBe(lanes);
        expect(net.edgeLength[e]).toBeCloseTo(200, 9);
        for (let l = 0; l < lanes; l++) {
          const lane = net.edgeFirstLane[e] + l;
          expect(net.laneEdge[lane]).toBe(e);
          expect(net.laneIndex[lane]).toBe(l);
          expect(net.laneLength[lane]).toBeCloseTo(200, 9);
        }
      }
      // every fringe node has one entry edge and one exit edge; random trips use them
      const { sources, sinks } = fringeEdges(net);
      expect(sources).toHaveLength(fringeNodes);
      expect(sinks).toHaveLength(fringeNodes);
      for (const e of sources) expect(net.edgeIds[e]).toMatch(/^[snwe]\d+-r\d+c\d+$/);
      for (const e of sinks) expect(net.edgeIds[e]).toMatch(/^r\d+c\d+-[snwe]\d+$/);
    });
  }

  it('names and places nodes and edges as the contract says', () => {
    const net = gridNet(2, 3, 1, 150);
    const at = (id: string) => {
      const n = net.nodeIndex.get(id)!;
      return [net.nodeX[n], net.nodeY[n]];
    };
    expect(at('r0c0')).toEqual([0, 0]);
    expect(at('r1c2')).toEqual([300, 150]);
    expect(at('s1')).toEqual([150, -150]);
    expect(at('n1')).toEqual([150, 300]);
    expect(at('w1')).toEqual([-150, 150]);
    expect(at('e0')).toEqual([450, 0]);
    for (const id of ['r0c0-r0c1', 'r0c1-r0c0', 'r0c0-r1c0', 'r1c0-r0c0', 's0-r0c0', 'r0c0-s0', 'n2-r1c2', 'r1c2-n2', 'w1-r1c0', 'e0-r0c2'])
      expect(net.edgeIndex.has(id), id).toBe(true);
    expect(net.edgeIndex.has('r0c0-r1c1')).toBe(false); // no diagonals
  });

  it('signals: every inner node is signal-controlled, fringe nodes are not', () => {
    const net = gridNet(2, 2, 1, 200, true);
    for (let n = 0; n < net.nodeIds.length; n++) expect(net.nodeSignal[n] !== undefined).toBe(/^r\d+c\d+$/.test(net.nodeIds[n]));
  });
});

describe('turns and lane assignment at a four-way grid node', () => {
  // r1c1 of a 3×3 grid has four arms: from the west r1c0, east r1c2, south r0c1, north r2c1
  const approaches: [string, { straight: string; right: string; left: string }][] = [
    ['r1c0-r1c1', { straight: 'r1c1-r1c2', right: 'r1c1-r0c1', left: 'r1c1-r2c1' }], // eastbound
    ['r1c2-r1c1', { straight: 'r1c1-r1c0', right: 'r1c1-r2c1', left: 'r1c1-r0c1' }], // westbound
    ['r0c1-r1c1', { straight: 'r1c1-r2c1', right: 'r1c1-r1c2', left: 'r1c1-r1c0' }], // northbound
    ['r2c1-r1c1', { straight: 'r1c1-r0c1', right: 'r1c1-r1c0', left: 'r1c1-r1c2' }], // southbound
  ];

  it('one lane: each approach has exactly a straight, a right and a left movement, no U-turn', () => {
    const net = gridNet(3, 3, 1);
    for (const [from, to] of approaches) {
      expect(movesFrom(net, from)).toEqual(
        [
          [to.straight, TURN_STRAIGHT, 0, 0],
          [to.right, TURN_RIGHT, 0, 0],
          [to.left, TURN_LEFT, 0, 0],
        ].sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
      );
    }
    const node = net.nodeIndex.get('r1c1')!;
    expect(net.nodeConns[node]).toHaveLength(12);
    for (const c of net.nodeConns[node]) expect(net.connDir[c]).not.toBe(TURN_UTURN);
  });

  it('two lanes: right turns from lane 0 into lane 0, left turns from lane 1 into lane 1, straight from both lanes', () => {
    const net = gridNet(3, 3, 2);
    for (const [from, to] of approaches) {
      const moves = movesFrom(net, from);
      expect(moves.filter((m) => m[0] === to.right)).toEqual([[to.right, TURN_RIGHT, 0, 0]]);
      expect(moves.filter((m) => m[0] === to.left)).toEqual([[to.left, TURN_LEFT, 1, 1]]);
      expect(moves.filter((m) => m[0] === to.straight)).toEqual([
        [to.straight, TURN_STRAIGHT, 0, 0],
        [to.straight, TURN_STRAIGHT, 1, 1],
      ]);
      expect(moves).toHaveLength(4);
      // connectionTo agrees
      const e = edge(net, from);
      expect(connectionTo(net, net.edgeFirstLane[e], edge(net, to.left))).toBe(-1);
      expect(connectionTo(net, net.edgeFirstLane[e] + 1, edge(net, to.right))).toBe(-1);
      expect(connectionTo(net, net.edgeFirstLane[e] + 1, edge(net, to.left))).toBeGreaterThanOrEqual(0);
    }
  });

  it('foes: a straight movement crosses both cross-street straights and the opposing left, never its own approach', () => {
    const net = gridNet(3, 3, 1);
    const connOf = (from: string, to: string) => connectionTo(net, net.edgeFirstLane[edge(net, from)], edge(net, to));
    const eastStraight = connOf('r1c0-r1c1', 'r1c1-r1c2');
    const foes = new Set<number>();
    for (let f = net.connFoeStart[eastStraight]; f < net.connFoeStart[eastStraight + 1]; f++) foes.add(net.connFoes[f]);
    expect(foes.has(connOf('r0c1-r1c1', 'r1c1-r2c1'))).toBe(true); // northbound straight
    expect(foes.has(connOf('r2c1-r1c1', 'r1c1-r0c1'))).toBe(true); // southbound straight
    expect(foes.has(connOf('r1c2-r1c1', 'r1c1-r0c1'))).toBe(true); // westbound left
    expect(foes.has(connOf('r1c2-r1c1', 'r1c1-r1c0'))).toBe(false); // opposing straight: parallel
    expect(foes.has(connOf('r1c0-r1c1', 'r1c1-r0c1'))).toBe(false); // own right turn
    // the southbound right turn (to the west) neither crosses nor merges
    expect(foes.has(connOf('r2c1-r1c1', 'r1c1-r1c0'))).toBe(false);
    expect(foes.has(connOf('r0c1-r1c1', 'r1c1-r1c2'))).toBe(true); // northbound right merges into r1c1-r1c2
    // the relation is symmetric
    for (let c = 0; c < net.connCount; c++)
      for (let f = net.connFoeStart[c]; f < net.connFoeStart[c + 1]; f++) {
        const o = net.connFoes[f];
        let back = false;
        for (let g = net.connFoeStart[o]; g < net.connFoeStart[o + 1]; g++) if (net.connFoes[g] === c) back = true;
        expect(back).toBe(true);
      }
  });
});

describe('ring', () => {
  it('is one closed edge with id "ring" of exactly the given length', () => {
    for (const [length, lanes] of [
      [230, 1],
      [1000, 3],
      [123.456, 2],
    ] as const) {
      const s = scenarioWith(`  ring: { length: ${length}, lanes: ${lanes}, speedLimit: 30 }`);
      const net = buildNetwork(expandNetwork(s.network));
      expect(net.edgeIds).toEqual(['ring']);
      expect(net.edgeLength[0]).toBe(length);
      expect(net.edgeFrom[0]).toBe(net.edgeTo[0]);
      expect(net.laneCount).toBe(lanes);
      for (let l = 0; l < lanes; l++) {
        expect(net.laneLength[l]).toBe(length);
        // each lane leads back onto the ring
        expect(connectionTo(net, l, 0)).toBeGreaterThanOrEqual(0);
      }
      expect(net.edgeSuccessors[0]).toEqual([0]);
    }
  });
});

describe('routing', () => {
  /** Independent shortest travel time: Dijkstra on the edge graph (O(n²), no heap). */
  function fastest(net: Network, from: number, to: number): number {
    const n = net.edgeIds.length;
    const cost = (e: number) => net.edgeLength[e] / net.edgeSpeed[e];
    const dist = new Array<number>(n).fill(Infinity);
    const done = new Array<boolean>(n).fill(false);
    dist[from] = 0;
    for (;;) {
      let u = -1;
      for (let e = 0; e < n; e++) if (!done[e] && dist[e] < Infinity && (u < 0 || dist[e] < dist[u])) u = e;
      if (u < 0) return Infinity;
      if (u === to) return dist[u];
      done[u] = true;
      for (let c = 0; c < net.connCount; c++)
        if (net.connFromEdge[c] === u) {
          const v = net.connToEdge[c];
          if (dist[u] + cost(v) < dist[v]) dist[v] = dist[u] + cost(v);
        }
    }
  }

  const routeCost = (net: Network, r: Int32Array) => {
    let t = 0;
    for (let k = 1; k < r.length; k++) t += net.edgeLength[r[k]] / net.edgeSpeed[r[k]];
    return t;
  };
  const connected = (net: Network, r: Int32Array) => {
    for (let k = 1; k < r.length; k++) {
      let ok = false;
      for (let c = 0; c < net.connCount; c++) if (net.connFromEdge[c] === r[k - 1] && net.connToEdge[c] === r[k]) ok = true;
      if (!ok) return false;
    }
    return true;
  };

  it('on a grid: every fringe-to-fringe route is connected and as fast as the fastest path', () => {
    const net = gridNet(3, 4, 1);
    const router = new Router(net);
    const { sources, sinks } = fringeEdges(net);
    let checked = 0;
    for (const a of sources)
      for (const b of sinks) {
        const r = router.route(a, b);
        expect(r).not.toBeNull();
        expect(r![0]).toBe(a);
        expect(r![r!.length - 1]).toBe(b);
        expect(connected(net, r!)).toBe(true);
        expect(routeCost(net, r!)).toBeCloseTo(fastest(net, a, b), 9);
        // no edge twice on a fastest path
        expect(new Set(r!).size).toBe(r!.length);
        checked++;
      }
    expect(checked).toBe(14 * 14);
    // a Manhattan example: from the south of column 0 to the east of row 2: the entry edge,
    // 2 blocks north and 3 east, the exit edge (route cost counts the edges after the first)
    const r = router.route(edge(net, 's0-r0c0'), edge(net, 'r2c3-e2'))!;
    expect(r.length).toBe(1 + 2 + 3 + 1);
    expect(routeCost(net, r)).toBeCloseTo((6 * 200) / 13.89, 9);
  });

  it('prefers a longer but faster road, and finds no route where the network does not connect', () => {
    const s = scenarioWith(`  nodes:
    - { id: A, x: 0, y: 0 }
    - { id: B, x: 1000, y: 0 }
    - { id: M, x: 500, y: 400 }
    - { id: Z, x: 2000, y: 0 }
    - { id: Q, x: 3000, y: 3000 }
    - { id: R, x: 3100, y: 3000 }
  edges:
    - { id: start, from: Z, to: A, lanes: 1, speedLimit: 20 }
    - { id: slow, from: A, to: B, lanes: 1, speedLimit: 5 }
    - { id: up, from: A, to: M, lanes: 1, speedLimit: 30 }
    - { id: down, from: M, to: B, lanes: 1, speedLimit: 30 }
    - { id: end, from: B, to: Z, lanes: 1, speedLimit: 20 }
    - { id: island, from: Q, to: R, lanes: 1, speedLimit: 20 }`);
    const net = buildNetwork(expandNetwork(s.network));
    const router = new Router(net);
    const r = router.route(edge(net, 'start'), edge(net, 'end'))!;
    expect(Array.from(r, (e) => net.edgeIds[e])).toEqual(['start', 'up', 'down', 'end']);
    expect(routeCost(net, r)).toBeCloseTo(fastest(net, edge(net, 'start'), edge(net, 'end')), 9);
    expect(router.route(edge(net, 'start'), edge(net, 'island'))).toBeNull();
    expect(router.route(edge(net, 'slow'), edge(net, 'slow'))).toEqual(Int32Array.of(edge(net, 'slow')));
  });
});

describe('lane setback: where a lane starts past its from-node', () => {
  it('is 0 on a generated grid (lanes run node to node)', () => {
    const net = gridNet(2, 2, 2);
    expect(Math.max(...net.laneSetback)).toBeCloseTo(0, 9);
  });

  it('is the distance along the lane from the node to the shape start (imported junction interiors), never negative', () => {
    const s = scenarioWith(`  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 100, y: 0 }, { id: c, x: 100, y: 100 } ]
  edges:
    - { id: ab, from: a, to: b, lanes: 2, speedLimit: 10, shape: [[12, 3], [88, 3]] }
    - { id: bc, from: b, to: c, lanes: 1, speedLimit: 10, shape: [[100, 95], [100, 80], [100, 20]] }`);
    const net = buildNetwork(expandNetwork(s.network));
    const lanesOf = (id: string) => Array.from({ length: net.edgeLanes[net.edgeIndex.get(id)!] }, (_, l) => net.laneSetback[net.edgeFirstLane[net.edgeIndex.get(id)!] + l]);
    // 12 m along the lane from a (the 3 m sideways offset does not count), for both lanes
    expect(lanesOf('ab')).toEqual([12, 12]);
    // a shape whose first segment heads back towards its node (the node lies 95 m ahead along it): 0
    expect(lanesOf('bc')[0]).toBe(0);
  });
});
