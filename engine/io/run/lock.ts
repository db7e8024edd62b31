/**
 * One writer per run directory. `roadtwin run`, `roadtwin resume` and the sweep's child runs hold
 * `DIR/roadtwin.lock` while they write DIR: two processes appending to the same timeseries.csv or
 * trace would each report success over a directory that holds neither run. The lock is a file
 * created with O_EXCL (`wx`), which the file system grants to exactly one process, holding who
 * took it (pid, host, when). It is removed when the session closes and, failing that, when the
 * process exits; a process killed outright (SIGKILL, a power cut) leaves it behind, and the next
 * writer takes it over only when it can tell the holder is gone: same host and `kill(pid, 0)`
 * says there is no such process. A lock of another host is never taken over (its pid means
 * nothing here): the message says which file to remove.
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'roadtwin.lock';

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export class RunLock {
  private held = true;
  private readonly onExit = () => this.release();

  private constructor(
    readonly path: string,
    private readonly text: string,
  ) {
    // a process that ends without closing its session (an uncaught error, process.exit) still frees the directory
    process.on('exit', this.onExit);
  }

  /**
   * Takes the lock of `dir` (creating the directory), or says who holds it. `created` tells
   * whether the directory was made here (so that a refused new run can remove it again).
   */
  static acquire(dir: string): { lock: RunLock; created: boolean } | string {
    let created: boolean;
    try {
      created = mkdirSync(dir, { recursive: true }) !== undefined;
    } catch (err) {
      return `cannot write the run directory ${dir}: ${(err as Error).message}`;
    }
    const path = join(dir, LOCK_FILE);
    const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    const text = `${JSON.stringify(me)}\n`;
    // twice at most: once, and once more after taking over a stale lock
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o644);
        try {
          writeSync(fd, text);
        } finally {
          closeSync(fd);
        }
        return { lock: new RunLock(path, text), created };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return `${dir}: cannot create the lock file ${LOCK_FILE} (${(err as Error).message})`;
      }
      const holder = readHolder(path);
      if (holder === 'gone') continue; // released between our open and our read
      if (typeof holder === 'string' || !isStale(holder)) return busyMessage(dir, path, holder);
      if (!takeOver(path, holder)) return busyMessage(dir, path, holder);
    }
    return `${dir}: another process took the lock ${LOCK_FILE} at the same time; try again`;
  }

  /** Removes the lock if it is still ours; idempotent. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    process.off('exit', this.onExit);
    try {
      if (readFileSync(this.path, 'utf8') === this.text) unlinkSync(this.path);
    } catch {
      // already gone (the directory removed under us): nothing to free
    }
  }
}

/** The holder written in a lock file; 'gone' when there is no file; a string when it is not a lock we can read. */
export function readHolder(path: string): LockHolder | 'gone' | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : `unreadable (${(err as Error).message})`;
  }
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 && typeof v.host === 'string' && typeof v.since === 'string') return v as LockHolder;
  } catch {
    // fall through
  }
  // empty: a process between creating the file and writing it, or one killed right there
  return text === '' ? 'being written' : 'not a roadtwin lock';
}

/** The holder's process is known to be gone: same host, and no process with its pid. */
function isStale(h: LockHolder): boolean {
  if (h.host !== hostname()) return false;
  if (h.pid === process.pid) return false;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (err) {
    // EPERM: it exists, owned by someone else
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Moves a stale lock out of the way. Renaming (atomic) and then checking what was moved, rather
 * than unlinking, keeps two processes taking over the same stale lock at once from removing the
 * fresh lock the faster one just made: the slower one finds it moved a live lock and puts it back.
 */
function takeOver(path: string, stale: LockHolder): boolean {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return true; // someone else moved it: try to create ours
  }
  const moved = readHolder(aside);
  if (typeof moved === 'object' && moved.pid === stale.pid && moved.since === stale.since) {
    unlinkSync(aside);
    return true;
  }
  try {
    linkSync(aside, path);
  } catch {
    // a third process made its own lock meanwhile; that one stands
  }
  try {
    unlinkSync(aside);
  } catch {
    // nothing to clean
  }
  return false;
}

function busyMessage(dir: string, path: string, holder: LockHolder | string): string {
  if (typeof holder === 'string') return `${dir} is locked by another writer (${path} is ${holder}; remove it if no roadtwin process uses the directory)`;
  const here = holder.host === hostname();
  return (
    `${dir} is in use by another roadtwin process (pid ${holder.pid} on ${holder.host}, since ${holder.since}); ` +
    (here ? 'wait for it to end or stop it' : `if that process is gone, remove ${path}`)
  );
}
