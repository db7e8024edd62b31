/**
 * A SUMO network and its route files → a roadtwin scenario (as a plain object, ready to be
 * written as YAML), with the list of what could not be carried over.
 */
import { basename } from 'node:path';
import { expandNetwork } from '../../road/expand.js';
import { buildNetwork } from '../../road/network.js';
import { Router } from '../../road/routing.js';
import { networkSchema } from '../../spec/schema.js';
import { convertDemand, type FlowOut, type TripOut } from './convert-demand.js';
import { convertNet, type NetworkOut } from './convert-net.js';
import { convertType, SUMO_DEFAULT_TYPE_ID, typeName, type TypeOut } from './convert-types.js';
import { readNet } from './net.js';
import { emptyDemand, readRoutes } from './routes.js';
import { Warnings } from './warnings.js';

export interface ImportOptions {
  net: string;
  routes?: readonly string[];
  /** scenario name (default: from the net file name) */
  name?: string;
  /** simulated seconds (default: the last departure or flow end plus 30 minutes, or an hour) */
  duration?: number;
}

export interface ImportCounts {
  nodes: number;
  edges: number;
  lanes: number;
  connections: number;
  signals: number;
  vehicleTypes: number;
  trips: number;
  flows: number;
}

export interface ImportedScenario {
  scenario: {
    name: string;
    description: string;
    duration: number;
    network: NetworkOut;
    vehicleTypes: Record<string, TypeOut>;
    demand: ({ trips: TripOut[] } | { flow: FlowOut })[];
  };
  warnings: Warnings;
  counts: ImportCounts;
}

/** Time after the last departure that an imported scenario runs by default, s. */
export const DRAIN_TIME = 1800;

export function importSumo(opts: ImportOptions): ImportedScenario {
  const warnings = new Warnings();
  const sumoNet = readNet(opts.net, warnings);
  const demandIn = emptyDemand();
  for (const file of opts.routes ?? []) readRoutes(file, demandIn, warnings);

  const { network, successors, signals } = convertNet(sumoNet, warnings);
  // roadtwin's own router over the imported network answers reachability, as it will at run time
  const built = buildNetwork(expandNetwork(networkSchema.parse(network)));
  const router = new Router(built);
  const edgeIds = new Set(network.edges.map((e) => e.id));
  const check = {
    hasEdge: (id: string) => edgeIds.has(id),
    connected: (a: string, b: string) => successors.get(a)?.has(b) ?? false,
    route: (ids: string[]) => {
      const r = router.routeVia(ids.map((id) => built.edgeIndex.get(id)!));
      return r ? Array.from(r, (e) => built.edgeIds[e]) : null;
    },
  };

  // types: every vType of the files (used or not, they are the user's), SUMO's default if needed
  const vehicleTypes: Record<string, TypeOut> = {};
  const sumoTypeIds = new Set<string>();
  for (const el of demandIn.vTypes) {
    const id = el.attrs.id ?? SUMO_DEFAULT_TYPE_ID;
    const name = typeName(id);
    if (name !== id) warnings.add('vType ids are renamed to letters, digits, _ and -', id);
    sumoTypeIds.add(id);
    vehicleTypes[name] = convertType(el, warnings);
  }
  const demand = convertDemand(demandIn, check, sumoTypeIds, warnings);
  if (demand.typesUsed.has(SUMO_DEFAULT_TYPE_ID) && !vehicleTypes[SUMO_DEFAULT_TYPE_ID])
    vehicleTypes[SUMO_DEFAULT_TYPE_ID] = convertType({ name: 'vType', attrs: { id: SUMO_DEFAULT_TYPE_ID }, children: [] }, warnings);
  if (Object.keys(vehicleTypes).length === 0)
    vehicleTypes[SUMO_DEFAULT_TYPE_ID] = convertType({ name: 'vType', attrs: { id: SUMO_DEFAULT_TYPE_ID, carFollowModel: 'IDM' }, children: [] }, warnings);

  const duration = opts.duration ?? (demand.lastTime > 0 ? Math.ceil((demand.lastTime + DRAIN_TIME) / 60) * 60 : 3600);
  const trips = [...demand.trips].sort((a, b) => a.depart - b.depart);
  const sources = [basename(opts.net), ...(opts.routes ?? []).map((f) => basename(f))].join(', ');
  return {
    scenario: {
      name: opts.name ?? scenarioName(opts.net),
      description: `Imported from SUMO (${sources}) by roadtwin import sumo; ${warnings.total} warning(s).`,
      duration,
      network,
      vehicleTypes,
      demand: [...(trips.length > 0 ? [{ trips }] : []), ...demand.flows.map((flow) => ({ flow }))],
    },
    warnings,
    counts: {
      nodes: network.nodes.length,
      edges: network.edges.length,
      lanes: network.edges.reduce((s, e) => s + e.lanes, 0),
      connections: network.connections.length,
      signals,
      vehicleTypes: Object.keys(vehicleTypes).length,
      trips: trips.length,
      flows: demand.flows.length,
    },
  };
}

/** `grid3.net.xml` → `grid3`; anything outside [a-z0-9-] becomes a dash. */
export function scenarioName(file: string): string {
  const stem = basename(file).replace(/\.net\.xml(\.gz)?$|\.xml$/i, '');
  const name = stem.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return name || 'imported';
}
