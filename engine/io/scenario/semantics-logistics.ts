/**
 * Reference checks of the logistics keys (schema-logistics.ts) against the built network and the
 * rest of the scenario: hubs on edges that exist, positions on them, a vehicle type for the vans,
 * drone ports and orders naming hubs that exist, unique ids, ports outside no-fly zones.
 */
import type { Problem } from './problem.js';
import type { Scenario } from './schema.js';
import type { Network } from '../../road/network.js';
import { Airspace } from '../../logistics/airspace.js';

type Path = (string | number)[];

export function checkLogisticsSemantics(s: Scenario, network: Network): Problem[] {
  const problems: Problem[] = [];
  const l = s.logistics;
  if (!l) return problems;
  const add = (path: Path, message: string) => problems.push({ path, message });
  const round = (x: number) => Math.round(x * 10) / 10;

  const hubs = new Map<string, number>();
  l.hubs.forEach((h, i) => {
    if (hubs.has(h.id)) add(['logistics', 'hubs', i, 'id'], `duplicate hub id '${h.id}'`);
    hubs.set(h.id, i);
    const e = network.edgeIndex.get(h.edge);
    if (e === undefined) add(['logistics', 'hubs', i, 'edge'], `unknown edge '${h.edge}'`);
    else if (h.pos > network.edgeLength[e]) add(['logistics', 'hubs', i, 'pos'], `position ${h.pos} m is beyond the end of edge '${h.edge}' (${round(network.edgeLength[e])} m)`);
  });
  if (l.hubs.some((h) => h.vans > 0)) {
    const t = s.vehicleTypes[l.van.type];
    if (!t) add(['logistics', 'van', 'type'], `unknown vehicle type '${l.van.type}' (the hubs have vans)`);
  }
  const airspace = new Airspace(l.noFly);
  const ports = new Set<string>();
  l.dronePorts.forEach((p, i) => {
    if (ports.has(p.id)) add(['logistics', 'dronePorts', i, 'id'], `duplicate drone port id '${p.id}'`);
    ports.add(p.id);
    if (!hubs.has(p.hub)) add(['logistics', 'dronePorts', i, 'hub'], `unknown hub '${p.hub}'`);
    if (airspace.inside(p.x, p.y)) add(['logistics', 'dronePorts', i], `drone port '${p.id}' is inside a no-fly zone`);
  });
  l.orders.areas.forEach((a, i) => {
    if (a.hub !== undefined && !hubs.has(a.hub)) add(['logistics', 'orders', 'areas', i, 'hub'], `unknown hub '${a.hub}'`);
  });
  l.orders.list.forEach((o, i) => {
    if (!hubs.has(o.hub)) add(['logistics', 'orders', 'list', i, 'hub'], `unknown hub '${o.hub}'`);
    if (o.deadline < o.created) add(['logistics', 'orders', 'list', i, 'deadline'], `deadline ${o.deadline} s is before the order is created (${o.created} s)`);
  });
  const zones = new Set<string>();
  l.noFly.forEach((z, i) => {
    if (zones.has(z.id)) add(['logistics', 'noFly', i, 'id'], `duplicate no-fly zone id '${z.id}'`);
    zones.add(z.id);
    let area2 = 0;
    const n = z.polygon.length;
    for (let k = 0; k < n; k++) {
      const [x1, y1] = z.polygon[k];
      const [x2, y2] = z.polygon[(k + 1) % n];
      area2 += x1 * y2 - x2 * y1;
    }
    if (Math.abs(area2) < 1e-6) add(['logistics', 'noFly', i, 'polygon'], 'the polygon has no area');
  });
  return problems;
}
