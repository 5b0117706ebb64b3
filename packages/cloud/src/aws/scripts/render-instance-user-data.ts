import { shellQuote } from '@paas/buildpacks';
import { appUserSetup, IMDS_FIREWALL } from './app-user-setup';

/** The agent's systemd unit: the firewall first, restarts forever (AWS may be briefly unreachable at boot). */
const AGENT_UNIT = [
  '[Unit]',
  'Description=paas instance agent',
  'Wants=network-online.target',
  'After=network-online.target',
  'StartLimitIntervalSec=0',
  '[Service]',
  'EnvironmentFile=/etc/paas-agent.env',
  `ExecStartPre=${IMDS_FIREWALL}`,
  'ExecStart=/usr/bin/node /opt/paas/agent.mjs run',
  'Restart=always',
  'RestartSec=5',
  // SIGTERM to the agent, which stops the app gracefully; then whatever is left.
  'KillMode=mixed',
  'TimeoutStopSec=20',
  '[Install]',
  'WantedBy=multi-user.target',
];

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
    // On an instance the agent is a service: it starts again after a reboot, and after any failure.
    'if [ -z "$root" ]; then',
    ...appUserSetup(),
    '  env | grep -E "^(AWS_|PAAS_)" > /etc/paas-agent.env',
    `  cat > /etc/systemd/system/paas-agent.service <<'UNIT'`,
    ...AGENT_UNIT,
    'UNIT',
    '  chmod 644 /etc/systemd/system/paas-agent.service',
    '  systemctl daemon-reload',
    '  exec systemctl enable --now paas-agent.service',
    'fi',
    'exec node "$root/opt/paas/agent.mjs" run',
    '',
  ].join('\n');
}
