/**
 * The perception platform's drones on call (docs/perception.md, "Drones on call"): docks with
 * their drones; a report is verified by the free drone whose arrival over the reported place is
 * soonest. A mission is the logistics' drone model (engine/logistics/drone-model.ts): pad, climb,
 * cruise at airspeed less the planned head wind along the airspace's path around no-fly zones,
 * descend to the inspection height, look (`dropTime`), and back the same way. A drone at height
 * h with a camera of field of view φ sees a disc of radius r = h·tan(φ/2) below it; when the
 * report's place is off by more than r it searches outward in a spiral of swath 2r at airspeed,
 * which covers the disc of radius ρ in π(ρ² − r²)/(2r·v), up to ρ95 = 2.448·σ (the radius
 * holding 95 % of a circular normal error of σ per axis) or what its battery allows. Found: it
 * confirms the event; a search that ends without it either dismisses the report (a false event:
 * nothing there) or hands it to a response unit (a real event beyond the search).
 *
 * A drone back at its dock recharges what it used at `chargePower` before it flies again. The
 * perception's drones are a fleet of their own, also when the scenario has delivery drones at
 * the same docks (docs/perception.md, "Drones shared with deliveries").
 */
import type { DroneSpec } from '../spec/schema-logistics.js';
import { Airspace, pathLength } from '../logistics/airspace.js';
import { DroneModel } from '../logistics/drone-model.js';

/** The radius holding 95 % of a circular normal error: σ·√(−2 ln 0.05). */
export const R95_FACTOR = Math.sqrt(-2 * Math.log(0.05));

export interface Dock {
  id: string;
  x: number;
  y: number;
  /** per drone: when it is free again, s */
  freeAt: number[];
}

export type MissionOutcome = 'confirm' | 'dismiss' | 'handOver';

export interface Mission {
  index: number;
  event: number;
  dock: number;
  drone: number;
  purpose: 'verify';
  launched: number;
  /** the place it flies to (the report's, m) and when it arrives over it (before it looks), s */
  x: number;
  y: number;
  overAt: number;
  /** when it has looked (and searched): the outcome applies then */
  decideAt: number;
  /** when it is back on its dock's pad, s */
  backAt: number;
  outcome: MissionOutcome;
  /** whether the outcome has been applied */
  done: boolean;
  /** airborne time, s, and energy, Wh */
  flight: number;
  energyWh: number;
}

export interface DroneSettings {
  drone: DroneSpec;
  /** degrees */
  cameraFov: number;
  chargePower: number;
  wind: number;
}

/** Time to search outward from radius r to radius rho with a swath 2r at speed v (0 when rho ≤ r). */
export const searchTime = (r: number, rho: number, v: number): number => (rho <= r ? 0 : (Math.PI * (rho * rho - r * r)) / (2 * r * v));

export class DockFleet {
  readonly model: DroneModel;
  readonly footprint: number;
  readonly missions: Mission[] = [];

  constructor(
    readonly docks: Dock[],
    readonly settings: DroneSettings,
    readonly airspace: Airspace,
  ) {
    this.model = new DroneModel(settings.drone);
    this.footprint = settings.drone.dropAltitude * Math.tan((settings.cameraFov * Math.PI) / 360);
  }

  /**
   * The plan from dock d to (x, y): times in s from take-off, energy in Wh, null when the drone
   * cannot get there and back on its usable battery (or not at all).
   */
  plan(d: number, x: number, y: number): { toScene: number; back: number; flight: number; energyWh: number } | null {
    return this.planFrom(this.docks[d].x, this.docks[d].y, x, y);
  }

  /** The same plan from a dock that would stand at (x0, y0) (coverage.ts weighs new docks with it). */
  planFrom(x0: number, y0: number, x: number, y: number): { toScene: number; back: number; flight: number; energyWh: number } | null {
    const path = this.airspace.path(x0, y0, x, y);
    if (!path) return null;
    const p = this.model.plan(pathLength(path), 0, this.settings.wind);
    if (!p || p.energyWh > this.model.usableWh) return null;
    const pad = this.settings.drone.padTime;
    return { toScene: p.toDelivery, back: p.total - p.toDelivery, flight: p.total - 2 * pad, energyWh: p.energyWh };
  }

  /**
   * Sends the drone that is over (x, y) soonest to verify event `event` at time `now`. `err` is the
   * distance from the reported place to the event (Infinity: nothing there), `sigma` the report's
   * error per axis. Returns the mission, 'busy' when every dock that could reach the place has no
   * free drone, 'none' when no dock can.
   */
  send(now: number, event: number, x: number, y: number, err: number, sigma: number): Mission | 'busy' | 'none' {
    let best = -1;
    let bestDrone = -1;
    let bestPlan: ReturnType<DockFleet['plan']> = null;
    let reachable = false;
    for (let d = 0; d < this.docks.length; d++) {
      const p = this.plan(d, x, y);
      if (!p) continue;
      reachable = true;
      const free = this.docks[d].freeAt.findIndex((t) => t <= now);
      if (free < 0) continue;
      if (!bestPlan || p.toScene < bestPlan.toScene) {
        best = d;
        bestDrone = free;
        bestPlan = p;
      }
    }
    if (!bestPlan) return reachable ? 'busy' : 'none';
    const s = this.settings.drone;
    const r = this.footprint;
    const v = s.cruiseSpeed;
    const cruiseW = this.model.cruisePower(0);
    // the search its battery allows beyond the planned mission
    const spareS = ((this.model.usableWh - bestPlan.energyWh) * 3600) / cruiseW;
    const rhoMax = Math.max(r, Math.min(R95_FACTOR * sigma, Math.sqrt(r * r + (2 * r * v * spareS) / Math.PI)));
    let outcome: MissionOutcome;
    let search: number;
    if (err <= r) {
      outcome = 'confirm';
      search = 0;
    } else if (err <= rhoMax) {
      outcome = 'confirm';
      search = searchTime(r, err, v);
    } else {
      outcome = err === Infinity ? 'dismiss' : 'handOver';
      search = searchTime(r, rhoMax, v);
    }
    const energyWh = bestPlan.energyWh + (cruiseW * search) / 3600;
    const decideAt = now + bestPlan.toScene + search;
    const backAt = decideAt + bestPlan.back;
    this.docks[best].freeAt[bestDrone] = backAt + (energyWh * 3600) / this.settings.chargePower;
    const m: Mission = {
      index: this.missions.length,
      event,
      dock: best,
      drone: bestDrone,
      purpose: 'verify',
      launched: now,
      x,
      y,
      overAt: now + bestPlan.toScene - s.dropTime,
      decideAt,
      backAt,
      outcome,
      done: false,
      flight: bestPlan.flight + search,
      energyWh,
    };
    this.missions.push(m);
    return m;
  }

  /** Drones in the fleet. */
  get size(): number {
    return this.docks.reduce((n, d) => n + d.freeAt.length, 0);
  }
}
