/**
 * SVG charts of the benchmarks, embedded in the README: where the tick's time goes (phase split
 * per case) and how throughput moved over the recorded history. Plain SVG strings: a picture
 * that renders on GitHub and in any browser without a charting dependency.
 */
import type { MacroResult } from './macro.js';
import { caseKey } from './report.js';
import { TICK_PHASE_NAMES } from '../engine/sim/tick.js';

export interface HistoryEntry {
  date: string;
  commit: string | null;
  profile: string;
  cases: Record<string, { updatesPerSecond: number; calibrated: number }>;
}

/** the tick's phases (engine/sim/tick.ts), then the time outside them */
const PHASES = [...TICK_PHASE_NAMES, 'other'];
const PHASE_COLOURS = ['#edc948', '#9c755f', '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#ff9da7', '#b07aa1', '#76b7b2', '#bab0ac'];
const LINE_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#9c755f'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x}" y="${y}" ${attrs}>${esc(s)}</text>`;

/** One horizontal bar per case, split by the share of the wall time of each phase of the tick. */
export function phaseSplitSvg(results: MacroResult[], title: string): string {
  const left = 130;
  const barWidth = 520;
  const rowHeight = 26;
  const top = 40;
  const height = top + results.length * rowHeight + 50;
  const width = left + barWidth + 150;
  const parts: string[] = [];
  parts.push(text(10, 22, title, 'font-size="15" font-weight="bold"'));
  results.forEach((r, row) => {
    const y = top + row * rowHeight;
    parts.push(text(10, y + 15, caseKey(r), 'font-size="12"'));
    let x = left;
    PHASES.forEach((p, i) => {
      const share = Math.max(0, r.phaseShare[p] ?? 0);
      const w = share * barWidth;
      if (w <= 0) return;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${PHASE_COLOURS[i]}"><title>${p} ${(share * 100).toFixed(1)} %</title></rect>`);
      if (w > 28) parts.push(text(x + 3, y + 14, `${Math.round(share * 100)}%`, 'font-size="10" fill="#fff"'));
      x += w;
    });
    parts.push(text(left + barWidth + 8, y + 15, `${(r.updatesPerSecond / 1e6).toFixed(1)} M upd/s`, 'font-size="12"'));
  });
  const ly = top + results.length * rowHeight + 20;
  PHASES.forEach((p, i) => {
    const x = left + i * 80;
    parts.push(`<rect x="${x}" y="${ly - 10}" width="12" height="12" fill="${PHASE_COLOURS[i]}"/>`);
    parts.push(text(x + 16, ly, p, 'font-size="12"'));
  });
  return svg(width, height, parts);
}

/** Throughput (M vehicle updates/s) of each case over the history entries of one profile. */
export function historySvg(entries: HistoryEntry[], title: string): string {
  const width = 800;
  const height = 360;
  const pad = { left: 60, right: 170, top: 40, bottom: 50 };
  const keys = [...new Set(entries.flatMap((e) => Object.keys(e.cases)))].sort();
  const maxY = Math.max(1e6, ...entries.flatMap((e) => Object.values(e.cases).map((c) => c.updatesPerSecond))) / 1e6;
  const yTop = Math.ceil(maxY / 5) * 5;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const xAt = (i: number) => pad.left + (entries.length <= 1 ? plotW / 2 : (i / (entries.length - 1)) * plotW);
  const yAt = (v: number) => pad.top + plotH - (v / yTop) * plotH;
  const parts: string[] = [text(10, 22, title, 'font-size="15" font-weight="bold"')];
  for (let t = 0; t <= yTop; t += 5) {
    parts.push(`<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${yAt(t)}" y2="${yAt(t)}" stroke="#ddd"/>`);
    parts.push(text(pad.left - 8, yAt(t) + 4, String(t), 'font-size="11" text-anchor="end"'));
  }
  parts.push(text(14, pad.top + plotH / 2, 'M upd/s', `font-size="11" transform="rotate(-90 14 ${pad.top + plotH / 2})" text-anchor="middle"`));
  entries.forEach((e, i) => {
    if (entries.length <= 12 || i % Math.ceil(entries.length / 12) === 0)
      parts.push(text(xAt(i), height - pad.bottom + 16, `${e.date.slice(5, 10)} ${e.commit?.slice(0, 7) ?? ''}`, 'font-size="9" text-anchor="middle"'));
  });
  keys.forEach((k, ki) => {
    const colour = LINE_COLOURS[ki % LINE_COLOURS.length];
    const points = entries
      .map((e, i) => (e.cases[k] ? `${xAt(i).toFixed(1)},${yAt(e.cases[k].updatesPerSecond / 1e6).toFixed(1)}` : null))
      .filter((p): p is string => p !== null);
    if (points.length > 1) parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const p of points) {
      const [x, y] = p.split(',');
      parts.push(`<circle cx="${x}" cy="${y}" r="3" fill="${colour}"/>`);
    }
    const ly = pad.top + ki * 18;
    parts.push(`<rect x="${width - pad.right + 15}" y="${ly}" width="12" height="12" fill="${colour}"/>`);
    parts.push(text(width - pad.right + 32, ly + 10, k, 'font-size="12"'));
  });
  return svg(width, height, parts);
}

function svg(width: number, height: number, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}
