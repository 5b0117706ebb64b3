// Bulk data for the dashboard benchmark: apps with the history a real app
// accumulates (releases with their builds and config snapshots, deployments,
// server groups live, warm and destroyed, custom domains with certificates,
// config vars), written with createMany in the shapes the schema requires.
// Provider-specific values (image and template refs, group refs) follow each
// provider's own naming; what the platform itself produced for a real deploy
// of the sample app (build definition, detected processes, step names) is
// copied from that app's rows.
import { randomBytes, randomUUID } from 'node:crypto';
import { canonicalRepoUrl, type SecretBox } from '@paas/core';
import type { Build, Db, Deployment, Prisma, Release } from '@paas/db';

export interface SeedTemplate {
  /** The sample app's first build, release and deployment, as the platform wrote them. */
  build: Build;
  release: Release;
  deployment: Deployment;
}

export interface SeededApp {
  name: string;
  cloud: 'local' | 'aws';
}

const DAY = 86_400_000;
const SIZES = ['small', 'small', 'medium', 'large'] as const;
const CHUNK = 1_000;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Inserts `rows` in chunks (a statement holds at most 65,535 bound values). */
async function insert<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

export async function seedApps(input: {
  db: Db;
  secrets: SecretBox;
  teamId: string;
  accounts: { local: string; aws: string };
  count: number;
  releasesPerApp: number;
  template: SeedTemplate;
  now: Date;
}): Promise<{ apps: SeededApp[]; rows: Record<string, number> }> {
  const { db, secrets, template, now } = input;
  const apps: Prisma.AppCreateManyInput[] = [];
  const processTypes: Prisma.ProcessTypeCreateManyInput[] = [];
  const configVersions: Prisma.ConfigVersionCreateManyInput[] = [];
  const configVars: Prisma.ConfigVarCreateManyInput[] = [];
  const builds: Prisma.BuildCreateManyInput[] = [];
  const releases: Prisma.ReleaseCreateManyInput[] = [];
  const deployments: Prisma.DeploymentCreateManyInput[] = [];
  const groups: Prisma.ServerGroupCreateManyInput[] = [];
  const certificates: Prisma.CertificateCreateManyInput[] = [];
  const domains: Prisma.DomainCreateManyInput[] = [];
  const seeded: SeededApp[] = [];
  const buildLog = template.build.log.slice(0, 4_000);

  for (let i = 0; i < input.count; i++) {
    const cloud: 'local' | 'aws' = i % 2 === 0 ? 'aws' : 'local';
    const appId = randomUUID();
    const name = `bench-app-${String(i).padStart(4, '0')}`;
    const repoUrl = `https://github.com/acme/${name}.git`;
    const created = new Date(now.getTime() - 120 * DAY + i * 60_000);
    const hasConfig = i % 3 === 0;
    const hasWorker = i % 4 === 0;
    const formation = [
      { type: 'web', quantity: 1 + (i % 3), size: SIZES[i % 4] as string },
      ...(hasWorker ? [{ type: 'worker', quantity: 1, size: 'small' }] : []),
    ];
    // Config changes make releases of their own; a rollback every seventh app.
    const configReleases = hasConfig ? new Set([4, 9, 14]) : new Set<number>();
    const rollbackAt = i % 7 === 0 ? 12 : null;
    const finalConfigVersion = configReleases.size;

    apps.push({
      id: appId,
      teamId: input.teamId,
      cloudAccountId: cloud === 'aws' ? input.accounts.aws : input.accounts.local,
      name,
      repoUrl,
      repoKey: canonicalRepoUrl(repoUrl),
      branch: 'main',
      configVersion: finalConfigVersion,
      createdAt: created,
      updatedAt: new Date(created.getTime() + 100 * DAY),
    });
    for (const p of formation) {
      processTypes.push({ appId, type: p.type, quantity: p.quantity, instanceSize: p.size });
    }

    // Config: the vars as they are now, and one sealed snapshot per version.
    const vars: Record<string, string> = {};
    const snapshotIds: string[] = [];
    const varKeys = ['DATABASE_URL', 'REDIS_URL', 'SECRET_KEY_BASE', 'SENTRY_DSN', 'FEATURE_FLAGS', 'LOG_LEVEL'];
    for (let v = 0; v <= finalConfigVersion; v++) {
      if (v > 0) {
        for (const key of varKeys.slice(0, 2 + v)) vars[key] = `${key.toLowerCase()}-${hex(12)}`;
      }
      const id = randomUUID();
      snapshotIds.push(id);
      configVersions.push({
        id,
        appId,
        version: v,
        varsEnc: secrets.seal(JSON.stringify(vars)),
        storeRef: cloud === 'aws' ? `/paas/apps/${appId}/config/v${v}` : `c-${appId}-v${v}`,
        createdAt: new Date(created.getTime() + v * 20 * DAY),
      });
    }
    for (const [key, value] of Object.entries(vars)) {
      configVars.push({ appId, key, valueEnc: secrets.seal(value) });
    }

    // Releases: pushes build, config changes and rollbacks reuse a build.
    const appReleases: { id: string; version: number; buildId: string; createdAt: Date; cause: string; sha: string }[] = [];
    let configVersion = 0;
    let lastBuild: { id: string; sha: string } | null = null;
    for (let v = 1; v <= input.releasesPerApp; v++) {
      const at = new Date(created.getTime() + v * 5 * DAY + (i % 97) * 1_000);
      const releaseId = randomUUID();
      let cause: 'deploy' | 'push' | 'config' | 'rollback' = v === 1 ? 'deploy' : 'push';
      let description: string;
      let sourceReleaseId: string | null = null;
      let build: { id: string; sha: string } | null = lastBuild;
      if (configReleases.has(v) && lastBuild) {
        cause = 'config';
        configVersion++;
        description = `Set ${varKeys[configVersion + 1]}`;
      } else if (v === rollbackAt && appReleases.length >= 2) {
        cause = 'rollback';
        const back = appReleases[appReleases.length - 2] as (typeof appReleases)[number];
        sourceReleaseId = back.id;
        build = { id: back.buildId, sha: back.sha };
        description = `Rollback to v${back.version}`;
      } else {
        const sha = hex(20);
        const buildId = randomUUID();
        builds.push({
          id: buildId,
          appId,
          commitSha: sha,
          ref: 'main',
          commitMessage: `change ${v} of ${name}`,
          definition: template.build.definition,
          status: 'succeeded',
          imageRef: cloud === 'aws' ? `ami-${hex(9).slice(0, 17)}` : `${template.build.imageRef ?? 'image'}-${buildId}`,
          processes: (hasWorker
            ? { ...(template.build.processes as object), worker: 'node worker.js' }
            : template.build.processes) as Prisma.InputJsonValue,
          stack: template.build.stack,
          log: buildLog,
          startedAt: at,
          finishedAt: new Date(at.getTime() + 40_000),
          createdAt: at,
        });
        build = { id: buildId, sha };
        description = v === 1 ? `Deploy ${sha.slice(0, 7)}` : `Push ${sha.slice(0, 7)}`;
      }
      lastBuild = build;
      const templateRef =
        cloud === 'aws'
          ? JSON.stringify({
              aws: 1,
              processes: Object.fromEntries(
                formation.map((p) => [
                  p.type,
                  {
                    launchTemplateId: `lt-${hex(9).slice(0, 17)}`,
                    version: v,
                    healthCheck:
                      p.type === 'web'
                        ? {
                            path: '/',
                            gracePeriodMs: 300_000,
                            intervalMs: 10_000,
                            timeoutMs: 5_000,
                            healthyThreshold: 2,
                            unhealthyThreshold: 3,
                          }
                        : null,
                  },
                ]),
              ),
            })
          : `t-${releaseId}`;
      releases.push({
        id: releaseId,
        appId,
        version: v,
        buildId: (build as { id: string }).id,
        configVersionId: snapshotIds[configVersion] as string,
        cause,
        sourceReleaseId,
        description,
        status: v === input.releasesPerApp ? 'active' : 'superseded',
        templateRef,
        createdAt: at,
      });
      appReleases.push({
        id: releaseId,
        version: v,
        buildId: (build as { id: string }).id,
        createdAt: at,
        cause,
        sha: (build as { sha: string }).sha,
      });
    }

    // Server groups: the live release's per process type, the previous one's
    // (kept warm on this machine, gone on AWS after its retention), older ones destroyed.
    const groupIdsByRelease = new Map<string, string[]>();
    for (const r of appReleases) {
      const age = input.releasesPerApp - r.version;
      const status = age === 0 ? 'active' : age === 1 && cloud === 'local' ? 'disabled' : 'destroyed';
      const ids: string[] = [];
      for (const p of formation) {
        const id = randomUUID();
        ids.push(id);
        const live = status !== 'destroyed';
        const instances = live
          ? Array.from({ length: p.quantity }, (_, n) => ({
              id: cloud === 'aws' ? `i-${hex(9).slice(0, 17)}` : `${id.slice(0, 8)}-${n}`,
              health: 'healthy',
            }))
          : [];
        groups.push({
          id,
          appId,
          releaseId: r.id,
          processType: p.type,
          providerRef: cloud === 'aws' ? `paas-${id}` : `g-${id}`,
          minSize: p.quantity,
          maxSize: p.quantity,
          desired: p.quantity,
          status,
          registered: status === 'active' && p.type === 'web',
          receivesTraffic: status === 'active' && p.type === 'web',
          disabledAt: status === 'disabled' ? new Date(r.createdAt.getTime() + 5 * DAY) : null,
          observedHealthy: instances.length,
          observedInstances: instances,
          observedDesired: live ? p.quantity : null,
          observedAt: live ? now : null,
          createdAt: new Date(r.createdAt.getTime() + 60_000),
          updatedAt: new Date(r.createdAt.getTime() + (live ? 120_000 : 5 * DAY)),
        });
      }
      groupIdsByRelease.set(r.id, ids);
    }

    // Deployments: the last five releases', and for some apps a later one that failed.
    const recent = appReleases.slice(-5);
    for (const [n, r] of recent.entries()) {
      const previous = appReleases[appReleases.indexOf(r) - 1];
      const t = (s: number) => new Date(r.createdAt.getTime() - 60_000 + s * 1_000).toISOString();
      deployments.push({
        appId,
        kind: r.cause === 'push' ? 'deploy' : r.cause === 'config' ? 'config' : r.cause === 'rollback' ? 'rollback' : 'deploy',
        state: 'succeeded',
        step: template.deployment.step,
        stepData: {
          build: { startedAt: t(0), finishedAt: t(40), reused: r.cause !== 'push' },
          release: { startedAt: t(40), finishedAt: t(41), releaseId: r.id, version: r.version },
          launch: { startedAt: t(41), finishedAt: t(43), created: groupIdsByRelease.get(r.id) ?? [] },
          await_healthy: {
            startedAt: t(43),
            finishedAt: t(55),
            note: `web ${formation[0]?.quantity}/${formation[0]?.quantity} healthy`,
          },
          route: {
            startedAt: t(55),
            finishedAt: t(56),
            from: previous ? (groupIdsByRelease.get(previous.id)?.[0] ?? null) : null,
            to: groupIdsByRelease.get(r.id)?.[0] ?? null,
            fromRelease: previous?.id ?? null,
            phase: 'switched',
          },
          retire: { startedAt: t(56), finishedAt: t(58), destroyed: formation.length },
        },
        attempts: 1,
        description:
          r.cause === 'config' ? 'Config change' : r.cause === 'rollback' ? `Rollback to v${r.version - 2}` : 'Deploy main',
        ref: 'main',
        commitSha: r.sha,
        parentCommitSha: null,
        buildId: r.buildId,
        releaseId: r.id,
        trigger: n % 2 === 0 ? 'github' : 'dashboard',
        startedAt: new Date(r.createdAt.getTime() - 60_000),
        finishedAt: new Date(r.createdAt.getTime() - 2_000),
        createdAt: new Date(r.createdAt.getTime() - 61_000),
        updatedAt: new Date(r.createdAt.getTime() - 2_000),
      });
    }
    if (i % 25 === 0) {
      const at = new Date((appReleases.at(-1) as { createdAt: Date }).createdAt.getTime() + DAY);
      deployments.push({
        appId,
        kind: 'deploy',
        state: 'failed',
        step: 'build',
        stepData: { build: { startedAt: at.toISOString() } },
        attempts: 1,
        description: 'Deploy main',
        ref: 'main',
        commitSha: hex(20),
        errorCode: 'build_failed',
        error: 'The build failed: npm ci exited with 1',
        trigger: 'github',
        startedAt: at,
        finishedAt: new Date(at.getTime() + 30_000),
        createdAt: at,
        updatedAt: new Date(at.getTime() + 30_000),
      });
    }

    // Custom domains on every fifth app (two on every tenth), each with its certificate.
    const hostnames =
      i % 10 === 0 ? [`www.${name}.example.com`, `api.${name}.example.com`] : i % 5 === 0 ? [`www.${name}.example.com`] : [];
    for (const hostname of hostnames) {
      const certificateId = randomUUID();
      certificates.push({
        id: certificateId,
        cloudAccountId: cloud === 'aws' ? input.accounts.aws : input.accounts.local,
        domainNames: [hostname],
        providerRef: cloud === 'aws' ? `arn:aws:acm:us-east-1:123456789012:certificate/${randomUUID()}` : `local:${hostname}`,
        status: 'issued',
        validationRecords:
          cloud === 'aws' ? [{ name: `_${hex(16)}.${hostname}.`, type: 'CNAME', value: `_${hex(16)}.acm-validations.aws.` }] : [],
        requestedAt: new Date(created.getTime() + 10 * DAY),
        issuedAt: new Date(created.getTime() + 10 * DAY + 600_000),
        expiresAt: cloud === 'aws' ? new Date(now.getTime() + 300 * DAY) : null,
      });
      domains.push({ appId, hostname, status: 'active', certificateId, createdAt: new Date(created.getTime() + 10 * DAY) });
    }
    seeded.push({ name, cloud });
  }

  await insert(apps, (data) => db.app.createMany({ data }));
  await insert(processTypes, (data) => db.processType.createMany({ data }));
  await insert(configVersions, (data) => db.configVersion.createMany({ data }));
  await insert(configVars, (data) => db.configVar.createMany({ data }));
  await insert(builds, (data) => db.build.createMany({ data }));
  // A rollback release names an earlier release of its app: inserted in version order, it is always there first.
  await insert(releases, (data) => db.release.createMany({ data }));
  await insert(deployments, (data) => db.deployment.createMany({ data }));
  await insert(groups, (data) => db.serverGroup.createMany({ data }));
  await insert(certificates, (data) => db.certificate.createMany({ data }));
  await insert(domains, (data) => db.domain.createMany({ data }));
  return {
    apps: seeded,
    rows: {
      apps: apps.length,
      processTypes: processTypes.length,
      configVersions: configVersions.length,
      configVars: configVars.length,
      builds: builds.length,
      releases: releases.length,
      deployments: deployments.length,
      serverGroups: groups.length,
      certificates: certificates.length,
      domains: domains.length,
    },
  };
}
