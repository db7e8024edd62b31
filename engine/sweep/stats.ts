/**
 * Summary statistics over the seeds of one parameter combination: mean, sample standard
 * deviation and the two-sided 95 % confidence interval of the mean from Student's t with n − 1
 * degrees of freedom (the seeds are few, so the normal 1.96 would be too narrow).
 */
import jstat from 'jstat';

export interface Summary {
  /** how many runs had a value (a metric can be null, e.g. a mean travel time with no trips) */
  n: number;
  mean: number | null;
  /** sample standard deviation (divisor n − 1); null below 2 values */
  sd: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export function summarize(values: readonly (number | null)[]): Summary {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null, ciLow: null, ciHigh: null };
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  if (n === 1) return { n, mean, sd: null, ciLow: null, ciHigh: null };
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const half = tQuantile975(n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, ciLow: mean - half, ciHigh: mean + half };
}

/** The 97.5 % quantile of Student's t: the half-width factor of a two-sided 95 % interval. */
export function tQuantile975(dof: number): number {
  return jstat.jStat.studentt.inv(0.975, dof);
}
