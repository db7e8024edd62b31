/**
 * The report page: one self-contained HTML document (uPlot's script and style, the data and the
 * map inlined; a Content-Security-Policy that allows no request at all), so it can be mailed and
 * opened anywhere without a network. Built from a read run directory (read-run.ts); the same
 * directory gives the same bytes.
 */
import { delayScale, mapSvg, rampColour, NO_DATA } from './map-svg.js';
import { chartSpecs, MAX_POINTS, PAGE_SCRIPT } from './charts.js';
import { esc, fmt, jsonScript } from './escape.js';
import { logisticsSection, perceptionSection, runTable, trafficTable, v2xSection } from './figures.js';
import { worstEdgesTable, worstJunctionsTable, worstMovementsTable } from './places.js';
import { worstByDelay, worstEdges } from './aggregate.js';
import type { RunData } from './read-run.js';

export interface Assets {
  /** uPlot's IIFE build (defines the global uPlot) */
  uplotJs: string;
  uplotCss: string;
  /** the version of roadtwin writing the report */
  version: string;
}

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'";

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0 auto; max-width: 1200px; padding: 0 20px 40px; }
h1 { font-size: 1.6em; margin: 24px 0 4px; } h2 { font-size: 1.25em; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.sub { color: #555; margin: 0 0 12px; } .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; }
.ok { background: #d9f2dd; color: #1a6b2b; } .warn { background: #fde2d8; color: #9a2b07; }
table { border-collapse: collapse; margin: 8px 0 16px; } th, td { padding: 3px 10px; text-align: left; vertical-align: top; }
table.figures th { font-weight: normal; color: #444; } table.figures td.num { font-weight: 600; text-align: right; } td.unit { color: #666; }
table.run td.num { font-weight: normal; text-align: left; word-break: break-all; max-width: 760px; }
table.places { font-size: 13px; } table.places thead th { border-bottom: 2px solid #ccc; } table.places td { border-bottom: 1px solid #eee; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } code { font-size: 12px; word-break: break-all; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 8px 24px; }
.chart { min-height: 300px; } .note { color: #666; font-style: italic; margin: 4px 0; }
#map { width: 100%; max-height: 80vh; background: #fafafa; border: 1px solid #e4e4e4; }
.legend span.sw { display: inline-block; width: 28px; height: 10px; margin-right: 2px; vertical-align: middle; }
.legend { margin: 6px 0; } fieldset { border: none; padding: 0; margin: 6px 0; }
footer { margin-top: 40px; color: #777; font-size: 12px; }
`;

const note = (text: string) => `<p class="note">${esc(text)}</p>`;

/** A legend of the map's ramp: `labels` at the five colours (good first) and the no-data grey. */
function legend(forMode: string, title: string, labels: string[], hidden: boolean): string {
  const swatches = labels.map((l, k) => `<span class="sw" style="background:${rampColour(k / labels.length)}"></span>${esc(l)} `).join('');
  return `<div class="legend" data-for="${forMode}"${hidden ? ' hidden' : ''}><strong>${esc(title)}:</strong> ${swatches}<span class="sw" style="background:${NO_DATA}"></span>no vehicle</div>`;
}

function mapSection(run: RunData): string {
  if (!run.network) return `<h2>Map</h2>${note('No map: network.json is not in this run directory.')}`;
  const scale = delayScale(run.edges);
  const step = scale.delayMax / 5;
  const delayLabels = [0, 1, 2, 3, 4].map((k) => (k === 4 ? `≥ ${fmt(step * 4, 0)} s` : `${fmt(step * k, 0)}–${fmt(step * (k + 1), 0)} s`));
  const speedLabels = ['≥ 80 %', '60–80 %', '40–60 %', '20–40 %', '< 20 %'];
  const controls = run.edges
    ? `<fieldset><legend>Colour the edges by</legend>
<label><input type="radio" name="colour-by" value="speed" checked> mean speed as a share of the speed limit (Σ distance ÷ Σ time on the edge)</label><br>
<label><input type="radio" name="colour-by" value="delay"> delay per vehicle (Σ time lost ÷ vehicles that left the edge)</label></fieldset>
${legend('speed', 'mean speed ÷ speed limit', speedLabels, false)}${legend('delay', 'delay, s/veh', delayLabels, true)}`
    : note(`The edges are grey: edges.csv is not in this run directory (${run.missing['edges.csv']}).`);
  return `<h2>Map</h2><p class="sub">${fmt(run.network.edges.length)} edges, drawn on the right of their centre line; hover an edge for its figures.</p>${controls}${mapSvg(run.network, run.edges, scale)}`;
}

function placesSection(run: RunData): string {
  const parts: string[] = ['<h2>Worst edges</h2>'];
  if (run.edges) {
    const worst = worstEdges(run.edges);
    const net = new Map((run.network?.edges ?? []).map((e) => [e.id, e]));
    parts.push(
      `<p class="sub">The ${worst.length === 10 ? '10 edges' : `${worst.length} edge${worst.length === 1 ? '' : 's'}`} where vehicles lost the most time over the run (Σ timeLoss of edges.csv), of ${fmt(run.edges.length)} edges with rows.</p>`,
      worst.length > 0 ? worstEdgesTable(worst, net) : note('No edge lost any time.'),
    );
  } else parts.push(note(`Not in this report: edges.csv is not in this run directory (${run.missing['edges.csv']}).`));
  parts.push('<h2>Worst junctions and movements</h2>');
  if (run.junctions && run.movements) {
    const wj = worstByDelay(run.junctions);
    const wm = worstByDelay(run.movements);
    parts.push(
      '<p class="sub">By mean delay per vehicle over the run, weighted by the vehicles of each interval (junctions.csv). LOS: the level of service of that delay in HCM\'s bands (signalised: A ≤ 10, B ≤ 20, C ≤ 35, D ≤ 55, E ≤ 80 s, F above; other junctions: A ≤ 10, B ≤ 15, C ≤ 25, D ≤ 35, E ≤ 50 s, F above).</p>',
      '<h3>Junctions</h3>',
      wj.length > 0 ? worstJunctionsTable(wj) : note('No vehicle crossed a junction.'),
      '<h3>Movements</h3>',
      wm.length > 0 ? worstMovementsTable(wm) : note('No vehicle made a movement.'),
    );
  } else parts.push(note(`Not in this report: junctions.csv is not in this run directory (${run.missing['junctions.csv']}).`));
  if (run.signals) parts.push(note(`signals.csv: ${fmt(run.signals.changes)} signal state changes at ${fmt(run.signals.junctions)} junctions (${fmt(run.signals.programs)} programs).`));
  return parts.join('\n');
}

function chartsSection(run: RunData, specs: ReturnType<typeof chartSpecs>): string {
  const out = ['<h2>Over time</h2>'];
  if (!run.series) out.push(note('No time-series charts: timeseries.csv is not in this run directory.'));
  const rows = run.series?.data.time.length ?? 0;
  if (rows > MAX_POINTS) out.push(note(`${fmt(rows)} rows: every ${Math.ceil(rows / MAX_POINTS)}th is drawn.`));
  out.push(`<div class="grid">${specs.map((c) => `<div class="chart" id="${esc(c.id)}"></div>`).join('')}</div>`);
  return out.join('\n');
}

export function reportHtml(run: RunData, assets: Assets): string {
  const { manifest: man, metrics: m } = run;
  const name = typeof man.name === 'string' ? man.name : 'run';
  const complete = man.complete === true;
  const specs = chartSpecs(run);
  const status = complete
    ? '<span class="badge ok">complete</span>'
    : `<span class="badge warn">incomplete${man.reason !== undefined ? `: ${esc(String(man.reason))}` : ''}</span>`;
  const missing = Object.entries(run.missing).map(([f, what]) => `<li><code>${esc(f)}</code>: ${esc(what)}</li>`);
  const body = [
    `<h1>roadtwin report: ${esc(name)}</h1>`,
    `<p class="sub">${status} ${fmt(typeof man.simTime === 'number' ? man.simTime : (m.simTime as number), 1)} s simulated · seed ${esc(String(man.seed ?? '–'))} · engine ${esc(String(man.engineVersion ?? '–'))}</p>`,
    '<h2>How the run was made</h2>',
    runTable(man, m),
    '<h2>Key figures</h2>',
    trafficTable(m),
    m.v2x && typeof m.v2x === 'object' ? `<h2>V2X</h2>${v2xSection(m)}` : '',
    m.logistics && typeof m.logistics === 'object' ? `<h2>Logistics</h2>${logisticsSection(m)}` : '',
    m.perception && typeof m.perception === 'object' ? `<h2>Perception and incidents</h2>${perceptionSection(m)}` : '',
    chartsSection(run, specs),
    mapSection(run),
    placesSection(run),
    missing.length > 0 ? `<h2>Not in this run directory</h2><ul>${missing.join('')}</ul>` : '',
    `<footer>Written by roadtwin ${esc(assets.version)} (<code>roadtwin report</code>) from the files of the run directory; self-contained, it opens without a network. Charts: uPlot.</footer>`,
  ].filter(Boolean);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>roadtwin report: ${esc(name)}</title>
<style>${assets.uplotCss.replace(/<\//g, "<\\/")}</style>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
<script type="application/json" id="chart-data">${jsonScript(specs)}</script>
<script>${inlineScript(assets.uplotJs)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** A script's text made safe inside <script>…</script>: `</script` cannot occur in it. */
function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}
