import type { Db } from '@paas/db';
import { check, type DoctorCheck, errorMessage, withTimeout } from './check';
import { accountRef, type CloudAccountRow, type DoctorClouds } from './check-cloud-accounts';

export type Resolve = (hostname: string) => Promise<string[]>;

// A name no app can have (app names are lowercase letters, digits and dashes, never a leading dash… but the
// wildcard record answers for any): what an app's default hostname would resolve to.
const PROBE_LABEL = 'paas-doctor-probe';

/**
 * Apps get `<app>.<base domain>`: a wildcard record must point that domain at
 * the account's load balancer. `localhost` needs nothing (browsers resolve
 * every `*.localhost` to this machine).
 */
export async function checkDns(deps: {
  db: Db | null;
  accounts: CloudAccountRow[];
  clouds: DoctorClouds;
  /** PAAS_DOMAIN: the local provider's, and AWS accounts' base domain unless their settings name one. */
  domain: string | undefined;
  defaultCloud: 'local' | 'aws';
  resolve: Resolve;
  timeoutMs: number;
}): Promise<DoctorCheck[]> {
  const aws = deps.accounts.filter((a) => a.provider === 'aws');
  const localDomain = deps.domain ?? 'localhost';
  const checks: DoctorCheck[] = [];
  if (aws.length === 0 || deps.defaultCloud === 'local') {
    if (isLocalhost(localDomain)) {
      checks.push(
        check('dns', 'DNS', 'ok', `Apps answer on <app>.${localDomain}, which resolves to this machine without any record.`),
      );
    } else {
      checks.push(await resolveOnly(deps, 'dns', localDomain));
    }
  }
  for (const account of aws) {
    const baseDomain = baseDomainOf(account) ?? deps.domain;
    const id = `dns:${account.name}`;
    if (!baseDomain || isLocalhost(baseDomain)) {
      checks.push(
        check(
          id,
          `DNS of ${account.name}`,
          'warn',
          'No base domain: apps of this account get no hostname of their own.',
          'Set PAAS_DOMAIN, or the account setting baseDomain',
        ),
      );
      continue;
    }
    checks.push(await pointsAtLoadBalancer(deps, account, baseDomain, id));
  }
  return checks;
}

async function resolveOnly(deps: { resolve: Resolve; timeoutMs: number }, id: string, domain: string): Promise<DoctorCheck> {
  const probe = `${PROBE_LABEL}.${domain}`;
  try {
    const addresses = await withTimeout(deps.resolve(probe), deps.timeoutMs, 'DNS');
    return check(id, 'DNS', 'ok', `${probe} resolves to ${addresses.join(', ')}.`);
  } catch (error) {
    return check(
      id,
      'DNS',
      'warn',
      `${probe} does not resolve (${errorMessage(error)}): apps on <app>.${domain} are unreachable.`,
      `Add a wildcard DNS record *.${domain} pointing at this machine`,
    );
  }
}

async function pointsAtLoadBalancer(
  deps: { db: Db | null; clouds: DoctorClouds; resolve: Resolve; timeoutMs: number },
  account: CloudAccountRow,
  domain: string,
  id: string,
): Promise<DoctorCheck> {
  const title = `DNS of ${account.name}`;
  const probe = `${PROBE_LABEL}.${domain}`;
  // The load balancer is made with the account's first app; before that there is nothing to point at.
  const app = deps.db
    ? await deps.db.app.findFirst({ where: { cloudAccountId: account.id, deletingAt: null }, select: { id: true, name: true } })
    : null;
  let target: string | null = null;
  if (app) {
    target = await withTimeout(deps.clouds.forAccount(accountRef(account)).domainTarget(app), deps.timeoutMs, 'AWS')
      .then((r) => r?.value ?? null)
      .catch(() => null);
  }
  const fix = `Add a wildcard record *.${domain} as a CNAME (or Route 53 alias) to ${target ?? "the account's load balancer"}`;
  let addresses: string[];
  try {
    addresses = await withTimeout(deps.resolve(probe), deps.timeoutMs, 'DNS');
  } catch (error) {
    return check(
      id,
      title,
      'fail',
      `${probe} does not resolve (${errorMessage(error)}): apps on <app>.${domain} are unreachable.`,
      fix,
    );
  }
  if (!target) {
    return check(
      id,
      title,
      'ok',
      `${probe} resolves to ${addresses.join(', ')}; no load balancer yet to compare with (it comes with the first app).`,
    );
  }
  const lb = await withTimeout(deps.resolve(target), deps.timeoutMs, 'DNS').catch(() => [] as string[]);
  if (lb.some((a) => addresses.includes(a))) {
    return check(id, title, 'ok', `${probe} resolves to the load balancer ${target}.`);
  }
  return check(
    id,
    title,
    'fail',
    `${probe} resolves to ${addresses.join(', ')}, not to the load balancer ${target} (${lb.join(', ') || 'unresolved'}).`,
    fix,
  );
}

function baseDomainOf(account: CloudAccountRow): string | undefined {
  const settings = account.settings as { baseDomain?: unknown } | null;
  return typeof settings?.baseDomain === 'string' ? settings.baseDomain : undefined;
}

const isLocalhost = (domain: string) => domain === 'localhost' || domain.endsWith('.localhost');
