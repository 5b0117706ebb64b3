// The first boot of the control-plane instance: install Node 20 and git, fetch
// the platform at the stack's Version, and run its four processes as systemd
// units. Written for CloudFormation's Fn::Sub: `${Name}` is a stack reference
// (or one of USER_DATA_VARIABLES), so the shell only ever uses `$name` (no braces).
//
// No secret is in here: user data is readable by anyone allowed
// DescribeInstanceAttribute. The secrets' ARNs are; a unit reads the values
// from Secrets Manager with the instance role at every boot (so a changed
// secret is picked up by a reboot) into a file only the `paas` user can read.

/** The Fn::Sub variables the script uses beyond the stack's parameters and resources. */
export const USER_DATA_VARIABLES = {
  Subnets: { 'Fn::Join': [',', { Ref: 'SubnetIds' }] },
  DatabaseHost: { 'Fn::GetAtt': ['Database', 'Endpoint.Address'] },
  DatabasePort: { 'Fn::GetAtt': ['Database', 'Endpoint.Port'] },
  RedisHost: { 'Fn::GetAtt': ['Redis', 'PrimaryEndPoint.Address'] },
  RedisPort: { 'Fn::GetAtt': ['Redis', 'PrimaryEndPoint.Port'] },
};

const PROCESSES = ['web', 'worker', 'router', 'webhooks'] as const;

// The platform processes run as an unprivileged user; nothing they do on AWS
// needs root. On the local provider (Cloud=local) apps then run as that user too.
function unit(name: (typeof PROCESSES)[number]): string {
  return `cat > /etc/systemd/system/paas-${name}.service <<'UNIT'
[Unit]
Description=paas ${name}
Requires=paas-env.service
After=paas-env.service network-online.target
Wants=network-online.target
# Restart=always forever: one instance is the whole platform, there is no one else to take over.
StartLimitIntervalSec=0

[Service]
User=paas
WorkingDirectory=/opt/paas/src
EnvironmentFile=/etc/paas/env
ExecStart=/usr/local/bin/node scripts/platform.mjs service ${name}
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT`;
}

/** The Fn::Sub body of the launch template's user data. */
export function controlPlaneUserData(): string {
  return `#!/bin/bash
# paas control plane, first boot (cloud-init runs this once per instance).
set -euo pipefail
exec > >(tee -a /var/log/paas-boot.log) 2>&1

# Tell CloudFormation how the boot went: the stack waits for it (CreationPolicy).
signal() { /opt/aws/bin/cfn-signal --stack '\${AWS::StackName}' --resource Instances --region '\${AWS::Region}' --exit-code "$1" || true; }
trap 'signal 1' ERR

dnf install -y nodejs20 nodejs20-npm git jq aws-cfn-bootstrap
# Amazon Linux names them node-20 and npm-20; the platform's scripts call node and npm.
for bin in node npm npx; do ln -sf "/usr/bin/$bin-20" "/usr/local/bin/$bin"; done

# npm ci and next build need more than the 2 GiB of a t3.small at their peak.
if [ ! -f /swapfile ]; then
  dd if=/dev/zero of=/swapfile bs=1M count=2048 status=none
  chmod 600 /swapfile
  mkswap /swapfile
  echo '/swapfile none swap defaults 0 0' >> /etc/fstab
fi
swapon -a

id paas >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/paas --shell /sbin/nologin paas
install -d -o paas -g paas /opt/paas /var/lib/paas/data
install -d -m 0750 -o root -g paas /etc/paas
as_paas() { runuser -u paas -- env HOME=/var/lib/paas PATH=/usr/local/bin:/usr/bin:/bin "$@"; }

# The platform at exactly the stack's Version (a branch, tag or commit).
if [ ! -d /opt/paas/src/.git ]; then
  as_paas git init -q /opt/paas/src
  as_paas git -C /opt/paas/src remote add origin '\${RepositoryUrl}'
fi
as_paas git -C /opt/paas/src fetch -q --depth 1 origin '\${Version}'
as_paas git -C /opt/paas/src checkout -q --detach FETCH_HEAD

# RDS requires TLS (rds.force_ssl); its certificates chain to Amazon RDS's own CAs.
curl -fsSL https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem -o /etc/paas/rds-ca.pem
chmod 0644 /etc/paas/rds-ca.pem

# What is not secret, as the platform's environment.
cat > /etc/paas/platform.env <<'ENV'
NODE_ENV="production"
NEXT_TELEMETRY_DISABLED="1"
PAAS_CLOUD="\${Cloud}"
AWS_REGION="\${AWS::Region}"
PAAS_DOMAIN="\${BaseDomain}"
PAAS_PUBLIC_URL="https://paas.\${BaseDomain}"
PAAS_WEBHOOK_PUBLIC_URL="https://paas.\${BaseDomain}/api/webhooks/github"
PAAS_DATA_DIR="/var/lib/paas/data"
PORT="3000"
PAAS_WEBHOOK_PORT="3001"
PAAS_ROUTER_PORT="8080"
REDIS_URL="rediss://\${RedisHost}:\${RedisPort}"
PAAS_REDIS_PREFIX="paas"
PAAS_AWS_CERTIFICATE_ARN="\${CertificateArn}"
PAAS_AWS_VPC_ID="\${VpcId}"
PAAS_AWS_SUBNET_IDS="\${Subnets}"
PAAS_AWS_INSTANCE_PROFILE="\${AppInstanceProfile}"
ENV
# Where the secrets are (their ARNs, not their values).
cat > /etc/paas/secrets.arns <<'ENV'
DB_HOST="\${DatabaseHost}"
DB_PORT="\${DatabasePort}"
DB_SECRET="\${DatabaseSecret}"
SECRET_KEY_SECRET="\${SecretKeySecret}"
WEBHOOK_SECRET="\${WebhookSecret}"
ADMIN_TOKEN_SECRET="\${AdminTokenSecret}"
ENV

cat > /usr/local/sbin/paas-write-env <<'SCRIPT'
#!/bin/bash
# /etc/paas/env from Secrets Manager, readable by root and paas only.
set -euo pipefail
. /etc/paas/platform.env
. /etc/paas/secrets.arns
secret() { aws secretsmanager get-secret-value --region "$AWS_REGION" --secret-id "$1" --query SecretString --output text; }
db_password=$(secret "$DB_SECRET" | jq -r .password)
umask 077
{
  cat /etc/paas/platform.env
  echo "DATABASE_URL=\\"postgresql://paas:$db_password@$DB_HOST:$DB_PORT/paas?sslmode=verify-full&sslrootcert=/etc/paas/rds-ca.pem\\""
  echo "PAAS_SECRET_KEY=\\"$(secret "$SECRET_KEY_SECRET")\\""
  echo "GITHUB_WEBHOOK_SECRET=\\"$(secret "$WEBHOOK_SECRET")\\""
  echo "PAAS_ADMIN_TOKEN=\\"$(secret "$ADMIN_TOKEN_SECRET")\\""
} > /etc/paas/env.new
chown root:paas /etc/paas/env.new
chmod 0640 /etc/paas/env.new
mv /etc/paas/env.new /etc/paas/env
SCRIPT
chmod 0755 /usr/local/sbin/paas-write-env

cat > /etc/systemd/system/paas-env.service <<'UNIT'
[Unit]
Description=paas environment from Secrets Manager
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/paas-write-env
Restart=on-failure
RestartSec=10

[Install]
WantedBy=multi-user.target
UNIT
${PROCESSES.map(unit).join('\n')}
systemctl daemon-reload
systemctl enable --now paas-env.service

# Dependencies, the database schema and the Prisma client, before anything starts.
as_paas bash -c 'set -a; . /etc/paas/env; set +a; cd /opt/paas/src && node scripts/platform.mjs migrate && node scripts/prisma-generate.mjs'
systemctl enable --now ${PROCESSES.map((p) => `paas-${p}`).join(' ')}

# The dashboard's first start builds it: wait for its health check (up to 25 min).
for _ in $(seq 1 150); do
  if curl -fsS -o /dev/null http://127.0.0.1:3000/api/health; then signal 0; exit 0; fi
  sleep 10
done
echo 'the dashboard did not answer /api/health in time' >&2
signal 1
exit 1
`;
}
