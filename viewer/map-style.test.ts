// Unit tests of the map's style modules: the speed colour scale, label thinning, layer state.
import { describe, expect, it } from 'vitest';
import { EDGE_SCALE, SPEED_SCALE, luminance, sample, speedColour, type Rgb } from './src/colour-scale.js';
import { SIGNAL } from './src/palette.js';
import { thinLabels, type LabelCandidate } from './src/label-thinning.js';
import { decodeLayers, defaultLayers, encodeLayers } from './src/layers.js';
import { dashes } from './src/road-geometry.js';

const rgb = (hex: number): Rgb => ({ r: ((hex >> 16) & 255) / 255, g: ((hex >> 8) & 255) / 255, b: (hex & 255) / 255 });
const dist = (a: Rgb, b: Rgb) => Math.hypot(a.r - b.r, a.g - b.g, a.b - b.b) * 255;

describe('speed colour scale', () => {
  it('ends at its stops, clamps outside 0..max, and interpolates half-way between stops', () => {
    const c = { r: 0, g: 0, b: 0 };
    expect(speedColour(0, c)).toEqual(rgb(SPEED_SCALE[0]));
    expect(speedColour(-3, { ...c })).toEqual(rgb(SPEED_SCALE[0]));
    expect(speedColour(20, { ...c })).toEqual(rgb(SPEED_SCALE[8]));
    expect(speedColour(35, { ...c })).toEqual(rgb(SPEED_SCALE[8]));
    // 1/16 of the way: half-way between stop 0 (0x0d0887) and stop 1 (0x4c02a1)
    const h = speedColour(20 / 16, { ...c });
    expect(h.r * 255).toBeCloseTo((0x0d + 0x4c) / 2, 6);
    expect(h.g * 255).toBeCloseTo((0x08 + 0x02) / 2, 6);
    expect(h.b * 255).toBeCloseTo((0x87 + 0xa1) / 2, 6);
  });

  it('gets lighter all the way from stopped to full speed (a sequential scale)', () => {
    let last = -1;
    for (let v = 0; v <= 20; v += 0.25) {
      const l = luminance(speedColour(v, { r: 0, g: 0, b: 0 }));
      expect(l).toBeGreaterThan(last);
      last = l;
    }
    for (let f = 0, prev = 2; f <= 1; f += 0.05) {
      // the edge scale runs the other way: light sand to dark brown
      const l = luminance(sample(EDGE_SCALE, f, { r: 0, g: 0, b: 0 }));
      expect(l).toBeLessThan(prev);
      prev = l;
    }
  });

  it('never comes near a signal colour (pure green, yellow, red are the signals’ own)', () => {
    const signals = SIGNAL.map(rgb);
    let nearest = Infinity;
    for (let v = 0; v <= 20; v += 0.1) {
      const c = speedColour(v, { r: 0, g: 0, b: 0 });
      for (const s of [signals[0], signals[3]]) nearest = Math.min(nearest, dist(c, s));
    }
    // RGB distance (0..441): the closest, salmon against signal red, is still far apart
    expect(nearest).toBeGreaterThan(90);
  });
});

describe('label thinning', () => {
  const cand = (text: string, x: number, y: number, priority: number, w = 40): LabelCandidate => ({ text, x, y, w, h: 16, priority });

  it('keeps the higher priority of two overlapping labels and both when apart', () => {
    const c = [cand('a', 100, 100, 1), cand('b', 120, 105, 5), cand('c', 300, 100, 1)];
    expect(thinLabels(c, { width: 800, height: 600 }).sort()).toEqual([1, 2]);
  });

  it('shows a street name once per stretch: the same text within repeatPx is left out, beyond it shown again', () => {
    const c = [cand('Hefei Road', 100, 100, 2), cand('Hefei Road', 250, 100, 1), cand('Hefei Road', 500, 100, 1)];
    expect(thinLabels(c, { width: 800, height: 600, repeatPx: 320 })).toEqual([0, 2]);
  });

  it('shows more labels as the map is zoomed in (the same places spread apart)', () => {
    const places = Array.from({ length: 40 }, (_, i) => ({ x: (i % 8) * 30, y: Math.floor(i / 8) * 12 }));
    const at = (zoom: number) => thinLabels(places.map((p, i) => cand(`j${i}`, 20 + p.x * zoom, 20 + p.y * zoom, 1)), { width: 2000, height: 2000 }).length;
    // at 2× the boxes (40 × 16 px, 4 px apart) clear each other: columns 60 px apart, rows 24
    expect(at(0.5)).toBeLessThan(at(1));
    expect(at(1)).toBeLessThan(at(2));
    expect(at(2)).toBe(40);
  });

  it('leaves out labels under a panel over the map', () => {
    const blocked = [{ left: 0, top: 0, right: 100, bottom: 50 }];
    // the first touches the panel by a pixel; the second is clear of it
    expect(thinLabels([cand('a', 50, 57, 1), cand('b', 50, 60, 0), cand('c', 300, 20, 0)], { width: 800, height: 600, blocked })).toEqual([1, 2]);
  });

  it('leaves out labels off screen', () => {
    expect(thinLabels([cand('x', -50, 10, 1), cand('y', 10, 10, 1)], { width: 100, height: 100 })).toEqual([1]);
  });
});

describe('layer state', () => {
  it('defaults: traffic and signals on, coverage, orders and drone paths off; round-trips through its URL form', () => {
    const d = defaultLayers();
    expect(d.traffic && d.signals).toBe(true);
    expect(d.coverage || d.orders || d.dronePaths || d.sensors).toBe(false);
    expect(encodeLayers(d)).toBe('');
    const s = { ...d, orders: true, labels: false };
    expect(encodeLayers(s)).toBe('-labels,+orders');
    expect(decodeLayers(encodeLayers(s))).toEqual(s);
    expect(decodeLayers('+nonsense,orders,+coverage')).toEqual({ ...d, coverage: true });
  });
});

describe('dashes', () => {
  it('ends on dash lengths that do not add up exactly in floating point (0.6 + 0.6 along 6 m)', () => {
    const out: number[] = [];
    dashes([[300, 8], [294, 8]], 3, 0.6, 0.6, out);
    expect(out.length / 12).toBe(5); // one ribbon segment (two triangles, 12 numbers) per dash
  });
});

describe('line buffer size', () => {
  it('is whole segments (6 floats), a power of two of them, at least 16: never a fractional vertex count', async () => {
    const { bufferFloats } = await import('./src/line-buffer.js');
    for (const segs of [0, 1, 15, 16, 17, 170, 1000]) {
      const f = bufferFloats(segs);
      expect(f % 6).toBe(0);
      expect(f).toBeGreaterThanOrEqual(segs * 6);
      expect(Math.log2(f / 6) % 1).toBe(0);
    }
    expect(bufferFloats(17)).toBe(6 * 32);
  });
});
