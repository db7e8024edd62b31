/**
 * SUMO additional files (`.add.xml`): traffic-light programs, bus stops and induction loops,
 * read as plain data; route elements inside them (vTypes, routes, vehicles — SUMO loads them
 * the same way as route files) go to the demand. Everything else is counted as unsupported.
 * Conversion against the network is done by stops-detectors.ts and convert-net.ts.
 *
 * Format: https://sumo.dlr.de/docs/sumo.html#format_of_additional_files
 */
import { readTlLogic, type SumoTlLogic } from './net.js';
import { collectRouteElement, DEMAND_ROOTS, type SumoDemand } from './routes.js';
import { num, readXml, type XmlElement } from './xml.js';
import type { Warnings } from './warnings.js';

export interface SumoBusStop {
  id: string;
  lane: string;
  startPos?: number;
  endPos?: number;
  name?: string;
}

export interface SumoInductionLoop {
  id: string;
  lane: string;
  /** m from the start of the lane; negative: from its end */
  pos: number;
  /** aggregation period, s */
  period: number;
}

export interface SumoAdditional {
  /** in load order: a later program of the same traffic light replaces an earlier one */
  tlLogics: SumoTlLogic[];
  busStops: Map<string, SumoBusStop>;
  loops: SumoInductionLoop[];
}

export function emptyAdditional(): SumoAdditional {
  return { tlLogics: [], busStops: new Map(), loops: [] };
}

/** SUMO's default aggregation period of an induction loop, s (a day). */
export const DEFAULT_LOOP_PERIOD = 86_400;

/** Elements with nothing to simulate: shapes drawn in the GUI, the location of a shape file. */
const COSMETIC = new Set(['poly', 'poi', 'location', 'param', 'include']);

export function readAdditional(file: string, into: SumoAdditional, demand: SumoDemand, warnings: Warnings): void {
  const root = readXml(file, DEMAND_ROOTS);
  for (const el of root.children) {
    switch (el.name) {
      case 'tlLogic':
        into.tlLogics.push(readTlLogic(el, file, warnings));
        break;
      case 'busStop':
      case 'trainStop':
        if (el.name === 'trainStop') warnings.add('train stops are read as bus stops', el.attrs.id);
        readBusStop(el, file, into, warnings);
        break;
      case 'inductionLoop':
      case 'e1Detector':
        readLoop(el, file, into, warnings);
        break;
      default:
        if (COSMETIC.has(el.name) || collectRouteElement(el, demand, warnings, undefined)) break;
        warnings.add(`additional element <${el.name}> is not supported; skipped`, el.attrs.id, `add:${el.name}`);
    }
  }
}

function readBusStop(el: XmlElement, file: string, into: SumoAdditional, warnings: Warnings): void {
  const id = el.attrs.id;
  if (id === undefined || el.attrs.lane === undefined) {
    warnings.add('bus stops without an id or a lane are skipped', id);
    return;
  }
  if (el.children.some((c) => c.name === 'access')) warnings.add('bus stop accesses (for persons) are not imported', id);
  into.busStops.set(id, {
    id,
    lane: el.attrs.lane,
    startPos: el.attrs.startPos !== undefined ? num(el, 'startPos', file) : undefined,
    endPos: el.attrs.endPos !== undefined ? num(el, 'endPos', file) : undefined,
    name: el.attrs.name,
  });
}

function readLoop(el: XmlElement, file: string, into: SumoAdditional, warnings: Warnings): void {
  const id = el.attrs.id;
  if (id === undefined || el.attrs.lane === undefined) {
    warnings.add(`induction loops without an id or a lane are skipped`, id);
    return;
  }
  // SUMO's older name for the period is freq
  const attr = el.attrs.period !== undefined ? 'period' : el.attrs.freq !== undefined ? 'freq' : undefined;
  const period = attr ? num(el, attr, file) : DEFAULT_LOOP_PERIOD;
  if (!(period > 0)) {
    warnings.add(`induction loops with a period that is not above 0 are skipped`, id);
    return;
  }
  if (el.attrs.vTypes !== undefined) warnings.add('induction loops counting only some vTypes count every vehicle', id);
  into.loops.push({ id, lane: el.attrs.lane, pos: num(el, 'pos', file, 0), period });
}
