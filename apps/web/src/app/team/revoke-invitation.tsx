'use client';

import { FormError } from '../form-error';
import { revokeInvitationAction } from '../session-actions';
import { smallSecondaryButton } from '../ui';
import { useAction } from '../use-action';

export function RevokeInvitation({ id }: { id: string }) {
  const { run, error, pending } = useAction();
  return (
    <>
      <button
        type="button"
        disabled={pending}
        className={smallSecondaryButton}
        onClick={() => run(() => revokeInvitationAction(id))}
      >
        Revoke invitation
      </button>
      <FormError error={error} className="text-sm" />
    </>
  );
}
