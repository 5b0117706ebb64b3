import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { MOTO_CREDENTIALS, type MotoServer, startMotoServer } from '@paas/testing/aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Log } from '../../src/aws/agent/s3-log';

// The agent's log object on S3 (moto): what leaves an instance is redacted,
// bounded, and arrives while the process still runs.
let moto: MotoServer;
let s3: S3Client;
const Bucket = 'agent-log-test';
beforeAll(async () => {
  moto = await startMotoServer();
  s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket }));
}, 60_000);
afterAll(async () => {
  s3?.destroy();
  await moto?.stop();
});

const read = async (Key: string) =>
  (await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString('utf8')) ?? '';

describe('the agent’s S3 log', () => {
  it('uploads by itself while it grows, whole lines only, with secrets redacted', async () => {
    const log = new S3Log({ s3, bucket: Bucket, key: 'a.log', flushMs: 50, secrets: ['hunter2-token'] });
    log.line('cloning https://x:hunter2-token@git.example.com/repo');
    log.write('a partial li');
    await new Promise((r) => setTimeout(r, 500));
    expect(await read('a.log')).toBe('cloning https://x:***@git.example.com/repo\n');
    log.write('ne, finished\n');
    await log.close();
    expect(await read('a.log')).toBe('cloning https://x:***@git.example.com/repo\na partial line, finished\n');
  });

  it('keeps the start and the end of a long build log, only ever growing the object', async () => {
    const log = new S3Log({ s3, bucket: Bucket, key: 'b.log', flushMs: 10, maxBytes: 20, tailBytes: 20 });
    for (let i = 0; i < 100; i++) log.line(`line ${String(i).padStart(3, '0')}`);
    await new Promise((r) => setTimeout(r, 200));
    const head = await read('b.log');
    expect(head).toBe('line 000\nline 001\n');
    await log.close();
    const text = await read('b.log');
    // A reader's offset into the object stays valid: what it read is still there, unchanged.
    expect(text.startsWith(head)).toBe(true);
    expect(text.endsWith('line 098\nline 099\n')).toBe(true);
    expect(text).toMatch(/\[\d+ bytes of output omitted\]/);
    expect(Buffer.byteLength(text)).toBeLessThan(200);
  });

  it('rolls a process’s output into segments and keeps the last ones', async () => {
    const key = (n: number) => `c/${String(n).padStart(6, '0')}.log`;
    const log = new S3Log({ s3, bucket: Bucket, key, flushMs: 10, maxBytes: 27, roll: { keep: 2 } });
    for (let i = 0; i < 30; i++) log.line(`out ${String(i).padStart(3, '0')}`);
    await log.close();
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'c/' }));
    const keys = (listed.Contents ?? []).map((o) => o.Key as string).sort();
    expect(keys).toEqual([key(8), key(9)]);
    expect(await read(key(8))).toBe('out 024\nout 025\nout 026\n');
    expect(await read(key(9))).toBe('out 027\nout 028\nout 029\n');
  });
});
