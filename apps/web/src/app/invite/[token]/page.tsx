import { findOpenInvitation, isAppError } from '@paas/core';
import { headers } from 'next/headers';
import { sessionUser } from '@/server/caller';
import { webContext } from '@/server/context';
import { AccountForm } from '../../account-form';
import { joinByInvitation } from '../../session-actions';
import { JoinButton } from './join-button';

export const dynamic = 'force-dynamic';

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invitation: Awaited<ReturnType<typeof findOpenInvitation>>;
  try {
    invitation = await findOpenInvitation(webContext().db, token, new Date());
  } catch (error) {
    if (!isAppError(error)) throw error;
    return (
      <div className="mx-auto max-w-sm rounded-lg border border-slate-200 bg-white p-6 text-sm shadow-sm" role="alert">
        {error.message}
      </div>
    );
  }
  const user = await sessionUser(await headers());
  const join = joinByInvitation.bind(null, token);
  return (
    <div className="mx-auto max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-1 text-lg font-semibold">Join {invitation.team.name}</h1>
      <p className="mb-4 text-sm text-slate-600" data-testid="invite-role">
        You are invited as <strong>{invitation.role}</strong>.
      </p>
      {user ? (
        <JoinButton action={join} email={user.email} />
      ) : (
        <AccountForm action={join} submitLabel="Create account and join" email={invitation.email} />
      )}
    </div>
  );
}
