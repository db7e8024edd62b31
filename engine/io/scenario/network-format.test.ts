// The network additions of the scenario format: explicit connections, explicit signal programs,
// per-lane speed limits and fixed edge lengths; their validation messages name file, line, field.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError, type LocatedProblem } from './index.js';
import { expandNetwork } from '../../road/expand.js';
import { buildNetwork, TURN_LEFT, TURN_RIGHT, TURN_STRAIGHT } from '../../road/network.js';
import { buildSignalPrograms, SIG_GREEN, SIG_RED, SIG_YELLOW, updateSignals } from '../../road/signals.js';
import { World } from '../../sim/world.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const bad = join(here, 'fixtures', 'network-bad');
const tJunction = join(here, 'fixtures', 'network-good', 't-junction.yaml');

function problemsOf(file: string): LocatedProblem[] {
  try {
    loadScenario(file);
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
  throw new Error(`${file} was expected to fail validation`);
}

const cases: Record<string, { line: number; col: number; path: string; message: string }> = {
  'connection-unknown-edge.yaml': { line: 30, col: 36, path: 'network.connections.0.to', message: "unknown edge 'CX'" },
  'connection-lane-range.yaml': { line: 31, col: 29, path: 'network.connections.1.fromLane', message: "edge 'EC' has 1 lane(s)" },
  'connection-not-meeting.yaml': {
    line: 31,
    col: 36,
    path: 'network.connections.1.to',
    message: "edge 'EC' ends at node 'C' but edge 'EC' starts at node 'E'",
  },
  'connection-duplicate.yaml': { line: 31, col: 7, path: 'network.connections.1', message: 'the same connection as network.connections.0' },
  'connection-foe-unknown.yaml': { line: 33, col: 72, path: 'network.connections.3.foes.1', message: 'there is no connection 9 (network.connections has 4)' },
  'connection-dir.yaml': { line: 32, col: 56, path: 'network.connections.2.dir', message: `expected one of 'straight', 'right', 'left', 'uturn'` },
  'program-state-length.yaml': { line: 18, col: 35, path: 'network.nodes.3.signal.program.1.state', message: 'has 4 character(s) but there are 3 link(s)' },
  'program-state-char.yaml': { line: 19, col: 36, path: 'network.nodes.3.signal.program.2.state', message: 'one character per link, each one of G g y Y r R u o O s' },
  'program-and-cycle.yaml': { line: 14, col: 7, path: 'network.nodes.3.signal', message: 'give exactly one of cycle (a generated plan) or program' },
  'program-without-links.yaml': { line: 14, col: 7, path: 'network.nodes.3.signal.links', message: 'a program needs links' },
  'program-duration.yaml': { line: 20, col: 25, path: 'network.nodes.3.signal.program.3.duration', message: 'must be greater than 0, got 0' },
  'program-not-signal.yaml': { line: 16, col: 9, path: 'network.nodes.3.signal.program', message: 'a signal program needs control: signal' },
  'link-unknown-connection.yaml': { line: 21, col: 27, path: 'network.nodes.3.signal.links.2.1', message: 'there is no connection 7' },
  'link-other-node.yaml': { line: 9, col: 108, path: 'network.nodes.2.signal.links.0', message: "connection 0 (WC → CE) does not cross node 'S'" },
  'lane-speeds-count.yaml': { line: 27, col: 61, path: 'network.edges.4.laneSpeeds', message: 'gives 1 speed(s) for 2 lane(s)' },
  'edge-length.yaml': { line: 24, col: 69, path: 'network.edges.1.length', message: 'must be greater than 0, got -5' },
};

describe('network additions: malformed', () => {
  it('has an expectation for every fixture', () => {
    expect(readdirSync(bad).filter((f) => f.endsWith('.yaml')).sort()).toEqual(Object.keys(cases).sort());
  });
  for (const [name, want] of Object.entries(cases)) {
    it(`${name}: ${want.line}:${want.col} ${want.path}`, () => {
      const file = join(bad, name);
      const problems = problemsOf(file);
      expect(problems, JSON.stringify(problems, null, 1)).toHaveLength(1);
      expect(problems[0]).toMatchObject({ file, line: want.line, col: want.col, path: want.path });
      expect(problems[0].message).toContain(want.message);
    });
  }
});

describe('network additions: meaning', () => {
  const { scenario } = loadScenario(tJunction);
  const net = buildNetwork(expandNetwork(scenario.network));
  const edge = (id: string) => net.edgeIndex.get(id)!;
  const lane = (id: string, l: number) => net.edgeFirstLane[edge(id)] + l;

  it('a node with explicit connections has exactly those, in order, with the given or measured turn', () => {
    const c = net.nodeIndex.get('C')!;
    const conns = net.nodeConns[c];
    expect(conns.map((k) => [net.connFromLane[k], net.connToLane[k]])).toEqual([
      [lane('WC', 0), lane('CE', 0)],
      [lane('EC', 0), lane('CW', 0)],
      [lane('SC', 0), lane('CE', 0)],
      [lane('SC', 1), lane('CW', 0)],
    ]);
    expect(conns.map((k) => net.connDir[k])).toEqual([TURN_STRAIGHT, TURN_STRAIGHT, TURN_RIGHT, TURN_LEFT]);
    expect(Array.from(net.connOfSpec)).toEqual(conns);
    // no U-turns or other generated movements were added at C
    expect(net.edgeSuccessors[edge('WC')].map((e) => net.edgeIds[e])).toEqual(['CE']);
  });

  it("given foes replace the junction's geometric conflicts; merges into one lane stay", () => {
    const conflicts = (foes: (number[] | undefined)[]) => {
      const network = { ...scenario.network, connections: scenario.network.connections!.map((c, k) => ({ ...c, foes: foes[k] })) };
      const n = buildNetwork(expandNetwork(network));
      const pairs: string[] = [];
      for (let a = 0; a < n.connCount; a++)
        for (let f = n.connFoeStart[a]; f < n.connFoeStart[a + 1]; f++) if (a < n.connFoes[f]) pairs.push(`${a}-${n.connFoes[f]}${n.connFoeMerge[f] ? ' merge' : ''}`);
      return pairs.sort();
    };
    // connections: 0 WC→CE, 1 EC→CW, 2 SC→CE (right), 3 SC→CW (left)
    const merges = ['0-2 merge', '1-3 merge'];
    // from the geometry, the left turn from the stem also crosses the through movement WC→CE
    expect(conflicts([])).toEqual(['0-2 merge', '0-3', '1-3 merge']);
    // SUMO's matrix saying it does not: only the merges remain
    expect(conflicts([[], [], [], []])).toEqual(merges);
    // a foe named on one side is a conflict for both
    expect(conflicts([[], [], [], [0]])).toEqual(['0-2 merge', '0-3', '1-3 merge']);
  });

  it('nodes without explicit connections keep generated ones', () => {
    // W is a dead end with one edge in and one out: nothing is generated there, as before
    const s = net.nodeIndex.get('S')!;
    expect(net.nodeConns[s]).toEqual([]);
  });

  it('per-lane speeds and a fixed length', () => {
    expect(net.laneSpeed[lane('SC', 0)]).toBe(10);
    expect(net.laneSpeed[lane('SC', 1)]).toBe(13.9);
    expect(net.edgeLength[edge('CE')]).toBe(210);
    expect(net.laneLength[lane('CE', 0)]).toBe(210);
    expect(net.edgeLength[edge('EC')]).toBeCloseTo(200, 9);
  });

  it('the program drives the state of each linked connection, a link with two connections for both', () => {
    const { programs } = buildSignalPrograms(net);
    expect(programs).toHaveLength(1);
    expect(programs[0].cycle).toBe(56);
    const state = new Uint8Array(net.connCount);
    const [we, ew, right, left] = net.nodeConns[net.nodeIndex.get('C')!];
    const at = (t: number) => {
      updateSignals(programs, t, state);
      return [state[we], state[ew], state[right], state[left]];
    };
    expect(at(0)).toEqual([SIG_GREEN, SIG_GREEN, SIG_RED, SIG_RED]);
    expect(at(31)).toEqual([SIG_YELLOW, SIG_YELLOW, SIG_RED, SIG_RED]);
    expect(at(40)).toEqual([SIG_RED, SIG_RED, SIG_GREEN, SIG_GREEN]);
    expect(at(54)).toEqual([SIG_RED, SIG_RED, SIG_YELLOW, SIG_YELLOW]);
    expect(at(56 + 1)).toEqual([SIG_GREEN, SIG_GREEN, SIG_RED, SIG_RED]);
  });

  it('vehicles stop at the red of an explicit program and go at its green', () => {
    const world = new World(scenario);
    const departLane = new Map<number, string>();
    const arrival = new Map<string, { time: number; waiting: number }>();
    world.events$.subscribe((e) => {
      if (e.kind === 'depart') departLane.set(e.id, e.lane);
      if (e.kind === 'arrive') arrival.set(departLane.get(e.id)!.replace(/_\d+$/, ''), { time: e.time, waiting: e.waitingTime });
    });
    world.run();
    // the left turner from the stem SC has red until 33 s: it waits at the line, then drives
    // the 200 m of CW at no more than 13.9 m/s; the through vehicle from WC has green at once
    expect(arrival.get('SC')!.time).toBeGreaterThan(33 + 200 / 13.9);
    expect(arrival.get('SC')!.waiting).toBeGreaterThan(5);
    expect(arrival.get('WC')!.time).toBeLessThan(40);
    expect(arrival.get('WC')!.waiting).toBe(0);
    expect(world.redViolations).toBe(0);
    expect(world.totals.collisions).toBe(0);
  });
});
