/**
 * The report's map: one SVG path per edge of network.json, drawn to the right of its centre line
 * (where its lanes are) so both directions of a road show, coloured by the whole run's mean speed
 * as a share of the speed limit or by the delay per vehicle (the page switches between the two
 * through each path's data-speed / data-delay colours). Edges no vehicle used are grey. The y axis
 * points up as in the network (SVG's points down: y is negated). Every id is escaped.
 */
import type { EdgeStat } from './aggregate.js';
import { esc, fmt } from './escape.js';
import type { NetGeometry } from './read-run.js';

/** Good to bad: green, yellow-green, yellow, orange, red. */
const RAMP = ['#1a9850', '#91cf60', '#fee08b', '#fc8d59', '#d73027'];
export const NO_DATA = '#bdbdbd';

/** The ramp colour of `bad` in 0..1 (0 good). */
export function rampColour(bad: number): string {
  const k = Math.min(RAMP.length - 1, Math.max(0, Math.floor(bad * RAMP.length)));
  return RAMP[k];
}

export interface MapScale {
  /** delay per vehicle at the red end, s */
  delayMax: number;
}

/** The delay at the red end of the scale: the 95th percentile of the edges' delays, at least 10 s, rounded up to 5 s. */
export function delayScale(edges: readonly EdgeStat[] | null): MapScale {
  const d = (edges ?? []).map((e) => e.delayPerVehicle).filter((x): x is number => x !== null).sort((a, b) => a - b);
  const p95 = d.length > 0 ? d[Math.min(d.length - 1, Math.floor(0.95 * d.length))] : 0;
  return { delayMax: Math.max(10, Math.ceil(p95 / 5) * 5) };
}

const r1 = (v: number) => String(Math.round(v * 10) / 10);

/** The polyline moved `off` to the right of its direction, points as SVG "x,y" with y negated. */
function offsetPoints(shape: [number, number][], off: number): string[] {
  const n = shape.length;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    // the mean of the unit right-hand normals of the segments meeting at point i
    let nx = 0;
    let ny = 0;
    for (const [a, b] of [
      [i - 1, i],
      [i, i + 1],
    ]) {
      if (a < 0 || b >= n) continue;
      const dx = shape[b][0] - shape[a][0];
      const dy = shape[b][1] - shape[a][1];
      const len = Math.hypot(dx, dy);
      if (len === 0) continue;
      nx += dy / len;
      ny += -dx / len;
    }
    const len = Math.hypot(nx, ny);
    const x = shape[i][0] + (len > 0 ? (nx / len) * off : 0);
    const y = shape[i][1] + (len > 0 ? (ny / len) * off : 0);
    out.push(`${r1(x)},${r1(-y)}`);
  }
  return out;
}

/** A round length near `x`: 1, 2 or 5 times a power of ten. */
function niceLength(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  return [5, 2, 1].map((m) => m * p).find((v) => v <= x) ?? p;
}

export function mapSvg(net: NetGeometry, edges: readonly EdgeStat[] | null, scale: MapScale): string {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const e of net.edges)
    for (const [x, y] of e.shape) {
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  if (!Number.isFinite(minX)) {
    minX = minY = 0;
    maxX = maxY = 1;
  }
  const diag = Math.hypot(maxX - minX, maxY - minY) || 1;
  const pad = diag / 40;
  const stats = new Map((edges ?? []).map((s) => [s.edge, s]));
  const paths: string[] = [];
  for (const e of net.edges) {
    // real width, but at least a visible line on a city-sized map; the two directions side by side
    const width = Math.max(e.lanes * net.laneWidth * 0.9, diag / 450);
    const off = Math.max((e.lanes * net.laneWidth) / 2, width / 2);
    const s = stats.get(e.id);
    const speed = s?.meanSpeed ?? null;
    const delay = s?.delayPerVehicle ?? null;
    const speedColour = speed === null || !(e.speedLimit > 0) ? NO_DATA : rampColour(1 - Math.min(1, speed / e.speedLimit));
    const delayColour = delay === null ? NO_DATA : rampColour(Math.min(1, delay / scale.delayMax) * 0.999);
    const title = [
      `edge ${e.id}${e.name ? ` (${e.name})` : ''}, ${fmt(e.length, 0)} m, ${e.lanes} lane${e.lanes === 1 ? '' : 's'}, limit ${fmt(e.speedLimit * 3.6, 0)} km/h`,
      s
        ? `mean speed ${speed === null ? '–' : `${fmt(speed, 2)} m/s (${fmt((speed / e.speedLimit) * 100, 0)} % of the limit)`}, delay ${delay === null ? '–' : `${fmt(delay, 1)} s/veh`}, ${fmt(s.left, 0)} vehicles left it, ${fmt(s.timeLoss / 3600, 2)} veh·h lost`
        : edges
          ? 'no vehicle used it'
          : 'no edges.csv in this run',
    ].join('\n');
    paths.push(
      `<path class="edge" d="M${offsetPoints(e.shape, off).join('L')}" stroke="${speedColour}" stroke-width="${r1(width)}" data-speed="${speedColour}" data-delay="${delayColour}"><title>${esc(title)}</title></path>`,
    );
  }
  // a scale bar along the bottom left
  const bar = niceLength((maxX - minX) / 5 || 1);
  const bx = minX;
  const by = -minY + pad * 0.6;
  const font = diag / 70;
  const scaleBar =
    `<g class="scale-bar"><line x1="${r1(bx)}" y1="${r1(by)}" x2="${r1(bx + bar)}" y2="${r1(by)}" stroke="#333" stroke-width="${r1(diag / 500)}"/>` +
    `<text fill="#333" x="${r1(bx + bar + font * 0.5)}" y="${r1(by + font * 0.35)}" font-size="${r1(font)}">${bar >= 1000 ? `${bar / 1000} km` : `${bar} m`}</text></g>`;
  const vb = [minX - pad, -maxY - pad, maxX - minX + 2 * pad, maxY - minY + 2 * pad].map(r1).join(' ');
  return `<svg id="map" xmlns="http://www.w3.org/2000/svg" viewBox="${vb}" fill="none" stroke-linecap="round" stroke-linejoin="round" role="img" aria-label="network map">${paths.join('')}${scaleBar}</svg>`;
}
