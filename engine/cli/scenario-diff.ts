/**
 * What differs between the scenarios of two runs, for `roadtwin compare`: a structural diff of
 * their scenario copies (RUN/scenario.yaml, engine/io/run/provenance.ts), as dotted paths with the
 * old and the new value (`demand.0.flow.rate: 600 → 1200`). Both copies are validated scenarios
 * with every default filled in, so a default written out in one file and left out in the other is
 * no difference.
 */

export interface Difference {
  path: string;
  /** undefined: the field is not there */
  before: unknown;
  after: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every leaf (or whole subtree present on one side only) where `a` and `b` differ, in a's key order then b's new keys. */
export function diffValues(a: unknown, b: unknown, path = ''): Difference[] {
  const at = (k: string | number) => (path === '' ? String(k) : `${path}.${k}`);
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...diffValues(a[i], b[i], at(i)));
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const out: Difference[] = [];
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) out.push(...diffValues(a[k], b[k], at(k)));
    return out;
  }
  if (same(a, b)) return [];
  return [{ path, before: a, after: b }];
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  return JSON.stringify(a) === JSON.stringify(b) && typeof a === typeof b;
}

/** A value as the diff prints it: scalars as they are, structures as compact JSON cut at `max` characters. */
export function showValue(v: unknown, max = 60): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'Infinity' : v < 0 ? '-Infinity' : 'NaN';
  if (typeof v === 'string') return /^[^\s"',:{}[\]]+$/.test(v) ? v : JSON.stringify(v);
  const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x)) ?? String(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function showDifference(d: Difference): string {
  return `${d.path}: ${showValue(d.before)} → ${showValue(d.after)}`;
}

/**
 * Whether two scenarios are different scenarios rather than variants of one: another network or
 * another name. The reason, or null for variants.
 */
export function differentScenario(a: Record<string, unknown>, b: Record<string, unknown>): string | null {
  const why: string[] = [];
  if (a.network !== undefined && b.network !== undefined && diffValues(a.network, b.network).length > 0) why.push('another network');
  if (a.name !== b.name) why.push(`another name (${showValue(a.name)} → ${showValue(b.name)})`);
  return why.length > 0 ? why.join(' and ') : null;
}

/**
 * The differences to list: a different network is one line (its every edge would drown the
 * rest), then at most `max` lines and a count of the others.
 */
export function differenceLines(a: Record<string, unknown>, b: Record<string, unknown>, max = 25): string[] {
  let diffs = diffValues(a, b);
  const lines: string[] = [];
  const inNetwork = diffs.filter((d) => d.path === 'network' || d.path.startsWith('network.'));
  if (inNetwork.length > 0) {
    lines.push(`network: ${networkSummary(a.network)} → ${networkSummary(b.network)} (${inNetwork.length} field${inNetwork.length === 1 ? '' : 's'} differ)`);
    diffs = diffs.filter((d) => !inNetwork.includes(d));
  }
  for (const d of diffs.slice(0, max)) lines.push(showDifference(d));
  if (diffs.length > max) lines.push(`… and ${diffs.length - max} more`);
  return lines;
}

function networkSummary(n: unknown): string {
  if (!isObject(n)) return showValue(n);
  const parts: string[] = [];
  const count = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  if (Array.isArray(n.nodes)) parts.push(count(n.nodes.length, 'node'));
  if (Array.isArray(n.edges)) parts.push(count(n.edges.length, 'edge'));
  if (isObject(n.grid)) parts.push(`grid ${n.grid.rows}×${n.grid.cols}`);
  if (isObject(n.ring)) parts.push('ring');
  return parts.length > 0 ? parts.join(', ') : showValue(n, 40);
}
