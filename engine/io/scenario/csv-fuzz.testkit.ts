// What the fuzz tests of a scenario's CSV inputs (orders, trips files) share: loading the
// scenario that names the file must end in the scenario or in located lines, and the "valid file,
// disturbed" property that edits, repeats and reorders a table of good rows.
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import { loadScenario, ScenarioError } from './index.js';

/**
 * Writes `text` to `dataFile`, loads `scenarioFile`; returns true when it loaded. Any error
 * but a ScenarioError whose every line matches `line` fails the case.
 */
export function loadsOrLocates(scenarioFile: string, dataFile: string, line: RegExp, text: string | Uint8Array): boolean {
  writeFileSync(dataFile, text);
  try {
    loadScenario(scenarioFile);
    return true;
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    const lines = err.format().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(line);
    return false;
  }
}

/**
 * A CSV text of up to 6 good rows under `header` (or the header reversed, columns moved with
 * it), with up to 6 cells replaced by `odd` values and up to 3 lines repeated.
 */
export function disturbedTable(header: readonly string[], good: (row: number) => string[], odd: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 0, max: 6 }), fc.array(fc.tuple(fc.nat(), fc.nat(), odd), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 3 }), fc.boolean())
    .map(([rows, edits, repeats, shuffle]) => {
      const columns = shuffle ? [...header].reverse() : [...header];
      const body = Array.from({ length: rows }, (_, i) => {
        const g = good(i);
        return columns.map((h) => g[header.indexOf(h)]);
      });
      const table = [columns, ...body];
      for (const [r, c, v] of edits) {
        const row = table[r % table.length];
        if (row.length > 0) row[c % row.length] = v;
      }
      for (const r of repeats) table.push([...table[r % table.length]]);
      return `${table.map((r) => r.join(',')).join('\n')}\n`;
    });
}
