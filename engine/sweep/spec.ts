/**
 * The sweep file's shape (zod). A sweep names a base scenario, the fields to vary (dotted paths,
 * as `--set` takes them) with a list of values or a range, the seeds and the metrics to collect:
 *
 *   base: ../laoshan.yaml          # relative to the sweep file
 *   vary:
 *     v2x.penetration: [0, 0.3, 1]
 *     vehicleTypes.car.headway: { from: 1.0, to: 2.0, step: 0.5 }
 *   seeds: 5                       # seeds 1..5, or a list [3, 7, 11]
 *   metrics: [traffic.meanTravelTime, traffic.stops]
 *   set: { duration: 600 }         # optional: fixed overrides applied to every run
 *
 * `vary` entries and `seeds` take one of two forms; the form is told by the value's type and
 * each form has its own schema, so a mistake is reported against the form the author meant
 * instead of zod's "no union branch matched".
 */
import { z } from 'zod';

/** Most runs one sweep may expand to: a typo in a range step should not queue a million runs. */
export const MAX_RUNS = 100_000;
/** Seeds are the scenario's `seed` field: whole numbers in 0 .. 2^32 - 1. */
export const MAX_SEED = 2 ** 32 - 1;

const finite = (what: string) =>
  z.number({ error: `${what} must be a number` }).refine(Number.isFinite, { message: `${what} must be a finite number` });

export const sweepFileSchema = z.strictObject({
  base: z.string({ error: 'base must be the path of a scenario file (relative to the sweep file)' }).min(1, 'base is empty'),
  vary: z.record(z.string(), z.unknown(), { error: 'vary must be a mapping of dotted paths to value lists or ranges' }).default({}),
  seeds: z.unknown().default(1),
  metrics: z
    .array(z.string({ error: 'each metric is a dotted path into metrics.json, e.g. traffic.meanTravelTime' }), {
      error: 'metrics must be a list of dotted paths into metrics.json',
    })
    .min(1, 'name at least one metric to collect, e.g. [traffic.meanTravelTime]'),
  set: z.record(z.string(), z.unknown(), { error: 'set must be a mapping of dotted paths to values' }).default({}),
});
export type SweepFile = z.infer<typeof sweepFileSchema>;

/** `path: [v1, v2, …]`: the values as written (any YAML value a `--set` could take). */
export const valueListSchema = z.array(z.unknown()).min(1, 'the list of values is empty');

/** `path: { from, to, step }`: from, from + step, … up to and including `to`. */
export const rangeSchema = z
  .strictObject({ from: finite('from'), to: finite('to'), step: finite('step').refine((s) => s > 0, { message: 'step must be greater than 0' }) })
  .refine((r) => r.to >= r.from, { message: 'to is below from (ranges go upwards)', path: ['to'] });
export type Range = z.infer<typeof rangeSchema>;

const seed = z
  .number({ error: `each seed must be a whole number from 0 to ${MAX_SEED}` })
  .int(`each seed must be a whole number from 0 to ${MAX_SEED}`)
  .min(0, `each seed must be a whole number from 0 to ${MAX_SEED}`)
  .max(MAX_SEED, `each seed must be a whole number from 0 to ${MAX_SEED}`);

/** `seeds: N` runs seeds 1..N. */
export const seedCountSchema = z
  .number()
  .int('seeds: a count must be a whole number (or give a list of seeds)')
  .min(1, 'seeds: a count must be at least 1')
  .max(MAX_RUNS, `seeds: at most ${MAX_RUNS}`);
/** `seeds: [a, b, …]` runs exactly these seeds. */
export const seedListSchema = z.array(seed).min(1, 'the list of seeds is empty');
