// Whatever a trips file holds, loading the scenario that names it ends in the scenario or in a
// ScenarioError whose every line names the file, line and column: never another exception,
// never a hang. Cases: any text, any bytes, and a valid file with cells replaced, quoted or cut,
// columns reordered and lines repeated.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario } from './index.js';
import { disturbedTable, loadsOrLocates } from './csv-fuzz.testkit.js';
import { buildNetwork } from '../../road/network.js';
import { expandNetwork } from '../../road/expand.js';

const dir = mkdtempSync(join(tmpdir(), 'rt-trips-fuzz-'));
const scenarioFile = join(dir, 'run.yaml');
writeFileSync(
  scenarioFile,
  `name: trips-file-fuzz
duration: 300
network:
  grid: { rows: 2, cols: 2, spacing: 200, lanes: 2, speedLimit: 13.9 }
vehicleTypes:
  car: { length: 4.5, maxSpeed: 30, accel: 2.6, decel: 4.5, headway: 1.2, minGap: 2 }
demand:
  - tripsFile: trips.csv
`,
);
const tripsFile = join(dir, 'trips.csv');
writeFileSync(join(dir, 'probe.yaml'), readFileSync(scenarioFile, 'utf8').replace('  - tripsFile: trips.csv', '  []').replace('demand:\n', 'demand:'));
let loaded = 0;
const LINE = /^[^\n]*(trips\.csv|run\.yaml):\d+:\d+: [^\n]*$/;

const check = (text: string | Uint8Array) => {
  if (loadsOrLocates(scenarioFile, tripsFile, LINE, text)) loaded++;
};

// the grid's own edge ids, so that undisturbed rows load and run through the whole reader
const edges = buildNetwork(expandNetwork(loadScenario(scenarioFile.replace('run.yaml', 'probe.yaml')).scenario.network)).edgeIds;
const HEADER = ['id', 'type', 'depart', 'from', 'to', 'via', 'departSpeed', 'departLane', 'departPos', 'arrivalPos', 'stops'];
const good = (i: number) => [`t${i}`, 'car', String(i * 3), edges[i % edges.length], edges[i % edges.length], '', 'max', 'best', 'base', 'max', ''];
const odd = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('', '"', '"x"', '"a,b"', '=1+1', 'NaN', 'Infinity', '-1', '1e400', '0x10', ' 7 ', '\u0000', '\r', 'car', 'random', 'free', '99', '[]', '[{"edge": 1}]', '{', '路', '#'),
  fc.double().map(String),
);

describe('trips file fuzz', () => {
  it('any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), check), { numRuns: 500 });
  });

  it('any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check), { numRuns: 300 });
  });

  it('a valid file with its cells, columns and lines disturbed', () => {
    fc.assert(fc.property(disturbedTable(HEADER, good, odd), check), { numRuns: 1000 });
    // a fuzzer that refuses everything tests little: some disturbed files still load
    expect(loaded).toBeGreaterThan(20);
  });
});
