import { existsSync } from 'node:fs';
import { aptInstall } from './apt.mjs';
import { fail } from './steps.mjs';

// Browser tests drive the system's Chromium (Playwright cannot download its own
// browser offline). On Debian/Ubuntu as root it is installed when missing.
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export function ensureChromium() {
  if (findChromium()) return;
  aptInstall(
    'chromium',
    'the browser tests',
    'install Chromium (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH',
  );
  if (!findChromium()) fail('Chromium was installed but not found at /usr/bin/chromium; set CHROMIUM_PATH');
}
