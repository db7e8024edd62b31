// metrics.json's per-type trip figures (traffic.byType) are trips.csv's rows of each type summed
// up: checked on five minutes of the Laoshan scenario (cars, buses, trucks, vans and the rest).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../core/csv.js';
import { addTrip, byTypeMetrics, copyTripStats, emptyTripStats } from './trip-stats.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('trips per vehicle type', () => {
  it('sums each type of its own: trips, means of travel time, time lost and waiting, stops', () => {
    const s = emptyTripStats();
    addTrip(s, { type: 'bus', depart: 10, time: 110, waitingTime: 20, stops: 2, timeLoss: 30 });
    addTrip(s, { type: 'bus', depart: 0, time: 300, waitingTime: 40, stops: 1, timeLoss: 50 });
    addTrip(s, { type: 'car', depart: 5, time: 65, waitingTime: 0, stops: 0, timeLoss: 4 });
    const saved = copyTripStats(s);
    addTrip(s, { type: 'car', depart: 0, time: 1, waitingTime: 0, stops: 0, timeLoss: 0 });
    expect(byTypeMetrics(saved)).toEqual({
      bus: { trips: 2, meanTravelTime: 200, meanTimeLoss: 40, meanWaitingTime: 30, stops: 3 },
      car: { trips: 1, meanTravelTime: 60, meanTimeLoss: 4, meanWaitingTime: 0, stops: 0 },
    });
    expect(saved.count).toBe(3);
    expect(s.byType!.car.trips).toBe(2);
  });

  it("are trips.csv's rows of each type in a real run", () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-bytype-'));
    try {
      const r = spawnSync(process.execPath, ['bin/roadtwin.js', 'run', join(root, 'scenarios', 'laoshan.yaml'), '--out', dir, '--duration', '300', '--workers', '1', '--quiet', '--no-report'], { cwd: root, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as { traffic: { byType: Record<string, { trips: number; meanTravelTime: number; meanTimeLoss: number; meanWaitingTime: number; stops: number }> }; units: Record<string, string> };
      const t = parseCsv(readFileSync(join(dir, 'trips.csv'), 'utf8'));
      const c = (n: string) => t.header.indexOf(n);
      const types = [...new Set(t.rows.map((row) => row[c('type')]))].sort();
      expect(types.length).toBeGreaterThan(2);
      expect(Object.keys(m.traffic.byType)).toEqual(types);
      for (const type of types) {
        const rows = t.rows.filter((row) => row[c('type')] === type);
        const mean = (col: string) => rows.reduce((a, row) => a + Number(row[c(col)]), 0) / rows.length;
        const got = m.traffic.byType[type];
        expect(got.trips).toBe(rows.length);
        expect(got.meanTravelTime).toBeCloseTo(mean('travelTime'), 1);
        expect(got.meanTimeLoss).toBeCloseTo(mean('timeLoss'), 1);
        expect(got.meanWaitingTime).toBeCloseTo(mean('waitingTime'), 1);
        expect(got.stops).toBe(rows.reduce((a, row) => a + Number(row[c('stops')]), 0));
      }
      expect(m.units['traffic.byType.bus.meanTimeLoss'] ?? m.units['traffic.byType.*.meanTimeLoss']).toBe('s');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
