// RSI for city events (docs/perception.md, "RSI"): an on-road event is announced by the RSUs in
// range from its confirmation until its clearance, never before it is known; HLW warns the
// equipped drivers ahead of it as for a road event; a checkpoint resumes it bit for bit.
import { describe, expect, it } from 'vitest';
import { World } from '../sim/world.js';
import { SnapshotReader, SnapshotWriter } from '../core/snapshot.js';
import { ENGINE_VERSION } from '../core/version.js';
import { V2X_HAZARD } from '../core/state.js';
import { rsiRecords } from '../v2x/index.js';
import type { V2xWarning } from '../v2x/index.js';
import { corridor } from './corridor.testkit.js';

// A breakdown in the kerb lane of ab at 600 m at t = 200, no camera and no citizen: an equipped
// vehicle reports it through the RSU (a detection, not a confirmation); the tow unit from the
// depot at the start of ab confirms it on arrival and clears it 300 s later. One RSU beside it,
// one 1.5 km off (out of the 400 m range: it must never announce it).
const scenario = (rsi: boolean, penetration = 1) =>
  corridor(
    `v2x:
  penetration: ${penetration}
  channel: { model: unitDisk, range: 400, loss: 0 }
  rsus:
    - { id: near, x: 600, y: 0, intersections: [] }
    - { id: far, x: 2000, y: 0, intersections: [] }
  apps:
    hlw: { distance: 300, speed: 8.33 }
events:
  kinds: { breakdown: { reportShare: 0, onScene: 300 } }
  list: [ { id: bd, kind: breakdown, at: 200, edge: ab, pos: 600 } ]
perception:
  rsi: ${rsi}
  citizens: { enabled: false }
  responders:
    depots: [ { id: p, kind: police, edge: ab }, { id: t, kind: tow, edge: ab } ]`,
    { duration: 900, rate: 1200 },
  );

function cityRsi(w: World, rsu: string): number {
  return rsiRecords(w, w.v2x!.rsus.find((r) => r.id === rsu)!).filter((m) => m.alertType === 'breakdown').length;
}

describe('RSI for city events', () => {
  it('is not broadcast before confirmation, is from confirmation on, stops at clearance; HLW warns only meanwhile', () => {
    const w = new World(scenario(true));
    const warnings: V2xWarning[] = [];
    w.events$.subscribe((e) => {
      if (e.kind === 'v2x.warning' && e.app === 'hlw') warnings.push(e);
    });
    const sentAt: { time: number; rsi: number; announced: number }[] = [];
    while (w.time < 900 - 1e-9) {
      w.step();
      sentAt.push({ time: w.time, rsi: w.v2x!.sent.rsi, announced: cityRsi(w, 'near') });
      expect(cityRsi(w, 'far')).toBe(0);
    }
    const e = w.perception!.events[0];
    expect(e.source).toBe('vehicle');
    // detected well before the unit confirms it on arrival
    expect(e.confirmed).toBeGreaterThan(e.detected);
    expect(e.confirmed).toBe(e.arrived);
    expect(e.cleared).toBe(e.confirmed + 300);
    for (const s of sentAt) expect(s.announced).toBe(s.time >= e.confirmed - 1e-9 && s.time < e.cleared - 1e-9 ? 1 : 0);
    // the packets on the air: none before the tick after confirmation, none after the tick of clearance
    const at = (t: number) => sentAt.find((s) => s.time >= t - 1e-9)!.rsi;
    expect(at(e.confirmed)).toBe(0);
    // one RSU at 2 Hz over the 300 s it is announced
    expect(at(e.cleared) - at(e.confirmed)).toBe(600);
    expect(sentAt[sentAt.length - 1].rsi).toBe(at(e.cleared));
    // HLW: only while announced (a driver holds the last RSI for 1/RSI_RATE + 0.5 s)
    expect(warnings.length).toBeGreaterThan(20);
    for (const x of warnings) {
      expect(x.subject).toBe('bd');
      // the v2x phase of the tick after the one that confirmed it runs at the clock of its start
      expect(x.time).toBeGreaterThanOrEqual(e.confirmed);
      expect(x.time).toBeLessThanOrEqual(e.cleared + 1);
    }
    expect(w.v2x!.warnings.hlw).toBe(warnings.length);
  });

  it('a warned driver slows and leaves the blocked lane early, as for a road event; switched off, none is warned', () => {
    const measure = (rsi: boolean) => {
      const w = new World(scenario(rsi));
      let warned = 0;
      let advised = 0;
      let inBlockedLane = 0;
      let window = 0;
      while (w.time < 900 - 1e-9) {
        w.step();
        const e = w.perception!.events[0];
        if (!e || !(e.confirmed >= 0 && w.time > e.confirmed + 5 && e.cleared < 0)) continue;
        window++;
        const s = w.state;
        const lane = e.lanes[0];
        for (const i of w.activeSlotsById()) {
          if (w.net.laneEdge[s.lane[i]] !== e.edge || s.pos[i] > e.start || s.pos[i] < e.start - 300) continue;
          if (s.v2x[i] & V2X_HAZARD) warned++;
          if (s.speedAdvice[i] <= 8.33 + 1e-9) advised++;
          // between the warning distance and the distance an unwarned driver sees the block from
          if (s.lane[i] === lane && s.pos[i] < e.start - 120) inBlockedLane++;
        }
      }
      return { warned, advised, inBlockedLane, window, hlw: w.v2x!.warnings.hlw };
    };
    const on = measure(true);
    const off = measure(false);
    expect(on.window).toBeGreaterThan(100);
    expect(on.warned).toBeGreaterThan(100);
    expect(on.advised).toBeGreaterThan(100);
    expect(off.warned).toBe(0);
    expect(off.advised).toBe(0);
    expect(off.hlw).toBe(0);
    // the warned drivers move out of the kerb lane from 300 m instead of 100 m
    expect(on.inBlockedLane).toBeLessThan(0.5 * off.inBlockedLane);
  });

  it('a checkpoint taken while it is announced resumes bit for bit', () => {
    const sc = scenario(true, 0.5);
    const a = new World(sc);
    a.run();
    const confirmed = a.perception!.events[0].confirmed;
    expect(confirmed).toBeGreaterThan(0);
    const b = new World(sc);
    b.run(confirmed + 60);
    expect(cityRsi(b, 'near')).toBe(1);
    const w = new SnapshotWriter();
    b.snapshot(w);
    const c = new World(sc);
    const reader = new SnapshotReader(w.toBuffer({ engineVersion: ENGINE_VERSION, scenarioHash: 'test', seed: b.seed, tick: b.tick, time: b.time }));
    c.restore(reader);
    expect(cityRsi(c, 'near')).toBe(1);
    c.run();
    expect(c.stateHash()).toBe(a.stateHash());
    expect(c.v2x!.warnings.hlw).toBe(a.v2x!.warnings.hlw);
    expect(c.v2x!.sent.rsi).toBe(a.v2x!.sent.rsi);
    expect(a.v2x!.warnings.hlw).toBeGreaterThan(0);
  });
});
