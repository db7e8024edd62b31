/**
 * SUMO network files (`.net.xml`) as plain data: the elements roadtwin can use, with their
 * attributes parsed, and everything else counted as unsupported. Conversion to a scenario is
 * done by convert-net.ts; this module only reads.
 *
 * Format: https://sumo.dlr.de/docs/Networks/SUMO_Road_Networks.html. Coordinates are taken as
 * written, which are already shifted by the location's netOffset.
 */
import { idOf, num, parseShape, readXml, SumoImportError, type XmlElement } from './xml.js';
import type { Warnings } from './warnings.js';

export interface SumoLane {
  id: string;
  index: number;
  speed: number;
  length: number;
  width: number;
  shape: [number, number][];
  allow?: string[];
  disallow?: string[];
}

export interface SumoEdge {
  id: string;
  from: string;
  to: string;
  /** normal, internal, crossing, walkingarea, connector */
  func: string;
  name?: string;
  priority?: number;
  /** edge-level permissions (plain-XML style), the default of lanes that give none */
  allow?: string[];
  disallow?: string[];
  lanes: SumoLane[];
}

export interface SumoJunction {
  id: string;
  type: string;
  x: number;
  y: number;
  name?: string;
  /** the internal lane of each of the junction's links, in link (request) order */
  intLanes: string[];
  /** each link's foes (the request's `foes`, read right to left: character n-1-k is link k), by link index; empty when not given */
  foes: string[];
}

export interface SumoConnection {
  from: string;
  to: string;
  fromLane: number;
  toLane: number;
  via?: string;
  tl?: string;
  linkIndex?: number;
  dir?: string;
}

export interface SumoPhase {
  duration: number;
  state: string;
  minDur?: number;
  maxDur?: number;
}

export interface SumoTlLogic {
  id: string;
  type: string;
  programID: string;
  offset: number;
  phases: SumoPhase[];
  /** the <param> children (max-gap, detector-gap, passing-time, …) */
  params: Record<string, string>;
}

export interface SumoNet {
  file: string;
  edges: SumoEdge[];
  junctions: SumoJunction[];
  connections: SumoConnection[];
  tlLogics: SumoTlLogic[];
}

/** Net elements with nothing to import: the edge type table (its values are on the lanes). */
const IGNORED = new Set(['location', 'type']);

/** Reads a net file (plain or gzipped). */
export function readNet(file: string, warnings: Warnings): SumoNet {
  const root = readXml(file, ['net']);
  const net: SumoNet = { file, edges: [], junctions: [], connections: [], tlLogics: [] };
  for (const el of root.children) {
    switch (el.name) {
      case 'edge':
        net.edges.push(readEdge(el, file, warnings));
        break;
      case 'junction':
        if (el.attrs.type === 'internal') break; // the internal junction points of junctions
        net.junctions.push({
          id: el.attrs.id,
          type: el.attrs.type ?? 'priority',
          x: num(el, 'x', file),
          y: num(el, 'y', file),
          name: el.attrs.name,
          intLanes: el.attrs.intLanes ? el.attrs.intLanes.split(' ').filter((l) => l !== '') : [],
          foes: requestFoes(el, file),
        });
        break;
      case 'connection':
        net.connections.push({
          from: el.attrs.from,
          to: el.attrs.to,
          fromLane: num(el, 'fromLane', file),
          toLane: num(el, 'toLane', file),
          via: el.attrs.via,
          tl: el.attrs.tl,
          linkIndex: el.attrs.linkIndex !== undefined ? num(el, 'linkIndex', file) : undefined,
          dir: el.attrs.dir,
        });
        break;
      case 'tlLogic':
        net.tlLogics.push(readTlLogic(el, file, warnings));
        break;
      case 'prohibition':
        // the engine has no foe-matrix input yet: roadtwin ranks movements itself
        warnings.add('connection prohibitions (<prohibition>) are not imported: roadtwin ranks movements by control, road size and turn', `${el.attrs.prohibitor} over ${el.attrs.prohibited}`);
        break;
      case 'roundabout':
        warnings.add('roundabouts: their junctions are imported as ordinary junctions (no special roundabout rules)', el.attrs.nodes?.split(' ')[0]);
        break;
      default:
        if (!IGNORED.has(el.name)) warnings.add(`net element <${el.name}> is not supported; skipped`, el.attrs.id);
    }
  }
  return net;
}

function readEdge(el: XmlElement, file: string, warnings: Warnings): SumoEdge {
  const lanes: SumoLane[] = [];
  for (const c of el.children) {
    if (c.name === 'lane') {
      lanes.push({
        id: c.attrs.id,
        index: num(c, 'index', file),
        speed: num(c, 'speed', file),
        length: num(c, 'length', file),
        width: num(c, 'width', file, 3.2),
        shape: parseShape(c.attrs.shape),
        allow: c.attrs.allow?.split(/\s+/),
        disallow: c.attrs.disallow?.split(/\s+/),
      });
    } else if (c.name !== 'param' && el.attrs.function !== 'internal') {
      warnings.add(`edge child <${c.name}> is not supported; skipped`, el.attrs.id);
    }
  }
  lanes.sort((a, b) => a.index - b.index);
  return {
    id: el.attrs.id,
    from: el.attrs.from ?? '',
    to: el.attrs.to ?? '',
    func: el.attrs.function ?? 'normal',
    name: el.attrs.name,
    priority: el.attrs.priority !== undefined ? num(el, 'priority', file) : undefined,
    allow: el.attrs.allow?.split(/\s+/),
    disallow: el.attrs.disallow?.split(/\s+/),
    lanes,
  };
}

export function readTlLogic(el: XmlElement, file: string, warnings: Warnings): SumoTlLogic {
  const phases: SumoPhase[] = [];
  const params: Record<string, string> = {};
  for (const c of el.children) {
    if (c.name === 'phase') {
      const ph: SumoPhase = { duration: num(c, 'duration', file), state: c.attrs.state ?? '' };
      if (c.attrs.minDur !== undefined) ph.minDur = num(c, 'minDur', file);
      if (c.attrs.maxDur !== undefined) ph.maxDur = num(c, 'maxDur', file);
      phases.push(ph);
      if (c.attrs.next !== undefined) warnings.add("signal phases: 'next' (a choice of phases) is not supported; phases run in order", el.attrs.id);
    } else if (c.name === 'param') {
      if (c.attrs.key !== undefined) params[c.attrs.key] = c.attrs.value ?? '';
    } else warnings.add(`tlLogic child <${c.name}> is not supported; skipped`, el.attrs.id);
  }
  if (phases.length === 0) warnings.add(`tlLogic${idOf(el)} has no phases; skipped`);
  return {
    id: el.attrs.id,
    type: el.attrs.type ?? 'static',
    programID: el.attrs.programID ?? '0',
    offset: num(el, 'offset', file, 0),
    phases,
    params,
  };
}

/**
 * A junction's foe strings by link index, from its <request> children (empty when it has none).
 * A request whose index or foes string does not fit the junction ends the import: a foe matrix
 * read wrongly would let crossing movements through each other.
 */
function requestFoes(el: XmlElement, file: string): string[] {
  const requests = el.children.filter((c) => c.name === 'request');
  const foes: string[] = new Array<string>(requests.length).fill('');
  for (const r of requests) {
    const index = num(r, 'index', file);
    const f = r.attrs.foes ?? '';
    const at = `${file}: <junction${idOf(el)}> <request index="${r.attrs.index}">`;
    if (!Number.isInteger(index) || index < 0 || index >= requests.length)
      throw new SumoImportError(`${at}: index must be a whole number below the junction's ${requests.length} requests`);
    if (!/^[01]*$/.test(f) || f.length !== requests.length)
      throw new SumoImportError(`${at}: foes="${f}" must be ${requests.length} characters of 0 and 1, one per link of the junction`);
    if (foes[index] !== '') throw new SumoImportError(`${at}: the junction has two requests with this index`);
    foes[index] = f;
  }
  return foes;
}
