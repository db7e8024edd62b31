/**
 * The drone's power and mission time. Power after D'Andrea (2014), "Guest editorial: Can drones
 * deliver?" (IEEE T-ASE 11(3)): in forward flight P = (m_v + m_p)·g·v_a / (η·L/D) + P_avionics;
 * hovering, climbing and descending slowly are charged at the momentum-theory hover power
 * P = (m·g)^1.5 / sqrt(2·ρ·A) / η + P_avionics. Payload limit, radius and speeds are the
 * reference's (docs/logistics.md, "Unmanned logistics": 2.5 kg, ~5 km loaded, ~20 m/s, below 120 m).
 *
 * A mission: on the pad (padTime) → climb to cruise altitude → cruise the path → descend to the
 * drop height → hover while the parcel is lowered (dropTime) → climb → cruise back the same path →
 * descend to the pad → on the pad (padTime). Nothing flies on the pad, so it costs no energy.
 */
import type { DroneSpec } from '../spec/schema-logistics.js';

const G = 9.81;
/** air density at sea level, kg/m³ */
const RHO = 1.225;

export class DroneModel {
  /** The vertical legs of every mission, s: climb to cruise, descend to the drop height, climb back from it, land. */
  readonly legs: { readonly climb: number; readonly toDrop: number; readonly fromDrop: number; readonly land: number };

  constructor(readonly spec: DroneSpec) {
    const s = spec;
    this.legs = {
      climb: s.cruiseAltitude / s.climbRate,
      toDrop: (s.cruiseAltitude - s.dropAltitude) / s.descentRate,
      fromDrop: (s.cruiseAltitude - s.dropAltitude) / s.climbRate,
      land: s.cruiseAltitude / s.descentRate,
    };
  }

  /** Cruise power at airspeed, W, carrying `payload` kg. */
  cruisePower(payload: number): number {
    const s = this.spec;
    return ((s.mass + payload) * G * s.cruiseSpeed) / (s.efficiency * s.liftToDrag) + s.avionicsPower;
  }

  /** Hover (and vertical flight) power, W, carrying `payload` kg. */
  hoverPower(payload: number): number {
    const s = this.spec;
    return Math.pow((s.mass + payload) * G, 1.5) / Math.sqrt(2 * RHO * s.rotorArea) / s.efficiency + s.avionicsPower;
  }

  /** Usable energy per mission, Wh (the battery less its reserve). */
  get usableWh(): number {
    return this.spec.battery * (1 - this.spec.reserve);
  }

  /**
   * Plan of a mission over a path of `length` m each way with `payload` kg, in a wind of at most
   * `wind` m/s: assumed head-on both ways (vg = va − wind), so whatever its direction the flight
   * takes no longer and uses no more. Times in s, energy in Wh; null when the drone cannot make
   * headway.
   */
  plan(length: number, payload: number, wind: number): MissionPlan | null {
    const s = this.spec;
    const vg = s.cruiseSpeed - wind;
    if (vg <= 0) return null;
    const { climb, toDrop, fromDrop, land } = this.legs;
    const cruise = length / vg;
    const loaded = this.hoverPower(payload) * (climb + toDrop + s.dropTime) + this.cruisePower(payload) * cruise;
    const empty = this.hoverPower(0) * (fromDrop + land) + this.cruisePower(0) * cruise;
    const toDelivery = s.padTime + climb + cruise + toDrop + s.dropTime;
    return {
      toDelivery,
      total: toDelivery + fromDrop + cruise + land + s.padTime,
      energyWh: (loaded + empty) / 3600,
    };
  }
}

export interface MissionPlan {
  /** from leaving the pad queue to the parcel released, s */
  toDelivery: number;
  /** from leaving the pad queue to leaving the pad after landing, s */
  total: number;
  energyWh: number;
}
