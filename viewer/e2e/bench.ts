/**
 * Viewer benchmark figures (not a test; nothing here passes or fails): serves a run directory
 * with `roadtwin view`, opens it in headless Chromium and reports, from the page's own
 * performance.now():
 *   open  – navigation start to the first drawn frame (HTML, JS, the small files, the first frame)
 *   seek  – slider input to the new state drawn, for jumps to random times (range reads of frames not cached)
 * Usage: npx tsx viewer/e2e/bench.ts RUN_DIR [jumps]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from './browser.js';
import { seekWithSlider, state, waitReady } from './page.js';
import { serveRun } from './serve.js';

const dir = process.argv[2];
const jumps = Number(process.argv[3] ?? 20);
if (!dir) {
  process.stderr.write('usage: npx tsx viewer/e2e/bench.ts RUN_DIR [jumps]\n');
  process.exit(1);
}
const { url, child } = await serveRun(dir);
const browser = await launchBrowser(1280, 800);
try {
  const opens: number[] = [];
  let page = await browser.context.newPage();
  for (let k = 0; k < 3; k++) {
    if (k > 0) {
      await page.close();
      page = await browser.context.newPage();
    }
    await page.goto(url);
    const s = await waitReady(page, 60_000);
    if (s.error) throw new Error(s.error);
    opens.push(s.openMs!);
  }
  const first = await state(page);
  // a fixed pseudo-random sequence of jump targets, so runs are comparable
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const end = (await page.evaluate(() => Number((document.getElementById('slider') as HTMLInputElement).max))) as number;
  const seeks: number[] = [];
  for (let k = 0; k < jumps; k++) seeks.push(await seekWithSlider(page, Math.round(rnd() * end * 10) / 10));
  const last = await state(page);
  const sorted = [...seeks].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const r1 = (x: number) => Math.round(x * 10) / 10;
  process.stdout.write(
    `${JSON.stringify(
      {
        run: dir,
        frames: first.frames,
        trace: (({ version, samples, bytes, bytesPerSample }) => ({ version, samples, bytes, bytesPerSample }))(JSON.parse(readFileSync(join(dir, 'trace.json'), 'utf8'))),
        openMs: opens.map(r1),
        seekMs: { jumps, median: r1(q(0.5)), p90: r1(q(0.9)), max: r1(sorted[sorted.length - 1]) },
        traceBytesRead: last.bytesRead,
        rangeRequests: last.rangeRequests,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await browser.close();
  child.kill('SIGINT');
}
