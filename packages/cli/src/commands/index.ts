import type { Command } from '../context.js';
import { appsCreate, appsDestroy, appsInfo, appsList, appsMove } from './apps.js';
import { login, logout, whoami } from './auth.js';
import { config, configGet, configSet, configUnset } from './config.js';
import { doctor } from './doctor.js';
import { domains, domainsAdd, domainsRemove } from './domains.js';
import { gitCredential, gitRemote } from './git.js';
import { logs } from './logs.js';
import { metrics } from './metrics.js';
import { ps, psAutoscale, psScale } from './ps.js';
import { deploy, releases, rollback } from './releases.js';

/** Every command, in the order `paas --help` lists them. */
export const COMMANDS: readonly Command[] = [
  login,
  logout,
  whoami,
  appsList,
  appsCreate,
  appsInfo,
  appsMove,
  appsDestroy,
  ps,
  psScale,
  psAutoscale,
  deploy,
  releases,
  rollback,
  config,
  configGet,
  configSet,
  configUnset,
  logs,
  metrics,
  domains,
  domainsAdd,
  domainsRemove,
  gitRemote,
  gitCredential,
  doctor,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

/** The closest command names to a mistyped one (for "did you mean"). */
export function suggest(name: string): string[] {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0] as number;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j] as number;
        row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length] as number;
  };
  return COMMANDS.map((c) => c.name)
    .map((n) => ({ n, d: distance(name, n) }))
    .filter(({ n, d }) => d <= Math.max(2, Math.floor(n.length / 4)) || n.startsWith(`${name}:`))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(({ n }) => n);
}
