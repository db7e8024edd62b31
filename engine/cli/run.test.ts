// `roadtwin run` as a user runs it: the compiled CLI (`npm test` builds it first) in a child
// process, checking exit codes, the run directory of the contract, Ctrl-C and bad input.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeHeader, decodeRecord, HEADER_BYTES, FRAME_HEADER_BYTES, RECORD_BYTES } from '../io/trace/format.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(join(root, 'dist', 'engine', 'cli', 'main.js'));
const scenarios = join(root, 'scenarios');

function roadtwin(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/roadtwin.js', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tmp = () => mkdtempSync(join(tmpdir(), 'roadtwin-run-'));
const noStack = (text: string) => expect(text).not.toMatch(/^ {4}at /m);
const csv = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n');

describe.skipIf(!built)('roadtwin run', () => {
  it('writes the run directory of the contract for ring.yaml', () => {
    const out = join(tmp(), 'ring');
    const r = roadtwin('run', join(scenarios, 'ring.yaml'), '--out', out, '--quiet');
    expect(r.code).toBe(0);
    // --quiet: the run directory alone, one line (absolute here: it is outside the working directory)
    expect(r.stdout).toBe(`${out}\n`);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    // 22 vehicles never wake the threads: the manifest says what was used, and what was asked for
    expect(manifest).toMatchObject({ name: 'ring-22', seed: 42, step: 0.1, duration: 600, ticks: 6000, complete: true, workers: 1, workersRequested: availableParallelism() });
    if (availableParallelism() > 1)
      expect(manifest.phases).toEqual({ parallelPhases: 0, inlinePhases: 18000, byPhase: { decide: { threads: 0, inline: 6000 }, move: { threads: 0, inline: 6000 }, detectors: { threads: 0, inline: 6000 } } });
    for (const key of ['engineVersion', 'scenarioHash', 'stateHash', 'startedAt', 'finishedAt']) expect(manifest[key]).toBeTruthy();
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ simTime: 600, ticks: 6000, vehicleUpdates: 132000 });
    expect(metrics.vehicles).toEqual({ inserted: 22, arrived: 0, active: 22, waiting: 0, removed: 0 });
    expect(metrics.traffic.collisions).toBe(0);
    expect(metrics.traffic.minGap).toBeGreaterThan(0);
    const ts = csv(join(out, 'timeseries.csv'));
    expect(ts[0]).toBe('time,active,inserted,arrived,meanSpeed,minSpeed,maxSpeed,stopped');
    expect(ts).toHaveLength(601); // one row per simulated second
    expect(csv(join(out, 'trips.csv'))[0]).toBe('id,type,depart,arrival,routeLength,travelTime,waitingTime,stops,departDelay,origin,destination,route,equipped,timeLoss,warnings');
    const det = csv(join(out, 'detectors.csv'));
    expect(det[0]).toBe('id,begin,end,count,flow,meanSpeed,occupancy');
    expect(det).toHaveLength(11); // 600 s / 60 s periods
    // 22 departures at t = 0 are events too
    const events = readFileSync(join(out, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.kind === 'depart')).toHaveLength(22);
  });

  it('writes a trace whose frames decode to the vehicles on the road', () => {
    const out = join(tmp(), 'ring');
    expect(roadtwin('run', join(scenarios, 'ring.yaml'), '--out', out, '--quiet', '--duration', '20').code).toBe(0);
    const bin = readFileSync(join(out, 'trace.bin'));
    const bytes = new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength);
    const head = decodeHeader(bytes);
    expect(head.recordSize).toBe(RECORD_BYTES);
    const idx = readFileSync(join(out, 'trace.idx'));
    const frames = idx.byteLength / 16;
    expect(frames).toBe(21); // t = 0..20 every second
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const offset = idx.readDoubleLE(16 * 20 + 8);
    expect(dv.getFloat64(offset, true)).toBe(20);
    const n = dv.getUint32(offset + 8, true);
    expect(n).toBe(22);
    expect(bytes.byteLength).toBe(HEADER_BYTES + 21 * (FRAME_HEADER_BYTES + 22 * RECORD_BYTES));
    // every vehicle of a 230 m ring lies on its circle (radius 36.6 m, centre (0, 36.6))
    const radius = 230 / (2 * Math.PI);
    for (let k = 0; k < n; k++) {
      const rec = decodeRecord(dv, offset + FRAME_HEADER_BYTES + k * RECORD_BYTES, head.box);
      expect(Math.abs(Math.hypot(rec.x, rec.y - radius) - (radius + 1.6))).toBeLessThan(1);
    }
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('stops at a tick boundary on %s, writes a complete directory marked incomplete, exits %i', async (signal, exitCode) => {
    const out = join(tmp(), 'laoshan');
    const child = spawn(process.execPath, ['bin/roadtwin.js', 'run', join(scenarios, 'laoshan.yaml'), '--out', out, '--quiet', '--duration', '100000'], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // once the run is under way (its time series has a few seconds), however slow the machine
    // is: a fixed delay killed it before its handlers were in place on a loaded machine
    const started = join(out, 'timeseries.csv');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(started) && readFileSync(started, 'utf8').split('\n').length > 3) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    child.kill(signal);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(exitCode);
    noStack(stderr);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.complete).toBe(false);
    expect(manifest.reason).toBe(`interrupted (${signal})`);
    // the run let go of its directory
    expect(existsSync(join(out, 'roadtwin.lock'))).toBe(false);
    expect(manifest.ticks).toBeGreaterThan(0);
    expect(manifest.ticks).toBeLessThan(1_000_000);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.ticks).toBe(manifest.ticks);
    // every streamed file is whole: every line parses, the timeseries ends at the last second
    const ts = csv(join(out, 'timeseries.csv'));
    expect(ts.length - 1).toBe(Math.floor(manifest.simTime));
    for (const line of readFileSync(join(out, 'events.ndjson'), 'utf8').trim().split('\n')) JSON.parse(line);
    const trips = csv(join(out, 'trips.csv'));
    // (9 columns, and tripId after them when the scenario names its trips or flows)
    expect(trips[0].split(',').length).toBeGreaterThanOrEqual(9);
    for (const line of trips.slice(1)) expect(line.split(',')).toHaveLength(trips[0].split(',').length);
    const v = metrics.vehicles;
    expect(v.inserted).toBe(v.arrived + v.active + v.removed);
  }, 60_000);

  it('refuses bad input with exit 1, a located message and no stack trace', () => {
    const dir = tmp();
    const missing = roadtwin('run', join(dir, 'nope.yaml'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.yaml:1:1: .*(cannot|not)/);
    const badSet = roadtwin('run', join(scenarios, 'ring.yaml'), '--set', 'duration=-5', '--out', join(dir, 'x'));
    expect(badSet.code).toBe(1);
    expect(badSet.stderr).toContain('--set duration=-5:1:1: duration:');
    const badSeed = roadtwin('run', join(scenarios, 'ring.yaml'), '--seed', 'abc', '--out', join(dir, 'y'));
    expect(badSeed.code).toBe(1);
    expect(badSeed.stderr).toContain('seed');
    const badWorkers = roadtwin('run', join(scenarios, 'ring.yaml'), '--workers', 'two', '--out', join(dir, 'z'));
    expect(badWorkers.code).toBe(1);
    expect(badWorkers.stderr).toContain('--workers');
    // a non-empty output directory is never overwritten
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    const r = roadtwin('run', join(scenarios, 'ring.yaml'), '--out', full);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not empty');
    expect(readFileSync(join(full, 'keep.txt'), 'utf8')).toBe('mine');
    for (const x of [missing, badSet, badSeed, badWorkers, r]) noStack(x.stderr);
    // nothing half-written where the run was refused
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('prints the run directory relative to the working directory with --quiet, and nothing else', () => {
    const cwd = tmp();
    const r = spawnSync(process.execPath, [join(root, 'bin/roadtwin.js'), 'run', join(scenarios, 'ring.yaml'), '--out', 'runs/r1', '--quiet', '--duration', '5'], { cwd, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('runs/r1\n');
    expect(r.stderr).toBe('');
    expect(existsSync(join(cwd, r.stdout.trim(), 'manifest.json'))).toBe(true);
  });

  it('applies --seed, --duration, --step and --set', () => {
    const out = join(tmp(), 'grid');
    const r = roadtwin('run', join(scenarios, 'grid.yaml'), '--out', out, '--quiet', '--seed', '9', '--duration', '30', '--step', '0.2', '--set', 'demand.0.randomTrips.period=2');
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ seed: 9, duration: 30, step: 0.2, ticks: 150 });
    // the command as typed, and the overrides in the order applied (--set first, then --seed, --duration, --step)
    expect(m.command.argv).toEqual(['roadtwin', 'run', join(scenarios, 'grid.yaml'), '--out', out, '--quiet', '--seed', '9', '--duration', '30', '--step', '0.2', '--set', 'demand.0.randomTrips.period=2']);
    expect(m.command.line).toBe(m.command.argv.join(' '));
    expect(m.overrides).toEqual([
      { path: 'demand.0.randomTrips.period', value: 2 },
      { path: 'seed', value: 9 },
      { path: 'duration', value: 30 },
      { path: 'step', value: 0.2 },
    ]);
    expect(m).toMatchObject({ nodeVersion: process.version, platform: process.platform, arch: process.arch });
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.vehicles.inserted + metrics.vehicles.waiting).toBe(15); // t = 0, 2, …, 28
  });
});
