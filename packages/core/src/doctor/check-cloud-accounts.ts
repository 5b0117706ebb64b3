import type { Db } from '@paas/db';
import type { CloudAccountRef, CloudProvider } from '../ports/cloud-provider';
import { check, type DoctorCheck, errorMessage, withTimeout } from './check';

/** What the doctor asks of an account's provider: the worker's registry and the web app's inventory both fit. */
export interface DoctorClouds {
  forAccount(account: CloudAccountRef): Pick<CloudProvider, 'kind' | 'verifyAccess' | 'checkPermissions' | 'domainTarget'>;
}

export const ACCOUNT_TEMPLATE = 'deploy/aws/account-template.json';

export interface CloudAccountRow {
  id: string;
  name: string;
  provider: string;
  region: string;
  authMethod: string;
  roleArn: string | null;
  externalId: string | null;
  settings: unknown;
}

export const accountRef = (a: CloudAccountRow): CloudAccountRef => ({
  id: a.id,
  provider: a.provider === 'aws' ? 'aws' : 'local',
  region: a.region,
  authMethod: a.authMethod,
  roleArn: a.roleArn,
  externalId: a.externalId,
  settings: a.settings,
});

export async function loadCloudAccounts(db: Db): Promise<CloudAccountRow[]> {
  return db.cloudAccount.findMany({
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      name: true,
      provider: true,
      region: true,
      authMethod: true,
      roleArn: true,
      externalId: true,
      settings: true,
    },
  });
}

/**
 * Each account: the local one needs only its data dir; an AWS one must let
 * the platform in (its credentials or role) and allow every action the
 * provider uses, which the account template grants.
 */
export async function checkCloudAccounts(deps: {
  accounts: CloudAccountRow[];
  clouds: DoctorClouds;
  dataDir: string;
  defaultCloud: 'local' | 'aws';
  timeoutMs: number;
}): Promise<DoctorCheck[]> {
  if (deps.accounts.length === 0) {
    return [
      deps.defaultCloud === 'local'
        ? check('cloud-accounts', 'Cloud accounts', 'ok', `No account yet: apps run on this machine, in ${deps.dataDir}.`)
        : check(
            'cloud-accounts',
            'Cloud accounts',
            'warn',
            'No account yet: the platform makes its own AWS account on first use, from the credentials of its workers.',
            `Add one with the role of ${ACCOUNT_TEMPLATE} (dashboard: Cloud accounts), or create the first app to check the workers' own credentials`,
          ),
    ];
  }
  return Promise.all(deps.accounts.map((a) => checkAccount(deps, a)));
}

async function checkAccount(
  deps: { clouds: DoctorClouds; dataDir: string; timeoutMs: number },
  account: CloudAccountRow,
): Promise<DoctorCheck> {
  const id = `cloud-account:${account.name}`;
  const title = `Cloud account ${account.name}`;
  if (account.provider !== 'aws') return check(id, title, 'ok', `Local: apps run on this machine, in ${deps.dataDir}.`);
  const fixRole =
    account.authMethod === 'assume_role'
      ? `Update the account's CloudFormation stack with ${ACCOUNT_TEMPLATE} (aws cloudformation update-stack --template-body file://${ACCOUNT_TEMPLATE} --capabilities CAPABILITY_NAMED_IAM …), and check the role ARN ${account.roleArn} and its ExternalId`
      : `Give the workers' credentials (instance profile or AWS_* variables) the policy of ${ACCOUNT_TEMPLATE}, or add the account by the role that template makes`;
  try {
    const provider = deps.clouds.forAccount(accountRef(account));
    const { accountId } = await withTimeout(provider.verifyAccess(), deps.timeoutMs, `AWS (${account.region})`);
    const { missing } = await withTimeout(provider.checkPermissions(), deps.timeoutMs, `AWS (${account.region})`);
    const where = `AWS account ${accountId ?? '(unknown id)'} in ${account.region}`;
    if (missing.length > 0) {
      return check(id, title, 'fail', `${where}: the platform may not ${missing.join(', ')}.`, fixRole);
    }
    return check(id, title, 'ok', `${where}: the platform signs in and has the permissions it uses.`);
  } catch (error) {
    return check(
      id,
      title,
      'fail',
      `The platform cannot act in this account (${account.region}): ${errorMessage(error)}`,
      fixRole,
    );
  }
}
