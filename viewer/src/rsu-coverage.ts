/**
 * RSU coverage as the run measured it, not the channel's nominal decode range: v2x.csv gives, per
 * message type and 25 m distance bin, the (packet, intended receiver) pairs decided and those
 * delivered. The RSUs' own messages (SPAT, MAP, RSI, RSM: everything but the vehicles' BSM) are
 * pooled, and the coverage is the distance out to which the delivery ratio stays at or above a
 * level: where drivers can count on hearing the RSU (90 %), on every other message (50 %), and the
 * fringe (10 %). The Laoshan hour: SPAT 87 % in the first bin, 11 % at 200–225 m, none past 475 m,
 * while the nominal range is 613 m.
 */
import { parseCsv } from './csv.js';

/** Delivery levels drawn as rings, highest first. */
export const COVERAGE_LEVELS = [0.9, 0.5, 0.1] as const;

export interface CoverageBin {
  from: number;
  to: number;
  sent: number;
  received: number;
}

export interface Coverage {
  /** the message types pooled */
  types: string[];
  /** per 25 m bin (finite bins only), pooled over those types */
  bins: CoverageBin[];
  /** radius (m) out to which the pooled ratio stays at or above each of COVERAGE_LEVELS; 0 when the first bin is below it */
  radii: number[];
}

/** The RSU message types of v2x.csv (all but BSM, which vehicles send to each other). */
const isRsuType = (type: string) => type !== '' && type.toLowerCase() !== 'bsm';

/**
 * Reads v2x.csv. Throws a message naming the line and column when a number is not one (the file
 * is the run's own, but a damaged file must say where it is damaged).
 */
export function parseCoverage(text: string): Coverage {
  const t = parseCsv(text);
  const col = (name: string) => {
    const i = t.header.indexOf(name);
    if (i < 0) throw new Error(`v2x.csv: no column ${name}`);
    return i;
  };
  const [cType, cFrom, cTo, cSent, cRecv] = ['type', 'distanceFrom', 'distanceTo', 'sent', 'received'].map(col);
  const byBin = new Map<number, CoverageBin>();
  const types = new Set<string>();
  t.rows.forEach((r, k) => {
    if (!isRsuType(r[cType])) return;
    const num = (c: number, name: string) => {
      const v = r[c] === 'inf' ? Infinity : Number(r[c]);
      if (r[c] === '' || Number.isNaN(v)) throw new Error(`v2x.csv: line ${k + 2}: ${name} is not a number (${JSON.stringify(r[c])})`);
      return v;
    };
    const from = num(cFrom, 'distanceFrom');
    const to = num(cTo, 'distanceTo');
    if (!Number.isFinite(to)) return; // the open last bin says nothing about a radius
    types.add(r[cType]);
    const bin = byBin.get(from) ?? { from, to, sent: 0, received: 0 };
    bin.sent += num(cSent, 'sent');
    bin.received += num(cRecv, 'received');
    byBin.set(from, bin);
  });
  const bins = [...byBin.values()].sort((a, b) => a.from - b.from);
  return { types: [...types].sort(), bins, radii: COVERAGE_LEVELS.map((l) => radiusAt(bins, l)) };
}

/** The far edge of the last bin of the run of bins, from the RSU outwards, whose ratio is ≥ level. */
export function radiusAt(bins: CoverageBin[], level: number): number {
  let r = 0;
  for (const b of bins) {
    if (b.sent === 0) continue; // no receiver that far in this bin: no evidence either way
    if (b.received / b.sent < level) break;
    r = b.to;
  }
  return r;
}
