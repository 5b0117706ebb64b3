import { listCloudAccounts } from '@paas/core';
import { pageCaller } from '@/server/caller';
import { webContext } from '@/server/context';
import { AddCloudAccount } from './add-cloud-account';

export const dynamic = 'force-dynamic';

/** Where apps can run: the platform's own account and the AWS accounts added here, with each one's check. */
export default async function CloudAccountsPage() {
  const caller = await pageCaller();
  const accounts = await listCloudAccounts(webContext(), { teamId: caller.teamId });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Cloud accounts</h1>
      <table className="w-full text-sm" data-testid="cloud-accounts">
        <thead className="text-left text-slate-600">
          <tr>
            <th className="py-1">Name</th>
            <th>Provider</th>
            <th>Region</th>
            <th>Access</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {accounts.map((a) => (
            <tr key={a.name} data-testid={`cloud-account-${a.name}`}>
              <td className="py-1.5 font-mono">{a.name}</td>
              <td>{a.provider}</td>
              <td>{a.region}</td>
              <td className="break-all text-xs">{a.roleArn ?? a.auth}</td>
              <td>
                {a.status}
                {a.error ? <p className="text-xs text-red-700">{a.error}</p> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddCloudAccount />
    </div>
  );
}
