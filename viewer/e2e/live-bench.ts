/**
 * What watching a run live costs the engine (a benchmark, not a test; nothing here passes or
 * fails): the same scenario is run alternately without and with `--live` and a headless
 * Chromium watching it (software WebGL on the same cores), and the engine's own run time
 * (`metrics.json` wallSeconds: the tick loop, not the set-up) is compared. Runs alternate so that
 * the other load on a shared machine falls on both alike; the figures are the ratio of the
 * medians and that of the fastest runs (the least disturbed), with the load average before each
 * run, and the CPU the browser used per second of the run (what it takes from the engine's cores).
 *
 * Usage: npx tsx viewer/e2e/live-bench.ts [SCENARIO] [pairs] [-- extra roadtwin run options]
 *   (default scenarios/laoshan.yaml, 3 pairs; needs `npm run build`)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserCpuSeconds, launchBrowser } from './browser.js';
import { state, waitReady } from './page.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dash = process.argv.indexOf('--');
const args = dash < 0 ? process.argv.slice(2) : process.argv.slice(2, dash);
const extra = dash < 0 ? [] : process.argv.slice(dash + 1);
const scenario = args[0] ?? join(root, 'scenarios', 'laoshan.yaml');
const pairs = Number(args[1] ?? 3);
const base = mkdtempSync(join(tmpdir(), 'roadtwin-live-bench-'));

const wallSeconds = (dir: string): number => (JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as { wallSeconds: number }).wallSeconds;

/** Runs the scenario without a viewer; the engine's wall time. */
function plainRun(out: string): Promise<number> {
  const child = spawn(process.execPath, ['bin/roadtwin.js', 'run', scenario, '--out', out, '--quiet', ...extra], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(wallSeconds(out)) : reject(new Error(`roadtwin run exited ${code}`)))));
}

interface LiveResult {
  wall: number;
  framesReceived: number;
  /** the live server's own account: frames sent, skipped by the rate limit, dropped */
  server: string;
  meanRenderMs: number;
  pixelRatio: number;
  /** CPU seconds the browser used from the first tick to the end of the run, per second of the run */
  browserCores: number;
}

/** Runs the scenario with --live and a headless Chromium watching it to the end. */
async function liveRun(out: string): Promise<LiveResult> {
  const child = spawn(process.execPath, ['bin/roadtwin.js', 'run', scenario, '--out', out, '--quiet', '--live', '--port', '0', ...extra], { cwd: root });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', () => {
      const m = /live at (http:\/\/\S+)/.exec(log);
      if (m) resolve(m[1]);
    });
    void exited.then(() => reject(new Error(`roadtwin run --live exited: ${log}`)));
  });
  const browser = await launchBrowser(1280, 800);
  try {
    const page = await browser.context.newPage();
    await page.goto(url);
    const s = await waitReady(page, 120_000);
    if (s.error) throw new Error(s.error);
    // the run starts when the page has drawn its first picture: from here the browser competes with it
    const cpu0 = browserCpuSeconds(browser);
    // sample the page's draw time while the run goes on (what the browser spends per picture)
    const renders: number[] = [];
    while (!(await page.evaluate(() => window.__roadtwin.ended))) {
      renders.push((await state(page)).renderMs);
      await page.waitForTimeout(500);
    }
    const cpu1 = browserCpuSeconds(browser);
    const end = await state(page);
    await new Promise<void>((r) => {
      const check = () => (/live stream ended/.test(log) ? r() : setTimeout(check, 50));
      check();
    });
    const wall = wallSeconds(out);
    return {
      wall,
      browserCores: (cpu1 - cpu0) / wall,
      framesReceived: end.liveFrames,
      pixelRatio: end.pixelRatio,
      server: /live stream ended \(([^)]*)\)/.exec(log)?.[1] ?? '',
      meanRenderMs: renders.length ? renders.reduce((a, b) => a + b, 0) / renders.length : NaN,
    };
  } finally {
    await browser.close();
    child.kill('SIGINT');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r3 = (x: number) => Math.round(x * 1000) / 1000;

try {
  const plain: number[] = [];
  const live: LiveResult[] = [];
  const load: number[] = [];
  for (let k = 0; k < pairs; k++) {
    load.push(loadavg()[0]);
    plain.push(await plainRun(join(base, `plain-${k}`)));
    load.push(loadavg()[0]);
    live.push(await liveRun(join(base, `live-${k}`)));
    process.stderr.write(`pair ${k + 1}/${pairs}: without ${plain[k].toFixed(2)} s, live ${live[k].wall.toFixed(2)} s\n`);
  }
  const liveWalls = live.map((l) => l.wall);
  process.stdout.write(
    `${JSON.stringify(
      {
        scenario,
        options: extra,
        pairs,
        withoutLiveS: plain.map(r3),
        liveS: liveWalls.map(r3),
        ratioOfMedians: r3(median(liveWalls) / median(plain)),
        ratioOfFastest: r3(Math.min(...liveWalls) / Math.min(...plain)),
        loadAverageBeforeEachRun: load.map((x) => Math.round(x * 10) / 10),
        framesReceived: live.map((l) => l.framesReceived),
        server: live.map((l) => l.server),
        meanRenderMs: live.map((l) => Math.round(l.meanRenderMs)),
        pixelRatio: live.map((l) => l.pixelRatio),
        browserCores: live.map((l) => Math.round(l.browserCores * 100) / 100),
      },
      null,
      2,
    )}\n`,
  );
} finally {
  rmSync(base, { recursive: true, force: true });
}
