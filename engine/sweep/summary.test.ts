// Summary statistics against values computed by hand, the CSV tables, and the charts as SVG.
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { groupCombinations, metricChartSvg, summarize, summaryCsv, sweepCsv, tQuantile975, type PlannedRun, type RunResult } from './index.js';

describe('summarize', () => {
  it('gives the mean, the sample sd and the Student-t 95 % interval', () => {
    // 1, 2, 3, 4: mean 2.5, sd √(5/3) = 1.2909944, t(0.975, 3) = 3.1824463,
    // half width 3.1824463 · 1.2909944 / 2 = 2.0542603
    const s = summarize([1, 2, 3, 4]);
    expect(s.n).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(1.2909944, 6);
    expect(s.ciLow).toBeCloseTo(0.4457397, 6);
    expect(s.ciHigh).toBeCloseTo(4.5542603, 6);
  });
  it('uses the t quantile of n − 1 degrees of freedom (table values)', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.7062, 4);
    expect(tQuantile975(2)).toBeCloseTo(4.3027, 4);
    expect(tQuantile975(4)).toBeCloseTo(2.7764, 4);
    expect(tQuantile975(30)).toBeCloseTo(2.0423, 4);
  });
  it('skips missing values and has no interval below two values', () => {
    // 10, null, 14: mean 12, sd 2√2, half width 12.7062 · 2√2 / √2 = 25.4124
    const s = summarize([10, null, 14]);
    expect(s).toMatchObject({ n: 2, mean: 12 });
    expect(s.sd).toBeCloseTo(2.8284271, 6);
    expect(s.ciHigh! - 12).toBeCloseTo(25.41241, 4);
    expect(summarize([5])).toEqual({ n: 1, mean: 5, sd: null, ciLow: null, ciHigh: null });
    expect(summarize([null])).toEqual({ n: 0, mean: null, sd: null, ciLow: null, ciHigh: null });
    expect(summarize([3, 3, 3])).toMatchObject({ mean: 3, sd: 0, ciLow: 3, ciHigh: 3 });
  });
});

// two values of `a` × two of `b` × three seeds, with made-up metrics
const runs: PlannedRun[] = [];
const results = new Map<string, RunResult>();
for (const a of [0, 0.5])
  for (const b of ['x', 'y'])
    for (const seed of [1, 2, 3]) {
      const key = `a-${a}_b-${b}_seed-${seed}`;
      runs.push({ index: runs.length, key, params: [{ path: 'p.a', value: a }, { path: 'p.b', value: b }], seed, overrides: [], sources: [] });
      results.set(key, { status: 'done', metrics: { traffic: { t: 100 * a + seed + (b === 'y' ? 10 : 0), n: b === 'x' && seed === 2 ? null : seed } } });
    }
results.set('a-0.5_b-y_seed-3', { status: 'failed', error: 'boom' });

describe('tables', () => {
  it('sweep.csv has one row per run in plan order, failed runs with empty metrics', () => {
    const lines = sweepCsv(['p.a', 'p.b'], ['traffic.t', 'traffic.n'], runs, results).trimEnd().split('\n');
    expect(lines).toHaveLength(13);
    expect(lines[0]).toBe('key,p.a,p.b,seed,traffic.t,traffic.n,status');
    expect(lines[1]).toBe('a-0_b-x_seed-1,0,x,1,1,1,done');
    expect(lines[2]).toBe('a-0_b-x_seed-2,0,x,2,2,,done');
    expect(lines[12]).toBe('a-0.5_b-y_seed-3,0.5,y,3,,,failed');
  });

  it('summary.csv has one row per combination with n, mean, sd and the 95 % interval', () => {
    const combos = groupCombinations(runs, results, ['traffic.t', 'traffic.n']);
    expect(combos).toHaveLength(4);
    const lines = summaryCsv(['p.a', 'p.b'], ['traffic.t', 'traffic.n'], combos).trimEnd().split('\n');
    expect(lines[0]).toBe('p.a,p.b,runs,traffic.t.n,traffic.t.mean,traffic.t.sd,traffic.t.ci95Low,traffic.t.ci95High,traffic.n.n,traffic.n.mean,traffic.n.sd,traffic.n.ci95Low,traffic.n.ci95High');
    // a = 0, b = x: t = 1, 2, 3 → mean 2, sd 1, half width 4.30265 / √3 = 2.48414; n = 1, 3 → mean 2, sd √2, half 12.7062
    const [a, b, count, tn, tmean, tsd, tlo, thi, nn, nmean, nsd, nlo, nhi] = lines[1].split(',');
    expect([a, b, count, tn, tmean, tsd, nn, nmean]).toEqual(['0', 'x', '3', '3', '2', '1', '2', '2']);
    expect(Number(tlo)).toBeCloseTo(2 - 2.484138, 5);
    expect(Number(thi)).toBeCloseTo(2 + 2.484138, 5);
    expect(Number(nsd)).toBeCloseTo(Math.SQRT2, 9);
    expect(Number(nhi) - 2).toBeCloseTo(12.706205, 5);
    expect(Number(nlo) - 2).toBeCloseTo(-12.706205, 5);
    // a = 0.5, b = y lost seed 3: two values, 61 and 62
    expect(lines[4].split(',').slice(0, 5)).toEqual(['0.5', 'y', '3', '2', '61.5']);
  });
});

describe('metricChartSvg', () => {
  const combos = groupCombinations(runs, results, ['traffic.t']);

  it('is well-formed SVG with a band, a line and a legend entry per series', () => {
    const svg = metricChartSvg({ title: 'a <sweep> & its chart', metric: 'traffic.t', varied: ['p.a', 'p.b'], combos });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('a &lt;sweep&gt; &amp; its chart');
    expect(svg.match(/<polygon /g)).toHaveLength(2); // one confidence band per value of p.b
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('>b=x</text>');
    expect(svg).toContain('>b=y</text>');
    // 11 runs with a value: a dot each, plus a mean marker per combination
    expect(svg.match(/<circle [^>]*r="2"/g)).toHaveLength(11);
    expect(svg.match(/<circle [^>]*r="4"/g)).toHaveLength(4);
  });

  it('draws string values as categories and a single combination without a band polygon', () => {
    const byB = groupCombinations(
      runs.filter((r) => r.params[0].value === 0).map((r) => ({ ...r, params: [r.params[1]] })),
      results,
      ['traffic.t'],
    );
    const svg = metricChartSvg({ title: 't', metric: 'traffic.t', varied: ['p.b'], combos: byB });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('>x</text>');
    const one = metricChartSvg({ title: 't', metric: 'traffic.t', varied: [], combos: groupCombinations(runs.slice(0, 3).map((r) => ({ ...r, params: [] })), results, ['traffic.t']) });
    expect(XMLValidator.validate(one)).toBe(true);
    expect(one).not.toContain('<polygon');
    expect(one).toContain('>all runs</text>');
  });
});
