/**
 * The report's charts: which ones a run gets (from timeseries.csv, and v2x.csv / v2x-channel.csv
 * with V2X), each with axis titles and units, and the page script that draws them with uPlot
 * (inlined by html.ts) and switches the map's colouring.
 */
import { sampleIndices } from './aggregate.js';
import type { RunData } from './read-run.js';

export interface ChartSpec {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  x: number[];
  series: { label: string; colour: string; values: (number | null)[] }[];
}

/** Points per chart at most (a row per second over a day is 86,400): every k-th row is drawn. */
export const MAX_POINTS = 4000;

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

const clean = (v: number) => (Number.isFinite(v) ? v : null);

export function chartSpecs(run: RunData): ChartSpec[] {
  const out: ChartSpec[] = [];
  const s = run.series;
  if (s && s.data.time.length > 0) {
    const idx = sampleIndices(s.data.time.length, MAX_POINTS);
    const last = s.data.time[s.data.time.length - 1];
    const inMinutes = last > 1800;
    const x = idx.map((i) => (inMinutes ? s.data.time[i] / 60 : s.data.time[i]));
    const xLabel = `simulated time (${inMinutes ? 'min' : 's'})`;
    const chart = (id: string, title: string, yLabel: string, cols: [string, string][]) => {
      const have = cols.filter(([c]) => s.columns.includes(c));
      if (have.length === 0) return;
      out.push({ id, title, xLabel, yLabel, x, series: have.map(([c, label], k) => ({ label, colour: COLOURS[k], values: idx.map((i) => clean(s.data[c][i])) })) });
    };
    chart('chart-active', 'Vehicles on the road', 'vehicles', [
      ['active', 'on the road'],
      ['stopped', 'stopped (< 0.1 m/s)'],
    ]);
    chart('chart-speed', 'Mean speed of the vehicles on the road', 'speed (m/s)', [['meanSpeed', 'mean speed']]);
    chart('chart-arrivals', 'Vehicles inserted and arrived, cumulative', 'vehicles', [
      ['inserted', 'inserted'],
      ['arrived', 'arrived'],
    ]);
    chart('chart-orders', 'Orders', 'orders', [
      ['ordersDelivered', 'delivered (cumulative)'],
      ['ordersRejected', 'rejected (cumulative)'],
      ['ordersOpen', 'open now'],
    ]);
    chart('chart-fleet', 'Logistics vehicles away from base', 'vehicles', [
      ['dronesOut', 'drones'],
      ['robotsOut', 'robots'],
      ['vansOut', 'vans'],
    ]);
  }
  const ch = run.v2xChannel;
  if (ch && ch.second.length > 0) {
    const idx = sampleIndices(ch.second.length, MAX_POINTS);
    out.push({
      id: 'chart-channel',
      title: 'V2X channel busy ratio',
      xLabel: 'simulated time (s)',
      yLabel: 'busy ratio (0–1)',
      x: idx.map((i) => ch.second[i]),
      series: [{ label: 'busy ratio', colour: COLOURS[0], values: idx.map((i) => ch.busyRatio[i]) }],
    });
  }
  const bins = run.v2xBins?.filter((b) => Number.isFinite(b.to));
  if (bins && bins.length > 0) {
    const mids = [...new Set(bins.map((b) => (b.from + b.to) / 2))].sort((a, b) => a - b);
    const types = [...new Set(bins.map((b) => b.type))];
    out.push({
      id: 'chart-pdr',
      title: 'V2X packet delivery ratio by distance',
      xLabel: 'distance between sender and receiver (m)',
      yLabel: 'delivery ratio (0–1)',
      x: mids,
      series: types.map((t, k) => ({
        label: t,
        colour: COLOURS[k % COLOURS.length],
        values: mids.map((m) => {
          const b = bins.find((q) => q.type === t && (q.from + q.to) / 2 === m);
          return b && b.sent > 0 ? b.received / b.sent : null;
        }),
      })),
    });
  }
  return out;
}

/**
 * The page script (plain ES5-level JavaScript, run after uPlot's): draws every chart of the
 * `chart-data` element into its div at the div's width, redraws on resize, and switches the map
 * between its speed and delay colours.
 */
export const PAGE_SCRIPT = `(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('chart-data').textContent);
  var charts = [];
  specs.forEach(function (c) {
    var el = document.getElementById(c.id);
    var opts = {
      title: c.title,
      width: Math.max(320, el.clientWidth),
      height: 280,
      scales: { x: { time: false } },
      axes: [{ label: c.xLabel }, { label: c.yLabel, size: 60 }],
      series: [{ label: c.xLabel }].concat(c.series.map(function (s) { return { label: s.label, stroke: s.colour, width: 1.5 }; }))
    };
    var data = [c.x].concat(c.series.map(function (s) { return s.values; }));
    charts.push({ el: el, plot: new uPlot(opts, data, el) });
  });
  // the uPlot instances, for whoever inspects the page (the tests read their axes)
  window.reportCharts = charts.map(function (c) { return c.plot; });
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.plot.setSize({ width: Math.max(320, c.el.clientWidth), height: 280 }); });
  });
  var radios = document.querySelectorAll('input[name="colour-by"]');
  Array.prototype.forEach.call(radios, function (r) {
    r.addEventListener('change', function () {
      var by = r.value;
      Array.prototype.forEach.call(document.querySelectorAll('#map path.edge'), function (p) {
        p.setAttribute('stroke', p.getAttribute('data-' + by));
      });
      Array.prototype.forEach.call(document.querySelectorAll('.legend'), function (l) {
        l.hidden = l.getAttribute('data-for') !== by;
      });
    });
  });
})();`;
