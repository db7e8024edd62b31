/**
 * SUMO vType → roadtwin vehicle type. SUMO's two most used car-following models are roadtwin's
 * two: Krauss (SUMO's default; carFollowing: krauss with the type's sigma, SUMO's default 0.5)
 * and IDM. Both take the same parameters under other names: accel → accel, decel → decel,
 * tau → headway, minGap → minGap, plus length and maxSpeed; the IDM's exponent delta is 4 in
 * both. Types of another model keep these parameters and run as IDM, with a warning. Defaults
 * are SUMO's for a passenger car.
 */
import { CLASS_OF } from './classes.js';
import type { XmlElement } from './xml.js';
import type { Warnings } from './warnings.js';

export interface TypeOut {
  length: number;
  maxSpeed: number;
  accel: number;
  decel: number;
  headway: number;
  minGap: number;
  emergencyDecel?: number;
  class?: 'car' | 'bus' | 'truck' | 'van' | 'emergency';
  ignoresLaneClasses?: boolean;
  speedFactor?: number;
  speedDev?: number;
  carFollowing?: 'krauss';
  sigma?: number;
}

/** SUMO's passenger-car defaults (vehicle type attributes page). */
export const SUMO_DEFAULT_TYPE = { accel: 2.6, decel: 4.5, tau: 1.0, minGap: 2.5, length: 5, maxSpeed: 55.56, speedDev: 0.1, emergencyDecel: 9, sigma: 0.5 };
type ClassDefaults = typeof SUMO_DEFAULT_TYPE;

/**
 * What SUMO changes from the passenger car for other classes, when a vType does not say
 * (https://sumo.dlr.de/docs/Vehicle_Type_Parameter_Defaults.html): a bus without a length is 12 m
 * long in SUMO, not 5.
 */
const CLASS_DEFAULTS: Readonly<Record<string, Partial<ClassDefaults>>> = {
  bus: { length: 12, maxSpeed: 27.78, accel: 1.2, decel: 4, emergencyDecel: 7 },
  coach: { length: 14, maxSpeed: 27.78, accel: 2, decel: 4, emergencyDecel: 7, speedDev: 0.05 },
  truck: { length: 7.1, maxSpeed: 36.11, accel: 1.3, decel: 4, emergencyDecel: 7, speedDev: 0.05 },
  trailer: { length: 16.5, maxSpeed: 36.11, accel: 1.1, decel: 4, emergencyDecel: 7, speedDev: 0.05 },
  delivery: { length: 6.5, speedDev: 0.05 },
  emergency: { length: 6.5 },
  taxi: { speedDev: 0.05 },
  motorcycle: { length: 2.2, accel: 6, decel: 10, emergencyDecel: 10 },
  moped: { length: 2.1, maxSpeed: 16.67, accel: 1.1, decel: 7, emergencyDecel: 10 },
};
export const SUMO_DEFAULT_TYPE_ID = 'DEFAULT_VEHTYPE';


/** Attributes that only change how a vehicle looks or carries people: nothing to simulate. */
const COSMETIC = new Set(['id', 'color', 'guiShape', 'imgFile', 'osgFile', 'width', 'height', 'personCapacity', 'containerCapacity', 'boardingDuration', 'loadingDuration', 'emissionClass', 'mass', 'probability']);
const USED = new Set(['accel', 'decel', 'tau', 'minGap', 'length', 'maxSpeed', 'emergencyDecel', 'apparentDecel', 'speedFactor', 'speedDev', 'vClass', 'carFollowModel', 'sigma', 'delta']);

/** roadtwin type names may hold letters, digits, _ and -. */
export function typeName(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_') || 'type';
}

export function convertType(el: XmlElement, warnings: Warnings): TypeOut {
  const id = el.attrs.id ?? SUMO_DEFAULT_TYPE_ID;
  // carFollowing-<Model> children hold the model's parameters in older files
  const attrs: Record<string, string> = { ...el.attrs };
  for (const c of el.children) {
    if (c.name.startsWith('carFollowing-')) {
      Object.assign(attrs, c.attrs);
      attrs.carFollowModel = c.name.slice('carFollowing-'.length);
    } else if (c.name !== 'param') warnings.add(`vType child <${c.name}> is not supported; skipped`, id, `vtchild:${c.name}`);
  }
  const n = (k: string, d: number) => {
    const v = attrs[k] !== undefined ? Number(attrs[k]) : d;
    if (!Number.isFinite(v)) {
      warnings.add(`vType attributes that are not numbers take SUMO's default`, `${id}.${k}`);
      return d;
    }
    return v;
  };
  const model = attrs.carFollowModel ?? 'Krauss';
  // (SUMO's Krauss variants KraussOrig1 and KraussPS differ from Krauss in details roadtwin does not model)
  const krauss = model === 'Krauss' || model === 'KraussOrig1' || model === 'KraussPS';
  if (model !== 'IDM' && !krauss)
    warnings.add(`car-following model '${model}' runs as IDM with the type's accel, decel, tau and minGap`, id, `cfm:${model}`);
  if (model === 'KraussOrig1' || model === 'KraussPS') warnings.add(`car-following model '${model}' runs as Krauss`, id, `cfm:${model}`);
  if (!krauss && attrs.sigma !== undefined && Number(attrs.sigma) !== 0) warnings.add('driver imperfection sigma applies to Krauss drivers only; ignored', id);
  if (attrs.delta !== undefined && Number(attrs.delta) !== 4) warnings.add("IDM exponent delta other than 4 is not supported; 4 is used", id);
  if (attrs.apparentDecel !== undefined) warnings.add('apparentDecel is not supported; decel is used', id);
  for (const k of Object.keys(attrs))
    if (!COSMETIC.has(k) && !USED.has(k)) warnings.add(`vType attribute '${k}' is not supported; ignored`, id, `vtattr:${k}`);

  const vClass = attrs.vClass ?? 'passenger';
  const d: ClassDefaults = { ...SUMO_DEFAULT_TYPE, ...CLASS_DEFAULTS[vClass] };
  const out: TypeOut = {
    length: n('length', d.length),
    maxSpeed: n('maxSpeed', d.maxSpeed),
    accel: n('accel', d.accel),
    decel: n('decel', d.decel),
    headway: n('tau', d.tau),
    minGap: n('minGap', d.minGap),
  };
  if (krauss) {
    out.carFollowing = 'krauss';
    // (SUMO clips sigma to [0, 1] as roadtwin's schema does)
    const sigma = Math.min(1, Math.max(0, n('sigma', d.sigma)));
    if (sigma > 0) out.sigma = sigma;
  }
  // SUMO: at least decel; roadtwin's own default is max(9, decel), so only another value is written
  const emergencyDecel = Math.max(n('emergencyDecel', d.emergencyDecel), out.decel);
  if (attrs.emergencyDecel !== undefined || emergencyDecel !== Math.max(9, out.decel)) out.emergencyDecel = emergencyDecel;
  const cls: TypeOut['class'] = CLASS_OF[vClass];
  // SUMO's vClass ignoring may use every lane whatever its permissions: a car that ignores lane classes
  if (vClass === 'ignoring') out.ignoresLaneClasses = true;
  else if (!cls) warnings.add(`vehicle class '${vClass}' is not modelled; simulated as a car`, id, `vclass:${vClass}`);
  if (cls && cls !== 'car') out.class = cls;
  // speed factor: a number or norm(mean, dev[, min, max]) / normc(…)
  let factor = 1;
  let dev = d.speedDev;
  const sf = attrs.speedFactor?.trim();
  if (sf !== undefined) {
    const m = /^normc?\(\s*([-\d.eE+]+)\s*,\s*([-\d.eE+]+)\s*(?:,\s*([-\d.eE+]+)\s*,\s*([-\d.eE+]+)\s*)?\)$/.exec(sf);
    if (m) {
      factor = Number(m[1]);
      dev = Number(m[2]);
      // roadtwin draws the factor from a normal cut at two standard deviations (engine/traffic/departures.ts)
      const [lo, hi] = [Number(m[3]), Number(m[4])];
      if (m[3] !== undefined && (Math.abs(lo - (factor - 2 * dev)) > 1e-9 || Math.abs(hi - (factor + 2 * dev)) > 1e-9))
        warnings.add(`speedFactor bounds of normc(mean, dev, min, max) are not carried over: roadtwin cuts at mean ± 2 dev`, id);
    } else if (Number.isFinite(Number(sf))) factor = Number(sf);
    else warnings.add('speedFactor distributions other than norm(mean, dev) are not supported; 1 is used', id);
  }
  if (attrs.speedDev !== undefined) dev = n('speedDev', dev);
  if (factor > 0 && factor !== 1) out.speedFactor = factor;
  // SUMO's deviation is absolute (factor = mean + dev·z); roadtwin's is relative to the mean
  // (factor = mean·(1 + dev·z), engine/traffic/departures.ts), so it is dev / mean, at most 1
  if (dev > 0 && factor > 0) out.speedDev = Math.min(1, Math.round((dev / factor) * 1e6) / 1e6);
  return out;
}
