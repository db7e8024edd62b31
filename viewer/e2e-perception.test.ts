// The perception platform in real headless Chromium, on a 15-minute Laoshan run made here with the
// engine at event rates far above the district's and every dock patrolling: the city events drawn
// by the stage of their loop at the slider time, the docks' drones in the air, the camera views,
// blind spots and patrol routes as layers off by default, and an event's panel on a click. What
// the page shows is compared with the run's own events.csv and perception.json. Every test ends
// with no console error or warning. A screenshot goes to test-artifacts/viewer/.
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
import { parseCsv } from './src/csv.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const artifacts = join(root, 'test-artifacts', 'viewer');
const built = existsSync(join(root, 'dist', 'engine', 'cli', 'main.js')) && existsSync(join(root, 'dist', 'viewer', 'index.html'));

interface Flight {
  purpose: string;
  track: [number, number, number][];
}

describe.runIf(chromiumPresent() && built)('the perception platform in headless Chromium', () => {
  let base: string;
  let run: string;
  let browser: Browser;
  let server: ChildProcess;
  let url: string;
  let page: Page;
  const problems: string[] = [];
  let flights: Flight[];
  let events: { header: string[]; rows: string[][] };

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    base = mkdtempSync(join(tmpdir(), 'roadtwin-e2e-perception-'));
    run = join(base, 'run');
    const sets = ['events.areas.0.rate=60', 'events.onRoad.1.rate=80', 'perception.patrol={every: 600, start: 30}'];
    const r = spawnSync(process.execPath, ['bin/roadtwin.js', 'run', join(root, 'scenarios', 'laoshan.yaml'), '--out', run, '--quiet', '--duration', '900', '--workers', '1', ...sets.flatMap((s) => ['--set', s])], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    flights = (JSON.parse(readFileSync(join(run, 'perception.json'), 'utf8')) as { flights: Flight[] }).flights;
    events = parseCsv(readFileSync(join(run, 'events.csv'), 'utf8'));
    const served = await serveRun(run);
    server = served.child;
    url = served.url;
    browser = await launchBrowser(1280, 800);
    page = await browser.context.newPage();
    watchConsole(page, problems);
    await page.goto(url);
    expect((await waitReady(page, 60_000)).error).toBeNull();
    await page.waitForFunction(() => window.__roadtwin.perception !== null, null, { timeout: 30_000 });
  }, 180_000);

  afterEach(() => {
    expect(problems, 'console errors or warnings').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    if (server) {
      server.kill('SIGINT');
      await new Promise((r) => server.on('exit', r));
    }
    rmSync(base, { recursive: true, force: true });
  });

  const col = (name: string) => events.header.indexOf(name);
  const time = (row: string[], name: string) => (row[col(name)] === '' ? Infinity : Number(row[col(name)]));
  /** The stage names events.csv gives each event at t (ended ones are shown for 60 s). */
  const stagesAt = (t: number) => {
    const out: Record<string, number> = {};
    for (const r of events.rows) {
      const at = (n: string) => time(r, n);
      let s: string | null;
      if (t < at('occurred')) s = null;
      else if (at('cleared') <= t) s = t - at('cleared') < 60 ? 'cleared' : null;
      else if (at('dismissed') <= t) s = t - at('dismissed') < 60 ? 'dismissed' : null;
      else if (at('arrived') <= t) s = 'unit on scene';
      else if (at('dispatched') <= t) s = 'unit on its way';
      else if (at('confirmed') <= t) s = 'confirmed';
      else if (at('detected') <= t) s = 'reported';
      else s = 'not yet seen';
      if (s) out[s] = (out[s] ?? 0) + 1;
    }
    return out;
  };
  const airborneAt = (t: number) => flights.filter((f) => t >= f.track[0][0] && t <= f.track[f.track.length - 1][0]).length;

  it('reads every event, camera and flight of the run, and lists its layers with their defaults', async () => {
    const s = await state(page);
    const cov = JSON.parse(readFileSync(join(run, 'coverage.json'), 'utf8')) as { blindSpots: unknown[]; patrols: unknown[] };
    const p = JSON.parse(readFileSync(join(run, 'perception.json'), 'utf8')) as { cameras: unknown[]; docks: unknown[] };
    expect(events.rows.length).toBeGreaterThan(5);
    expect(flights.some((f) => f.purpose === 'verify')).toBe(true);
    expect(s.perception).toMatchObject({ incidents: events.rows.length, cameras: p.cameras.length, docks: p.docks.length, flights: flights.length, blindSpots: cov.blindSpots.length, patrolRoutes: cov.patrols.length });
    const checked = async (id: string) => page.locator(`input[data-layer=${id}]`).isChecked();
    expect(await checked('incidents')).toBe(true);
    expect(await checked('platformDrones')).toBe(true);
    expect(await checked('cameras')).toBe(false);
    expect(await checked('blindSpots')).toBe(false);
    expect(await checked('patrolRoutes')).toBe(false);
  });

  it('shows each event in the stage of its loop at the slider time and every drone of the docks in the air then', async () => {
    // the time with the most verification flights in the air, and a later one
    const verify = flights.filter((f) => f.purpose === 'verify');
    const t1 = Math.round((verify[0].track[2][0] + verify[0].track[4][0]) / 2);
    for (const t of [t1, 600, 880]) {
      await seekWithSlider(page, t);
      const s = await state(page);
      expect(s.perception!.byStage, `t = ${t}`).toEqual(stagesAt(t));
      expect(s.perception!.drawn).toBe(Object.values(stagesAt(t)).reduce((a, b) => a + b, 0));
      expect(s.perception!.airborne, `t = ${t}`).toBe(airborneAt(t));
      // every drone in the air is above the ground and below the cruise altitude
      for (const [, , h] of s.perception!.dronesAt) expect(h).toBeGreaterThanOrEqual(0);
    }
    expect(airborneAt(600)).toBeGreaterThan(0);
  });

  it('switches the camera views, blind spots and patrol routes on and off, each adding its draw calls', async () => {
    await seekWithSlider(page, 600);
    const calls = async () => {
      await page.waitForTimeout(300);
      return (await state(page)).drawCalls;
    };
    let before = await calls();
    for (const id of ['cameras', 'blindSpots', 'patrolRoutes']) {
      await page.locator(`input[data-layer=${id}]`).check();
      const on = await calls();
      expect(on, id).toBeGreaterThan(before);
      before = on;
    }
    await page.screenshot({ path: join(artifacts, 'perception-layers.png') });
    for (const id of ['cameras', 'blindSpots', 'patrolRoutes']) await page.locator(`input[data-layer=${id}]`).uncheck();
    expect(await calls()).toBeLessThan(before);
    expect((await state(page)).layers).toMatchObject({ cameras: false, blindSpots: false, patrolRoutes: false });
  });

  it("opens an event's panel on a click: its loop up to the slider time, following the slider", async () => {
    const t = 600;
    await seekWithSlider(page, t);
    const box = (await page.locator('#view').boundingBox())!;
    // an event drawn now, on the canvas, clear of every vehicle and site
    let target: { id: string; x: number; y: number } | null = null;
    // (those a response unit drove to first: the panel links its vehicle)
    const rows = [...events.rows].sort((a, b) => Number(b[col('unitVehicle')] !== '') - Number(a[col('unitVehicle')] !== ''));
    for (const r of rows) {
      if (t < time(r, 'occurred') || time(r, 'cleared') + 60 <= t || time(r, 'dismissed') + 60 <= t) continue;
      const q = await page.evaluate(([x, y]) => window.__roadtwin.project(x, y), [Number(r[col('x')]), Number(r[col('y')])]);
      if (q.x < 30 || q.y < 30 || q.x > box.width - 30 || q.y > box.height - 30) continue;
      if (!(await onCanvas(page, box.x + q.x, box.y + q.y))) continue;
      const busy = await page.evaluate(
        ([px, py]) =>
          window.__roadtwin.ids().some((id) => {
            const v = window.__roadtwin.screenOf(id);
            return v !== null && Math.hypot(v.x - px, v.y - py) < 16;
          }) || window.__roadtwin.sites().some((s) => Math.hypot(s.x - px, s.y - py) < 16),
        [q.x, q.y],
      );
      if (!busy) {
        target = { id: r[col('id')], x: box.x + q.x, y: box.y + q.y };
        break;
      }
    }
    expect(target, 'an event clear of vehicles and sites on screen').not.toBeNull();
    await page.mouse.click(target!.x, target!.y);
    await page.waitForFunction((id) => window.__roadtwin.selectedIncident === id, target!.id, { timeout: 10_000 });
    expect(await page.locator('#details-id').textContent()).toBe(target!.id);
    const row = events.rows.find((r) => r[col('id')] === target!.id)!;
    const done = (at: number) => ['occurred', 'detected', 'confirmed', ...(row[col('dismissed')] ? ['dismissed'] : []), 'dispatched', 'arrived', 'cleared'].filter((n) => time(row, n) <= at).length;
    expect(await page.locator('#incident-loop tr.done').count()).toBe(done(t));
    // the panel follows the slider: at the end of the run every step taken by then is done
    await seekWithSlider(page, 899);
    await page.waitForTimeout(300);
    expect(await page.locator('#incident-loop tr.done').count()).toBe(done(899));
    const unit = row[col('unitVehicle')];
    expect(unit, 'an event clear on screen that a unit drove to').not.toBe('');
    // the unit's vehicle, a click away: selected, at a time it is on the road
    await page.locator(`#details a[data-vehicle="${unit}"]`).click();
    await page.waitForFunction((id) => window.__roadtwin.selected === id, Number(unit), { timeout: 15_000 });
    expect((await state(page)).selectedIncident).toBeNull();
    await page.keyboard.press('Escape');
    expect((await state(page)).selected).toBeNull();
  });
});
