/**
 * The whole-run figures per place that the report shows, from the per-interval rows of
 * edges.csv and junctions.csv (docs/run-directory.md):
 *
 *   edge speed      Σ distance / Σ sampledSeconds, distance of an interval = meanSpeed · sampledSeconds
 *   edge delay      Σ timeLoss / Σ left (s per vehicle that left the edge)
 *   worst edges     by Σ timeLoss (vehicle-seconds lost on the edge), then delay per vehicle, then id
 *   movement delay  Σ count · delay / Σ count (count-weighted), its level of service from HCM's
 *                   control-delay bands (signalised or not, by the junction's control)
 *   worst movements and junctions  by that delay, then count, then ids
 *
 * Accumulators take one row at a time, so a large file is never held.
 */
import { ReportInputError, type ColumnSpec, type CsvRow } from './csv.js';

export const EDGE_COLUMNS: ColumnSpec[] = [
  { name: 'begin', kind: 'num' },
  { name: 'end', kind: 'num' },
  { name: 'edge', kind: 'str' },
  { name: 'sampledSeconds', kind: 'num' },
  { name: 'entered', kind: 'num' },
  { name: 'left', kind: 'num' },
  { name: 'flow', kind: 'num' },
  { name: 'density', kind: 'num' },
  { name: 'occupancy', kind: 'num' },
  { name: 'meanSpeed', kind: 'num?' },
  { name: 'waitingTime', kind: 'num' },
  { name: 'timeLoss', kind: 'num' },
  { name: 'travelTime', kind: 'num?' },
];

export const JUNCTION_COLUMNS: ColumnSpec[] = [
  { name: 'begin', kind: 'num' },
  { name: 'end', kind: 'num' },
  { name: 'junction', kind: 'str' },
  { name: 'from', kind: 'str' },
  { name: 'to', kind: 'str' },
  { name: 'count', kind: 'num' },
  { name: 'delay', kind: 'num?' },
  { name: 'los', kind: 'str' },
  { name: 'meanQueue', kind: 'num' },
  { name: 'maxQueue', kind: 'num' },
  { name: 'maxQueueLength', kind: 'num' },
];

export const SIGNAL_COLUMNS: ColumnSpec[] = [
  { name: 'time', kind: 'num' },
  { name: 'junction', kind: 'str' },
  { name: 'program', kind: 'str' },
  { name: 'phase', kind: 'str' },
  { name: 'state', kind: 'str' },
];

export interface EdgeStat {
  edge: string;
  sampledSeconds: number;
  /** m driven on the edge */
  distance: number;
  entered: number;
  left: number;
  /** veh·s */
  timeLoss: number;
  waitingTime: number;
  /** m/s, null when no vehicle was on the edge */
  meanSpeed: number | null;
  /** s/veh, null when no vehicle left the edge */
  delayPerVehicle: number | null;
  /** s, mean over the vehicles that left (left-weighted), null when none */
  meanTravelTime: number | null;
}

export class EdgeAccumulator {
  private readonly byEdge = new Map<string, { s: number; d: number; en: number; l: number; tl: number; w: number; tt: number; ttN: number }>();
  constructor(private readonly file: string) {}

  add(r: CsvRow, line: number): void {
    const sampled = r.sampledSeconds as number;
    const speed = r.meanSpeed as number | null;
    if (sampled < 0) throw new ReportInputError(`${this.file}:${line}: column sampledSeconds: negative (${sampled})`);
    if (speed === null && sampled > 0) throw new ReportInputError(`${this.file}:${line}: column meanSpeed: empty although sampledSeconds is ${sampled}`);
    const id = r.edge as string;
    let a = this.byEdge.get(id);
    if (!a) this.byEdge.set(id, (a = { s: 0, d: 0, en: 0, l: 0, tl: 0, w: 0, tt: 0, ttN: 0 }));
    a.s += sampled;
    if (speed !== null) a.d += speed * sampled;
    a.en += r.entered as number;
    const left = r.left as number;
    a.l += left;
    a.tl += r.timeLoss as number;
    a.w += r.waitingTime as number;
    const tt = r.travelTime as number | null;
    if (tt !== null && left > 0) {
      a.tt += tt * left;
      a.ttN += left;
    }
  }

  /** Every edge seen, in id order. */
  result(): EdgeStat[] {
    return [...this.byEdge.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([edge, a]) => ({
        edge,
        sampledSeconds: a.s,
        distance: a.d,
        entered: a.en,
        left: a.l,
        timeLoss: a.tl,
        waitingTime: a.w,
        meanSpeed: a.s > 0 ? a.d / a.s : null,
        delayPerVehicle: a.l > 0 ? a.tl / a.l : null,
        meanTravelTime: a.ttN > 0 ? a.tt / a.ttN : null,
      }));
  }
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The `n` edges that lost the most vehicle-time; only edges that lost any. */
export function worstEdges(stats: readonly EdgeStat[], n = 10): EdgeStat[] {
  return stats
    .filter((e) => e.timeLoss > 0)
    .sort((a, b) => b.timeLoss - a.timeLoss || (b.delayPerVehicle ?? 0) - (a.delayPerVehicle ?? 0) || byId(a.edge, b.edge))
    .slice(0, n);
}

export type Los = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
const LETTERS: Los[] = ['A', 'B', 'C', 'D', 'E', 'F'];
/** HCM control-delay bands (s/veh): the upper bound of A … E; above the last is F. */
const SIGNALISED = [10, 20, 35, 55, 80];
const UNSIGNALISED = [10, 15, 25, 35, 50];

/** Level of service of a control delay; `signalised` chooses HCM's signalised or unsignalised bands. */
export function levelOfService(delay: number, signalised: boolean): Los {
  const bands = signalised ? SIGNALISED : UNSIGNALISED;
  const k = bands.findIndex((b) => delay <= b);
  return LETTERS[k < 0 ? 5 : k];
}

export interface MovementStat {
  junction: string;
  from: string;
  to: string;
  /** vehicles that made the movement */
  count: number;
  /** s/veh, count-weighted over the intervals; null when none made it */
  delay: number | null;
  /** the level of service of `delay` (null without a delay or without the junction's control) */
  los: Los | null;
  /** the worst level of service an interval with vehicles had, as the file gives it */
  worstIntervalLos: Los | null;
  /** veh, time-weighted over the intervals */
  meanQueue: number;
  maxQueue: number;
  /** m */
  maxQueueLength: number;
}

export interface JunctionStat {
  junction: string;
  movements: number;
  count: number;
  delay: number | null;
  los: Los | null;
  maxQueue: number;
  maxQueueLength: number;
}

interface MovementSums {
  junction: string;
  from: string;
  to: string;
  count: number;
  delaySum: number;
  queueSum: number;
  span: number;
  maxQueue: number;
  maxQueueLength: number;
  worst: number;
}

export class MovementAccumulator {
  private readonly byKey = new Map<string, MovementSums>();
  constructor(private readonly file: string) {}

  add(r: CsvRow, line: number): void {
    const count = r.count as number;
    const delay = r.delay as number | null;
    const los = r.los as string;
    if (count < 0) throw new ReportInputError(`${this.file}:${line}: column count: negative (${count})`);
    if (delay === null && count > 0) throw new ReportInputError(`${this.file}:${line}: column delay: empty although count is ${count}`);
    const letter = LETTERS.indexOf(los as Los);
    if (los !== '' && letter < 0) throw new ReportInputError(`${this.file}:${line}: column los: expected a letter A to F, got ${JSON.stringify(los.slice(0, 20))}`);
    const span = (r.end as number) - (r.begin as number);
    if (!(span >= 0)) throw new ReportInputError(`${this.file}:${line}: column end: before begin`);
    const key = JSON.stringify([r.junction, r.from, r.to]);
    let m = this.byKey.get(key);
    if (!m) {
      m = { junction: r.junction as string, from: r.from as string, to: r.to as string, count: 0, delaySum: 0, queueSum: 0, span: 0, maxQueue: 0, maxQueueLength: 0, worst: -1 };
      this.byKey.set(key, m);
    }
    m.count += count;
    if (count > 0) {
      m.delaySum += count * (delay as number);
      if (letter > m.worst) m.worst = letter;
    }
    m.queueSum += (r.meanQueue as number) * span;
    m.span += span;
    m.maxQueue = Math.max(m.maxQueue, r.maxQueue as number);
    m.maxQueueLength = Math.max(m.maxQueueLength, r.maxQueueLength as number);
  }

  /** Every movement seen, by junction, from and to; `signalised(junction)` is undefined for a junction the network does not know. */
  result(signalised: (junction: string) => boolean | undefined): MovementStat[] {
    return [...this.byKey.values()]
      .sort((a, b) => byId(a.junction, b.junction) || byId(a.from, b.from) || byId(a.to, b.to))
      .map((m) => {
        const delay = m.count > 0 ? m.delaySum / m.count : null;
        const sig = signalised(m.junction);
        return {
          junction: m.junction,
          from: m.from,
          to: m.to,
          count: m.count,
          delay,
          los: delay === null || sig === undefined ? null : levelOfService(delay, sig),
          worstIntervalLos: m.worst >= 0 ? LETTERS[m.worst] : null,
          meanQueue: m.span > 0 ? m.queueSum / m.span : 0,
          maxQueue: m.maxQueue,
          maxQueueLength: m.maxQueueLength,
        };
      });
  }
}

/** The movements of each junction together: count-weighted delay, the largest queues. */
export function junctionStats(movements: readonly MovementStat[], signalised: (junction: string) => boolean | undefined): JunctionStat[] {
  const by = new Map<string, { movements: number; count: number; delaySum: number; maxQueue: number; maxQueueLength: number }>();
  for (const m of movements) {
    let j = by.get(m.junction);
    if (!j) by.set(m.junction, (j = { movements: 0, count: 0, delaySum: 0, maxQueue: 0, maxQueueLength: 0 }));
    j.movements++;
    j.count += m.count;
    if (m.delay !== null) j.delaySum += m.delay * m.count;
    j.maxQueue = Math.max(j.maxQueue, m.maxQueue);
    j.maxQueueLength = Math.max(j.maxQueueLength, m.maxQueueLength);
  }
  return [...by.entries()].map(([junction, j]) => {
    const delay = j.count > 0 ? j.delaySum / j.count : null;
    const sig = signalised(junction);
    return { junction, movements: j.movements, count: j.count, delay, los: delay === null || sig === undefined ? null : levelOfService(delay, sig), maxQueue: j.maxQueue, maxQueueLength: j.maxQueueLength };
  });
}

/** The `n` worst of movements or junctions with vehicles: by count-weighted delay, then count, then ids. */
export function worstByDelay<T extends { delay: number | null; count: number; junction: string; from?: string; to?: string }>(items: readonly T[], n = 10): T[] {
  return items
    .filter((m) => m.delay !== null)
    .sort((a, b) => b.delay! - a.delay! || b.count - a.count || byId(a.junction, b.junction) || byId(a.from ?? '', b.from ?? '') || byId(a.to ?? '', b.to ?? ''))
    .slice(0, n);
}

export interface SignalSummary {
  junctions: number;
  changes: number;
  programs: number;
}

export class SignalAccumulator {
  private readonly junctions = new Set<string>();
  private readonly programs = new Set<string>();
  private changes = 0;
  add(r: CsvRow): void {
    this.junctions.add(r.junction as string);
    this.programs.add(JSON.stringify([r.junction, r.program]));
    this.changes++;
  }
  result(): SignalSummary {
    return { junctions: this.junctions.size, changes: this.changes, programs: this.programs.size };
  }
}

/**
 * Every `stride`-th index of `n` points, the last included, so a chart gets at most `max`
 * points (a day at one row per second is 86,400 rows).
 */
export function sampleIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const stride = Math.ceil(n / max);
  const out: number[] = [];
  for (let i = 0; i < n; i += stride) out.push(i);
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}
