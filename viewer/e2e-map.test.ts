// The viewer's map in real headless Chromium: layer toggles, labels, the top-down camera (zoom to
// the cursor, pan by drag, orbit as an option), clicking a junction or a road (signal program,
// junctions.csv, edges.csv), roads coloured by an edges.csv measure. Ten minutes of Laoshan, with
// edges.csv and junctions.csv written by e2e/interval-files.ts (the engine does not write them
// yet). Every test ends with no console error or warning. Screenshots go to test-artifacts/viewer/.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { serveRun } from './e2e/serve.js';
import { chromiumPresent, launchBrowser, type Browser } from './e2e/browser.js';
import { canvasSample, onCanvas, seekWithSlider, state, waitReady, watchConsole } from './e2e/page.js';
import { writeIntervalFiles } from './e2e/interval-files.js';
import { programAt } from './src/signal-program.js';
import { defaultLayers } from './src/layers.js';
import type { NetworkJson } from './src/network.js';
import { decodeState } from './src/url-state.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const artifacts = join(root, 'test-artifacts', 'viewer');
const built = existsSync(join(root, 'dist', 'engine', 'cli', 'main.js')) && existsSync(join(root, 'dist', 'viewer', 'index.html'));

describe.runIf(chromiumPresent() && built)('the map in headless Chromium', () => {
  let base: string;
  let run: string;
  let browser: Browser;
  let server: { url: string; child: ChildProcess };
  let page: Page;
  let net: NetworkJson;
  let files: { edges: string[][]; junctions: string[][] };
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    base = mkdtempSync(join(tmpdir(), 'roadtwin-e2e-map-'));
    run = join(base, 'laoshan');
    const r = spawnSync(process.execPath, ['bin/roadtwin.js', 'run', join(root, 'scenarios', 'laoshan.yaml'), '--out', run, '--quiet', '--duration', '600', '--workers', '1'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    files = writeIntervalFiles(run, 600);
    net = JSON.parse(readFileSync(join(run, 'network.json'), 'utf8'));
    server = await serveRun(run);
    browser = await launchBrowser(1280, 800);
    page = await browser.context.newPage();
    watchConsole(page, problems);
    await page.goto(server.url);
    expect((await waitReady(page, 60_000)).error).toBeNull();
    await page.waitForFunction(() => window.__roadtwin.tables.edges && window.__roadtwin.logistics !== null && window.__roadtwin.coverage !== null && window.__roadtwin.warningHeat !== null, null, { timeout: 30_000 });
  }, 180_000);

  afterEach(() => {
    expect(problems, 'console errors or warnings').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    if (server) {
      server.child.kill('SIGINT');
      await new Promise((r) => server.child.on('exit', r));
    }
    rmSync(base, { recursive: true, force: true });
  });

  const canvasBox = async () => (await page.locator('#view').boundingBox())!;
  const drawCalls = async () => {
    // a picture drawn after the change
    const n = (await state(page)).pictures;
    await page.evaluate(() => document.getElementById('view')!.dispatchEvent(new Event('click')));
    await page.waitForFunction((k) => window.__roadtwin.pictures > k, n, { timeout: 10_000 });
    return (await state(page)).drawCalls;
  };
  const toggle = async (layer: string) => {
    await page.locator(`#legend input[data-layer="${layer}"]`).click();
  };

  it('starts with traffic and signals on and the heavy overlays off; each toggle adds or removes exactly its draw calls', async () => {
    await seekWithSlider(page, 400);
    const s = await state(page);
    expect(s.layers).toEqual(defaultLayers());
    expect(await page.locator('#legend input[data-layer="coverage"]').isChecked()).toBe(false);
    expect(await page.locator('#legend input[data-layer="traffic"]').isChecked()).toBe(true);
    // the v2x.csv of this run: no 90 % radius, a 50 % one: one ring per RSU
    expect(s.coverage![0]).toBe(0);
    expect(s.coverage![1]).toBeGreaterThan(0);
    expect(s.entities.coverageRings).toBe(s.entities.rsus);
    const before = await drawCalls();
    await toggle('coverage');
    expect((await state(page)).layers.coverage).toBe(true);
    expect(await drawCalls()).toBe(before + s.entities.rsus);
    await page.screenshot({ path: join(artifacts, 'map-coverage.png') });
    await toggle('coverage');
    expect(await drawCalls()).toBe(before);
    await toggle('sensors');
    expect(await drawCalls()).toBe(before + s.entities.sensors);
    await toggle('sensors');
    // orders: the fill and the outline InstancedMesh
    await toggle('orders');
    expect(await drawCalls()).toBe(before + 2);
    await page.screenshot({ path: join(artifacts, 'map-orders.png') });
    await toggle('orders');
    // traffic off: one InstancedMesh fewer per road class drawn now
    const roadMeshes = (await page.evaluate(() => window.__roadtwin.scene())).instanced.filter((m) => ['car', 'bus', 'truck', 'van', 'emergency'].includes(m.name) && m.count > 0).length;
    expect(roadMeshes).toBeGreaterThan(1);
    await toggle('traffic');
    expect(await drawCalls()).toBe(before - roadMeshes);
    await toggle('traffic');
    expect(await drawCalls()).toBe(before);
    // every layer off by default is listed, off, but patrol routes: the Laoshan docks do not patrol
    const offByDefault = Object.entries(defaultLayers()).filter(([id, on]) => !on && id !== 'patrolRoutes');
    expect(await page.locator('.legend-row.off').count()).toBe(offByDefault.length);
    expect(await page.locator('input[data-layer=patrolRoutes]').count()).toBe(0);
  });

  it('the heat map of V2X warnings received: off by default, one draw call, exactly the warnings up to the time shown, its legend', async () => {
    const times = readFileSync(join(run, 'events.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; time: number })
      .filter((e) => e.kind === 'v2x.warning')
      .map((e) => e.time);
    const upTo = (t: number) => times.filter((x) => x <= t).length;
    await seekWithSlider(page, 300);
    expect(upTo(300)).toBeGreaterThan(5);
    expect(await page.locator('#legend input[data-layer="warningHeat"]').isChecked()).toBe(false);
    expect((await state(page)).warningHeat!.shown).toBe(false);
    const before = await drawCalls();
    const plain = await canvasSample(page);
    await toggle('warningHeat');
    expect(await drawCalls()).toBe(before + 1);
    let h = (await state(page)).warningHeat!;
    expect(h.shown).toBe(true);
    expect(h.applied).toBe(upTo((await state(page)).drawnTime));
    expect(h.maxHeat).toBeGreaterThan(1);
    expect((await canvasSample(page)).hash).not.toBe(plain.hash);
    // zoomed out (the whole district), each texel is the hottest 25 m cell of a block of 2ⁿ cells at least 8 px wide
    expect(h.pool).toBeGreaterThan(1);
    const mpp = await page.evaluate(() => { const a = window.__roadtwin.project(0, 0); const b = window.__roadtwin.project(100, 0); return 100 / (b.x - a.x); });
    expect((25 * h.pool) / mpp).toBeGreaterThanOrEqual(8);
    expect((25 * h.pool) / 2 / mpp).toBeLessThan(8);
    expect(await page.locator('#legend').textContent()).toMatch(new RegExp(`warnings received\\s*1\\s*received by now, per 25 m, hottest per ${25 * h.pool} m`));
    await page.screenshot({ path: join(artifacts, 'map-warning-heat.png') });
    // forward and back: always the warnings up to the time drawn
    for (const t of [590, 120]) {
      await seekWithSlider(page, t);
      h = (await state(page)).warningHeat!;
      expect(h.applied).toBe(upTo((await state(page)).drawnTime));
    }
    expect(upTo(590)).toBeGreaterThan(upTo(120));
    await toggle('warningHeat');
    expect(await drawCalls()).toBe(before);
  });

  it("the delivery-ratio layer: off by default, one draw call, an annulus per RSU and v2x.csv distance bin with a receiver", async () => {
    const rows = readFileSync(join(run, 'v2x.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    // the RSU message types (all but BSM) pooled per finite bin
    const sent = new Map<string, number>();
    for (const r of rows) if (r[0] !== 'bsm' && r[2] !== 'inf') sent.set(r[1], (sent.get(r[1]) ?? 0) + Number(r[3]));
    const bins = [...sent.values()].filter((n) => n > 0).length;
    const rsus = (JSON.parse(readFileSync(join(run, 'entities.json'), 'utf8')) as { rsus: unknown[] }).rsus.length;
    expect(bins).toBeGreaterThan(3);
    expect((await state(page)).deliveryRings).toBe(rsus * bins);
    expect(await page.locator('#legend input[data-layer="deliveryRatio"]').isChecked()).toBe(false);
    const before = await drawCalls();
    await toggle('deliveryRatio');
    expect(await drawCalls()).toBe(before + 1);
    expect(await page.locator('#legend').textContent()).toContain('RSU messages delivered by distance');
    await page.screenshot({ path: join(artifacts, 'map-delivery-ratio.png') });
    await toggle('deliveryRatio');
    expect(await drawCalls()).toBe(before);
  });

  it('labels streets (once per stretch), junctions, RSUs, hubs and docks, without overlaps; more show zoomed in; the toggle hides them', async () => {
    const labels = (await state(page)).labels;
    expect(labels.length).toBeGreaterThan(10);
    expect(labels.filter((l) => l.startsWith('street:')).length).toBeGreaterThan(2);
    expect(labels.some((l) => l.startsWith('junction:'))).toBe(true);
    expect(labels.some((l) => l.startsWith('rsu:rsu-'))).toBe(true);
    expect(labels.some((l) => l.startsWith('hub:hub-'))).toBe(true);
    expect(labels.some((l) => l.startsWith('dock:'))).toBe(true);
    const boxes = await page.locator('#labels .label:not([hidden])').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
    expect(boxes.length).toBe(labels.length);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        expect(overlap, `${labels[i]} and ${labels[j]} overlap`).toBe(false);
      }
    // zoomed in on the middle of the network, labels of places there appear that were thinned out
    const box = await canvasBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let k = 0; k < 4; k++) await page.mouse.wheel(0, -200);
    await page.waitForTimeout(400);
    const zoomed = (await state(page)).labels;
    expect(zoomed.filter((l) => !labels.includes(l)).length).toBeGreaterThan(0);
    await toggle('labels');
    await page.waitForTimeout(100);
    expect((await state(page)).labels).toEqual([]);
    expect(await page.locator('#labels').isVisible()).toBe(false);
    await toggle('labels');
    await page.keyboard.press('h');
  });

  it('the map view looks straight down: the wheel zooms toward the cursor, a drag pans; orbit is a toggle', async () => {
    expect((await state(page)).cameraMode).toBe('map');
    const box = await canvasBox();
    // a signalised junction on screen, not under the map panel
    let n = net.nodes[0];
    let p0 = { x: NaN, y: NaN };
    for (const x of net.nodes.filter((m) => m.control === 'signal')) {
      const p = await page.evaluate(([px, py]) => window.__roadtwin.project(px, py), [x.x, x.y]);
      if (await onCanvas(page, box.x + p.x, box.y + p.y)) {
        n = x;
        p0 = p;
        break;
      }
    }
    expect(Number.isFinite(p0.x), 'a signalised junction on the canvas').toBe(true);
    await page.mouse.move(box.x + p0.x, box.y + p0.y);
    const scale0 = await page.evaluate(([x, y]) => window.__roadtwin.project(x + 100, y).x - window.__roadtwin.project(x, y).x, [n.x, n.y]);
    for (let k = 0; k < 6; k++) await page.mouse.wheel(0, -200);
    await page.waitForTimeout(300);
    const p1 = await page.evaluate(([x, y]) => window.__roadtwin.project(x, y), [n.x, n.y]);
    const scale1 = await page.evaluate(([x, y]) => window.__roadtwin.project(x + 100, y).x - window.__roadtwin.project(x, y).x, [n.x, n.y]);
    // zoomed in (100 m take more pixels), and the junction stayed under the cursor
    expect(scale1).toBeGreaterThan(scale0 * 1.5);
    expect(Math.hypot(p1.x - p0.x, p1.y - p0.y)).toBeLessThan(3);
    // north is up, east is right: straight down, not tilted
    const north = await page.evaluate(([x, y]) => window.__roadtwin.project(x, y + 100), [n.x, n.y]);
    expect(Math.abs(north.x - p1.x)).toBeLessThan(1);
    expect(p1.y - north.y).toBeCloseTo(scale1, 0);
    // a drag moves the map with the pointer
    const from = { x: box.x + box.width * 0.6, y: box.y + box.height * 0.6 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 60, from.y + 30, { steps: 5 });
    await page.mouse.move(from.x + 120, from.y + 60, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(200);
    const p2 = await page.evaluate(([x, y]) => window.__roadtwin.project(x, y), [n.x, n.y]);
    expect(p2.x - p1.x).toBeCloseTo(120, -1);
    expect(p2.y - p1.y).toBeCloseTo(60, -1);
    await page.click('#camera-mode');
    expect((await state(page)).cameraMode).toBe('orbit');
    expect(await page.locator('#camera-mode').textContent()).toBe('view: orbit');
    await page.click('#camera-mode');
    expect((await state(page)).cameraMode).toBe('map');
  });

  /** A point on screen clear of every vehicle and site by `clearance` px, on the canvas (not under a panel). */
  const clearPoint = async (x: number, y: number, clearance = 16) => {
    const box = await canvasBox();
    const p = await page.evaluate(([px, py]) => window.__roadtwin.project(px, py), [x, y]);
    if (p.x < 30 || p.y < 30 || p.x > box.width - 30 || p.y > box.height - 30) return null;
    if (!(await onCanvas(page, box.x + p.x, box.y + p.y))) return null;
    const busy = await page.evaluate(
      ([px, py, c]) => window.__roadtwin.ids().some((id) => {
        const q = window.__roadtwin.screenOf(id);
        return q !== null && Math.hypot(q.x - px, q.y - py) < c;
      }) || window.__roadtwin.sites().some((s) => Math.hypot(s.x - px, s.y - py) < c),
      [p.x, p.y, clearance],
    );
    return busy ? null : { x: box.x + p.x, y: box.y + p.y };
  };

  it("clicking a junction opens its panel: the signal program, the phase now and the time left, and its junctions.csv row at this time", async () => {
    const box = await canvasBox();
    let done = false;
    for (const t of [150, 330, 480]) {
      await seekWithSlider(page, t);
      for (const prog of net.signals) {
        const n = net.nodes.find((x) => x.id === prog.node)!;
        // zoomed in on it, a point inside its area off its centre, where its RSU stands
        await page.keyboard.press('h');
        const c = await page.evaluate(([x, y]) => window.__roadtwin.project(x, y), [n.x, n.y]);
        if (!(await onCanvas(page, box.x + c.x, box.y + c.y))) continue;
        await page.mouse.move(box.x + c.x, box.y + c.y);
        for (let k = 0; k < 30; k++) await page.mouse.wheel(0, -200);
        await page.waitForTimeout(300);
        let at: { x: number; y: number } | null = null;
        for (const [dx, dy] of [[5, 5], [-5, 5], [5, -5], [-5, -5]]) if (!at) at = await clearPoint(n.x + dx, n.y + dy, 14);
        if (!at) continue;
        await page.mouse.click(at.x, at.y);
        await page.waitForFunction((id) => window.__roadtwin.selectedMap?.id === id, n.id, { timeout: 5000 });
        const shown = (await state(page)).drawnTime;
        const want = programAt(prog, shown);
        expect(await page.locator('#details-id').textContent()).toBe(n.id);
        expect(await page.locator('#junction-phase').textContent()).toBe(want.phase);
        expect(await page.locator('#junction-part').textContent()).toBe(want.part);
        // shown in tenths of a second: within half a tenth (11.25 s shows as 11.3)
        expect(Math.abs(Number(await page.locator('#junction-left').textContent()) - want.left)).toBeLessThanOrEqual(0.05 + 1e-9);
        expect(await page.locator('#junction-program tr').count()).toBe(prog.states.length + 1);
        expect(await page.locator('#junction-program tr.now td').first().textContent()).toBe(String(prog.starts[want.interval]));
        // the junctions.csv row of the interval holding the time shown
        const rows = files.junctions.filter((r) => r[2] === n.id && Number(r[0]) <= shown && shown < Number(r[1]));
        expect(rows.length).toBe(1);
        const cells = await page.locator('#details table.measured td').allTextContents();
        expect(cells).toEqual(rows[0].slice(3));
        await page.screenshot({ path: join(artifacts, 'map-junction.png') });
        done = true;
        break;
      }
      if (done) break;
    }
    expect(done, 'a signalised junction clear of vehicles on screen').toBe(true);
    await page.keyboard.press('Escape');
    expect((await state(page)).selectedMap).toBeNull();
  });

  it('clicking a road opens its edges.csv row at this time; the roads can be coloured by an edges.csv measure', async () => {
    await page.keyboard.press('h');
    await seekWithSlider(page, 200);
    let done = false;
    for (const e of net.edges) {
      const lane = net.lanes.find((l) => l.edge === e.id)!;
      // a third of the way along its rightmost lane
      const [a, b] = [lane.shape[0], lane.shape[lane.shape.length - 1]];
      const at = await clearPoint(a[0] + (b[0] - a[0]) / 3, a[1] + (b[1] - a[1]) / 3, 12);
      if (!at) continue;
      await page.mouse.click(at.x, at.y);
      await page.waitForFunction(() => window.__roadtwin.selectedMap !== null, null, { timeout: 5000 });
      const sel = (await state(page)).selectedMap!;
      expect(sel.kind).toBe('edge');
      const shown = (await state(page)).drawnTime;
      const row = files.edges.find((r) => r[2] === sel.id && Number(r[0]) <= shown && shown < Number(r[1]))!;
      const head = files.edges[0];
      for (const col of ['flow', 'density', 'meanSpeed', 'timeLoss']) {
        const v = row[head.indexOf(col)];
        expect(await page.locator(`#details td[data-col="${col}"]`).textContent()).toBe(v === '' ? '–' : v);
      }
      done = true;
      break;
    }
    expect(done, 'a road clear of vehicles on screen').toBe(true);
    // colour by mean speed: every edge with a speed in this interval gets a colour, the empty ones stay grey
    await page.selectOption('#edge-measure', 'meanSpeed');
    const shown = (await state(page)).drawnTime;
    const withSpeed = files.edges.filter((r) => Number(r[0]) <= shown && shown < Number(r[1]) && r[9] !== '').length;
    expect(withSpeed).toBeLessThan(net.edges.length);
    await expect.poll(async () => (await state(page)).edgeColours).toEqual({ measure: 'meanSpeed', coloured: withSpeed });
    expect(await page.locator('#legend').textContent()).toMatch(/edges\.csv meanSpeed/);
    await page.screenshot({ path: join(artifacts, 'map-edge-speed.png') });
    // the next interval: all edges have a speed
    await seekWithSlider(page, 450);
    await expect.poll(async () => (await state(page)).edgeColours.coloured).toBe(net.edges.length);
    await page.selectOption('#edge-measure', 'none');
    expect((await state(page)).edgeColours).toEqual({ measure: 'none', coloured: 0 });
    await page.keyboard.press('Escape');
  });

  it('search finds a vehicle by its trip id, goes to a time it is on the road, selects it and draws its path', async () => {
    const events = readFileSync(join(run, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const arrivals = new Map(events.filter((e) => e.kind === 'arrive').map((e) => [e.id as number, e.time as number]));
    // a car that departs after 200 s and arrives before the end, with a trip id
    const dep = events.find((e) => e.kind === 'depart' && e.type === 'car' && (e.time as number) > 200 && typeof e.tripId === 'string' && (arrivals.get(e.id as number) ?? 1e9) < 590)!;
    const id = dep.id as number;
    await seekWithSlider(page, 60);
    await page.fill('#search', 'no-such-trip');
    await page.press('#search', 'Enter');
    expect(await page.locator('#search-result').textContent()).toBe('no vehicle no-such-trip');
    await page.fill('#search', dep.tripId as string);
    await page.press('#search', 'Enter');
    await page.waitForFunction((i) => window.__roadtwin.selected === i, id, { timeout: 10_000 });
    expect(await page.locator('#search-result').textContent()).toBe(`trip ${dep.tripId} = vehicle ${id}`);
    const s = await state(page);
    expect(s.drawnTime).toBeGreaterThanOrEqual(dep.time as number);
    expect(s.drawnTime).toBeLessThan(arrivals.get(id)!);
    // centred on it
    const pos = await page.evaluate((i) => window.__roadtwin.positionOf(i), id);
    const target = await page.evaluate(() => window.__roadtwin.target());
    expect(Math.hypot(target.x - pos!.x, target.y - pos!.y)).toBeLessThan(1);
    // its path, read from the trace from its departure to its arrival
    await page.waitForFunction((i) => window.__roadtwin.vehicleRoute?.id === i, id, { timeout: 15_000 });
    const route = (await state(page)).vehicleRoute!;
    expect(route.from).toBe(dep.time);
    expect(route.to).toBe(arrivals.get(id));
    expect(route.points).toBeGreaterThan(10);
    expect(await page.locator('#details-id').textContent()).toBe(String(id));
    await page.screenshot({ path: join(artifacts, 'map-search-route.png') });
  });

  it('the URL keeps time, camera, selection, layers and the road measure; opening it restores them', async () => {
    const id = (await state(page)).selected!;
    expect(id).not.toBeNull();
    await toggle('orders');
    await page.selectOption('#edge-measure', 'density');
    await page.waitForFunction((i) => location.hash.includes(`sel=v%3A${i}`) && location.hash.includes('roads=density') && location.hash.includes('%2Borders'), id, { timeout: 5000 });
    const url = page.url();
    const st = decodeState(new URL(url).hash);
    const now = await state(page);
    expect(st.t).toBeCloseTo(now.time, 1);
    expect(st.sel).toEqual({ kind: 'vehicle', id });
    const target = await page.evaluate(() => window.__roadtwin.target());
    expect(st.cam!.mode).toBe('map');
    expect(st.cam!.x).toBeCloseTo(target.x, 1);
    expect(st.cam!.y).toBeCloseTo(target.y, 1);
    const p2 = await browser.context.newPage();
    const more: string[] = [];
    watchConsole(p2, more);
    await p2.goto(url);
    expect((await waitReady(p2, 60_000)).error).toBeNull();
    await p2.waitForFunction((i) => window.__roadtwin.selected === i && window.__roadtwin.edgeColours.measure === 'density', id, { timeout: 30_000 });
    const s2 = await state(p2);
    expect(s2.drawnTime).toBeCloseTo(st.t!, 1);
    expect(s2.layers.orders).toBe(true);
    expect(s2.cameraMode).toBe('map');
    const t2 = await p2.evaluate(() => window.__roadtwin.target());
    expect(Math.hypot(t2.x - st.cam!.x, t2.y - st.cam!.y)).toBeLessThan(0.05);
    // the same picture of the same place: the selected vehicle at the same pixel
    const a = await page.evaluate((i) => window.__roadtwin.screenOf(i), id);
    const b = await p2.evaluate((i) => window.__roadtwin.screenOf(i), id);
    expect(Math.hypot(a!.x - b!.x, a!.y - b!.y)).toBeLessThan(2);
    await p2.screenshot({ path: join(artifacts, 'map-url-restored.png') });
    await p2.close();
    expect(more).toEqual([]);
    await toggle('orders');
    await page.selectOption('#edge-measure', 'none');
    await page.keyboard.press('Escape');
  });

  it('saves the map as a PNG (canvas size, labels drawn in) and a time range as a WebM', async () => {
    await seekWithSlider(page, 300);
    await page.keyboard.press('h');
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    expect(png.suggestedFilename()).toBe('roadtwin-laoshan-t300.png');
    const bytes = readFileSync((await png.path())!);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const s = await state(page);
    expect(s.lastExport).toEqual({ kind: 'png', bytes: bytes.length, width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) });
    const canvas = await page.evaluate(() => {
      const c = document.getElementById('view') as HTMLCanvasElement;
      return { w: c.width, h: c.height };
    });
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([canvas.w, canvas.h]);
    // a real picture of many colours compresses to far more than a blank one (one colour over 960 × 728 is a few kB)
    expect(bytes.length).toBeGreaterThan(20_000);
    // the labels are in the picture: with them off, the same view gives another file
    await toggle('labels');
    const [bare] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    expect(readFileSync((await bare.path())!).equals(bytes)).toBe(false);
    await toggle('labels');
    const [again] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    expect(readFileSync((await again.path())!).equals(bytes)).toBe(true);
    const hasRecorder = await page.evaluate(() => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported('video/webm'));
    if (!hasRecorder) return;
    await page.fill('#export-from', '100');
    await page.fill('#export-to', '104');
    await page.selectOption('#speed', '4');
    const [webm] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('#export-webm')]);
    expect(webm.suggestedFilename()).toBe('roadtwin-laoshan-t100.webm');
    const vid = readFileSync((await webm.path())!);
    // the EBML header every WebM starts with
    expect([...vid.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    expect(vid.length).toBeGreaterThan(1000);
    const after = await state(page);
    expect(after.lastExport!.kind).toBe('webm');
    expect(after.playing).toBe(false);
    expect(after.time).toBeGreaterThanOrEqual(104);
    expect(after.time).toBeLessThan(106);
    await page.selectOption('#speed', '1');
  });
});
