/**
 * SUMO route files (`.rou.xml`, also demand inside `<additional>`): vehicle types, named
 * routes, and the vehicles, trips and flows that use them, read as elements in file order.
 * `<interval begin end>` blocks are flattened, their times passed to the flows inside. Persons,
 * containers and distributions are not supported and are counted as warnings here.
 *
 * Format: https://sumo.dlr.de/docs/Definition_of_Vehicles%2C_Vehicle_Types%2C_and_Routes.html
 */
import { readXml, type XmlElement } from './xml.js';
import type { Warnings } from './warnings.js';

export interface SumoDemand {
  vTypes: XmlElement[];
  /** named routes: id → edges */
  routes: Map<string, string[]>;
  /** vehicle, trip and flow elements, in file order (files in the order given) */
  vehicles: XmlElement[];
}

export function emptyDemand(): SumoDemand {
  return { vTypes: [], routes: new Map(), vehicles: [] };
}

export function readRoutes(file: string, into: SumoDemand, warnings: Warnings): void {
  const root = readXml(file, ['routes', 'additional']);
  collect(root.children, into, warnings, undefined);
}

function collect(elements: XmlElement[], d: SumoDemand, warnings: Warnings, interval: { begin?: string; end?: string } | undefined): void {
  for (const el of elements) {
    switch (el.name) {
      case 'vType':
        d.vTypes.push(el);
        break;
      case 'route':
        if (el.attrs.id === undefined) warnings.add('routes without an id at the top level are skipped');
        else d.routes.set(el.attrs.id, splitList(el.attrs.edges));
        if (el.attrs.repeat !== undefined) warnings.add('route repeat is not supported; the route is driven once', el.attrs.id);
        break;
      case 'vehicle':
      case 'trip':
        d.vehicles.push(el);
        break;
      case 'flow':
        // an interval's times apply to the flows inside it that do not give their own
        d.vehicles.push(
          interval ? { ...el, attrs: { ...(interval.begin !== undefined ? { begin: interval.begin } : {}), ...(interval.end !== undefined ? { end: interval.end } : {}), ...el.attrs } } : el,
        );
        break;
      case 'interval':
        collect(el.children, d, warnings, { begin: el.attrs.begin, end: el.attrs.end });
        break;
      case 'param':
        break;
      default:
        warnings.add(`route file element <${el.name}> is not supported; skipped`, el.attrs.id, `routes:${el.name}`);
    }
  }
}

export function splitList(s: string | undefined): string[] {
  return s ? s.trim().split(/\s+/).filter((x) => x.length > 0) : [];
}
