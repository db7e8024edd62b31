/**
 * A SUMO scenario — a `.sumocfg`, or a network with its route and additional files — → a
 * roadtwin scenario (as a plain object, ready to be written as YAML), with the list of what
 * could not be carried over.
 *
 * Files are read in SUMO's order: the net, then the additional files (traffic-light programs
 * that replace the net's, bus stops, detectors, and any demand in them), then the route files.
 */
import { basename, dirname, resolve } from 'node:path';
import { expandNetwork } from '../../road/expand.js';
import { buildNetwork } from '../../road/network.js';
import { Router } from '../../road/routing.js';
import { networkSchema } from '../../spec/schema.js';
import { emptyAdditional, readAdditional } from './additional.js';
import { readConfig, type SumoConfig } from './config.js';
import { convertDemand, type FlowOut, type RouteCheck, type TripOut } from './convert-demand.js';
import { convertNet, type NetworkOut } from './convert-net.js';
import { convertDetectors, placeBusStops, type DetectorOut, type PlaceContext } from './convert-stops.js';
import type { TypeOut } from './convert-types.js';
import { readNet } from './net.js';
import { emptyDemand, readRoutes } from './routes.js';
import { buildTypeTable } from './type-table.js';
import { Warnings } from './warnings.js';
import { SumoImportError } from './xml.js';

export interface ImportOptions {
  /** a SUMO configuration naming the files (instead of net/routes/additional) */
  config?: string;
  net?: string;
  routes?: readonly string[];
  additional?: readonly string[];
  /** scenario name (default: from the config or net file name) */
  name?: string;
  /**
   * simulated seconds (default: the config's end − begin, else the last departure or flow end plus
   * 30 minutes, or an hour); like SUMO's --end, it also bounds which vehicles are loaded
   */
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
  detectors: number;
}

/** The files an import read, in the order SUMO reads them. */
export interface ImportSources {
  config?: string;
  net: string;
  additional: string[];
  routes: string[];
}

export interface ScenarioOut {
  name: string;
  description: string;
  seed?: number;
  duration: number;
  step?: number;
  network: NetworkOut;
  vehicleTypes: Record<string, TypeOut>;
  vehicleTypeDistributions?: Record<string, Record<string, number>>;
  demand: ({ trips: TripOut[] } | { flow: FlowOut })[];
  detectors?: DetectorOut[];
}

export interface ImportedScenario {
  scenario: ScenarioOut;
  warnings: Warnings;
  counts: ImportCounts;
  sources: ImportSources;
}

/** Time after the last departure that an imported scenario runs by default, s. */
export const DRAIN_TIME = 1800;
/** SUMO's default step length, s: it loads vehicles up to one step past end. */
const SUMO_DEFAULT_STEP = 1;

export function importSumo(opts: ImportOptions): ImportedScenario {
  const warnings = new Warnings();
  const config = opts.config !== undefined ? readConfig(opts.config, warnings) : undefined;
  const sources = sourcesOf(opts, config);
  const begin = config?.begin ?? 0;

  const sumoNet = readNet(sources.net, warnings);
  const demandIn = emptyDemand();
  const additional = emptyAdditional();
  for (const file of sources.additional) readAdditional(file, additional, demandIn, warnings);
  for (const file of sources.routes) readRoutes(file, demandIn, warnings);

  const net = convertNet(sumoNet, warnings, { tlLogics: additional.tlLogics, begin });
  const { network, successors } = net;
  const places: PlaceContext = {
    lanes: net.lanes,
    edgeLength: new Map(network.edges.map((e) => [e.id, e.length])),
    laneLength: net.laneLength,
    begin,
  };
  const busStops = placeBusStops(additional.busStops, places, warnings);
  const detectors = convertDetectors(additional.loops, places, warnings);

  const types = buildTypeTable(demandIn, warnings);
  const step = config?.step;
  // a duration given on the command line is SUMO's end moved: SUMO loads what departs up to end
  const end = opts.duration !== undefined ? begin + opts.duration : config?.end;
  const loadUntil = end !== undefined ? end + (step ?? SUMO_DEFAULT_STEP) : undefined;
  const demand = convertDemand(demandIn, { check: routeCheck(network, successors, sources.net), types, busStops, places, window: { begin, loadUntil } }, warnings);
  types.finish(demand.typesUsed);

  if (step !== undefined && step > 1) warnings.add(`step-length ${step} s is above roadtwin's longest step; 1 s is used`);
  const duration =
    opts.duration ??
    (config?.end !== undefined ? config.end - begin : demand.lastTime > 0 ? Math.ceil((demand.lastTime + DRAIN_TIME) / 60) * 60 : 3600);
  const trips = [...demand.trips].sort((a, b) => a.depart - b.depart);
  const files = [sources.config, sources.net, ...sources.additional, ...sources.routes].filter((f): f is string => f !== undefined);
  const distributions = Object.keys(types.distributions).length > 0 ? { vehicleTypeDistributions: types.distributions } : {};
  return {
    scenario: {
      // a config's name is often generic (run.sumocfg, osm.sumocfg); its directory names the scenario
      name: opts.name ?? scenarioName(sources.config ? basename(dirname(resolve(sources.config))) : sources.net),
      description: `Imported from SUMO (${files.map((f) => basename(f)).join(', ')}) by roadtwin import sumo; ${warnings.total} warning(s).`,
      ...(config?.seed !== undefined ? { seed: config.seed } : {}),
      duration,
      ...(step !== undefined ? { step: Math.min(1, step) } : {}),
      network,
      vehicleTypes: types.vehicleTypes,
      ...distributions,
      demand: [...(trips.length > 0 ? [{ trips }] : []), ...demand.flows.map((flow) => ({ flow }))],
      ...(detectors.length > 0 ? { detectors } : {}),
    },
    warnings,
    counts: {
      nodes: network.nodes.length,
      edges: network.edges.length,
      lanes: network.edges.reduce((s, e) => s + e.lanes, 0),
      connections: network.connections.length,
      signals: net.signals,
      vehicleTypes: Object.keys(types.vehicleTypes).length,
      trips: trips.length,
      flows: demand.flows.length,
      detectors: detectors.length,
    },
    sources,
  };
}

function sourcesOf(opts: ImportOptions, config: SumoConfig | undefined): ImportSources {
  if (config) {
    if (opts.net !== undefined || (opts.routes?.length ?? 0) > 0 || (opts.additional?.length ?? 0) > 0)
      throw new SumoImportError('give either a config or net, routes and additional files, not both');
    return { config: config.file, net: config.net, additional: config.additional, routes: config.routes };
  }
  if (opts.net === undefined) throw new SumoImportError('give a config (.sumocfg) or a net file (.net.xml)');
  return { net: opts.net, additional: [...(opts.additional ?? [])], routes: [...(opts.routes ?? [])] };
}

/** roadtwin's own router over the imported network answers reachability, as it will at run time. */
function routeCheck(network: NetworkOut, successors: Map<string, Set<string>>, netFile: string): RouteCheck {
  // a net with nothing roadtwin can drive on (no edge, only footpaths, …) is the user's input, not a bug
  if (network.edges.length === 0) throw new SumoImportError(`${netFile}: the network has no edge roadtwin can drive on (no normal edge with a lane for road vehicles)`);
  const parsed = networkSchema.safeParse(network);
  if (!parsed.success) throw new SumoImportError(`${netFile}: the imported network is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
  const built = buildNetwork(expandNetwork(parsed.data));
  const router = new Router(built);
  const edgeIds = new Set(network.edges.map((e) => e.id));
  return {
    hasEdge: (id) => edgeIds.has(id),
    connected: (a, b) => successors.get(a)?.has(b) ?? false,
    route: (ids) => {
      const r = router.routeVia(ids.map((id) => built.edgeIndex.get(id)!));
      return r ? Array.from(r, (e) => built.edgeIds[e]) : null;
    },
  };
}

/** `grid3.net.xml` → `grid3`, `run.sumocfg` → `run`; anything outside [a-z0-9-] becomes a dash. */
export function scenarioName(file: string): string {
  const stem = basename(file).replace(/\.net\.xml(\.gz)?$|\.sumocfg(\.gz)?$|\.xml(\.gz)?$/i, '');
  const name = stem.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return name || 'imported';
}
