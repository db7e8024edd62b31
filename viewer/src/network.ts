/** The shape of network.json (engine/io/run/network-json.ts), as the viewer reads it. */

export type Point = [number, number];

export interface NetworkJson {
  version: number;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  laneWidth: number;
  nodes: { id: string; x: number; y: number; control: 'priority' | 'signal' | 'unregulated' | 'priorityStop' | 'allwayStop' }[];
  edges: { id: string; name: string | null; from: string; to: string; lanes: number; speedLimit: number; length: number; shape: Point[] }[];
  lanes: { id: string; edge: string; index: number; length: number; shape: Point[] }[];
  connections: { from: string; to: string; node: string; dir: string; rank: number }[];
  signals: { node: string; cycle: number; offset: number; phases: { name: string; green: number }[]; connections: number[]; starts: number[]; states: string[]; controller?: 'fixed' | 'actuated' | 'max-pressure' | 'adaptive' }[];
}

/** Throws a readable message when network.json is not what the viewer can draw. */
export function checkNetwork(n: unknown): NetworkJson {
  const net = n as NetworkJson;
  const fail = (what: string) => {
    throw new Error(`network.json: ${what}`);
  };
  if (typeof net !== 'object' || net === null) fail('not an object');
  if (!Array.isArray(net.lanes) || !Array.isArray(net.edges) || !Array.isArray(net.nodes)) fail('has no lanes, edges or nodes');
  if (!net.bbox || !Number.isFinite(net.bbox.minX)) fail('has no bounding box');
  if (!(net.laneWidth > 0)) fail('has no lane width');
  for (const l of net.lanes) if (!Array.isArray(l.shape) || l.shape.length < 2) fail(`lane ${l.id} has no shape`);
  net.connections ??= [];
  net.signals ??= [];
  return net;
}
