// Whatever the input, loading ends in a scenario or in a ScenarioError with located problems:
// never another exception (which the CLI would show as an internal error with a stack).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Document, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from './index.js';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
const contractDir = fileURLToPath(new URL('../../../scenarios', import.meta.url));

function outcome(text: string, overrides: string[] = []): 'ok' | ScenarioError {
  try {
    parseScenario(text, 'fuzz.yaml', { overrides });
    return 'ok';
  } catch (err) {
    if (err instanceof ScenarioError) return err;
    throw err;
  }
}

function wellLocated(e: ScenarioError) {
  expect(e.problems.length).toBeGreaterThan(0);
  for (const p of e.problems) {
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.col).toBeGreaterThanOrEqual(1);
    expect(p.message).not.toBe('');
    expect(p.message).not.toContain('\u0000');
  }
}

const contract = ['ring', 'corridor', 'grid'].map((n) => parse(readFileSync(join(contractDir, `${n}.yaml`), 'utf8')) as unknown);

/** Every path to a value inside `v`, including containers. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

describe('robustness', () => {
  it('any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = outcome(text);
        if (r !== 'ok') wellLocated(r);
      }),
      { numRuns: 300 },
    );
  });

  it('a contract scenario with one value replaced by anything', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: contract.length - 1 }),
        fc.nat(),
        fc.jsonValue({ maxDepth: 2 }),
        (which, pick, value) => {
          const doc = new Document(structuredClone(contract[which]));
          const all = paths(contract[which]).filter((p) => p.length > 0);
          doc.setIn(all[pick % all.length], value);
          const r = outcome(doc.toString());
          if (r !== 'ok') wellLocated(r);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any --set argument', () => {
    const ring = readFileSync(join(contractDir, 'ring.yaml'), 'utf8');
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }), (overrides) => {
        const r = outcome(ring, overrides);
        if (r !== 'ok') wellLocated(r);
      }),
      { numRuns: 300 },
    );
  });
});
