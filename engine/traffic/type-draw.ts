/**
 * A demand entry's `type` names a vehicle type or a vehicle type distribution
 * (`vehicleTypeDistributions`). From a distribution each vehicle draws its type with a
 * counter-based draw of (seed, demand entry, the vehicle's number in the entry): the same
 * vehicle gets the same type in every run, whatever the number of threads and whatever else the
 * run draws.
 */
import type { Scenario } from '../spec/schema.js';
import { PURPOSE_TYPE_DRAW, rand } from '../core/rng.js';
import type { TypeTable } from './types.js';

interface Distribution {
  types: Int32Array;
  /** cumulative weights, normalised so that the last is 1 */
  cum: Float64Array;
}

export class TypeDraw {
  private readonly dists = new Map<string, Distribution>();

  constructor(
    scenario: Scenario,
    private readonly table: TypeTable,
    private readonly seed: number,
  ) {
    for (const [name, weights] of Object.entries(scenario.vehicleTypeDistributions ?? {})) {
      const members = Object.entries(weights);
      const total = members.reduce((sum, [, w]) => sum + w, 0);
      let acc = 0;
      this.dists.set(name, {
        types: Int32Array.from(members, ([t]) => table.index.get(t) ?? 0),
        cum: Float64Array.from(members, ([, w]) => (acc += w) / total),
      });
    }
  }

  /** Whether `name` is a distribution (rather than a type). */
  isDistribution(name: string): boolean {
    return this.dists.has(name);
  }

  /** The type of vehicle number `k` of demand entry `entry` whose `type` is `name`. */
  typeOf(name: string, entry: number, k: number): number {
    const d = this.dists.get(name);
    if (!d) return this.table.index.get(name)!;
    const u = rand(this.seed, entry, k, PURPOSE_TYPE_DRAW);
    for (let m = 0; m < d.cum.length - 1; m++) if (u < d.cum[m]) return d.types[m];
    return d.types[d.types.length - 1];
  }
}
