/**
 * Problems with a scenario as the user sees them: a file, a line and column, the dotted path of
 * the field and a message. The contract prints each as `FILE:LINE:COL: path.to.field: message`.
 */

export interface LocatedProblem {
  /** the scenario file as the user named it, or `--set path=value` for a problem in an override */
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  col: number;
  /** dotted path such as `demand.0.flow.rate`; empty for the document as a whole */
  path: string;
  message: string;
}

/** Prefix of the `file` of problems that come from a `--set` override rather than the file. */
export const OVERRIDE_FILE_PREFIX = '--set ';

/**
 * One contract line. A whole-document problem has no field, so its path part is left out.
 * Keys and values from the file are quoted in paths and messages as they were written, so control
 * characters, line separators and lone surrogates are escaped (`\n`, `\u0000`): one problem is
 * always one printable line.
 */
export function formatProblem(p: LocatedProblem): string {
  return printable(`${p.file}:${p.line}:${p.col}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`);
}

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// C0 and C1 controls, line and paragraph separators, and UTF-16 halves without their other half
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => NAMED_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * File problems in reading order (line, then column); override problems after them, because
 * they all sit at 1:1 of their own pseudo-file and would otherwise interleave with the file's.
 * The sort is stable, so problems at the same place keep the order they were found in.
 */
export function sortProblems(problems: LocatedProblem[]): LocatedProblem[] {
  const rank = (p: LocatedProblem) => (p.file.startsWith(OVERRIDE_FILE_PREFIX) ? 1 : 0);
  return [...problems].sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.col - b.col);
}

/** Everything wrong with one scenario, found in one pass (never just the first problem). */
export class ScenarioError extends Error {
  readonly problems: LocatedProblem[];

  constructor(problems: LocatedProblem[]) {
    const sorted = dedupe(sortProblems(problems));
    const more = sorted.length > 1 ? ` (and ${sorted.length - 1} more)` : '';
    super(sorted.length > 0 ? `${formatProblem(sorted[0])}${more}` : 'invalid scenario');
    this.name = 'ScenarioError';
    this.problems = sorted;
  }

  /** One contract line per problem, in order, without a trailing newline. */
  format(): string {
    return this.problems.map(formatProblem).join('\n');
  }
}

// The same mistake can reach us twice (e.g. a zod issue and a semantic check on one field);
// printing it twice only adds noise.
function dedupe(problems: LocatedProblem[]): LocatedProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = formatProblem(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
