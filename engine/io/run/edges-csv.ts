/**
 * edges.csv and lanes.csv: one row per edge (per lane with traffic) and interval, rows by interval
 * and then in the network's edge (lane) order, as SUMO's edgeData and laneData
 * (docs/run-directory.md#edgescsv, #lanescsv). The figures come from the world's PlaceStats
 * (engine/traffic/places.ts), which keeps them per lane; an edge's are its lanes' sums, taken here
 * in lane order (a fixed order), so the lanes of an edge add up to its row. This module only sums,
 * divides and rounds them.
 */
import type { Network } from '../../road/network.js';
import { laneName } from '../../road/network.js';
import type { PlaceStats } from '../../traffic/places.js';
import { csvLine } from './appendable.js';

/** the figures both files have, after the columns that say which place */
const FIGURES = 'sampledSeconds,entered,left,flow,density,occupancy,meanSpeed,waitingTime,timeLoss,travelTime,halts,laneChangedFrom,laneChangedTo';

export const EDGES_HEADER = `begin,end,edge,${FIGURES}\n`;
export const LANES_HEADER = `begin,end,lane,edge,index,${FIGURES}\n`;

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** One place's sums over the interval (an edge's: over its lanes). */
interface Sums {
  sampled: number;
  distance: number;
  waiting: number;
  timeLoss: number;
  /** Σ over the lanes of the covered length ÷ the lane's length (s) */
  cover: number;
  entered: number;
  left: number;
  halts: number;
  changedFrom: number;
  changedTo: number;
}

const zero = (s: Sums): Sums => {
  s.sampled = s.distance = s.waiting = s.timeLoss = s.cover = 0;
  s.entered = s.left = s.halts = s.changedFrom = s.changedTo = 0;
  return s;
};

function addLane(s: Sums, net: Network, p: PlaceStats, l: number): void {
  s.sampled += p.sampled[l];
  s.distance += p.distance[l];
  s.waiting += p.waiting[l];
  s.timeLoss += p.timeLoss[l];
  s.cover += p.covered[l] / net.laneLength[l];
  s.entered += p.entered[l];
  s.left += p.left[l];
  s.halts += p.halts[l];
  s.changedFrom += p.changedFrom[l];
  s.changedTo += p.changedTo[l];
}

/** The figure cells of a place of `length` m and `lanes` lanes (edges.csv's definitions, for a lane too). */
function figures(s: Sums, length: number, lanes: number, span: number): (string | number | null)[] {
  const meanSpeed = s.sampled > 0 ? s.distance / s.sampled : null;
  return [
    r6(s.sampled),
    s.entered,
    s.left,
    r6((s.left * 3600) / span),
    // vehicles per km over all its lanes together
    r6(s.sampled / span / (length / 1000)),
    // % of the lanes' length covered by vehicles, averaged over time and the lanes
    r6((100 * s.cover) / (span * lanes)),
    meanSpeed === null ? null : r6(meanSpeed),
    r6(s.waiting),
    r6(s.timeLoss),
    meanSpeed !== null && meanSpeed > 0 ? r6(length / meanSpeed) : null,
    s.halts,
    s.changedFrom,
    s.changedTo,
  ];
}

const scratch = (): Sums => zero({} as Sums);

/** The rows of edges.csv for the interval [begin, end], one line each, in edge order. */
export function edgeRows(net: Network, p: PlaceStats, begin: number, end: number, write: (line: string) => void): void {
  const span = end - begin;
  const s = scratch();
  for (let e = 0; e < net.edgeIds.length; e++) {
    const first = net.edgeFirstLane[e];
    const lanes = net.edgeLanes[e];
    zero(s);
    // (over the edge's lanes in lane order: a fixed summation order)
    for (let l = first; l < first + lanes; l++) addLane(s, net, p, l);
    write(csvLine([r6(begin), r6(end), net.edgeIds[e], ...figures(s, net.edgeLength[e], lanes, span)]));
  }
}

/**
 * The rows of lanes.csv for the interval [begin, end], in lane order (by edge, then from the
 * right): only the lanes that had traffic in it (a vehicle on it, or one that came or went).
 */
export function laneRows(net: Network, p: PlaceStats, begin: number, end: number, write: (line: string) => void): void {
  const span = end - begin;
  const s = scratch();
  for (let l = 0; l < net.laneCount; l++) {
    zero(s);
    addLane(s, net, p, l);
    if (s.sampled === 0 && s.entered === 0 && s.left === 0 && s.changedFrom === 0 && s.changedTo === 0) continue;
    write(csvLine([r6(begin), r6(end), laneName(net, l), net.edgeIds[net.laneEdge[l]], net.laneIndex[l], ...figures(s, net.laneLength[l], 1, span)]));
  }
}
