// `roadtwin report` as a user runs it (the compiled CLI in a child process): the report a real
// run writes at its end (and not with --no-report), that run extended with edges.csv and
// junctions.csv in the column contract and opened in headless Chromium (charts drawn, one map
// path per edge, no console error, no request leaving the file, nothing injected), and bad
// input (one line naming the file and line, exit 1, nothing written).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, chromiumPresent, launchBrowser, type Browser } from '../../viewer/e2e/browser.js';
import { writePlaceFixtures } from '../io/report/report.testkit.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist', 'engine', 'cli', 'main.js'));
const small = join(root, 'engine', 'io', 'report', 'fixtures', 'small');
const haveBrowser = chromiumPresent();
if (!haveBrowser) process.stderr.write(`\n*** report browser tests: ${CHROMIUM} is missing: SKIPPED ***\n`);

function roadtwin(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/roadtwin.js', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const base = mkdtempSync(join(tmpdir(), 'roadtwin-report-cli-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A copy of fixtures/small in a new directory, changed by `edit`. */
function copyOfSmall(name: string, edit: (dir: string) => void = () => {}): string {
  const dir = join(base, name);
  cpSync(small, dir, { recursive: true });
  edit(dir);
  return dir;
}

describe.skipIf(!built)('roadtwin report: bad input', () => {
  const refused = (r: ReturnType<typeof roadtwin>, line: string) => {
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`roadtwin report: ${line}\n`);
  };

  it('a directory that is not a run directory, or no directory', () => {
    const empty = join(base, 'empty');
    mkdirSync(empty);
    cpSync(join(small, 'edges.csv'), join(empty, 'edges.csv'));
    refused(roadtwin('report', empty), `${empty}: not a roadtwin run directory (no manifest.json)`);
    expect(readdirSync(empty)).toEqual(['edges.csv']);
    refused(roadtwin('report', join(base, 'nowhere')), `${join(base, 'nowhere')}: no such directory`);
    refused(roadtwin('report', join(empty, 'edges.csv')), `${join(empty, 'edges.csv')}: not a directory`);
  });

  it('a run directory without metrics.json', () => {
    const dir = copyOfSmall('no-metrics', (d) => rmSync(join(d, 'metrics.json')));
    refused(roadtwin('report', dir), `${join(dir, 'metrics.json')}: missing (the run wrote none: it is still running or its process died)`);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });

  it.each([
    ['edges.csv', 5, '60,120,b,0,0,0,0,0,0,,0,0,', '60,120,b,x,0,0,0,0,0,,0,0,', 'column sampledSeconds: expected a number, got "x"'],
    ['junctions.csv', 3, '60,120,J1,a,b,30,25,C,3,6,42', '60,120,J1,a,b,30,25,C,3,6', '10 cells, the header has 11'],
    ['junctions.csv', 5, '60,120,J1,e,b,0,,,0,0,0', '60,120,J1,e,b,0,,G,0,0,0', 'column los: expected a letter A to F, got "G"'],
    ['timeseries.csv', 3, '2,3,3,0,9.5,8,11,1', '2,3,3,0,9.5,8,11,"1', 'a quoted cell is not closed'],
  ])('a malformed line of %s (line %i): the file and line, nothing written', (file, line, from, to, what) => {
    const out = join(base, `elsewhere-${file}-${line}.html`);
    const dir = copyOfSmall(`bad-${file}-${line}`, (d) => {
      const text = readFileSync(join(d, file), 'utf8');
      expect(text.split('\n')[line - 1]).toBe(from);
      writeFileSync(join(d, file), text.replace(from, to));
    });
    refused(roadtwin('report', dir), `${join(dir, file)}:${line}: ${what}`);
    refused(roadtwin('report', dir, '--out', out), `${join(dir, file)}:${line}: ${what}`);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  it('a report file that cannot be written', () => {
    const dir = copyOfSmall('unwritable');
    const out = join(base, 'no-such-dir', 'r.html');
    refused(roadtwin('report', dir, '--out', out), `${out}: cannot write: ENOENT`);
  });
});

describe.skipIf(!built)('roadtwin run writes report.html at the end', () => {
  it('unless --no-report is given', () => {
    const without = join(base, 'ring-no-report');
    const r = roadtwin('run', join(root, 'scenarios', 'ring.yaml'), '--duration', '30', '--out', without, '--quiet', '--no-report');
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(without, 'metrics.json'))).toBe(true);
    expect(existsSync(join(without, 'report.html'))).toBe(false);
    // and a report written afterwards says so on stdout
    const rep = roadtwin('report', without);
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stdout).toMatch(new RegExp(`^roadtwin report: wrote ${join(without, 'report.html')} \\(\\d+ kB\\)\\n$`));
  });
});

describe.runIf(built && haveBrowser)('the report of a real run in headless Chromium', () => {
  let run: string;
  let browser: Browser;
  let edgeCount: number;
  let worstEdge: string;
  let movements: number;

  beforeAll(async () => {
    run = join(base, 'grid');
    const r = roadtwin('run', join(root, 'scenarios', 'grid.yaml'), '--duration', '120', '--out', run, '--quiet', '--workers', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    // --quiet prints the run directory alone
    expect(r.stdout).toBe(`${run}\n`);
    // the run wrote its report, from the run's own edges.csv and junctions.csv
    const first = readFileSync(join(run, 'report.html'), 'utf8');
    expect(first).not.toContain('edges.csv is not in this run directory');
    expect(first).not.toContain('junctions.csv is not in this run directory');
    expect(first).toContain('roadtwin run ');
    edgeCount = JSON.parse(readFileSync(join(run, 'network.json'), 'utf8')).edges.length;
    ({ worstEdge, movements } = writePlaceFixtures(run, 120));
    const rep = roadtwin('report', run);
    expect(rep.code, rep.stderr).toBe(0);
    browser = await launchBrowser(1280, 900);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens `file`, aborting every request but the file itself; returns the page, the requests and the console errors. */
  async function open(file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
    const page = await browser.context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    const url = pathToFileURL(file).href;
    page.on('request', (req) => requests.push(req.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url);
    await page.waitForFunction(() => document.querySelectorAll('.uplot canvas').length > 0);
    return { page, requests, errors };
  }

  it('draws the charts, one map path per edge and the tables, with no console error and no request leaving the file', async () => {
    const { page, requests, errors } = await open(join(run, 'report.html'));
    const charts = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.uplot canvas')).map((c) => {
        const canvas = c as HTMLCanvasElement;
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        // pixels of the first series' colour (#1f77b4): the line itself, not the axes
        let inked = 0;
        for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - 31) < 24 && Math.abs(px[i + 1] - 119) < 24 && Math.abs(px[i + 2] - 180) < 24 && px[i + 3] > 128) inked++;
        return { w: canvas.width, h: canvas.height, inked, title: canvas.closest('.uplot')!.querySelector('.u-title')!.textContent };
      }),
    );
    expect(charts.map((c) => c.title)).toEqual(['Vehicles on the road', 'Mean speed of the vehicles on the road', 'Vehicles inserted and arrived, cumulative']);
    for (const c of charts) {
      expect(c.w).toBeGreaterThan(300);
      expect(c.h).toBeGreaterThan(100);
      expect(c.inked).toBeGreaterThan(100);
    }
    // axis titles with units
    const axes = await page.evaluate(() => (window as unknown as { reportCharts: { axes: { label: string }[] }[] }).reportCharts.map((u) => u.axes.map((a) => a.label)));
    expect(axes).toEqual([
      ['simulated time (s)', 'vehicles'],
      ['simulated time (s)', 'speed (m/s)'],
      ['simulated time (s)', 'vehicles'],
    ]);
    const map = await page.evaluate(() => {
      const paths = Array.from(document.querySelectorAll('#map path.edge'));
      const box = document.querySelector('#map')!.getBoundingClientRect();
      return { paths: paths.length, colours: new Set(paths.map((p) => p.getAttribute('stroke'))).size, w: box.width, h: box.height };
    });
    expect(map.paths).toBe(edgeCount);
    expect(map.colours).toBeGreaterThanOrEqual(3);
    expect(map.w).toBeGreaterThan(500);
    expect(map.h).toBeGreaterThan(300);
    // the fixtures make the last edge of network.json the worst; every movement of the fixtures is there
    const firstEdge = await page.evaluate(() => document.querySelector('table.places tbody tr td:nth-child(2)')!.textContent);
    expect(firstEdge).toBe(worstEdge);
    expect(movements).toBeGreaterThan(10);
    expect(await page.locator('h3:has-text("Movements") + table tbody tr').count()).toBe(10);
    // switching the colouring to delay gives every path its delay colour
    await page.check('input[value="delay"]');
    const switched = await page.evaluate(() => Array.from(document.querySelectorAll('#map path.edge')).every((p) => p.getAttribute('stroke') === p.getAttribute('data-delay')));
    expect(switched).toBe(true);
    expect(await page.locator('.legend[data-for="delay"]').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(run, 'report.html')).href]);
    await page.close();
  });

  it('runs nothing that a run smuggles into its names and ids', async () => {
    const evil = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">';
    const dir = copyOfSmall('evil', (d) => {
      const man = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
      writeFileSync(join(d, 'manifest.json'), JSON.stringify({ ...man, name: evil, reason: evil, command: evil }));
      const net = JSON.parse(readFileSync(join(d, 'network.json'), 'utf8'));
      net.edges[0].id = evil;
      writeFileSync(join(d, 'network.json'), JSON.stringify(net));
      writeFileSync(join(d, 'edges.csv'), readFileSync(join(d, 'edges.csv'), 'utf8').replace(/,a,/g, `,"${evil.replace(/"/g, '""')}",`));
    });
    expect(roadtwin('report', dir).code).toBe(0);
    const { page, errors, requests } = await open(join(dir, 'report.html'));
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('h1').textContent()).toBe(`roadtwin report: ${evil}`);
    expect(await page.locator('img').count()).toBe(0);
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1);
    await page.close();
  });
});
