/**
 * Checks a run directory before `roadtwin view` serves it, so a wrong path or a damaged run is
 * reported in one line in the terminal instead of as a blank page. Reads only headers and the
 * small files; the viewer decodes the frames it shows and reports damage there in the page.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FRAME_HEADER_BYTES, HEADER_BYTES, decodeHeader, decodeIndex, frameBytesAt } from '../trace/format.js';

export class RunDirError extends Error {}

export interface RunSummary {
  name: string;
  frames: number;
  lastTime: number;
}

const readJson = (file: string, what: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new RunDirError(`${what} is not valid JSON (${(err as Error).message})`);
  }
};

function readAt(file: string, position: number, length: number): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buf = new Uint8Array(length);
    const got = readSync(fd, buf, 0, length, position);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Throws RunDirError with a one-line message naming what is wrong. */
export function checkRunDir(dir: string): RunSummary {
  if (!existsSync(dir)) throw new RunDirError(`${dir}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new RunDirError(`${dir}: not a directory`);
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new RunDirError(`${dir}: not a run directory (no manifest.json; a run writes it last, so the run may still be going or have crashed)`);
  const manifest = readJson(manifestFile, `${manifestFile}`);
  for (const f of ['network.json', 'trace.bin', 'trace.idx'])
    if (!existsSync(join(dir, f))) throw new RunDirError(`${dir}: ${f} is missing`);
  readJson(join(dir, 'network.json'), join(dir, 'network.json'));

  const bin = join(dir, 'trace.bin');
  const binSize = statSync(bin).size;
  let head;
  try {
    head = decodeHeader(readAt(bin, 0, HEADER_BYTES));
  } catch (err) {
    throw new RunDirError(`${bin}: ${(err as Error).message}`);
  }
  let index;
  try {
    index = decodeIndex(new Uint8Array(readFileSync(join(dir, 'trace.idx'))));
  } catch (err) {
    throw new RunDirError(`${join(dir, 'trace.idx')}: ${(err as Error).message}`);
  }
  const frames = index.times.length;
  if (frames === 0) throw new RunDirError(`${join(dir, 'trace.idx')}: the trace has no frames`);
  // the last frame must lie whole inside trace.bin: that catches truncation and a mismatched pair
  const last = index.offsets[frames - 1];
  const lastHead = readAt(bin, last, FRAME_HEADER_BYTES);
  if (lastHead.byteLength < FRAME_HEADER_BYTES) throw new RunDirError(`${bin}: truncated (the index points past its end at byte ${last} of ${binSize})`);
  const dv = new DataView(lastHead.buffer, lastHead.byteOffset, lastHead.byteLength);
  const t = dv.getFloat64(0, true);
  if (t !== index.times[frames - 1]) throw new RunDirError(`${bin}: frame at byte ${last} has time ${t}, the index says ${index.times[frames - 1]} (trace.bin and trace.idx do not belong together)`);
  if (last + frameBytesAt(dv, 0, head) > binSize) throw new RunDirError(`${bin}: truncated (its last frame ends past byte ${binSize})`);
  return { name: typeof manifest.name === 'string' ? manifest.name : '(unnamed)', frames, lastTime: index.times[frames - 1] };
}
