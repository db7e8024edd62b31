// trips.csv carries the scenario's trip ids (SUMO's vehicle ids) as its last column, tripId,
// when the scenario names any trip or flow; flow vehicles are `<flow id>.<n>`. Events carry them
// too; a refused departure is an event and a count in metrics.json.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunSession } from './session.js';

const dir = mkdtempSync(join(tmpdir(), 'rt-tripid-'));
const scenario = `
name: trip-ids
duration: 200
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 500, y: 0 }, { id: c, x: 900, y: 0 } ]
  edges:
    - { id: ab, from: a, to: b, lanes: 2, speedLimit: 15 }
    - { id: bc, from: b, to: c, lanes: 1, speedLimit: 15, laneClasses: [ [bus] ] }
vehicleTypes:
  car: { length: 5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.2, minGap: 2 }
demand:
  - trips:
      - { id: 'veh,1', type: car, depart: 0, from: ab, to: ab }
      - { type: car, depart: 3, from: ab, to: ab }
      - { id: blocked, type: car, depart: 4, from: ab, to: bc }
  - flow: { id: f, type: car, route: [ab], period: 10, begin: 10, end: 30 }
`;

async function runTo(out: string, yaml: string): Promise<void> {
  const file = join(dir, `${out}.yaml`);
  writeFileSync(file, yaml);
  const s = await RunSession.start({ source: { scenarioFile: file, overrides: [], out: join(dir, out) }, workers: 1 });
  if ('refused' in s) throw new Error(s.message);
  try {
    expect((await s.run()).status).toBe('complete');
  } finally {
    await s.close();
  }
}

describe('trips.csv tripId', () => {
  it('is the last column, with the trip ids and the flow vehicles named <flow>.<n>', async () => {
    await runTo('named', scenario);
    const rows = readFileSync(join(dir, 'named', 'trips.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('id,type,depart,arrival,routeLength,travelTime,waitingTime,stops,departDelay,tripId');
    const ids = rows.slice(1).map((r) => r.slice(r.lastIndexOf(',', r.endsWith('"') ? r.lastIndexOf('"', r.length - 2) : r.length) + 1));
    expect(ids).toEqual(['"veh,1"', '', 'f.0', 'f.1']);
    const events = readFileSync(join(dir, 'named', 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.kind === 'depart').map((e) => e.tripId)).toEqual(['veh,1', undefined, 'f.0', 'f.1']);
    expect(events.find((e) => e.kind === 'refuse')).toMatchObject({ tripId: 'blocked', reason: 'noLane', edge: 'ab' });
    const metrics = JSON.parse(readFileSync(join(dir, 'named', 'metrics.json'), 'utf8'));
    expect(metrics.vehicles).toMatchObject({ inserted: 4, arrived: 4, refused: 1 });
  });

  it('is absent when the scenario names no trip', async () => {
    await runTo('unnamed', scenario.replace("id: 'veh,1', ", '').replace('id: blocked, ', '').replace('id: f, ', ''));
    const rows = readFileSync(join(dir, 'unnamed', 'trips.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('id,type,depart,arrival,routeLength,travelTime,waitingTime,stops,departDelay');
    expect(rows.slice(1).every((r) => r.split(',').length === 9)).toBe(true);
  });
});
