/** The viewer's export buttons: the map as a PNG now, a time range as a WebM (export.ts does the encoding). */
import { download, pictureBlob, recordWebm } from './export.js';
import { formatClock } from './player.js';
import { debug } from './debug-state.js';
import type { ViewInput } from './view-input.js';
import type { Stage } from './scene.js';
import type { LabelLayer } from './labels.js';
import type { Player } from './player.js';

/** What of the Viewer the export uses (an interface, so this module does not import viewer.ts). */
export interface ExportHost {
  readonly input: ViewInput;
  readonly stage: Stage;
  readonly labels: LabelLayer;
  readonly player: Player;
  readonly drawnTime: number;
  seek(t: number): void;
}

const fileName = (v: ExportHost, ext: string, t: number) => `roadtwin-${v.input.name.replace(/[^\w.-]+/g, '_')}-t${Math.round(t)}.${ext}`;

/** Saves the map as it is now, labels included, as a PNG. */
export async function exportPng(v: ExportHost): Promise<Blob> {
  v.labels.update(true);
  v.stage.render(); // the picture of now, whatever the loop last drew
  const blob = await pictureBlob(v.stage.canvas, v.labels.boxes());
  debug.lastExport = { kind: 'png', bytes: blob.size, width: v.stage.canvas.width, height: v.stage.canvas.height };
  download(blob, fileName(v, 'png', v.player.time));
  return blob;
}

const nextFrame = (done: () => boolean) =>
  new Promise<void>((r) => {
    const wait = () => (done() ? r() : requestAnimationFrame(wait));
    requestAnimationFrame(wait);
  });

/** Plays from `from` to `to` (simulation seconds) at the playback speed and saves it as a WebM. */
export async function exportWebm(v: ExportHost, from: number, to: number): Promise<void> {
  const status = document.getElementById('export-status')!;
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    status.textContent = 'WebM: give a range, "from" before "to"';
    return;
  }
  to = Math.min(to, v.player.end);
  status.textContent = `recording ${formatClock(from)} to ${formatClock(to)}…`;
  const play = async () => {
    v.seek(from);
    // the first picture at `from` before the clock runs
    await nextFrame(() => Math.abs(v.drawnTime - v.player.time) < 1e-9);
    v.player.playing = true;
    await nextFrame(() => v.player.time >= to || !v.player.playing);
    v.player.playing = false;
  };
  try {
    const blob = await recordWebm(v.stage.canvas, play);
    debug.lastExport = { kind: 'webm', bytes: blob.size, width: v.stage.canvas.width, height: v.stage.canvas.height };
    status.textContent = `WebM: ${(blob.size / 1e6).toFixed(1)} MB`;
    download(blob, fileName(v, 'webm', from));
  } catch (err) {
    status.textContent = `WebM: ${(err as Error).message}`;
  }
}
