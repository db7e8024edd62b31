// Importing the two real SUMO scenarios of bench/validation/scenarios (DLR-TS/sumo-scenarios).
// The vehicle counts are what SUMO 1.15.0 reports for the same configs (`sumo -c … 
// --duration-log.statistics true`): Bologna Pasubio "Inserted: 8776", Hamburg TAVF
// "Inserted: 7075 (Loaded: 7120)" — SUMO loads every vehicle departing before end + one step
// (1,201 s), and the import takes the ones SUMO loads. SUMO itself is not needed here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importSumo } from './import.js';
import { scenarioSchema } from '../../spec/schema.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const scenarios = join(root, 'bench', 'validation', 'scenarios');

/** The normal (non-internal) lanes that admit buses only, straight from the net's text: edge → SUMO lane indices. */
function busOnlyLanes(netText: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of netText.matchAll(/<lane id="([^":][^"]*)_(\d+)" index="\d+" allow="bus"/g)) out.set(m[1], [...(out.get(m[1]) ?? []), Number(m[2])]);
  return out;
}

function tripsOf(s: ReturnType<typeof importSumo>['scenario']) {
  return s.demand.flatMap((d) => ('trips' in d ? d.trips : []));
}

describe('Bologna Pasubio (run.sumocfg: vTypeDistribution, bus lanes, bus stops, buses, loops, tls in an additional file)', () => {
  const dir = join(scenarios, 'bologna-pasubio');
  const imported = importSumo({ config: join(dir, 'run.sumocfg') });
  const trips = tripsOf(imported.scenario);

  it('imports every vehicle SUMO loads: 8,664 cars of two distributions and 112 buses', () => {
    expect(imported.counts.trips).toBe(8776);
    const byType = new Map<string, number>();
    for (const t of trips) byType.set(t.type, (byType.get(t.type) ?? 0) + 1);
    expect(Object.fromEntries(byType)).toEqual({ private: 8133, ignoring: 531, bus: 112 });
    expect(new Set(trips.map((t) => t.id)).size).toBe(8776); // SUMO's ids, kept
    expect(scenarioSchema.safeParse(imported.scenario).success).toBe(true);
  });

  it('the vTypeDistribution "private" has its six passenger types and their probabilities', () => {
    expect(imported.scenario.vehicleTypeDistributions!.private).toEqual({
      passenger1: 0.4,
      passenger2a: 0.2,
      passenger2b: 0.2,
      passenger3: 0.2,
      passenger4: 0.1,
      passenger5: 0.05,
    });
  });

  it('the bus lanes are kept, with the bus class only', () => {
    const want = busOnlyLanes(readFileSync(join(dir, 'pasubio_buslanes.net.xml'), 'utf8'));
    expect([...want.values()].flat()).toHaveLength(14);
    for (const [id, lanes] of want) {
      const e = imported.scenario.network.edges.find((x) => x.id === id)!;
      expect(e, id).toBeDefined();
      for (const k of lanes) expect(e.laneClasses![k], `${id}_${k}`).toEqual(['bus']); // no lane left out before them
    }
  });

  it('buses stop at their bus stops; the loops and the additional tls programs come through', () => {
    const bus = trips.find((t) => t.id === '11_0')!;
    expect(bus.stops).toEqual([
      { edge: '56[0]', pos: 130, lane: 0, duration: 20, name: 'busStop#15' },
      { edge: '56[1][0]', pos: 160, lane: 0, duration: 20, name: 'busStop#17' },
      { edge: 'm66a', pos: 35, lane: 0, duration: 20, name: 'busStop#19' },
      { edge: '8', pos: 277.717, lane: 0, duration: 20, name: 'busStop#23' },
    ]);
    expect(trips.reduce((n, t) => n + (t.stops?.length ?? 0), 0)).toBe(499);
    expect(imported.counts.detectors).toBe(64); // the uncommented e1Detectors
    expect(imported.warnings.list().find((w) => w.message.startsWith('traffic-light programs replaced'))!.count).toBe(8);
  });
});

describe('Hamburg TAVF (run_simulation.sumocfg: gzipped net and routes, begin 0, end 1200, trips, buses)', () => {
  const dir = join(scenarios, 'hamburg-tavf');
  const imported = importSumo({ config: join(dir, 'run_simulation.sumocfg') });
  const trips = tripsOf(imported.scenario);

  it('imports the 7,120 vehicles SUMO loads, with departLane best and departSpeed max', () => {
    expect(imported.counts.trips).toBe(7120);
    expect(imported.scenario).toMatchObject({ duration: 1200, seed: 121294 });
    const pkw = trips.find((t) => t.id === 'PKW0')!;
    expect(pkw).toMatchObject({ type: 'PKW_special', departLane: 'best', departSpeed: 'max', from: 'gneE4', to: '143065638#2' });
    expect(trips.filter((t) => t.type === 'BUS' || t.type === 'MetroBUS')).toHaveLength(88);
    expect(scenarioSchema.safeParse(imported.scenario).success).toBe(true);
  });

  it('normc speed factors become speedFactor and speedDev; a type without sizes gets SUMO\'s defaults of its class', () => {
    const types = imported.scenario.vehicleTypes;
    // normc(1.1, 0.1, …): SUMO's deviation 0.1 is absolute, roadtwin's relative to the mean
    expect(types.PKW).toMatchObject({ speedFactor: 1.1, speedDev: 0.090909, length: 5, minGap: 2 });
    // <vType id="BUS" vClass="bus"/>: a 12 m bus, as SUMO runs it, not a 5 m car
    expect(types.BUS).toMatchObject({ class: 'bus', length: 12, maxSpeed: 27.78, accel: 1.2, decel: 4, emergencyDecel: 7 });
    expect(types.LKW).toMatchObject({ class: 'truck', length: 7.1, accel: 1.3, speedFactor: 1.1 });
  });

  it('the bus lanes are kept, with the bus class only', () => {
    const want = busOnlyLanes(gunzipSync(readFileSync(join(dir, 'network.net.xml.gz'))).toString('utf8'));
    expect([...want.values()].flat()).toHaveLength(43);
    const busLanes = imported.scenario.network.edges.flatMap((e) => (e.laneClasses ?? []).filter((c) => c?.length === 1 && c[0] === 'bus'));
    expect(busLanes).toHaveLength(43);
  });
});
