import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Instance } from './instance';

export async function readText(instance: Instance, key: string): Promise<string> {
  const out = await instance.s3.send(new GetObjectCommand({ Bucket: instance.bucket, Key: key }));
  return (await out.Body?.transformToString('utf8')) ?? '';
}

export async function writeText(instance: Instance, key: string, text: string): Promise<void> {
  await instance.s3.send(
    new PutObjectCommand({ Bucket: instance.bucket, Key: key, Body: text, ContentType: 'application/json' }),
  );
}
