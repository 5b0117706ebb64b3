import { createHash } from 'node:crypto';

// Every AWS name derives from a platform id, so a retried step finds what an
// earlier attempt made (describe before create). Names never contain an app
// name: two apps can never collide, whatever they are called. Limits: target
// groups and load balancers 32 characters, client tokens 64.
const hex = (id: string) => id.replaceAll('-', '').toLowerCase();
const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex');

export const awsNames = {
  /** The Auto Scaling Group of a server group: also the group's ref. */
  autoScalingGroup: (groupId: string) => `paas-${groupId}`,
  groupIdOf: (ref: string) => /^paas-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(ref)?.[1] ?? null,
  targetGroup: (groupId: string) => `paas-${hex(groupId).slice(0, 27)}`,
  /** The group's one target-tracking policy: policy names are per group on AWS, this one is unique in the account too. */
  scalingPolicy: (groupRef: string) => `${groupRef}-target-tracking`,
  launchTemplate: (appId: string, processType: string) => `paas-${hex(appId)}-${processType}`,
  launchTemplateVersionDescription: (releaseId: string) => `release ${releaseId}`,
  launchTemplateToken: (releaseId: string, processType: string) => digest('lt', releaseId, processType).slice(0, 64),
  builderToken: (buildId: string) => `build-${buildId}`,
  image: (buildId: string) => `paas-build-${buildId}`,
  /** Identifies the source of an image without putting a repository URL in a tag. */
  imageSource: (repoUrl: string, commitSha: string, definition: string) => digest(repoUrl, commitSha, definition).slice(0, 40),
  loadBalancer: (prefix: string, index: number) => `${prefix}-${index}`,
  securityGroup: (prefix: string, role: 'lb' | 'instances') => `${prefix}-${role}`,
  artifactsBucket: (accountId: string, region: string) => `paas-artifacts-${accountId}-${region}`,
  appParameterPath: (appId: string) => `/paas/apps/${appId}/`,
  configParameter: (appId: string, version: number) => `/paas/apps/${appId}/config/v${version}`,
  gitCredentialsParameter: (appId: string, buildId: string) => `/paas/apps/${appId}/builds/${buildId}/git-credentials`,
  placementParameter: (appId: string) => `/paas/apps/${appId}/placement`,
  appPrefix: (appId: string) => `apps/${appId}/`,
  buildPrefix: (appId: string, buildId: string) => `apps/${appId}/builds/${buildId}/`,
  buildKey: (appId: string, buildId: string, file: 'request.json' | 'result.json' | 'log') =>
    `apps/${appId}/builds/${buildId}/${file}`,
  /** Instances write `<prefix><group>/<instance>.log`, learning their group from the ASG's tag. */
  appLogPrefix: (appId: string) => `apps/${appId}/logs/`,
  instanceLogPrefix: (appId: string, groupRef: string) => `apps/${appId}/logs/${groupRef}/`,
  /** An unreachable hostname that keeps an offline app's rule without matching any request. */
  offlineHostname: (appId: string) => `${hex(appId)}.offline.invalid`,
};

/** The build's handle: the app and build ids, which name every object of the build. */
export function buildJobRef(appId: string, buildId: string): string {
  return `${appId}/${buildId}`;
}

export function parseBuildJobRef(jobRef: string): { appId: string; buildId: string } | null {
  const m = /^([0-9a-f-]{36})\/([0-9a-f-]{36})$/.exec(jobRef);
  return m ? { appId: m[1] as string, buildId: m[2] as string } : null;
}
