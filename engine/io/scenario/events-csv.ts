/**
 * The CSV file of listed city events a scenario names (`events.csv`, relative to the scenario
 * file): a header naming its columns, then one event per line as in `events.list` (kind, at; edge
 * and pos for the kinds on the road, x and y for the others; an optional id). Its rows join
 * `events.list`, so that the loaded scenario and its hash hold the events themselves. Read once
 * the network exists, so that every problem — an unknown kind or edge, a position beyond its
 * edge, a missing place, a duplicate id — is reported at its file:line:column with the column's
 * name; when there is any problem, no row is added.
 */
import type { Scenario } from '../../spec/schema.js';
import type { Network } from '../../road/network.js';
import { cityEventKinds, onRoadKinds, type ListedEventSpec } from '../../spec/schema-perception.js';
import { plainCsvRows, readCsvText, type CsvColumns, type CsvProblem } from './plain-csv.js';
import type { Problem } from './problem.js';

const COLUMNS = ['id', 'kind', 'at', 'edge', 'pos', 'x', 'y'] as const;
const REQUIRED = ['kind', 'at'] as const;
const EVENT_COLUMNS: CsvColumns = { known: COLUMNS, required: REQUIRED, listed: COLUMNS.join(', ') };
/** rows a file may hold (the same bound as the orders file) */
export const MAX_CSV_EVENTS = 1_000_000;

export function readEventsCsv(
  s: Scenario,
  scenarioFile: string,
  network: Network,
  read: (path: string) => string,
  resolve: (scenarioFile: string, csv: string) => string,
): { csv: CsvProblem[]; yaml: Problem[] } {
  const out = { csv: [] as CsvProblem[], yaml: [] as Problem[] };
  const spec = s.events;
  if (!spec?.csv) return out;
  const file = resolve(scenarioFile, spec.csv);
  const loaded = readCsvText(read, file, 'events', ['events', 'csv']);
  if ('problem' in loaded) {
    out.yaml.push(loaded.problem);
    return out;
  }
  const text = loaded.text;
  const add = (line: number, col: number, path: string, message: string) => out.csv.push({ file, line, col, path, message });
  const ids = new Set(spec.list.flatMap((e) => (e.id !== undefined ? [e.id] : [])));
  const rows: ListedEventSpec[] = [];
  const layout = { columns: EVENT_COLUMNS, maxRows: MAX_CSV_EVENTS, rowNoun: 'events', noHeader: `the file has no header (a line naming the columns, ${REQUIRED.join(' and ')} among them)` };
  for (const { line, field } of plainCsvRows(text, layout, () => rows.length, add)) {
    const before = out.csv.length;
    const num = (c: string, min: number): number | undefined => {
      const f = field(c);
      if (!f || f.text === '') return undefined;
      const v = Number(f.text);
      if (!Number.isFinite(v)) add(line, f.col, c, `must be a number, got '${f.text}'`);
      else if (v < min) add(line, f.col, c, `must be at least ${min}, got ${v}`);
      return v;
    };
    const kind = field('kind')!;
    if (!(cityEventKinds as readonly string[]).includes(kind.text)) add(line, kind.col, 'kind', `unknown kind '${kind.text}' (the kinds are ${cityEventKinds.join(', ')})`);
    const at = num('at', 0);
    if (at === undefined) add(line, field('at')!.col, 'at', 'the time it happens is empty');
    const id = field('id');
    if (id && id.text !== '') {
      if (ids.has(id.text)) add(line, id.col, 'id', `duplicate event id '${id.text}'`);
      ids.add(id.text);
    }
    const onRoad = (onRoadKinds as readonly string[]).includes(kind.text);
    const event: ListedEventSpec = { kind: kind.text as ListedEventSpec['kind'], at: at ?? 0, ...(id && id.text !== '' ? { id: id.text } : {}) };
    if (onRoad) {
      const edge = field('edge');
      const pos = num('pos', 0);
      const e = edge && edge.text !== '' ? network.edgeIndex.get(edge.text) : undefined;
      if (!edge || edge.text === '') add(line, edge?.col ?? 1, 'edge', `a ${kind.text} happens on the road: give its edge`);
      else if (e === undefined) add(line, edge.col, 'edge', `unknown edge '${edge.text}'`);
      if (pos === undefined) add(line, field('pos')?.col ?? 1, 'pos', `a ${kind.text} happens on the road: give its position on the edge`);
      else if (e !== undefined && pos > network.edgeLength[e]) add(line, field('pos')!.col, 'pos', `position ${pos} m is beyond the end of edge '${edge!.text}' (${Math.round(network.edgeLength[e] * 10) / 10} m)`);
      event.edge = edge?.text;
      event.pos = pos;
    } else if (out.csv.length === before) {
      const x = num('x', -Infinity);
      const y = num('y', -Infinity);
      if (x === undefined || y === undefined) add(line, field(x === undefined ? 'x' : 'y')?.col ?? 1, x === undefined ? 'x' : 'y', `a ${kind.text} happens at a point: give x and y`);
      event.x = x;
      event.y = y;
    }
    if (out.csv.length === before) rows.push(event);
  }
  if (out.csv.length === 0) spec.list.push(...rows);
  return out;
}
