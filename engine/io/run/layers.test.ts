// The layers import only downward: … ← sim ← parallel ← io ← sweep ← cli. The run loop moved out
// of engine/cli into engine/io/run/session.ts so that the sweep's child runs and the library no
// longer reach up into the command line; this keeps it so. Every import counts, type-only ones
// and dynamic import() too (ts.preProcessFile lists them all, from the text alone). Test files may
// import the command line to drive it, so they are left out.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const engine = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The engine directories (`cli`, `sweep`, …) that the sources under `layer` import from. */
function importedLayers(layer: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sources(join(engine, layer))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = relative(engine, resolve(dirname(file), fileName));
      const top = target.startsWith('..') ? target : target.split('/')[0];
      found.set(top, [...(found.get(top) ?? []), `${relative(engine, file)} → ${fileName}`]);
    }
  }
  return found;
}

describe('layers', () => {
  it('nothing in engine/sweep imports engine/cli', () => {
    expect(importedLayers('sweep').get('cli') ?? []).toEqual([]);
  });

  it('nothing in engine/io imports engine/sweep or engine/cli', () => {
    const found = importedLayers('io');
    expect([...(found.get('cli') ?? []), ...(found.get('sweep') ?? [])]).toEqual([]);
    // (the check sees the imports at all: io does import sim)
    expect(found.get('sim')?.length).toBeGreaterThan(0);
  });
});
