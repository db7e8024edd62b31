// The viewer end to end in real headless Chromium (playwright-core, Debian's /usr/bin/chromium,
// WebGL through SwiftShader): a real run served by the real `roadtwin view`, a broken run, and a
// live run. Screenshots go to test-artifacts/viewer/. Without a browser these tests are skipped
// loudly, except in CI (CI=true), where a missing browser is a failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, chromiumPresent, launchBrowser, type Browser } from './e2e/browser.js';
import { canvasSample, isolatedEntity, seekWithSlider, state, waitReady } from './e2e/page.js';
import { decodeIndex, frameAtOrBefore } from '../engine/io/trace/format.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const artifacts = join(root, 'test-artifacts', 'viewer');
const built = existsSync(join(root, 'dist', 'engine', 'cli', 'main.js')) && existsSync(join(root, 'dist', 'viewer', 'index.html'));
const haveBrowser = chromiumPresent();
if (!haveBrowser) {
  const msg = `\n*** viewer browser tests: ${CHROMIUM} is missing. ${process.env.CI === 'true' ? 'CI needs it: FAILING.' : 'SKIPPED (install Debian chromium to run them).'} ***\n`;
  process.stderr.write(msg);
}

describe.runIf(!haveBrowser && process.env.CI === 'true')('viewer in a browser (CI)', () => {
  it('has a browser to test with', () => {
    expect.fail(`${CHROMIUM} is missing; .ci/run installs it`);
  });
});

/** Starts a roadtwin child process and resolves with the first URL it prints on `stream`. */
function startCli(args: string[], stream: 'stdout' | 'stderr'): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['bin/roadtwin.js', ...args], { cwd: root });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    child[stream]!.on('data', () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve({ url: m[1], child, output: () => out });
    });
    child.on('exit', (code) => reject(new Error(`roadtwin ${args[0]} exited ${code}: ${out}`)));
  });
}

const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGINT');
  return new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
};

describe.runIf(haveBrowser && built)('viewer in headless Chromium', () => {
  let base: string;
  let run: string;
  let browser: Browser;
  let server: { url: string; child: ChildProcess };
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    base = mkdtempSync(join(tmpdir(), 'roadtwin-e2e-'));
    run = join(base, 'grid');
    const r = spawnSync(process.execPath, ['bin/roadtwin.js', 'run', join(root, 'scenarios', 'grid.yaml'), '--out', run, '--quiet', '--duration', '180'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    server = await startCli(['view', run, '--port', '0'], 'stdout');
    browser = await launchBrowser(1280, 800);
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stop(server.child);
    rmSync(base, { recursive: true, force: true });
  });

  /** Records in the trace frame at or before t (what the viewer must draw then). */
  const recordsAt = (t: number) => {
    const idx = decodeIndex(new Uint8Array(readFileSync(join(run, 'trace.idx'))));
    const bin = readFileSync(join(run, 'trace.bin'));
    const i = frameAtOrBefore(idx.times, t);
    return { time: idx.times[i], count: bin.readUInt32LE(idx.offsets[i] + 8) };
  };

  it('opens the run: network, signals and the vehicles of the trace are drawn', async () => {
    await page.goto(server.url);
    const s = await waitReady(page);
    expect(s.error).toBeNull();
    expect(s.mode).toBe('replay');
    const net = JSON.parse(readFileSync(join(run, 'network.json'), 'utf8'));
    expect(s.lanes).toBe(net.lanes.length);
    expect(s.junctions).toBeGreaterThan(0);
    expect(s.signals.heads).toBeGreaterThan(0);
    expect(s.frames).toBe(181);
    const at = await seekWithSlider(page, 90);
    expect(at).toBeGreaterThanOrEqual(0);
    const now = await state(page);
    expect(now.drawnTime).toBe(90);
    expect(now.vehicles).toBe(recordsAt(90).count);
    expect(now.vehicles).toBeGreaterThan(10);
    // the canvas is not blank: ground, asphalt, markings, vehicles and signals give many colours
    expect((await canvasSample(page)).colours).toBeGreaterThan(20);
    await page.screenshot({ path: join(artifacts, 'grid-t90.png') });
    expect(pageErrors).toEqual([]);
  });

  it('moving the slider changes what is drawn; positions are interpolated between frames', async () => {
    await seekWithSlider(page, 30);
    const a = await state(page);
    const pixelsA = await canvasSample(page);
    const idsA = await page.evaluate(() => window.__roadtwin.ids());
    await seekWithSlider(page, 150);
    const b = await state(page);
    const pixelsB = await canvasSample(page);
    const idsB = await page.evaluate(() => window.__roadtwin.ids());
    expect(b.vehicles).toBe(recordsAt(150).count);
    expect(a.vehicles).toBe(recordsAt(30).count);
    expect(idsB).not.toEqual(idsA);
    expect(pixelsB.hash).not.toBe(pixelsA.hash);
    expect(await page.locator('#clock').textContent()).toMatch(/^2:30\.0/);
    // between frames the positions are interpolated: half-way differs from both neighbours
    const at = async (t: number) => {
      await seekWithSlider(page, t);
      const id = idsB[Math.floor(idsB.length / 2)];
      return page.evaluate((i) => window.__roadtwin.screenOf(i), id);
    };
    const p0 = await at(150);
    const pHalf = await at(150.5);
    const p1 = await at(151);
    expect(pHalf).not.toEqual(p0);
    expect(pHalf).not.toEqual(p1);
  });

  it('clicking a vehicle opens its panel with its id', async () => {
    await seekWithSlider(page, 120);
    // zoom in a little so vehicles are big and apart
    const box = (await page.locator('#view').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let k = 0; k < 3; k++) await page.mouse.wheel(0, -200);
    await page.waitForTimeout(300);
    const target = await isolatedEntity(page);
    expect(target).not.toBeNull();
    await page.mouse.click(target!.x, target!.y);
    await page.waitForFunction((id) => window.__roadtwin.selected === id, target!.id, { timeout: 5000 });
    expect(await page.locator('#details').isVisible()).toBe(true);
    expect(await page.locator('#details-id').textContent()).toBe(String(target!.id));
    expect(await page.locator('#details').textContent()).toMatch(/speed/);
    await page.screenshot({ path: join(artifacts, 'grid-selected.png') });
    await page.keyboard.press('Escape');
    expect((await state(page)).selected).toBeNull();
  });

  it('plays: time advances and the drawn state follows', async () => {
    await seekWithSlider(page, 10);
    await page.selectOption('#speed', '16');
    await page.click('#play');
    await page.waitForFunction(() => window.__roadtwin.time > 20, null, { timeout: 20_000 });
    await page.click('#play');
    const s = await state(page);
    expect(s.time).toBeGreaterThan(20);
    expect(s.error).toBeNull();
  });

  it('a damaged run shows a clear message in the page, not a blank screen', async () => {
    const broken = join(base, 'broken');
    cpSync(run, broken, { recursive: true });
    const v = await startCli(['view', broken, '--port', '0'], 'stdout');
    try {
      // damaged after the server checked it (a run being overwritten, a disk problem)
      writeFileSync(join(broken, 'network.json'), '{"lanes": [');
      const p = await browser.context.newPage();
      await p.goto(v.url);
      const s = await waitReady(p);
      expect(s.ready).toBe(false);
      expect(s.error).toMatch(/network\.json: not valid JSON/);
      expect(await p.locator('#error').isVisible()).toBe(true);
      expect(await p.locator('#error-text').textContent()).toMatch(/network\.json/);
      await p.screenshot({ path: join(artifacts, 'broken-run.png') });
      await p.close();
    } finally {
      await stop(v.child);
    }
  });

  it('live mode streams a running scenario, then serves its run directory', async () => {
    const out = join(base, 'live');
    const live = await startCli(['run', join(root, 'scenarios', 'corridor.yaml'), '--out', out, '--duration', '120', '--live', '--port', '0', '--quiet', '--workers', '1'], 'stderr');
    try {
      const p = await browser.context.newPage();
      await p.goto(live.url);
      const s = await waitReady(p);
      expect(s.mode).toBe('live');
      await p.waitForFunction(() => window.__roadtwin.ended, null, { timeout: 60_000 });
      const end = await state(p);
      expect(end.error).toBeNull();
      expect(end.liveFrames).toBe(121); // the frame at connection (t = 0) and one per second
      expect(end.drawnTime).toBe(120);
      expect(end.vehicles).toBeGreaterThan(0);
      await p.screenshot({ path: join(artifacts, 'live-end.png') });
      // the same server now replays the finished run, with the frame the trace has at 120 s
      await p.reload();
      const replay = await waitReady(p);
      expect(replay.mode).toBe('replay');
      expect(replay.frames).toBe(121);
      await p.close();
    } finally {
      expect(await stop(live.child)).toBe(0);
    }
    expect(live.output()).toMatch(/live stream ended \(\d+ frames sent/);
  });
});
