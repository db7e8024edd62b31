/**
 * `roadtwin bench [--profile short|full] [--out FILE]`: runs the macro benchmarks (bench/macro.ts)
 * and writes their results as JSON, printing a table. Each scenario runs in a child process so
 * that one's heap does not slow the next and peak memory is its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { writeFileAtomic } from '../io/run/atomic.js';
import { ENGINE_VERSION } from '../core/version.js';

const profiles: Record<string, { name: string; duration?: number }[]> = {
  short: [
    { name: 'ring-100k', duration: 10 },
    { name: 'grid-16', duration: 60 },
  ],
  full: [{ name: 'ring-100k' }, { name: 'grid-16' }, { name: 'laoshan' }],
};

export async function runBench(opts: { profile: string; out: string }): Promise<number> {
  const profile = profiles[opts.profile];
  if (!profile) {
    process.stderr.write(`roadtwin bench: unknown profile '${opts.profile}' (short | full)\n`);
    return 1;
  }
  const child = fileURLToPath(new URL('./bench-child.js', import.meta.url));
  const results = [];
  for (const b of profile) {
    const args = [child, b.name, ...(b.duration !== undefined ? [String(b.duration)] : [])];
    const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    results.push(r);
    process.stdout.write(
      `${r.name.padEnd(10)} ${String(r.vehicles).padStart(7)} veh  ${(r.updatesPerSecond / 1e6).toFixed(2).padStart(6)} M upd/s  ${r.nsPerUpdate.toFixed(1).padStart(6)} ns/upd  RTF ${String(r.realTimeFactor).padStart(8)}  ${r.bytesPerVehicle} B/veh  ${r.peakRssMB} MB peak\n`,
    );
  }
  const report = {
    engineVersion: ENGINE_VERSION,
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    profile: opts.profile,
    workers: 1,
    results,
  };
  const file = resolve(opts.out);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`results: ${opts.out}\n`);
  return 0;
}
