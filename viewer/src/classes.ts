/**
 * How each entity class looks: size (metres: length along the heading, width, height) and
 * shape (vehicle-shapes.ts draws it; colour is always speed, never class). Road classes first, as the trace numbers them;
 * later classes (drones, robots) are looked up by name, anything unknown gets a generic marker.
 */
export interface ClassLook {
  name: string;
  length: number;
  width: number;
  height: number;
  /** 'box' for vehicles, 'drone' and 'robot' for the logistics kinds, 'generic' otherwise */
  shape: 'box' | 'drone' | 'robot' | 'generic';
}

const known: Record<string, Omit<ClassLook, 'name'>> = {
  car: { length: 4.5, width: 1.8, height: 1.5, shape: 'box' },
  bus: { length: 12, width: 2.55, height: 3.2, shape: 'box' },
  truck: { length: 10, width: 2.5, height: 3.6, shape: 'box' },
  van: { length: 6, width: 2.0, height: 2.4, shape: 'box' },
  emergency: { length: 5.5, width: 2.0, height: 2.2, shape: 'box' },
  drone: { length: 1.2, width: 1.2, height: 0.4, shape: 'drone' },
  robot: { length: 1.0, width: 0.7, height: 0.9, shape: 'robot' },
};

export function classLook(name: string): ClassLook {
  const k = known[name];
  return k ? { name, ...k } : { name, length: 1.6, width: 1.6, height: 1.6, shape: 'generic' };
}

