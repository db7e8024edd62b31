/** Helpers that read the viewer page from a test or a benchmark (through window.__roadtwin and the canvas). */
import type { Page } from 'playwright-core';
import type { DebugInfo } from '../src/debug.js';

/** What `state` reads: the viewer's debug object without its functions (a JSON copy of it). */
export type PageState = Omit<DebugInfo, 'screenOf' | 'ids' | 'scene' | 'positionOf' | 'sites' | 'target' | 'project'>;

export const state = (page: Page): Promise<PageState> =>
  page.evaluate(() => {
    const { screenOf: _s, ids: _i, scene: _g, positionOf: _p, sites: _t, target: _c, project: _j, ...plain } = window.__roadtwin;
    return JSON.parse(JSON.stringify(plain));
  });

export async function waitReady(page: Page, timeout = 30_000): Promise<PageState> {
  await page.waitForFunction(() => window.__roadtwin && (window.__roadtwin.ready || window.__roadtwin.error !== null), null, { timeout });
  return state(page);
}

/** Moves the time slider as a user does (an input event) and waits until that time is drawn. */
export async function seekWithSlider(page: Page, t: number): Promise<number> {
  const before = (await state(page)).seekMs.length;
  await page.locator('#slider').fill(String(t));
  await page.waitForFunction((n) => window.__roadtwin.seekMs.length > n, before, { timeout: 30_000 });
  const s = await state(page);
  return s.seekMs[s.seekMs.length - 1];
}

/** Distinct colours among sampled canvas pixels, and a hash of the samples (what is drawn). */
export function canvasSample(page: Page): Promise<{ colours: number; hash: number }> {
  return page.evaluate(() => {
    const c = document.getElementById('view') as HTMLCanvasElement;
    const tmp = document.createElement('canvas');
    tmp.width = c.width;
    tmp.height = c.height;
    const g = tmp.getContext('2d')!;
    g.drawImage(c, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    let hash = 0;
    for (let i = 0; i < d.length; i += 4 * 7) {
      const v = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      seen.add(v);
      hash = (Math.imul(hash, 31) + v) | 0;
    }
    return { colours: seen.size, hash };
  });
}

/** Page coordinates of an entity as drawn, or null when it is not drawn. */
export async function entityOnPage(page: Page, id: number): Promise<{ x: number; y: number } | null> {
  const box = await page.locator('#view').boundingBox();
  const p = await page.evaluate((i) => window.__roadtwin.screenOf(i), id);
  return p && box ? { x: box.x + p.x, y: box.y + p.y } : null;
}

/** Whether page point (x, y) is on the map's canvas, not under a panel drawn over it (a click there reaches the map). */
export const onCanvas = (page: Page, x: number, y: number): Promise<boolean> => page.evaluate(([px, py]) => document.elementFromPoint(px, py)?.id === 'view', [x, y]);

/** An entity at least `clearance` pixels from every other one on screen and inside the canvas (clicks on it are unambiguous). */
export async function isolatedEntity(page: Page, clearance = 18): Promise<{ id: number; x: number; y: number } | null> {
  const box = await page.locator('#view').boundingBox();
  const pts = await page.evaluate(() => window.__roadtwin.ids().map((id) => ({ id, p: window.__roadtwin.screenOf(id) })));
  if (!box) return null;
  const inside = pts.filter((q) => q.p && q.p.x > 40 && q.p.y > 40 && q.p.x < box.width - 40 && q.p.y < box.height - 40) as { id: number; p: { x: number; y: number } }[];
  for (const a of inside) {
    if (pts.every((b) => b.id === a.id || !b.p || Math.hypot(b.p.x - a.p.x, b.p.y - a.p.y) >= clearance) && (await onCanvas(page, box.x + a.p.x, box.y + a.p.y))) return { id: a.id, x: box.x + a.p.x, y: box.y + a.p.y };
  }
  return null;
}

/**
 * Collects the page's console errors and warnings, and uncaught exceptions, into `into`.
 * Chromium's own "GPU stall due to ReadPixels" (SwiftShader's driver telling that a test read the
 * canvas back) is not the page's and is left out.
 */
export function watchConsole(page: Page, into: string[]): void {
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !/GPU stall due to ReadPixels/.test(m.text())) into.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
}
