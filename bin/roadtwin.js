#!/usr/bin/env node
// Thin launcher: the CLI lives in engine/cli and is compiled to dist/ by `npm run build`
// (which `npm install` runs through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = fileURLToPath(new URL('../dist/engine/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('roadtwin: the engine is not built yet; run `npm run build` in the roadtwin folder.\n');
  process.exit(1);
}
await import(main);
