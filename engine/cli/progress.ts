/**
 * The progress bar of `roadtwin run` and `roadtwin resume`, drawn from the session's progress
 * reports (engine/io/run/session.ts); only on a terminal and without --quiet, so that piped
 * output and the sweep's child runs stay clean.
 */
import cliProgress from 'cli-progress';
import type { SessionProgress } from '../io/run/session.js';

export interface ProgressBar {
  update(p: SessionProgress): void;
  stop(): void;
}

export function progressBar(quiet: boolean | undefined): ProgressBar | null {
  if (quiet || process.stdout.isTTY !== true) return null;
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {percentage}% | sim {sim}s of {total}s | {active} vehicles | {rate} upd/s', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const payload = {
        sim: Math.round(p.time),
        total: p.duration,
        active: p.active,
        rate: p.wallSeconds > 0 ? Math.round(p.vehicleUpdates / p.wallSeconds).toLocaleString('en') : 0,
      };
      // the first report is the loop's start: where a resumed run begins
      if (started) bar.update(p.tick, payload);
      else bar.start(p.ticksTotal, p.tick, payload);
      started = true;
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
