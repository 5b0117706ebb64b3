import { closeSync, openSync, writeSync } from 'node:fs';

export interface CappedLogOptions {
  /** Bytes kept from the start of the output. */
  headBytes?: number;
  /** Bytes kept from the end (errors are at the end) once the head is full. */
  tailBytes?: number;
  /** Strings replaced by *** before anything is written (e.g. a clone token). */
  secrets?: string[];
}

/**
 * A build log that cannot fill the disk: the first `headBytes` go straight to
 * the file (so a running build shows progress), then only the last `tailBytes`
 * are kept in memory and appended on close with a note of what was cut.
 * Lines are written whole so a secret is never split across two writes.
 */
export class CappedLog {
  private readonly fd: number;
  private readonly headBytes: number;
  private readonly tailBytes: number;
  private readonly secrets: string[];
  private written = 0;
  private pending = '';
  private tail: string[] = [];
  private tailSize = 0;
  private omitted = 0;

  constructor(path: string, options: CappedLogOptions = {}) {
    this.fd = openSync(path, 'a', 0o600);
    this.headBytes = options.headBytes ?? 512 * 1024;
    this.tailBytes = options.tailBytes ?? 256 * 1024;
    this.secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  }

  write(chunk: string | Buffer): void {
    this.pending += chunk.toString();
    const end = this.pending.lastIndexOf('\n');
    if (end === -1) {
      if (this.pending.length > 64 * 1024) this.flushPending();
      return;
    }
    const complete = this.pending.slice(0, end + 1);
    this.pending = this.pending.slice(end + 1);
    this.append(complete);
  }

  line(text: string): void {
    this.write(`${text}\n`);
  }

  close(): void {
    this.flushPending();
    if (this.omitted > 0 || this.tail.length > 0) {
      const dropped = this.omitted;
      if (dropped > 0) writeSync(this.fd, `\n ...     [${dropped} bytes of build output omitted]\n\n`);
      writeSync(this.fd, this.tail.join(''));
      this.tail = [];
    }
    closeSync(this.fd);
  }

  private flushPending(): void {
    if (this.pending === '') return;
    const text = this.pending.endsWith('\n') ? this.pending : `${this.pending}\n`;
    this.pending = '';
    this.append(text);
  }

  private append(text: string): void {
    const clean = this.redact(text);
    const size = Buffer.byteLength(clean);
    if (this.written + size <= this.headBytes && this.tail.length === 0) {
      writeSync(this.fd, clean);
      this.written += size;
      return;
    }
    this.tail.push(clean);
    this.tailSize += size;
    while (this.tailSize > this.tailBytes && this.tail.length > 1) {
      const dropped = this.tail.shift() ?? '';
      const droppedSize = Buffer.byteLength(dropped);
      this.tailSize -= droppedSize;
      this.omitted += droppedSize;
    }
  }

  private redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }
}
