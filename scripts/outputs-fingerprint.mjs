#!/usr/bin/env node
// Fingerprints every output file of every scenario in scenarios/ and bench/scenarios/, run with
// `--workers 1` and with `--workers 3` (threads forced on by ROADTWIN_INLINE_BELOW=0), so a
// refactoring can be checked to leave the engine's results byte-identical:
//
//   node scripts/outputs-fingerprint.mjs [roadtwin-bin] > before.json   (on the old tree)
//   node scripts/outputs-fingerprint.mjs [roadtwin-bin] > after.json    (on the new tree)
//   diff before.json after.json
//
// or, in one go: node scripts/outputs-fingerprint.mjs bin/roadtwin.js [filter] --against before.json
// (prints every file that differs and exits 1 when any does).
//
// Timing fields (wall-clock time, speed, phase timings, absolute paths) are dropped before
// hashing; every other byte of every file counts.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const argv = process.argv.slice(2);
const againstAt = argv.indexOf('--against');
const against = againstAt >= 0 ? JSON.parse(readFileSync(argv.splice(againstAt, 2)[1], 'utf8')) : null;
const bin = resolve(argv[0] ?? join(root, 'bin/roadtwin.js'));
const only = argv[1];
const TIMING_KEYS = new Set([
  'startedAt', 'finishedAt', 'wallSeconds', 'updatesPerSecond', 'nsPerUpdate', 'realTimeFactor',
  'phaseTimes', 'phaseSeconds', 'scenarioFile', 'barrierWait', 'timing', 'outDir',
]);
// short runs keep the check quick; each long enough for queues, V2X and logistics to happen
const DURATION = { 'ring-100k': 20, 'grid-16': 120, 'grid-16-v2x': 120, laoshan: 900, corridor: 1200, 'drone-delivery': 1800 };

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (!TIMING_KEYS.has(k)) out[k] = strip(v);
    return out;
  }
  return value;
}

function fingerprintFile(path) {
  const bytes = readFileSync(path);
  if (path.endsWith('.json')) {
    return createHash('sha256').update(JSON.stringify(strip(JSON.parse(bytes.toString('utf8'))))).digest('hex').slice(0, 16);
  }
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

function fingerprintDir(dir) {
  const out = {};
  for (const name of readdirSync(dir).sort()) {
    // drawn from the other files, with the manifest's times and workers
    if (name === 'report.html') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) Object.assign(out, Object.fromEntries(Object.entries(fingerprintDir(p)).map(([k, v]) => [`${name}/${k}`, v])));
    else out[name] = fingerprintFile(p);
  }
  return out;
}

const scenarios = [
  ...readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => join(root, 'scenarios', f)),
  ...readdirSync(join(root, 'bench/scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => join(root, 'bench/scenarios', f)),
].filter((f) => !only || f.includes(only));

const result = {};
for (const file of scenarios) {
  const name = file.split('/').pop().replace(/\.yaml$/, '');
  for (const workers of [1, 3]) {
    const out = mkdtempSync(join(tmpdir(), `fp-${name}-`));
    rmSync(out, { recursive: true });
    const args = [bin, 'run', file, '--out', out, '--quiet', '--workers', String(workers)];
    if (DURATION[name]) args.push('--duration', String(DURATION[name]));
    execFileSync(process.execPath, args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...(workers > 1 ? { ROADTWIN_INLINE_BELOW: '0' } : {}) },
    });
    result[`${name}/w${workers}`] = fingerprintDir(out);
    rmSync(out, { recursive: true, force: true });
    process.stderr.write(`${name} w${workers} done\n`);
  }
}
if (!against) process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
else {
  let differ = 0;
  for (const [run, files] of Object.entries(result)) {
    const before = against[run];
    if (!before) {
      console.log(`${run}: not in the reference`);
      continue;
    }
    for (const name of new Set([...Object.keys(files), ...Object.keys(before)])) {
      if (files[name] === before[name]) continue;
      differ++;
      console.log(`${run}/${name}: ${before[name] ?? 'absent'} -> ${files[name] ?? 'absent'}`);
    }
  }
  console.log(differ === 0 ? `identical: ${Object.keys(result).length} runs` : `${differ} files differ`);
  process.exit(differ === 0 ? 0 : 1);
}
