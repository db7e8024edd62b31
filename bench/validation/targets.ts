/**
 * The validation targets, checked on one scenario at one step: roadtwin against SUMO on the same
 * files. Each check says what it compared, so a failing one reads as a sentence.
 */
import type { Targets } from './cases.js';
import type { RunFigures } from './measure.js';

export interface TargetCheck {
  what: string;
  ok: boolean;
  detail: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function checkTargets(sumo: RunFigures, rt: RunFigures, t: Targets): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (t.arrivedShare > 0) {
    const need = Math.ceil(sumo.inserted * t.arrivedShare);
    checks.push({ what: 'inserted', ok: rt.inserted >= need, detail: `${rt.inserted} of SUMO's ${sumo.inserted} (need ≥ ${need}, ${pct(t.arrivedShare)})` });
    checks.push({ what: 'arrived', ok: rt.arrived >= need, detail: `${rt.arrived} of SUMO's ${sumo.inserted} inserted (need ≥ ${need})` });
  }
  const diff = sumo.meanTripDuration > 0 ? (rt.meanTripDuration - sumo.meanTripDuration) / sumo.meanTripDuration : 0;
  checks.push({
    what: 'mean trip',
    ok: Math.abs(diff) <= t.meanTripTolerance,
    detail: `${rt.meanTripDuration.toFixed(1)} s against SUMO's ${sumo.meanTripDuration.toFixed(1)} s (${diff >= 0 ? '+' : ''}${pct(diff)}, within ±${pct(t.meanTripTolerance)})`,
  });
  const maxRemoved = t.removedShare === null ? sumo.removed : Math.floor(Math.max(sumo.loaded, rt.loaded) * t.removedShare);
  checks.push({
    what: 'removed',
    ok: rt.removed <= maxRemoved,
    detail: `${rt.removed} (at most ${maxRemoved}: ${t.removedShare === null ? "SUMO's teleports" : `${pct(t.removedShare)} of the vehicles`})`,
  });
  checks.push({ what: 'collisions', ok: rt.collisions === 0, detail: `${rt.collisions}` });
  return checks;
}
