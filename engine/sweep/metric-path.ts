/** Reading a collected metric out of a metrics.json object by its dotted path. */

export type MetricLookup = { kind: 'value'; value: number | null } | { kind: 'group'; fields: string[] } | { kind: 'missing'; known: string[] };

/** A number (or null, e.g. a mean over no trips), a group of fields, or nothing at that path. */
export function lookupMetric(metrics: unknown, path: string): MetricLookup {
  let here: unknown = metrics;
  for (const key of path.split('.')) {
    if (here === null || typeof here !== 'object' || Array.isArray(here) || !(key in here))
      return { kind: 'missing', known: here !== null && typeof here === 'object' ? Object.keys(here) : [] };
    here = (here as Record<string, unknown>)[key];
  }
  if (here === null || typeof here === 'number') return { kind: 'value', value: here };
  if (here !== null && typeof here === 'object') return { kind: 'group', fields: Object.keys(here) };
  return { kind: 'missing', known: [] };
}

/** The metric's value, or null when the run has none (absent, null, not a number). */
export function metricValue(metrics: unknown, path: string): number | null {
  const found = lookupMetric(metrics, path);
  return found.kind === 'value' ? found.value : null;
}
