/**
 * How each entity class looks: size (metres: length along the heading, width, height), colour
 * when coloured by class, and whether it flies. Road classes first, as the trace numbers them;
 * later classes (drones, robots) are looked up by name, anything unknown gets a generic marker.
 */
export interface ClassLook {
  name: string;
  length: number;
  width: number;
  height: number;
  colour: number;
  /** 'box' for vehicles, 'drone' and 'robot' for the logistics kinds, 'generic' otherwise */
  shape: 'box' | 'drone' | 'robot' | 'generic';
}

const known: Record<string, Omit<ClassLook, 'name'>> = {
  car: { length: 4.5, width: 1.8, height: 1.5, colour: 0x4f8ff7, shape: 'box' },
  bus: { length: 12, width: 2.55, height: 3.2, colour: 0xf2b705, shape: 'box' },
  truck: { length: 10, width: 2.5, height: 3.6, colour: 0x9b6b43, shape: 'box' },
  van: { length: 6, width: 2.0, height: 2.4, colour: 0x2bb5a0, shape: 'box' },
  emergency: { length: 5.5, width: 2.0, height: 2.2, colour: 0xe8413c, shape: 'box' },
  drone: { length: 1.2, width: 1.2, height: 0.4, colour: 0xd45ad6, shape: 'drone' },
  robot: { length: 1.0, width: 0.7, height: 0.9, colour: 0xff8c1a, shape: 'robot' },
};

export function classLook(name: string): ClassLook {
  const k = known[name];
  return k ? { name, ...k } : { name, length: 1.6, width: 1.6, height: 1.6, colour: 0xbbbbbb, shape: 'generic' };
}

/** Speed colour ramp: red (stopped) → amber → green at `vmax` m/s and above. */
export function speedColour(v: number, vmax: number, out: { r: number; g: number; b: number }): void {
  const f = Math.max(0, Math.min(1, v / vmax));
  if (f < 0.5) {
    out.r = 0.9;
    out.g = 0.15 + f * 2 * 0.65;
    out.b = 0.12;
  } else {
    out.r = 0.9 - (f - 0.5) * 2 * 0.75;
    out.g = 0.8;
    out.b = 0.12 + (f - 0.5) * 2 * 0.2;
  }
}

export const SPEED_SCALE_MAX = 20;
