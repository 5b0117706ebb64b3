import { existsSync } from 'node:fs';

// Debian's Chromium, driven by Playwright: browsers cannot be downloaded here,
// and the platform's users run the same system package. The e2e tests and the
// dashboard benchmark launch it the same way.
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Options for Playwright's `chromium.launch`: the system's Chromium, headless, quiet. */
export function chromiumLaunchOptions() {
  const executablePath = process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => existsSync(p));
  if (!executablePath) {
    throw new Error(
      'Chromium not found: install it (node -e "import(\'./scripts/lib/chromium.mjs\').then(m=>m.ensureChromium())", or apt-get install chromium) or set CHROMIUM_PATH',
    );
  }
  return {
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  };
}
