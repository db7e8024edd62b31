/**
 * Reading a scenario file: YAML with positions, `--set` overrides, the zod schema, then the
 * semantic checks (references, connectivity). Every problem found on the way is collected and
 * thrown together as one ScenarioError with file, line and column; nothing here throws for a
 * user mistake in any other way.
 */
import { createHash } from 'node:crypto';
import { InputLimitError, LIMITS, readTextBounded } from '../limits.js';
import { dirname, isAbsolute, join } from 'node:path';
import { isMap, isPair, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { OVERRIDE_FILE_PREFIX, ScenarioError, type LocatedProblem } from './errors.js';
import { validateValue, type RawProblem } from './issues.js';
import { keyString, SourceLocator, type PathKey } from './locate.js';
import { applyOverrides, overrideAt, type AppliedOverride } from './overrides.js';
import { checkSemantics } from './semantics.js';
import { readOrdersCsv } from './semantics-logistics.js';
import { readEventsCsv } from './events-csv.js';
import { missingDepots } from './semantics-perception.js';
import type { Scenario } from '../../spec/schema.js';
import { attachTripTable, tripTableOf } from '../../spec/trip-table.js';
import type { Network } from '../../road/network.js';
import { Router } from '../../road/routing.js';
import { LIMITS as SCENARIO_LIMITS } from './limits.js';
import { readTripsFile } from './trips-csv.js';

/**
 * How far aliases may expand (yaml's maxAliasCount: references to one anchor times the values
 * under it). Expanding more is the "billion laughs" pattern, and even when yaml shares the
 * repeated objects, the schema and the scenario hash would walk every copy.
 */
export const MAX_ALIAS_COUNT = 1000;

export interface LoadedScenario {
  file: string;
  /** the validated scenario with every default filled in */
  scenario: Scenario;
  /** sha256 (hex) of the canonical JSON of `scenario`: equal for equal scenarios however written */
  hash: string;
}

export interface LoadOptions {
  /** `path=value` strings, applied in order before validation */
  overrides?: readonly string[];
}

export function loadScenario(file: string, opts: LoadOptions = {}): LoadedScenario {
  return parseScenario(readSource(file), file, opts);
}

/** Like loadScenario, for source text already in hand; `file` is only used to name problems. */
export function parseScenario(text: string, file: string, opts: LoadOptions = {}): LoadedScenario {
  const whole = (message: string, line = 1, col = 1): ScenarioError =>
    new ScenarioError([{ file, line, col, path: '', message }]);

  const lines = new LineCounter();
  // uniqueKeys off: duplicates are reported below, with the key's name and path
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    // After a syntax error the structure is guesswork, so stop at the YAML problems.
    throw new ScenarioError(
      doc.errors.map((e) => ({ file, ...lines.linePos(e.pos[0]), path: '', message: yamlMessage(e.code, e.message) })),
    );
  }
  if (doc.contents === null) throw whole('the file is empty: a scenario needs at least name, duration, network and vehicleTypes');
  const locator = new SourceLocator(doc, lines);
  // Everything after the parser (toJS, the duplicate-key walk, zod, the locator) recurses once
  // per level: a few hundred levels overflow the stack somewhere, at a depth that depends on the
  // JIT. The deepest real scenario field is 7 levels down, so refuse far deeper ones here, where
  // the walk is iterative and the message can name the place.
  const deep = deepestNode(doc.contents as Node, MAX_DEPTH);
  if (deep) {
    const { line, col } = locator.at(deep);
    throw whole(`lists or mappings nest more than ${MAX_DEPTH} levels deep here; a scenario needs only a few levels`, line, col);
  }
  if (!isMap(doc.contents)) {
    const { line, col } = locator.at(doc.contents);
    const kind = isSeq(doc.contents) ? 'a list' : 'a single value';
    throw whole(`a scenario must be a mapping of fields (name: …, duration: …), not ${kind}`, line, col);
  }

  const problems: LocatedProblem[] = duplicateKeys(doc, locator, file);
  const { applied, problems: overrideProblems } = applyOverrides(doc, opts.overrides ?? []);
  problems.push(...overrideProblems);
  const place = (p: RawProblem): LocatedProblem => locate(p, file, locator, applied);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // an alias without its anchor, or aliases that would expand without bound ("billion laughs")
    const bomb = /alias count/i.test((err as Error).message);
    const message = bomb
      ? `invalid YAML: aliases that would expand to more than ${MAX_ALIAS_COUNT} values (a resource exhaustion pattern); write the repeated values out or use fewer aliases`
      : `invalid YAML: ${(err as Error).message}`;
    throw new ScenarioError([...problems, { file, ...(bomb ? nestedAlias(doc, locator) : brokenAlias(doc, locator)), path: '', message }]);
  }
  const { scenario, problems: schemaProblems } = validateValue(data);
  problems.push(...schemaProblems.map(place));
  if (scenario) {
    // orders from a CSV file named by the scenario join its listed orders (located in that file)
    const fromCsv = readOrdersCsv(scenario, file, (f) => readTextBounded(f, LIMITS.csv), (s, csv) => (isAbsolute(csv) ? csv : join(dirname(s), csv)));
    problems.push(...fromCsv.csv, ...fromCsv.yaml.map((p) => place({ path: p.path, message: p.message, anchor: 'value' })));
    // References and connectivity only make sense once the shape is right.
    let network: Network | undefined;
    problems.push(...checkSemantics(scenario, (n) => (network = n)).map((p) => place({ path: p.path, message: p.message, anchor: 'value' })));
    // trips files are read (and checked against the network) once the scenario itself is right
    if (problems.length === 0 && network) problems.push(...readTripFiles(scenario, file, network, place));
    // so is the events file; its kinds need their depots too
    if (problems.length === 0 && network && scenario.events?.csv) {
      const events = readEventsCsv(scenario, file, network, (f) => readTextBounded(f, LIMITS.csv), (s, csv) => (isAbsolute(csv) ? csv : join(dirname(s), csv)));
      problems.push(...events.csv, ...events.yaml.map((p) => place({ path: p.path, message: p.message, anchor: 'value' })));
      if (problems.length === 0) problems.push(...missingDepots(scenario).map((p) => place({ path: p.path, message: p.message, anchor: 'value' })));
    }
  }
  if (problems.length > 0 || !scenario) throw new ScenarioError(inArgumentOrder(problems, opts.overrides ?? []));
  return { file, scenario, hash: scenarioHash(scenario) };
}

/** Nesting a scenario may use; its deepest field is 7 levels down. */
const MAX_DEPTH = 32;

/** The first node nested deeper than `max` collections (found without recursion), or null. */
function deepestNode(root: Node, max: number): Node | null {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth >= max) return node as Node;
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          if (item.value) stack.push([item.value, depth + 1]);
          if (item.key && (isMap(item.key) || isSeq(item.key))) stack.push([item.key, depth + 1]);
        } else stack.push([item, depth + 1]);
      }
    }
  }
  return null;
}

/**
 * Reads the trips files the demand names (relative to the scenario file) and attaches each table
 * to its entry (engine/spec/trip-table.ts). A file that cannot be read is a problem at the entry's
 * `tripsFile` key; a bad row is one at its own FILE:LINE:COL.
 */
function readTripFiles(scenario: Scenario, file: string, network: Network, place: (p: RawProblem) => LocatedProblem): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  let router: Router | undefined;
  let rows = 0;
  scenario.demand.forEach((entry, i) => {
    if (!('tripsFile' in entry)) return;
    router ??= new Router(network);
    const path = isAbsolute(entry.tripsFile) ? entry.tripsFile : join(dirname(file), entry.tripsFile);
    const { table, problems: found, unreadable } = readTripsFile({ file: path, scenario, network, router, maxTrips: Math.max(0, SCENARIO_LIMITS.departures - rows) });
    if (unreadable !== undefined) problems.push(place({ path: ['demand', i, 'tripsFile'], message: `cannot read the trips file '${path}': ${unreadable}`, anchor: 'value' }));
    problems.push(...found);
    if (table) {
      attachTripTable(entry, table);
      rows += table.count;
    }
  });
  return problems;
}

/** sha256 of the scenario's canonical JSON (keys sorted at every level). */
export function scenarioHash(scenario: Scenario): string {
  return createHash('sha256').update(canonicalJson(scenario)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    // a trips file counts by its bytes: another file under the same name is another scenario
    const table = tripTableOf(v);
    if (table) sorted.tripsFileSha256 = table.sha256;
    return sorted;
  });
}

function readSource(file: string): string {
  try {
    // bounded (engine/io/limits.ts): a device or a huge file is refused before it is read
    return readTextBounded(file, LIMITS.scenario);
  } catch (err) {
    if (err instanceof InputLimitError) throw new ScenarioError([{ file, line: 1, col: 1, path: '', message: `cannot read the scenario: ${err.message}` }]);
    const code = (err as NodeJS.ErrnoException).code;
    const reasons: Record<string, string> = {
      ENOENT: 'no such file',
      EISDIR: 'this is a directory, not a scenario file',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      ENOTDIR: 'a part of the path is not a directory',
      ENAMETOOLONG: 'the file name is too long',
    };
    const reason = (code && reasons[code]) ?? `${(err as Error).message}`;
    throw new ScenarioError([{ file, line: 1, col: 1, path: '', message: `cannot read the scenario: ${reason}` }]);
  }
}

function locate(p: RawProblem, file: string, locator: SourceLocator, applied: readonly AppliedOverride[]): LocatedProblem {
  const path = p.path.map(String).join('.');
  const override = overrideAt(applied, p.path);
  if (override) return { file: override.label, line: 1, col: 1, path, message: p.message };
  return { file, ...locator.position(p.path, p.anchor), path, message: p.message };
}

/**
 * Problems in overrides all sit at 1:1 of their own `--set` pseudo-file; put them in the order
 * the arguments were given (ScenarioError's sort is stable, so this order survives it).
 */
function inArgumentOrder(problems: LocatedProblem[], overrides: readonly string[]): LocatedProblem[] {
  const index = (p: LocatedProblem) => overrides.findIndex((o) => p.file === `${OVERRIDE_FILE_PREFIX}${o}`);
  return [...problems].sort((a, b) => index(a) - index(b));
}

/** A key given twice in one mapping: YAML allows the parser to keep either, so it is an error. */
function duplicateKeys(doc: Document, locator: SourceLocator, file: string): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const visit = (node: unknown, path: PathKey[]) => {
    if (isMap(node)) {
      const first = new Map<string, Node>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const name = keyString(pair.key);
        const earlier = first.get(name);
        const keyNode = pair.key as Node;
        if (earlier && keyNode.range) {
          const was = earlier.range ? ` (first given on line ${locator.at(earlier).line})` : '';
          const where = locator.at(keyNode);
          problems.push({ file, ...where, path: [...path, name].join('.'), message: `duplicate key '${name}'${was}` });
        } else if (!earlier) first.set(name, keyNode);
        visit(pair.value, [...path, name]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => visit(item, [...path, i]));
  };
  visit(doc.contents, []);
  return problems;
}

/** Where the first alias is that names no anchor defined before it (else the document start). */
function brokenAlias(doc: Document, locator: SourceLocator): { line: number; col: number } {
  let at = { line: 1, col: 1 };
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) === undefined && node.range) {
        at = locator.at(node);
        return visit.BREAK;
      }
    },
  });
  return at;
}

/**
 * Where an alias expansion bomb starts: the first alias to an anchored node that itself holds
 * aliases (each level multiplies the one below), else the first alias (else the document start).
 */
function nestedAlias(doc: Document, locator: SourceLocator): { line: number; col: number } {
  let first: { line: number; col: number } | null = null;
  let nested: { line: number; col: number } | null = null;
  visit(doc, {
    Alias(_key, node) {
      if (!node.range) return;
      first ??= locator.at(node);
      const target = node.resolve(doc);
      let holdsAlias = false;
      if (target && (isMap(target) || isSeq(target)))
        visit(target, {
          Alias() {
            holdsAlias = true;
            return visit.BREAK;
          },
        });
      if (holdsAlias) {
        nested = locator.at(node);
        return visit.BREAK;
      }
    },
  });
  return nested ?? first ?? { line: 1, col: 1 };
}

/** yaml's messages are fine on their own, a few read better as what the user should do. */
function yamlMessage(code: string, message: string): string {
  if (/call stack/i.test(message)) return 'lists or mappings nest too deeply for the YAML parser; a scenario needs only a few levels';
  if (code === 'MULTIPLE_DOCS') return 'a scenario file holds one YAML document; remove the extra --- separator';
  if (code === 'TAB_AS_INDENT') return 'tabs are not allowed for indentation in YAML; use spaces';
  return `invalid YAML: ${message}`;
}
