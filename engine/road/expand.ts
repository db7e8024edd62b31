/**
 * Turns every network kind of the scenario (ring, grid, explicit) into one explicit list of
 * nodes and edges, so that everything after this point (building lanes and connections,
 * reference checks, routing, the viewer's network.json) knows a single representation.
 */
import type { NetworkSpec, SignalPlanSpec, SignalProgramSpec, VehicleClass, turnDirections } from '../spec/schema.js';

export type JunctionControl = 'priority' | 'signal' | 'unregulated' | 'priorityStop' | 'allwayStop';

export interface NodeDef {
  id: string;
  x: number;
  y: number;
  control: JunctionControl;
  /** generated fixed-time plan (control: signal without an explicit program) */
  signal?: SignalPlanSpec;
  /** explicit fixed-time program (control: signal with `signal.program`) */
  program?: SignalProgramSpec;
  name?: string;
  /** index into the scenario's node list, for error locations (-1 for generated nodes) */
  specIndex: number;
}

export interface EdgeDef {
  id: string;
  from: string;
  to: string;
  lanes: number;
  speedLimit: number;
  /** polyline including both end points */
  shape: [number, number][];
  /** set when the length is fixed by the scenario (ring) rather than measured on the shape */
  length?: number;
  /** per-lane speed limits from the rightmost lane (default: speedLimit for every lane) */
  laneSpeeds?: number[];
  /** per-lane admitted vehicle classes from the rightmost lane (null or absent: every class) */
  laneClasses?: (VehicleClass[] | null)[];
  name?: string;
  specIndex: number;
}

/** An explicit lane-to-lane connection of the scenario (network.connections). */
export interface ConnectionDef {
  from: string;
  fromLane: number;
  to: string;
  toLane: number;
  dir?: (typeof turnDirections)[number];
  /** speed limit through the junction and the path's length (turn-speed.ts); absent: from the geometry */
  speed?: number;
  length?: number;
  /** the crossing foes given (indices into network.connections), as SUMO's foe matrix; absent: from the geometry */
  foes?: number[];
  /** index into network.connections: signal links refer to connections by it */
  specIndex: number;
}

export interface ExpandedNetwork {
  nodes: NodeDef[];
  edges: EdgeDef[];
  /** explicit connections; empty for generated networks */
  connections: ConnectionDef[];
  laneWidth: number;
  /** mean lateral acceleration that sets turn speeds, m/s²; 0: none (turn-speed.ts) */
  turnLateralAccel: number;
}

const defaultPlan = (p?: SignalPlanSpec): SignalPlanSpec | undefined => p;

export function expandNetwork(spec: NetworkSpec): ExpandedNetwork {
  if (spec.ring) return expandRing(spec.ring, spec.laneWidth, spec.turnLateralAccel);
  if (spec.grid) return expandGrid(spec.grid, spec.laneWidth, spec.turnLateralAccel);
  const nodes: NodeDef[] = (spec.nodes ?? []).map((n, i) => {
    const own = n.control === 'signal' ? n.signal : undefined;
    const program: SignalProgramSpec | undefined =
      own?.program && own.links
        ? { offset: own.offset, program: own.program, links: own.links, controller: own.controller, priority: own.priority, yellow: own.yellow, allRed: own.allRed }
        : undefined;
    const plan: SignalPlanSpec | undefined =
      n.control !== 'signal' || program
        ? undefined
        : own?.cycle !== undefined
          ? { cycle: own.cycle, yellow: own.yellow, allRed: own.allRed, offset: own.offset, leftTurns: own.leftTurns, controller: own.controller, priority: own.priority }
          : (defaultPlan(spec.signals) ?? autoPlan());
    return { id: n.id, x: n.x, y: n.y, control: n.control ?? 'priority', signal: plan, program, name: n.name, specIndex: i };
  });
  const pos = new Map(nodes.map((n) => [n.id, n]));
  const edges: EdgeDef[] = (spec.edges ?? []).map((e, i) => {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    const shape: [number, number][] = e.shape
      ? e.shape.map((p) => [p[0], p[1]] as [number, number])
      : [
          [a?.x ?? 0, a?.y ?? 0],
          [b?.x ?? 0, b?.y ?? 0],
        ];
    return {
      id: e.id,
      from: e.from,
      to: e.to,
      lanes: e.lanes,
      speedLimit: e.speedLimit,
      shape,
      length: e.length,
      laneSpeeds: e.laneSpeeds,
      laneClasses: e.laneClasses,
      name: e.name,
      specIndex: i,
    };
  });
  const connections: ConnectionDef[] = (spec.connections ?? []).map((c, i) => ({ ...c, specIndex: i }));
  return { nodes, edges, connections, laneWidth: spec.laneWidth, turnLateralAccel: spec.turnLateralAccel };
}

/** A plan for `control: signal` nodes when the scenario gives none: 90 s, 3 s yellow. */
function autoPlan(): SignalPlanSpec {
  return { cycle: 90, yellow: 3, allRed: 1, offset: 0, leftTurns: 'auto' };
}

function expandRing(r: NonNullable<NetworkSpec['ring']>, laneWidth: number, turnLateralAccel: number): ExpandedNetwork {
  // One closed edge from a node to itself; the drawn circle is for the viewer only,
  // the length is exactly the scenario's.
  const radius = r.length / (2 * Math.PI);
  const segments = Math.max(16, Math.min(256, Math.round(r.length / 10)));
  const shape: [number, number][] = [];
  for (let i = 0; i <= segments; i++) {
    const t = (i / segments) * 2 * Math.PI - Math.PI / 2;
    shape.push([radius * Math.cos(t), radius + radius * Math.sin(t)]);
  }
  return {
    nodes: [{ id: 'ring', x: 0, y: 0, control: 'unregulated', specIndex: -1 }],
    edges: [{ id: 'ring', from: 'ring', to: 'ring', lanes: r.lanes, speedLimit: r.speedLimit, shape, length: r.length, specIndex: -1 }],
    connections: [],
    laneWidth,
    turnLateralAccel,
  };
}

/**
 * Grid: nodes `r{row}c{col}` at (col·spacing, row·spacing), two-way streets between
 * neighbours (`r0c0-r0c1` and back), and a fringe node beyond every border node (`s{col}`
 * south, `n{col}` north, `w{row}` west, `e{row}` east) joined by a two-way edge through which
 * traffic enters and leaves.
 */
function expandGrid(g: NonNullable<NetworkSpec['grid']>, laneWidth: number, turnLateralAccel: number): ExpandedNetwork {
  const nodes: NodeDef[] = [];
  const edges: EdgeDef[] = [];
  const fringe = g.fringe ?? g.spacing;
  const inner = (r: number, c: number) => `r${r}c${c}`;
  for (let r = 0; r < g.rows; r++)
    for (let c = 0; c < g.cols; c++)
      nodes.push({
        id: inner(r, c),
        x: c * g.spacing,
        y: r * g.spacing,
        control: g.signals ? 'signal' : 'priority',
        signal: g.signals,
        specIndex: -1,
      });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const twoWay = (a: NodeDef, b: NodeDef) => {
    for (const [p, q] of [
      [a, b],
      [b, a],
    ] as const)
      edges.push({
        id: `${p.id}-${q.id}`,
        from: p.id,
        to: q.id,
        lanes: g.lanes,
        speedLimit: g.speedLimit,
        shape: [
          [p.x, p.y],
          [q.x, q.y],
        ],
        specIndex: -1,
      });
  };
  for (let r = 0; r < g.rows; r++)
    for (let c = 0; c < g.cols; c++) {
      const here = byId.get(inner(r, c))!;
      if (c + 1 < g.cols) twoWay(here, byId.get(inner(r, c + 1))!);
      if (r + 1 < g.rows) twoWay(here, byId.get(inner(r + 1, c))!);
    }
  const addFringe = (id: string, x: number, y: number, to: NodeDef) => {
    const f: NodeDef = { id, x, y, control: 'unregulated', specIndex: -1 };
    nodes.push(f);
    twoWay(f, to);
  };
  const top = (g.rows - 1) * g.spacing;
  const right = (g.cols - 1) * g.spacing;
  for (let c = 0; c < g.cols; c++) {
    addFringe(`s${c}`, c * g.spacing, -fringe, byId.get(inner(0, c))!);
    addFringe(`n${c}`, c * g.spacing, top + fringe, byId.get(inner(g.rows - 1, c))!);
  }
  for (let r = 0; r < g.rows; r++) {
    addFringe(`w${r}`, -fringe, r * g.spacing, byId.get(inner(r, 0))!);
    addFringe(`e${r}`, right + fringe, r * g.spacing, byId.get(inner(r, g.cols - 1))!);
  }
  return { nodes, edges, connections: [], laneWidth, turnLateralAccel };
}
