// The report's reading and aggregation against figures computed by hand from the small
// fixtures in fixtures/small (edges.csv, junctions.csv and signals.csv in the column contract),
// and its HTML: escaped ids, the sections a run has and the one-line notes for what it lacks.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { csvRecords, ReportInputError } from './csv.js';
import { levelOfService, sampleIndices, worstByDelay, worstEdges } from './aggregate.js';
import { readRun } from './read-run.js';
import { reportAssets, reportHtml } from './index.js';

const small = fileURLToPath(new URL('./fixtures/small', import.meta.url));
const C = 'c,"x"';

describe('aggregation (fixtures/small, computed by hand)', () => {
  const run = readRun(small);

  it('edge speed is Σ distance ÷ Σ sampledSeconds, delay Σ timeLoss ÷ Σ left, travel time weighted by vehicles that left', () => {
    const by = new Map(run.edges!.map((e) => [e.edge, e]));
    expect([...by.keys()]).toEqual(['a', 'b', C, 'd', 'e']);
    // a: 100 s at 10 m/s and 300 s at 5 m/s → 2,500 m over 400 s = 6.25 m/s (the mean of the two speeds would be 7.5)
    expect(by.get('a')).toMatchObject({ sampledSeconds: 400, distance: 2500, meanSpeed: 6.25, left: 10, entered: 11, timeLoss: 110, delayPerVehicle: 11, waitingTime: 30 });
    // (12 s · 4 + 20 s · 6) / 10
    expect(by.get('a')!.meanTravelTime).toBeCloseTo(16.8, 12);
    // an interval without vehicles (empty meanSpeed and travelTime) adds nothing
    expect(by.get('b')).toMatchObject({ meanSpeed: 12, delayPerVehicle: 20, meanTravelTime: 8 });
    expect(by.get(C)).toMatchObject({ meanSpeed: 4, delayPerVehicle: 10, meanTravelTime: 30 });
    expect(by.get('d')).toMatchObject({ sampledSeconds: 0, meanSpeed: null, delayPerVehicle: null, meanTravelTime: null });
    expect(by.get('e')).toMatchObject({ meanSpeed: 6, delayPerVehicle: 40 });
  });

  it('ranks the worst edges by time lost, then by delay per vehicle; an edge that lost nothing is not among them', () => {
    // a 110 veh·s; e and b 40 each (e 40 s/veh before b 20 s/veh); c,"x" 10; d 0
    expect(worstEdges(run.edges!).map((e) => e.edge)).toEqual(['a', 'e', 'b', C]);
    expect(worstEdges(run.edges!, 2).map((e) => e.edge)).toEqual(['a', 'e']);
  });

  it('weights movement delay by count, queues by interval length, and grades it in the band of the junction control', () => {
    const key = (m: { junction: string; from: string; to: string }) => `${m.junction} ${m.from}>${m.to}`;
    const by = new Map(run.movements!.map((m) => [key(m), m]));
    // (10 · 5 + 30 · 25) / 40 = 20 s (the mean of the intervals would be 15): signalised J1, B (≤ 20)
    expect(by.get('J1 a>b')).toEqual({ junction: 'J1', from: 'a', to: 'b', count: 40, delay: 20, los: 'B', worstIntervalLos: 'C', meanQueue: 2, maxQueue: 6, maxQueueLength: 42 });
    // an interval without vehicles (empty delay and los) adds no delay; its queue counts over its length
    expect(by.get('J1 e>b')).toMatchObject({ count: 2, delay: 60, los: 'E', worstIntervalLos: 'E', meanQueue: 0.25 });
    // 18 s at a priority junction: C in the unsignalised bands (B if it had signals)
    expect(by.get('J2 b>a')).toMatchObject({ count: 4, delay: 18, los: 'C', meanQueue: 0.2 });
    // (1 · 100 + 3 · 0) / 4 = 25 s, on the C/D boundary: C; the queue (2 veh over 30 s, 0 over 30 s) is 1 on average
    expect(by.get(`J2 ${C}>a`)).toMatchObject({ count: 4, delay: 25, los: 'C', worstIntervalLos: 'F', meanQueue: 1, maxQueue: 2, maxQueueLength: 14 });
    expect(worstByDelay(run.movements!).map(key)).toEqual(['J1 e>b', `J2 ${C}>a`, 'J1 a>b', 'J2 b>a']);
  });

  it('puts the movements of a junction together, count-weighted', () => {
    const [j1, j2] = worstByDelay(run.junctions!);
    // J1: (40 · 20 + 2 · 60) / 42; J2: (4 · 18 + 4 · 25) / 8
    expect(j1).toMatchObject({ junction: 'J1', movements: 2, count: 42, los: 'C', maxQueue: 6, maxQueueLength: 42 });
    expect(j1.delay).toBeCloseTo(920 / 42, 12);
    expect(j2).toMatchObject({ junction: 'J2', movements: 2, count: 8, delay: 21.5, los: 'C' });
    expect(run.signals).toEqual({ junctions: 1, changes: 3, programs: 1 });
  });

  it('grades delays in HCM bands, each bound inside its band', () => {
    const sig = [0, 10, 10.01, 20, 35, 55, 80, 80.01].map((d) => levelOfService(d, true));
    expect(sig.join('')).toBe('AABBCDEF');
    const uns = [10, 15, 15.5, 25, 35, 50, 50.5].map((d) => levelOfService(d, false));
    expect(uns.join('')).toBe('ABCCDEF');
  });

  it('draws every k-th point of a long series and always the last', () => {
    expect(sampleIndices(3, 4)).toEqual([0, 1, 2]);
    expect(sampleIndices(10, 4)).toEqual([0, 3, 6, 9]);
    expect(sampleIndices(11, 4)).toEqual([0, 3, 6, 9, 10]);
  });
});

describe('CSV records', () => {
  it('reads quoted commas, quotes and line breaks, and numbers records by the line they start on', () => {
    const recs = [...csvRecords('a,b\n"x,""1""",2\n"two\nlines",3\r\nlast,4\n', 'f.csv')];
    expect(recs).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { cells: ['x,"1"', '2'], line: 2 },
      { cells: ['two\nlines', '3'], line: 3 },
      { cells: ['last', '4'], line: 5 },
    ]);
  });

  it.each([
    ['a,b\n"open,1\n', 'f.csv:2: a quoted cell is not closed'],
    ['a,b\n1,x"y\n', 'f.csv:2: a quote inside the unquoted cell 2'],
    ['a,b\n"1"x,2\n', 'f.csv:2: text after the closing quote of cell 1'],
    ['a,b\n1,2\n\n3,4\n', 'f.csv:3: an empty line'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => [...csvRecords(text, 'f.csv')]).toThrow(new ReportInputError(message));
  });
});

describe('the HTML', () => {
  const html = reportHtml(readRun(small), reportAssets());

  it('says how the run was made, with the manifest command and overrides, and that it is incomplete and why', () => {
    expect(html).toContain('<span class="badge warn">incomplete: interrupted (SIGINT)</span>');
    expect(html).toContain('roadtwin run small.yaml --seed 7');
    expect(html).toContain('seed=7; duration=120');
    expect(html).toContain('1111111111111111111111111111111111111111111111111111111111111111');
    expect(html).toContain('<th scope="row">worker threads used / requested</th><td class="num">1 / 2</td>');
  });

  it('lists the worst edges in order, ids escaped, and draws one path per edge of network.json', () => {
    const section = html.slice(html.indexOf('<h2>Worst edges</h2>'), html.indexOf('<h2>Worst junctions'));
    const ids = [...section.matchAll(/<tr><td>\d+<\/td><td><code>(.*?)<\/code>/g)].map((m) => m[1]);
    expect(ids).toEqual(['a', 'e', 'b', 'c,&quot;x&quot;']);
    expect(section).toContain('<td>Main St</td>');
    expect(html.match(/<path class="edge"/g)).toHaveLength(5);
    // d carried no vehicle: grey in both colourings
    expect(html).toMatch(/<path class="edge" d="[^"]*" stroke="#bdbdbd" stroke-width="[\d.]+" data-speed="#bdbdbd" data-delay="#bdbdbd"><title>edge d,/);
  });

  it('leaves out what the run lacks with a line saying why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'roadtwin-report-'));
    try {
      cpSync(small, dir, { recursive: true });
      rmSync(join(dir, 'edges.csv'));
      rmSync(join(dir, 'junctions.csv'));
      const page = reportHtml(readRun(dir), reportAssets());
      expect(page).not.toContain('<table class="places">');
      expect(page).toContain('<p class="note">Not in this report: edges.csv is not in this run directory (no speed or delay per edge on the map and no worst edges (a run from before per-place outputs)).</p>');
      expect(page).toContain('junctions.csv is not in this run directory');
      // the map is still drawn, grey
      expect(page.match(/<path class="edge"[^>]*stroke="#bdbdbd"/g)).toHaveLength(5);
      expect(page).not.toContain('<h2>V2X</h2>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds the V2X, logistics and perception sections and their charts when the run has them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'roadtwin-report-'));
    try {
      cpSync(small, dir, { recursive: true });
      const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
      m.v2x = { rsus: 3, equippedShare: 0.25, sent: { bsm: 1200, spat: 40 }, received: 900, packetDeliveryRatio: 0.7258, meanLatencyMs: 5.1, warnings: { fcw: 4, rlvw: 0 }, glosaAdvised: 7 };
      m.logistics = { orders: 10, delivered: 6, rejected: 1, open: 3, onTimeShare: 0.833, meanDeliveryTime: 600.4, p95DeliveryTime: 1200, rejectedByReason: { stock: 1 }, byMode: { drone: { orders: 4, delivered: 3, km: 12.345, energyKWh: 0.5, fleet: 2, utilisation: 0.4 } } };
      m.perception = { events: 5, handled: 3, dismissed: 1, open: 1, detected: 4, detection: { count: 4, p50: 30, p95: 90 }, confirmedWithin300s: 0.75, byKind: { crash: { events: 5, handled: 3, dismissed: 1, open: 1 } }, bySource: { camera: { first: 3, share: 0.75 } }, vehicleHoursLost: 1.5 };
      writeFileSync(join(dir, 'metrics.json'), JSON.stringify(m));
      writeFileSync(join(dir, 'v2x.csv'), 'type,distanceFrom,distanceTo,sent,received,pdr,meanLatencyMs\nbsm,0,25,100,90,0.9,5\nbsm,25,50,100,60,0.6,5\nbsm,50,inf,10,1,0.1,5\nspat,0,25,10,5,0.5,4\n');
      writeFileSync(join(dir, 'v2x-channel.csv'), 'second,busyRatio,offeredLoad\n0,0.1,0.1\n1,0.2,0.2\n');
      const ts = 'time,active,inserted,arrived,meanSpeed,minSpeed,maxSpeed,stopped,ordersDelivered,ordersRejected,ordersOpen,dronesOut,robotsOut,vansOut\n1,2,2,0,10,9,11,0,0,0,1,1,0,0\n2,3,3,1,9,8,10,1,1,0,0,0,0,1\n';
      writeFileSync(join(dir, 'timeseries.csv'), ts);
      const run = readRun(dir);
      const page = reportHtml(run, reportAssets());
      for (const h of ['<h2>V2X</h2>', '<h2>Logistics</h2>', '<h2>Perception and incidents</h2>']) expect(page).toContain(h);
      const row = (label: string, value: string, unit: string) => `<th scope="row">${label}</th><td class="num">${value}</td><td class="unit">${unit}</td>`;
      expect(page).toContain(row('packet delivery ratio', '0.726', '0–1'));
      expect(page).toContain(row('sent: bsm', '1,200', 'packets'));
      expect(page).toContain(row('rejected: stock', '1', 'orders'));
      expect(page).toContain('<th scope="row">drone</th><td class="num">4</td><td class="num">3</td><td class="num">12.35</td>');
      expect(page).toContain(row('time to detection, p50 / p95', '30 / 90 (4 events)', 's'));
      const specs = JSON.parse(page.slice(page.indexOf('id="chart-data">') + 16, page.indexOf('</script>', page.indexOf('id="chart-data">'))));
      expect(specs.map((c: { id: string }) => c.id)).toEqual(['chart-active', 'chart-speed', 'chart-arrivals', 'chart-orders', 'chart-fleet', 'chart-channel', 'chart-pdr']);
      // PDR = received / sent per 25 m bin at its middle; the open last bin is not drawn; a type without a bin has a gap
      const pdr = specs.find((c: { id: string }) => c.id === 'chart-pdr');
      expect(pdr.x).toEqual([12.5, 37.5]);
      expect(pdr.series).toEqual([
        { label: 'bsm', colour: '#1f77b4', values: [0.9, 0.6] },
        { label: 'spat', colour: '#d62728', values: [0.5, null] },
      ]);
      expect(pdr.yLabel).toBe('delivery ratio (0–1)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('escapes every string of the run: no markup of a name, an id or a reason reaches the page', () => {
    const dir = mkdtempSync(join(tmpdir(), 'roadtwin-report-'));
    try {
      cpSync(small, dir, { recursive: true });
      const evil = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">';
      const man = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...man, name: evil, reason: evil, command: evil, overrides: [evil] }));
      const net = JSON.parse(readFileSync(join(dir, 'network.json'), 'utf8'));
      net.edges[0].id = evil;
      net.edges[0].name = evil;
      writeFileSync(join(dir, 'network.json'), JSON.stringify(net));
      writeFileSync(join(dir, 'edges.csv'), readFileSync(join(dir, 'edges.csv'), 'utf8').replace(/,a,/g, `,"${evil.replace(/"/g, '""')}",`));
      const page = reportHtml(readRun(dir), reportAssets());
      expect(page).not.toContain('window.pwned=1</script>');
      expect(page).not.toContain('<img src=x');
      expect(page).toContain('&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;');
      // the worst edge is still the renamed a
      const section = page.slice(page.indexOf('<h2>Worst edges</h2>'));
      expect(section).toMatch(/<tr><td>1<\/td><td><code>&lt;\/script&gt;/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
