import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstanceAttributeCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { detect, directorySourceReader, renderFetchSourceScript } from '@paas/buildpacks';
import { MOTO_CREDENTIALS } from './moto-server';

export interface BuilderBehaviour {
  /** Extra time the build takes (a cancel or a deadline can land meanwhile). */
  buildMs?: number;
  /** Fails the build with this message instead. */
  fail?: string;
  /** Never reports, as a builder that hangs or died. */
  silent?: boolean;
}

export interface BuilderDouble {
  /** Builds played so far, by build id. */
  played: Set<string>;
  behaviour: (request: { buildId: string; ref: string; repoUrl: string }) => BuilderBehaviour;
  stop(): Promise<void>;
}

/**
 * Plays the builder instance that moto launches but never runs. It reads the
 * instance's real user data to find the bucket and the build's prefix, then
 * speaks the builder protocol: reads request.json, checks the commit out with
 * the build definition's own fetch script, detects the app, streams the log
 * and writes result.json last (never over a result the platform wrote, as a
 * cancel). Installing dependencies is left out: this is the control plane's test.
 */
export function startBuilderDouble(options: { endpoint: string; region: string }): BuilderDouble {
  const config = { region: options.region, endpoint: options.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 };
  const ec2 = new EC2Client(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const running = new Set<Promise<void>>();
  const seen = new Set<string>();
  let stopped = false;
  const double: BuilderDouble = {
    played: new Set(),
    behaviour: () => ({}),
    async stop() {
      stopped = true;
      await loop;
      await Promise.allSettled([...running]);
      ec2.destroy();
      s3.destroy();
    },
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        const out = await ec2.send(
          new DescribeInstancesCommand({
            Filters: [
              { Name: 'tag:paas:role', Values: ['builder'] },
              { Name: 'instance-state-name', Values: ['running'] },
            ],
          }),
        );
        for (const instance of (out.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
          const id = instance.InstanceId as string;
          if (seen.has(id)) continue;
          seen.add(id);
          const job = play(id).catch(() => {});
          running.add(job);
          void job.finally(() => running.delete(job));
        }
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
  })();

  async function play(instanceId: string): Promise<void> {
    const attr = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }));
    const userData = Buffer.from(attr.UserData?.Value ?? '', 'base64').toString('utf8');
    const setting = (name: string) => {
      const m = new RegExp(`^export ${name}=(?:'([^']*)'|(\\S+))$`, 'm').exec(userData);
      return m?.[1] ?? m?.[2];
    };
    const bucket = setting('PAAS_BUCKET');
    const prefix = setting('PAAS_BUILD_PREFIX');
    if (!bucket || !prefix) return;
    const get = async (key: string) => {
      try {
        const o = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: prefix + key }));
        return await o.Body?.transformToString();
      } catch {
        return undefined;
      }
    };
    const hasResult = async () => {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}result.json` }));
        return true;
      } catch {
        return false;
      }
    };
    const request = JSON.parse((await get('request.json')) ?? '{}') as {
      buildId: string;
      app: { name: string };
      repoUrl: string;
      ref: string;
    };
    double.played.add(request.buildId);
    const behaviour = double.behaviour(request);
    if (behaviour.silent) return;
    let log = '';
    const line = async (text: string) => {
      log += `${text}\n`;
      if (!(await hasResult())) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}log`, Body: log }));
    };
    const finish = async (result: object) => {
      if (await hasResult()) return;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}result.json`, Body: JSON.stringify(result) }));
    };

    await line(`-----> Building ${request.app.name} from ${request.ref} (build ${request.buildId})`);
    const dir = await mkdtemp(join(tmpdir(), 'paas-builder-double-'));
    try {
      const fetch = spawnSync('bash', ['-c', renderFetchSourceScript({ repoUrl: request.repoUrl, ref: request.ref, dir })], {
        encoding: 'utf8',
      });
      for (const l of `${fetch.stdout}${fetch.stderr}`.split('\n').filter(Boolean)) await line(l);
      const commitSha = /^-----> Checked out commit ([0-9a-f]{40})$/m.exec(fetch.stdout)?.[1];
      if (fetch.status !== 0 || !commitSha) {
        const message = `Could not fetch ${request.ref} from the repository (exit status ${fetch.status})`;
        await line(` !     ${message}`);
        return finish({ state: 'failed', error: message });
      }
      let plan: Awaited<ReturnType<typeof detect>>;
      try {
        plan = await detect(directorySourceReader(dir));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await line(` !     ${message}`);
        return finish({ state: 'failed', error: message });
      }
      if (plan.stack === 'node' && plan.build) await line('-----> Running npm run build');
      const until = Date.now() + (behaviour.buildMs ?? (await scriptSleepMs(dir)));
      while (Date.now() < until) {
        if (stopped || (await hasResult())) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (behaviour.fail) {
        await line(` !     ${behaviour.fail}`);
        return finish({ state: 'failed', error: behaviour.fail });
      }
      await line('-----> Build succeeded');
      await finish({ state: 'succeeded', commitSha, processes: plan.processes, stack: plan.stack });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return double;
}

/** A build script of `sleep N` takes N seconds on a real builder: the double takes as long. */
async function scriptSleepMs(dir: string): Promise<number> {
  try {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { scripts?: { build?: string } };
    const seconds = /\bsleep (\d+)/.exec(pkg.scripts?.build ?? '')?.[1];
    return seconds ? Number(seconds) * 1000 : 0;
  } catch {
    return 0;
  }
}
