#!/usr/bin/env node
// Thin launcher: the CLI lives in engine/cli and is compiled to dist/ by `npm run build`
// (which `npm install` runs through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
// V8 sizes its heap for speed by default and lets the old generation grow to ~4 times what is
// live; a run allocates short-lived numbers in its hot loop at a high rate, so the heap (and the
// worker threads' heaps) sat at ~3 times the live data. Optimising for size keeps the peak
// resident memory of SUMO's congested 16 × 16 grid at ~160 MB instead of ~280 MB for a few per
// cent of speed (docs/benchmarks.md, Memory). Set before anything is loaded; the same bits either way.
if (process.env.ROADTWIN_V8_OPTIMIZE_FOR !== 'speed') setFlagsFromString('--optimize-for-size');
const main = fileURLToPath(new URL('../dist/engine/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('roadtwin: the engine is not built yet; run `npm run build` in the roadtwin folder.\n');
  process.exit(1);
}
await import(main);
