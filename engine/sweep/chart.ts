/**
 * One SVG chart per collected metric: the metric's mean over the seeds against the first varied
 * field (numeric when its values are numbers, else one slot per value), a shaded 95 % confidence
 * band, the single runs as small dots, and one line per combination of the other varied fields.
 * Plain SVG strings in the house style of bench/charts.ts: renders on GitHub without a library.
 */
import type { Combination } from './results.js';

const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#9c755f'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const text = (x: number, y: number, s: string, attrs = '') => `<text x="${f(x)}" y="${f(y)}" ${attrs}>${esc(s)}</text>`;
const f = (x: number) => (Math.round(x * 10) / 10).toString();
const label = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

interface Point {
  x: number;
  mean: number;
  low: number;
  high: number;
  runs: number[];
}

export function metricChartSvg(opts: { title: string; metric: string; varied: readonly string[]; combos: readonly Combination[] }): string {
  const { metric, varied, combos } = opts;
  const width = 760;
  const height = 400;
  const pad = { left: 70, right: 200, top: 52, bottom: 56 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;

  // x: the first varied field (the one the chart is "against"); series: the other fields' values
  const xField = varied[0];
  const xValues = xField === undefined ? ['all runs'] : unique(combos.map((c) => c.params[0].value));
  const numericX = xValues.every((v) => typeof v === 'number');
  const xPos = (v: unknown): number => (numericX ? (v as number) : xValues.findIndex((u) => label(u) === label(v)));
  const xs = xValues.map(xPos);
  const series = new Map<string, Point[]>();
  for (const combo of combos) {
    const s = summaryOf(combo, metric);
    if (!s) continue;
    const name = combo.params.slice(1).map((p) => `${p.path.split('.').pop()}=${label(p.value)}`).join(', ') || metric;
    const points = series.get(name) ?? [];
    points.push({ x: xField === undefined ? 0 : xPos(combo.params[0].value), ...s });
    series.set(name, points);
  }

  const ys = [...series.values()].flatMap((ps) => ps.flatMap((p) => [p.low, p.high, ...p.runs]));
  const [yMin, yMax, yStep] = niceScale(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1);
  const [xMin, xMax] = numericX && xs.length > 1 ? [Math.min(...xs), Math.max(...xs)] : [-0.5, Math.max(0.5, xs.length - 0.5)];
  const xSpan = xMax - xMin || 1;
  const xAt = (x: number) => pad.left + (numericX && xs.length > 1 ? 0.04 + 0.92 * ((x - xMin) / xSpan) : (x - xMin) / xSpan) * plotW;
  const yAt = (y: number) => pad.top + plotH - ((y - yMin) / (yMax - yMin || 1)) * plotH;

  const parts: string[] = [text(10, 22, opts.title, 'font-size="15" font-weight="bold"')];
  parts.push(text(10, 40, `mean over seeds with its 95 % confidence interval (Student t); dots are single runs`, 'font-size="11" fill="#555"'));
  for (let y = yMin; y <= yMax + yStep / 2; y += yStep) {
    parts.push(`<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${f(yAt(y))}" y2="${f(yAt(y))}" stroke="#ddd"/>`);
    parts.push(text(pad.left - 8, yAt(y) + 4, tickLabel(y, yStep), 'font-size="11" text-anchor="end"'));
  }
  xValues.forEach((v) => {
    const x = xAt(xField === undefined ? 0 : xPos(v));
    parts.push(`<line x1="${f(x)}" x2="${f(x)}" y1="${pad.top + plotH}" y2="${pad.top + plotH + 5}" stroke="#888"/>`);
    parts.push(text(x, pad.top + plotH + 18, label(v), 'font-size="11" text-anchor="middle"'));
  });
  parts.push(`<rect x="${pad.left}" y="${pad.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  parts.push(text(pad.left + plotW / 2, height - 12, xField ?? '', 'font-size="12" text-anchor="middle"'));
  const yMid = pad.top + plotH / 2;
  parts.push(text(16, yMid, metric, `font-size="12" text-anchor="middle" transform="rotate(-90 16 ${f(yMid)})"`));

  [...series.entries()].forEach(([name, points], i) => {
    const colour = COLOURS[i % COLOURS.length];
    const ps = [...points].sort((a, b) => a.x - b.x);
    const band = [...ps.map((p) => `${f(xAt(p.x))},${f(yAt(p.high))}`), ...[...ps].reverse().map((p) => `${f(xAt(p.x))},${f(yAt(p.low))}`)];
    if (ps.length > 1) parts.push(`<polygon points="${band.join(' ')}" fill="${colour}" fill-opacity="0.18" stroke="none"/>`);
    else for (const p of ps) parts.push(`<line x1="${f(xAt(p.x))}" x2="${f(xAt(p.x))}" y1="${f(yAt(p.low))}" y2="${f(yAt(p.high))}" stroke="${colour}" stroke-width="6" stroke-opacity="0.3"/>`);
    if (ps.length > 1) parts.push(`<polyline points="${ps.map((p) => `${f(xAt(p.x))},${f(yAt(p.mean))}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const p of ps) {
      for (const r of p.runs) parts.push(`<circle cx="${f(xAt(p.x))}" cy="${f(yAt(r))}" r="2" fill="${colour}" fill-opacity="0.45"/>`);
      parts.push(`<circle cx="${f(xAt(p.x))}" cy="${f(yAt(p.mean))}" r="4" fill="${colour}"><title>${esc(`${name}: mean ${tickLabel(p.mean, yStep / 100)} (95 % CI ${tickLabel(p.low, yStep / 100)} to ${tickLabel(p.high, yStep / 100)}), ${p.runs.length} runs`)}</title></circle>`);
    }
    const ly = pad.top + i * 18;
    parts.push(`<rect x="${width - pad.right + 15}" y="${ly}" width="12" height="12" fill="${colour}"/>`);
    parts.push(text(width - pad.right + 32, ly + 10, name, 'font-size="12"'));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}

/** Mean and interval of one combination, with a run-less interval collapsed onto the mean. */
function summaryOf(combo: Combination, metric: string): Omit<Point, 'x'> | null {
  const s = combo.summaries.get(metric);
  if (!s || s.mean === null) return null;
  const runs = (combo.values.get(metric) ?? []).filter((v): v is number => v !== null);
  return { mean: s.mean, low: s.ciLow ?? s.mean, high: s.ciHigh ?? s.mean, runs };
}

function unique(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = label(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** An axis from a round number below `lo` to one above `hi` in 1, 2 or 5 × 10^k steps. */
export function niceScale(lo: number, hi: number): [number, number, number] {
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const rough = (hi - lo) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step];
}

function tickLabel(v: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step))));
  return v.toFixed(decimals);
}
