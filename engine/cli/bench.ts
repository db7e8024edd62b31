/**
 * `roadtwin bench [--profile short|full] [--out FILE]`: runs the macro benchmarks (bench/macro.ts),
 * each in its own process so that one's heap does not slow the next and peak memory is its own,
 * prints a table and writes the results as JSON. Comparisons (threads against one thread) are
 * measured in the same run, one right after the other, because this machine is shared and noisy.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../io/run/atomic.js';
import { ENGINE_VERSION } from '../core/version.js';
import type { MacroResult } from '../../bench/macro.js';

interface Case {
  name: string;
  duration?: number;
  workers: number;
}

const cores = availableParallelism();
const profiles: Record<string, Case[]> = {
  short: [
    { name: 'ring-100k', duration: 10, workers: 1 },
    { name: 'ring-100k', duration: 10, workers: 2 },
    { name: 'grid-16', duration: 60, workers: 1 },
    { name: 'grid-16', duration: 60, workers: 2 },
    { name: 'laoshan', duration: 900, workers: 1 },
    { name: 'laoshan', duration: 900, workers: cores },
  ],
  full: [
    { name: 'ring-100k', workers: 1 },
    { name: 'ring-100k', workers: 2 },
    { name: 'grid-16', workers: 1 },
    { name: 'grid-16', workers: 2 },
    { name: 'laoshan', workers: 1 },
    { name: 'laoshan', workers: cores },
  ],
};

export async function runBench(opts: { profile: string; out: string }): Promise<number> {
  const profile = profiles[opts.profile];
  if (!profile) {
    process.stderr.write(`roadtwin bench: unknown profile '${opts.profile}' (short | full)\n`);
    return 1;
  }
  const child = fileURLToPath(new URL('./bench-child.js', import.meta.url));
  const results: MacroResult[] = [];
  process.stdout.write('scenario    workers vehicles   M upd/s  ns/upd      RTF  B/veh  peak MB  phases (decide/lanes/move/order/insert/record)  barrier µs/tick\n');
  for (const b of profile) {
    const args = [child, b.name, b.duration !== undefined ? String(b.duration) : '-', String(b.workers)];
    const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    const r = JSON.parse(out.trim().split('\n').pop()!) as MacroResult;
    results.push(r);
    const ps = r.phaseShare;
    const split = ['decide', 'lanes', 'move', 'order', 'insert', 'record'].map((k) => `${Math.round((ps[k] ?? 0) * 100)}`).join('/');
    process.stdout.write(
      `${r.name.padEnd(11)} ${String(r.workers).padStart(7)} ${String(r.vehicles).padStart(8)} ${(r.updatesPerSecond / 1e6).toFixed(2).padStart(9)} ${r.nsPerUpdate.toFixed(1).padStart(7)} ${String(r.realTimeFactor).padStart(8)} ${String(r.bytesPerVehicle).padStart(6)} ${String(r.peakRssMB).padStart(8)}  ${split.padEnd(47)} ${r.barrierMicrosPerTick ?? '-'}\n`,
    );
  }
  const ratio = (name: string, a: number, b: number) => {
    const x = results.find((r) => r.name === name && r.workers === a);
    const y = results.find((r) => r.name === name && r.workers === b);
    return x && y ? Math.round((x.updatesPerSecond / y.updatesPerSecond) * 1000) / 1000 : null;
  };
  const comparisons = {
    'grid-16 workers 2 / workers 1': ratio('grid-16', 2, 1),
    'ring-100k workers 2 / workers 1': ratio('ring-100k', 2, 1),
    [`laoshan default (${cores}) / workers 1`]: ratio('laoshan', cores, 1),
  };
  for (const [k, v] of Object.entries(comparisons)) process.stdout.write(`${k}: ${v ?? '-'}\n`);
  const report = {
    engineVersion: ENGINE_VERSION,
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores,
    profile: opts.profile,
    results,
    comparisons,
  };
  const file = resolve(opts.out);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`results: ${opts.out}\n`);
  return 0;
}
