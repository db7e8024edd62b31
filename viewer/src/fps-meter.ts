/**
 * A frame meter, shown on demand (the `m` key, or `?fps` in the URL): pictures drawn per second
 * over the last second, the time between pictures and the main thread's work per picture
 * (interpolation, instances, panels and the WebGL calls; not the GPU's or SwiftShader's
 * rasterising, which happens after) as median and maximum over the last 2 s. The viewer draws a
 * picture only when something changed (viewer.ts `due`), so a paused, untouched page reads 0.
 * Samples go into fixed ring buffers: nothing is allocated per picture.
 */

const SLOTS = 512;
const WINDOW_MS = 2000;

export interface MeterReading {
  /** pictures in the last second */
  fps: number;
  /** median and maximum ms between consecutive pictures in the last 2 s (NaN: fewer than two) */
  intervalMs: number;
  intervalMaxMs: number;
  /** median and maximum main-thread ms per picture in the last 2 s (NaN: none) */
  workMs: number;
  workMaxMs: number;
}

export class FpsMeter {
  private readonly at = new Float64Array(SLOTS);
  private readonly work = new Float64Array(SLOTS);
  private readonly scratch = new Float64Array(SLOTS);
  private n = 0;
  private next = 0;
  private lastText = -Infinity;
  private el: HTMLElement | null = null;
  shown = false;

  /** Records a picture drawn at `now` (performance.now ms) that took `workMs` of main-thread time. */
  picture(now: number, workMs: number): void {
    this.at[this.next] = now;
    this.work[this.next] = workMs;
    this.next = (this.next + 1) % SLOTS;
    this.n = Math.min(SLOTS, this.n + 1);
  }

  /** The figures at `now` over the samples of the last 2 s. */
  read(now: number): MeterReading {
    let fps = 0;
    let w = 0;
    let iv = 0;
    let workMax = 0;
    let ivMax = 0;
    let prev = NaN;
    // oldest to newest
    for (let k = 0; k < this.n; k++) {
      const s = (this.next - this.n + k + SLOTS) % SLOTS;
      const t = this.at[s];
      if (now - t > WINDOW_MS) {
        prev = t;
        continue;
      }
      if (now - t <= 1000) fps++;
      this.scratch[w++] = this.work[s];
      workMax = Math.max(workMax, this.work[s]);
      if (Number.isFinite(prev)) ivMax = Math.max(ivMax, t - prev);
      prev = t;
    }
    const workMs = median(this.scratch, w);
    // the intervals, into the scratch buffer after the work samples were read out
    prev = NaN;
    for (let k = 0; k < this.n; k++) {
      const s = (this.next - this.n + k + SLOTS) % SLOTS;
      const t = this.at[s];
      if (now - t <= WINDOW_MS && Number.isFinite(prev)) this.scratch[iv++] = t - prev;
      prev = t;
    }
    return { fps, intervalMs: median(this.scratch, iv), intervalMaxMs: iv > 0 ? ivMax : NaN, workMs, workMaxMs: w > 0 ? workMax : NaN };
  }

  /** Shows or hides the meter (a fixed box over the map's top right corner). */
  setShown(on: boolean): void {
    this.shown = on;
    if (on && !this.el) {
      this.el = document.createElement('div');
      this.el.id = 'fps-meter';
      document.getElementById('map')?.appendChild(this.el);
    }
    if (this.el) this.el.hidden = !on;
    this.lastText = -Infinity;
  }

  /** Rewrites the meter's text, at most 4 times a second; returns the reading when it did. */
  show(now: number): MeterReading | null {
    if (!this.shown || !this.el || now - this.lastText < 250) return null;
    this.lastText = now;
    const r = this.read(now);
    const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
    this.el.innerHTML =
      `<b id="fps-value">${r.fps}</b> pictures/s<br>` +
      `between: <span id="fps-interval">${f(r.intervalMs)}</span> ms median, ${f(r.intervalMaxMs)} max<br>` +
      `work: <span id="fps-work">${f(r.workMs)}</span> ms median, ${f(r.workMaxMs)} max`;
    return r;
  }
}

/** The median of the first n values of a (sorted in place). */
function median(a: Float64Array, n: number): number {
  if (n === 0) return NaN;
  const v = a.subarray(0, n).sort();
  return n % 2 === 1 ? v[(n - 1) >> 1] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
