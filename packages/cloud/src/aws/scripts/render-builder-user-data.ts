import { shellQuote } from '@paas/buildpacks';
import { appUserSetup } from './app-user-setup';

export interface BuilderUserDataInput {
  region: string;
  bucket: string;
  /** `apps/<app>/builds/<build>/`: request.json is read from it; log and result.json are written to it. */
  buildPrefix: string;
  /** The instance agent inside the bucket. */
  agentKey: string;
}

/**
 * The user data of a builder instance. It holds no secret (user data is
 * readable by anyone allowed DescribeInstanceAttribute): what to build is in
 * the bucket, a git credential in Parameter Store, both read with the
 * instance's role. The agent runs the same build definition as the local
 * builder, as an app user that cannot reach the instance role, streams the log to the bucket and writes result.json; then the
 * instance waits to be imaged and terminated by the platform. Any failure
 * before the agent runs is reported as a failed result at once, so the
 * platform never waits out its deadline for a builder that cannot start.
 * PAAS_ROOT lets the same script run in a root directory of its own.
 */
export function renderBuilderUserData(input: BuilderUserDataInput): string {
  const s3 = (file: string) => shellQuote(`s3://${input.bucket}/${input.buildPrefix}${file}`);
  return [
    '#!/bin/bash',
    '# The platform builder: builds one image, reports to the artifacts bucket, then waits to be imaged.',
    'set -euo pipefail',
    'umask 077',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash default, not a JS template
    'root="${PAAS_ROOT:-}"',
    `export AWS_DEFAULT_REGION=${shellQuote(input.region)}`,
    'export PAAS_ROLE=builder',
    `export PAAS_BUCKET=${shellQuote(input.bucket)}`,
    `export PAAS_BUILD_PREFIX=${shellQuote(input.buildPrefix)}`,
    'report_failure() {',
    '  local message="$1"',
    `  printf '%s\\n' " !     $message" | aws s3 cp - ${s3('log')} || true`,
    `  printf '{"state":"failed","error":"%s"}\\n' "$message" | aws s3 cp - ${s3('result.json')} || true`,
    '}',
    'trap \'report_failure "the builder could not start (line $LINENO)"\' ERR',
    'mkdir -p "$root/opt/paas"',
    '# The toolchains and git: the build definition needs them, the image keeps them for the app.',
    '# Node.js 22 (LTS); AL2023 names its binaries node-22 and npm-22, `node` and `npm` point at the active one.',
    '# Python 3 with venv and pip for Python apps (their virtualenv links to this python), Go for Go apps.',
    'if [ -z "$root" ]; then',
    '  dnf install -y -q nodejs22 nodejs22-npm git iptables-nft python3 python3-pip golang >/dev/null',
    '  alternatives --set node /usr/bin/node-22',
    '  # Builds run as the app user, which cannot reach the instance role.',
    ...appUserSetup(),
    'fi',
    `aws s3 cp ${shellQuote(`s3://${input.bucket}/${input.agentKey}`)} "$root/opt/paas/agent.mjs" --only-show-errors`,
    'trap - ERR',
    'exec node "$root/opt/paas/agent.mjs" build',
    '',
  ].join('\n');
}
