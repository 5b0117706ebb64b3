import { dirname } from 'node:path';
import type { AppIdentity } from '../isolation/app-user';

// Processes we start never inherit the caller's environment: the worker holds
// DATABASE_URL, encryption keys and cloud credentials. Only what a process needs
// to run on this machine passes through, plus the operator's proxy and CA setup.
const PASS_THROUGH = [
  'LANG',
  'LC_ALL',
  'TZ',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

/** The environment of a process the platform itself runs (the builder's supervisor). */
export function platformEnv(extraPath: string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...PASS_THROUGH, 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH = searchPath(extraPath);
  return env;
}

/** The environment of an app's build or process: its own user, home and tmp, nothing of ours. */
export function appEnv(identity: AppIdentity, extraPath: string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASS_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  const user = identity.user?.name ?? process.env.USER ?? 'app';
  return {
    ...env,
    HOME: identity.home,
    TMPDIR: identity.tmp,
    USER: user,
    LOGNAME: user,
    SHELL: '/bin/sh',
    PATH: searchPath(extraPath),
  };
}

// The node that runs the platform comes first, so `node` and `npm` are the ones we tested with.
function searchPath(extraPath: string[]): string {
  return [...extraPath, dirname(process.execPath), process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(':');
}
