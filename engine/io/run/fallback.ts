/**
 * The run directory's manifest when the normal way of writing it fails. Whole files are written
 * by creating a temporary file and renaming it (atomic.ts): in a directory made read-only mid-run
 * (or a full disk) that is exactly what fails, so a run without checkpoints ended with no
 * manifest at all, and a reader could not tell an interrupted directory from one still running.
 *
 * So a new run writes a first manifest as soon as its files are open (`complete: false`, reason
 * `running …`; the finished run's manifest replaces it, as checkpoint manifests are replaced), and
 * when the final one cannot be written, the existing manifest.json is rewritten in place: opening
 * an existing file needs no right on the directory, and a torn in-place write is still better
 * than a manifest that says "running" for ever. Writing in place is only the last resort.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_VERSION } from '../../core/version.js';
import type { World } from '../../sim/world.js';
import { writeFileAtomic } from './atomic.js';
import type { Provenance } from './provenance.js';

export interface ManifestBasics {
  scenarioHash: string;
  scenarioFile: string;
  startedAt: Date;
  workersRequested: number;
  provenance?: Provenance;
}

function manifest(world: World, basics: ManifestBasics, reason: string): string {
  const s = world.scenario;
  const m = {
    name: s.name,
    seed: world.seed,
    step: s.step,
    duration: s.duration,
    workersRequested: basics.workersRequested,
    engineVersion: ENGINE_VERSION,
    scenarioHash: basics.scenarioHash,
    ticks: world.ticksDone,
    simTime: Math.round(world.time * 1e6) / 1e6,
    complete: false,
    reason,
    startedAt: basics.startedAt.toISOString(),
    scenarioFile: basics.scenarioFile,
    ...basics.provenance,
  };
  return `${JSON.stringify(m, null, 2)}\n`;
}

/** The first manifest of a new run: not complete, running. Written atomically like any whole file. */
export function writeStartManifest(dir: string, world: World, basics: ManifestBasics): void {
  writeFileAtomic(join(dir, 'manifest.json'), manifest(world, basics, 'running (or stopped without finishing): no file is complete before the run writes its final manifest'));
}

/**
 * The last resort when the final manifest could not be written: manifest.json rewritten in place,
 * not complete, with `reason`. True when it was written.
 */
export function rewriteManifestInPlace(dir: string, world: World, basics: ManifestBasics, reason: string): boolean {
  let fd: number;
  try {
    fd = openSync(join(dir, 'manifest.json'), 'r+');
  } catch {
    return false;
  }
  try {
    ftruncateSync(fd, 0);
    writeSync(fd, manifest(world, basics, reason), 0);
    fsyncSync(fd);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** An error from the file system (it has an errno code), as opposed to a bug. */
export function isFileError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}
