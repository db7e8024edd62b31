import { describe, expect, it } from 'vitest';
import { checkTargets } from './targets.js';
import type { RunFigures } from './measure.js';

const figures = (o: Partial<RunFigures>): RunFigures => ({
  simulator: 'roadtwin',
  step: 1,
  loaded: 1000,
  inserted: 1000,
  arrived: 1000,
  removed: 0,
  collisions: 0,
  meanTripDuration: 300,
  meanTimeLoss: null,
  meanWaitingTime: 10,
  meanRouteLength: 1000,
  lastArrival: 3600,
  updatesPerSecond: 1,
  wallSeconds: 1,
  peakMemoryMB: null,
  ...o,
});
const realCity = { arrivedShare: 0.99, meanTripTolerance: 0.15, removedShare: 0.005 };

describe('validation targets', () => {
  it('pass when roadtwin matches SUMO and fail on each target apart', () => {
    const sumo = figures({ simulator: 'SUMO' });
    expect(checkTargets(sumo, figures({}), realCity).every((c) => c.ok)).toBe(true);
    const failed = (o: Partial<RunFigures>) => checkTargets(sumo, figures(o), realCity).filter((c) => !c.ok).map((c) => c.what);
    expect(failed({ inserted: 989, arrived: 989 })).toEqual(['inserted', 'arrived']);
    expect(failed({ arrived: 989 })).toEqual(['arrived']);
    expect(failed({ meanTripDuration: 346 })).toEqual(['mean trip']);
    expect(failed({ meanTripDuration: 254 })).toEqual(['mean trip']);
    expect(failed({ meanTripDuration: 344 })).toEqual([]);
    expect(failed({ removed: 6 })).toEqual(['removed']);
    expect(failed({ removed: 5 })).toEqual([]);
    expect(failed({ collisions: 1 })).toEqual(['collisions']);
  });

  it('without a removal share, allows at most SUMO\'s teleports', () => {
    const t = { arrivedShare: 0, meanTripTolerance: 0.15, removedShare: null };
    const sumo = figures({ simulator: 'SUMO', removed: 40 });
    expect(checkTargets(sumo, figures({ removed: 40 }), t).every((c) => c.ok)).toBe(true);
    expect(checkTargets(sumo, figures({ removed: 41 }), t).find((c) => c.what === 'removed')?.ok).toBe(false);
  });
});
