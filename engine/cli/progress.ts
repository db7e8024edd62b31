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

/** `stream` is the terminal to draw on (the process's stdout; a test gives its own). */
export function progressBar(quiet: boolean | undefined, stream: NodeJS.WriteStream = process.stdout): ProgressBar | null {
  if (quiet || stream.isTTY !== true) return null;
  // ({total} and {duration} are cli-progress's own: the tick count and the elapsed time)
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {percentage}% | sim {sim}s of {simEnd}s | {active} vehicles | {rate} upd/s', hideCursor: true, stream },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const payload = {
        sim: Math.round(p.time),
        simEnd: p.duration,
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
