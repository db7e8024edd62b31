// The sweep files shipped in scenarios/sweeps (the README's and the docs' commands run them) pass
// every check a sweep gets before its first run: base scenario, varied fields, each combination's
// scenario and the metric paths.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSweep } from './load.js';
import { checkSweep } from './check.js';

const dir = fileURLToPath(new URL('../../scenarios/sweeps/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('the shipped sweep files', () => {
  it('are there', () => expect(files.length).toBeGreaterThanOrEqual(4));
  for (const f of files) {
    it(`${f} plans every combination × seed without a problem`, () => {
      const spec = loadSweep(join(dir, f));
      const { runs } = checkSweep(spec);
      const combos = spec.vary.reduce((n, v) => n * v.values.length, 1);
      expect(runs).toHaveLength(combos * spec.seeds.length);
    });
  }
});
