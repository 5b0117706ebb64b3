import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsContext } from './context';
import { isAwsError, toAppError } from './errors';
import { awsNames } from './names';

// The artifacts bucket: builders report here (request, log, result) and app
// instances ship their logs here. Private, one per account and region.
export async function artifactsBucket(ctx: AwsContext): Promise<string> {
  return ctx.memo.once('bucket', async () => {
    const name = ctx.settings.artifactsBucket ?? awsNames.artifactsBucket(await accountId(ctx), ctx.region);
    try {
      await ctx.clients.s3.send(new HeadBucketCommand({ Bucket: name }));
      return name;
    } catch (error) {
      if (
        !isAwsError(error, 'NotFound', 'NoSuchBucket') &&
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404
      )
        throw toAppError(error, `HeadBucket ${name}`);
    }
    try {
      await ctx.clients.s3.send(
        new CreateBucketCommand({
          Bucket: name,
          ...(ctx.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: ctx.region as never } }),
        }),
      );
    } catch (error) {
      if (!isAwsError(error, 'BucketAlreadyOwnedByYou')) throw toAppError(error, `CreateBucket ${name}`);
    }
    await ctx.clients.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: name,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    return name;
  });
}

export async function accountId(ctx: AwsContext): Promise<string> {
  return ctx.memo.once('account-id', async () => {
    try {
      const me = await ctx.clients.sts.send(new GetCallerIdentityCommand({}));
      if (!me.Account) throw new Error('STS returned no account');
      return me.Account;
    } catch (error) {
      throw toAppError(error, 'GetCallerIdentity');
    }
  });
}

export async function putText(ctx: AwsContext, key: string, body: string): Promise<void> {
  const Bucket = await artifactsBucket(ctx);
  try {
    await ctx.clients.s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: 'text/plain; charset=utf-8' }));
  } catch (error) {
    throw toAppError(error, `PutObject ${key}`);
  }
}

export async function getText(ctx: AwsContext, key: string): Promise<string | null> {
  const Bucket = await artifactsBucket(ctx);
  try {
    const out = await ctx.clients.s3.send(new GetObjectCommand({ Bucket, Key: key }));
    return (await out.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey', 'NotFound')) return null;
    throw toAppError(error, `GetObject ${key}`);
  }
}

export async function exists(ctx: AwsContext, key: string): Promise<boolean> {
  const Bucket = await artifactsBucket(ctx);
  try {
    await ctx.clients.s3.send(new HeadObjectCommand({ Bucket, Key: key }));
    return true;
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey', 'NotFound')) return false;
    throw toAppError(error, `HeadObject ${key}`);
  }
}

/** How long ago an object was written; null when it does not exist. */
export async function objectAgeMs(ctx: AwsContext, key: string): Promise<number | null> {
  const Bucket = await artifactsBucket(ctx);
  try {
    const out = await ctx.clients.s3.send(new HeadObjectCommand({ Bucket, Key: key }));
    return Date.now() - (out.LastModified?.getTime() ?? Date.now());
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey', 'NotFound')) return null;
    throw toAppError(error, `HeadObject ${key}`);
  }
}

/** Bytes of an object from `from`, at most `max`; null when the object does not exist. */
export async function getBytes(
  ctx: AwsContext,
  key: string,
  from: number,
  max: number,
): Promise<{ bytes: Buffer; size: number } | null> {
  const Bucket = await artifactsBucket(ctx);
  try {
    const out = await ctx.clients.s3.send(new GetObjectCommand({ Bucket, Key: key, Range: `bytes=${from}-${from + max - 1}` }));
    const bytes = Buffer.from((await out.Body?.transformToByteArray()) ?? []);
    const size = Number(/\/(\d+)$/.exec(out.ContentRange ?? '')?.[1] ?? from + bytes.length);
    return { bytes, size };
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey', 'NotFound')) return null;
    if (isAwsError(error, 'InvalidRange')) return { bytes: Buffer.alloc(0), size: from };
    throw toAppError(error, `GetObject ${key}`);
  }
}

export async function listKeys(ctx: AwsContext, prefix: string): Promise<{ key: string; size: number }[]> {
  const Bucket = await artifactsBucket(ctx);
  const keys: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const out = await ctx.clients.s3
      .send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }))
      .catch((error) => {
        throw toAppError(error, `ListObjectsV2 ${prefix}`);
      });
    for (const o of out.Contents ?? []) if (o.Key) keys.push({ key: o.Key, size: o.Size ?? 0 });
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

export async function deletePrefix(ctx: AwsContext, prefix: string): Promise<void> {
  const Bucket = await artifactsBucket(ctx);
  const keys = await listKeys(ctx, prefix);
  for (let i = 0; i < keys.length; i += 1000) {
    await ctx.clients.s3
      .send(
        new DeleteObjectsCommand({
          Bucket,
          Delete: { Objects: keys.slice(i, i + 1000).map((k) => ({ Key: k.key })), Quiet: true },
        }),
      )
      .catch((error) => {
        throw toAppError(error, `DeleteObjects ${prefix}`);
      });
  }
}
