/**
 * Checkpoints of a run directory (`roadtwin run --checkpoint-every S`, `roadtwin resume DIR`):
 *
 *   DIR/checkpoints/run.json               what the run is: engine version, the scenario's text,
 *                                          file and overrides, its hash, when it started
 *   DIR/checkpoints/ckpt-<tick>.snap       a snapshot of the world and of how far every
 *                                          streaming file went (engine/core/snapshot.ts)
 *
 * Each file is written atomically (temporary file, fsync, rename) after the streaming files it
 * refers to were made durable, so the newest checkpoint always describes files that hold at least
 * what it says. The two newest are kept: when the newest is damaged, the one before is used.
 */
import { existsSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { World } from '../../sim/world.js';
import { ENGINE_VERSION } from '../../core/version.js';
import { SnapshotError, SnapshotReader, SnapshotWriter } from '../../core/snapshot.js';
import { writeFileAtomic } from './atomic.js';
import type { RunWriter, WriterCheckpoint } from './writer.js';
import type { Provenance } from './provenance.js';

export interface RunInfo {
  engineVersion: string;
  scenarioFile: string;
  scenarioText: string;
  overrides: string[];
  scenarioHash: string;
  startedAt: string;
  workersRequested: number;
  checkpointEvery: number;
  /** how the run was first started (provenance.ts); absent in directories of older versions */
  provenance?: Provenance;
}

const KEEP = 2;
const dirOf = (runDir: string) => join(runDir, 'checkpoints');

export function writeRunInfo(runDir: string, info: RunInfo): void {
  mkdirSync(dirOf(runDir), { recursive: true });
  writeFileAtomic(join(dirOf(runDir), 'run.json'), `${JSON.stringify(info, null, 2)}\n`);
}

export function readRunInfo(runDir: string): RunInfo | string {
  const file = join(dirOf(runDir), 'run.json');
  if (!existsSync(runDir)) return `${runDir}: no such directory`;
  if (!existsSync(file)) return `${runDir}: no checkpoints/run.json (the run was not started with --checkpoint-every)`;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as RunInfo;
    if (typeof info.scenarioText !== 'string' || typeof info.scenarioHash !== 'string' || !Array.isArray(info.overrides))
      return `${file}: not a roadtwin run description`;
    return info;
  } catch (e) {
    return `${file}: not valid JSON (${(e as Error).message})`;
  }
}

/** Writes a checkpoint of the world and the writer between two ticks; drops all but the newest two. */
export function writeCheckpoint(runDir: string, world: World, writer: RunWriter, scenarioHash: string): string {
  const sw = new SnapshotWriter();
  world.snapshot(sw);
  const files = writer.checkpoint();
  sw.json('writer', files);
  const name = `ckpt-${String(world.tick).padStart(12, '0')}.snap`;
  writeFileAtomic(join(dirOf(runDir), name), sw.toBuffer({ engineVersion: ENGINE_VERSION, scenarioHash, seed: world.seed, tick: world.tick, time: world.time }));
  writer.progressManifest(files, name);
  const all = checkpointFiles(runDir);
  for (const old of all.slice(KEEP)) rmSync(join(dirOf(runDir), old), { force: true });
  return name;
}

/** Checkpoint files of a run directory, newest first. */
export function checkpointFiles(runDir: string): string[] {
  if (!existsSync(dirOf(runDir))) return [];
  return readdirSync(dirOf(runDir))
    .filter((f) => /^ckpt-\d+\.snap$/.test(f))
    .sort()
    .reverse();
}

export interface LoadedCheckpoint {
  file: string;
  reader: SnapshotReader;
  /** checkpoints that were newer but could not be used, and why */
  skipped: string[];
}

/**
 * The newest checkpoint that is intact and belongs to this engine version and scenario. A
 * damaged one is skipped (with the reason); one of another version or scenario is an error,
 * because the older ones are of the same run and would be refused alike.
 */
export function latestCheckpoint(runDir: string, scenarioHash: string): LoadedCheckpoint | string {
  const files = checkpointFiles(runDir);
  if (files.length === 0) return `${runDir}: no checkpoint to resume from (checkpoints/ckpt-*.snap)`;
  const skipped: string[] = [];
  for (const f of files) {
    let reader: SnapshotReader;
    try {
      reader = new SnapshotReader(readFileSync(join(dirOf(runDir), f)));
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      skipped.push(`${f}: ${e.message}`);
      continue;
    }
    const h = reader.header;
    if (h.engineVersion !== ENGINE_VERSION) return `checkpoints/${f} was written by roadtwin ${h.engineVersion}, this is ${ENGINE_VERSION}: resume it with that version`;
    if (h.scenarioHash !== scenarioHash) return `checkpoints/${f} belongs to another scenario (hash ${h.scenarioHash.slice(0, 12)}…, the run's is ${scenarioHash.slice(0, 12)}…)`;
    return { file: f, reader, skipped };
  }
  return `${runDir}: every checkpoint is damaged (${skipped.join('; ')})`;
}

/** Restores the world from a checkpoint and returns the writer's part of it. */
export function restoreCheckpoint(world: World, reader: SnapshotReader): WriterCheckpoint {
  world.restore(reader);
  const writer = reader.json<WriterCheckpoint>('writer');
  if (!reader.done) throw new SnapshotError('the checkpoint holds more than this scenario has (another layout)');
  return writer;
}
