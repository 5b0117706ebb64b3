import { isFreshInstall } from '@paas/core';
import { redirect } from 'next/navigation';
import { webContext } from '@/server/context';
import { AccountForm } from '../account-form';
import { setUpOwner } from '../session-actions';
import { cardBare, inlineCode, mutedText } from '../ui';

export const dynamic = 'force-dynamic';

export default async function SetupPage() {
  if (!(await isFreshInstall(webContext()))) redirect('/login');
  return (
    <div className={`mx-auto max-w-sm p-6 shadow-sm ${cardBare}`}>
      <h1 className="mb-1 text-lg font-semibold">Set up the platform</h1>
      <p className={`mb-4 text-sm ${mutedText}`}>
        The first account owns the platform. Prove you run it with the setup token:{' '}
        <code className={inlineCode}>PAAS_ADMIN_TOKEN</code>, kept in <code className={inlineCode}>.paas/secrets.env</code> by{' '}
        <code className={inlineCode}>npm start</code> (or in your own environment).
      </p>
      <AccountForm action={setUpOwner} withSetupToken submitLabel="Create owner account" />
    </div>
  );
}
