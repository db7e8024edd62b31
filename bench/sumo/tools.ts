/**
 * Running SUMO's programs (and roadtwin's CLI) from the benchmarks that compare with SUMO
 * (bench/sumo/race.ts, bench/validation/run.ts): checking they are installed, running them with
 * SUMO_HOME set, and timing them under GNU time for their peak resident memory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SUMO_HOME = process.env.SUMO_HOME ?? '/usr/share/sumo';
export const randomTrips = join(SUMO_HOME, 'tools', 'randomTrips.py');
const TIME = '/usr/bin/time';

/** The command runs and exits 0 (e.g. `sumo --version`). */
export function have(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

/** Runs a command to its end; a failure ends the benchmark with the command and its last output. */
export function run(cmd: string, args: string[], cwd: string, who = 'bench'): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, SUMO_HOME }, maxBuffer: 1 << 28 });
  if (r.error || r.status !== 0) {
    process.stderr.write(`${who}: ${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${((r.stderr ?? '') + (r.stdout ?? '')).slice(-2000)}\n`);
    process.exit(1);
  }
  return r.stdout + r.stderr;
}

/** Runs a command under GNU time for its peak resident memory (when time is installed). */
export function timed(cmd: string, args: string[], cwd: string, who = 'bench'): { output: string; wall: number; peakMB: number | null } {
  const memFile = join(cwd, `time-${process.pid}-${Date.now()}.txt`);
  const useTime = existsSync(TIME);
  const t0 = performance.now();
  const output = useTime ? run(TIME, ['-v', '-o', memFile, cmd, ...args], cwd, who) : run(cmd, args, cwd, who);
  const wall = (performance.now() - t0) / 1000;
  let peakMB: number | null = null;
  if (useTime) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(memFile, 'utf8'));
    if (m) peakMB = Number(m[1]) / 1024;
  }
  return { output, wall, peakMB };
}
