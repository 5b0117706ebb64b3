import { isFreshInstall } from '@paas/core';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { webContext } from '@/server/context';
import { SignInForm } from './sign-in-form';

export const dynamic = 'force-dynamic';

export default async function LoginPage() {
  // A fresh install has nobody to sign in yet: its first user sets it up.
  if (await isFreshInstall(webContext())) redirect('/setup');
  return (
    <div className="mx-auto max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
      <SignInForm />
      <p className="mt-4 text-xs text-slate-500">
        No account? Ask a team admin for an invitation link. <Link href="/setup">First start?</Link>
      </p>
    </div>
  );
}
