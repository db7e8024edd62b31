/**
 * Finding a vehicle by what a user knows of it: its trace id, or the source id of its trip (the
 * `tripId` of trips.csv and of the depart events: the demand's id, e.g. an imported SUMO trip's),
 * with when it departed and arrived, so the viewer can jump to a time it is on the road.
 */
import type { CsvTable } from './csv.js';

export interface VehicleEntry {
  /** trace id */
  id: number;
  tripId: string | null;
  depart: number;
  /** NaN while it has not arrived (or the run ended first) */
  arrival: number;
  /** its `reroute` events (stuck at a lane end, turned onto `via` instead), in time order */
  reroutes: { time: number; lane: string; via: string }[];
}

export class VehicleIndex {
  private readonly byId = new Map<number, VehicleEntry>();
  private readonly byTrip = new Map<string, VehicleEntry>();

  private entry(id: number): VehicleEntry {
    let e = this.byId.get(id);
    if (!e) this.byId.set(id, (e = { id, tripId: null, depart: NaN, arrival: NaN, reroutes: [] }));
    return e;
  }

  private setTrip(e: VehicleEntry, tripId: string): void {
    if (!tripId) return;
    e.tripId = tripId;
    this.byTrip.set(tripId, e);
  }

  /** trips.csv: id, depart, arrival and (for demand with ids) tripId */
  addTrips(t: CsvTable): void {
    const c = (n: string) => t.header.indexOf(n);
    const [cId, cDep, cArr, cTrip] = [c('id'), c('depart'), c('arrival'), c('tripId')];
    if (cId < 0) return;
    for (const r of t.rows) {
      const id = Number(r[cId]);
      if (!Number.isInteger(id)) continue;
      const e = this.entry(id);
      if (cDep >= 0 && r[cDep] !== '') e.depart = Number(r[cDep]);
      if (cArr >= 0 && r[cArr] !== '') e.arrival = Number(r[cArr]);
      if (cTrip >= 0) this.setTrip(e, r[cTrip] ?? '');
    }
  }

  /** depart, arrive and reroute events of events.ndjson: every vehicle that entered, finished or not */
  addEvents(ndjson: string): void {
    for (const line of ndjson.split('\n')) {
      if (!line.includes('"depart"') && !line.includes('"arrive"') && !line.includes('"reroute"')) continue;
      try {
        const ev = JSON.parse(line) as { kind?: string; id?: number; time?: number; tripId?: string; lane?: string; via?: string };
        if (typeof ev.id !== 'number' || typeof ev.time !== 'number') continue;
        if (ev.kind === 'depart') {
          const e = this.entry(ev.id);
          e.depart = ev.time;
          if (typeof ev.tripId === 'string') this.setTrip(e, ev.tripId);
        } else if (ev.kind === 'arrive') this.entry(ev.id).arrival = ev.time;
        else if (ev.kind === 'reroute') this.entry(ev.id).reroutes.push({ time: ev.time, lane: String(ev.lane ?? ''), via: String(ev.via ?? '') });
      } catch {
        // a damaged line: skipped
      }
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** The vehicle a query names: a trip id exactly, else a trace id (digits, optionally '#'-prefixed). */
  find(query: string): VehicleEntry | null {
    const q = query.trim();
    if (!q) return null;
    const trip = this.byTrip.get(q);
    if (trip) return trip;
    const m = /^#?(\d+)$/.exec(q);
    return m ? (this.byId.get(Number(m[1])) ?? null) : null;
  }
}
