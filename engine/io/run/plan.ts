/**
 * What a run session is asked to run, checked before anything starts: a scenario file (with
 * overrides) into a new run directory, or a run directory to continue from its newest checkpoint.
 * Every check that can refuse without having written a byte is here, so that a refused run leaves
 * nothing behind; the session (session.ts) only starts what passed.
 *
 * The refusals are the one-line messages `roadtwin run` and `roadtwin resume` have always printed
 * (the command line adds its `roadtwin run: ` prefix, see report.ts), worded here because the
 * sweep's child runs print the same ones.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadScenario, parseScenario, ScenarioError, type Scenario } from '../scenario/index.js';
import { ENGINE_VERSION } from '../../core/version.js';
import { LOCK_FILE, readHolder, RunLock } from './lock.js';
import { latestCheckpoint, readRunInfo, type LoadedCheckpoint, type RunInfo } from './checkpoint.js';

/** Why a session did not start (nothing ran); exit code 1. */
export interface SessionRefusal {
  refused: true;
  message: string;
  /**
   * the message is a scenario's located problems (`FILE:LINE:COL: …`, one a line), printed as
   * they are, without the command's prefix
   */
  located?: boolean;
  /** nothing needed doing (a resume of a run that is already complete): exit 0, the message on stdout */
  done?: boolean;
}

export const refusal = (message: string, located = false): SessionRefusal => ({ refused: true, message, ...(located ? { located } : {}) });

/**
 * Takes the run directory's lock (lock.ts) for a session about to write it. A new run's directory
 * is checked again once the lock is held: the check in planNewRun and the first file written are
 * not one step, so two runs into one empty `--out` would both pass it. On refusal nothing is left
 * behind: the lock is freed and a directory made here is removed. `lock-only` is for a library
 * caller that hands a scenario and a directory of its own choosing (the benchmarks, tests).
 */
export function claimRunDir(dir: string, kind: 'new' | 'resume' | 'lock-only'): RunLock | SessionRefusal {
  const got = RunLock.acquire(dir);
  if (typeof got === 'string') return refusal(got);
  if (kind === 'new' && readdirSync(dir).some((f) => f !== LOCK_FILE)) {
    got.lock.release();
    if (got.created) rmdirQuietly(dir);
    return refusal(`--out ${dir}: directory is not empty (a run never overwrites another); choose a new one`);
  }
  return got.lock;
}

function rmdirQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty after all, or gone: leave it
  }
}

/** A message when the directory's manifest says the run is complete (nothing to resume), else null. */
export function completeRun(dir: string): string | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { complete?: unknown; simTime?: unknown };
    if (m.complete !== true) return null;
    return `${dir} is complete (the run reached ${typeof m.simTime === 'number' ? `${m.simTime} s` : 'its duration'}); nothing to resume`;
  } catch {
    return null; // no manifest yet, or one being replaced: the checkpoints decide
  }
}

/** A new run, checked: the scenario loads and the run directory is free. */
export interface NewRunPlan {
  kind: 'new';
  scenario: Scenario;
  scenarioHash: string;
  /** the scenario file, absolute (the manifest and checkpoints/run.json name it) */
  scenarioFile: string;
  overrides: string[];
  dir: string;
}

/** A run to continue, checked: its description, its scenario and a usable checkpoint. */
export interface ResumePlan {
  kind: 'resume';
  scenario: Scenario;
  scenarioHash: string;
  dir: string;
  /** the run directory as the caller named it (messages quote it so) */
  named: string;
  info: RunInfo;
  checkpoint: LoadedCheckpoint;
}

/**
 * Loads the scenario with its overrides and picks the run directory: `out`, or
 * `runs/<name>-<timestamp>` (in the working directory) when none is given. A directory that
 * exists must be an empty one: a run never overwrites another.
 */
export function planNewRun(file: string, overrides: string[], out: string | undefined): NewRunPlan | SessionRefusal {
  let loaded;
  try {
    loaded = loadScenario(file, { overrides });
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    return refusal(err.format(), true);
  }
  const { scenario, hash } = loaded;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const dir = resolve(out ?? join('runs', `${scenario.name}-${stamp}`));
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) return refusal(`--out ${dir}: exists and is not a directory`);
    // (a lock file alone is another writer's or a dead one's: claimRunDir says which)
    if (readdirSync(dir).some((f) => f !== LOCK_FILE)) {
      const held = readHolder(join(dir, LOCK_FILE));
      if (held !== 'gone') return claimRunDir(dir, 'new') as SessionRefusal;
      return refusal(`--out ${dir}: directory is not empty (a run never overwrites another); choose a new one`);
    }
  }
  return { kind: 'new', scenario, scenarioHash: hash, scenarioFile: resolve(file), overrides, dir };
}

/**
 * A run directory started with checkpoints: written by this engine version, with its stored
 * scenario still loading to the same hash, and a checkpoint intact enough to continue from
 * (damaged newer ones are listed in `checkpoint.skipped`).
 */
export function planResume(runDir: string): ResumePlan | SessionRefusal {
  const dir = resolve(runDir);
  const info = readRunInfo(dir);
  if (typeof info === 'string') return refusal(info);
  if (info.engineVersion !== ENGINE_VERSION) return refusal(`${runDir} was started by roadtwin ${info.engineVersion}, this is ${ENGINE_VERSION}: resume it with that version`);
  let loaded;
  try {
    loaded = parseScenario(info.scenarioText, info.scenarioFile, { overrides: info.overrides });
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    return refusal(`the scenario stored in the run no longer loads: ${err.message}`);
  }
  if (loaded.hash !== info.scenarioHash) return refusal(`the stored scenario's hash does not match the run's (checkpoints/run.json was edited?)`);
  const checkpoint = latestCheckpoint(dir, loaded.hash);
  if (typeof checkpoint === 'string') return refusal(checkpoint);
  return { kind: 'resume', scenario: loaded.scenario, scenarioHash: loaded.hash, dir, named: runDir, info, checkpoint };
}

/**
 * A note when the scenario file a run was started from now differs from the copy stored in the
 * run (resume always uses the copy, so that the run goes on as it began), else null.
 */
export function scenarioFileNote(runDir: string): string | null {
  const info = readRunInfo(resolve(runDir));
  if (typeof info === 'string' || !info.scenarioFile) return null;
  let now: string;
  try {
    now = readFileSync(info.scenarioFile, 'utf8');
  } catch {
    return `note: ${info.scenarioFile} is no longer readable; resuming with the copy stored in the run`;
  }
  return now === info.scenarioText ? null : `note: ${info.scenarioFile} has changed since the run started; resuming with the copy stored in the run (start a new run to use the new file)`;
}
