/**
 * The architecture, checked (docs/architecture.md): no import cycle in engine/ or viewer/src/
 * (type-only imports count: they couple as much), layers import only downward, no long file
 * without a reason at its top, and nothing tracked refers to a folder outside the repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The layers of engine/, lowest first: a module may import its own layer and those below. */
const LAYERS: string[][] = [['spec'], ['core'], ['road'], ['traffic'], ['v2x', 'logistics'], ['perception'], ['sim'], ['parallel'], ['io'], ['sweep'], ['cli']];
const rank = (dir: string) => LAYERS.findIndex((l) => l.includes(dir));
const LONG_FILE = 700;

function sources(dir: string): string[] {
  const out: string[] = [];
  (function walk(d: string) {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        if (n !== 'fixtures' && n !== 'node_modules') walk(p);
      } else if (n.endsWith('.ts') && !n.endsWith('.d.ts') && !/\.(test|bench|testkit)\.ts$/.test(n)) out.push(p);
    }
  })(dir);
  return out;
}

/** Every relative import of a file (type-only included), resolved to a file. */
function imports(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const out: string[] = [];
  for (const imp of info.importedFiles) {
    if (!imp.fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), imp.fileName);
    const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')];
    const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
    if (hit) out.push(hit);
  }
  return out;
}

/** The strongly connected components with more than one file (Tarjan). */
function cycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, imports(f).filter((t) => files.includes(t))]));
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(relative(root, w));
      } while (w !== v);
      if (c.length > 1) found.push(c.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found;
}

describe('architecture', () => {
  const engine = sources(join(root, 'engine'));

  it('has no import cycle in engine/ or viewer/src/', () => {
    expect(cycles(engine)).toEqual([]);
    expect(cycles(sources(join(root, 'viewer/src')))).toEqual([]);
  });

  it('imports only downward through the layers of engine/', () => {
    const wrong: string[] = [];
    for (const f of engine) {
      const from = relative(join(root, 'engine'), f).split('/');
      if (from.length === 1) continue; // engine/index.ts: the public index, above everything
      const rf = rank(from[0]);
      expect(rf, `engine/${from[0]} is not in a layer`).toBeGreaterThanOrEqual(0);
      for (const t of imports(f)) {
        const to = relative(join(root, 'engine'), t).split('/');
        if (to[0].startsWith('..')) continue; // bench/: only the CLI's bench command imports it
        if (to[0] === from[0]) continue;
        const rt = rank(to[0]);
        if (rt > rf || (rt === rf && to[0] !== from[0])) wrong.push(`${relative(root, f)} -> ${relative(root, t)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no source file over 700 lines without a reason at its top', () => {
    const long = [...engine, ...sources(join(root, 'viewer/src'))].filter((f) => {
      const text = readFileSync(f, 'utf8');
      return text.split('\n').length > LONG_FILE && !/^\/\*\*[\s\S]{0,1500}?Long file:/.test(text);
    });
    expect(long.map((f) => relative(root, f))).toEqual([]);
  });

  it('refers to nothing outside the repository', () => {
    let tracked: string[];
    try {
      tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    } catch {
      return; // not a git checkout (an npm tarball): nothing tracked to check
    }
    const outside = /\.\.\/shared\b|\/work\/shared/;
    const hits = tracked
      .filter((f) => /\.(ts|js|mjs|md|yaml|yml|json|sh)$/.test(f) || f === '.ci/run')
      .filter((f) => existsSync(join(root, f)) && outside.test(readFileSync(join(root, f), 'utf8')) && f !== 'engine/arch/architecture.test.ts');
    expect(hits).toEqual([]);
  });
});

describe('the tick, written down', () => {
  it('is listed in README.md and docs/architecture.md in the order of engine/sim/tick.ts', async () => {
    const { TICK_PHASES } = await import('../sim/tick.js');
    const names = TICK_PHASES.map((p) => p.name);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const readmeList = [...readme.matchAll(/^\d+\. `([a-z0-9]+)`:/gim)].map((m) => m[1]);
    expect(readmeList).toEqual(names);
    const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| (\d+) \| `([a-zA-Z0-9]+)` \| ([^|]+) \|( [^|]*)\|$/gm)];
    expect(rows.map((m) => m[2])).toEqual(names);
    // each row says what the phase's own description says, and names its thread phases
    rows.forEach((m, i) => {
      expect(m[3].trim()).toBe(TICK_PHASES[i].does);
      expect([...m[4].matchAll(/`([a-zA-Z0-9]+)`/g)].map((t) => t[1])).toEqual([...TICK_PHASES[i].threads]);
    });
  });

  it('names only thread phases that engine/sim/phases.ts defines, each used by exactly one tick phase', async () => {
    const { TICK_PHASES } = await import('../sim/tick.js');
    const { THREAD_PHASE_NAMES } = await import('../sim/phases.js');
    const used = TICK_PHASES.flatMap((p) => [...p.threads]);
    expect([...used].sort()).toEqual([...THREAD_PHASE_NAMES].sort());
  });
});
