/**
 * The benchmark report: what `roadtwin bench` writes to bench/results/latest.json and what a
 * baseline (bench/baseline.json) is. A case is one scenario at one worker count; its key is
 * `name/wN`.
 */
import type { MacroResult } from './macro.js';
import { TICK_PHASE_NAMES } from '../engine/sim/tick.js';

export interface BenchReport {
  engineVersion: string;
  date: string;
  commit: string | null;
  node: string;
  cpu: string;
  cores: number;
  profile: string;
  calibrationVersion: number;
  /** repetitions of each case; `results` holds the best of them */
  repetitions: number;
  results: MacroResult[];
  /** every repetition's calibrated figure, per case key, so the spread can be seen */
  spread: Record<string, number[]>;
  comparisons: Record<string, number | null>;
  /**
   * (a baseline) the commit whose engine the gate races this build against (bench/race.ts);
   * recording a baseline moves it to the commit recorded
   */
  reference?: string;
  /** (a gated run) the race's figures per case: this build's throughput ÷ the reference's */
  race?: Record<string, { ratio: number; quartiles: [number, number]; races: number; referenceUpdatesPerSecond: number }>;
}

export const caseKey = (r: { name: string; workers: number }): string => `${r.name}/w${r.workers}`;

/** The best repetition of each case (highest calibrated throughput), in the order first seen. */
export function bestOf(runs: MacroResult[]): MacroResult[] {
  const best = new Map<string, MacroResult>();
  for (const r of runs) {
    const k = caseKey(r);
    const b = best.get(k);
    if (!b || r.calibrated > b.calibrated) best.set(k, r);
  }
  return [...best.values()];
}

/** Throughput of one worker count over another for a scenario, from the same report. */
export function speedUp(results: MacroResult[], name: string, a: number, b: number): number | null {
  const x = results.find((r) => r.name === name && r.workers === a);
  const y = results.find((r) => r.name === name && r.workers === b);
  return x && y ? Math.round((x.updatesPerSecond / y.updatesPerSecond) * 1000) / 1000 : null;
}

export function formatTable(results: MacroResult[]): string {
  const head =
    `case            vehicles   M upd/s  ns/upd      RTF  B/veh  peak MB  calib M/s  calibrated  ${`% (${TICK_PHASE_NAMES.join('/')})`.padEnd(59)} barrier µs/tick\n`;
  const rows = results.map((r) => {
    const ps = r.phaseShare;
    const split = TICK_PHASE_NAMES.map((k) => `${Math.round((ps[k] ?? 0) * 100)}`).join('/');
    return (
      `${caseKey(r).padEnd(15)} ${String(r.vehicles).padStart(8)} ${(r.updatesPerSecond / 1e6).toFixed(2).padStart(9)} ${r.nsPerUpdate.toFixed(1).padStart(7)} ` +
      `${String(r.realTimeFactor).padStart(8)} ${String(r.bytesPerVehicle).padStart(6)} ${String(r.peakRssMB).padStart(8)} ` +
      `${(r.calibration / 1e6).toFixed(1).padStart(10)} ${r.calibrated.toFixed(4).padStart(11)}  ${split.padEnd(59)} ${r.barrierMicrosPerTick ?? '-'}\n`
    );
  });
  return head + rows.join('');
}
