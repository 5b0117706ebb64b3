import { dirname } from 'node:path';

// Processes we start never inherit the caller's environment: the worker holds
// DATABASE_URL, encryption keys and cloud credentials. Only what a process needs
// to run on this machine passes through, plus the operator's npm/git/proxy setup.
const PASS_THROUGH = [
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

export function platformEnv(extraPath: string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASS_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  // The node that runs the platform comes first, so `node` and `npm` are the ones we tested with.
  const path = [...extraPath, dirname(process.execPath), process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'];
  env.PATH = path.join(':');
  return env;
}
