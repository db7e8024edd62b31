/**
 * A file written as a stream of complete records: records are buffered and written in whole
 * chunks that end at a record boundary, so a crash leaves a file whose every line (or binary
 * record) is complete. `bytes` tells how far the file goes.
 */
import { basename } from 'node:path';
import { closeSync, constants, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';

// New files are created exclusively (a file already there means another writer: the run lock
// should have kept it out, this is the second line of defence), and no open follows a symlink
// planted in the run directory (a resume would otherwise truncate the file it points to).
const NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Testing hook: ROADTWIN_FAULT_WRITE=<file name> makes every write to that run file fail as on a
 * full disk (ENOSPC), so that the tests can check what a run does when its disk fills. (They
 * used a symlink to /dev/full, which the exclusive creation of new files now refuses.)
 */
function injectedWriteFault(path: string): Error | null {
  const name = process.env.ROADTWIN_FAULT_WRITE;
  if (!name || basename(path) !== name) return null;
  return Object.assign(new Error(`ENOSPC: no space left on device, write (injected by ROADTWIN_FAULT_WRITE)`), { code: 'ENOSPC' });
}


export class AppendableFile {
  private fd: number;
  /**
   * Records are copied into one reusable chunk buffer and written when it fills: no per-record
   * references held, no concatenation, so a long run makes no garbage in its output path.
   */
  private buf: Buffer;
  private used = 0;
  bytes = 0;
  /**
   * The first write error (a full disk, a vanished directory), after which the file takes no more
   * records and ends at its last complete chunk; the run reports it and stops.
   */
  error: Error | null = null;
  /** the testing hook's fault for this file, read once when it is opened (not per chunk) */
  private readonly fault: Error | null;

  /**
   * A new file, or with `resumeAt` the existing one cut back to that many bytes (the length a
   * checkpoint recorded) and continued from there.
   */
  constructor(
    readonly path: string,
    chunk = 1 << 16,
    resumeAt?: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunk);
    this.fault = injectedWriteFault(path);
    if (resumeAt === undefined) this.fd = openSync(path, NEW, 0o644);
    else {
      const fd = openSync(path, constants.O_RDWR | NOFOLLOW);
      ftruncateSync(fd, resumeAt);
      closeSync(fd);
      this.fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | NOFOLLOW);
      this.bytes = resumeAt;
    }
  }

  /** Appends one complete record (a line with its newline, or a binary record). */
  write(record: string | Uint8Array): void {
    if (this.error) return;
    const n = typeof record === 'string' ? Buffer.byteLength(record) : record.byteLength;
    // a chunk ends at a record boundary: flush first if this record does not fit
    if (this.used + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) {
        // a record larger than the chunk (a big trace frame) goes out on its own
        this.writeOut(typeof record === 'string' ? Buffer.from(record) : record, n);
        return;
      }
    }
    if (typeof record === 'string') this.buf.write(record, this.used);
    else this.buf.set(record, this.used);
    this.used += n;
  }

  /** Writes what is buffered and makes it durable (before a checkpoint records `bytes`). */
  sync(): void {
    this.flush();
    if (this.error) return;
    try {
      fsyncSync(this.fd);
    } catch (e) {
      this.error = e as Error;
    }
  }

  flush(): void {
    if (this.used === 0) return;
    const n = this.used;
    this.used = 0;
    if (!this.error) this.writeOut(this.buf, n);
  }

  private writeOut(data: Uint8Array, n: number): void {
    try {
      if (this.fault) throw this.fault;
      for (let off = 0; off < n; ) off += writeSync(this.fd, data, off, n - off);
      this.bytes += n;
    } catch (e) {
      this.error = e as Error;
      // cut back to the end of the last complete chunk: the file still ends at a record boundary
      try {
        ftruncateSync(this.fd, this.bytes);
      } catch {
        // the write error is the one to report
      }
    }
  }

  close(): void {
    this.flush();
    try {
      if (!this.error) fsyncSync(this.fd);
    } catch (e) {
      this.error = e as Error;
    }
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** CSV cells and records: the engine's one codec (quoting, formula and control-character safety). */
export { csvCell, csvLine } from '../../core/csv.js';
