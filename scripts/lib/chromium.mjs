import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fail, say } from './steps.mjs';

// Browser tests drive the system's Chromium (Playwright cannot download its own
// browser offline). On Debian/Ubuntu as root it is installed when missing.
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export function ensureChromium() {
  if (findChromium()) return;
  const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canApt) {
    fail(
      'Chromium is needed for the browser tests: install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH.',
    );
  }
  say('Installing Chromium (apt-get install chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', 'chromium'],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) fail(`apt-get ${args.join(' ')} failed; install Chromium by hand or set CHROMIUM_PATH`);
  }
  if (!findChromium()) fail('Chromium was installed but not found at /usr/bin/chromium; set CHROMIUM_PATH');
}
