import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface S3LogOptions {
  s3: S3Client;
  bucket: string;
  /** The object; with `roll`, the object of each segment (0, 1, …), named so they sort in order. */
  key: string | ((segment: number) => string);
  /** How often a growing log is uploaded again. */
  flushMs?: number;
  /** Bytes one object holds. */
  maxBytes?: number;
  /**
   * Past maxBytes: without `roll`, only the last `tailBytes` are kept and
   * appended on close (a build log: its start and its end matter); with it,
   * a new segment starts and only the last `keep` segments are kept (a
   * process's output, which never ends).
   */
  tailBytes?: number;
  roll?: { keep: number };
  /** Replaced by *** before anything leaves the instance. */
  secrets?: string[];
}

/**
 * A log kept in S3, which cannot append: an object is rewritten with its
 * whole text at most every `flushMs` while it grows. Readers hold byte offsets
 * into an object, so an object only ever grows (a build log's kept tail is
 * appended once, on close). Lines are kept whole, and a secret is redacted
 * before a line is kept.
 */
export class S3Log {
  private text = '';
  private segment = 0;
  private tail: string[] = [];
  private tailSize = 0;
  private omitted = 0;
  private pending = '';
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private readonly secrets: string[];
  private readonly maxBytes: number;

  constructor(private readonly options: S3LogOptions) {
    this.secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
    this.maxBytes = options.maxBytes ?? 512 * 1024;
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

  /** Uploads what is kept now, and waits for it. */
  async flush(): Promise<void> {
    this.takePending();
    this.upload();
    await this.chain;
  }

  /** The last upload: a partial last line, and a build log's kept tail. */
  async close(): Promise<void> {
    this.takePending();
    if (this.tail.length > 0 || this.omitted > 0) {
      const cut = this.omitted > 0 ? `\n ...     [${this.omitted} bytes of output omitted]\n\n` : '';
      this.text += cut + this.tail.join('');
      this.tail = [];
      this.dirty = true;
    }
    await this.flush();
  }

  private takePending(): void {
    if (this.pending === '') return;
    const text = `${this.pending}\n`;
    this.pending = '';
    this.keep(text);
  }

  private keep(text: string): void {
    let clean = text;
    for (const secret of this.secrets) clean = clean.split(secret).join('***');
    const size = Buffer.byteLength(clean);
    const fits = this.tail.length === 0 && Buffer.byteLength(this.text) + size <= this.maxBytes;
    if (!fits && this.options.roll && this.text !== '') {
      this.upload();
      this.segment++;
      this.text = '';
      const old = this.segment - this.options.roll.keep;
      if (old >= 0) this.enqueue(() => this.remove(this.keyOf(old)));
    }
    if (fits || this.options.roll) {
      this.text += clean;
      this.dirty = true;
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.upload();
      }, this.options.flushMs ?? 1_000);
      return;
    }
    this.tail.push(clean);
    this.tailSize += size;
    while (this.tailSize > (this.options.tailBytes ?? 256 * 1024) && this.tail.length > 1) {
      const dropped = Buffer.byteLength(this.tail.shift() ?? '');
      this.tailSize -= dropped;
      this.omitted += dropped;
    }
  }

  private keyOf(segment: number): string {
    return typeof this.options.key === 'string' ? this.options.key : this.options.key(segment);
  }

  /** Queues an upload of the current object as it is now. */
  private upload(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.dirty) return;
    this.dirty = false;
    const key = this.keyOf(this.segment);
    const body = this.text;
    const segment = this.segment;
    this.enqueue(async () => {
      try {
        await this.options.s3.send(
          new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: body, ContentType: 'text/plain; charset=utf-8' }),
        );
      } catch (error) {
        // Sent again with the next upload of this object; the log is never the reason an instance fails.
        if (segment === this.segment) this.dirty = true;
        process.stderr.write(`paas agent: could not upload ${key}: ${String(error)}\n`);
      }
    });
  }

  private async remove(key: string): Promise<void> {
    await this.options.s3.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key })).catch(() => {});
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step);
  }
}
