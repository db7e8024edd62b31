// The junction panel, the selected vehicle's route and the frame meter in real headless Chromium,
// on two five-minute grid runs made here with the engine: one with every signal actuated (the
// panel must show what signals.csv recorded, not the fixed-time clock), one with heavy demand, in
// which vehicles stuck at lane ends are rerouted. Every test ends with no console error or
// warning. Screenshots go to test-artifacts/viewer/.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { serveRun } from './e2e/serve.js';
import { chromiumPresent, launchBrowser, type Browser } from './e2e/browser.js';
import { onCanvas, seekWithSlider, state, waitReady, watchConsole } from './e2e/page.js';
import { intervalPhases, programAt } from './src/signal-program.js';
import type { NetworkJson } from './src/network.js';
import { decodeFrame, decodeHeader, decodeIndex, frameAtOrBefore } from '../engine/io/trace/format.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const artifacts = join(root, 'test-artifacts', 'viewer');
const built = existsSync(join(root, 'dist', 'engine', 'cli', 'main.js')) && existsSync(join(root, 'dist', 'viewer', 'index.html'));

function runGrid(out: string, sets: string[]): void {
  const args = ['bin/roadtwin.js', 'run', join(root, 'scenarios', 'grid.yaml'), '--out', out, '--quiet', '--duration', '300', '--workers', '1', ...sets.flatMap((s) => ['--set', s])];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

interface Switch {
  time: number;
  program: string;
  phase: number;
  state: string;
}

describe.runIf(chromiumPresent() && built)('junction panel, route and frame meter in headless Chromium', () => {
  let base: string;
  let actuated: string;
  let heavy: string;
  let browser: Browser;
  const servers: { url: string; child: ChildProcess }[] = [];
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    base = mkdtempSync(join(tmpdir(), 'roadtwin-e2e-panels-'));
    actuated = join(base, 'actuated');
    heavy = join(base, 'heavy');
    runGrid(actuated, ['network.grid.signals.controller={type: actuated}']);
    runGrid(heavy, ['demand.0.randomTrips.period=0.15']);
    servers.push(await serveRun(actuated), await serveRun(heavy));
    browser = await launchBrowser(1280, 800);
    page = await browser.context.newPage();
    watchConsole(page, problems);
  }, 180_000);

  afterEach(() => {
    expect(problems, 'console errors or warnings').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) {
      s.child.kill('SIGINT');
      await new Promise((r) => s.child.on('exit', r));
    }
    rmSync(base, { recursive: true, force: true });
  });

  const open = async (url: string) => {
    await page.goto(url);
    expect((await waitReady(page, 60_000)).error).toBeNull();
    await page.waitForFunction(() => window.__roadtwin.tables.signals && window.__roadtwin.searchable > 0, null, { timeout: 30_000 });
  };

  /** A point on screen clear of every vehicle by `clearance` px, on the canvas (not under a panel). */
  const clearPoint = async (x: number, y: number, clearance = 14) => {
    const box = (await page.locator('#view').boundingBox())!;
    const p = await page.evaluate(([px, py]) => window.__roadtwin.project(px, py), [x, y]);
    if (p.x < 30 || p.y < 30 || p.x > box.width - 30 || p.y > box.height - 30) return null;
    if (!(await onCanvas(page, box.x + p.x, box.y + p.y))) return null;
    const busy = await page.evaluate(
      ([px, py, c]) =>
        window.__roadtwin.ids().some((id) => {
          const q = window.__roadtwin.screenOf(id);
          return q !== null && Math.hypot(q.x - px, q.y - py) < c;
        }),
      [p.x, p.y, clearance],
    );
    return busy ? null : { x: box.x + p.x, y: box.y + p.y };
  };

  it('an actuated junction: the panel shows the phase, state and times of the switches signals.csv recorded, not the fixed-time clock', async () => {
    await open(servers[0].url);
    const net: NetworkJson = JSON.parse(readFileSync(join(actuated, 'network.json'), 'utf8'));
    expect(net.signals.every((p) => p.controller === 'actuated')).toBe(true);
    const log = new Map<string, Switch[]>();
    for (const line of readFileSync(join(actuated, 'signals.csv'), 'utf8').trim().split('\n').slice(1)) {
      const [time, junction, program, phase, st] = line.split(',');
      if (!log.has(junction)) log.set(junction, []);
      log.get(junction)!.push({ time: Number(time), program, phase: Number(phase), state: st });
    }
    const recorded = (id: string, t: number) => {
      const list = log.get(id)!;
      let k = 0;
      while (k + 1 < list.length && list[k + 1].time <= t) k++;
      return { cur: list[k], next: list[k + 1] ?? null, k };
    };
    // (junction, time) pairs where the controller is in another interval than the fixed-time clock says, clear of a switch by 1 s
    const candidates: { id: string; t: number }[] = [];
    for (const prog of net.signals)
      for (let t = 120; t <= 280; t += 17) {
        const r = recorded(prog.node, t);
        if (r.cur.phase !== programAt(prog, t).interval && t - r.cur.time > 1 && (!r.next || r.next.time - t > 1)) candidates.push({ id: prog.node, t });
      }
    expect(candidates.length).toBeGreaterThan(10);
    const box = (await page.locator('#view').boundingBox())!;
    let done = false;
    for (const { id, t } of candidates.slice(0, 40)) {
      const n = net.nodes.find((x) => x.id === id)!;
      await seekWithSlider(page, t);
      await page.keyboard.press('h');
      const c = await page.evaluate(([x, y]) => window.__roadtwin.project(x, y), [n.x, n.y]);
      if (!(await onCanvas(page, box.x + c.x, box.y + c.y))) continue;
      await page.mouse.move(box.x + c.x, box.y + c.y);
      for (let k = 0; k < 30; k++) await page.mouse.wheel(0, -200);
      await page.waitForTimeout(300);
      let at: { x: number; y: number } | null = null;
      // vehicles are tens of pixels long at this zoom: a point well clear of their centres
      for (const [dx, dy] of [[4, 4], [-4, 4], [4, -4], [-4, -4]]) if (!at) at = await clearPoint(n.x + dx, n.y + dy, 45);
      if (!at) continue;
      await page.mouse.click(at.x, at.y);
      const hit = await page.waitForFunction((j) => window.__roadtwin.selectedMap?.id === j, id, { timeout: 3000 }).then(() => true, () => false);
      if (!hit) {
        await page.keyboard.press('Escape');
        continue;
      }
      const shown = (await state(page)).drawnTime;
      expect(shown).toBe(t);
      const prog = net.signals.find((p) => p.node === id)!;
      const r = recorded(id, shown);
      expect(await page.locator('#junction-now').getAttribute('data-source')).toBe('signals.csv');
      expect(await page.locator('#junction-control').textContent()).toBe('signal, actuated');
      expect(Number(await page.locator('#junction-interval').textContent())).toBe(r.cur.phase);
      expect(await page.locator('#junction-state').getAttribute('data-state')).toBe(r.cur.state);
      const phaseName = prog.phases[intervalPhases(prog)[r.cur.phase]].name;
      expect(await page.locator('#junction-phase').textContent()).toBe(phaseName);
      expect(await page.locator('#junction-part').textContent()).toBe(/[Gg]/.test(r.cur.state) ? 'green' : /y/.test(r.cur.state) ? 'yellow' : 'all red');
      expect(await page.locator('#junction-since').textContent()).toBe((shown - r.cur.time).toFixed(1));
      expect(await page.locator('#junction-left').textContent()).toBe(r.next ? (r.next.time - shown).toFixed(1) : '–');
      // the interval in force is marked in the program, which is not where the fixed-time clock is
      expect(await page.locator('#junction-program tr.now td').first().textContent()).toBe(String(prog.starts[r.cur.phase]));
      expect(r.cur.phase).not.toBe(programAt(prog, shown).interval);
      // the recent switches, newest first, the current one marked
      const times = (await page.locator('#junction-switches tr td:first-child').allTextContents()).map(Number);
      expect(times).toEqual(log.get(id)!.slice(Math.max(0, r.k - 8), r.k + 1).map((s) => s.time).reverse());
      expect(await page.locator('#junction-switches tr.now td').first().textContent()).toBe(String(r.cur.time));
      await page.screenshot({ path: join(artifacts, 'panel-actuated-junction.png') });
      // the panel follows the slider: at the next switch plus 0.5 s it shows that one
      if (r.next) {
        await seekWithSlider(page, r.next.time + 0.5);
        await expect.poll(async () => Number(await page.locator('#junction-interval').textContent())).toBe(r.next.phase);
        expect(await page.locator('#junction-since').textContent()).toBe('0.5');
      }
      done = true;
      break;
    }
    expect(done, 'an actuated junction clear of vehicles on screen').toBe(true);
    await page.keyboard.press('Escape');
  });

  it("the selected vehicle's route: driven up to where it is, ahead from there to its next reroute; after the reroute, its new route", async () => {
    await open(servers[1].url);
    const events = readFileSync(join(heavy, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const reroute = events.find((e) => e.kind === 'reroute')!;
    expect(reroute, 'a reroute in the heavy run').toBeDefined();
    const id = reroute.id as number;
    const tr = reroute.time as number;
    const depart = events.find((e) => e.kind === 'depart' && e.id === id)!.time as number;
    const arrival = (events.find((e) => e.kind === 'arrive' && e.id === id)?.time as number | undefined) ?? 300;
    const reroutes = events.filter((e) => e.kind === 'reroute' && e.id === id).map((e) => e.time as number);
        const bin = new Uint8Array(readFileSync(join(heavy, 'trace.bin')));
    const idx = decodeIndex(new Uint8Array(readFileSync(join(heavy, 'trace.idx'))));
    const head = decodeHeader(bin);
    const where = (t: number) => {
      const f = decodeFrame(bin, idx.offsets[frameAtOrBefore(idx.times, t)], head);
      const k = Array.from(f.id).indexOf(id);
      return k < 0 ? null : { x: f.x[k], y: f.y[k] };
    };
    // the last position of the trace that is a metre from the one before it up to time `until` (the path is thinned to 1 m)
    const lastMoved = (until: number) => {
      let last: { x: number; y: number; t: number } | null = null;
      for (let i = 0; i < idx.times.length && idx.times[i] <= until; i++) {
        const p = where(idx.times[i]);
        if (p && (!last || Math.hypot(p.x - last.x, p.y - last.y) >= 1)) last = { ...p, t: idx.times[i] };
      }
      return last!;
    };
    // a time it was still moving toward the lane end where it got stuck (it may have stood there a while)
    const atReroute = lastMoved(tr);
    const t = Math.floor(atReroute.t - 3) + 0.5;
    expect(t).toBeGreaterThan(depart);
    expect(t).toBeLessThan(tr);
    await seekWithSlider(page, t);
    await page.fill('#search', `#${id}`);
    await page.press('#search', 'Enter');
    await page.waitForFunction((i) => window.__roadtwin.selected === i && window.__roadtwin.vehicleRoute?.id === i, id, { timeout: 15_000 });
    await page.waitForFunction(() => window.__roadtwin.vehicleRoute!.cut === window.__roadtwin.drawnTime, null, { timeout: 5000 });
    let r = (await state(page)).vehicleRoute!;
    expect(r.from).toBe(depart);
    expect(r.reroutes).toBe(reroutes.length);
    expect(r.until).toBe(tr);
    expect(r.driven).toBeGreaterThanOrEqual(2);
    expect(r.ahead).toBeGreaterThanOrEqual(2);
    // the parts meet where the vehicle is drawn; the part ahead ends where it was when rerouted
    const pos = await page.evaluate((i) => window.__roadtwin.positionOf(i), id);
    expect(Math.hypot(r.joint!.x - pos!.x, r.joint!.y - pos!.y)).toBeLessThan(0.01);
    expect(Math.hypot(r.aheadEnd!.x - atReroute.x, r.aheadEnd!.y - atReroute.y)).toBeLessThan(0.01);
    expect(await page.locator('#vehicle-reroutes tr').count()).toBe(1 + reroutes.length);
    await page.screenshot({ path: join(artifacts, 'panel-route-before-reroute.png') });
    // after the reroute: its new route, to its arrival (or the next reroute)
    const t2 = tr + 2.5;
    expect(t2).toBeLessThan(arrival);
    await seekWithSlider(page, t2);
    await page.waitForFunction((x) => window.__roadtwin.vehicleRoute!.cut === x, t2, { timeout: 5000 });
    r = (await state(page)).vehicleRoute!;
    const later = reroutes.find((x) => x > t2) ?? null;
    expect(r.until).toBe(later);
    const end = lastMoved(later ?? arrival);
    expect(Math.hypot(r.aheadEnd!.x - end.x, r.aheadEnd!.y - end.y)).toBeLessThan(0.01);
    expect(r.driven).toBeGreaterThan(2);
    expect(await page.locator('#vehicle-reroutes tr.done').count()).toBe(reroutes.filter((x) => x <= t2).length);
    await page.screenshot({ path: join(artifacts, 'panel-route-after-reroute.png') });
  });

  it('the frame meter: hidden at first, shown with m or ?fps, counting the pictures drawn while playing', async () => {
    expect(await page.locator('#fps-meter').count()).toBe(0);
    await page.locator('#slider').focus(); // out of the search box, where keys are typed
    await page.keyboard.press('m');
    await expect.poll(async () => page.locator('#fps-meter').isVisible()).toBe(true);
    await page.keyboard.press(' ');
    await page.waitForTimeout(2500);
    const s = await state(page);
    expect(s.playing).toBe(true);
    expect(s.meter.shown).toBe(true);
    expect(s.meter.fps).toBeGreaterThan(0);
    expect(s.meter.workMs).toBeGreaterThan(0);
    expect(s.meter.workMaxMs).toBeGreaterThanOrEqual(s.meter.workMs);
    expect(Number(await page.locator('#fps-value').textContent())).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'panel-fps-meter.png') });
    await page.keyboard.press(' ');
    await page.keyboard.press('m');
    await expect.poll(async () => page.locator('#fps-meter').isVisible()).toBe(false);
    expect((await state(page)).meter.shown).toBe(false);
    await page.goto(`${servers[1].url}?fps`);
    expect((await waitReady(page, 60_000)).error).toBeNull();
    await expect.poll(async () => page.locator('#fps-meter').isVisible()).toBe(true);
  });
});
