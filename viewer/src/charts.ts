/**
 * Small SVG line charts of timeseries.csv columns with a cursor at the current time; clicking a
 * chart seeks there. Hand-written: a polyline per series, min/max per pixel column so spikes
 * survive the reduction of 3,600 rows to ~300 pixels.
 */
const SVG = 'http://www.w3.org/2000/svg';
const W = 300;
const H = 70;
const PAD_L = 34;
const PAD_B = 12;

export class TimeChart {
  readonly root: HTMLDivElement;
  private readonly svg: SVGSVGElement;
  private readonly line: SVGPolylineElement;
  private readonly cursor: SVGLineElement;
  private readonly valueLabel: HTMLSpanElement;
  private readonly axisMax: SVGTextElement;
  private readonly axisT: SVGTextElement;
  private times: number[];
  private values: number[];
  private tMax: number;
  private dirty = true;

  constructor(
    parent: HTMLElement,
    readonly column: string,
    title: string,
    colour: string,
    times: ArrayLike<number>,
    values: ArrayLike<number>,
    tMax: number,
    private readonly onSeek: (t: number) => void,
    private readonly format: (v: number) => string = (v) => (Math.round(v * 10) / 10).toString(),
  ) {
    this.times = Array.from(times);
    this.values = Array.from(values);
    this.tMax = Math.max(tMax, this.times[this.times.length - 1] ?? 0, 1);
    this.root = document.createElement('div');
    this.root.className = 'chart';
    this.root.dataset.column = column;
    const head = document.createElement('div');
    head.className = 'chart-head';
    head.textContent = title;
    this.valueLabel = document.createElement('span');
    this.valueLabel.className = 'chart-value';
    head.append(this.valueLabel);
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.svg.setAttribute('preserveAspectRatio', 'none');
    const axis = document.createElementNS(SVG, 'path');
    axis.setAttribute('d', `M${PAD_L},0 V${H - PAD_B} H${W}`);
    axis.setAttribute('class', 'axis');
    this.axisMax = this.text(2, 9);
    this.text(2, H - PAD_B, '0');
    this.axisT = this.text(W - 2, H - 1, '', 'end');
    this.line = document.createElementNS(SVG, 'polyline');
    this.line.setAttribute('fill', 'none');
    this.line.setAttribute('stroke', colour);
    this.line.setAttribute('stroke-width', '1.4');
    this.line.setAttribute('vector-effect', 'non-scaling-stroke');
    this.cursor = document.createElementNS(SVG, 'line');
    this.cursor.setAttribute('class', 'cursor');
    this.cursor.setAttribute('y1', '0');
    this.cursor.setAttribute('y2', String(H - PAD_B));
    this.svg.append(axis, this.line, this.cursor);
    this.svg.addEventListener('click', (ev) => {
      const r = this.svg.getBoundingClientRect();
      const px = ((ev.clientX - r.left) / r.width) * W;
      this.onSeek(Math.max(0, ((px - PAD_L) / (W - PAD_L)) * this.tMax));
    });
    this.root.append(head, this.svg);
    parent.append(this.root);
  }

  private text(x: number, y: number, s = '', anchor = 'start'): SVGTextElement {
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(y));
    t.setAttribute('text-anchor', anchor);
    t.textContent = s;
    this.svg.append(t);
    return t;
  }

  /** A row that arrived live. */
  append(t: number, v: number): void {
    this.times.push(t);
    this.values.push(v);
    if (t > this.tMax) this.tMax = t;
    this.dirty = true;
  }

  private redraw(): void {
    this.dirty = false;
    let vMax = 0;
    for (const v of this.values) if (Number.isFinite(v) && v > vMax) vMax = v;
    vMax = niceCeil(vMax);
    this.axisMax.textContent = this.format(vMax);
    this.axisT.textContent = `${Math.round(this.tMax)} s`;
    const cols = W - PAD_L;
    const lo = new Float64Array(cols).fill(Infinity);
    const hi = new Float64Array(cols).fill(-Infinity);
    for (let i = 0; i < this.times.length; i++) {
      const v = this.values[i];
      if (!Number.isFinite(v)) continue;
      const c = Math.min(cols - 1, Math.floor((this.times[i] / this.tMax) * cols));
      if (v < lo[c]) lo[c] = v;
      if (v > hi[c]) hi[c] = v;
    }
    const y = (v: number) => (H - PAD_B) * (1 - v / (vMax || 1));
    const pts: string[] = [];
    for (let c = 0; c < cols; c++) {
      if (lo[c] === Infinity) continue;
      pts.push(`${PAD_L + c},${y(lo[c]).toFixed(1)}`);
      if (hi[c] !== lo[c]) pts.push(`${PAD_L + c},${y(hi[c]).toFixed(1)}`);
    }
    this.line.setAttribute('points', pts.join(' '));
  }

  /** Moves the cursor to t and shows the value of the row at or before t. */
  setTime(t: number): void {
    if (this.dirty) this.redraw();
    const x = PAD_L + (Math.min(t, this.tMax) / this.tMax) * (W - PAD_L);
    this.cursor.setAttribute('x1', x.toFixed(1));
    this.cursor.setAttribute('x2', x.toFixed(1));
    // rows are one per second in time order: binary search
    let lo = 0;
    let hi = this.times.length - 1;
    if (hi < 0 || t < this.times[0]) {
      this.valueLabel.textContent = '';
      return;
    }
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.times[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    this.valueLabel.textContent = this.format(this.values[lo]);
  }
}

function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}
