import { can, listCloudAccounts } from '@paas/core';
import { pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { cell, emptyState, errorText, pageTitle, tableBody, tableClass, tableHead, tableWrap } from '../ui';
import { AddCloudAccount } from './add-cloud-account';

export const dynamic = 'force-dynamic';

/** Where apps can run: the platform's own account and the AWS accounts added here, with each one's check. */
export default async function CloudAccountsPage() {
  const caller = await pageCaller();
  const accounts = await listCloudAccounts(webContext(), { teamId: caller.teamId });
  return (
    <div className="space-y-6">
      <h1 className={pageTitle}>Cloud accounts</h1>
      {accounts.length === 0 ? (
        <p className={emptyState} data-testid="cloud-accounts-empty">
          No cloud account yet: apps have nowhere to run. Add an AWS account below with the role its account template made
          {can(caller.role, 'cloudAccount.write') ? '' : ' (an admin of the team does this)'}.
        </p>
      ) : (
        <div className={tableWrap}>
          <table className={tableClass} data-testid="cloud-accounts">
            <thead className={tableHead}>
              <tr>
                <th className={cell}>Name</th>
                <th className={cell}>Provider</th>
                <th className={cell}>Region</th>
                <th className={cell}>Access</th>
                <th className={cell}>Status</th>
              </tr>
            </thead>
            <tbody className={tableBody}>
              {accounts.map((a) => (
                <tr key={a.name} data-testid={`cloud-account-${a.name}`}>
                  <td className={`${cell} font-mono`}>{a.name}</td>
                  <td className={cell}>{a.provider}</td>
                  <td className={cell}>{a.region}</td>
                  <td className={`${cell} min-w-40 text-xs break-all`}>{a.roleArn ?? a.auth}</td>
                  <td className={cell}>
                    {a.status}
                    {a.error ? <p className={`text-xs ${errorText}`}>{a.error}</p> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddCloudAccount canAdd={can(caller.role, 'cloudAccount.write')} />
    </div>
  );
}
