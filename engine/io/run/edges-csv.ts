/**
 * edges.csv: one row per edge and interval, rows by interval and then in the network's edge
 * order, as SUMO's edgeData (docs/run-directory.md#edgescsv). The figures come from the world's
 * PlaceStats (engine/traffic/places.ts); this module only divides and rounds them.
 */
import type { Network } from '../../road/network.js';
import type { PlaceStats } from '../../traffic/places.js';
import { csvLine } from './appendable.js';

export const EDGES_HEADER = 'begin,end,edge,sampledSeconds,entered,left,flow,density,occupancy,meanSpeed,waitingTime,timeLoss,travelTime\n';

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The rows of the interval [begin, end], one line each, in edge order. */
export function edgeRows(net: Network, p: PlaceStats, begin: number, end: number, write: (line: string) => void): void {
  const span = end - begin;
  for (let e = 0; e < net.edgeIds.length; e++) {
    const first = net.edgeFirstLane[e];
    const lanes = net.edgeLanes[e];
    let sampled = 0;
    let distance = 0;
    let waiting = 0;
    let timeLoss = 0;
    let cover = 0;
    // (over the edge's lanes in lane order: a fixed summation order)
    for (let l = first; l < first + lanes; l++) {
      sampled += p.sampled[l];
      distance += p.distance[l];
      waiting += p.waiting[l];
      timeLoss += p.timeLoss[l];
      cover += p.covered[l] / net.laneLength[l];
    }
    const length = net.edgeLength[e];
    const meanSpeed = sampled > 0 ? distance / sampled : null;
    write(
      csvLine([
        r6(begin),
        r6(end),
        net.edgeIds[e],
        r6(sampled),
        p.entered[e],
        p.left[e],
        r6((p.left[e] * 3600) / span),
        // vehicles per km over all lanes together
        r6(sampled / span / (length / 1000)),
        // % of the lanes' length covered by vehicles, averaged over time and the edge's lanes
        r6((100 * cover) / (span * lanes)),
        meanSpeed === null ? null : r6(meanSpeed),
        r6(waiting),
        r6(timeLoss),
        meanSpeed !== null && meanSpeed > 0 ? r6(length / meanSpeed) : null,
      ]),
    );
  }
}
