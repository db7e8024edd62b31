/**
 * Which junctions are signalised. OSM maps a signal either on the junction's node or, more
 * often at larger junctions, on each road a little before it (at the stop line of each
 * approach); a signalised pedestrian crossing is `highway=traffic_signals` or
 * `crossing=traffic_signals` (netconvert reads both as signals, and so does roadtwin). Rules,
 * netconvert's `--tls.guess-signals` ones:
 * - a junction is signalised when one of its nodes carries a signal, or a road next to it
 *   within JOIN_RADIUS of it (the radius within which nodes are one junction, cluster.ts), or
 *   when every road arriving at it carries one within SIGNAL_REACH (along the road) before it.
 *   One signal before
 *   a junction whose other approaches have none is a pedestrian crossing near a junction that
 *   gives way by priority, not that junction's signal;
 * - only a junction where three or more roads meet counts: a signal on a node where one way
 *   runs into the next, or in the middle of a block, is a pedestrian crossing. It is not
 *   imported, since the engine has no pedestrians to give it a reason to turn red;
 * - signalised junctions closer than SIGNAL_JOIN to each other are the corners of one
 *   intersection (two dual carriageways crossing meet at four nodes 11 to 21 m apart, each with
 *   its own signals): they become one junction with one signal plan, and are judged as one (the
 *   roads arriving from outside must have signals; the links between the corners need none).
 *   Run as separate junctions with plans that know nothing of each other, the short links
 *   between them fill up and lock: on Bad Hersfeld the gridlock removals were queues across
 *   such links.
 */
import { JOIN_RADIUS, mergeClusters, type Clustering } from './cluster.js';
import { piecesOf, runLength } from './pieces.js';
import type { OsmWay } from './read.js';

/** A signal on a road this close (m, along the road) before a junction is that approach's signal. */
export const SIGNAL_REACH = 30;

/** Signalised junctions closer than this (m, centre to centre) are one junction: netconvert's `--tls.join-dist` default. */
export const SIGNAL_JOIN = 20;

export interface SignalInput {
  ways: readonly OsmWay[];
  /** whether a node carries a traffic signal */
  isSignal: (id: number) => boolean;
  /** which ways of a way are driven */
  directions: (w: OsmWay) => { forward: boolean; backward: boolean };
  xyOf: (id: number) => [number, number];
}

export interface Signalised {
  /** the clustering with the corners of each signalised intersection joined */
  clustering: Clustering;
  /** its signalised clusters */
  signalled: Set<number>;
  /** signal nodes that signalise no junction (not imported) */
  strayed: number;
}

interface Judgement {
  /** a member node carries a signal, or a signal stands within JOIN_RADIUS of it or on a piece folded into it */
  tagged: Set<number>;
  /** per cluster: roads arriving, and of them those with a signal before the junction */
  arriving: Map<number, { all: number; signalled: number }>;
  /** per cluster: the other clusters it is linked to */
  linked: Map<number, Set<number>>;
  /** per signal node: the clusters it speaks for */
  speaksFor: Map<number, Set<number>>;
}

function judge(input: SignalInput, c: Clustering): Judgement {
  const { ways, isSignal, directions, xyOf } = input;
  const tagged = new Set<number>();
  const arriving = new Map<number, { all: number; signalled: number }>();
  const linked = new Map<number, Set<number>>();
  const speaksFor = new Map<number, Set<number>>();
  const speak = (node: number, cluster: number) => (speaksFor.get(node) ?? speaksFor.set(node, new Set()).get(node)!).add(cluster);
  const arrive = (cluster: number, signals: number[]) => {
    const a = arriving.get(cluster) ?? arriving.set(cluster, { all: 0, signalled: 0 }).get(cluster)!;
    a.all++;
    if (signals.length > 0) a.signalled++;
    for (const s of signals) speak(s, cluster);
  };
  for (const [id, k] of c.of) if (isSignal(id)) tagged.add(k), speak(id, k);
  for (const w of ways) {
    const dir = directions(w);
    for (const [first, last] of piecesOf(w, (id) => c.of.has(id))) {
      const a = c.of.get(w.refs[first])!;
      const b = c.of.get(w.refs[last])!;
      const inner: number[] = [];
      for (let k = first + 1; k < last; k++) if (isSignal(w.refs[k])) inner.push(k);
      if (a === b) {
        for (const k of inner) tagged.add(a), speak(w.refs[k], a);
        continue;
      }
      (linked.get(a) ?? linked.set(a, new Set()).get(a)!).add(b);
      (linked.get(b) ?? linked.set(b, new Set()).get(b)!).add(a);
      const toB = (k: number) => runLength(w, k, last, xyOf);
      const toA = (k: number) => runLength(w, first, k, xyOf);
      // a signal within the junction's own radius stands at the junction, as one on its node
      for (const k of inner) {
        if (toB(k) <= JOIN_RADIUS) tagged.add(b), speak(w.refs[k], b);
        if (toA(k) <= JOIN_RADIUS) tagged.add(a), speak(w.refs[k], a);
      }
      if (dir.forward) arrive(b, inner.filter((k) => toB(k) <= SIGNAL_REACH).map((k) => w.refs[k]));
      if (dir.backward) arrive(a, inner.filter((k) => toA(k) <= SIGNAL_REACH).map((k) => w.refs[k]));
    }
  }
  return { tagged, arriving, linked, speaksFor };
}

const isJunctionOfThree = (j: Judgement, k: number) => (j.linked.get(k)?.size ?? 0) >= 3;

function passes(j: Judgement, k: number): boolean {
  if (!isJunctionOfThree(j, k)) return false;
  if (j.tagged.has(k)) return true;
  const a = j.arriving.get(k);
  return a !== undefined && a.all > 0 && a.signalled === a.all;
}

/** A junction that may be part of a signalised intersection: a signal on it or before it on some road. */
const mayBeSignalised = (j: Judgement, k: number) => j.tagged.has(k) || (j.arriving.get(k)?.signalled ?? 0) > 0;

export function signalise(input: SignalInput, clusters: Clustering, centreOf: (c: Clustering, k: number) => [number, number]): Signalised {
  // the corners of one intersection are judged together: join the candidates, keep the joins that pass
  const first = judge(input, clusters);
  const candidates = new Set(clusters.members.map((_, k) => k).filter((k) => mayBeSignalised(first, k)));
  const groups = signalJoinGroups(candidates, (k) => centreOf(clusters, k));
  const trial = mergeClusters(clusters, groups);
  const onTrial = judge(input, trial.clustering);
  const kept = groups.filter((g) => passes(onTrial, trial.moved(g[0])));
  const final = mergeClusters(clusters, kept).clustering;
  const verdict = judge(input, final);
  const signalled = new Set(final.members.map((_, k) => k).filter((k) => passes(verdict, k)));
  let strayed = 0;
  for (const [, ks] of verdict.speaksFor) if (![...ks].some((k) => signalled.has(k))) strayed++;
  // signals on a way but in no junction's reach at all
  const counted = new Set(verdict.speaksFor.keys());
  const seen = new Set<number>();
  for (const w of input.ways) for (const r of w.refs) if (input.isSignal(r) && !counted.has(r) && !seen.has(r)) seen.add(r), strayed++;
  return { clustering: final, signalled, strayed };
}

/**
 * Groups of junctions closer than SIGNAL_JOIN to one another, transitively (single linkage, so
 * the four corners of a crossing join even where the diagonal is longer); only groups of two or
 * more. Deterministic: clusters are visited in index order.
 */
export function signalJoinGroups(signalled: ReadonlySet<number>, centreOf: (c: number) => [number, number]): number[][] {
  const list = [...signalled].sort((a, b) => a - b);
  const parent = list.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const pos = list.map(centreOf);
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++)
      if (Math.hypot(pos[j][0] - pos[i][0], pos[j][1] - pos[i][1]) < SIGNAL_JOIN) {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
  const groups = new Map<number, number[]>();
  list.forEach((c, i) => (groups.get(find(i)) ?? groups.set(find(i), []).get(find(i))!).push(c));
  return [...groups.values()].filter((g) => g.length > 1);
}
