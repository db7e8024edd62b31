/**
 * Reference checks of the logistics keys (schema-logistics.ts) against the built network and the
 * rest of the scenario: hubs on edges that exist, positions on them, a vehicle type for the vans,
 * drone ports and orders naming hubs that exist, unique ids, ports outside no-fly zones.
 */
import type { Problem } from './problem.js';
import { plainCsvRows, readCsvText, type CsvColumns, type CsvProblem } from './plain-csv.js';
import type { Scenario } from '../../spec/schema.js';
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

/** Rows an orders CSV may hold (a size limit like those of limits.ts: far above any real morning). */
export const MAX_CSV_ORDERS = 1_000_000;
const CSV_COLUMNS = ['created', 'hub', 'x', 'y', 'weight', 'deadline'] as const;
/** every order column is required; an id may be given besides */
const ORDER_COLUMNS: CsvColumns = { known: [...CSV_COLUMNS, 'id'], required: CSV_COLUMNS, listed: `${CSV_COLUMNS.join(', ')}, and an optional id` };

/**
 * Reads the orders CSV a scenario names (`logistics.orders.csv`, relative to the scenario file)
 * and appends its rows to `logistics.orders.list`, so that the loaded scenario — and its hash —
 * holds the orders themselves: a run, a checkpoint and a resume see the same orders whatever
 * happens to the file later (a changed file is another scenario). Every bad field is reported at
 * its file:line:column with the column's name; when there is any problem, no row is added.
 * `yaml` problems (the file cannot be read) point at the `csv` key of the scenario.
 */
export function readOrdersCsv(
  s: Scenario,
  scenarioFile: string,
  read: (path: string) => string,
  resolve: (scenarioFile: string, csv: string) => string,
): { csv: CsvProblem[]; yaml: Problem[] } {
  const out = { csv: [] as CsvProblem[], yaml: [] as Problem[] };
  const spec = s.logistics?.orders;
  if (!spec?.csv) return out;
  const file = resolve(scenarioFile, spec.csv);
  const loaded = readCsvText(read, file, 'orders', ['logistics', 'orders', 'csv']);
  if ('problem' in loaded) {
    out.yaml.push(loaded.problem);
    return out;
  }
  const text = loaded.text;
  const hubs = new Set(s.logistics!.hubs.map((h) => h.id));
  const add = (line: number, col: number, path: string, message: string) => out.csv.push({ file, line, col, path, message });
  const rows: { created: number; hub: string; x: number; y: number; weight: number; deadline: number }[] = [];
  const layout = { columns: ORDER_COLUMNS, maxRows: MAX_CSV_ORDERS, rowNoun: 'orders', noHeader: `the file has no header (a line naming the columns ${CSV_COLUMNS.join(', ')})` };
  for (const row of plainCsvRows(text, layout, () => rows.length, add)) {
    const line = row.line;
    // (every column is there: the header check requires them all)
    const field = (c: string) => row.field(c)!;
    const num = (c: string, min: number, strict: boolean): number => {
      const f = field(c);
      const v = f.text === '' ? NaN : Number(f.text);
      if (!Number.isFinite(v)) add(line, f.col, c, `must be a number, got '${f.text}'`);
      else if (strict ? v <= min : v < min) add(line, f.col, c, `must be ${strict ? 'greater than' : 'at least'} ${min}, got ${v}`);
      return v;
    };
    const before = out.csv.length;
    const created = num('created', 0, false);
    const x = num('x', -Infinity, false);
    const y = num('y', -Infinity, false);
    const weight = num('weight', 0, true);
    const deadline = num('deadline', 0, true);
    const hub = field('hub');
    if (!hubs.has(hub.text)) add(line, hub.col, 'hub', `unknown hub '${hub.text}'`);
    if (out.csv.length === before && deadline < created) add(line, field('deadline').col, 'deadline', `deadline ${deadline} s is before the order is created (${created} s)`);
    if (out.csv.length === before) rows.push({ created, hub: hub.text, x, y, weight, deadline });
  }
  if (out.csv.length === 0) spec.list.push(...rows);
  return out;
}
