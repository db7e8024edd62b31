// Ids from a hostile or simply foreign scenario in the run's CSV files: letters of any script run
// as they are; an id a spreadsheet would run as a formula is written neutralised and read back
// as it was; control characters never reach a file (the scenario is refused first).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../core/csv.js';
import { loadScenario, ScenarioError } from '../scenario/index.js';
import { RunSession } from './session.js';

const dir = mkdtempSync(join(tmpdir(), 'rt-csvsafe-'));
const scenario = (tripId: string) => `
name: 路网-csv
duration: 120
network:
  nodes: [ { id: 甲, x: 0, y: 0 }, { id: 乙, x: 400, y: 0 } ]
  edges:
    - { id: 香港中路, from: 甲, to: 乙, lanes: 1, speedLimit: 15 }
vehicleTypes:
  小汽车: { length: 5, maxSpeed: 30, accel: 2.0, decel: 3, headway: 1.2, minGap: 2 }
demand:
  - trips:
      - { id: ${JSON.stringify(tripId)}, type: 小汽车, depart: 0, from: 香港中路, to: 香港中路 }
detectors:
  - { id: '@loop', edge: 香港中路, lane: 0, pos: 200, period: 60 }
`;

describe('CSV files of a run with hostile ids', () => {
  it('neutralises formula ids, keeps CJK ids, and reads both back as written', async () => {
    const tripId = '=HYPERLINK("http://evil.example.com","click")';
    const file = join(dir, 'formula.yaml');
    writeFileSync(file, scenario(tripId));
    const s = await RunSession.start({ source: { scenarioFile: file, overrides: [], out: join(dir, 'formula') }, workers: 1 });
    if ('refused' in s) throw new Error(s.message);
    try {
      expect((await s.run()).status).toBe('complete');
    } finally {
      await s.close();
    }
    const trips = readFileSync(join(dir, 'formula', 'trips.csv'), 'utf8');
    // on disk: quoted, with the apostrophe that makes spreadsheets show it as text
    expect(trips).toContain(`"'=HYPERLINK(""http://evil.example.com"",""click"")"`);
    expect(trips.split('\n').some((l) => /(^|,)=/.test(l))).toBe(false);
    const t = parseCsv(trips);
    const row = t.rows[0];
    expect(row[t.header.indexOf('tripId')]).toBe(tripId);
    expect(row[t.header.indexOf('type')]).toBe('小汽车');
    const det = parseCsv(readFileSync(join(dir, 'formula', 'detectors.csv'), 'utf8'));
    expect(readFileSync(join(dir, 'formula', 'detectors.csv'), 'utf8')).toContain("\n'@loop,");
    expect(det.rows[0][0]).toBe('@loop');
  });

  it('refuses an id with a control character before anything is written, naming line and field', () => {
    const file = join(dir, 'control.yaml');
    writeFileSync(file, scenario('veh\u001b[31m'));
    let error: unknown;
    try {
      loadScenario(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).format()).toMatch(/control\.yaml:12:\d+: demand\.0\.trips\.0\.id: an id may hold .*; got U\+001B at character 4/);
  });
});
