/**
 * A file written as a stream of complete records: records are buffered and written in whole
 * chunks that end at a record boundary, so a crash leaves a file whose every line (or binary
 * record) is complete. `bytes` tells how far the file goes.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';

export class AppendableFile {
  private fd: number;
  private parts: (string | Uint8Array)[] = [];
  private pending = 0;
  bytes = 0;

  /**
   * A new file, or with `resumeAt` the existing one cut back to that many bytes (the length a
   * checkpoint recorded) and continued from there.
   */
  constructor(
    readonly path: string,
    private readonly chunk = 1 << 16,
    resumeAt?: number,
  ) {
    if (resumeAt === undefined) this.fd = openSync(path, 'w');
    else {
      const fd = openSync(path, 'r+');
      ftruncateSync(fd, resumeAt);
      closeSync(fd);
      this.fd = openSync(path, 'a');
      this.bytes = resumeAt;
    }
  }

  /**
   * The first write error (a full disk, a vanished directory), after which the file takes no more
   * records and ends at its last complete chunk; the run reports it and stops.
   */
  error: Error | null = null;

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

  /** Appends one complete record (a line with its newline, or a binary record). */
  write(record: string | Uint8Array): void {
    this.parts.push(record);
    this.pending += typeof record === 'string' ? Buffer.byteLength(record) : record.byteLength;
    if (this.pending >= this.chunk) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const parts = this.parts;
    this.parts = [];
    this.pending = 0;
    if (this.error) return;
    const buf = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    try {
      for (let off = 0; off < buf.byteLength; ) off += writeSync(this.fd, buf, off);
      this.bytes += buf.byteLength;
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

/** CSV cell: numbers as they are, null as empty, strings quoted when they need it. */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(cells: (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}
