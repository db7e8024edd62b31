// The viewer end to end in real headless Chromium (playwright-core, Debian's /usr/bin/chromium,
// WebGL through SwiftShader): a real run served by the real `roadtwin view`, a broken run, and a
// live run. Screenshots go to test-artifacts/viewer/. Without a browser these tests are skipped
// loudly, except in CI (CI=true), where a missing browser is a failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, chromiumPresent, launchBrowser, type Browser } from './e2e/browser.js';
import { canvasSample, entityOnPage, isolatedEntity, onCanvas, seekWithSlider, state, waitReady, watchConsole } from './e2e/page.js';
import { CLASS_DRONE, CLASS_ROBOT, decodeFrame, decodeHeader, decodeIndex, frameAtOrBefore, type TraceFrame } from '../engine/io/trace/format.js';

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
    watchConsole(page, pageErrors);
  }, 120_000);

  // no console error or warning (THREE's included) in any test
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

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
      const said: string[] = [];
      watchConsole(p, said);
      await p.goto(v.url);
      const s = await waitReady(p);
      expect(s.ready).toBe(false);
      expect(s.error).toMatch(/network\.json: not valid JSON/);
      expect(await p.locator('#error').isVisible()).toBe(true);
      expect(await p.locator('#error-text').textContent()).toMatch(/network\.json/);
      await p.screenshot({ path: join(artifacts, 'broken-run.png') });
      await p.close();
      // nothing in the console but, at most, the message the page shows
      for (const m of said) expect(m).toMatch(/network\.json/);
    } finally {
      await stop(v.child);
    }
  });

  it('live mode streams a running scenario, then serves its run directory', async () => {
    const out = join(base, 'live');
    const live = await startCli(['run', join(root, 'scenarios', 'corridor.yaml'), '--out', out, '--duration', '120', '--live', '--port', '0', '--quiet', '--workers', '1'], 'stderr');
    try {
      const p = await browser.context.newPage();
      watchConsole(p, pageErrors);
      await p.goto(live.url);
      const s = await waitReady(p);
      expect(s.mode).toBe('live');
      await p.waitForFunction(() => window.__roadtwin.ended, null, { timeout: 60_000 });
      // live mode draws at the stream's frame rate: the last frame shows at the next due draw
      await expect.poll(async () => (await state(p)).drawnTime, { timeout: 5_000 }).toBe(120);
      const end = await state(p);
      expect(end.error).toBeNull();
      // the frame at connection (t = 0), then at most LIVE_MAX_FPS a second of wall time (the
      // run is far faster than real time, so fewer than its 120 trace frames), ending on the last
      await expect.poll(() => live.output(), { timeout: 10_000 }).toMatch(/\d+ frames sent/);
      const sent = Number(/(\d+) frames sent/.exec(live.output())![1]);
      expect(end.liveFrames).toBe(sent + 1);
      expect(end.liveFrames).toBeGreaterThanOrEqual(2);
      expect(end.liveFrames).toBeLessThanOrEqual(121);
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

  it('live mode builds the heat map of warnings received as they arrive, the same as its replay', async () => {
    const out = join(base, 'live-heat');
    const live = await startCli(['run', join(root, 'scenarios', 'laoshan.yaml'), '--out', out, '--duration', '90', '--live', '--port', '0', '--quiet', '--workers', '1'], 'stderr');
    try {
      const p = await browser.context.newPage();
      watchConsole(p, pageErrors);
      await p.goto(live.url);
      expect((await waitReady(p, 60_000)).mode).toBe('live');
      await p.waitForFunction(() => window.__roadtwin.ended, null, { timeout: 90_000 });
      await expect.poll(async () => (await state(p)).drawnTime, { timeout: 5_000 }).toBe(90);
      const received = (await state(p)).warnings.count;
      const inRun = readFileSync(join(out, 'events.ndjson'), 'utf8').split('\n').filter((l) => l.includes('"v2x.warning')).length;
      expect(received).toBeGreaterThan(5);
      expect(received).toBe(inRun);
      await p.locator('#legend input[data-layer="warningHeat"]').click();
      await p.waitForFunction(() => window.__roadtwin.warningHeat?.shown === true, null, { timeout: 5_000 });
      const liveHeat = (await state(p)).warningHeat!;
      expect(liveHeat.applied).toBe(received);
      // the replay of the finished run: its heat map from events.ndjson at the same time has the same top
      await p.reload();
      expect((await waitReady(p, 60_000)).mode).toBe('replay');
      await p.waitForFunction(() => window.__roadtwin.warningHeat !== null, null, { timeout: 30_000 });
      expect((await state(p)).warningHeat!.maxHeat).toBe(liveHeat.maxHeat);
      await p.close();
    } finally {
      expect(await stop(live.child)).toBe(0);
    }
  });
});

/** The run's trace frame at or before t, decoded (what the viewer must draw then). */
function frameOf(run: string, t: number): TraceFrame {
  const idx = decodeIndex(new Uint8Array(readFileSync(join(run, 'trace.idx'))));
  const bin = new Uint8Array(readFileSync(join(run, 'trace.bin')));
  return decodeFrame(bin, idx.offsets[frameAtOrBefore(idx.times, t)], decodeHeader(bin));
}

describe.runIf(haveBrowser && built)('entities in headless Chromium: RSUs, drone ports, drones, robots', () => {
  let base: string;
  let run: string;
  let browser: Browser;
  let server: { url: string; child: ChildProcess };
  let page: Page;
  let entities: { rsus: { id: string }[]; dronePorts: { id: string }[]; hubs: { id: string }[]; noFly?: unknown[] };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    base = mkdtempSync(join(tmpdir(), 'roadtwin-e2e-ent-'));
    run = join(base, 'laoshan');
    // the default scenario has V2X (RSUs with sensors) and logistics (hubs, drone ports, drones, robots)
    const r = spawnSync(process.execPath, ['bin/roadtwin.js', 'run', join(root, 'scenarios', 'laoshan.yaml'), '--out', run, '--quiet', '--duration', '600', '--workers', '1'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    entities = JSON.parse(readFileSync(join(run, 'entities.json'), 'utf8'));
    server = await startCli(['view', run, '--port', '0'], 'stdout');
    browser = await launchBrowser(1280, 800);
    page = await browser.context.newPage();
    watchConsole(page, pageErrors);
    await page.goto(server.url);
    expect((await waitReady(page)).error).toBeNull();
  }, 180_000);

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stop(server.child);
    rmSync(base, { recursive: true, force: true });
  });

  /** A time at which some drone is in the air, and that drone (the trace says so). */
  const flyingDrone = () => {
    for (let t = 60; t <= 600; t += 10) {
      const f = frameOf(run, t);
      for (let i = 0; i < f.count; i++) if (f.cls[i] === CLASS_DRONE && f.z[i] > 20) return { t: f.time, id: f.id[i], z: f.z[i] };
    }
    return null;
  };

  it('draws the RSUs, drone ports, hubs and no-fly zones of entities.json, and drones and robots of the trace', async () => {
    expect(entities.rsus.length).toBeGreaterThan(0);
    expect(entities.dronePorts.length).toBeGreaterThan(0);
    const s = await page.evaluate(() => ({ entities: window.__roadtwin.entities, sites: window.__roadtwin.sites() }));
    expect(s.entities.rsus).toBe(entities.rsus.length);
    expect(s.entities.dronePorts).toBe(entities.dronePorts.length);
    expect(s.entities.hubs).toBe(entities.hubs.length);
    expect(s.entities.noFly).toBe(entities.noFly?.length ?? 0);
    expect(s.sites.filter((x) => x.kind === 'rsu').map((x) => x.id).sort()).toEqual(entities.rsus.map((x) => x.id).sort());
    const drone = flyingDrone();
    expect(drone, 'a drone in the air in the first 10 minutes').not.toBeNull();
    await seekWithSlider(page, drone!.t);
    const now = await state(page);
    const f = frameOf(run, drone!.t);
    const count = (c: number) => Array.from(f.cls.subarray(0, f.count)).filter((x) => x === c).length;
    expect(now.perClass.drone).toBe(count(CLASS_DRONE));
    expect(now.perClass.robot ?? 0).toBe(count(CLASS_ROBOT));
    // the drone is drawn at its altitude from the trace
    const p = await page.evaluate((id) => window.__roadtwin.positionOf(id), drone!.id);
    expect(p?.cls).toBe('drone');
    expect(p!.z).toBeCloseTo(drone!.z, 1);
    const legend = await page.locator('#legend').textContent();
    expect(legend).toMatch(/RSU \d+/);
    expect(legend).toMatch(/drone ports \d+/);
    await page.screenshot({ path: join(artifacts, 'laoshan-entities.png') });
    expect(pageErrors).toEqual([]);
  });

  it('clicking a drone opens its panel with its altitude; follow keeps it in view while it flies', async () => {
    const drone = flyingDrone()!;
    await seekWithSlider(page, drone.t);
    // fold the map panel away: the drone may be under it
    await page.locator('#map-panel summary').click();
    const box = (await page.locator('#view').boundingBox())!;
    const at = await entityOnPage(page, drone.id);
    expect(at).not.toBeNull();
    // another entity on the same pixels would take the click: the drone must be clear of them
    const others = await page.evaluate((id) => window.__roadtwin.ids().filter((i) => i !== id).map((i) => window.__roadtwin.screenOf(i)), drone.id);
    const clear = others.every((q) => !q || Math.hypot(q.x + box.x - at!.x, q.y + box.y - at!.y) > 6);
    expect(clear, 'the drone is not drawn over another entity').toBe(true);
    await page.mouse.click(at!.x, at!.y);
    await page.waitForFunction((id) => window.__roadtwin.selected === id, drone.id, { timeout: 5000 });
    expect(await page.locator('#details-id').textContent()).toBe(String(drone.id));
    const details = await page.locator('#details').textContent();
    expect(details).toMatch(/drone/);
    expect(details).toMatch(/altitude\s*\d+(\.\d)? m/);
    await page.screenshot({ path: join(artifacts, 'laoshan-drone-selected.png') });

    // follow: the camera's target goes to the drone and stays on it as it moves
    await page.keyboard.press('f');
    await page.waitForFunction(() => window.__roadtwin.following, null, { timeout: 5000 });
    const start = await page.evaluate(() => window.__roadtwin.target());
    await page.selectOption('#speed', '4');
    await page.click('#play');
    await page.waitForFunction((t0) => window.__roadtwin.time > t0 + 8, drone.t, { timeout: 30_000 });
    await page.click('#play');
    await page.waitForFunction(() => !window.__roadtwin.playing && window.__roadtwin.drawnTime === window.__roadtwin.time, null, { timeout: 5000 });
    const target = await page.evaluate(() => window.__roadtwin.target());
    const pos = await page.evaluate((id) => window.__roadtwin.positionOf(id), drone.id);
    if (pos) {
      // still flying: the view is centred on it, and it has moved since the click
      expect(Math.hypot(target.x - pos.x, target.y - pos.y)).toBeLessThan(0.5);
      expect(Math.hypot(target.x - start.x, target.y - start.y)).toBeGreaterThan(5);
    } else expect.fail(`drone ${drone.id} landed within 8 s of flight; pick a later time`);
    await page.locator('#map-panel summary').click();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !window.__roadtwin.following && window.__roadtwin.selected === null, null, { timeout: 5000 });
  });

  it('clicking an RSU opens its panel with its entities.json record', async () => {
    // an RSU drawn clear of every vehicle (so the click cannot hit a car), at some time
    let target: { id: string; x: number; y: number } | null = null;
    const box = (await page.locator('#view').boundingBox())!;
    for (const t of [5, 30, 120, 300]) {
      await seekWithSlider(page, t);
      const found = await page.evaluate(() => {
        const d = window.__roadtwin;
        const cars = d.ids().map((i) => d.screenOf(i));
        return d.sites().find((s) => s.kind === 'rsu' && cars.every((c) => !c || Math.hypot(c.x - s.x, c.y - s.y) > 20)) ?? null;
      });
      if (found && found.x > 20 && found.y > 20 && found.x < box.width - 20 && found.y < box.height - 20 && (await onCanvas(page, box.x + found.x, box.y + found.y))) {
        target = found;
        break;
      }
    }
    expect(target, 'an RSU clear of traffic on screen').not.toBeNull();
    await page.mouse.click(box.x + target!.x, box.y + target!.y);
    await page.waitForFunction((id) => window.__roadtwin.selectedSite?.id === id, target!.id, { timeout: 5000 });
    expect((await state(page)).selected).toBeNull();
    expect(await page.locator('#details-id').textContent()).toBe(target!.id);
    const text = await page.locator('#details').textContent();
    expect(text).toMatch(/roadside unit/);
    expect(text).toMatch(/range/);
    expect(text).toMatch(/camera/);
    await page.screenshot({ path: join(artifacts, 'laoshan-rsu-selected.png') });
    await page.keyboard.press('Escape');
    expect(await page.locator('#details').isVisible()).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  /** The run's orders.csv as records, and its events.ndjson. */
  const orders = () => {
    const [head, ...rows] = readFileSync(join(run, 'orders.csv'), 'utf8').trim().split('\n');
    const cols = head.split(',');
    return rows.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])) as Record<string, string>);
  };
  const events = () => readFileSync(join(run, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  /** Distance from (x, y) to a polyline of [x, y, …] points, m. */
  const toPolyline = (x: number, y: number, pts: number[][]) => {
    let best = Infinity;
    for (let i = 1; i < pts.length; i++) {
      const [ax, ay] = pts[i - 1];
      const [bx, by] = pts[i];
      const l2 = (bx - ax) ** 2 + (by - ay) ** 2;
      const u = l2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / l2)) : 0;
      best = Math.min(best, Math.hypot(x - ax - u * (bx - ax), y - ay - u * (by - ay)));
    }
    return best;
  };
  /** Clicks an entity drawn clear of every other one (else returns false: another would take the click). */
  const clickClear = async (id: number, clearance = 10) => {
    const box = (await page.locator('#view').boundingBox())!;
    const at = await entityOnPage(page, id);
    if (!at || at.x < box.x + 20 || at.y < box.y + 20 || at.x > box.x + box.width - 20 || at.y > box.y + box.height - 20 || !(await onCanvas(page, at.x, at.y))) return false;
    const others = await page.evaluate((i) => window.__roadtwin.ids().filter((j) => j !== i).map((j) => window.__roadtwin.screenOf(j)), id);
    const sites = await page.evaluate(() => window.__roadtwin.sites());
    if (!others.every((q) => !q || Math.hypot(q.x + box.x - at.x, q.y + box.y - at.y) > clearance)) return false;
    if (!sites.every((q) => Math.hypot(q.x + box.x - at.x, q.y + box.y - at.y) > 14)) return false;
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction((i) => window.__roadtwin.selected === i, id, { timeout: 5000 });
    // its route is drawn with the next picture
    await page.waitForFunction((i) => window.__roadtwin.logistics?.selected === i, id, { timeout: 5000 });
    return true;
  };

  it('draws one marker per order created up to the slider time, coloured by its status then (orders.csv and the order events)', async () => {
    await page.waitForFunction(() => window.__roadtwin.logistics !== null, null, { timeout: 30_000 });
    const rows = orders();
    expect(rows.length).toBeGreaterThan(50);
    const ev = events();
    // per order, its assignments (true) and give-backs (false) in event order
    const changes = new Map<number, { time: number; assigned: boolean }[]>();
    const rejectedAt = new Map<number, number>();
    for (const e of ev) {
      const o = e.order as number;
      if (e.kind === 'order.assigned' || e.kind === 'order.returned') changes.set(o, [...(changes.get(o) ?? []), { time: e.time as number, assigned: e.kind === 'order.assigned' }]);
      if (e.kind === 'order.rejected') rejectedAt.set(o, e.time as number);
    }
    const assignedAt = (id: number, t: number) => {
      let on = false;
      for (const ch of changes.get(id) ?? []) if (ch.time <= t) on = ch.assigned;
      return on;
    };
    for (const t of [45, 200, 420, 599]) {
      await seekWithSlider(page, t);
      const s = await state(page);
      const shown = s.drawnTime;
      const made = rows.filter((r) => Number(r.created) <= shown);
      // an empty cell has not happened (Number('') would be 0)
      const by = (v: string | number | undefined) => v !== undefined && v !== '' && Number(v) <= shown;
      const delivered = made.filter((r) => by(r.delivered)).length;
      const rejected = made.filter((r) => !by(r.delivered) && by(rejectedAt.get(Number(r.id)))).length;
      const assigned = made.filter((r) => !by(r.delivered) && !by(rejectedAt.get(Number(r.id))) && assignedAt(Number(r.id), shown)).length;
      expect(s.logistics!.orders, `orders at ${shown} s`).toBe(made.length);
      expect(s.logistics!.byStatus).toEqual({ pending: made.length - delivered - rejected - assigned, assigned, delivered, rejected });
      // one InstancedMesh draws them all (and one their outlines), but a delivered order only for a minute after its delivery
      const gone = made.filter((r) => by(r.delivered) && Number(r.delivered) + 60 <= shown).length;
      expect(gone, 'some delivered a minute ago or more').toBeGreaterThan(t > 400 ? 0 : -1);
      const scene = await page.evaluate(() => window.__roadtwin.scene());
      expect(scene.instanced.find((m) => m.name === 'orders')?.count).toBe(made.length - gone);
      expect(scene.instanced.find((m) => m.name === 'order outlines')?.count).toBe(made.length - gone);
      expect(s.logistics!.drawn).toBe(made.length - gone);
    }
    expect((await state(page)).logistics!.byStatus.delivered).toBeGreaterThan(10);
    const legend = await page.locator('#legend').textContent();
    expect(legend).toMatch(/orders:.*waiting.*assigned.*delivered.*rejected/);
    // the markers are a layer, off by default
  });

  it("clicking a drone draws its route from its port to the order's destination at its cruise altitude, and its panel shows the mission", async () => {
    const launches = events().filter((e) => e.kind === 'drone.launch') as { time: number; id: number; order: number; port: string; altitude: number; path: [number, number][] }[];
    expect(launches.length).toBeGreaterThan(5);
    const ports = new Map((entities.dronePorts as { id: string; x: number; y: number }[]).map((p) => [p.id, p]));
    const rows = orders();
    let done = false;
    // a drone cruising (at its altitude) somewhere clear of other entities on screen
    for (const m of launches) {
      for (const dt of [60, 90, 120]) {
        const t = m.time + dt;
        const f = frameOf(run, t);
        const k = Array.from(f.id.subarray(0, f.count)).indexOf(m.id);
        if (k < 0 || Math.abs(f.z[k] - m.altitude) > 0.5) continue;
        // this is still the mission of that drone then (no later launch)
        if (launches.some((o) => o.id === m.id && o.time > m.time && o.time <= f.time)) continue;
        await seekWithSlider(page, f.time);
        if (!(await clickClear(m.id))) continue;
        const s = await state(page);
        const route = s.logistics!.route!;
        expect(route.kind).toBe('drone');
        const port = ports.get(m.port)!;
        const order = rows.find((r) => Number(r.id) === m.order)!;
        // up at the port, cruise along the path, down at the destination
        expect(route.points[0]).toEqual([port.x, port.y, 0]);
        const cruise = route.points.slice(1, -1);
        expect(cruise.length).toBe(m.path.length);
        for (const p of cruise) expect(p[2]).toBe(m.altitude);
        const end = route.points[route.points.length - 1];
        expect(end[0]).toBeCloseTo(Number(order.x), 1);
        expect(end[1]).toBeCloseTo(Number(order.y), 1);
        expect(end[2]).toBe(0);
        // the drone as drawn is on its route
        const pos = await page.evaluate((id) => window.__roadtwin.positionOf(id), m.id);
        expect(toPolyline(pos!.x, pos!.y, cruise), JSON.stringify({ m, pos, route, t: s.drawnTime })).toBeLessThan(1);
        expect(pos!.z).toBeCloseTo(m.altitude, 0);
        expect(await page.locator('#route-altitude').textContent()).toBe(String(m.altitude));
        expect(await page.locator('#route-points').textContent()).toBe(String(m.path.length));
        expect(await page.locator('#details').textContent()).toContain(`order ${m.order}`);
        // every other drone in the air has its path drawn faintly
        expect(s.logistics!.activeRoutes).toBe(s.perClass.drone);
        await page.screenshot({ path: join(artifacts, 'laoshan-drone-route.png') });
        done = true;
        break;
      }
      if (done) break;
    }
    expect(done, 'a cruising drone clear of others on screen').toBe(true);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => window.__roadtwin.selected === null && window.__roadtwin.logistics?.route === null, null, { timeout: 5000 });
  });

  it("clicking a tour's van lists its stops in visiting order and draws its route along the road through them", async () => {
    const tours = events().filter((e) => e.kind === 'van.tour') as { time: number; id: number; van: string; stops: { order: number; x: number; y: number }[]; route: string[] }[];
    expect(tours.length).toBeGreaterThan(2);
    let done = false;
    for (const tour of tours) {
      for (const dt of [30, 60, 100, 150]) {
        const f = frameOf(run, tour.time + dt);
        if (!Array.from(f.id.subarray(0, f.count)).includes(tour.id)) continue;
        await seekWithSlider(page, f.time);
        if (!(await clickClear(tour.id, 12))) continue;
        const s = await state(page);
        const listed = await page.locator('#tour-stops tr[data-order]').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-order'))));
        expect(listed).toEqual(tour.stops.map((x) => x.order));
        expect(s.logistics!.tourStops).toBe(tour.stops.length);
        const route = s.logistics!.route!;
        expect(route.kind).toBe('van');
        // along the road: every stop lies on the drawn route (both on kerb lanes of the route's edges)
        for (const st of tour.stops) expect(toPolyline(st.x, st.y, route.points)).toBeLessThan(0.5);
        // and so does the van, as drawn now
        const pos = await page.evaluate((id) => window.__roadtwin.positionOf(id), tour.id);
        expect(toPolyline(pos!.x, pos!.y, route.points)).toBeLessThan(12);
        expect(await page.locator('#details').textContent()).toContain(tour.van);
        await page.screenshot({ path: join(artifacts, 'laoshan-van-tour.png') });
        done = true;
        break;
      }
      if (done) break;
    }
    expect(done, "a tour's van clear of other vehicles on screen").toBe(true);
    await page.keyboard.press('Escape');
    expect(pageErrors).toEqual([]);
  });
});

describe.runIf(haveBrowser && built)('20,000 vehicles in headless Chromium', () => {
  let base: string;
  let run: string;
  let browser: Browser;
  let server: { url: string; child: ChildProcess };

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'roadtwin-e2e-crowd-'));
    run = join(base, 'crowd');
    const r = spawnSync(process.execPath, ['bin/roadtwin.js', 'run', join(root, 'viewer', 'e2e', 'crowd.yaml'), '--out', run, '--quiet', '--duration', '20'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    server = await startCli(['view', run, '--port', '0'], 'stdout');
    browser = await launchBrowser(1280, 800);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stop(server.child);
    rmSync(base, { recursive: true, force: true });
  });

  it('draws them as one InstancedMesh per class, with no object per vehicle in the scene graph, and animates them', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    watchConsole(page, problems);
    await page.goto(server.url);
    expect((await waitReady(page, 60_000)).error).toBeNull();
    await seekWithSlider(page, 10);
    const s = await state(page);
    expect(s.vehicles).toBe(frameOf(run, 10).count);
    expect(s.vehicles).toBeGreaterThanOrEqual(20_000);
    const scene = await page.evaluate(() => window.__roadtwin.scene());
    const cars = scene.instanced.find((m) => m.name === 'car');
    expect(cars?.count).toBe(s.perClass.car);
    expect(cars!.count).toBeGreaterThanOrEqual(20_000);
    expect(cars!.capacity).toBeGreaterThanOrEqual(cars!.count);
    // every vehicle is an instance of its class's mesh (other instanced meshes, e.g. signal heads, aside)
    const classMeshes = scene.instanced.filter((m) => m.name in s.perClass);
    expect(classMeshes.length).toBe(Object.keys(s.perClass).length);
    expect(classMeshes.reduce((n, m) => n + m.count, 0)).toBe(s.vehicles);
    // the scene graph does not grow with the vehicles: far fewer objects than vehicles
    expect(scene.objects).toBeLessThan(s.vehicles / 10);
    // playing moves them: what is drawn changes
    const before = await canvasSample(page);
    const ids = await page.evaluate(() => window.__roadtwin.ids().slice(0, 50));
    const p0 = await page.evaluate((list) => list.map((i) => window.__roadtwin.screenOf(i)), ids);
    await page.selectOption('#speed', '4');
    await page.click('#play');
    await page.waitForFunction(() => window.__roadtwin.drawnTime > 13, null, { timeout: 60_000 });
    await page.click('#play');
    const p1 = await page.evaluate((list) => list.map((i) => window.__roadtwin.screenOf(i)), ids);
    expect(p1.filter((p, k) => p && p0[k] && (p.x !== p0[k]!.x || p.y !== p0[k]!.y)).length).toBeGreaterThan(25);
    expect((await canvasSample(page)).hash).not.toBe(before.hash);
    await page.screenshot({ path: join(artifacts, 'crowd.png') });
    await page.close();
    expect(problems).toEqual([]);
  });
});
