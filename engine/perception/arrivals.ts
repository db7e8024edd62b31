/**
 * When and where city events happen, second by second (docs/perception.md, "Arrivals"):
 * - on the road, a Poisson process per rate entry and edge whose intensity is the rate (per
 *   million vehicle-km) times the vehicle-km driven on the edge in that second (the speeds of the
 *   vehicles on it, sampled once per second), times the time-of-day factor;
 * - off the road, a Poisson process per area (events per hour), the place uniform on its disc;
 * - listed events (the scenario's `list` and CSV rows) at their times.
 * Every draw is counter-based (seed, second, entity, purpose), so an arrival depends only on the
 * state of the road at that second, never on the order anything is processed in.
 */
import type { EventsSpec } from '../spec/schema-perception.js';
import { cityEventKinds } from '../spec/schema-perception.js';
import type { Network } from '../road/network.js';
import { rand } from '../core/rng.js';
import type { KindFigures } from './kinds.js';

export const PURPOSE_EVENT_ROAD = 0x7e01;
export const PURPOSE_EVENT_ROAD_POS = 0x7e02;
export const PURPOSE_EVENT_AREA = 0x7e03;
export const PURPOSE_EVENT_AREA_R = 0x7e04;
export const PURPOSE_EVENT_AREA_A = 0x7e05;

/** A new event before it is placed on the road: kind index and where. */
export interface Birth {
  kind: number;
  /** listed events keep their id */
  id?: string;
  /** on-road: edge and start of the blocked section; off-road: edge −1 and the point */
  edge: number;
  pos: number;
  x: number;
  y: number;
}

type Profile = { at: number; factor: number }[] | undefined;

/** The factor of the last profile point at or before t (1 without a profile; 0 before its first point). */
export function profileFactor(profile: Profile, t: number): number {
  if (!profile || profile.length === 0) return 1;
  let f = 0;
  for (const p of profile) if (p.at <= t) f = p.factor;
  return f;
}

/** P(at least one arrival in a second) of a Poisson process of `perSecond` intensity. */
export const arrivalProbability = (perSecond: number): number => -Math.expm1(-perSecond);

export class Arrivals {
  /** per on-road rate entry: the edges it covers */
  private readonly roadEdges: Int32Array[];
  private readonly listed: { at: number; birth: Birth }[];
  /** the next listed event to come (checkpointed) */
  next = 0;

  constructor(
    private readonly spec: EventsSpec,
    private readonly net: Network,
    private readonly kinds: readonly KindFigures[],
    private readonly seed: number,
  ) {
    const all = Int32Array.from(net.edgeIds.map((_, i) => i));
    this.roadEdges = spec.onRoad.map((r) => (r.edges ? Int32Array.from(r.edges.map((id) => net.edgeIndex.get(id)!)) : all));
    this.listed = spec.list
      .map((e, i) => ({
        i,
        at: e.at,
        birth: {
          kind: cityEventKinds.indexOf(e.kind),
          ...(e.id !== undefined ? { id: e.id } : {}),
          edge: e.edge !== undefined ? net.edgeIndex.get(e.edge)! : -1,
          pos: e.pos ?? 0,
          x: e.x ?? 0,
          y: e.y ?? 0,
        },
      }))
      .sort((a, b) => a.at - b.at || a.i - b.i)
      .map(({ at, birth }) => ({ at, birth }));
  }

  /**
   * The events born in the second ending at `second` (its draws keyed by it), in a fixed order:
   * listed ones, then on-road by rate entry and edge, then areas. `vkm` is the vehicle-km driven
   * on each edge in that second.
   */
  born(second: number, vkm: Float64Array, out: Birth[]): void {
    while (this.next < this.listed.length && this.listed[this.next].at <= second) out.push({ ...this.listed[this.next++].birth });
    const E = this.net.edgeIds.length;
    this.spec.onRoad.forEach((r, ri) => {
      const f = profileFactor(r.profile, second);
      if (f === 0) return;
      const kind = cityEventKinds.indexOf(r.kind);
      const length = this.kinds[kind].length;
      for (const e of this.roadEdges[ri]) {
        if (vkm[e] <= 0) continue;
        const p = arrivalProbability((r.rate * f * vkm[e]) / 1e6);
        if (rand(this.seed, second, ri * E + e, PURPOSE_EVENT_ROAD) >= p) continue;
        const span = Math.max(0, this.net.edgeLength[e] - length);
        out.push({ kind, edge: e, pos: span * rand(this.seed, second, ri * E + e, PURPOSE_EVENT_ROAD_POS), x: 0, y: 0 });
      }
    });
    this.spec.areas.forEach((a, ai) => {
      const f = profileFactor(a.profile, second);
      if (f === 0) return;
      if (rand(this.seed, second, ai, PURPOSE_EVENT_AREA) >= arrivalProbability((a.rate * f) / 3600)) return;
      const r = a.radius * Math.sqrt(rand(this.seed, second, ai, PURPOSE_EVENT_AREA_R));
      const th = 2 * Math.PI * rand(this.seed, second, ai, PURPOSE_EVENT_AREA_A);
      out.push({ kind: cityEventKinds.indexOf(a.kind), edge: -1, pos: 0, x: a.x + r * Math.cos(th), y: a.y + r * Math.sin(th) });
    });
  }
}
