// SUMO's actuated traffic lights: a hand-written net.xml with one tlLogic type="actuated" (its
// phases' minDur/maxDur and <param>s) imports as roadtwin's actuated controller, and the imported
// scenario runs it: with no traffic every actuated green lasts its minDur.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { importSumo } from './import.js';
import { scenarioYaml } from './yaml.js';
import { scenarioSchema } from '../../spec/schema.js';
import { World } from '../../sim/world.js';
import { CTRL_ACTUATED, CTRL_FIXED, isGo } from '../../road/signals.js';

const tmp = mkdtempSync(join(tmpdir(), 'roadtwin-actuated-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** W → C → E and S → C → N, one lane each, 200 m; C a traffic light with the given tlLogic. */
function net(type: string, phases: string, params = ''): string {
  const lane = (id: string, shape: string) => `<lane id="${id}_0" index="0" speed="13.89" length="200.00" shape="${shape}"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<net version="1.9" junctionCornerDetail="5" limitTurnSpeed="5.50">
  <location netOffset="0.00,0.00" convBoundary="-200,-200,200,200" origBoundary="-200,-200,200,200" projParameter="!"/>
  <edge id="WC" from="W" to="C" priority="1">${lane('WC', '-200.00,-1.60 0.00,-1.60')}</edge>
  <edge id="CE" from="C" to="E" priority="1">${lane('CE', '0.00,-1.60 200.00,-1.60')}</edge>
  <edge id="SC" from="S" to="C" priority="1">${lane('SC', '1.60,-200.00 1.60,0.00')}</edge>
  <edge id="CN" from="C" to="N" priority="1">${lane('CN', '1.60,0.00 1.60,200.00')}</edge>
  <tlLogic id="C" type="${type}" programID="0" offset="0">
    ${params}
    ${phases}
  </tlLogic>
  <junction id="W" type="dead_end" x="-200.00" y="0.00"/>
  <junction id="E" type="dead_end" x="200.00" y="0.00"/>
  <junction id="S" type="dead_end" x="0.00" y="-200.00"/>
  <junction id="N" type="dead_end" x="0.00" y="200.00"/>
  <junction id="C" type="traffic_light" x="0.00" y="0.00"/>
  <connection from="WC" to="CE" fromLane="0" toLane="0" tl="C" linkIndex="0" dir="s" state="O"/>
  <connection from="SC" to="CN" fromLane="0" toLane="0" tl="C" linkIndex="1" dir="s" state="O"/>
</net>
`;
}

const PHASES = `<phase duration="31" minDur="5" maxDur="45" state="Gr"/>
    <phase duration="4" state="yr"/>
    <phase duration="31" minDur="8" maxDur="50" state="rG"/>
    <phase duration="4" state="ry"/>`;

function imported(type: string, params = '') {
  const file = join(tmp, `${type}.net.xml`);
  writeFileSync(file, net(type, PHASES, params));
  const r = importSumo({ net: file });
  // what `roadtwin import sumo` writes is a valid scenario
  const scenario = scenarioSchema.parse(parseYaml(scenarioYaml(r.scenario, ['test'])));
  return { r, scenario };
}

describe('SUMO tlLogic type="actuated"', () => {
  it("imports as the actuated controller, with the phases' minDur/maxDur and the tlLogic's gap parameters", () => {
    const { r, scenario } = imported('actuated', '<param key="max-gap" value="2.5"/><param key="detector-gap" value="1.5"/><param key="show-detectors" value="true"/><param key="inactive-threshold" value="100"/>');
    const c = scenario.network.nodes!.find((n) => n.id === 'C')!;
    expect(c.control).toBe('signal');
    expect(c.signal!.controller).toEqual({ type: 'actuated', minGreen: 5, maxGreen: 50, maxGap: 2.5, detectorGap: 1.5, passingTime: 1.9 });
    expect(c.signal!.program).toEqual([
      { duration: 31, state: 'Gr', minDur: 5, maxDur: 45 },
      { duration: 4, state: 'yr' },
      { duration: 31, state: 'rG', minDur: 8, maxDur: 50 },
      { duration: 4, state: 'ry' },
    ]);
    const lines = r.warnings.lines();
    expect(lines.some((l) => l.includes('run as fixed-time'))).toBe(false);
    expect(lines.some((l) => l.includes("actuated traffic-light parameter 'inactive-threshold' is not supported; ignored"))).toBe(true);

    const w = new World(scenario);
    expect(w.programs).toHaveLength(1);
    const p = w.programs[0];
    expect(p.kind).toBe(CTRL_ACTUATED);
    expect(Array.from(p.minDur)).toEqual([5, 4, 8, 4]);
    expect(Array.from(p.maxDur)).toEqual([45, 4, 50, 4]);
    // one loop per approach, min(1.5 s × 13.89 m/s, (minDur / 1.9 + 0.5) × 7.5 m) before the stop line
    expect(w.signalControl.loops.map((l) => w.net.laneLength[l.lane] - l.pos).map((d) => Math.round(d * 1000) / 1000)).toEqual([20.835, 20.835]);
    // no traffic: W → E green 5 s, yellow 4, S → N green 8 s, yellow 4: a cycle of 21 s
    let since = -1;
    const greens: [number, number][] = [];
    while (w.time < 100) {
      const t = w.time;
      w.step();
      const go = isGo(w.connState[p.conns[0]]);
      if (go && since < 0) since = t;
      if (!go && since >= 0) greens.push([since, t]);
      if (!go) since = -1;
    }
    expect(greens.slice(0, 4).map(([a, b]) => [Math.round(a * 10) / 10, Math.round(b * 10) / 10])).toEqual([
      [0, 5],
      [21, 26],
      [42, 47],
      [63, 68],
    ]);
  });

  it('a static tlLogic stays fixed-time (its minDur/maxDur unused, as in SUMO)', () => {
    const { scenario } = imported('static');
    const c = scenario.network.nodes!.find((n) => n.id === 'C')!;
    expect(c.signal!.controller).toBeUndefined();
    expect(c.signal!.program!.every((p) => p.minDur === undefined)).toBe(true);
    expect(new World(scenario).programs[0].kind).toBe(CTRL_FIXED);
  });
});
