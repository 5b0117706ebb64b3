import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface S3LogOptions {
  s3: S3Client;
  bucket: string;
  key: string;
  /** How often a growing log is uploaded again. */
  flushMs?: number;
  /** Bytes kept from the start; beyond, only the last `tailBytes` are kept. */
  headBytes?: number;
  tailBytes?: number;
  /** Replaced by *** before anything leaves the instance. */
  secrets?: string[];
}

/**
 * A log kept in one S3 object. S3 cannot append, so the object is rewritten
 * with the whole text at most every `flushMs` while the log grows; the head
 * and tail are capped so a noisy process costs a bounded upload. Lines are
 * kept whole, and a secret is redacted before a line is kept.
 */
export class S3Log {
  private head = '';
  private tail: string[] = [];
  private tailSize = 0;
  private omitted = 0;
  private pending = '';
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly secrets: string[];

  constructor(private readonly options: S3LogOptions) {
    this.secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  }

  get size(): number {
    return Buffer.byteLength(this.head) + this.tailSize;
  }

  write(chunk: string | Buffer): void {
    this.pending += chunk.toString();
    const end = this.pending.lastIndexOf('\n');
    if (end === -1 && this.pending.length < 64 * 1024) return;
    const complete = end === -1 ? `${this.pending}\n` : this.pending.slice(0, end + 1);
    this.pending = end === -1 ? '' : this.pending.slice(end + 1);
    this.keep(complete);
  }

  line(text: string): void {
    this.write(`${text}\n`);
  }

  /** Uploads what is kept, now, and waits for it. */
  async flush(): Promise<void> {
    if (this.pending !== '') {
      this.keep(`${this.pending}\n`);
      this.pending = '';
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flushing = this.flushing.then(() => this.upload());
    await this.flushing;
  }

  private keep(text: string): void {
    let clean = text;
    for (const secret of this.secrets) clean = clean.split(secret).join('***');
    const size = Buffer.byteLength(clean);
    if (this.tail.length === 0 && Buffer.byteLength(this.head) + size <= (this.options.headBytes ?? 512 * 1024)) {
      this.head += clean;
    } else {
      this.tail.push(clean);
      this.tailSize += size;
      while (this.tailSize > (this.options.tailBytes ?? 256 * 1024) && this.tail.length > 1) {
        const dropped = Buffer.byteLength(this.tail.shift() ?? '');
        this.tailSize -= dropped;
        this.omitted += dropped;
      }
    }
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flushing = this.flushing.then(() => this.upload());
    }, this.options.flushMs ?? 1_000);
  }

  private async upload(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const cut = this.omitted > 0 ? `\n ...     [${this.omitted} bytes of output omitted]\n\n` : '';
    try {
      await this.options.s3.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.options.key,
          Body: this.head + cut + this.tail.join(''),
          ContentType: 'text/plain; charset=utf-8',
        }),
      );
    } catch (error) {
      // The next flush sends it all again; the log is never the reason an instance fails.
      this.dirty = true;
      process.stderr.write(`paas agent: could not upload ${this.options.key}: ${String(error)}\n`);
    }
  }
}
