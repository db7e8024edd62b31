/**
 * signals.bin: the state of every signal-controlled connection over time, as a stream of
 * changes. Fixed-time plans could be recomputed from network.json, but the stream records what
 * the world actually did, so actuated or V2X-driven signals will replay the same way.
 *
 *   header  magic "RTSIGNL1" (8), version u32 (1), K u32: number of controlled connections  (16 bytes)
 *           K × u32: the connection index (into network.json `connections`) of each slot
 *   blocks  time f64, n u32, then n × u32 changes: slot in the low 30 bits, state in the top 2
 *           (0 G green, 1 g yield-green, 2 y yellow, 3 r red, as signalStateNames)
 *
 * The first block (time 0) holds every slot; later blocks only the slots that changed, at the
 * simulated time the new state took effect. Little-endian. No Node or DOM dependency.
 */

export const SIGNAL_MAGIC = 'RTSIGNL1';
export const SIGNAL_VERSION = 1;
export const SIGNAL_HEADER_BYTES = 16;
export const SIGNAL_BLOCK_HEADER_BYTES = 12;
const SLOT_MASK = 0x3fffffff;

export function encodeSignalHeader(conns: ArrayLike<number>): Uint8Array {
  const buf = new Uint8Array(SIGNAL_HEADER_BYTES + conns.length * 4);
  const dv = new DataView(buf.buffer);
  for (let i = 0; i < 8; i++) dv.setUint8(i, SIGNAL_MAGIC.charCodeAt(i));
  dv.setUint32(8, SIGNAL_VERSION, true);
  dv.setUint32(12, conns.length, true);
  for (let k = 0; k < conns.length; k++) dv.setUint32(SIGNAL_HEADER_BYTES + k * 4, conns[k], true);
  return buf;
}

/** One block: the changes `slots[0..n)` to `states[0..n)` at `time`. */
export function encodeSignalBlock(time: number, slots: ArrayLike<number>, states: ArrayLike<number>, n: number): Uint8Array {
  const buf = new Uint8Array(SIGNAL_BLOCK_HEADER_BYTES + n * 4);
  const dv = new DataView(buf.buffer);
  dv.setFloat64(0, time, true);
  dv.setUint32(8, n, true);
  for (let k = 0; k < n; k++) dv.setUint32(SIGNAL_BLOCK_HEADER_BYTES + k * 4, ((states[k] & 3) << 30 | (slots[k] & SLOT_MASK)) >>> 0, true);
  return buf;
}

/** The stream decoded into flat arrays: block k changes `slot[start[k] .. start[k+1])`. */
export interface SignalStream {
  /** connection index of each slot */
  conns: Uint32Array;
  times: Float64Array;
  /** start of each block in slot/state, plus one entry for the end */
  start: Uint32Array;
  slot: Uint32Array;
  state: Uint8Array;
}

/** Decodes a whole signals.bin (it is small: a few bytes per signal change); throws on damage. */
export function decodeSignalStream(bytes: Uint8Array): SignalStream {
  if (bytes.byteLength < SIGNAL_HEADER_BYTES) throw new Error('signals.bin is truncated');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let magic = '';
  for (let i = 0; i < 8; i++) magic += String.fromCharCode(dv.getUint8(i));
  if (magic !== SIGNAL_MAGIC) throw new Error('signals.bin is not a roadtwin signal stream (bad magic)');
  const version = dv.getUint32(8, true);
  if (version !== SIGNAL_VERSION) throw new Error(`signals.bin version ${version} is not supported`);
  const k = dv.getUint32(12, true);
  let o = SIGNAL_HEADER_BYTES + k * 4;
  if (o > bytes.byteLength) throw new Error('signals.bin is truncated');
  const conns = new Uint32Array(k);
  for (let i = 0; i < k; i++) conns[i] = dv.getUint32(SIGNAL_HEADER_BYTES + i * 4, true);
  // first pass: count blocks and changes, so the arrays are allocated once
  let blocks = 0;
  let changes = 0;
  for (let p = o; p < bytes.byteLength; ) {
    if (p + SIGNAL_BLOCK_HEADER_BYTES > bytes.byteLength) throw new Error(`signals.bin block at byte ${p} is truncated`);
    const n = dv.getUint32(p + 8, true);
    p += SIGNAL_BLOCK_HEADER_BYTES + n * 4;
    if (p > bytes.byteLength) throw new Error(`signals.bin block at byte ${p} is truncated`);
    blocks++;
    changes += n;
  }
  const times = new Float64Array(blocks);
  const start = new Uint32Array(blocks + 1);
  const slot = new Uint32Array(changes);
  const state = new Uint8Array(changes);
  let c = 0;
  for (let b = 0; b < blocks; b++) {
    times[b] = dv.getFloat64(o, true);
    const n = dv.getUint32(o + 8, true);
    start[b] = c;
    for (let i = 0; i < n; i++, c++) {
      const v = dv.getUint32(o + SIGNAL_BLOCK_HEADER_BYTES + i * 4, true);
      slot[c] = v & SLOT_MASK;
      state[c] = v >>> 30;
      if (slot[c] >= k) throw new Error(`signals.bin names slot ${slot[c]} of ${k}`);
    }
    o += SIGNAL_BLOCK_HEADER_BYTES + n * 4;
  }
  start[blocks] = c;
  return { conns, times, start, slot, state };
}
