/**
 * The README's picture of a run (viewer/laoshan.png): opens RUN_DIR in headless Chromium at
 * TIME seconds, zooms in a little, selects a van clear of other vehicles (and of the map panel)
 * and saves the page: the default layers, the map panel's legend, labels, the van's tour.
 * Usage: npx tsx viewer/e2e/screenshot.ts RUN_DIR [TIME, default 1830] [OUT, default viewer/laoshan.png]
 */
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './browser.js';
import { seekWithSlider, waitReady } from './page.js';
import { serveRun } from './serve.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: npx tsx viewer/e2e/screenshot.ts RUN_DIR [TIME] [OUT]\n');
  process.exit(1);
}
const time = Number(process.argv[3] ?? 1830);
const out = process.argv[4] ?? fileURLToPath(new URL('../laoshan.png', import.meta.url));
const server = await serveRun(dir);
const browser = await launchBrowser(1280, 800);
try {
  const page = await browser.context.newPage();
  await page.goto(server.url);
  const s = await waitReady(page, 60_000);
  if (s.error) throw new Error(s.error);
  await seekWithSlider(page, time);
  const box = (await page.locator('#view').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let k = 0; k < 2; k++) await page.mouse.wheel(0, -200);
  await page.waitForTimeout(500);
  const van = await page.evaluate(() => {
    const d = window.__roadtwin;
    const all = d.ids().map((id) => ({ id, p: d.screenOf(id), cls: d.positionOf(id)?.cls }));
    const r = document.getElementById('view')!.getBoundingClientRect();
    // on the map, not under the map panel
    return all.find((a) => a.cls === 'van' && a.p && a.p.x > 60 && a.p.y > 60 && document.elementFromPoint(r.left + a.p.x, r.top + a.p.y)?.id === 'view' && all.every((b) => b.id === a.id || !b.p || Math.hypot(b.p.x - a.p!.x, b.p.y - a.p!.y) > 14)) ?? null;
  });
  if (van?.p) {
    await page.mouse.click(box.x + van.p.x, box.y + van.p.y);
    await page.waitForFunction((id) => window.__roadtwin.selected === id, van.id, { timeout: 5000 });
  } else process.stderr.write('no van clear of traffic at this time: the picture has none selected\n');
  await page.waitForTimeout(500);
  await page.screenshot({ path: out });
  process.stdout.write(`${out}${van ? ` (van ${van.id} selected)` : ''}\n`);
} finally {
  await browser.close();
  server.child.kill('SIGINT');
}
