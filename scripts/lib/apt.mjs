import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fail, say } from './steps.mjs';

/**
 * Installs a Debian package the tests need when it is missing, on Debian or
 * Ubuntu as root; elsewhere says what to install. `why` names what needs it.
 */
export function aptInstall(pkg, why, manual) {
  const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canApt) fail(`${why}: ${manual}`);
  say(`Installing ${pkg} (apt-get install ${pkg}) for ${why}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', pkg],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) fail(`apt-get ${args.join(' ')} failed; ${manual}`);
  }
}

/** True when `command` is on the PATH. */
export function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The build tests build Go apps: Go's toolchain (Debian's golang-go) is installed when missing. */
export function ensureGo() {
  if (hasCommand('go')) return;
  aptInstall(
    'golang-go',
    'the build tests (they build a Go app)',
    'install Go (Debian/Ubuntu: `sudo apt-get install -y golang-go`)',
  );
  if (!hasCommand('go')) fail('golang-go was installed but `go` is not on the PATH');
}

/** The install test runs Caddy against a local ACME server: Debian's caddy and pebble. */
export function ensureInstallTestTools() {
  for (const [command, pkg] of [
    ['caddy', 'caddy'],
    ['pebble', 'pebble'],
  ]) {
    if (hasCommand(command)) continue;
    aptInstall(
      pkg,
      'the one-server install test (Caddy gets certificates from a local ACME server)',
      `install ${pkg} (Debian/Ubuntu: \`sudo apt-get install -y ${pkg}\`)`,
    );
    if (!hasCommand(command)) fail(`${pkg} was installed but \`${command}\` is not on the PATH`);
  }
}
