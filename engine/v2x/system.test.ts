import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario, parseScenario, type Scenario } from '../io/scenario/index.js';
import { World } from '../sim/world.js';
import { F_EQUIPPED } from '../core/state.js';
import { ParallelRunner } from '../parallel/parallel.js';
import type { SimEvent } from '../sim/events.js';
import { MSG_SPAT, bsmRecord, mapRecord, rsiRecords, rsmRecord, spatRecords } from './index.js';
import { v2xMetrics } from '../io/run/v2x-report.js';

const corridorFile = fileURLToPath(new URL('../../scenarios/glosa-corridor.yaml', import.meta.url));
const corridor = (overrides: string[] = []) => loadScenario(corridorFile, { overrides }).scenario;

const run = (s: Scenario) => {
  const w = new World(s);
  const events: SimEvent[] = [];
  w.events$.subscribe((e) => events.push(e));
  w.run();
  return { w, events };
};

const stops = (events: SimEvent[]) => events.reduce((n, e) => n + (e.kind === 'arrive' ? e.stops : 0), 0);

describe('V2X: on-board units', () => {
  it('equips the share of vehicles the penetration asks for, the same ones on every run', () => {
    const a = new World(corridor(['v2x.penetration=0.3', 'duration=900']));
    a.run();
    const b = new World(corridor(['v2x.penetration=0.3', 'duration=900']));
    b.run();
    const share = a.v2x!.equippedInserted / a.totals.inserted;
    // binomial: 0.3 ± 3 standard deviations
    const sd = Math.sqrt((0.3 * 0.7) / a.totals.inserted);
    expect(Math.abs(share - 0.3)).toBeLessThan(3 * sd);
    expect(b.v2x!.equippedInserted).toBe(a.v2x!.equippedInserted);
    expect(b.stateHash()).toBe(a.stateHash());
  });

  it('leaves unequipped drivers exactly as without V2X: penetration 0 gives the bits of a scenario without it', () => {
    const withRsus = run(corridor(['v2x.penetration=0']));
    const text = readFileSync(corridorFile, 'utf8');
    const without = parseScenario(text.slice(0, text.indexOf('\nv2x:')), 'no-v2x.yaml').scenario;
    const plain = run(without);
    expect(withRsus.w.v2x!.sent.spat).toBeGreaterThan(0);
    expect(withRsus.w.stateHash()).toBe(plain.w.stateHash());
    expect(withRsus.events.filter((e) => e.kind === 'arrive')).toEqual(plain.events.filter((e) => e.kind === 'arrive'));
  });
});

describe('V2X: messages', () => {
  it('carry the fields of the standard as typed records', () => {
    const w = new World(loadScenario(fileURLToPath(new URL('../../scenarios/laoshan.yaml', import.meta.url)), { overrides: ['duration=200', 'v2x.penetration=1', 'roadEvents.0.begin=100'] }).scenario);
    w.run(200);
    const slot = w.activeSlotsById()[0];
    const bsm = bsmRecord(w, slot);
    expect(Object.keys(bsm).sort()).toEqual(['acceleration', 'brakes', 'heading', 'id', 'kind', 'msgCnt', 'position', 'secMark', 'size', 'speed', 'vehicleClass']);
    expect(bsm.secMark).toBe(Math.round(w.time * 1000) % 60000);
    expect(bsm.msgCnt).toBeGreaterThanOrEqual(0);
    expect(bsm.msgCnt).toBeLessThan(128);
    const d1 = w.v2x!.rsus.find((r) => r.id === 'rsu-D1')!;
    const [spat] = spatRecords(w, d1);
    expect(spat.intersection).toBe('D1');
    expect(spat.phases.length).toBeGreaterThan(8);
    for (const p of spat.phases) {
      expect(['green', 'permissive-green', 'yellow', 'red']).toContain(p.state);
      expect(p.likelyEndTime).toBeGreaterThan(w.time);
      expect(p.minEndTime).toBe(p.maxEndTime);
    }
    const map = mapRecord(w, d1);
    expect(map.intersections[0].lanes.length).toBeGreaterThan(4);
    const [rsi] = rsiRecords(w, w.v2x!.rsus.find((r) => r.id === 'rsu-hefei-e')!);
    expect(rsi).toMatchObject({ kind: 'rsi', alertType: 'stalledVehicle', alertPath: { edge: 'hefei-E1-D1', from: 300, lanes: [0] } });
    const rsm = rsmRecord(w, w.v2x!.rsus.find((r) => r.id === 'rsu-river-hill')!);
    expect(rsm.participants.length).toBeLessThanOrEqual(16);
    for (const p of rsm.participants) expect(Object.keys(p).sort()).toEqual(['heading', 'id', 'position', 'source', 'speed', 'vehicleClass']);
  });

  it('SPAT at 10 Hz and MAP at 1 Hz per signalised RSU; a BSM from every equipped vehicle every 100 ms without congestion', () => {
    const s = corridor(['duration=300', 'v2x.bsm.congestionControl=false']);
    const w = new World(s);
    let equippedTicks = 0;
    while (w.tick < w.ticksTotal) {
      const st = w.state;
      for (const i of w.activeSlotsById()) if (st.flags[i] & F_EQUIPPED) equippedTicks++;
      w.step();
    }
    const v = w.v2x!;
    expect(v.sent.spat).toBe(3 * 3000);
    expect(v.sent.map).toBe(3 * 300);
    // a BSM per equipped vehicle per 100 ms tick, give or take its first and last interval
    expect(v.sent.bsm).toBeGreaterThan(equippedTicks * 0.97);
    expect(v.sent.bsm).toBeLessThanOrEqual(equippedTicks);
  });

  it('each RSU has its own radio: a unit-disk range, or a transmit power offset on the 3GPP channel', () => {
    const advised = (range: number) => {
      const w = new World(corridor(['duration=600', `v2x.rsus.0.range=${range}`, `v2x.rsus.1.range=${range}`, `v2x.rsus.2.range=${range}`]));
      w.run();
      return w.v2x!;
    };
    const near = advised(60);
    const far = advised(400);
    // SPAT received only within 60 m: hardly any time left to advise
    expect(near.glosaAdvised).toBeLessThan(far.glosaAdvised / 2);
    const spatPdr = (offset: number) => {
      const w = new World(corridor(['duration=300', 'v2x.channel={"model":"3gpp"}', ...[0, 1, 2].map((k) => `v2x.rsus.${k}.txPowerOffset=${offset}`)]));
      w.run();
      return w.v2x!.stats.totals(MSG_SPAT).pdr;
    };
    expect(spatPdr(10)).toBeGreaterThan(spatPdr(-10) + 0.1);
  });

  it('an RSM never lists more than 16 road users, even when the cameras see more', () => {
    const w = new World(corridor(['duration=600', 'v2x.rsus.0.sensors.0.range=600']));
    w.run();
    expect(w.v2x!.maxRsmParticipants).toBe(16);
  });

  it('congestion control stretches the BSM interval in a jam', () => {
    const jam = parseScenario(
      `
name: jam
duration: 30
network: { ring: { length: 1000, lanes: 2, speedLimit: 15 } }
vehicleTypes: { car: { length: 4.5, maxSpeed: 30, accel: 1.5, decel: 2, headway: 1.2, minGap: 2 } }
demand: [ { place: { type: car, count: 300, speed: 0 } } ]
v2x: { penetration: 1, rsus: [ { id: r, x: 0, y: 0 } ] }
`,
      'jam.yaml',
    ).scenario;
    const w = new World(jam);
    w.run();
    const s = w.state;
    const intervals = Array.from(w.activeSlotsById(), (i) => w.v2x!.bsmIntervalOf(i));
    // 300 vehicles on 2 km of lanes: about 30 within 100 m, above the threshold of 25
    expect(Math.min(...intervals)).toBeGreaterThan(0.1);
    expect(Math.max(...intervals)).toBeLessThanOrEqual(0.6);
    expect(s.active).toBe(300);
    const free = new World(parseScenario(jamFree(), 'free.yaml').scenario);
    free.run();
    // the same vehicles without congestion control send more
    expect(free.v2x!.sent.bsm).toBeGreaterThan(w.v2x!.sent.bsm * 1.2);
  });
});

function jamFree(): string {
  return `
name: jam
duration: 30
network: { ring: { length: 1000, lanes: 2, speedLimit: 15 } }
vehicleTypes: { car: { length: 4.5, maxSpeed: 30, accel: 1.5, decel: 2, headway: 1.2, minGap: 2 } }
demand: [ { place: { type: car, count: 300, speed: 0 } } ]
v2x: { penetration: 1, bsm: { congestionControl: false }, rsus: [ { id: r, x: 0, y: 0 } ] }
`;
}

describe('V2X: applications change how equipped vehicles drive', () => {
  it('GLOSA at 100 % penetration cuts stops on a signalised corridor compared with 0 %', () => {
    const none = run(corridor(['v2x.penetration=0', 'duration=900']));
    const all = run(corridor(['v2x.penetration=1', 'duration=900']));
    expect(all.w.v2x!.glosaAdvised).toBeGreaterThan(50);
    expect(stops(all.events)).toBeLessThan(stops(none.events) * 0.5);
    expect(all.w.totals.collisions).toBe(0);
  });

  it('HLW: equipped vehicles slow down before the hazard and leave its lane earlier', () => {
    const hazard = (penetration: number) =>
      parseScenario(
        `
name: hlw
duration: 300
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 1500, y: 0 } ]
  edges: [ { id: ab, from: a, to: b, lanes: 2, speedLimit: 20 } ]
vehicleTypes: { car: { length: 5, maxSpeed: 30, accel: 1.5, decel: 2, headway: 1.2, minGap: 2 } }
demand: [ { flow: { type: car, route: [ab], rate: 600, begin: 0, end: 250 } } ]
roadEvents: [ { id: stall, kind: stalledVehicle, edge: ab, pos: 1000, length: 6, lanes: [0] } ]
v2x:
  penetration: ${penetration}
  rsus: [ { id: mid, x: 800, y: 20 } ]
  apps: { hlw: { distance: 300, speed: 10 } }
  driver: { reactionTime: 0.5, compliance: 1 }
`,
        'hlw.yaml',
      ).scenario;
    const measure = (penetration: number) => {
      const w = new World(hazard(penetration));
      const speedsNear: number[] = [];
      const leftAt = new Map<number, number>();
      const lane0 = w.net.edgeFirstLane[w.net.edgeIndex.get('ab')!];
      const lastLane = new Map<number, number>();
      while (w.tick < w.ticksTotal) {
        w.step();
        const s = w.state;
        for (const i of w.activeSlotsById()) {
          const id = s.id[i];
          if (s.pos[i] > 850 && s.pos[i] < 950) speedsNear.push(s.speed[i]);
          if (lastLane.get(id) === lane0 && s.lane[i] !== lane0 && !leftAt.has(id)) leftAt.set(id, s.pos[i]);
          lastLane.set(id, s.lane[i]);
        }
      }
      const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
      return { w, speed: mean(speedsNear), leftAt: mean([...leftAt.values()]) };
    };
    const off = measure(0);
    const on = measure(1);
    expect(on.w.v2x!.warnings.hlw).toBeGreaterThan(10);
    expect(off.w.v2x!.warnings.hlw).toBe(0);
    // 100–150 m before the hazard equipped drivers have slowed toward the advised 10 m/s
    expect(on.speed).toBeLessThan(12);
    expect(off.speed).toBeGreaterThan(16);
    // they leave the blocked lane well before the 100 m at which unwarned drivers see it
    expect(on.leftAt).toBeLessThan(off.leftAt - 50);
    expect(on.w.totals.collisions + off.w.totals.collisions).toBe(0);
  });

  it('EVW: equipped vehicles ahead clear the emergency vehicle’s lane, so it gets through faster', () => {
    const scenario = (penetration: number) =>
      parseScenario(
        `
name: evw
duration: 300
network:
  nodes: [ { id: a, x: 0, y: 0 }, { id: b, x: 3000, y: 0 } ]
  edges: [ { id: ab, from: a, to: b, lanes: 2, speedLimit: 16 } ]
vehicleTypes:
  car: { length: 5, maxSpeed: 16, accel: 1.5, decel: 2, headway: 1.2, minGap: 2, keepRightBias: 0 }
  ambulance: { class: emergency, length: 6, maxSpeed: 30, accel: 2.5, decel: 4, headway: 1, minGap: 2, speedFactor: 1.6 }
demand:
  - place: { type: car, count: 60, edge: ab, speed: 12, jitter: 40 }
  - trips: [ { id: amb, type: ambulance, depart: 5, from: ab, to: ab } ]
v2x:
  penetration: ${penetration}
  penetrationByType: { ambulance: 1 }
  apps: { evw: { distance: 200 } }
  driver: { reactionTime: 0.5, compliance: 1 }
`,
        'evw.yaml',
      ).scenario;
    const ambulanceTime = (penetration: number) => {
      const { w, events } = run(scenario(penetration));
      const arrive = events.find((e) => e.kind === 'arrive' && e.type === 'ambulance');
      expect(w.totals.collisions).toBe(0);
      return { w, time: arrive && arrive.kind === 'arrive' ? arrive.time - arrive.depart : Infinity };
    };
    const off = ambulanceTime(0);
    const on = ambulanceTime(1);
    expect(on.w.v2x!.warnings.evw).toBeGreaterThan(5);
    // measured: 177 s without warnings, 122 s with them
    expect(on.time).toBeLessThan(off.time * 0.8);
  });
});

describe('V2X: determinism', () => {
  it('the Laoshan scenario with V2X on gives the same bits on 1 and 2 workers', async () => {
    const file = fileURLToPath(new URL('../../scenarios/laoshan.yaml', import.meta.url));
    const s = loadScenario(file, { overrides: ['duration=600', 'v2x.penetration=0.5'] }).scenario;
    const one = new World(s);
    one.run();
    const runner = await ParallelRunner.start(2);
    try {
      const two = new World(s, { runner });
      two.run();
      expect(two.stateHash()).toBe(one.stateHash());
      expect(v2xMetrics(two.v2x!, two.totals.inserted)).toEqual(v2xMetrics(one.v2x!, one.totals.inserted));
    } finally {
      await runner.close();
    }
  });
});
