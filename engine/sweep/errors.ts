/**
 * Problems with a sweep, in the scenario loader's form: `FILE:LINE:COL: path.to.field: message`,
 * one line each. The file is the sweep file for its own mistakes and the base scenario for a
 * mistake in the base itself.
 */
import { formatProblem, type LocatedProblem } from '../io/scenario/index.js';

export class SweepError extends Error {
  readonly problems: LocatedProblem[];

  constructor(problems: LocatedProblem[]) {
    const unique = dedupe(problems);
    const more = unique.length > 1 ? ` (and ${unique.length - 1} more)` : '';
    super(unique.length > 0 ? `${formatProblem(unique[0])}${more}` : 'invalid sweep');
    this.name = 'SweepError';
    this.problems = unique;
  }

  /** One line per problem, without a trailing newline. */
  format(): string {
    return this.problems.map(formatProblem).join('\n');
  }
}

// Every run of a combination repeats the same scenario problem; once is enough.
function dedupe(problems: LocatedProblem[]): LocatedProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const line = formatProblem(p);
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
}
