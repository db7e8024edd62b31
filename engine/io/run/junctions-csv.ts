/**
 * junctions.csv: one row per junction movement (junction, incoming edge, outgoing edge) and
 * interval, rows by interval and then by junction, incoming and outgoing edge in network order
 * (docs/run-directory.md#junctionscsv). The figures come from the world's PlaceStats
 * (engine/traffic/places.ts); this module divides, rounds and grades them.
 *
 * Level of service from the mean control delay per vehicle, as the Highway Capacity Manual, 6th
 * edition (TRB, 2016) grades it: Exhibit 19-8 for signalised intersections (A ≤ 10 s, B ≤ 20,
 * C ≤ 35, D ≤ 55, E ≤ 80, F beyond), Exhibit 20-2 for two-way stop-controlled ones, which this
 * uses for every junction without signals (A ≤ 10 s, B ≤ 15, C ≤ 25, D ≤ 35, E ≤ 50, F beyond).
 * (The HCM also grades a movement F when its volume-to-capacity ratio exceeds 1; that ratio is not
 * measured here, so the letter is the delay's alone.)
 */
import type { Network } from '../../road/network.js';
import type { PlaceStats } from '../../traffic/places.js';
import { csvLine } from './appendable.js';

export const JUNCTIONS_HEADER = 'begin,end,junction,from,to,count,delay,los,meanQueue,maxQueue,maxQueueLength\n';

/** Upper bounds of A … E, s/veh (HCM 6th ed., Exhibits 19-8 and 20-2). */
export const LOS_SIGNALISED = [10, 20, 35, 55, 80] as const;
export const LOS_UNSIGNALISED = [10, 15, 25, 35, 50] as const;

/** The HCM level of service of a mean control delay (s/veh). */
export function levelOfService(delay: number, signalised: boolean): string {
  const bounds = signalised ? LOS_SIGNALISED : LOS_UNSIGNALISED;
  for (let k = 0; k < bounds.length; k++) if (delay <= bounds[k]) return 'ABCDE'[k];
  return 'F';
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The rows of the interval [begin, end], one line each, in movement order; `signalised[node]` says which junctions have signals. */
export function junctionRows(net: Network, p: PlaceStats, signalised: Uint8Array, begin: number, end: number, write: (line: string) => void): void {
  const span = end - begin;
  const mv = p.movements;
  for (let m = 0; m < mv.count; m++) {
    const n = p.moveCount[m];
    const delay = n > 0 ? p.delaySum[m] / n : null;
    write(
      csvLine([
        r6(begin),
        r6(end),
        net.nodeIds[mv.node[m]],
        net.edgeIds[mv.from[m]],
        net.edgeIds[mv.to[m]],
        n,
        delay === null ? null : r6(delay),
        delay === null ? null : levelOfService(delay, signalised[mv.node[m]] === 1),
        r6(p.queueSum[m] / span),
        p.queueMax[m],
        r6(p.queueLengthMax[m]),
      ]),
    );
  }
}
