// SUMO's foe matrices carried over: each imported connection's `foes` are the links its
// junction's <request foes> names, read here straight from the XML text (independently of the
// importer's parser), and the engine's conflicts at those junctions are exactly them plus the
// merges into one lane.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importSumo } from './import.js';
import { SumoImportError } from './xml.js';
import { scenarioYaml } from './yaml.js';
import { parseScenario } from '../scenario/index.js';
import { expandNetwork } from '../../road/expand.js';
import { buildNetwork } from '../../road/network.js';

const fixtures = fileURLToPath(new URL('../../../bench/sumo/fixtures/', import.meta.url));

/** Junction id → its links (from, fromLane, to, toLane) in request order and each link's set of foe links. */
function sumoFoes(file: string) {
  const text = readFileSync(file, 'utf8');
  // every lane of a connection's chain through the junction names that connection
  const next = new Map<string, string>();
  const linkOfLane = new Map<string, string>();
  for (const m of text.matchAll(/<connection from="([^"]+)" to="([^"]+)" fromLane="(\d+)" toLane="(\d+)"(?: via="([^"]+)")?/g)) {
    const [, from, to, fl, tl, via] = m;
    if (from.startsWith(':')) {
      if (via) next.set(`${from}_${fl}`, via);
    } else if (via) linkOfLane.set(via, `${from}_${fl}>${to}_${tl}`);
  }
  for (const [first, link] of [...linkOfLane]) for (let l = next.get(first); l; l = next.get(l)) linkOfLane.set(l, link);
  const out = new Map<string, Map<string, Set<string>>>();
  for (const m of text.matchAll(/<junction id="([^":][^"]*)"[^>]*intLanes="([^"]*)"[^>]*[^/]>([\s\S]*?)<\/junction>/g)) {
    const links = m[2].split(' ').filter(Boolean).map((l) => linkOfLane.get(l));
    const n = links.length;
    const byLink = new Map<string, Set<string>>();
    for (const r of m[3].matchAll(/<request index="(\d+)"\s+response="[01]*"\s+foes="([01]*)"/g)) {
      const i = Number(r[1]);
      if (!links[i]) continue;
      byLink.set(links[i]!, new Set([...r[2]].map((ch, p) => (ch === '1' ? links[n - 1 - p] : undefined)).filter((l): l is string => l !== undefined)));
    }
    if (byLink.size > 0) out.set(m[1], byLink);
  }
  return out;
}

describe.each(['spider.net.xml', 'grid3.net.xml', 'turns3.net.xml'])('%s: foes from the request matrices', (netFile) => {
  const file = join(fixtures, netFile);
  const imported = importSumo({ net: file, routes: [] });
  const conns = imported.scenario.network.connections!;
  const key = (c: (typeof conns)[number]) => `${c.from}_${c.fromLane}>${c.to}_${c.toLane}`;
  const want = sumoFoes(file);

  it("gives every connection SUMO's foes (netgenerate nets keep every lane, so indices match)", () => {
    let compared = 0;
    for (const c of conns) {
      const node = imported.scenario.network.edges!.find((e) => e.id === c.from)!.to;
      // (a junction without requests, such as an unregulated one, keeps the geometric conflicts)
      if (!want.has(node)) {
        expect(c.foes, key(c)).toBeUndefined();
        continue;
      }
      const sumo = want.get(node)!.get(key(c));
      expect(sumo, key(c)).toBeDefined();
      expect(c.foes, key(c)).toBeDefined();
      expect(new Set(c.foes!.map((f) => key(conns[f]))), key(c)).toEqual(sumo);
      compared++;
    }
    expect(compared).toBeGreaterThan(30);
  });

  it('and the engine conflicts at each node are those foes plus the merges into one lane', () => {
    const scenario = parseScenario(scenarioYaml(imported.scenario, ['test']), `${netFile}.yaml`).scenario;
    const net = buildNetwork(expandNetwork(scenario.network));
    for (let c = 0; c < net.connCount; c++) {
      const spec = [...net.connOfSpec].indexOf(c);
      if (!conns[spec].foes) continue;
      const given = new Set(conns[spec].foes.map((f) => net.connOfSpec[f]));
      for (let f = net.connFoeStart[c]; f < net.connFoeStart[c + 1]; f++) {
        const foe = net.connFoes[f];
        const merge = net.connToLane[foe] === net.connToLane[c];
        expect(net.connFoeMerge[f] === 1).toBe(merge);
        if (!merge) expect(given.has(foe) || conns[[...net.connOfSpec].indexOf(foe)].foes?.includes(spec)).toBe(true);
      }
      for (const g of given) expect(Array.from(net.connFoes.subarray(net.connFoeStart[c], net.connFoeStart[c + 1]))).toContain(g);
    }
  });
});

describe('a malformed request matrix', () => {
  const net = readFileSync(join(fixtures, 'stopx.net.xml'), 'utf8');
  const bad = (replace: (t: string) => string) => replace(net);
  it('ends the import with the file, the junction and the request named', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'roadtwin-foes-'));
    try {
      const first = net.match(/<request index="0"\s+response="([01]*)"\s+foes="([01]*)"/)!;
      const short = bad((t) => t.replace(first[0], `<request index="0" response="${first[1]}" foes="${first[2].slice(1)}"`));
      const f = join(tmp, 'short.net.xml');
      writeFileSync(f, short);
      expect(() => importSumo({ net: f, routes: [] })).toThrow(SumoImportError);
      expect(() => importSumo({ net: f, routes: [] })).toThrow(/short\.net\.xml: <junction id="[^"]+"> <request index="0">: foes="[01]*" must be \d+ characters/);
      const twice = bad((t) => t.replace('<request index="1"', '<request index="0"'));
      writeFileSync(f, twice);
      expect(() => importSumo({ net: f, routes: [] })).toThrow(/two requests with this index/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
