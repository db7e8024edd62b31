// Whatever an orders CSV holds, loading the scenario that names it ends in the scenario or in a
// ScenarioError whose every line names the file, line and column: never another exception,
// never a hang. Cases: any text, any bytes, and a valid file with cells replaced, quoted,
// duplicated or cut, columns reordered and lines repeated.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { disturbedTable, loadsOrLocates } from './csv-fuzz.testkit.js';

const dir = mkdtempSync(join(tmpdir(), 'rt-orders-fuzz-'));
const scenarioFile = join(dir, 'run.yaml');
writeFileSync(
  scenarioFile,
  `name: csv-orders-fuzz
duration: 600
step: 0.5
network:
  grid: { rows: 2, cols: 2, spacing: 300, lanes: 1, speedLimit: 13.89 }
vehicleTypes:
  car: { length: 4.8, maxSpeed: 33.3, accel: 2.0, decel: 3.0, headway: 1.2, minGap: 2.0 }
logistics:
  hubs:
    - { id: h, edge: r0c0-r0c1, pos: 150, robots: 1 }
  orders:
    csv: orders.csv
`,
);
const ordersFile = join(dir, 'orders.csv');
const LINE = /^[^\n]*(orders\.csv|run\.yaml):\d+:\d+: [^\n]*$/;

const check = (text: string | Uint8Array) => void loadsOrLocates(scenarioFile, ordersFile, LINE, text);

const HEADER = ['id', 'created', 'hub', 'x', 'y', 'weight', 'deadline'];
const good = (i: number) => [`o${i}`, String(i * 10), 'h', String(100 + i), '50', '1.5', String(600 + i)];
const odd = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('', '"', '"x"', '=1+1', 'NaN', 'Infinity', '-1', '1e400', '0x10', ' 7 ', '\u0000', '\r', 'h', 'nothub', '12,5', '路'),
  fc.double().map(String),
);

describe('orders CSV fuzz', () => {
  it('any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), check), { numRuns: 600 });
  });

  it('any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check), { numRuns: 300 });
  });

  it('a valid file with its cells, columns and lines disturbed', () => {
    fc.assert(fc.property(disturbedTable(HEADER, good, odd), check), { numRuns: 1200 });
  });
});
