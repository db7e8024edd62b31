/**
 * `--set path=value` overrides. They are applied to the YAML document before validation, not to
 * the parsed object, so that the positions of every field they leave alone stay true, and so
 * that an overridden value goes through exactly the same checks as one written in the file.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { OVERRIDE_FILE_PREFIX, type LocatedProblem } from './errors.js';
import { keyString, type PathKey } from './locate.js';

export interface Override {
  /** `--set path=value`, the pseudo-file that problems in this override are reported against */
  label: string;
  /** the dotted path split into keys; list indices are numbers */
  path: PathKey[];
  /** the value parsed as YAML: `1200` is a number, `[a, b]` a list, `max` a string */
  value: unknown;
}

export interface AppliedOverride extends Override {
  /** the shallowest path the override created or replaced: everything under it came from it */
  owned: PathKey[];
}

/** Parses one `path=value` argument, or says what is wrong with it. */
export function parseOverride(text: string): Override | LocatedProblem {
  const label = `${OVERRIDE_FILE_PREFIX}${text}`;
  const problem = (message: string, path = ''): LocatedProblem => ({ file: label, line: 1, col: 1, path, message });
  const eq = text.indexOf('=');
  if (eq < 0) return problem("expected path=value, e.g. --set demand.0.flow.rate=1200 (no '=' found)");
  const dotted = text.slice(0, eq).trim();
  if (dotted === '') return problem('the path before = is empty');
  const keys = dotted.split('.');
  if (keys.some((k) => k.trim() === '')) return problem(`the path '${dotted}' has an empty part`, dotted);
  const valueDoc = parseDocument(text.slice(eq + 1), { prettyErrors: false });
  if (valueDoc.errors.length > 0) return problem(`the value is not valid YAML: ${valueDoc.errors[0].message}`, dotted);
  let value: unknown;
  try {
    value = valueDoc.toJS();
  } catch (err) {
    // e.g. an alias (`*x`) with no anchor: the parser accepts it, only conversion fails
    return problem(`the value is not valid YAML: ${(err as Error).message}`, dotted);
  }
  return { label, path: keys.map((k) => (/^(0|[1-9][0-9]*)$/.test(k.trim()) ? Number(k.trim()) : k.trim())), value };
}

/**
 * Sets each override on `doc` in order (a later one wins), creating missing maps on the way.
 * Returns the overrides that took effect and a problem for each that could not.
 */
export function applyOverrides(
  doc: Document,
  texts: readonly string[],
): { applied: AppliedOverride[]; problems: LocatedProblem[] } {
  const applied: AppliedOverride[] = [];
  const problems: LocatedProblem[] = [];
  for (const text of texts) {
    const parsed = parseOverride(text);
    if ('message' in parsed) {
      problems.push(parsed);
      continue;
    }
    const result = setAt(doc, parsed);
    if (typeof result === 'string')
      problems.push({ file: parsed.label, line: 1, col: 1, path: parsed.path.join('.'), message: result });
    else applied.push({ ...parsed, owned: result });
  }
  return { applied, problems };
}

/** The override that supplied the value at `path`, if any (the last one, as it won). */
export function overrideAt(applied: readonly AppliedOverride[], path: readonly PathKey[]): AppliedOverride | undefined {
  for (let i = applied.length - 1; i >= 0; i--) {
    const owned = applied[i].owned;
    if (owned.length <= path.length && owned.every((k, j) => String(k) === String(path[j]))) return applied[i];
  }
  return undefined;
}

/**
 * Sets the value; returns the owned path, or why it cannot be set. The whole path is checked
 * before anything is changed, so a rejected override leaves the document as it was.
 */
function setAt(doc: Document, o: Override): PathKey[] | string {
  let node = doc.contents as Node | null;
  // find where the existing document ends along the path
  let depth = 0;
  for (; depth < o.path.length; depth++) {
    if (isAlias(node)) node = node.resolve(doc) as Node;
    const key = o.path[depth];
    const here = o.path.slice(0, depth).join('.') || 'the document';
    const last = depth === o.path.length - 1;
    let next: Node | null | undefined;
    if (isMap(node)) {
      next = [...node.items].reverse().find((p) => keyString(p.key) === String(key))?.value as Node | null | undefined;
      if (isScalar(next) && next.value === null) next = undefined; // `key:` with no value: fill it in
    } else if (isSeq(node)) {
      if (typeof key !== 'number') return `${here} is a list: use an index (0, 1, …), not '${key}'`;
      if (key > node.items.length) return `${here} has ${node.items.length} entries; index ${key} is past the end`;
      next = node.items[key] as Node | undefined;
    } else {
      const what = isScalar(node) ? `the value ${JSON.stringify(node.value)}` : 'not a mapping or list';
      return `cannot set '${key}' inside ${here}: it is ${what}`;
    }
    if (next === undefined || next === null || last) break;
    node = next;
  }
  // the rest of the path is built fresh: a list where the next key is an index, else a map
  let value: unknown = o.value;
  for (let d = o.path.length - 1; d > depth; d--) {
    const key = o.path[d];
    if (typeof key === 'number') {
      if (key !== 0) return `${o.path.slice(0, d).join('.')} has 0 entries; index ${key} is past the end`;
      value = [value];
    } else value = { [key]: value };
  }
  const key = o.path[depth];
  const fresh = doc.createNode(value) as Node;
  if (isMap(node)) {
    // the same pair the walk above matched (the last of duplicates, `1` and `"1"` alike)
    const pair = [...node.items].reverse().find((p) => keyString(p.key) === String(key));
    if (pair) pair.value = fresh;
    else node.items.push(doc.createPair(String(key), fresh) as (typeof node.items)[number]);
  } else if (isSeq(node)) node.items[key as number] = fresh;
  return o.path.slice(0, depth + 1);
}
