/** The unprivileged user that builds and runs apps on an instance; /opt/paas/app belongs to it. */
export const APP_USER = 'paas-app';
export const IMDS_FIREWALL = '/etc/paas-imds-firewall.sh';

/**
 * Bash (for a real instance, where PAAS_ROOT is empty) that makes the app user
 * and closes the instance metadata service to it, so neither a build's
 * install scripts nor the app can take the instance role's credentials. The
 * rules live in a script the agent's service runs again at every boot
 * (iptables rules do not survive a reboot). The user is kept in the image.
 */
export function appUserSetup(): string[] {
  const rule = (cmd: string, dest: string) =>
    `${cmd} -C OUTPUT -d ${dest} -m owner --uid-owner ${APP_USER} -j REJECT 2>/dev/null || ${cmd} -I OUTPUT -d ${dest} -m owner --uid-owner ${APP_USER} -j REJECT`;
  return [
    `id ${APP_USER} >/dev/null 2>&1 || useradd --system --create-home --home-dir /home/${APP_USER} --shell /sbin/nologin ${APP_USER}`,
    `cat > ${IMDS_FIREWALL} <<'FIREWALL'`,
    '#!/bin/sh',
    '# The app user may not reach the instance metadata service (IPv4 and IPv6).',
    rule('iptables', '169.254.169.254'),
    `${rule('ip6tables', 'fd00:ec2::254')} || true`,
    'FIREWALL',
    `chmod 700 ${IMDS_FIREWALL}`,
    IMDS_FIREWALL,
  ];
}
