/** The page's header (scenario and key metrics) and the charts of timeseries.csv, built once per run. */
import { TimeChart } from './charts.js';
import { numericColumns, parseCsv } from './csv.js';
import type { ViewInput } from './view-input.js';

const $ = (id: string) => document.getElementById(id)!;

export function renderHeader(input: ViewInput): void {
  const { manifest, metrics, name } = input;
  $('scenario').textContent = name;
  const parts: string[] = [];
  if (manifest) {
    if (manifest.complete === false) parts.push('<b class="warn">incomplete run</b>');
    parts.push(`seed ${manifest.seed}`, `${manifest.duration} s`);
  }
  if (metrics) {
    const v = metrics.vehicles as Record<string, number> | undefined;
    const t = metrics.traffic as Record<string, number | null> | undefined;
    if (v) parts.push(`${v.inserted} vehicles, ${v.arrived} arrived`);
    if (t && typeof t.meanSpeed === 'number') parts.push(`mean speed ${t.meanSpeed.toFixed(1)} m/s`);
    if (t && typeof t.meanTravelTime === 'number') parts.push(`mean travel ${t.meanTravelTime.toFixed(0)} s`);
    if (t) parts.push(`collisions ${t.collisions ?? 0}`);
    const v2x = metrics.v2x as Record<string, number> | undefined;
    if (v2x && typeof v2x.packetDeliveryRatio === 'number') parts.push(`PDR ${(v2x.packetDeliveryRatio * 100).toFixed(1)} %`);
    const lg = metrics.logistics as Record<string, number> | undefined;
    if (lg) parts.push(`${lg.delivered}/${lg.orders} delivered`);
  }
  $('metrics').innerHTML = parts.join(' · ');
}

/** A chart per timeseries.csv column worth charting; a click on one seeks there. */
export function buildCharts(input: ViewInput, seek: (t: number) => void): TimeChart[] {
  const box = $('charts');
  box.innerHTML = '';
  const text = input.timeseries;
  const table = text ? parseCsv(text) : { header: ['time', 'active', 'meanSpeed'], rows: [] };
  const cols = numericColumns(table);
  const times = cols.get('time') ?? new Float64Array(0);
  const wanted: [string, string, string][] = [
    ['active', 'vehicles on the road', '#2f6fd6'],
    ['meanSpeed', 'mean speed, m/s', '#1c9a5a'],
  ];
  // later parts add columns (deliveries, PDR, …): chart whatever is beyond the contract's set
  const base = new Set(['time', 'active', 'inserted', 'arrived', 'meanSpeed', 'minSpeed', 'maxSpeed', 'stopped']);
  for (const h of table.header) if (!base.has(h)) wanted.push([h, h, '#b0529b']);
  const out: TimeChart[] = [];
  for (const [col, title, colour] of wanted) {
    if (!table.header.includes(col)) continue;
    out.push(new TimeChart(box, col, title, colour, times, cols.get(col) ?? new Float64Array(0), input.end, seek));
  }
  return out;
}
