// The frame encoder on a running world with traffic, drones and robots: every entity decodes back
// to its state, altitudes only for what flies, and the frame size the format promises.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/index.js';
import { World } from '../../sim/world.js';
import { DRONE_ID_BASE, ROBOT_ID_BASE } from '../../logistics/index.js';
import { CLASS_DRONE, CLASS_ROBOT, FRAME_HEADER_BYTES, HEADER_BYTES, RECORD_BYTES, RECORD_BYTES_V2, TF_ALTITUDE, TRACE_VERSION, Z_STEP, decodeFrame, encodeHeader, frameBytes, storedBox } from './format.js';
import { FrameEncoder, TraceWriter, type TraceCheckpoint } from './writer.js';

/** A 3 × 3 grid with cars, a hub with robots, and a drone port whose drones fly the orders. */
function world(): World {
  const s = {
    name: 'trace-encoder-test',
    seed: 5,
    duration: 900,
    step: 0.5,
    network: { grid: { rows: 3, cols: 3, spacing: 300, lanes: 1, speedLimit: 13.89, signals: { cycle: 40, yellow: 3 } } },
    vehicleTypes: { car: { length: 4.8, maxSpeed: 33.3, accel: 2.0, decel: 3.0, headway: 1.2, minGap: 2.0 } },
    demand: [{ randomTrips: { type: 'car', rate: 300, begin: 0, end: 900 } }],
    logistics: {
      hubs: [{ id: 'h', edge: 'r1c0-r1c1', pos: 150, robots: 2 }],
      dronePorts: [{ id: 'p', x: 300, y: 300, hub: 'h', drones: 4, pads: 2 }],
      orders: { areas: [{ x: 300, y: 300, radius: 600, rate: 240, weight: { min: 0.2, max: 2 }, deadline: 1800 }] },
    },
  };
  return new World(parseScenario(JSON.stringify(s), 'test.yaml').scenario);
}

describe('FrameEncoder (trace version 3)', () => {
  it('writes 11-byte records and an altitude entry only for the drones in the air; they decode to the world state', () => {
    const w = world();
    // the orders fall within 600 m of (300, 300): the box holds every drone (a resolution of 2 cm)
    const box = storedBox({ minX: -400, minY: -400, maxX: 1000, maxY: 1000 });
    const enc = new FrameEncoder(w, box);
    const head = { version: TRACE_VERSION, recordSize: RECORD_BYTES, box };
    const d = w.logistics!.drones;
    let flyingFrames = 0;
    let robotRecords = 0;
    let roadRecords = 0;
    w.start();
    while (w.tick < w.ticksTotal) {
      w.step();
      if (w.tick % 20 !== 0) continue;
      const bytes = enc.encode();
      const f = decodeFrame(bytes, 0, head);
      expect(f.time).toBe(w.time);
      expect(f.count).toBe(enc.count);
      let flying = 0;
      for (let k = 0; k < f.count; k++) {
        const id = f.id[k];
        if (k > 0) expect(id).toBeGreaterThan(f.id[k - 1]);
        if (id >= ROBOT_ID_BASE) {
          robotRecords++;
          expect(f.cls[k]).toBe(CLASS_ROBOT);
          expect(f.flags[k] & TF_ALTITUDE).toBe(0);
          expect(f.z[k]).toBe(0);
        } else if (id >= DRONE_ID_BASE) {
          const j = id - DRONE_ID_BASE;
          expect(f.cls[k]).toBe(CLASS_DRONE);
          // the altitude to the decimetre, from the frame's altitude block
          expect(Math.abs(f.z[k] - d.z[j])).toBeLessThanOrEqual(Z_STEP / 2 + 1e-4);
          expect(Math.abs(f.x[k] - d.x[j])).toBeLessThan(0.02);
          expect(Math.abs(f.y[k] - d.y[j])).toBeLessThan(0.02);
          const inAir = Math.round(d.z[j] / Z_STEP) > 0;
          expect((f.flags[k] & TF_ALTITUDE) !== 0).toBe(inAir);
          if (inAir) flying++;
        } else {
          roadRecords++;
          expect(f.cls[k]).toBeLessThan(CLASS_DRONE);
          expect(f.flags[k] & TF_ALTITUDE).toBe(0);
          expect(f.z[k]).toBe(0);
        }
      }
      expect(bytes.byteLength).toBe(frameBytes(f.count, RECORD_BYTES, flying));
      expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true)).toBe(flying);
      expect(bytes.byteLength - FRAME_HEADER_BYTES).toBeLessThanOrEqual(12 * f.count);
      if (flying > 0) flyingFrames++;
    }
    // the run exercised all three kinds
    expect(flyingFrames).toBeGreaterThan(5);
    expect(robotRecords).toBeGreaterThan(0);
    expect(roadRecords).toBeGreaterThan(100);
  }, 60_000);
});

describe('TraceWriter resuming', () => {
  it('continues a trace.bin of its own version and refuses one of an older version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'roadtwin-trace-'));
    try {
      const box = storedBox({ minX: 0, minY: 0, maxX: 600, maxY: 600 });
      const at: TraceCheckpoint = { frames: 0, samples: 0, written: HEADER_BYTES, lastTime: -Infinity, binBytes: HEADER_BYTES, idxBytes: 0, signalBytes: 0, signalStates: [] };
      const header = encodeHeader(1, box);
      writeFileSync(join(dir, 'trace.idx'), new Uint8Array(0));
      writeFileSync(join(dir, 'signals.bin'), new Uint8Array(0));
      writeFileSync(join(dir, 'trace.bin'), header);
      const w = world();
      const ok = new TraceWriter(dir, w, 1, box, at);
      ok.frame();
      expect(ok.close().bytes).toBeGreaterThan(HEADER_BYTES);
      // the header of a version 2 trace: frames of another layout must not be appended to it
      const v2 = header.slice();
      new DataView(v2.buffer).setUint32(8, 2, true);
      new DataView(v2.buffer).setUint32(12, RECORD_BYTES_V2, true);
      writeFileSync(join(dir, 'trace.bin'), v2);
      expect(() => new TraceWriter(dir, world(), 1, box, at)).toThrow(/trace version 2 \(14-byte records\); this roadtwin writes version 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
