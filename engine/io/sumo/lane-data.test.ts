// lanes.csv against SUMO's laneData, with SUMO run here on the same files (skipped when `sumo`
// is not installed; Debian's sumo 1.15 runs it in about 2 s): netgenerate's priority grid
// (bench/sumo/fixtures/turns3.net.xml) and three flows up B0B1 to its middle junction B1, each
// entering on the lane it does not leave by (lanes3.rou.xml, README there), so that every
// left-turner and right-turner changes lanes, and the straight-on drivers split over B1B2's two
// lanes. Checked (docs/validation.md, Lanes against SUMO's laneData):
// - the counts over the run, per lane, exactly: roadtwin's entered is SUMO's entered + departed,
//   its left SUMO's left + arrived, and the lane changes off and onto each lane are SUMO's;
// - density and mean speed per lane in the steady intervals (100–300 s): within 2 % on B1B2
//   (straight on), 8 % on B1C1 (after the right turn at 6.51 m/s: SUMO's drivers speed up partly
//   on the junction's internal lane, which laneData leaves out, roadtwin's all on B1C1); the
//   approach's density over both lanes within 10 % (SUMO's drivers change lanes later on it, so
//   the split between its lanes differs more: docs/validation.md).
// The lanes' lengths differ (roadtwin's run node to node; SUMO's stop at the junction, whose
// internal lanes laneData leaves out), so sampledSeconds is not compared; densities are per km.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { importSumo } from './import.js';
import { scenarioYaml } from './yaml.js';
import { parseScenario } from '../scenario/index.js';
import { World } from '../../sim/world.js';
import { LANES_HEADER, laneRows } from '../run/edges-csv.js';

const fixtures = join(fileURLToPath(new URL('../../../', import.meta.url)), 'bench', 'sumo', 'fixtures');
const haveSumo = (() => {
  const r = spawnSync('sumo', ['--version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
})();

type Figures = Record<string, number>;
/** interval begin → lane → figures */
type ByInterval = Map<number, Map<string, Figures>>;

function put(out: ByInterval, begin: number, lane: string, f: Figures): void {
  if (!out.has(begin)) out.set(begin, new Map());
  out.get(begin)!.set(lane, f);
}

/** SUMO's laneData file: its <interval>s and their <lane>s' numeric attributes. */
function sumoLaneData(xml: string): ByInterval {
  const out: ByInterval = new Map();
  for (const iv of xml.matchAll(/<interval begin="([\d.]+)"[^>]*>([\s\S]*?)<\/interval>/g)) {
    for (const lane of iv[2].matchAll(/<lane id="([^"]+)"([^>]*)\/>/g)) {
      const f: Figures = {};
      for (const a of lane[2].matchAll(/(\w+)="([^"]*)"/g)) f[a[1]] = Number(a[2]);
      put(out, Number(iv[1]), lane[1], f);
    }
  }
  return out;
}

const LANES = ['B0B1_0', 'B0B1_1', 'B1B2_0', 'B1B2_1', 'B1C1_0'];

describe.skipIf(!haveSumo)("lanes.csv against SUMO's laneData on the same files", () => {
  let ran: ReturnType<typeof spawnSync>;
  let sumo: ByInterval = new Map();
  const ours: ByInterval = new Map();
  let w: World;

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-lanedata-'));
    writeFileSync(join(dir, 'ld.add.xml'), '<additional>\n  <laneData id="l" file="lanedata.xml" period="100"/>\n</additional>\n');
    ran = spawnSync(
      'sumo',
      ['-n', join(fixtures, 'turns3.net.xml'), '-r', join(fixtures, 'lanes3.rou.xml'), '-a', 'ld.add.xml', '--step-length', '0.1', '--end', '400', '--no-step-log', '--no-warnings'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, SUMO_HOME: process.env.SUMO_HOME ?? '/usr/share/sumo' } },
    );
    if (ran.status === 0) sumo = sumoLaneData(readFileSync(join(dir, 'lanedata.xml'), 'utf8'));

    // roadtwin on the imported files, the rows of lanes.csv as the run writes them
    const imported = importSumo({ net: join(fixtures, 'turns3.net.xml'), routes: [join(fixtures, 'lanes3.rou.xml')], duration: 400 });
    w = new World(parseScenario(scenarioYaml(imported.scenario, ['test']), 'lanes3.yaml', { overrides: ['step=0.1', 'output.lanes=true', 'output.intervals=100'] }).scenario);
    const cols = LANES_HEADER.trim().split(',');
    w.intervals$.subscribe(({ begin, end }) =>
      laneRows(w.net, w.places!, begin, end, (line) => {
        const cells = line.trim().split(',');
        const f: Figures = {};
        cols.forEach((c, k) => (f[c] = Number(cells[k])));
        put(ours, begin, cells[2], f);
      }),
    );
    w.start();
    w.run();
    w.finish();
  });

  const total = (by: ByInterval, lane: string, key: (f: Figures) => number) => [...by.values()].reduce((s, m) => s + (m.has(lane) ? key(m.get(lane)!) : 0), 0);

  it('SUMO ran and wrote four intervals; everybody arrived in both', () => {
    expect(ran.status, String(ran.stderr)).toBe(0);
    expect([...sumo.keys()]).toEqual([0, 100, 200, 300]);
    expect([...ours.keys()]).toEqual([0, 100, 200, 300]);
    expect(w.totals.arrived).toBe(w.totals.inserted);
    expect(w.totals.inserted).toBe(100);
  });

  it('per lane over the run: entered, left and the lane changes are SUMO’s', () => {
    for (const lane of LANES) {
      const want = {
        entered: total(sumo, lane, (f) => f.entered + f.departed),
        left: total(sumo, lane, (f) => f.left + f.arrived),
        laneChangedFrom: total(sumo, lane, (f) => f.laneChangedFrom),
        laneChangedTo: total(sumo, lane, (f) => f.laneChangedTo),
      };
      const got = Object.fromEntries(Object.keys(want).map((k) => [k, total(ours, lane, (f) => f[k])]));
      expect(got, lane).toEqual(want);
    }
    // every turner changed lanes on the approach: 25 left-turners off lane 0, 25 right-turners off lane 1, and 25 straight-on drivers to B1B2_1
    expect(total(ours, 'B0B1_0', (f) => f.laneChangedFrom)).toBe(50);
    expect(total(ours, 'B0B1_1', (f) => f.laneChangedFrom)).toBe(25);
  });

  it('density and mean speed per lane in the steady intervals: within 2 % straight on past the junction, 8 % after the right turn, the approach’s density within 10 %', () => {
    for (const begin of [100, 200]) {
      const s = sumo.get(begin)!;
      const o = ours.get(begin)!;
      for (const [lane, share] of [
        ['B1B2_0', 0.02],
        ['B1B2_1', 0.02],
        ['B1C1_0', 0.08],
      ] as const) {
        const rel = (a: number, b: number) => Math.abs(a - b) / b;
        expect(rel(o.get(lane)!.density, s.get(lane)!.density), `${begin} ${lane} density`).toBeLessThan(share);
        expect(rel(o.get(lane)!.meanSpeed, s.get(lane)!.speed), `${begin} ${lane} speed`).toBeLessThan(share);
      }
      const approach = (m: Map<string, Figures>) => m.get('B0B1_0')!.density + m.get('B0B1_1')!.density;
      expect(Math.abs(approach(o) - approach(s)) / approach(s), `${begin} B0B1 density`).toBeLessThan(0.1);
    }
  });
});
