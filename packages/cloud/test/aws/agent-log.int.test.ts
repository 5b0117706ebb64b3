import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
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
    await log.flush();
    expect(await read('a.log')).toBe('cloning https://x:***@git.example.com/repo\na partial line, finished\n');
  });

  it('keeps the head and the tail of a noisy process, and says how much it left out', async () => {
    const log = new S3Log({ s3, bucket: Bucket, key: 'b.log', flushMs: 10_000, headBytes: 20, tailBytes: 20 });
    for (let i = 0; i < 100; i++) log.line(`line ${String(i).padStart(3, '0')}`);
    await log.flush();
    const text = await read('b.log');
    expect(text.startsWith('line 000\nline 001\n')).toBe(true);
    expect(text.endsWith('line 098\nline 099\n')).toBe(true);
    expect(text).toMatch(/\[\d+ bytes of output omitted\]/);
    expect(Buffer.byteLength(text)).toBeLessThan(200);
  });
});
