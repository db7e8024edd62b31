/**
 * What metrics.json sums over the finished trips (trips.csv): waiting and stops over all, and per
 * vehicle type the trips, travel time, time lost and waiting (`traffic.byType`: a bus's delay
 * against a car's, an emergency vehicle's travel time). Plain numbers only: the writer's
 * checkpoint carries them as they are.
 */
export interface TypeTrips {
  trips: number;
  travelSum: number;
  timeLossSum: number;
  waitingSum: number;
  stops: number;
}

export interface TripStats {
  count: number;
  waitingSum: number;
  haltsSum: number;
  /** by vehicle type name (absent in a checkpoint of an older run: its types start at zero) */
  byType?: Record<string, TypeTrips>;
}

export const emptyTripStats = (): TripStats => ({ count: 0, waitingSum: 0, haltsSum: 0, byType: {} });

/** Adds one finished trip. */
export function addTrip(s: TripStats, e: { type: string; time: number; depart: number; waitingTime: number; stops: number; timeLoss: number }): void {
  s.count++;
  s.waitingSum += e.waitingTime;
  s.haltsSum += e.stops;
  const t = ((s.byType ??= {})[e.type] ??= { trips: 0, travelSum: 0, timeLossSum: 0, waitingSum: 0, stops: 0 });
  t.trips++;
  t.travelSum += e.time - e.depart;
  t.timeLossSum += e.timeLoss;
  t.waitingSum += e.waitingTime;
  t.stops += e.stops;
}

/** A deep copy, for a checkpoint. */
export const copyTripStats = (s: TripStats): TripStats => ({ ...s, byType: Object.fromEntries(Object.entries(s.byType ?? {}).map(([k, v]) => [k, { ...v }])) });

const r = (x: number) => Math.round(x * 100) / 100;

/** metrics.json's `traffic.byType`: per type with finished trips, in name order. */
export function byTypeMetrics(s: TripStats): Record<string, { trips: number; meanTravelTime: number; meanTimeLoss: number; meanWaitingTime: number; stops: number }> {
  const out: Record<string, { trips: number; meanTravelTime: number; meanTimeLoss: number; meanWaitingTime: number; stops: number }> = {};
  for (const name of Object.keys(s.byType ?? {}).sort()) {
    const t = s.byType![name];
    out[name] = { trips: t.trips, meanTravelTime: r(t.travelSum / t.trips), meanTimeLoss: r(t.timeLossSum / t.trips), meanWaitingTime: r(t.waitingSum / t.trips), stops: t.stops };
  }
  return out;
}
