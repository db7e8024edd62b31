// The V2X layer's imports: engine/spec, engine/core, engine/road, engine/traffic and itself, never
// the layers above it (engine/sim composes it; engine/io formats its reports; engine/parallel
// hosts its worker side; engine/logistics is a sibling). Type-only imports count: a cycle of
// types is a cycle. Tests may build a whole world and are not checked.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const engine = resolve(here, '..');
const ALLOWED = ['spec', 'core', 'road', 'traffic', 'v2x'];

describe('engine/v2x imports', () => {
  it('only engine/spec, core, road, traffic and itself (type-only imports included)', () => {
    const files = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.bench.ts'));
    expect(files.length).toBeGreaterThan(10);
    const bad: string[] = [];
    for (const f of files) {
      const info = ts.preProcessFile(readFileSync(join(here, f), 'utf8'), true, true);
      for (const ref of info.importedFiles) {
        if (!ref.fileName.startsWith('.')) continue;
        const layer = relative(engine, resolve(here, ref.fileName)).split(/[\\/]/)[0];
        if (!ALLOWED.includes(layer)) bad.push(`${f}: ${ref.fileName}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
