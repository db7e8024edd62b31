/**
 * The viewer with 20,000+ vehicles moving (a benchmark, not a test; nothing here passes or
 * fails). Runs viewer/e2e/crowd.yaml (24,000 cars on a 16 × 16 grid for a minute) unless given a
 * run directory, opens it in headless Chromium (software WebGL) and plays it, then reports from
 * the page: vehicles drawn, pictures per second while playing, the time of one picture's work on
 * the main thread (interpolation, instance matrices and colours, draw calls), the browser's CPU,
 * and what the scene graph holds (instanced meshes, not an object per vehicle).
 *
 * Usage: npx tsx viewer/e2e/crowd.ts [RUN_DIR] [seconds of playing, default 10]   (needs `npm run build`)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserCpuSeconds, launchBrowser } from './browser.js';
import { seekWithSlider, state, waitReady } from './page.js';
import { serveRun } from './serve.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const given = process.argv[2];
const seconds = Number(process.argv[3] ?? 10);
const tmp = given ? null : mkdtempSync(join(tmpdir(), 'roadtwin-crowd-'));
const dir = given ?? join(tmp!, 'crowd');
if (!given) {
  const r = spawnSync(process.execPath, ['bin/roadtwin.js', 'run', 'viewer/e2e/crowd.yaml', '--out', dir, '--quiet'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
const server = await serveRun(dir);
const browser = await launchBrowser(1280, 800);
const r1 = (x: number) => Math.round(x * 10) / 10;
try {
  const page = await browser.context.newPage();
  await page.goto(server.url);
  const opened = await waitReady(page, 120_000);
  if (opened.error) throw new Error(opened.error);
  await seekWithSlider(page, 1);
  await page.selectOption('#speed', '1');
  await page.click('#play');
  // let the first frames load and the shaders settle, then measure
  await page.waitForTimeout(2000);
  const before = await state(page);
  const cpu0 = browserCpuSeconds(browser);
  const t0 = Date.now();
  const frameMs: number[] = [];
  const vehicles: number[] = [];
  while (Date.now() - t0 < seconds * 1000) {
    await page.waitForTimeout(250);
    const s = await state(page);
    frameMs.push(s.frameMs);
    vehicles.push(s.vehicles);
  }
  const wall = (Date.now() - t0) / 1000;
  const after = await state(page);
  const cpu = (browserCpuSeconds(browser) - cpu0) / wall;
  await page.click('#play');
  const scene = await page.evaluate(() => window.__roadtwin.scene());
  const sorted = [...frameMs].sort((a, b) => a - b);
  await page.screenshot({ path: join(root, 'test-artifacts', 'viewer', 'crowd.png') });
  process.stdout.write(
    `${JSON.stringify(
      {
        run: dir,
        openMs: r1(opened.openMs!),
        vehicles: { min: Math.min(...vehicles), max: Math.max(...vehicles) },
        playedSimSeconds: r1(after.time - before.time),
        picturesPerSecond: r1((after.pictures - before.pictures) / wall),
        frameWorkMs: { median: r1(sorted[Math.floor(sorted.length / 2)]), max: r1(sorted[sorted.length - 1]) },
        browserCores: Math.round(cpu * 100) / 100,
        scene,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await browser.close();
  server.child.kill('SIGINT');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
