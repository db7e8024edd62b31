/**
 * Drone ports and their drones, as typed arrays (one slot per drone, the drones of a port
 * contiguous). Each tick: pads are granted (landings first, then take-offs, oldest waiter first,
 * ties by drone index), then every drone advances through its mission phases with the time of
 * the tick carried over from one phase to the next, so a mission takes exactly the time its
 * phases add up to (drone-model.ts), whatever the step.
 *
 * Separation near ports: a pad is a column of airspace held from the moment a drone is cleared
 * for take-off until it reaches cruise altitude, and from the start of its final descent until
 * it leaves the pad after touch-down; drones arriving while every pad is held wait in a holding
 * pattern above the port (hover power), first come first served.
 */
import type { DronePortSpec, LogisticsSpec } from '../spec/schema-logistics.js';
import { DroneModel } from './drone-model.js';
import { groundSpeed } from './wind.js';
import type { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { readArrays, readExact, sameCount, writeArrays } from './persist.js';
import { SharedArrays } from '../core/shared-arrays.js';

export const D_IDLE = 0;
export const D_WAIT_TAKEOFF = 1;
export const D_PAD_OUT = 2;
export const D_CLIMB_OUT = 3;
export const D_CRUISE_OUT = 4;
export const D_DESCEND_DROP = 5;
export const D_DROP = 6;
export const D_CLIMB_DROP = 7;
export const D_CRUISE_BACK = 8;
export const D_WAIT_LAND = 9;
export const D_DESCEND_LAND = 10;
export const D_PAD_IN = 11;
export const D_SWAP = 12;
export const dronePhaseNames = ['idle', 'waitTakeoff', 'padOut', 'climb', 'cruiseOut', 'descend', 'drop', 'climbBack', 'cruiseBack', 'holding', 'landing', 'padIn', 'swap'];

/** Waypoints a drone's path may have (start, corners of no-fly detours, destination). */
export const MAX_WAYPOINTS = 32;

/** Whether a phase holds a pad of the port. */
export const holdsPad = (phase: number): boolean => phase === D_PAD_OUT || phase === D_CLIMB_OUT || phase === D_DESCEND_LAND || phase === D_PAD_IN;

export interface DroneListener {
  delivered(drone: number, order: number, time: number): void;
  /** a drone that was waiting to take off gave its order back (its port was grounded by wind) */
  released(drone: number, order: number): void;
  /**
   * back on its pad after the mission that carried `order`: what it flew over ground (m, there
   * and back, detours around no-fly zones included) and the energy it used (Wh, in the wind it
   * met, holding for a pad included)
   */
  landed(drone: number, order: number, flown: number, energyWh: number): void;
}

export interface Port {
  id: string;
  index: number;
  x: number;
  y: number;
  hub: number;
  pads: number;
  swapTime: number;
  windLimit: number;
  firstDrone: number;
  drones: number;
}

export class DroneFleet {
  readonly model: DroneModel;
  readonly ports: Port[];
  readonly count: number;
  readonly port: Int32Array;
  readonly phase: Uint8Array;
  /** time left in a timed phase (pad, drop, swap), s */
  readonly left: Float64Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly heading: Float64Array;
  readonly speed: Float64Array;
  /** distance along the path, m, and the segment it is on */
  readonly along: Float64Array;
  readonly seg: Int32Array;
  readonly pathN: Int32Array;
  readonly px: Float64Array;
  readonly py: Float64Array;
  /** cumulative length of the path at each waypoint */
  readonly cum: Float64Array;
  readonly order: Int32Array;
  readonly payload: Float64Array;
  /** energy left in the battery, Wh */
  readonly battery: Float64Array;
  readonly waitSince: Float64Array;
  /** totals per drone: energy used (Wh), distance flown over ground (m), busy time (s) */
  readonly energyUsed: Float64Array;
  readonly flown: Float64Array;
  readonly busy: Float64Array;
  /** the order of the current mission (kept after the drop until it lands; −1: none), and the totals at its launch */
  readonly missionOrder: Int32Array;
  readonly missionFlown0: Float64Array;
  readonly missionWh0: Float64Array;
  /** lowest battery level any drone has reached, Wh */
  minBattery: number;
  /** highest altitude any drone has reached, m */
  maxAltitude = 0;
  /** most pads held at once at any port, over the pads it has (≤ 1 by construction) */
  maxPadShare = 0;
  readonly padsHeld: Int32Array;
  private readonly cruiseP: Float64Array;
  private readonly hoverP: Float64Array;

  /** every per-drone and per-port array, in shared memory (worker threads advance drones in place) */
  readonly arrays: SharedArrays;

  constructor(spec: LogisticsSpec, hubIndex: Map<string, number>, shared?: Record<string, SharedArrayBuffer>) {
    this.model = new DroneModel(spec.drone);
    const a = (this.arrays = new SharedArrays(shared));
    const d = spec.dronePortDefaults;
    let first = 0;
    this.ports = spec.dronePorts.map((p: DronePortSpec, index) => {
      const drones = p.drones ?? d.drones;
      const port: Port = {
        id: p.id,
        index,
        x: p.x,
        y: p.y,
        hub: hubIndex.get(p.hub) ?? -1,
        pads: p.pads ?? d.pads,
        swapTime: p.swapTime ?? d.swapTime,
        windLimit: p.windLimit ?? d.windLimit,
        firstDrone: first,
        drones,
      };
      first += drones;
      return port;
    });
    const n = (this.count = first);
    this.port = a.i32('port', n);
    this.phase = a.u8('phase', n);
    this.left = a.f64('left', n);
    this.x = a.f64('x', n);
    this.y = a.f64('y', n);
    this.z = a.f64('z', n);
    this.heading = a.f64('heading', n);
    this.speed = a.f64('speed', n);
    this.along = a.f64('along', n);
    this.seg = a.i32('seg', n);
    this.pathN = a.i32('pathN', n);
    this.px = a.f64('px', n * MAX_WAYPOINTS);
    this.py = a.f64('py', n * MAX_WAYPOINTS);
    this.cum = a.f64('cum', n * MAX_WAYPOINTS);
    this.order = a.i32('order', n, -1);
    this.payload = a.f64('payload', n);
    this.battery = a.f64('battery', n, spec.drone.battery);
    this.waitSince = a.f64('waitSince', n);
    this.energyUsed = a.f64('energyUsed', n);
    this.flown = a.f64('flown', n);
    this.busy = a.f64('busy', n);
    this.missionOrder = a.i32('missionOrder', n, -1);
    this.missionFlown0 = a.f64('missionFlown0', n);
    this.missionWh0 = a.f64('missionWh0', n);
    this.padsHeld = a.i32('padsHeld', this.ports.length);
    this.minBattery = spec.drone.battery;
    for (const p of a.isView ? [] : this.ports)
      for (let k = p.firstDrone; k < p.firstDrone + p.drones; k++) {
        this.port[k] = p.index;
        this.x[k] = p.x;
        this.y[k] = p.y;
      }
    // power by payload is looked up per drone per phase: precompute loaded and empty per drone on launch
    this.cruiseP = a.f64('cruiseP', n);
    this.hoverP = a.f64('hoverP', n);
  }

  /** The first idle drone of a port, or −1. */
  idleDrone(port: number): number {
    const p = this.ports[port];
    for (let k = p.firstDrone; k < p.firstDrone + p.drones; k++) if (this.phase[k] === D_IDLE) return k;
    return -1;
  }

  /** Loads `order` onto drone k and queues it for take-off along `path` ([x0, y0, …], port first). */
  launch(k: number, order: number, payload: number, path: readonly number[], time: number): void {
    const n = path.length / 2;
    if (n > MAX_WAYPOINTS) throw new Error(`a drone path of ${n} waypoints exceeds ${MAX_WAYPOINTS}`);
    const o = k * MAX_WAYPOINTS;
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (i > 0) c += Math.hypot(path[2 * i] - path[2 * i - 2], path[2 * i + 1] - path[2 * i - 1]);
      this.px[o + i] = path[2 * i];
      this.py[o + i] = path[2 * i + 1];
      this.cum[o + i] = c;
    }
    this.pathN[k] = n;
    this.order[k] = order;
    this.missionOrder[k] = order;
    this.missionFlown0[k] = this.flown[k];
    this.missionWh0[k] = this.energyUsed[k];
    this.payload[k] = payload;
    this.phase[k] = D_WAIT_TAKEOFF;
    this.waitSince[k] = time;
    this.setPower(k);
  }

  private setPower(k: number): void {
    this.cruiseP[k] = this.model.cruisePower(this.payload[k]);
    this.hoverP[k] = this.model.hoverPower(this.payload[k]);
  }

  /**
   * Grants pads and advances every drone by dt from `time`, in wind (wx, wy) m/s. A port whose
   * wind is above its limit launches nothing, and its drones waiting to take off give their
   * orders back; drones in the air still come home and land.
   */
  step(time: number, dt: number, wx: number, wy: number, listener: DroneListener): void {
    this.grant(Math.hypot(wx, wy), listener);
    this.advanceRange(0, this.count, time, dt, wx, wy, listener, this.extremes);
    this.takeExtremes(this.extremes);
  }

  /** Grants pads at every port (serial: a port's drones compete for its pads); in wind above a port's limit it launches nothing. */
  grant(wind: number, listener: DroneListener): void {
    for (const p of this.ports) this.grantPads(p, wind > p.windLimit, listener);
  }

  /**
   * Advances drones k0..k1 − 1 by dt from `time`, after grant(). A drone's flight reads and
   * writes only its own arrays, so ranges can run on different threads; what they tell the
   * listener is replayed in drone order (parallel.ts), and the range's highest altitude and lowest
   * battery go to `extremes` ([max altitude, min battery], combined by max and min).
   */
  advanceRange(k0: number, k1: number, time: number, dt: number, wx: number, wy: number, listener: DroneListener, extremes: Float64Array): void {
    for (let k = k0; k < k1; k++) {
      if (this.phase[k] === D_IDLE) continue;
      this.busy[k] += dt;
      this.advance(k, time, dt, wx, wy, listener);
      if (this.z[k] > extremes[0]) extremes[0] = this.z[k];
      if (this.battery[k] < extremes[1]) extremes[1] = this.battery[k];
    }
  }

  /** Folds a range's extremes into the fleet's and resets them. */
  takeExtremes(extremes: Float64Array): void {
    if (extremes[0] > this.maxAltitude) this.maxAltitude = extremes[0];
    if (extremes[1] < this.minBattery) this.minBattery = extremes[1];
    extremes[0] = -Infinity;
    extremes[1] = Infinity;
  }

  private readonly extremes = Float64Array.of(-Infinity, Infinity);

  private grantPads(p: Port, grounded: boolean, listener: DroneListener): void {
    const end = p.firstDrone + p.drones;
    let held = 0;
    for (let k = p.firstDrone; k < end; k++) if (holdsPad(this.phase[k])) held++;
    // landings first: a drone in the air has a battery running down
    while (held < p.pads) {
      const k = this.oldest(p, D_WAIT_LAND);
      if (k < 0) break;
      this.phase[k] = D_DESCEND_LAND;
      held++;
    }
    for (let k = p.firstDrone; k < end; k++) {
      if (this.phase[k] !== D_WAIT_TAKEOFF || !grounded) continue;
      const order = this.order[k];
      this.phase[k] = D_IDLE;
      this.order[k] = -1;
      this.missionOrder[k] = -1;
      this.payload[k] = 0;
      listener.released(k, order);
    }
    while (held < p.pads) {
      const k = this.oldest(p, D_WAIT_TAKEOFF);
      if (k < 0) break;
      this.phase[k] = D_PAD_OUT;
      this.left[k] = this.model.spec.padTime;
      held++;
    }
    this.padsHeld[p.index] = held;
    if (held / p.pads > this.maxPadShare) this.maxPadShare = held / p.pads;
  }

  private oldest(p: Port, phase: number): number {
    let best = -1;
    for (let k = p.firstDrone; k < p.firstDrone + p.drones; k++)
      if (this.phase[k] === phase && (best < 0 || this.waitSince[k] < this.waitSince[best])) best = k;
    return best;
  }

  private advance(k: number, time: number, dt: number, wx: number, wy: number, listener: DroneListener): void {
    const s = this.model.spec;
    const o = k * MAX_WAYPOINTS;
    let t = dt;
    let used = 0;
    while (t > 1e-12) {
      const ph = this.phase[k];
      if (ph === D_WAIT_TAKEOFF || ph === D_IDLE) {
        this.speed[k] = 0;
        break;
      }
      if (ph === D_WAIT_LAND) {
        // holding above the port
        used += this.hoverP[k] * t;
        this.speed[k] = 0;
        break;
      }
      if (ph === D_PAD_OUT || ph === D_PAD_IN || ph === D_SWAP || ph === D_DROP) {
        const u = t < this.left[k] ? t : this.left[k];
        if (ph === D_DROP) used += this.hoverP[k] * u;
        this.left[k] -= u;
        t -= u;
        this.speed[k] = 0;
        if (this.left[k] > 1e-12) break;
        if (ph === D_PAD_OUT) this.phase[k] = D_CLIMB_OUT;
        else if (ph === D_DROP) {
          listener.delivered(k, this.order[k], time + dt - t);
          this.order[k] = -1;
          this.payload[k] = 0;
          this.setPower(k);
          this.phase[k] = D_CLIMB_DROP;
        } else if (ph === D_PAD_IN) {
          this.phase[k] = D_SWAP;
          this.left[k] = this.ports[this.port[k]].swapTime;
          // this step's energy is booked below: count it in (nothing on the pad costs any)
          listener.landed(k, this.missionOrder[k], this.flown[k] - this.missionFlown0[k], this.energyUsed[k] + used / 3600 - this.missionWh0[k]);
          this.missionOrder[k] = -1;
        } else {
          // battery swapped: a full one
          this.battery[k] = s.battery;
          this.phase[k] = D_IDLE;
        }
        continue;
      }
      if (ph === D_CLIMB_OUT || ph === D_CLIMB_DROP || ph === D_DESCEND_DROP || ph === D_DESCEND_LAND) {
        const up = ph === D_CLIMB_OUT || ph === D_CLIMB_DROP;
        const target = up ? s.cruiseAltitude : ph === D_DESCEND_DROP ? s.dropAltitude : 0;
        const rate = up ? s.climbRate : s.descentRate;
        const need = Math.abs(target - this.z[k]) / rate;
        const u = t < need ? t : need;
        used += this.hoverP[k] * u;
        t -= u;
        this.speed[k] = rate;
        if (u < need) {
          this.z[k] += up ? rate * u : -rate * u;
          break;
        }
        this.z[k] = target;
        if (ph === D_CLIMB_OUT) {
          this.phase[k] = D_CRUISE_OUT;
          this.along[k] = 0;
          this.seg[k] = 0;
        } else if (ph === D_DESCEND_DROP) {
          this.phase[k] = D_DROP;
          this.left[k] = s.dropTime;
        } else if (ph === D_CLIMB_DROP) {
          this.phase[k] = D_CRUISE_BACK;
          this.seg[k] = this.pathN[k] - 2;
        } else {
          this.phase[k] = D_PAD_IN;
          this.left[k] = s.padTime;
        }
        continue;
      }
      // cruise, out (along grows) or back (along shrinks), one segment at a time
      const out = ph === D_CRUISE_OUT;
      const i = this.seg[k];
      const len = this.cum[o + i + 1] - this.cum[o + i];
      let ux = len > 0 ? (this.px[o + i + 1] - this.px[o + i]) / len : 1;
      let uy = len > 0 ? (this.py[o + i + 1] - this.py[o + i]) / len : 0;
      if (!out) {
        ux = -ux;
        uy = -uy;
      }
      const vg = groundSpeed(s.cruiseSpeed, ux, uy, wx, wy);
      const rest = out ? this.cum[o + i + 1] - this.along[k] : this.along[k] - this.cum[o + i];
      const need = vg > 0 ? rest / vg : Infinity;
      const u = t < need ? t : need;
      used += this.cruiseP[k] * u;
      t -= u;
      this.heading[k] = Math.atan2(uy, ux);
      this.speed[k] = vg;
      if (u < need) {
        this.along[k] += out ? vg * u : -vg * u;
        this.flown[k] += vg * u;
      } else {
        this.flown[k] += rest;
        if (out) {
          this.along[k] = this.cum[o + i + 1];
          if (i + 2 < this.pathN[k]) this.seg[k] = i + 1;
          else this.phase[k] = D_DESCEND_DROP;
        } else {
          this.along[k] = this.cum[o + i];
          if (i > 0) this.seg[k] = i - 1;
          else {
            this.phase[k] = D_WAIT_LAND;
            this.waitSince[k] = time + dt - t;
          }
        }
      }
    }
    const wh = used / 3600;
    this.battery[k] -= wh;
    this.energyUsed[k] += wh;
    this.place(k);
  }

  /** x, y from the phase and the distance along the path. */
  private place(k: number): void {
    const o = k * MAX_WAYPOINTS;
    const ph = this.phase[k];
    if (ph === D_CRUISE_OUT || ph === D_CRUISE_BACK) {
      const i = this.seg[k];
      const len = this.cum[o + i + 1] - this.cum[o + i];
      const f = len > 0 ? (this.along[k] - this.cum[o + i]) / len : 0;
      this.x[k] = this.px[o + i] + (this.px[o + i + 1] - this.px[o + i]) * f;
      this.y[k] = this.py[o + i] + (this.py[o + i + 1] - this.py[o + i]) * f;
    } else if (ph === D_DESCEND_DROP || ph === D_DROP || ph === D_CLIMB_DROP) {
      const last = o + this.pathN[k] - 1;
      this.x[k] = this.px[last];
      this.y[k] = this.py[last];
    } else {
      const p = this.ports[this.port[k]];
      this.x[k] = p.x;
      this.y[k] = p.y;
    }
  }

  /** Every per-drone and per-port array that changes during a run (ports and their drones come from the scenario). */
  private mutable(): Record<string, Float64Array | Int32Array | Uint8Array> {
    const { phase, left, x, y, z, heading, speed, along, seg, pathN, px, py, cum, order, payload, battery, waitSince, energyUsed, flown, busy, missionOrder, missionFlown0, missionWh0, padsHeld, cruiseP, hoverP } = this;
    return { phase, left, x, y, z, heading, speed, along, seg, pathN, px, py, cum, order, payload, battery, waitSince, energyUsed, flown, busy, missionOrder, missionFlown0, missionWh0, padsHeld, cruiseP, hoverP };
  }

  /** Checkpoints: every drone's mission, position, battery and totals, and the fleet's extremes. */
  snapshot(w: SnapshotWriter): void {
    w.json('drones.meta', { count: this.count, ports: this.ports.length });
    writeArrays(w, 'drones', this.mutable());
    w.typed('drones.extremes', Float64Array.of(this.minBattery, this.maxAltitude, this.maxPadShare));
  }

  restore(r: SnapshotReader): void {
    const m = r.json<{ count: number; ports: number }>('drones.meta');
    sameCount('drones', m.count, this.count);
    sameCount('drone ports', m.ports, this.ports.length);
    readArrays(r, 'drones', this.mutable());
    const e = new Float64Array(3);
    readExact(r, 'drones.extremes', e, 3);
    [this.minBattery, this.maxAltitude, this.maxPadShare] = e;
  }

  /** Drones away from their dock (in a mission phase other than idle), now. */
  get out(): number {
    let n = 0;
    for (let k = 0; k < this.count; k++) if (this.phase[k] !== D_IDLE) n++;
    return n;
  }
}
