// Shared by the sweep tests that run the compiled command line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const built = existsSync(join(root, 'dist', 'engine', 'cli', 'main.js'));

export function roadtwin(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/roadtwin.js', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The fields of metrics.json that measure the machine, not the simulation. */
const TIMING = ['wallSeconds', 'updatesPerSecond', 'nsPerUpdate', 'realTimeFactor'];

/** metrics.json as text without its timing fields: equal runs give equal text. */
export function simulatedMetrics(runDir: string): string {
  const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8')) as Record<string, unknown>;
  for (const k of TIMING) delete m[k];
  return JSON.stringify(m, null, 2);
}

export interface Plan {
  runs: { key: string; params: Record<string, unknown>; seed: number }[];
}
export const readPlan = (out: string) => JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as Plan;
