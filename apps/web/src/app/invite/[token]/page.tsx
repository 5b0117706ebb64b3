import { findOpenInvitation, isAppError } from '@paas/core';
import { githubSignInAvailable } from '@/server/better-auth';
import { pageSessionUser } from '@/server/caller';
import { webContext } from '@/server/context';
import { AccountForm } from '../../account-form';
import { GithubButton } from '../../login/github-button';
import { joinByInvitation } from '../../session-actions';
import { cardBare, errorText, mutedText } from '../../ui';
import { JoinButton } from './join-button';

export const dynamic = 'force-dynamic';

export default async function InvitePage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ error?: string }>;
}) {
  const { token } = await params;
  const { error } = await searchParams;
  let invitation: Awaited<ReturnType<typeof findOpenInvitation>>;
  try {
    invitation = await findOpenInvitation(webContext().db, token, new Date());
  } catch (error) {
    if (!isAppError(error)) throw error;
    return (
      <div className={`mx-auto max-w-sm p-6 text-sm shadow-sm ${cardBare}`} role="alert">
        {error.message}
      </div>
    );
  }
  const user = await pageSessionUser();
  const join = joinByInvitation.bind(null, token);
  return (
    <div className={`mx-auto max-w-sm p-6 shadow-sm ${cardBare}`}>
      <h1 className="mb-1 text-lg font-semibold">Join {invitation.team.name}</h1>
      <p className={`mb-4 text-sm ${mutedText}`} data-testid="invite-role">
        You are invited as <strong>{invitation.role}</strong>.
      </p>
      {user ? (
        <JoinButton action={join} email={user.email} />
      ) : (
        <div className="space-y-4">
          {error ? (
            <p className={`text-sm ${errorText}`} data-testid="sign-in-error">
              GitHub sign-in failed ({error}).
            </p>
          ) : null}
          <AccountForm action={join} submitLabel="Create account and join" email={invitation.email} />
          {(await githubSignInAvailable()) ? (
            <GithubButton
              label="Join with GitHub"
              callbackURL={`/invite/${token}`}
              errorCallbackURL={`/invite/${token}`}
              requestSignUp
            />
          ) : null}
        </div>
      )}
    </div>
  );
}
