/**
 * Pictures per second of the viewer playing a run, read from its frame meter (fps-meter.ts; a
 * benchmark, not a test). Opens RUN_DIR with `?fps` in headless Chromium (software WebGL), seeks
 * to `from` (default the middle of the run), plays at `speed` and every half second reads the
 * meter: pictures in the last second, the median time between pictures and the median main-thread
 * work per picture (over the last 2 s). Reports the medians and ranges of those readings, the
 * vehicles drawn and the machine's load average.
 *
 * Usage: npx tsx viewer/e2e/fps.ts RUN_DIR [seconds of playing, default 10] [speed, default 1] [from]   (needs `npm run build`)
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './browser.js';
import { seekWithSlider, state, waitReady } from './page.js';
import { serveRun } from './serve.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: npx tsx viewer/e2e/fps.ts RUN_DIR [seconds] [speed] [from]\n');
  process.exit(2);
}
const seconds = Number(process.argv[3] ?? 10);
const speed = process.argv[4] ?? '1';
const server = await serveRun(dir);
const browser = await launchBrowser(1280, 800);
const r1 = (x: number) => Math.round(x * 10) / 10;
const med = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
try {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}?fps`);
  const opened = await waitReady(page, 120_000);
  if (opened.error) throw new Error(opened.error);
  const from = process.argv[5] !== undefined ? Number(process.argv[5]) : Math.round(opened.frames / 2);
  await seekWithSlider(page, from);
  await page.selectOption('#speed', speed);
  await page.click('#play');
  // let the first frames load and the shaders settle, then measure
  await page.waitForTimeout(2000);
  const load0 = loadavg()[0];
  const before = await state(page);
  const t0 = Date.now();
  const fps: number[] = [];
  const between: number[] = [];
  const work: number[] = [];
  const vehicles: number[] = [];
  while (Date.now() - t0 < seconds * 1000) {
    await page.waitForTimeout(500);
    const s = await state(page);
    // the JSON copy of the page's state turns a NaN (no reading yet) into null
    fps.push(s.meter.fps);
    if (s.meter.intervalMs !== null) between.push(s.meter.intervalMs);
    if (s.meter.workMs !== null) work.push(s.meter.workMs);
    vehicles.push(s.vehicles);
  }
  const wall = (Date.now() - t0) / 1000;
  const after = await state(page);
  await page.click('#play');
  await page.screenshot({ path: join(root, 'test-artifacts', 'viewer', 'fps.png') });
  process.stdout.write(
    `${JSON.stringify(
      {
        run: dir,
        speed: Number(speed),
        from,
        vehicles: { min: Math.min(...vehicles), max: Math.max(...vehicles) },
        playedSimSeconds: r1(after.time - before.time),
        picturesPerSecond: r1((after.pictures - before.pictures) / wall),
        meterFps: { median: med(fps), min: Math.min(...fps), max: Math.max(...fps) },
        betweenMs: r1(med(between)),
        workMs: r1(med(work)),
        loadAverage: [r1(load0), r1(loadavg()[0])],
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await browser.close();
  server.child.kill('SIGINT');
}
