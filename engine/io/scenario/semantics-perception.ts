/**
 * Reference checks of `events` and `perception` (schema-perception.ts) against the built network
 * and the rest of the scenario: edges that exist, positions on them, unique ids, a vehicle type
 * for the response units, and a depot for every kind of unit the events call for.
 */
import type { Problem } from './problem.js';
import type { Scenario } from '../../spec/schema.js';
import type { Network } from '../../road/network.js';
import { resolveKinds } from '../../perception/kinds.js';
import { cityEventKinds } from '../../spec/schema-perception.js';

type Path = (string | number)[];

export function checkPerceptionSemantics(s: Scenario, network: Network): Problem[] {
  const problems: Problem[] = [];
  const add = (path: Path, message: string) => problems.push({ path, message });
  const round = (x: number) => Math.round(x * 10) / 10;
  const ev = s.events;
  const p = s.perception;
  if (ev) {
    ev.onRoad.forEach((r, i) => r.edges?.forEach((id, k) => network.edgeIndex.has(id) || add(['events', 'onRoad', i, 'edges', k], `unknown edge '${id}'`)));
    const ids = new Set<string>();
    ev.list.forEach((e, i) => {
      if (e.id !== undefined) {
        if (ids.has(e.id)) add(['events', 'list', i, 'id'], `duplicate event id '${e.id}'`);
        ids.add(e.id);
      }
      if (e.edge === undefined) return;
      const edge = network.edgeIndex.get(e.edge);
      if (edge === undefined) add(['events', 'list', i, 'edge'], `unknown edge '${e.edge}'`);
      else if ((e.pos ?? 0) > network.edgeLength[edge]) add(['events', 'list', i, 'pos'], `position ${e.pos} m is beyond the end of edge '${e.edge}' (${round(network.edgeLength[edge])} m)`);
    });
  }
  if (p) {
    const unique = (list: { id: string }[], key: string, what: string) => {
      const seen = new Set<string>();
      list.forEach((x, i) => {
        if (seen.has(x.id)) add(['perception', ...key.split('.'), i, 'id'], `duplicate ${what} id '${x.id}'`);
        seen.add(x.id);
      });
    };
    unique(p.cameras, 'cameras', 'camera');
    unique(p.docks, 'docks', 'dock');
    unique(p.responders.depots, 'responders.depots', 'depot');
    p.responders.depots.forEach((d, i) => network.edgeIndex.has(d.edge) || add(['perception', 'responders', 'depots', i, 'edge'], `unknown edge '${d.edge}'`));
    if (p.responders.depots.length > 0 && !s.vehicleTypes[p.responders.type])
      add(['perception', 'responders', 'type'], `unknown vehicle type '${p.responders.type}' (the response units drive as it)`);
  }
  problems.push(...missingDepots(s));
  return problems;
}

/** Every kind that can happen needs a depot of its unit's kind, or its events could never end. */
export function missingDepots(s: Scenario): Problem[] {
  const ev = s.events;
  const p = s.perception;
  if (!ev || !p || p.responders.depots.length === 0) return [];
  const problems: Problem[] = [];
  const kinds = resolveKinds(ev);
  const happens = new Set<string>([...ev.onRoad.map((r) => r.kind), ...ev.areas.map((a) => a.kind), ...ev.list.map((e) => e.kind)]);
  const have = new Set(p.responders.depots.map((d) => d.kind));
  for (const k of cityEventKinds) {
    if (!happens.has(k)) continue;
    const need = kinds[cityEventKinds.indexOf(k)].responder;
    if (!have.has(need)) problems.push({ path: ['perception', 'responders', 'depots'], message: `no depot of kind '${need}', which handles the scenario's ${k} events` });
  }
  return problems;
}
