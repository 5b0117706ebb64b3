import { shellQuote } from '@paas/buildpacks';

export interface InstanceUserDataInput {
  region: string;
  bucket: string;
  app: { id: string; name: string };
  release: { id: string; version: number };
  processType: string;
  command: string;
  /** The config snapshot's parameter, read at boot; null = no config vars. */
  configParameter: string | null;
  /** The app port, for web; other process types get none. */
  port: number | null;
  memoryMb: number;
  cpus: number;
  logPrefix: string;
}

/**
 * The user data of an app instance: no secret in it, only where things are.
 * The agent reads the release's config from Parameter Store at boot, starts
 * the process type as an unprivileged user that cannot reach the instance
 * metadata service (so the app never gets the instance role's credentials),
 * restarts it when it dies and ships its output to the artifacts bucket.
 */
export function renderInstanceUserData(input: InstanceUserDataInput): string {
  const env: Record<string, string> = {
    AWS_DEFAULT_REGION: input.region,
    PAAS_ROLE: 'app',
    PAAS_BUCKET: input.bucket,
    PAAS_APP_ID: input.app.id,
    PAAS_APP_NAME: input.app.name,
    PAAS_RELEASE_ID: input.release.id,
    PAAS_RELEASE_VERSION: String(input.release.version),
    PAAS_PROCESS_TYPE: input.processType,
    PAAS_COMMAND_B64: Buffer.from(input.command, 'utf8').toString('base64'),
    PAAS_CONFIG_PARAMETER: input.configParameter ?? '',
    PAAS_MEMORY_MB: String(input.memoryMb),
    PAAS_CPUS: String(input.cpus),
    PAAS_LOG_PREFIX: input.logPrefix,
  };
  return [
    '#!/bin/bash',
    `# The platform's app instance: ${input.app.name} v${input.release.version}, ${input.processType}.`,
    'set -euo pipefail',
    'umask 077',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash default, not a JS template
    'root="${PAAS_ROOT:-}"',
    ...Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    // The target group's port; a host that maps ports (the AWS twin) passes its own.
    input.port === null ? "export PAAS_PORT=''" : `export PAAS_PORT="\${PAAS_PORT:-${input.port}}"`,
    '# The app runs as its own user, which may not reach the instance metadata service.',
    'if [ -z "$root" ]; then',
    '  id paas-app >/dev/null 2>&1 || useradd --system --create-home --home-dir /home/paas-app --shell /sbin/nologin paas-app',
    '  iptables -C OUTPUT -d 169.254.169.254 -m owner --uid-owner paas-app -j REJECT 2>/dev/null ||',
    '    iptables -I OUTPUT -d 169.254.169.254 -m owner --uid-owner paas-app -j REJECT',
    '  ip6tables -C OUTPUT -d fd00:ec2::254 -m owner --uid-owner paas-app -j REJECT 2>/dev/null ||',
    '    ip6tables -I OUTPUT -d fd00:ec2::254 -m owner --uid-owner paas-app -j REJECT || true',
    'fi',
    // On an instance the agent runs as a service, so cloud-init finishes and the agent is restarted if it dies.
    'if [ -z "$root" ]; then',
    '  env | grep -E "^(AWS_|PAAS_)" > /etc/paas-agent.env',
    '  exec systemd-run --unit paas-agent --property Restart=always --property EnvironmentFile=/etc/paas-agent.env \\',
    '    /usr/bin/node /opt/paas/agent.mjs run',
    'fi',
    'exec node "$root/opt/paas/agent.mjs" run',
    '',
  ].join('\n');
}
