/**
 * Crash-safe file writing: a whole file is written to a temporary name, flushed to disk and
 * renamed over the target, so a reader sees the previous complete version or the new one, never
 * half a file.
 */
import { closeSync, constants, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

// the temporary file is never reached through a symlink planted under its name
const TMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, TMP_FLAGS, 0o644);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
