/**
 * SUMO route files (`.rou.xml`, and the route elements of additional files, which SUMO reads the
 * same way): vehicle types and their distributions, named routes, and the vehicles, trips and
 * flows that use them, read as elements in file order. `<interval begin end>` blocks are
 * flattened, their times passed to the flows inside. Persons and containers are not supported
 * and are counted as warnings here.
 *
 * Format: https://sumo.dlr.de/docs/Definition_of_Vehicles%2C_Vehicle_Types%2C_and_Routes.html
 */
import { readXml, type XmlElement } from './xml.js';
import type { Warnings } from './warnings.js';

/** A vTypeDistribution: its member type ids with their weights (probabilities, not normalised). */
export interface SumoTypeDistribution {
  id: string;
  members: { type: string; weight: number }[];
}

export interface SumoDemand {
  vTypes: XmlElement[];
  distributions: SumoTypeDistribution[];
  /** named routes: id → edges */
  routes: Map<string, string[]>;
  /** vehicle, trip and flow elements, in file order (files in the order given) */
  vehicles: XmlElement[];
}

export function emptyDemand(): SumoDemand {
  return { vTypes: [], distributions: [], routes: new Map(), vehicles: [] };
}

/** Roots SUMO accepts for demand: route files, and additional files holding demand. */
export const DEMAND_ROOTS = ['routes', 'additional', 'add'] as const;

export function readRoutes(file: string, into: SumoDemand, warnings: Warnings): void {
  const root = readXml(file, DEMAND_ROOTS);
  for (const el of root.children)
    if (!collectRouteElement(el, into, warnings, undefined)) warnings.add(`route file element <${el.name}> is not supported; skipped`, el.attrs.id, `routes:${el.name}`);
}

/**
 * Takes one route element into `d`; false when `el` is not one (the caller decides whether that
 * is an additional element or unsupported).
 */
export function collectRouteElement(el: XmlElement, d: SumoDemand, warnings: Warnings, interval: { begin?: string; end?: string } | undefined): boolean {
  switch (el.name) {
    case 'vType':
      d.vTypes.push(el);
      return true;
    case 'vTypeDistribution':
      readDistribution(el, d, warnings);
      return true;
    case 'route':
      if (el.attrs.id === undefined) warnings.add('routes without an id at the top level are skipped');
      else d.routes.set(el.attrs.id, splitList(el.attrs.edges));
      if (el.attrs.repeat !== undefined) warnings.add('route repeat is not supported; the route is driven once', el.attrs.id);
      return true;
    case 'vehicle':
    case 'trip':
      d.vehicles.push(el);
      return true;
    case 'flow':
      // an interval's times apply to the flows inside it that do not give their own
      d.vehicles.push(
        interval ? { ...el, attrs: { ...(interval.begin !== undefined ? { begin: interval.begin } : {}), ...(interval.end !== undefined ? { end: interval.end } : {}), ...el.attrs } } : el,
      );
      return true;
    case 'interval':
      for (const c of el.children)
        if (!collectRouteElement(c, d, warnings, { begin: el.attrs.begin, end: el.attrs.end }))
          warnings.add(`route file element <${c.name}> is not supported; skipped`, c.attrs.id, `routes:${c.name}`);
      return true;
    case 'param':
      return true;
    case 'person':
    case 'personFlow':
    case 'container':
    case 'containerFlow':
    case 'routeDistribution':
      warnings.add(`route file element <${el.name}> is not supported; skipped`, el.attrs.id, `routes:${el.name}`);
      return true;
    default:
      return false;
  }
}

/**
 * Both of SUMO's forms: nested `<vType probability>` elements (which also define the types), or
 * `vTypes="a b"` naming types defined before, with `probabilities="…"` or each type's own
 * `probability`. SUMO's default weight is 1.
 */
function readDistribution(el: XmlElement, d: SumoDemand, warnings: Warnings): void {
  const id = el.attrs.id;
  if (id === undefined) {
    warnings.add('vTypeDistributions without an id are skipped');
    return;
  }
  const members: { type: string; weight: number }[] = [];
  const weight = (s: string | undefined, of: string): number => {
    const w = s === undefined ? 1 : Number(s);
    if (!Number.isFinite(w) || w < 0) {
      warnings.add('vTypeDistribution probabilities that are not numbers ≥ 0 count as 1', `${id}/${of}`);
      return 1;
    }
    return w;
  };
  for (const c of el.children) {
    if (c.name === 'vType' && c.attrs.id !== undefined) {
      d.vTypes.push(c);
      members.push({ type: c.attrs.id, weight: weight(c.attrs.probability, c.attrs.id) });
    } else if (c.name !== 'param') warnings.add(`vTypeDistribution child <${c.name}> is not supported; skipped`, id);
  }
  const named = splitList(el.attrs.vTypes);
  const probabilities = splitList(el.attrs.probabilities);
  if (probabilities.length > 0 && probabilities.length !== named.length)
    warnings.add('vTypeDistributions whose probabilities do not match their vTypes one to one use the types\' own probabilities', id);
  named.forEach((type, k) => {
    const own = d.vTypes.find((t) => t.attrs.id === type)?.attrs.probability;
    members.push({ type, weight: weight(probabilities.length === named.length ? probabilities[k] : own, type) });
  });
  d.distributions.push({ id, members });
}

export function splitList(s: string | undefined): string[] {
  return s ? s.trim().split(/\s+/).filter((x) => x.length > 0) : [];
}
