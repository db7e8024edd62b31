/**
 * All the vehicle types of an import: every vType of the files (used or not, they are the
 * user's) as a roadtwin vehicle type, every vTypeDistribution as a `vehicleTypeDistributions`
 * entry of its members' weights, and the answer to "which scenario type does a vehicle naming
 * this SUMO type get" — a type name, a distribution name (the engine draws per vehicle), or none
 * when the type cannot be simulated.
 */
import { UNSIMULATED_CLASSES } from './classes.js';
import { convertType, SUMO_DEFAULT_TYPE_ID, typeName, type TypeOut } from './convert-types.js';
import type { SumoDemand } from './routes.js';
import type { Warnings } from './warnings.js';

export type TypeResolution = { name: string } | { skip: string };

export interface TypeTable {
  vehicleTypes: Record<string, TypeOut>;
  distributions: Record<string, Record<string, number>>;
  /** what a vehicle whose `type` is `sumoType` (absent: SUMO's default) becomes */
  resolve(sumoType: string | undefined): TypeResolution;
  /** adds SUMO's default type when a vehicle used it, or when there is no type at all */
  finish(used: ReadonlySet<string>): void;
}

export function buildTypeTable(d: SumoDemand, warnings: Warnings): TypeTable {
  const vehicleTypes: Record<string, TypeOut> = {};
  const unsimulated = new Map<string, string>(); // SUMO type id → its class
  const known = new Set<string>();
  for (const el of d.vTypes) {
    const id = el.attrs.id ?? SUMO_DEFAULT_TYPE_ID;
    const vClass = el.attrs.vClass ?? 'passenger';
    if (UNSIMULATED_CLASSES.has(vClass)) {
      warnings.add(`vehicle types of class '${vClass}' cannot be simulated by roadtwin; skipped with their vehicles`, id, `unsim:${vClass}`);
      unsimulated.set(id, vClass);
      continue;
    }
    const name = typeName(id);
    if (name !== id) warnings.add('vType ids are renamed to letters, digits, _ and -', id);
    known.add(id);
    vehicleTypes[name] = convertType(el, warnings);
  }

  const distributions: Record<string, Record<string, number>> = {};
  const distNames = new Map<string, string | null>(); // SUMO id → scenario name, null: nothing simulable in it
  for (const dist of d.distributions) {
    const weights: Record<string, number> = {};
    for (const m of dist.members) {
      if (unsimulated.has(m.type)) continue; // warned with the type
      if (!known.has(m.type)) {
        warnings.add('vTypeDistribution members naming an unknown vType are left out', `${dist.id}/${m.type}`);
        continue;
      }
      if (m.weight === 0) continue; // never drawn, as in SUMO
      const name = typeName(m.type);
      weights[name] = (weights[name] ?? 0) + m.weight;
    }
    const name = typeName(dist.id);
    if (name !== dist.id) warnings.add('vTypeDistribution ids are renamed to letters, digits, _ and -', dist.id);
    if (Object.keys(weights).length === 0) {
      warnings.add('vTypeDistributions without a type roadtwin can simulate are skipped with their vehicles', dist.id);
      distNames.set(dist.id, null);
      continue;
    }
    distributions[name] = weights;
    distNames.set(dist.id, name);
  }

  return {
    vehicleTypes,
    distributions,
    resolve(sumoType) {
      const id = sumoType ?? SUMO_DEFAULT_TYPE_ID;
      const dist = distNames.get(id);
      if (dist !== undefined) return dist === null ? { skip: 'of a vTypeDistribution without a type roadtwin can simulate' } : { name: dist };
      if (known.has(id) || id === SUMO_DEFAULT_TYPE_ID) return { name: typeName(id) };
      const cls = unsimulated.get(id);
      if (cls !== undefined) return { skip: `of a vehicle class roadtwin cannot simulate (${cls})` };
      return { skip: 'with an unknown vType' };
    },
    finish(used) {
      if (used.has(SUMO_DEFAULT_TYPE_ID) && !vehicleTypes[SUMO_DEFAULT_TYPE_ID])
        vehicleTypes[SUMO_DEFAULT_TYPE_ID] = convertType({ name: 'vType', attrs: { id: SUMO_DEFAULT_TYPE_ID }, children: [] }, warnings);
      if (Object.keys(vehicleTypes).length === 0)
        vehicleTypes[SUMO_DEFAULT_TYPE_ID] = convertType({ name: 'vType', attrs: { id: SUMO_DEFAULT_TYPE_ID, carFollowModel: 'IDM' }, children: [] }, warnings);
    },
  };
}
