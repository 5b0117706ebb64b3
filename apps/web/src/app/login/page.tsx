import { isFreshInstall } from '@paas/core';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { githubSignInAvailable } from '@/server/better-auth';
import { pageSessionUser } from '@/server/caller';
import { webContext } from '@/server/context';
import { cardBare, errorText, faintText, linkClass } from '../ui';
import { GithubButton } from './github-button';
import { SignInForm } from './sign-in-form';

export const dynamic = 'force-dynamic';

// What GitHub sign-in's errors mean to the person who tried.
// An account is never joined to a GitHub identity by email alone (anyone could
// have typed that email): its owner connects GitHub from their account page.
const GITHUB_ERRORS: Record<string, string> = {
  signup_disabled: 'No account here goes with that GitHub identity: ask a team admin for an invitation.',
  account_not_linked:
    'That GitHub identity is not connected to your account yet: sign in with your password, then connect GitHub on your Account page.',
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  // A fresh install has nobody to sign in yet: its first user sets it up.
  if (await isFreshInstall(webContext())) redirect('/setup');
  // Signed in already: nothing to do here.
  if (await pageSessionUser()) redirect('/');
  const { error } = await searchParams;
  const github = await githubSignInAvailable();
  return (
    <div className={`mx-auto max-w-sm space-y-4 p-6 shadow-sm ${cardBare}`}>
      <h1 className="text-lg font-semibold">Sign in</h1>
      {error ? (
        <p className={`text-sm ${errorText}`} data-testid="sign-in-error">
          {GITHUB_ERRORS[error] ?? `GitHub sign-in failed (${error}).`}
        </p>
      ) : null}
      <SignInForm />
      {github ? <GithubButton label="Sign in with GitHub" callbackURL="/" errorCallbackURL="/login" /> : null}
      <p className={`text-xs ${faintText}`}>
        No account? Ask a team admin for an invitation link.{' '}
        <Link href="/setup" className={linkClass}>
          First start?
        </Link>
      </p>
    </div>
  );
}
