#!/usr/bin/env node
// Moves TypeScript modules and rewrites every relative import that points at them (and the
// relative imports inside the moved files), across engine/, bench/ and viewer/:
//   node scripts/move-modules.mjs old/path.ts=new/path.ts [...]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const moves = new Map(process.argv.slice(2).map((a) => a.split('=').map((p) => resolve(root, p))));
const files = [];
for (const top of ['engine', 'bench', 'viewer', 'scripts']) {
  (function walk(d) {
    if (!existsSync(d)) return;
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (n === 'node_modules' || n === 'dist') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mts|mjs)$/.test(n)) files.push(p);
    }
  })(join(root, top));
}
const SPEC = /((?:from|import)\s*\(?\s*|vi\.mock\(\s*)(['"])(\.{1,2}\/[^'"]+)\2/g;
const edits = new Map();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const newFile = moves.get(file) ?? file;
  const out = text.replace(SPEC, (all, pre, q, spec) => {
    const abs = resolve(dirname(file), spec);
    const asTs = abs.replace(/\.js$/, '.ts');
    const target = moves.get(asTs) ? moves.get(asTs).replace(/\.ts$/, abs.endsWith('.js') ? '.js' : '.ts') : abs;
    if (!moves.has(asTs) && newFile === file) return all;
    let rel = relative(dirname(newFile), target);
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `${pre}${q}${rel}${q}`;
  });
  if (out !== text) edits.set(file, out);
}
for (const [from, to] of moves) {
  mkdirSync(dirname(to), { recursive: true });
  execFileSync('git', ['mv', from, to], { cwd: root });
}
for (const [file, text] of edits) writeFileSync(moves.get(file) ?? file, text);
console.log(`moved ${moves.size} modules, rewrote imports in ${edits.size} files`);
